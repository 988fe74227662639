"""What every regime shares: people, mentorships, assignments, absences, papers, councils.

Plain slotted dataclasses: rules read them millions of times in a sweep. Storage (later)
maps rows to these; scenarios build them from YAML. A ``Case`` is one tenant's data as
of a date: what the rules run on.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field

VOTES = ("for", "against", "abstain")


@dataclass(slots=True)
class PersonVersion:
    """A person's facts as they hold from ``valid_from`` until the next version."""

    valid_from: dt.date  # the day these facts hold from
    unit: str | None = None  # the unit from that day
    manager: str | None = None  # the direct manager's person id
    position: str | None = None  # the position from that day
    attributes: dict = field(default_factory=dict)  # the regime's person facts from that day


@dataclass(slots=True)
class Person:
    """A person's current facts, and ``history``: their dated versions, oldest first
    (empty when only the current facts are known). The current fields are the latest
    version's."""

    id: str  # the personnel number
    name: str = ""  # full name
    unit: str | None = None  # the structural unit, as it stands now
    manager: str | None = None  # the direct manager's person id
    position: str | None = None  # the position held now
    attributes: dict = field(default_factory=dict)  # facts of the regime's person_schema, as they stand now
    history: tuple = ()  # PersonVersion, by valid_from
    _views: list | None = field(default=None, init=False, repr=False, compare=False)
    _starts: list | None = field(default=None, init=False, repr=False, compare=False)

    def on(self, day: dt.date) -> Person:
        """The person as they stood on ``day``: the version with the latest valid_from
        on or before it. Before the first version, the first one: what was recorded
        first is the nearest evidence of earlier days (a body's records usually begin
        after a person's hire, and the rules must still judge their earlier days)."""
        history = self.history
        if len(history) < 2:
            return self
        starts = self._starts
        if starts is None:
            self._share()
            starts = self._starts
        n = bisect_right(starts, day) - 1
        return self._views[n if n > 0 else 0]

    def _share(self) -> None:
        """Build a Person per version; they share the history (and these lists), so a
        dated person dated again is dated right."""
        history = self.history
        starts = [v.valid_from for v in history]
        views = [Person(self.id, self.name, v.unit, v.manager, v.position, v.attributes, history)
                 for v in history]
        for view in views:
            view._views, view._starts = views, starts
        self._views, self._starts = views, starts


@dataclass(slots=True)
class Order:
    """An order (prikaz) of the head of the body: number and date."""

    number: str  # as written, e.g. "140-л"
    date: dt.date  # the day it was signed


@dataclass(slots=True)
class Assignment:
    """A mentor assigned within a mentorship, from ``start`` to ``end`` (inclusive)."""

    mentor: str  # the mentor's person id
    start: dt.date  # the first day as mentor
    end: dt.date | None = None  # the last day as mentor (inclusive), None while it lasts
    end_reason: str | None = None  # why it ended: one of the regime's end_reasons
    order: Order | None = None  # the order of the head that assigned the mentor
    fallback: bool = False  # assigned under an exception rule (e.g. CS p.8 direct manager)
    attributes: dict = field(default_factory=dict)  # the regime's assignment schema


@dataclass(slots=True)
class Absence:
    person: str  # the absent person's id
    start: dt.date  # the first day of absence
    end: dt.date  # the last day of absence (inclusive)
    valid_reason: bool = True  # absent for a valid reason (illness, leave...)
    reason: str = ""  # what the absence was, as recorded

    @property
    def days(self) -> int:
        """Calendar days of the absence, both ends counted."""
        return (self.end - self.start).days + 1


@dataclass(slots=True)
class Paper:
    """A paper recorded as done; ``kind`` is one of the regime's (its catalogue), and
    ``attributes`` what the paper carries, valid against the kind's ``fields`` schema."""

    kind: str  # one of the regime's paper kinds
    done_on: dt.date | None = None  # the day it was done (approved, submitted)
    approved_by: str | None = None  # who approved it, as recorded
    attributes: dict = field(default_factory=dict)  # its fields, as the paper's schema in the regime's catalogue says


@dataclass(slots=True)
class Mentorship:
    id: str  # the mentorship id
    mentee: str  # the mentee's person id
    kind: str | None  # the kind of mentee, as the regime names it
    start: dt.date  # the first day of the mentorship
    joined_on: dt.date | None = None  # the day the mentee joined the body
    planned_end: dt.date | None = None  # as stated by the order, if any
    term_months: int | None = None  # as stated by the order, if the regime leaves a choice
    ended_on: dt.date | None = None  # the last day, once closed
    status: str = "open"  # open | closed
    assignments: list[Assignment] = field(default_factory=list)  # the mentors, one at a time, in date order
    papers: list[Paper] = field(default_factory=list)  # the papers recorded done
    attributes: dict = field(default_factory=dict)  # the regime's mentorship schema

    def paper(self, kind: str) -> Paper | None:
        """The recorded paper of ``kind``, or None."""
        for paper in self.papers:
            if paper.kind == kind:
                return paper
        return None

    def mentor_on(self, day: dt.date) -> Assignment | None:
        """The assignment in force on ``day``, or None."""
        for a in self.assignments:
            if a.start <= day and (a.end is None or day <= a.end):
                return a
        return None


@dataclass(slots=True)
class CouncilMember:
    person: str  # the member's person id
    role: str = "member"  # chair | deputy_chair | secretary | member
    basis: str | None = None  # the qualification ground, as the regime names it
    attributes: dict = field(default_factory=dict)  # facts on the member the regime reads


@dataclass(slots=True)
class AgendaItem:
    id: str  # the item id
    title: str = ""  # what was discussed
    hearing: str | None = None  # id of a mentorship whose reports are heard
    votes: dict = field(default_factory=dict)  # person id -> for | against | abstain


@dataclass(slots=True)
class Meeting:
    id: str  # the meeting id
    date: dt.date  # the day it was held
    present: tuple = ()  # person ids of the members present
    items: list[AgendaItem] = field(default_factory=list)  # the agenda, in order


@dataclass(slots=True)
class Council:
    id: str  # the council id
    created_on: dt.date  # the day it was formed
    order: Order | None = None  # the order that approved its composition
    members: list[CouncilMember] = field(default_factory=list)  # its members with their roles
    meetings: list[Meeting] = field(default_factory=list)  # its meetings in date order

    @property
    def chair(self) -> str | None:
        """The person id of its chair, or None."""
        for m in self.members:
            if m.role == "chair":
                return m.person
        return None


@dataclass(slots=True)
class Case:
    """One tenant's data: people by id, mentorships, absences by person, councils."""

    people: dict[str, Person] = field(default_factory=dict)  # person id (personnel number) -> Person
    mentorships: list[Mentorship] = field(default_factory=list)  # every mentorship of the tenant, open and closed
    absences: dict[str, list[Absence]] = field(default_factory=dict)  # person id -> their absences
    councils: list[Council] = field(default_factory=list)  # the councils of mentors, if the regime has one
    # a part of a tenant: the people a search of the staff may judge, those whose every
    # mentorship as mentor is in it
    pool: set | None = None  # the people a search of the staff may ask (None: everyone)

    def person_on(self, person_id: str, day: dt.date) -> Person:
        """The person ``person_id`` as they stood on ``day`` (see ``Person.on``)."""
        return self.people[person_id].on(day)

    def absences_of(self, person: str) -> list[Absence]:
        """The absences of ``person``."""
        return self.absences.get(person, ())

    def add_absence(self, absence: Absence) -> None:
        """Record an absence under its person."""
        self.absences.setdefault(absence.person, []).append(absence)


def attribute_date(attributes: dict, key: str) -> dt.date | None:
    """A date among a record's regime attributes (held as JSON holds it: ISO text)."""
    value = attributes.get(key)
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)
