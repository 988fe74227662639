"""Read models: the services' answers gathered into plain dicts for the CLI and the web admin.

Nothing here judges anything: every finding, deadline, term, suggestion and council
outcome comes from the tenant's regime through the other services. This module only
looks records up, puts names next to personnel numbers and orders things by date.
Findings and deadlines carry their messages in every language (``message[lang]``)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..core.model import Mentorship as CoreMentorship
from ..core.subjects import within
from ..storage.case import load_part
from ..storage.models import Assignment, Mentorship, Person, db
from . import results
from .results import KeptEvaluation
from .councils import _core_council, find_council, find_meeting, list_councils, outcome_json
from .mentorships import assignments_of, find_mentorship, list_mentorships, papers_of
from .suggestions import suggest_mentors
from .unit import TenantWork, regime_of


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _number(work: TenantWork, person_id) -> str | None:
    p = work.session.get(Person, {"tenant_id": work.tenant.id, "id": person_id})
    return p.number if p else None


def findings_json(findings) -> list[dict]:
    """Findings (e.g. of a refusal) as JSON: rule id, paragraph, severity, message by language."""
    return [f.to_json() for f in findings]


def has_council(tenant) -> bool:
    """Whether the tenant's regime has a council of mentors (prosecutor_2022 p.17-22)."""
    return regime_of(tenant).info.has_council


# --- mentorships ---------------------------------------------------------------------------

def _mentorship_json(work: TenantWork, m: Mentorship, as_of: dt.date, evaluation) -> dict:
    mid = str(m.id)
    mine = lambda subject: within(subject, mid)  # noqa: E731
    term = evaluation.terms.get(mid)
    return {
        "id": mid, "mentee": _number(work, m.mentee_id), "kind": m.kind, "status": m.status,
        "start": m.start.isoformat(), "ended_on": _iso(m.ended_on),
        "attributes": dict(m.attributes or {}),
        "term": None if term is None else {
            "start": term.start.isoformat(), "planned_end": _iso(term.planned_end),
            "rule": term.rule.id, "paragraph": term.rule.paragraph},
        "assignments": [{"mentor": _number(work, a.mentor_id), "from": a.start.isoformat(),
                         "to": _iso(a.end), "end_reason": a.end_reason,
                         "order": {"number": a.order_number, "date": _iso(a.order_date)},
                         "fallback": a.fallback, "attributes": dict(a.attributes or {})}
                        for a in assignments_of(m)],
        "papers": [{"kind": p.kind, "done_on": _iso(p.done_on), "approved_by": p.approved_by,
                    "attributes": p.attributes or {}} for p in papers_of(m)],
        "findings": [f.to_json() for f in evaluation.findings if mine(f.subject)],
        "deadlines": [d.to_json(as_of, evaluation.soon) for d in evaluation.deadlines
                      if mine(d.subject)],
    }


def mentorship_view(work: TenantWork, m: Mentorship, as_of: dt.date) -> dict:
    """One mentorship with its assignments, papers, term, findings and deadlines."""
    return _mentorship_json(work, m, as_of, KeptEvaluation(work, [m.id], as_of))


def _overlaps(start: dt.date, end: dt.date | None, lo: dt.date, hi: dt.date | None) -> bool:
    return start <= (hi or dt.date.max) and lo <= (end or dt.date.max)


def mentorship_page(work: TenantWork, ref: str, as_of: dt.date) -> dict:
    """``mentorship_view`` with names, the absences of the mentee and of each mentor
    within the mentorship, the term's rule, and every event in date order."""
    m = find_mentorship(work, ref)
    evaluation = KeptEvaluation(work, [m.id], as_of)
    case = load_part([m.id])  # its people, for names and absences
    view = _mentorship_json(work, m, as_of, evaluation)
    name = lambda number: case.people[number].name if number in case.people else number  # noqa: E731
    term = evaluation.terms.get(view["id"])
    last = m.ended_on or (term.planned_end if term else None)
    view["mentee_name"] = name(view["mentee"])
    view["last_day"] = _iso(last)
    if term is not None:
        view["term"]["title"] = dict(term.rule.title)
    view["current_mentor"] = None
    for a in view["assignments"]:
        a["mentor_name"] = name(a["mentor"])
        if a["to"] is None and m.status == "open":
            view["current_mentor"] = a["mentor"]
    periods = [(view["mentee"], "mentee", m.start, last)]
    periods += [(a["mentor"], "mentor", dt.date.fromisoformat(a["from"]),
                 dt.date.fromisoformat(a["to"]) if a["to"] else last)
                for a in view["assignments"]]
    absences, seen = [], set()
    for number, role, lo, hi in periods:
        for ab in case.absences_of(number):
            key = (number, ab.start, ab.end)
            if key in seen or not _overlaps(ab.start, ab.end, lo, hi):
                continue
            seen.add(key)
            absences.append({"person": number, "name": name(number), "role": role,
                             "from": ab.start.isoformat(), "to": ab.end.isoformat(),
                             "days": ab.days, "valid_reason": ab.valid_reason,
                             "reason": ab.reason})
    view["absences"] = sorted(absences, key=lambda a: (a["from"], a["person"]))
    view["events"] = _events(view)
    return view


def _events(view: dict) -> list[dict]:
    """Every dated thing of a mentorship, in date order: (date, what, detail)."""
    events = [{"date": view["start"], "what": "start", "detail": view["mentee_name"]}]
    for a in view["assignments"]:
        events.append({"date": a["from"], "what": "mentor_from", "detail": a["mentor_name"],
                       "fallback": a["fallback"]})
        if a["to"]:
            events.append({"date": a["to"], "what": "mentor_to", "detail": a["mentor_name"],
                           "reason": a["end_reason"]})
    for ab in view["absences"]:
        events.append({"date": ab["from"], "what": "absence", "detail": ab["name"],
                       "to": ab["to"], "days": ab["days"]})
    for p in view["papers"]:
        if p["done_on"]:
            events.append({"date": p["done_on"], "what": "paper", "detail": p["kind"]})
    for d in view["deadlines"]:
        events.append({"date": d["due"], "what": "deadline", "detail": d["kind"],
                       "status": d["status"], "paragraph": d["paragraph"]})
    if view["term"] and view["term"]["planned_end"] and view["status"] == "open":
        events.append({"date": view["term"]["planned_end"], "what": "planned_end",
                       "paragraph": view["term"]["paragraph"], "detail": ""})
    if view["ended_on"]:
        events.append({"date": view["ended_on"], "what": "closed", "detail": ""})
    order = {"start": 0, "mentor_from": 1, "absence": 2, "paper": 3, "deadline": 4,
             "mentor_to": 5, "planned_end": 6, "closed": 7}
    return sorted(events, key=lambda e: (e["date"], order[e["what"]]))


def _like(text: str) -> str:
    """A LIKE pattern finding ``text`` anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matches(column, text: str):
    """``column`` holds ``text``, whatever the case: SQLite's lower() knows only Latin
    letters, so the text is also looked for as typed and with a capital first letter."""
    return sa.or_(sa.func.lower(column).like(_like(text.lower()), escape="\\"),
                  *(column.like(_like(variant), escape="\\")
                    for variant in (text, text[:1].upper() + text[1:])))


def _mentorship_rows_query(status=None, mentee=None, mentor=None, search=None,
                           mentor_search=None, unit=None):
    """Mentorships with their mentee and, for open ones, the current mentor: one query.
    ``search`` finds the mentee by name or number, ``mentor_search`` the current mentor;
    ``unit`` is the mentee's."""
    mentee_p, mentor_p = aliased(Person), aliased(Person)
    current = sa.and_(Assignment.mentorship_id == Mentorship.id, Assignment.end.is_(None),
                      Mentorship.status == "open")
    q = (sa.select(Mentorship.id, mentee_p.number, mentee_p.full_name, Mentorship.kind,
                   Mentorship.start, Mentorship.ended_on, Mentorship.status, mentor_p.number,
                   mentor_p.full_name, Assignment.fallback)
         .join(mentee_p, mentee_p.id == Mentorship.mentee_id)
         .outerjoin(Assignment, current)
         .outerjoin(mentor_p, mentor_p.id == Assignment.mentor_id))
    if status:
        q = q.where(Mentorship.status == status)
    if mentee:
        q = q.where(mentee_p.number == mentee)
    if mentor:
        q = q.where(mentor_p.number == mentor)
    for text, person in ((search, mentee_p), (mentor_search, mentor_p)):
        if text:
            q = q.where(sa.or_(_matches(person.full_name, text), _matches(person.number, text)))
    if unit:
        q = q.where(mentee_p.unit == unit)
    return q


def mentorship_rows(work: TenantWork, status: str | None = None, mentee: str | None = None,
                    mentor: str | None = None, limit: int | None = None,
                    offset: int = 0) -> list[dict]:
    """The mentorships (open, closed or all; of a mentee; whose current mentor is
    ``mentor``) by first day, with their mentee and current mentor."""
    q = _mentorship_rows_query(status, mentee, mentor).order_by(Mentorship.start, Mentorship.id)
    if limit:
        q = q.limit(limit).offset(offset)
    return _rows(q)


def mentorship_list(work: TenantWork, as_of: dt.date, status: str | None = "open",
                    search: str = "", mentor: str = "", unit: str = "",
                    overdue: bool = False, limit: int = 100, offset: int = 0) -> dict:
    """The admin's list of mentorships: filtered by status, the mentee's name or number
    (``search``), the current mentor's (``mentor``), the mentee's unit, and whether a
    deadline is overdue; each row with its next deadline not yet done (the earliest, from
    the kept results). Filtered and paged in the database. ``has_next``: a page follows."""
    from .compliance import soon_after

    results.up_to_date(work)
    soon = soon_after(work, as_of, 5)
    status_of = results.status_of(as_of, soon)
    d = results.KeptDeadline
    q = _mentorship_rows_query(status, None, None, search, mentor, unit).order_by(
        Mentorship.start, Mentorship.id)
    if overdue:
        q = q.where(Mentorship.id.in_(sa.select(d.owner).where(status_of == "overdue")))
    found = _rows(q.limit(limit + 1).offset(offset))
    pending: dict = {}
    lang = work.lang
    for row, st in db.session.execute(  # by due date: the first of each is its next
            sa.select(d, status_of).where(d.owner.in_([uuid.UUID(r["id"]) for r in found]),
                                          status_of.in_(results.OPEN))
            .order_by(d.due, d.subject)):
        pending.setdefault(str(row.owner), {
            "due": row.due.isoformat(), "done_on": None, "status": st, "kind": row.kind,
            "rule": row.rule, "paragraph": row.data["paragraph"],
            "text": row.data["message"][lang], "message": row.data["message"],
            "mentorship": str(row.owner)})
    for r in found:
        r["next"] = pending.get(r["id"])
    return {"items": found[:limit], "has_next": len(found) > limit}


def _rows(q) -> list[dict]:
    return [{"id": str(mid), "mentee": mentee_number, "mentee_name": mentee_name or "",
             "kind": kind, "start": start, "ended_on": ended_on, "status": st,
             "mentor": mentor_number, "mentor_name": mentor_name or "", "fallback": bool(fallback)}
            for (mid, mentee_number, mentee_name, kind, start, ended_on, st, mentor_number,
                 mentor_name, fallback) in db.session.execute(q)]


def find_anything(work: TenantWork, text: str, limit: int = 20) -> dict:
    """People and mentorships (by their mentee) whose name or personnel number holds
    ``text``: the admin bar's search. Open mentorships first."""
    text = text.strip()
    if not text:
        return {"people": [], "mentorships": [], "text": ""}
    people = db.session.scalars(
        sa.select(Person).where(sa.or_(_matches(Person.full_name, text),
                                       _matches(Person.number, text)))
        .order_by(Person.full_name, Person.number).limit(limit))
    mentorships = _rows(_mentorship_rows_query(search=text)
                        .order_by(Mentorship.status.desc(), Mentorship.start.desc(), Mentorship.id)
                        .limit(limit))
    return {"text": text, "mentorships": mentorships,
            "people": [{"number": p.number, "name": p.full_name, "unit": p.unit,
                        "position": p.position} for p in people]}


def mentorships_page(work: TenantWork, status=None, mentee=None, mentor=None, limit: int = 50,
                     offset: int = 0) -> dict:
    """One page of ``mentorship_rows`` and how many match in all."""
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        _mentorship_rows_query(status, mentee, mentor).subquery()))
    items = mentorship_rows(work, status, mentee, mentor, limit, offset) if limit else []
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def mentees_without_mentorship(work: TenantWork, on: dt.date | None = None) -> list[dict]:
    """People who may be given a mentorship from ``on`` (today by default): the regime
    covers them (its mentee coverage, as if the mentorship began that day) and they have
    had none, open or closed."""
    on = on or dt.date.today()
    taken = sa.select(Mentorship.mentee_id)
    free = list(db.session.scalars(sa.select(Person).where(Person.id.not_in(taken))
                                   .order_by(Person.number)))
    case = load_part((), people={p.id for p in free})
    probes = [CoreMentorship(id=f"probe{n}", mentee=p.number, kind=None, start=on,
                             joined_on=p.hired_on or on)
              for n, p in enumerate(free) if p.number in case.people]
    coverage = work.rules().coverage(case, probes)
    covered = {probe.mentee for probe in probes
               if probe.id not in coverage or coverage[probe.id].covered}
    return [{"number": p.number, "name": p.full_name, "unit": p.unit}
            for p in free if p.number in covered]


def suggestions(work: TenantWork, mentee: str, on: dt.date, limit: int = 10,
                leave_out=(), whole: bool = False) -> dict:
    """``suggest_mentors`` with each candidate's findings as JSON, leaving out
    ``leave_out`` (e.g. the current mentor, when choosing a replacement); ``whole``:
    every eligible person when everyone was checked."""
    found = suggest_mentors(work, mentee, on, limit, leave_out, whole=whole)
    for key in ("eligible", "excluded"):
        found[key] = [{**entry, "findings": findings_json(entry["findings"])}
                      for entry in found[key]]
    return found


# --- councils ------------------------------------------------------------------------------

def council_rows(work: TenantWork) -> list[dict]:
    return [{"id": str(c.id), "name": c.name, "created_on": c.created_on,
             "order_number": c.order_number, "order_date": c.order_date}
            for c in list_councils(work)]


def meeting_page(work: TenantWork, meeting_ref: str, lang: str) -> dict:
    """A meeting's outcome (``outcome_json``) with its council's members by name, who was
    present, and each item's vote by member."""
    meeting = find_meeting(work, meeting_ref)
    council = find_council(work, str(meeting.council_id))
    case = load_part((), {council.id})
    core_council = _core_council(case, council.id)
    core_meeting = next(x for x in core_council.meetings if x.id == str(meeting.id))
    outcome = work.rules().outcome(core_council, core_meeting)
    data = outcome_json(outcome, core_meeting, lang)
    name = lambda number: case.people[number].name if number in case.people else number  # noqa: E731
    present = set(core_meeting.present)
    data["id"] = str(meeting.id)
    data["council_id"], data["council_name"] = str(council.id), council.name
    data["rule_title"] = dict(outcome.rule.title)
    data["member_list"] = [{"person": x.person, "name": name(x.person), "role": x.role,
                            "present": x.person in present} for x in core_council.members]
    data["member_list"].sort(key=lambda x: (x["role"] != "chair", x["person"]))
    data["chair"] = core_council.chair
    data["names"] = {x["person"]: x["name"] for x in data["member_list"]}
    for item in data["items"]:
        for number in item["votes"]:
            data["names"].setdefault(number, name(number))
    return data


def hearing_choices(work: TenantWork) -> list[dict]:
    """Open mentorships whose reports an agenda item may hear."""
    return [{"id": r["id"], "label": f"{r['mentee_name']} ({r['mentee']})"}
            for r in mentorship_rows(work, "open")]
