"""The council of mentors: composition, meetings, attendance, agenda, votes, and the
decision with its explanation, all from the tenant's regime.

Every function refuses, with an ``InputError`` naming the field, a tenant whose regime has
no council of mentors (civil_service_2013, education_reserve). Each checks all of its input
before it writes anything, so a refusal changes nothing even inside a longer unit of work.
Councils, meetings and agenda items are named by their id or a unique prefix of it
(4+ characters); people by their personnel number."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa

from ..core import model as core
from ..core.errors import InputError, NotFound
from ..core.subjects import within
from ..storage.case import load_part
from ..storage.models import (AgendaItem, Attendance, Council, CouncilMember, Meeting, Person,
                              Vote, db)
from ..core.vocabulary import COUNCIL_ROLES
from .mentorships import _as_date, find_mentorship
from .people import find_person
from .unit import TenantWork

ROLES = tuple(COUNCIL_ROLES)  # in listing order


def _require_council_regime(work: TenantWork) -> None:
    if not work.regime.info.has_council:
        raise InputError(f"regime {work.regime.id} has no council of mentors", field="council")


def _text(value, field: str, limit: int, required: bool = False) -> str | None:
    """A stripped string of at most ``limit`` characters (the column's width), or None."""
    value = "" if value is None else str(value).strip()
    if not value:
        if required:
            raise InputError("is required", field=field)
        return None
    if len(value) > limit:
        raise InputError(f"at most {limit} characters ({len(value)} given)", field=field)
    return value


def _find(model, ref: str, what: str, lock: bool = False):
    """A row by its id or a unique prefix of it (4+ characters). Prefixes are matched in
    Python: uuid columns differ between SQLite (text) and PostgreSQL (uuid)."""
    ref = str(ref or "").strip().lower()
    row_id = None
    try:
        row_id = db.session.scalar(sa.select(model.id).where(model.id == uuid.UUID(ref)))
    except ValueError:
        pass
    if row_id is None and len(ref) >= 4 and all(c in "0123456789abcdef-" for c in ref):
        ids = [i for i in db.session.scalars(sa.select(model.id)) if str(i).startswith(ref)]
        if len(ids) > 1:
            raise InputError(f"{ref!r} matches {len(ids)} {what}s; give more of the id", field=what)
        row_id = ids[0] if ids else None
    if row_id is None:
        raise NotFound(f"no {what} {ref!r}", field=what)
    statement = sa.select(model).where(model.id == row_id)
    return db.session.scalar(statement.with_for_update() if lock else statement)


def find_council(work: TenantWork, ref: str, lock: bool = False) -> Council:
    _require_council_regime(work)
    return _find(Council, ref, "council", lock)


def find_meeting(work: TenantWork, ref: str) -> Meeting:
    _require_council_regime(work)
    return _find(Meeting, ref, "meeting")


def find_item(work: TenantWork, ref: str) -> AgendaItem:
    _require_council_regime(work)
    return _find(AgendaItem, ref, "agenda_item")


def create_council(work: TenantWork, name: str, created_on, order_number=None, order_date=None) -> Council:
    _require_council_regime(work)
    name = _text(name, "name", 255, required=True)
    created_on = _as_date(created_on, "created")
    if created_on is None:
        raise InputError("the date of creation is required", field="created")
    in_force = work.regime.info.effective_from
    if in_force and created_on < in_force:
        # the regime's rules (and numbers) do not exist before it; such a council could
        # not be judged, and would break the tenant's whole compliance report
        raise InputError(f"before {work.regime.id} is in force ({in_force})", field="created")
    order_number = _text(order_number, "order_number", 63)
    order_date = _as_date(order_date, "order_date")
    council = Council(id=uuid.uuid4(), name=name, created_on=created_on,
                      order_number=order_number, order_date=order_date)
    db.session.add(council)
    db.session.flush()
    return council


def add_member(work: TenantWork, council_ref: str, person: str, role: str = "member",
               basis: str | None = None, attributes: dict | None = None) -> CouncilMember:
    """Add a member with a role and the ground of membership as the regime names it
    (its catalogue's ``council_bases``). The
    ground is recorded as given: whether it is a ground of the regime, and whether the
    person's attributes bear it out, is for the regime's council findings to say. A council
    has one chair."""
    if role not in ROLES:
        raise InputError(f"one of {', '.join(ROLES)}", field="role")
    council = find_council(work, council_ref, lock=True)  # serialises changes of its members
    row = find_person(work, person)
    basis = _text(basis, "basis", 63)
    if attributes is None:
        attributes = {}
    if not isinstance(attributes, dict):
        raise InputError("must be an object", field="attributes")
    if role == "chair":
        chair = db.session.scalar(sa.select(Person.number).join(
            CouncilMember, sa.and_(CouncilMember.tenant_id == Person.tenant_id,
                                   CouncilMember.person_id == Person.id))
            .where(CouncilMember.council_id == council.id, CouncilMember.role == "chair"))
        if chair is not None:
            raise InputError(f"the council already has a chair ({chair})", field="role")
    if db.session.scalar(sa.select(CouncilMember.id).where(
            CouncilMember.council_id == council.id, CouncilMember.person_id == row.id)):
        raise InputError(f"{row.number} is already a member of the council", field="person")
    member = CouncilMember(id=uuid.uuid4(), council_id=council.id, person_id=row.id, role=role,
                           basis=basis, attributes=attributes)
    db.session.add(member)
    db.session.flush()
    return member


def add_meeting(work: TenantWork, council_ref: str, date, present=()) -> Meeting:
    council = find_council(work, council_ref)
    date = _as_date(date, "date")
    if date is None or date < council.created_on:
        raise InputError(f"a date on or after the council's creation ({council.created_on})",
                         field="date")
    people = _present_members(work, council.id, present)  # checked before anything is written
    meeting = Meeting(id=uuid.uuid4(), council_id=council.id, date=date)
    db.session.add(meeting)
    db.session.flush()
    _write_attendance(meeting, people)
    return meeting


def _present_members(work: TenantWork, council_id, present) -> list:
    """Person ids of the members named in ``present``; a non-member is refused."""
    if isinstance(present, str):
        present = [present]
    members = set(db.session.scalars(sa.select(CouncilMember.person_id)
                                     .where(CouncilMember.council_id == council_id)))
    ids = []
    for number in dict.fromkeys(str(n).strip() for n in present or ()):
        person = find_person(work, number, "present")
        if person.id not in members:
            raise InputError(f"{number} is not a member of the council", field="present")
        ids.append(person.id)
    return ids


def _write_attendance(meeting: Meeting, person_ids) -> None:
    wanted = set(person_ids)
    current = {a.person_id: a for a in db.session.scalars(
        sa.select(Attendance).where(Attendance.meeting_id == meeting.id))}
    for pid, row in current.items():
        if pid not in wanted:
            db.session.delete(row)
    db.session.flush()
    for pid in person_ids:
        if pid not in current:
            db.session.add(Attendance(id=uuid.uuid4(), meeting_id=meeting.id, person_id=pid))
    db.session.flush()


def set_attendance(work: TenantWork, meeting_ref: str, present) -> Meeting:
    """Record who was present (replaces the earlier record); see ``change_attendance``."""
    return change_attendance(work, meeting_ref, present)["meeting"]


def change_attendance(work: TenantWork, meeting_ref: str, present) -> dict:
    """Record who was present (replaces the earlier record). A member now recorded absent
    cannot have voted: their votes at the meeting are dropped (only those present vote,
    p.21), and returned as ``dropped``: [{"person": number, "name", "item": title}]."""
    meeting = find_meeting(work, meeting_ref)
    people = _present_members(work, meeting.council_id, present)
    _write_attendance(meeting, people)
    gone = (sa.select(Vote, Person.number, Person.full_name, AgendaItem.title)
            .join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
            .join(Person, Person.id == Vote.person_id)
            .where(AgendaItem.meeting_id == meeting.id, Vote.person_id.not_in(people))
            .order_by(AgendaItem.position, Person.number))
    dropped = []
    for vote, number, name, title in db.session.execute(gone).all():
        dropped.append({"person": number, "name": name, "item": title})
        db.session.delete(vote)
    db.session.flush()
    return {"meeting": meeting, "dropped": dropped}


def add_item(work: TenantWork, meeting_ref: str, title: str, hearing: str | None = None) -> AgendaItem:
    """An agenda item; ``hearing`` names the mentorship whose reports it hears (p.6(4))."""
    meeting = find_meeting(work, meeting_ref)
    title = _text(title, "title", 500, required=True)
    hearing_id = find_mentorship(work, hearing).id if hearing else None
    position = (db.session.scalar(sa.select(sa.func.max(AgendaItem.position))
                                  .where(AgendaItem.meeting_id == meeting.id)) or 0) + 1
    item = AgendaItem(id=uuid.uuid4(), meeting_id=meeting.id, position=position,
                      title=title, hearing_id=hearing_id)
    db.session.add(item)
    db.session.flush()
    return item


def record_votes(work: TenantWork, item_ref: str, votes: dict) -> AgendaItem:
    """Votes on an agenda item, ``{personnel number: for | against | abstain}``; a member
    may vote only if present at the meeting. A vote given again replaces the earlier one.
    Every vote is checked before any is written."""
    item = find_item(work, item_ref)
    if not isinstance(votes, dict) or not votes:
        raise InputError("give at least one vote (person=for|against|abstain)", field="votes")
    present = set(db.session.scalars(sa.select(Attendance.person_id)
                                     .where(Attendance.meeting_id == item.meeting_id)))
    checked = []
    for number, vote in votes.items():
        if vote not in core.VOTES:
            raise InputError(f"one of {', '.join(core.VOTES)} ({vote!r} given)",
                             field=f"votes.{number}")
        person = find_person(work, number, f"votes.{number}")
        if person.id not in present:
            raise InputError(f"{number} is not recorded as present at the meeting",
                             field=f"votes.{number}")
        checked.append((person.id, vote))
    existing = {v.person_id: v for v in db.session.scalars(
        sa.select(Vote).where(Vote.agenda_item_id == item.id))}
    for pid, vote in checked:
        if pid in existing:
            existing[pid].vote = vote
        else:
            db.session.add(Vote(id=uuid.uuid4(), agenda_item_id=item.id, person_id=pid, vote=vote))
    db.session.flush()
    return item


def _core_council(case, council_id) -> core.Council:
    return next(c for c in case.councils if c.id == str(council_id))


def meeting_outcome(work: TenantWork, meeting_ref: str):
    """The regime's answer for a meeting: quorum, each item's decision, and findings."""
    meeting = find_meeting(work, meeting_ref)
    case = load_part((), {meeting.council_id})
    council = _core_council(case, meeting.council_id)
    core_meeting = next(m for m in council.meetings if m.id == str(meeting.id))
    return work.rules().outcome(council, core_meeting)


def outcome_json(outcome, core_meeting: core.Meeting, lang: str) -> dict:
    """A meeting's outcome with its items' titles, the explanation in ``lang`` and, for
    each finding, its paragraph and message in ``lang``."""
    data = outcome.to_json()
    data["date"] = core_meeting.date.isoformat()
    data["present_members"] = list(core_meeting.present)
    data["explanation"] = outcome.rule.render(outcome.facts, lang)
    items = []
    for n, it in enumerate(core_meeting.items, 1):
        decision = data["decisions"].get(it.id, {})
        items.append({"id": it.id, "position": n, "title": it.title, "hearing": it.hearing,
                      "votes": dict(sorted(it.votes.items())), **decision,
                      **{k: v for k, v in outcome.facts.get("items", {}).get(it.id, {}).items()
                         if k in ("majority_needed", "decided_by")}})
    data["items"] = items
    data["findings"] = [{**f.to_json(), "text": f.message(lang)} for f in outcome.findings]
    return data


def meeting_view(work: TenantWork, meeting_ref: str, lang: str | None = None) -> dict:
    """``meeting_outcome`` as JSON, with the items' titles and votes."""
    meeting = find_meeting(work, meeting_ref)
    case = load_part((), {meeting.council_id})
    council = _core_council(case, meeting.council_id)
    core_meeting = next(m for m in council.meetings if m.id == str(meeting.id))
    outcome = work.rules().outcome(council, core_meeting)
    return outcome_json(outcome, core_meeting, lang or work.lang)


def list_councils(work: TenantWork) -> list[Council]:
    _require_council_regime(work)
    return list(db.session.scalars(sa.select(Council).order_by(Council.created_on, Council.name)))


def council_view(work: TenantWork, council_ref: str, as_of: dt.date, lang: str | None = None) -> dict:
    """A council with its members, meetings and their outcomes, and the regime's findings
    and deadlines on it as of a date, as JSON."""
    lang = lang or work.lang
    council = find_council(work, council_ref)
    as_of = _as_date(as_of, "as_of") or dt.date.today()
    case = load_part((), {council.id})  # the council whole, with its members
    evaluation = work.rules().evaluate(case, as_of)
    cid = str(council.id)
    core_council = _core_council(case, cid)
    outcomes = {o.meeting: o for o in evaluation.outcomes if o.council == cid}
    mine = lambda subject: within(subject, cid)  # noqa: E731
    return {
        "id": cid, "name": council.name, "created_on": council.created_on.isoformat(),
        "order": {"number": council.order_number,
                  "date": council.order_date.isoformat() if council.order_date else None},
        "as_of": as_of.isoformat(),
        "members": [{"person": m.person, "name": case.people[m.person].name, "role": m.role,
                     "basis": m.basis, "attributes": m.attributes}
                    for m in sorted(core_council.members,
                                    key=lambda m: (ROLES.index(m.role), m.person))],
        "meetings": [{"id": m.id, "date": m.date.isoformat(), "present": list(m.present),
                      "outcome": outcome_json(outcomes[m.id], m, lang)}
                     for m in core_council.meetings],
        "findings": [{**f.to_json(), "text": f.message(lang)}
                     for f in evaluation.findings if mine(f.subject)],
        "deadlines": [{**d.to_json(as_of, evaluation.soon), "text": d.message(lang)}
                      for d in evaluation.deadlines if mine(d.subject)],
    }
