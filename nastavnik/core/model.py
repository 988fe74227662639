"""What every regime shares: people, mentorships, assignments, absences, papers, councils.

Plain slotted dataclasses: rules read them millions of times in a sweep. Storage (later)
maps rows to these; scenarios build them from YAML. A ``Case`` is one tenant's data as
of a date: what the rules run on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

VOTES = ("for", "against", "abstain")


@dataclass(slots=True)
class Person:
    id: str
    name: str = ""
    unit: str | None = None
    manager: str | None = None  # the direct manager's person id
    position: str | None = None
    attributes: dict = field(default_factory=dict)


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
    manager_submission: bool | None = None  # CS p.7: the direct manager's submission
    mentor_consent: bool | None = None  # CS p.7: the prospective mentor's consent
    fallback: bool = False  # assigned under an exception rule (e.g. CS p.8 direct manager)


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
class HeadDecision:
    """A head's decision recorded as a ground (e.g. CS p.5 mentorship of another category)."""

    number: str
    date: dt.date


@dataclass(slots=True)
class Mentorship:
    id: str
    mentee: str
    kind: str | None  # the kind of mentee, as the regime names it
    start: dt.date
    joined_on: dt.date | None = None  # the day the mentee joined the body
    planned_end: dt.date | None = None  # as stated by the order, if any
    term_months: int | None = None  # as stated by the order, if the regime leaves a choice
    internship_end: dt.date | None = None  # prosecutor p.9: a trainee's internship end
    ended_on: dt.date | None = None
    status: str = "open"
    head_decision: HeadDecision | None = None
    assignments: list[Assignment] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)

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

    def absences_of(self, person: str) -> list[Absence]:
        return self.absences.get(person, ())

    def add_absence(self, absence: Absence) -> None:
        self.absences.setdefault(absence.person, []).append(absence)
