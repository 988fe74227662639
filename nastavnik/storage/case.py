"""A tenant's rows as the core's ``Case``: one query per table, no per-row queries.

People are known to the rules by their personnel number (what findings show a person);
mentorships and councils by their id.
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from ..core import model as m
from ..core.heap import cyclic_gc_paused
from .models import (Absence, AgendaItem, Assignment, Attendance, Council, CouncilMember,
                     Meeting, Mentorship, Paper, Person, PersonVersion, Vote, db)


def _rows(statement):
    return db.session.execute(statement).all()


def _attributes(text) -> dict:
    return json.loads(text) if text and text not in ("{}", "null") else {}


def load_case(with_councils: bool = True) -> tuple[m.Case, dict]:
    """The current tenant's data, and ``numbers``: person uuid -> personnel number."""
    with cyclic_gc_paused():
        return _load_case(with_councils)


def _load_case(with_councils: bool) -> tuple[m.Case, dict]:
    case = m.Case()
    numbers = _people(case, _rows(sa.select(*_PERSON).where(_ALL)))
    _mentorships(case, numbers, _ALL)
    _absences(case, numbers, _ALL)
    if with_councils:
        case.councils = _councils(numbers)
    return case, numbers


_ALL = sa.true()
_PERSON = (Person.id, Person.number, Person.full_name, Person.unit, Person.position,
           Person.manager_id, Person.attributes)


def load_part(mentorships, councils=(), people=()) -> m.Case:
    """Part of the current tenant's data: the mentorships given (uuids) with their
    assignments and papers; the councils given whole; of the other councils, the meetings
    that heard one of those mentorships, with only those agenda items; the people any of
    it names (and their managers, and ``people``), with their absences.

    Enough to evaluate those mentorships and councils as a whole case would, except for a
    rule that reads beyond them (a search of the whole staff): its caller must look."""
    with cyclic_gc_paused():
        mentorships, councils = set(mentorships), set(councils)
        wanted = set(people)
        rows = _rows(sa.select(Mentorship.mentee_id).where(Mentorship.id.in_(mentorships)))
        wanted.update(r[0] for r in rows)
        wanted.update(r[0] for r in _rows(sa.select(Assignment.mentor_id)
                                          .where(Assignment.mentorship_id.in_(mentorships))))
        meetings = _hearing_meetings(mentorships, councils)
        council_ids = councils | {c for c, _ in meetings.values()}
        wanted.update(r[0] for r in _rows(sa.select(CouncilMember.person_id)
                                          .where(CouncilMember.council_id.in_(council_ids))))
        wanted.update(r[0] for r in _rows(sa.select(Attendance.person_id)
                                          .where(Attendance.meeting_id.in_(meetings))))
        people_rows = _rows(sa.select(*_PERSON).where(Person.id.in_(wanted)))
        managers = {r[5] for r in people_rows if r[5] is not None}
        managers.update(r[0] for r in _rows(sa.select(PersonVersion.manager_id).where(
            PersonVersion.person_id.in_(wanted), PersonVersion.manager_id.is_not(None))))
        managers -= wanted
        if managers:
            people_rows += _rows(sa.select(*_PERSON).where(Person.id.in_(managers)))
        case = m.Case()
        numbers = _people(case, people_rows)
        _mentorships(case, numbers, Mentorship.id.in_(mentorships),
                     Assignment.mentorship_id.in_(mentorships), Paper.mentorship_id.in_(mentorships))
        _absences(case, numbers, Absence.person_id.in_(numbers))
        case.councils = _councils(numbers, councils, meetings) if council_ids else []
        case.pool = _complete(numbers, mentorships)
        return case


def _complete(numbers: dict, mentorships: set) -> set:
    """The numbers of the people all of whose assignments as mentor are in
    ``mentorships``: whose load the part knows."""
    a = Assignment
    elsewhere = _rows(sa.select(a.mentor_id).where(a.mentor_id.in_(numbers),
                                                   a.mentorship_id.not_in(mentorships))
                      .distinct())
    partial = {r[0] for r in elsewhere}
    return {number for pid, number in numbers.items() if pid not in partial}


def _hearing_meetings(mentorships: set, councils: set) -> dict:
    """Meeting uuid -> (council uuid, the agenda items to load: None for all) for the
    meetings of ``councils`` and those that heard one of ``mentorships``."""
    out: dict = {mid: (cid, None) for mid, cid in _rows(
        sa.select(Meeting.id, Meeting.council_id).where(Meeting.council_id.in_(councils)))}
    for item_id, meeting_id, council_id in _rows(
            sa.select(AgendaItem.id, AgendaItem.meeting_id, Meeting.council_id)
            .join(Meeting, sa.and_(Meeting.tenant_id == AgendaItem.tenant_id,
                                   Meeting.id == AgendaItem.meeting_id))
            .where(AgendaItem.hearing_id.in_(mentorships))):
        if council_id not in councils:
            out.setdefault(meeting_id, (council_id, set()))[1].add(item_id)
    return out


def _people(case: m.Case, rows) -> dict:
    numbers = {pid: number for pid, number, *_ in rows}
    histories = _histories(numbers)
    for pid, number, name, unit, position, manager_id, attrs in rows:
        case.people[number] = m.Person(number, name, unit, numbers.get(manager_id), position,
                                       attrs or {}, histories.get(pid, ()))
    return numbers


def _mentorships(case: m.Case, numbers: dict, where, assignments_where=_ALL,
                 papers_where=_ALL) -> None:
    assignments: dict = {}
    # attributes as text: most rows have none, and "{}" need not go through a JSON parser
    for row in _rows(sa.select(Assignment.mentorship_id, Assignment.mentor_id, Assignment.start,
                               Assignment.end, Assignment.end_reason, Assignment.order_number,
                               Assignment.order_date, Assignment.fallback,
                               sa.cast(Assignment.attributes, sa.Text))
                     .where(assignments_where)
                     .order_by(Assignment.mentorship_id, Assignment.start)):
        mid, mentor, start, end, reason, number, date, fallback, attrs = row
        order = m.Order(number, date) if number and date else None
        assignments.setdefault(mid, []).append(m.Assignment(
            numbers[mentor], start, end, reason, order, fallback, _attributes(attrs)))
    papers: dict = {}
    # attributes as text: most papers have none, and "{}" need not go through a JSON parser
    for mid, kind, done_on, approved_by, attributes in _rows(sa.select(
            Paper.mentorship_id, Paper.kind, Paper.done_on, Paper.approved_by,
            sa.cast(Paper.attributes, sa.Text)).where(papers_where)):
        papers.setdefault(mid, []).append(m.Paper(
            kind, done_on, approved_by,
            json.loads(attributes) if attributes and attributes not in ("{}", "null") else {}))
    for (mid, mentee_id, kind, start, joined_on, planned_end, term_months, ended_on, status,
         attrs) in _rows(sa.select(
            Mentorship.id, Mentorship.mentee_id, Mentorship.kind, Mentorship.start,
            Mentorship.joined_on, Mentorship.planned_end, Mentorship.term_months,
            Mentorship.ended_on, Mentorship.status, sa.cast(Mentorship.attributes, sa.Text))
            .where(where).order_by(Mentorship.start, Mentorship.id)):
        case.mentorships.append(m.Mentorship(
            id=str(mid), mentee=numbers[mentee_id], kind=kind, start=start,
            joined_on=joined_on, planned_end=planned_end, term_months=term_months,
            ended_on=ended_on, status=status, assignments=assignments.get(mid, []),
            papers=papers.get(mid, []), attributes=_attributes(attrs)))


def _absences(case: m.Case, numbers: dict, where) -> None:
    for person_id, start, end, valid, reason in _rows(sa.select(
            Absence.person_id, Absence.start, Absence.end, Absence.valid_reason,
            Absence.reason).where(where)):
        case.add_absence(m.Absence(numbers[person_id], start, end, valid, reason))


def _histories(numbers) -> dict:
    """Person uuid -> their versions, oldest first: one query, for the people with more
    than one (a person with one version is their person row)."""
    v = PersonVersion
    several = (sa.select(v.person_id).group_by(v.tenant_id, v.person_id)
               .having(sa.func.count() > 1))
    out: dict = {}
    for pid, valid_from, unit, position, manager_id, attrs in _rows(
            sa.select(v.person_id, v.valid_from, v.unit, v.position, v.manager_id, v.attributes)
            .where(v.person_id.in_(several)).order_by(v.person_id, v.valid_from)):
        out.setdefault(pid, []).append(m.PersonVersion(valid_from, unit, numbers.get(manager_id),
                                                       position, attrs or {}))
    return {pid: tuple(versions) for pid, versions in out.items()}


def _councils(numbers, whole=None, meetings=None) -> list[m.Council]:
    """Every council, or (``meetings`` given, see _hearing_meetings) the councils of those
    meetings with those meetings only: whole for those in ``whole``."""
    if meetings is None:
        council_filter = meeting_filter = item_filter = _ALL
    else:
        council_ids = set(whole) | {c for c, _ in meetings.values()}
        partial = {i for _, items in meetings.values() if items for i in items}
        council_filter = Council.id.in_(council_ids)
        meeting_filter = Meeting.id.in_(meetings)
        item_filter = sa.or_(AgendaItem.id.in_(partial), AgendaItem.meeting_id.in_(
            [mid for mid, (_, items) in meetings.items() if items is None]))
    members: dict = {}
    for council_id, person_id, role, basis, attrs in _rows(sa.select(
            CouncilMember.council_id, CouncilMember.person_id, CouncilMember.role,
            CouncilMember.basis, CouncilMember.attributes)
            .where(sa.true() if meetings is None else CouncilMember.council_id.in_(council_ids))):
        members.setdefault(council_id, []).append(
            m.CouncilMember(numbers[person_id], role, basis, attrs or {}))
    present: dict = {}
    for meeting_id, person_id in _rows(sa.select(Attendance.meeting_id, Attendance.person_id)
                                       .where(sa.true() if meetings is None
                                              else Attendance.meeting_id.in_(meetings))):
        present.setdefault(meeting_id, []).append(numbers[person_id])
    items: dict = {}
    item_rows = _rows(sa.select(AgendaItem.id, AgendaItem.meeting_id, AgendaItem.title,
                                AgendaItem.hearing_id).where(item_filter)
                      .order_by(AgendaItem.position, AgendaItem.id))
    votes: dict = {}
    vote_filter = (sa.true() if meetings is None
                   else Vote.agenda_item_id.in_([r[0] for r in item_rows]))
    for item_id, person_id, vote in _rows(sa.select(Vote.agenda_item_id, Vote.person_id,
                                                    Vote.vote).where(vote_filter)):
        votes.setdefault(item_id, {})[numbers.get(person_id, str(person_id))] = vote
    for item_id, meeting_id, title, hearing_id in item_rows:
        items.setdefault(meeting_id, []).append(m.AgendaItem(
            str(item_id), title, str(hearing_id) if hearing_id else None, votes.get(item_id, {})))
    by_council: dict = {}
    for meeting_id, council_id, date in _rows(sa.select(Meeting.id, Meeting.council_id,
                                                        Meeting.date).where(meeting_filter)
                                              .order_by(Meeting.date, Meeting.id)):
        by_council.setdefault(council_id, []).append(m.Meeting(
            str(meeting_id), date, tuple(sorted(present.get(meeting_id, ()))),
            items.get(meeting_id, [])))
    out = []
    for row in _rows(sa.select(Council).where(council_filter).order_by(Council.created_on)):
        c = row[0]
        order = m.Order(c.order_number, c.order_date) if c.order_number and c.order_date else None
        out.append(m.Council(str(c.id), c.created_on, order, members.get(c.id, []),
                             by_council.get(c.id, [])))
    return out
