"""Synthetic tenants at agency scale, for benchmarks and for the fast-path tests.

A body of ``people`` staff in units of about thirty, each unit with its head and senior
staff; the newest hires are mentees, mentored by seniors of their unit (mostly within the
regime's capacity, a few over it), with their papers mostly on time, some late, some
missing, a tenth of them absent for a while, some mentors replaced, older mentorships
closed. The same seed gives the same tenant, ids included.

Rows go in with bulk INSERTs (one statement per table and batch), not through the
services: the services check every assignment against the rules, which is what the
benchmarks measure, not what loading a test body should cost. One audit entry records
the generation itself.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

import sqlalchemy as sa

from .core import registry
from .core.errors import InputError
from .core.months import add_months
from .core.samples import SyntheticProfile
from .storage import audit
from .storage.models import (Absence, AgendaItem, Assignment, Attendance, Council, CouncilMember,
                             Meeting, Mentorship, Paper, Person, Vote, db)

DAY = dt.timedelta(days=1)
BATCH = 5000

SURNAMES = ("Ахметов", "Нурланов", "Сейткали", "Жумабаев", "Ибраев", "Касымов", "Омаров",
            "Иванов", "Смирнов", "Кузнецов", "Байжанов", "Есенов", "Муратов", "Тулеубаев",
            "Абенов", "Сапаров", "Рахимов", "Оспанов", "Беков", "Калиев")
NAMES = ("Айгерим", "Данияр", "Ерлан", "Асель", "Мадина", "Тимур", "Алия", "Нурлан",
         "Жанна", "Бахыт", "Анна", "Павел", "Дана", "Арман", "Сауле", "Ержан")


def profile_for(regime_id: str) -> SyntheticProfile:
    """The regime's synthetic profile (its ``synthetic_profile`` hook); a clear error if it
    ships none."""
    answers = [p for p in registry.get(regime_id).hook.synthetic_profile() if p is not None]
    if not answers:
        have = ", ".join(r for r in registry.available()
                         if any(registry.get(r).hook.synthetic_profile())) or "none"
        raise InputError(f"regime {regime_id!r} ships no synthetic profile (the "
                         f"synthetic_profile hook, docs/plugin-hooks.md); regimes that do: {have}",
                         field="regime")
    return answers[0]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _insert(model, rows: list[dict]) -> None:
    for i in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(model), rows[i:i + BATCH])


def generate(work, people: int, mentorships: int, seed: int = 1,
             as_of: dt.date | None = None) -> dict:
    """Fill the (empty) tenant of ``work`` with a synthetic body. Returns counts."""
    profile = profile_for(work.tenant.regime)
    if people < 10:
        raise InputError("at least 10 people", field="people")
    if not 0 <= mentorships <= people * 85 // 100:
        raise InputError(f"between 0 and {people * 85 // 100} mentorships for {people} people "
                         f"(mentees are the newest hires; a tenth at least are senior staff)",
                         field="mentorships")
    if db.session.scalar(sa.select(sa.func.count()).select_from(Person)):
        raise InputError(f"tenant {work.tenant.slug!r} already has people; generate into an "
                         f"empty tenant", field="tenant")
    as_of = as_of or dt.date.today()
    rng = random.Random(seed)
    tid = work.tenant.id
    calendar = work.rules().ctx.calendar  # the tenant's, with its overrides

    # --- people: seniors hired long ago, newcomers (the mentees) over the last years ----
    # the newest hires, a hundredth as many as the mentorships, await their mentor (p.9
    # of the civil service rules gives five days): whom the suggestions are for
    awaiting = max(1, mentorships // 100)
    seniors_n = people - mentorships - awaiting
    unit_size = 30
    units = [f"Подразделение {i + 1:04d}" for i in range(max(1, people // unit_size))]
    # mentorships spread over eight years, none before the regime took effect
    first_hire = max(as_of - dt.timedelta(days=365 * 8), work.regime.info.effective_from)
    person_rows, seniors_by_unit, heads = [], {}, {}
    for i in range(people):
        senior = i < seniors_n
        unit = units[i % len(units)]
        if senior:
            hired = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randrange(0, (first_hire - dt.date(1995, 1, 1)).days))
        else:
            hired = first_hire + dt.timedelta(days=rng.randrange(0, (as_of - first_hire).days))
            hired = calendar.add_working_days(hired - DAY, 1)  # hires start on a working day
        pid = _uuid(rng)
        row = {"tenant_id": tid, "id": pid, "number": f"S-{i + 1:06d}",
               "full_name": f"{rng.choice(SURNAMES)} {rng.choice(NAMES)} {i + 1}",
               "unit": unit, "position": "Главный специалист" if senior else "Специалист",
               "manager_id": None, "hired_on": hired,
               "attributes": (profile.senior if senior else profile.newcomer)(rng, hired)}
        if senior:
            if unit not in heads:
                heads[unit] = pid
                row["position"] = "Руководитель подразделения"
            else:
                row["manager_id"] = heads[unit]
            seniors_by_unit.setdefault(unit, []).append(pid)
        else:
            row["manager_id"] = heads.get(unit)
        person_rows.append(row)
    councils = _council_members(profile.council, person_rows[:seniors_n], units)
    _insert(Person, person_rows)

    # --- mentorships, oldest first, each with a senior of the mentee's unit -------------
    newcomers = sorted(person_rows[seniors_n:], key=lambda r: r["hired_on"])[:mentorships]
    busy_until: dict = {}  # mentor -> ends of their current assignments
    m_rows, a_rows, p_rows, ab_rows = [], [], [], []
    counts = {"closed": 0, "replaced": 0, "over_capacity": 0, "absences": 0}
    heard = []  # (mentorship id, mentee row, start, planned end)
    for n, mentee in enumerate(newcomers):
        start = mentee["hired_on"] + rng.randrange(0, 4) * DAY
        months = profile.term_months(rng)
        end = add_months(start, months) - DAY
        closed = end < as_of - 10 * DAY
        mid = _uuid(rng)
        heard.append((mid, mentee, start, end))
        m_rows.append({"tenant_id": tid, "id": mid, "mentee_id": mentee["id"], "kind": profile.kind,
                       "start": start, "joined_on": mentee["hired_on"], "planned_end": None,
                       "term_months": months,
                       "ended_on": end if closed else None, "status": "closed" if closed else "open",
                       "attributes": {}})
        candidates = seniors_by_unit.get(mentee["unit"]) or [r["id"] for r in person_rows[:seniors_n]]
        over = rng.random() < 0.01
        mentor = None
        for c in rng.sample(candidates, len(candidates)):
            load = sum(1 for e in busy_until.get(c, ()) if e >= start)
            if load < profile.capacity or (over and load == profile.capacity):
                mentor = c
                break
        mentor = mentor or rng.choice(candidates)
        if sum(1 for e in busy_until.get(mentor, ()) if e >= start) >= profile.capacity:
            counts["over_capacity"] += 1
        order_date = calendar.add_working_days(start, rng.choice((0, 0, 0, 1, 2, 6)))
        aid = _uuid(rng)
        # one draw for every regime, so that a seed gives the same staff whatever the facts
        draw = rng.random()
        facts = profile.assignment(draw) if profile.assignment else {}
        assignment = {"tenant_id": tid, "id": aid, "mentorship_id": mid, "mentor_id": mentor,
                      "start": start, "end": None, "end_reason": None,
                      "order_number": f"{start.year}-{n + 1:06d}", "order_date": order_date,
                      "fallback": False, "attributes": facts}
        a_rows.append(assignment)
        mentor_end = end
        if rng.random() < 0.03 and (end - start).days > 20:  # the mentor is replaced halfway
            switch = start + (end - start) // 2
            assignment.update({"end": switch - DAY, "end_reason": "transfer"})
            mentor_end = switch - DAY
            others = [c for c in candidates if c != mentor] or candidates
            successor = rng.choice(others)
            a_rows.append({**assignment, "id": _uuid(rng), "mentor_id": successor,
                           "start": calendar.add_working_days(switch, rng.choice((2, 4, 7))),
                           "end": None, "end_reason": None,
                           "order_number": f"{start.year}-{n + 1:06d}-2", "order_date": switch})
            busy_until.setdefault(successor, []).append(end)
            counts["replaced"] += 1
        ends = busy_until.setdefault(mentor, [])
        ends[:] = [e for e in ends if e >= start]
        ends.append(mentor_end)

        for kind, usual in profile.first_papers:
            roll = rng.random()
            if roll < 0.05 and start < as_of - 30 * DAY:
                continue  # never done
            late = rng.choice((1, 3, 8)) if roll < 0.15 else 0
            done = calendar.add_working_days(start, max(0, usual - rng.randrange(0, usual + 1)) + late)
            if done <= as_of:
                p_rows.append({"tenant_id": tid, "id": _uuid(rng), "mentorship_id": mid, "kind": kind,
                               "done_on": done, "approved_by": "Руководитель подразделения",
                               "attributes": {"sections": list(profile.sections[kind])}
                               if kind in profile.sections else {}})
        if closed:
            counts["closed"] += 1
            for kind in profile.closing_papers:
                if rng.random() < 0.95:
                    done = calendar.add_working_days(end, rng.choice((0, 1, 2, 3, 7)))
                    p_rows.append({"tenant_id": tid, "id": _uuid(rng), "mentorship_id": mid,
                                   "kind": kind, "done_on": min(done, as_of),
                                   "approved_by": None, "attributes": {}})
        if rng.random() < 0.1:
            first = start + rng.randrange(1, max(2, (end - start).days)) * DAY
            ab_rows.append({"tenant_id": tid, "id": _uuid(rng), "person_id": mentee["id"],
                            "start": first, "end": first + rng.randrange(2, 15) * DAY,
                            "valid_reason": True, "reason": "больничный лист"})
            counts["absences"] += 1
    _insert(Mentorship, m_rows)
    _insert(Assignment, a_rows)
    _insert(Paper, p_rows)
    _insert(Absence, ab_rows)
    if councils:
        counts.update(_council_rows(tid, profile.council, councils, heard, units, first_hire,
                                    as_of, calendar, random.Random(f"council-{seed}")))
    summary = {"people": people, "mentorships": len(m_rows), "assignments": len(a_rows),
               "papers": len(p_rows), "seed": seed, "as_of": as_of.isoformat(), **counts}
    audit.record(db.session, tid, "create", "synthetic_body", tid, None, summary)
    return summary


# --- the councils of mentors (a regime whose profile has one) ---------------------------------

#: units a council hears the mentorships of: a large body has a council per division
UNITS_PER_COUNCIL = 50
#: how long before its due date a mentorship's reports may be heard
HEARING_AHEAD = 45 * DAY


def _council_members(council, seniors: list[dict], units: list[str]) -> list[list]:
    """For each council (one per UNITS_PER_COUNCIL units), its members: (person row, role,
    basis), seniors of its units given the facts that qualify them."""
    if council is None:
        return []
    out = []
    for first in range(0, len(units), UNITS_PER_COUNCIL):
        own = set(units[first:first + UNITS_PER_COUNCIL])
        pool = [r for r in seniors if r["unit"] in own][:len(council.members)]
        if len(pool) < len(council.members):
            break
        members = []
        for row, (role, basis, facts) in zip(pool, council.members):
            row["attributes"] = {**row["attributes"], **facts}
            members.append((row, role, basis))
        out.append(members)
    return out


def _council_rows(tid, council, councils, heard, units, first_hire, as_of, calendar, rng) -> dict:
    """The councils, their monthly meetings (a few not quorate) and the hearings of each
    mentorship's reports: most at the last meeting before they fall due, a few at a later
    one, a few never."""
    c_rows, member_rows, meeting_rows, present_rows, item_rows, vote_rows = [], [], [], [], [], []
    council_of_unit = {u: n // UNITS_PER_COUNCIL for n, u in enumerate(units)}
    created = first_hire  # not before the regime took effect
    meetings_of = []  # per council: [(date, meeting id, present person ids, quorate)]
    counts = {"councils": 0, "meetings": 0, "hearings": 0, "hearings_late": 0}
    for n, members in enumerate(councils):
        cid = _uuid(rng)
        c_rows.append({"tenant_id": tid, "id": cid, "name": f"Совет наставников {n + 1}",
                       "created_on": created, "order_number": f"{created.year}-С{n + 1}",
                       "order_date": created})
        ids = [row["id"] for row, _, _ in members]
        member_rows += [{"tenant_id": tid, "id": _uuid(rng), "council_id": cid, "person_id": row["id"],
                         "role": role, "basis": basis, "attributes": {}} for row, role, basis in members]
        need = -(-len(ids) * 2 // 3)
        mine, day = [], calendar.roll_forward(created + 20 * DAY)
        while day <= as_of:
            quorate = rng.random() >= council.not_quorate
            present = (rng.sample(ids, len(ids) - rng.choice((0, 0, 1))) if quorate
                       else rng.sample(ids, need - 1))
            mid = _uuid(rng)
            meeting_rows.append({"tenant_id": tid, "id": mid, "council_id": cid, "date": day})
            present_rows += [{"tenant_id": tid, "id": _uuid(rng), "meeting_id": mid, "person_id": p}
                             for p in present]
            mine.append((day, mid, present, quorate))
            day = calendar.roll_forward(add_months(day, 1))
        meetings_of.append(mine)
        counts["councils"] += 1
        counts["meetings"] += len(mine)
    positions: dict = {}
    for mentorship, mentee, start, end in heard:
        n = council_of_unit.get(mentee["unit"], 0)
        if n >= len(meetings_of):
            continue
        due = calendar.add_working_days(end, -council.hearing_working_days_before_end)
        quorate = [m for m in meetings_of[n] if m[3] and start <= m[0]]
        # heard at a meeting in the weeks before it falls due, not months ahead of it
        on_time = [m for m in quorate if due - HEARING_AHEAD <= m[0] <= due]
        late = [m for m in quorate if m[0] > due]
        roll = rng.random()
        chosen = (on_time[-1] if roll < 0.9 and on_time else
                  late[0] if roll < 0.95 and late else None)
        if chosen is None:
            continue
        day, meeting, present, _ = chosen
        position = positions[meeting] = positions.get(meeting, 0) + 1
        item = _uuid(rng)
        item_rows.append({"tenant_id": tid, "id": item, "meeting_id": meeting, "position": position,
                          "title": council.hearing_title.format(mentee=mentee["full_name"])[:500],
                          "hearing_id": mentorship})
        vote_rows += [{"tenant_id": tid, "id": _uuid(rng), "agenda_item_id": item, "person_id": p,
                       "vote": "for"} for p in present]
        counts["hearings"] += 1
        counts["hearings_late"] += day > due
    for model, rows in ((Council, c_rows), (CouncilMember, member_rows), (Meeting, meeting_rows),
                        (Attendance, present_rows), (AgendaItem, item_rows), (Vote, vote_rows)):
        _insert(model, rows)
    return counts
