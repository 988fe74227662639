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
    numbers = {}
    people = _rows(sa.select(Person.id, Person.number, Person.full_name, Person.unit,
                             Person.position, Person.manager_id, Person.attributes))
    for pid, number, name, unit, position, _, attrs in people:
        numbers[pid] = number
    histories = _histories(numbers)
    for pid, number, name, unit, position, manager_id, attrs in people:
        case.people[number] = m.Person(number, name, unit, numbers.get(manager_id), position,
                                       attrs or {}, histories.get(pid, ()))
    assignments: dict = {}
    # attributes as text: most rows have none, and "{}" need not go through a JSON parser
    for row in _rows(sa.select(Assignment.mentorship_id, Assignment.mentor_id, Assignment.start,
                               Assignment.end, Assignment.end_reason, Assignment.order_number,
                               Assignment.order_date, Assignment.fallback,
                               sa.cast(Assignment.attributes, sa.Text))
                     .order_by(Assignment.mentorship_id, Assignment.start)):
        mid, mentor, start, end, reason, number, date, fallback, attrs = row
        order = m.Order(number, date) if number and date else None
        assignments.setdefault(mid, []).append(m.Assignment(
            numbers[mentor], start, end, reason, order, fallback, _attributes(attrs)))
    papers: dict = {}
    # attributes as text: most papers have none, and "{}" need not go through a JSON parser
    for mid, kind, done_on, approved_by, attributes in _rows(sa.select(
            Paper.mentorship_id, Paper.kind, Paper.done_on, Paper.approved_by,
            sa.cast(Paper.attributes, sa.Text))):
        papers.setdefault(mid, []).append(m.Paper(
            kind, done_on, approved_by,
            json.loads(attributes) if attributes and attributes not in ("{}", "null") else {}))
    for (mid, mentee_id, kind, start, joined_on, planned_end, term_months, ended_on, status,
         attrs) in _rows(sa.select(
            Mentorship.id, Mentorship.mentee_id, Mentorship.kind, Mentorship.start,
            Mentorship.joined_on, Mentorship.planned_end, Mentorship.term_months,
            Mentorship.ended_on, Mentorship.status, sa.cast(Mentorship.attributes, sa.Text))
            .order_by(Mentorship.start, Mentorship.id)):
        case.mentorships.append(m.Mentorship(
            id=str(mid), mentee=numbers[mentee_id], kind=kind, start=start,
            joined_on=joined_on, planned_end=planned_end, term_months=term_months,
            ended_on=ended_on, status=status, assignments=assignments.get(mid, []),
            papers=papers.get(mid, []), attributes=_attributes(attrs)))
    for person_id, start, end, valid, reason in _rows(sa.select(
            Absence.person_id, Absence.start, Absence.end, Absence.valid_reason, Absence.reason)):
        case.add_absence(m.Absence(numbers[person_id], start, end, valid, reason))
    if with_councils:
        case.councils = _councils(numbers)
    return case, numbers


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


def _councils(numbers) -> list[m.Council]:
    members: dict = {}
    for council_id, person_id, role, basis, attrs in _rows(sa.select(
            CouncilMember.council_id, CouncilMember.person_id, CouncilMember.role,
            CouncilMember.basis, CouncilMember.attributes)):
        members.setdefault(council_id, []).append(
            m.CouncilMember(numbers[person_id], role, basis, attrs or {}))
    present: dict = {}
    for meeting_id, person_id in _rows(sa.select(Attendance.meeting_id, Attendance.person_id)):
        present.setdefault(meeting_id, []).append(numbers[person_id])
    votes: dict = {}
    for item_id, person_id, vote in _rows(sa.select(Vote.agenda_item_id, Vote.person_id, Vote.vote)):
        votes.setdefault(item_id, {})[numbers[person_id]] = vote
    items: dict = {}
    for item_id, meeting_id, title, hearing_id in _rows(sa.select(
            AgendaItem.id, AgendaItem.meeting_id, AgendaItem.title, AgendaItem.hearing_id)
            .order_by(AgendaItem.position)):
        items.setdefault(meeting_id, []).append(m.AgendaItem(
            str(item_id), title, str(hearing_id) if hearing_id else None, votes.get(item_id, {})))
    meetings: dict = {}
    for meeting_id, council_id, date in _rows(sa.select(Meeting.id, Meeting.council_id,
                                                        Meeting.date).order_by(Meeting.date)):
        meetings.setdefault(council_id, []).append(m.Meeting(
            str(meeting_id), date, tuple(sorted(present.get(meeting_id, ()))),
            items.get(meeting_id, [])))
    out = []
    for row in _rows(sa.select(Council).order_by(Council.created_on)):
        c = row[0]
        order = m.Order(c.order_number, c.order_date) if c.order_number and c.order_date else None
        out.append(m.Council(str(c.id), c.created_on, order, members.get(c.id, []),
                             meetings.get(c.id, [])))
    return out
