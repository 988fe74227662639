"""The council of mentors: composition, meetings, attendance, agenda, votes, and the
decision with its explanation, all from the tenant's regime."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa

from ..core import model as core
from ..core.errors import InputError, NotFound
from ..storage.case import load_case
from ..storage.models import (AgendaItem, Attendance, Council, CouncilMember, Meeting, Vote, db)
from .mentorships import _as_date, find_mentorship
from .people import find_person
from .unit import TenantWork

ROLES = ("chair", "deputy_chair", "secretary", "member")


def _require_council_regime(work: TenantWork) -> None:
    if not work.regime.info.has_council:
        raise InputError(f"regime {work.regime.id} has no council of mentors", field="council")


def _find(model, ref: str, what: str):
    ref = str(ref).strip()
    try:
        row = db.session.scalar(sa.select(model).where(model.id == uuid.UUID(ref)))
    except ValueError:
        row = None
    if row is None and len(ref) >= 4:
        ids = [i for i in db.session.scalars(sa.select(model.id)) if str(i).startswith(ref.lower())]
        if len(ids) == 1:
            row = db.session.scalar(sa.select(model).where(model.id == ids[0]))
        elif len(ids) > 1:
            raise InputError(f"{ref!r} matches {len(ids)} {what}s; give more of the id", field=what)
    if row is None:
        raise NotFound(f"no {what} {ref!r}", field=what)
    return row


def find_council(work, ref):
    return _find(Council, ref, "council")


def find_meeting(work, ref):
    return _find(Meeting, ref, "meeting")


def find_item(work, ref):
    return _find(AgendaItem, ref, "agenda_item")


def create_council(work: TenantWork, name: str, created_on, order_number=None, order_date=None) -> Council:
    _require_council_regime(work)
    if not (name or "").strip():
        raise InputError("a name is required", field="name")
    council = Council(id=uuid.uuid4(), name=name.strip(), created_on=_as_date(created_on, "created"),
                      order_number=order_number, order_date=_as_date(order_date, "order_date"))
    if council.created_on is None:
        raise InputError("the date of creation is required", field="created")
    db.session.add(council)
    db.session.flush()
    return council


def add_member(work: TenantWork, council_ref: str, person: str, role: str = "member",
               basis: str | None = None, attributes: dict | None = None) -> CouncilMember:
    if role not in ROLES:
        raise InputError(f"one of {', '.join(ROLES)}", field="role")
    council = find_council(work, council_ref)
    row = find_person(work, person)
    if role == "chair" and db.session.scalar(sa.select(CouncilMember.id).where(
            CouncilMember.council_id == council.id, CouncilMember.role == "chair")):
        raise InputError("the council already has a chair", field="role")
    if db.session.scalar(sa.select(CouncilMember.id).where(
            CouncilMember.council_id == council.id, CouncilMember.person_id == row.id)):
        raise InputError(f"{person} is already a member", field="person")
    member = CouncilMember(council_id=council.id, person_id=row.id, role=role, basis=basis,
                           attributes=attributes or {})
    db.session.add(member)
    db.session.flush()
    return member


def add_meeting(work: TenantWork, council_ref: str, date, present=()) -> Meeting:
    council = find_council(work, council_ref)
    date = _as_date(date, "date")
    if date is None or date < council.created_on:
        raise InputError(f"a date on or after the council's creation ({council.created_on})",
                         field="date")
    meeting = Meeting(id=uuid.uuid4(), council_id=council.id, date=date)
    db.session.add(meeting)
    db.session.flush()
    set_attendance(work, str(meeting.id), present)
    return meeting


def set_attendance(work: TenantWork, meeting_ref: str, present) -> Meeting:
    meeting = find_meeting(work, meeting_ref)
    members = set(db.session.scalars(sa.select(CouncilMember.person_id)
                                     .where(CouncilMember.council_id == meeting.council_id)))
    rows = []
    for number in dict.fromkeys(present or ()):
        person = find_person(work, number, "present")
        if person.id not in members:
            raise InputError(f"{number} is not a member of the council", field="present")
        rows.append(person.id)
    for old in db.session.scalars(sa.select(Attendance).where(Attendance.meeting_id == meeting.id)):
        db.session.delete(old)
    db.session.flush()
    for pid in rows:
        db.session.add(Attendance(meeting_id=meeting.id, person_id=pid))
    db.session.flush()
    return meeting


def add_item(work: TenantWork, meeting_ref: str, title: str, hearing: str | None = None) -> AgendaItem:
    meeting = find_meeting(work, meeting_ref)
    if not (title or "").strip():
        raise InputError("a title is required", field="title")
    hearing_id = find_mentorship(work, hearing).id if hearing else None
    position = (db.session.scalar(sa.select(sa.func.max(AgendaItem.position))
                                  .where(AgendaItem.meeting_id == meeting.id)) or 0) + 1
    item = AgendaItem(id=uuid.uuid4(), meeting_id=meeting.id, position=position,
                      title=title.strip(), hearing_id=hearing_id)
    db.session.add(item)
    db.session.flush()
    return item


def record_votes(work: TenantWork, item_ref: str, votes: dict) -> AgendaItem:
    """Votes on an agenda item, ``{personnel number: for | against | abstain}``; a member
    may vote only if present at the meeting. A vote given again replaces the earlier one."""
    item = find_item(work, item_ref)
    meeting = db.session.get(Meeting, {"tenant_id": item.tenant_id, "id": item.meeting_id})
    present = set(db.session.scalars(sa.select(Attendance.person_id)
                                     .where(Attendance.meeting_id == meeting.id)))
    for number, vote in votes.items():
        if vote not in core.VOTES:
            raise InputError(f"one of {', '.join(core.VOTES)}", field=f"votes.{number}")
        person = find_person(work, number, f"votes.{number}")
        if person.id not in present:
            raise InputError(f"{number} is not recorded as present at the meeting",
                             field=f"votes.{number}")
        row = db.session.scalar(sa.select(Vote).where(Vote.agenda_item_id == item.id,
                                                      Vote.person_id == person.id))
        if row is None:
            db.session.add(Vote(agenda_item_id=item.id, person_id=person.id, vote=vote))
        else:
            row.vote = vote
    db.session.flush()
    return item


def meeting_outcome(work: TenantWork, meeting_ref: str):
    """The regime's answer for a meeting: quorum, each item's decision, and findings."""
    _require_council_regime(work)
    meeting = find_meeting(work, meeting_ref)
    case, _ = load_case()
    council = next(c for c in case.councils if c.id == str(meeting.council_id))
    core_meeting = next(m for m in council.meetings if m.id == str(meeting.id))
    return work.rules().outcome(council, core_meeting)


def list_councils(work: TenantWork) -> list[Council]:
    return list(db.session.scalars(sa.select(Council).order_by(Council.created_on)))


def council_view(work: TenantWork, council_ref: str, as_of: dt.date) -> dict:
    """A council with its members, meetings, outcomes and the regime's findings."""
    _require_council_regime(work)
    council = find_council(work, council_ref)
    case, _ = load_case()
    evaluation = work.rules().evaluate(case, as_of)
    cid = str(council.id)
    core_council = next(c for c in case.councils if c.id == cid)
    meeting_ids = {m.id for m in core_council.meetings}
    return {
        "id": cid, "name": council.name, "created_on": council.created_on.isoformat(),
        "members": [{"person": m.person, "role": m.role, "basis": m.basis}
                    for m in core_council.members],
        "outcomes": [o.to_json() for o in evaluation.outcomes if o.council == cid],
        "findings": [f for f in evaluation.findings
                     if f.subject.split("/")[0] in ({cid} | meeting_ids)],
        "deadlines": [d for d in evaluation.deadlines if d.subject.split("/")[0] in ({cid} | meeting_ids)],
    }
