"""Mentorships: assign and replace mentors under the regime's rules, absences, papers,
closing. A refused assignment raises ``Refused`` with the findings and writes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa

from ..core import model as core
from ..core.errors import InputError, NotFound, Refused
from ..core.papers import CLOSING_REASON
from ..core.validation import optional_date as _as_date
from ..storage.case import load_case
from ..storage.models import Absence, Assignment, Mentorship, Paper, Person, db
from . import results
from .people import find_person
from .unit import TenantWork

ONE_DAY = dt.timedelta(days=1)


def find_mentorship(work: TenantWork, ref: str) -> Mentorship:
    """A mentorship by its id, a unique prefix of it (4+ characters), or the personnel
    number of its mentee (the latest mentorship)."""
    ref = str(ref).strip()
    try:
        found = db.session.scalar(sa.select(Mentorship).where(Mentorship.id == uuid.UUID(ref)))
    except ValueError:
        found = None
    if found is None and len(ref) >= 4 and all(c in "0123456789abcdef-" for c in ref.lower()):
        # prefixes are matched in Python: uuid columns differ between SQLite and PostgreSQL
        ids = [i for i in db.session.scalars(sa.select(Mentorship.id)) if str(i).startswith(ref.lower())]
        if len(ids) > 1:
            raise InputError(f"{ref!r} matches {len(ids)} mentorships; give more of the id",
                             field="mentorship")
        if ids:
            found = db.session.get(Mentorship, {"tenant_id": work.tenant.id, "id": ids[0]})
    if found is None:
        person = db.session.scalar(sa.select(Person).where(Person.number == ref))
        if person is not None:
            found = db.session.scalar(sa.select(Mentorship).where(Mentorship.mentee_id == person.id)
                                      .order_by(Mentorship.start.desc()).limit(1))
    if found is None:
        raise NotFound(f"no mentorship {ref!r}", field="mentorship")
    return found


def _lock_mentor(work: TenantWork, number: str, field: str = "mentor") -> Person:
    """The mentor's row, locked until commit (PostgreSQL); SQLite transactions are
    already serialised (BEGIN IMMEDIATE). Two assignments to one mentor cannot then both
    count the same load.

    FOR NO KEY UPDATE, not FOR UPDATE: it excludes another assignment to this mentor
    but not the foreign-key checks (FOR KEY SHARE) of rows that merely refer to this
    person, e.g. a mentorship naming them as mentee. With FOR UPDATE, two requests that
    each lock their mentor and then refer to the other's mentor deadlock."""
    person = db.session.scalar(sa.select(Person).where(Person.number == str(number))
                               .with_for_update(key_share=True))
    if person is None:
        raise NotFound(f"no person with personnel number {number!r}", field=field)
    return person


def _open_mentorship(mentee: Person) -> Mentorship | None:
    return db.session.scalar(sa.select(Mentorship).where(
        Mentorship.mentee_id == mentee.id, Mentorship.status == "open"))


def _current_assignment(m: Mentorship) -> Assignment | None:
    return db.session.scalar(sa.select(Assignment).where(
        Assignment.mentorship_id == m.id, Assignment.end.is_(None)))




def _facts(check, attributes, source: str) -> dict:
    """A record's regime facts, validated by ``check`` (the regime's validate_mentorship
    or validate_assignment): a copy, nothing else kept."""
    attributes = {} if attributes is None else attributes
    check(attributes, source=source)
    return dict(attributes)


def assign_mentor(work: TenantWork, mentee: str, mentor: str, on, *, order_number=None,
                  order_date=None, joined_on=None, term_months=None, planned_end=None,
                  kind=None, attributes=None, assignment_attributes=None):
    """Open a mentorship for ``mentee`` with ``mentor`` from ``on``, if the regime allows.

    ``attributes`` are the mentorship's facts under the regime's mentorship schema,
    ``assignment_attributes`` the first assignment's under its assignment schema.
    Coverage, eligibility and capacity run through the tenant's regime; any violation
    refuses the assignment (``Refused`` with the findings). The exception to the mentor
    requirements (civil service p.8: the direct manager when nobody is eligible) is
    allowed only when it applies, and is recorded on the assignment."""
    on = _as_date(on, "on")
    if on is None:
        raise InputError("the first day of the assignment is required", field="on")
    attributes = _facts(work.regime.validate_mentorship, attributes, "mentorship attributes")
    assignment_attributes = _facts(work.regime.validate_assignment, assignment_attributes,
                                   "assignment attributes")
    mentor_row = _lock_mentor(work, mentor)
    mentee_row = find_person(work, mentee, "mentee")
    if mentor_row.id == mentee_row.id:
        raise InputError("a person cannot mentor themselves", field="mentor")
    running = _open_mentorship(mentee_row)
    if running is not None:
        raise InputError(f"{mentee} already has an open mentorship from {running.start} "
                         f"({running.id}); replace its mentor instead", field="mentee")
    if term_months is not None and (not isinstance(term_months, int) or term_months < 1):
        raise InputError("a whole number of months, at least 1", field="term_months")
    planned = core.Mentorship(
        id="planned", mentee=mentee_row.number, kind=kind, start=on,
        joined_on=_as_date(joined_on, "joined_on"), planned_end=_as_date(planned_end, "planned_end"),
        term_months=term_months, attributes=attributes)
    if planned.planned_end is not None and planned.planned_end < on:
        raise InputError("ends before it starts", field="planned_end")
    check = _may_assign(work, mentor_row, mentee_row, on, kind, planned)
    if not check.allowed:
        raise Refused(f"{mentor_row.number} may not mentor {mentee_row.number} from {on}",
                      check.findings)
    mentorship = Mentorship(id=uuid.uuid4(), mentee_id=mentee_row.id, kind=kind or check.kind,
                            start=on, joined_on=planned.joined_on, planned_end=planned.planned_end,
                            term_months=term_months, status="open", attributes=attributes)
    db.session.add(mentorship)
    db.session.flush()
    db.session.add(Assignment(mentorship_id=mentorship.id, mentor_id=mentor_row.id, start=on,
                              order_number=order_number, order_date=_as_date(order_date, "order_date"),
                              fallback=check.fallback, attributes=assignment_attributes))
    db.session.flush()
    return mentorship, check


def _may_assign(work: TenantWork, mentor: Person, mentee: Person, on, kind, planned=None):
    """The rules' answer on the part of the tenant it needs (services.results)."""
    db.session.flush()
    engine = work.rules()
    case = results.assignment_case(mentee.id, [mentor.id])
    check = engine.may_assign(case, mentor.number, mentee.number, on, kind, planned)
    if results.needs_whole_tenant(engine):
        check = work.rules().may_assign(load_case(with_councils=False)[0], mentor.number,
                                        mentee.number, on, kind, planned)
    return check


def _last_assignment(m: Mentorship) -> Assignment | None:
    return db.session.scalar(sa.select(Assignment).where(Assignment.mentorship_id == m.id)
                             .order_by(Assignment.start.desc()).limit(1))


def release_mentor(work: TenantWork, ref: str, on, reason: str) -> Mentorship:
    """The current mentor's assignment ends on ``on`` (dismissed, transferred, gone
    absent...) for ``reason``, before any successor is named: the regime's replacement
    deadline runs from that day (prosecutor p.12, civil service p.11)."""
    on = _as_date(on, "on")
    if on is None:
        raise InputError("the last day of the mentor is required", field="on")
    work.regime.check_code(reason, "end_reasons", "reason")
    m = find_mentorship(work, ref)
    if m.status != "open":
        raise InputError("the mentorship is closed", field="mentorship")
    current = _current_assignment(m)
    if current is None:
        raise InputError("the mentorship has no current mentor", field="mentorship")
    if on < current.start:
        raise InputError(f"before the current assignment's start ({current.start})", field="on")
    current.end, current.end_reason = on, reason
    db.session.flush()
    return m


def replace_mentor(work: TenantWork, ref: str, mentor: str, on, reason: str | None = None, *,
                   released_on=None, order_number=None, order_date=None, attributes=None):
    """The new mentor's assignment starts on ``on`` with ``attributes`` (the regime's
    assignment schema). A current mentor is released on ``released_on`` (the day before
    ``on`` when not given) for ``reason``; a mentor already released (release_mentor)
    stays released as recorded. The mentorship's term does not change."""
    on = _as_date(on, "on")
    if on is None:
        raise InputError("the first day of the new mentor is required", field="on")
    released_on = _as_date(released_on, "released_on")
    if reason is not None:
        work.regime.check_code(reason, "end_reasons", "reason")
    attributes = _facts(work.regime.validate_assignment, attributes, "assignment attributes")
    new_mentor = _lock_mentor(work, mentor)
    m = find_mentorship(work, ref)
    if m.status != "open":
        raise InputError("the mentorship is closed", field="mentorship")
    current = _current_assignment(m)
    if current is not None:
        if reason is None:
            raise InputError("why the current mentor's assignment ends is required",
                             field="reason")
        if released_on is None and on <= current.start:
            raise InputError(f"must be after the current assignment's start ({current.start})",
                             field="on")
        released = on - ONE_DAY if released_on is None else released_on
        if released < current.start:
            raise InputError(f"before the current assignment's start ({current.start})",
                             field="released_on")
        if released >= on:
            raise InputError("the mentor is released before the new one starts",
                             field="released_on")
        if new_mentor.id == current.mentor_id:
            raise InputError("that person is already the mentor", field="mentor")
    else:
        last = _last_assignment(m)
        if last is None:
            raise InputError("the mentorship has no mentor to replace", field="mentorship")
        if released_on not in (None, last.end) or reason not in (None, last.end_reason):
            raise InputError(f"the mentor was already released on {last.end}",
                             field="released_on" if released_on not in (None, last.end)
                             else "reason")
        if on <= last.end:
            raise InputError(f"must be after the previous mentor's release ({last.end})",
                             field="on")
    if new_mentor.id == m.mentee_id:
        raise InputError("a person cannot mentor themselves", field="mentor")
    mentee = db.session.get(Person, {"tenant_id": work.tenant.id, "id": m.mentee_id})
    check = _may_assign(work, new_mentor, mentee, on, m.kind)
    if not check.allowed:
        raise Refused(f"{new_mentor.number} may not mentor {mentee.number} from {on}", check.findings)
    if current is not None:
        current.end, current.end_reason = released, reason
    db.session.add(Assignment(mentorship_id=m.id, mentor_id=new_mentor.id, start=on,
                              order_number=order_number, order_date=_as_date(order_date, "order_date"),
                              fallback=check.fallback, attributes=attributes))
    db.session.flush()
    return m, check


def close_mentorship(work: TenantWork, ref: str, on) -> Mentorship:
    on = _as_date(on, "on")
    if on is None:
        raise InputError("the last day of the mentorship is required", field="on")
    m = find_mentorship(work, ref)
    if m.status != "open":
        raise InputError("the mentorship is already closed", field="mentorship")
    if on < m.start:
        raise InputError(f"before the mentorship's start ({m.start})", field="on")
    current = _current_assignment(m)
    if current is not None:
        if on < current.start:
            raise InputError(f"before the current assignment's start ({current.start})", field="on")
        current.end, current.end_reason = on, CLOSING_REASON
    else:  # the mentor was released and nobody named since
        last = _last_assignment(m)
        if last is not None and last.end is not None and on < last.end:
            raise InputError(f"before the mentor's release ({last.end})", field="on")
    m.ended_on, m.status = on, "closed"
    db.session.flush()
    return m


def record_absence(work: TenantWork, person: str, start, end, valid_reason: bool = True,
                   reason: str = "") -> Absence:
    start, end = _as_date(start, "from"), _as_date(end, "to")
    if start is None or end is None:
        raise InputError("both the first and the last day are required", field="from")
    if end < start:
        raise InputError("ends before it starts", field="to")
    row = find_person(work, person)
    absence = Absence(person_id=row.id, start=start, end=end, valid_reason=bool(valid_reason),
                      reason=reason or "")
    db.session.add(absence)
    db.session.flush()
    return absence


def record_paper(work: TenantWork, ref: str, kind: str, done_on, approved_by: str | None = None,
                 attributes: dict | None = None) -> Paper:
    """``kind`` is one of the papers the tenant's regime records (``Regime.paper_kinds``);
    ``attributes`` are valid against that paper's fields."""
    attributes = work.regime.validate_paper(kind, attributes)
    done_on = _as_date(done_on, "done")
    m = find_mentorship(work, ref)
    if done_on is not None and done_on < m.start - dt.timedelta(days=31):
        raise InputError(f"long before the mentorship's start ({m.start})", field="done")
    paper = db.session.scalar(sa.select(Paper).where(Paper.mentorship_id == m.id, Paper.kind == kind))
    if paper is None:
        paper = Paper(mentorship_id=m.id, kind=kind)
        db.session.add(paper)
    paper.done_on, paper.approved_by, paper.attributes = done_on, approved_by, attributes
    db.session.flush()
    return paper


def assignments_of(m: Mentorship) -> list[Assignment]:
    return list(db.session.scalars(sa.select(Assignment).where(Assignment.mentorship_id == m.id)
                                   .order_by(Assignment.start)))


def papers_of(m: Mentorship) -> list[Paper]:
    return list(db.session.scalars(sa.select(Paper).where(Paper.mentorship_id == m.id)
                                   .order_by(Paper.kind)))


def list_mentorships(work: TenantWork, status: str | None = None) -> list[Mentorship]:
    q = sa.select(Mentorship).order_by(Mentorship.start)
    if status:
        q = q.where(Mentorship.status == status)
    return list(db.session.scalars(q))
