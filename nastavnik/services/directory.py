"""Staff as pages show them: a page of people, the units to filter by, a person's
manager and their mentorships as mentee and as mentor. Read only; the tenancy layer
limits every query to the current tenant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from ..storage.models import Assignment, Mentorship, Person, db
from .people import find_person, list_people
from .unit import TenantWork


@dataclass
class PersonRow:
    """A person as plain data (safe to use after the unit of work has ended)."""

    id: str
    number: str
    full_name: str
    unit: str | None
    position: str | None
    hired_on: dt.date | None
    attributes: dict
    manager_number: str | None = None
    manager_name: str | None = None


@dataclass
class PeoplePage:
    people: list[PersonRow]
    has_next: bool


def _row(p: Person, manager: Person | None = None) -> PersonRow:
    return PersonRow(str(p.id), p.number, p.full_name, p.unit, p.position, p.hired_on,
                     dict(p.attributes or {}), manager.number if manager else None,
                     manager.full_name if manager else None)


@dataclass
class MentorPeriod:
    number: str
    name: str
    start: dt.date
    end: dt.date | None
    end_reason: str | None


@dataclass
class MentorshipRow:
    """A mentorship from one person's side: as mentee (with every mentor it had), or as
    mentor (with the mentee, and this person's own period in it)."""

    id: str
    status: str
    start: dt.date
    ended_on: dt.date | None
    planned_end: dt.date | None
    kind: str | None
    mentee_number: str | None = None
    mentee_name: str | None = None
    mentors: list[MentorPeriod] = field(default_factory=list)


def people_page(work: TenantWork, search: str | None = None, unit: str | None = None,
                page: int = 1, per_page: int = 50) -> PeoplePage:
    """One page of people by personnel number; ``search`` matches part of the name or the
    number, ``unit`` the unit exactly."""
    page = max(1, int(page))
    found = list_people(work, search=search or None, unit=unit or None, limit=per_page + 1,
                        offset=(page - 1) * per_page)
    return PeoplePage([_row(p) for p in found[:per_page]], has_next=len(found) > per_page)


def units(work: TenantWork) -> list[str]:
    """The units people are in, sorted."""
    return list(db.session.scalars(sa.select(Person.unit).where(Person.unit.is_not(None))
                                   .distinct().order_by(Person.unit)))


def person_card(work: TenantWork, number: str) -> PersonRow:
    """The person with this personnel number, with their manager; ``NotFound`` if none."""
    person = find_person(work, number)
    manager = (db.session.scalar(sa.select(Person).where(Person.id == person.manager_id))
               if person.manager_id else None)
    return _row(person, manager)


def mentorships_of(work: TenantWork, number: str) -> tuple[list[MentorshipRow], list[MentorshipRow]]:
    """The person's mentorships (as mentee, as mentor), latest first."""
    person = find_person(work, number)
    as_mentee = {}
    for m in db.session.scalars(sa.select(Mentorship).where(Mentorship.mentee_id == person.id)
                                .order_by(Mentorship.start.desc())):
        as_mentee[m.id] = MentorshipRow(str(m.id), m.status, m.start, m.ended_on, m.planned_end,
                                        m.kind, person.number, person.full_name)
    if as_mentee:
        mentor = aliased(Person)
        for a, number, name in db.session.execute(
                sa.select(Assignment, mentor.number, mentor.full_name)
                .join(mentor, sa.and_(mentor.tenant_id == Assignment.tenant_id,
                                      mentor.id == Assignment.mentor_id))
                .where(Assignment.mentorship_id.in_(list(as_mentee)))
                .order_by(Assignment.start)):
            as_mentee[a.mentorship_id].mentors.append(
                MentorPeriod(number, name, a.start, a.end, a.end_reason))
    mentee = aliased(Person)
    as_mentor = []
    for a, m, number, name in db.session.execute(
            sa.select(Assignment, Mentorship, mentee.number, mentee.full_name)
            .join(Mentorship, sa.and_(Mentorship.tenant_id == Assignment.tenant_id,
                                      Mentorship.id == Assignment.mentorship_id))
            .join(mentee, sa.and_(mentee.tenant_id == Mentorship.tenant_id,
                                  mentee.id == Mentorship.mentee_id))
            .where(Assignment.mentor_id == person.id)
            .order_by(Assignment.start.desc())):
        as_mentor.append(MentorshipRow(
            str(m.id), m.status, m.start, m.ended_on, m.planned_end, m.kind, number, name,
            [MentorPeriod(person.number, person.full_name, a.start, a.end, a.end_reason)]))
    return list(as_mentee.values()), as_mentor
