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

    valid_from: dt.date
    unit: str | None = None
    manager: str | None = None  # the direct manager's person id
    position: str | None = None
    attributes: dict = field(default_factory=dict)


@dataclass(slots=True)
class Person:
    """A person's current facts, and ``history``: their dated versions, oldest first
    (empty when only the current facts are known). The current fields are the latest
    version's."""

    id: str
    name: str = ""
    unit: str | None = None
    manager: str | None = None  # the direct manager's person id
    position: str | None = None
    attributes: dict = field(default_factory=dict)
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

    number: str
    date: dt.date


@dataclass(slots=True)
class Assignment:
    """A mentor assigned within a mentorship, from ``start`` to ``end`` (inclusive)."""

    mentor: str
    start: dt.date
    end: dt.date | None = None
    end_reason: str | None = None
    order: Order | None = None
    fallback: bool = False  # assigned under an exception rule (e.g. CS p.8 direct manager)
    attributes: dict = field(default_factory=dict)  # the regime's assignment schema


@dataclass(slots=True)
class Absence:
    person: str
    start: dt.date
    end: dt.date
    valid_reason: bool = True
    reason: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(slots=True)
class Paper:
    """A paper recorded as done; ``kind`` is one of the regime's (its catalogue), and
    ``attributes`` what the paper carries, valid against the kind's ``fields`` schema."""

    kind: str
    done_on: dt.date | None = None
    approved_by: str | None = None
    attributes: dict = field(default_factory=dict)


@dataclass(slots=True)
class Mentorship:
    id: str
    mentee: str
    kind: str | None  # the kind of mentee, as the regime names it
    start: dt.date
    joined_on: dt.date | None = None  # the day the mentee joined the body
    planned_end: dt.date | None = None  # as stated by the order, if any
    term_months: int | None = None  # as stated by the order, if the regime leaves a choice
    ended_on: dt.date | None = None
    status: str = "open"
    assignments: list[Assignment] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)
    attributes: dict = field(default_factory=dict)  # the regime's mentorship schema

    def paper(self, kind: str) -> Paper | None:
        for paper in self.papers:
            if paper.kind == kind:
                return paper
        return None

    def mentor_on(self, day: dt.date) -> Assignment | None:
        for a in self.assignments:
            if a.start <= day and (a.end is None or day <= a.end):
                return a
        return None


@dataclass(slots=True)
class CouncilMember:
    person: str
    role: str = "member"  # chair | deputy_chair | secretary | member
    basis: str | None = None  # the qualification ground, as the regime names it
    attributes: dict = field(default_factory=dict)


@dataclass(slots=True)
class AgendaItem:
    id: str
    title: str = ""
    hearing: str | None = None  # id of a mentorship whose reports are heard
    votes: dict = field(default_factory=dict)  # person id -> for | against | abstain


@dataclass(slots=True)
class Meeting:
    id: str
    date: dt.date
    present: tuple = ()
    items: list[AgendaItem] = field(default_factory=list)


@dataclass(slots=True)
class Council:
    id: str
    created_on: dt.date
    order: Order | None = None
    members: list[CouncilMember] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)

    @property
    def chair(self) -> str | None:
        for m in self.members:
            if m.role == "chair":
                return m.person
        return None


@dataclass(slots=True)
class Case:
    """One tenant's data: people by id, mentorships, absences by person, councils."""

    people: dict[str, Person] = field(default_factory=dict)
    mentorships: list[Mentorship] = field(default_factory=list)
    absences: dict[str, list[Absence]] = field(default_factory=dict)
    councils: list[Council] = field(default_factory=list)

    def person_on(self, person_id: str, day: dt.date) -> Person:
        """The person ``person_id`` as they stood on ``day`` (see ``Person.on``)."""
        return self.people[person_id].on(day)

    def absences_of(self, person: str) -> list[Absence]:
        return self.absences.get(person, ())

    def add_absence(self, absence: Absence) -> None:
        self.absences.setdefault(absence.person, []).append(absence)


def attribute_date(attributes: dict, key: str) -> dt.date | None:
    """A date among a record's regime attributes (held as JSON holds it: ISO text)."""
    value = attributes.get(key)
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)
