"""What a regime ships besides its law: a demo tenant and a profile for synthetic bodies.

Both are optional; a regime's plugin returns them from ``regime_demo()`` and
``synthetic_profile()`` (``core/hookspecs.py``). They live here, in the core, so that a
plugin can build them without importing the services or the storage.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from .errors import InputError
from .months import add_months


@dataclass(frozen=True)
class Demo:
    """A demo tenant: who it is and the story that fills it.

    ``tenant``: ``slug``, ``name``, ``locale``, optional ``settings`` and ``order_format``
    (how the story numbers its orders, ``{n}`` the number). ``load(story)`` tells the story
    through the ``Story`` it is given (``nastavnik/demo``: dates counted from the as-of date,
    thin wrappers over the services, and ``story.services`` for anything else), so every
    rule runs. ``hints``: (command without ``nastavnik``, what it shows) printed after
    loading. ``position`` orders the demo tenants (lower first, then by slug)."""

    tenant: dict
    load: Callable
    hints: tuple = ()
    position: int = 100

    @classmethod
    def from_module(cls, module, position: int = 100) -> "Demo":
        """A demo written as a module with ``TENANT``, ``HINTS`` and ``load(story)``."""
        return cls(module.TENANT, module.load, tuple(module.HINTS), position)

    @classmethod
    def from_yaml(cls, path) -> "Demo":
        """A demo written as data (see ``DemoScript``): a file a lawyer can read."""
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or not isinstance(doc.get("tenant"), dict):
            raise InputError("a demo file starts with its tenant (slug, name, locale)",
                             field="tenant", source=str(path))
        hints = tuple((h["command"], h["what"]) for h in doc.get("hints", ()))
        return cls(doc["tenant"], DemoScript(doc, str(path)), hints, doc.get("position", 100))

    @property
    def slug(self) -> str:
        return self.tenant["slug"]


#: a date in a demo file: "today", "-3 working days", "+2 weeks", "-6 months", "-12 years"
#: (counted from the as-of date) or a plain date
_RELATIVE = re.compile(r"^(today|([+-]\d+) (working day|day|week|month|year)s?)$")


class DemoScript:
    """The story of a demo file, told to a ``Story``. The file lists, in this order,
    ``people`` (number, full_name, unit, position, manager, hired_on, attributes),
    ``absences`` (person, start, end, reason) and ``mentorships`` (mentee, mentor, start,
    optional order: false, papers: [kind, done_on, approved_by, attributes], replaced: {mentor, date,
    reason}, closed_on). Dates are counted from the as-of date (``_RELATIVE``), so the
    story reads the same on any day; a date string inside attributes is counted too."""

    def __init__(self, doc: dict, source: str):
        self.doc, self.source = doc, source

    def date(self, story, value):
        if isinstance(value, dt.date) or value is None:
            return value
        match = _RELATIVE.match(str(value).strip())
        if match is None:
            raise InputError(f"{value!r} is not a demo date (e.g. today, -3 working days, "
                             f"+2 weeks, -6 months, -12 years, or 2025-03-01)", source=self.source)
        if match.group(1) == "today":
            return story.as_of
        n, unit = int(match.group(2)), match.group(3)
        if unit == "working day":
            return story.wd(n)
        if unit in ("day", "week"):
            return story.as_of + dt.timedelta(days=n * (7 if unit == "week" else 1))
        return add_months(story.as_of, n * (12 if unit == "year" else 1))

    def _value(self, story, value):
        if isinstance(value, str) and _RELATIVE.match(value.strip()):
            return self.date(story, value).isoformat()
        if isinstance(value, dict):
            return {k: self._value(story, v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._value(story, v) for v in value]
        return value

    def __call__(self, story) -> None:
        try:
            self._tell(story)
        except KeyError as exc:
            raise InputError(f"an entry lacks {exc.args[0]!r}", source=self.source) from exc

    def _tell(self, story) -> None:
        d = lambda value: self.date(story, value)  # noqa: E731
        for p in self.doc.get("people", ()):
            story.person(p["number"], p["full_name"], p.get("unit"), p.get("position"),
                         p.get("manager"), hired_on=d(p.get("hired_on")),
                         **self._value(story, p.get("attributes", {})))
        for a in self.doc.get("absences", ()):
            story.absence(a["person"], d(a["start"]), d(a["end"]), a.get("reason", ""))
        for m in self.doc.get("mentorships", ()):
            ref = story.assign(m["mentee"], m["mentor"], d(m["start"]), order=m.get("order", True))
            for paper in m.get("papers", ()):
                story.paper(ref, paper["kind"], d(paper["done_on"]), paper.get("approved_by"),
                            paper.get("attributes"))
            if m.get("replaced"):
                r = m["replaced"]
                story.replace(ref, r["mentor"], d(r["date"]), r.get("reason", "transfer"))
            if m.get("closed_on"):
                story.close(ref, d(m["closed_on"]))


@dataclass(frozen=True)
class SyntheticCouncil:
    """The council of mentors of a synthetic body (a regime that has one): who sits on it,
    and when a mentorship's reports are heard at its meetings."""

    #: (role, basis, person attributes that qualify them) of each member, chair first
    members: tuple
    #: a mentorship's reports are heard at a meeting no later than this many working days
    #: before its planned end (the regime's own rule, read from its parameters)
    hearing_working_days_before_end: int
    #: the share of meetings too thinly attended to decide anything
    not_quorate: float = 0.05
    #: a title of a hearing item, ``{mentee}`` for the mentee's name
    hearing_title: str = "{mentee}"


@dataclass(frozen=True)
class SyntheticProfile:
    """What a regime's people and mentorships look like, for ``bench generate``."""

    senior: Callable  # (rng, hired_on) -> person attributes of a senior member of staff
    newcomer: Callable  # (rng, hired_on) -> person attributes of a new hire (a mentee)
    kind: str | None  # the mentee kind of the generated mentorships
    term_months: Callable  # (rng) -> months a mentorship lasts
    first_papers: tuple  # (paper kind, working days after the start it is usually done)
    closing_papers: tuple  # paper kinds done at the end
    capacity: int  # how many mentees a mentor usually has at once
    settings: dict = field(default_factory=dict)  # the generated tenant's settings
    sections: dict = field(default_factory=dict)  # paper kind -> the sections it records
    assignment: Callable | None = None  # (a random number in [0, 1)) -> an assignment's facts
    council: SyntheticCouncil | None = None  # a council of mentors hearing the mentorships
