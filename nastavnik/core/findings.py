"""What rules answer: the rule catalogue entry, findings, deadlines, terms, limits, outcomes.

Every answer carries the ``rule`` that produced it, so every answer cites its regime and
paragraph and can be explained in ru, kk and en from the rule's message templates.
Messages are rendered on demand: a sweep over 50,000 mentorships should not format
150,000 strings nobody reads.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import re
import string
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

from .i18n import LANGUAGES, Named, Span, Text, localize, to_json


@lru_cache(maxsize=4096)
def _named(template: str) -> tuple[str, ...]:
    """The facts a message template names: "{due}" and "{mentor.name}" name due, mentor."""
    names = (re.split(r"[.\[]", field, maxsplit=1)[0]
             for _, field, _, _ in string.Formatter().parse(template) if field)
    return tuple(dict.fromkeys(names))


#: facts of these types that are equal are put in the same words in every language
_PLAIN = frozenset({str, int, bool, type(None), dt.date, Text, Span})
#: messages a rule keeps rendered (of distinct facts) before it forgets them all
_KEPT_MESSAGES = 1 << 14
#: the rules keeping rendered messages, inside ``remembering_messages`` (None: outside)
_REMEMBERING: contextvars.ContextVar = contextvars.ContextVar("remembering", default=None)


@contextlib.contextmanager
def remembering_messages():
    """Within the block, a rule renders the messages of equal facts once (a whole
    re-evaluation renders 250,000 deadlines' messages, of which some 15,000 differ); at
    its end they are forgotten, so that no tenant's words stay in the process."""
    rules: dict = {}  # id -> rule (a rule's dicts make it unhashable)
    token = _REMEMBERING.set(rules)
    try:
        yield
    finally:
        _REMEMBERING.reset(token)
        for rule in rules.values():
            rule._rendered.clear()
_NAMES = object()  # where a rule keeps the facts its templates name


def _fact_key(value):
    """A fact as a key of the messages rendered of it: two facts with the same key are
    put in the same words in every language. None: no such key (a type not known here)."""
    kind = type(value)
    if kind in _PLAIN:
        return kind, value
    if kind is Named:  # equal to its id; its name is what a message shows
        name = _fact_key(value.name)
        return None if name is None else (kind, str(value), name)
    if kind is tuple or kind is list:
        keys = tuple(_fact_key(v) for v in value)
        return None if None in keys else (kind, keys)
    return None


class Severity(str, Enum):
    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Rule:
    """One entry of a regime's rule catalogue (its ``rules.yaml``)."""

    id: str
    regime: str
    paragraph: str
    severity: Severity
    title: dict
    message: dict
    #: rule ids this rule is an exception to; their answers give way to this one's
    overrides: tuple = ()
    #: messages rendered (``messages``), by the facts they were rendered of
    _rendered: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def cite(self, lang: str = "en") -> str:
        word = {"ru": "п.", "kk": "", "en": "p."}[lang]
        tail = {"ru": "", "kk": "-т.", "en": ""}[lang]
        return f"{self.regime}, {word}{self.paragraph}{tail}"

    def render(self, facts: dict, lang: str) -> str:
        template = self.message[lang]
        # only the facts the template names are put in words (a whole re-evaluation
        # renders every message in every language)
        values = {k: localize(facts[k], lang) for k in _named(template) if k in facts}
        try:
            return template.format(**values)
        except KeyError as missing:  # a template naming a fact the rule did not supply
            raise KeyError(f"rule {self.id}: message ({lang}) needs fact {missing}") from None

    def messages(self, facts: dict) -> dict:
        """The message in every language, ``{lang: render(facts, lang)}``. Facts put in the
        same words are rendered once within ``remembering_messages``."""
        remembering = _REMEMBERING.get()
        if remembering is None:
            return {lang: self.render(facts, lang) for lang in LANGUAGES}
        remembering[id(self)] = self
        rendered = self._rendered
        names = rendered.get(_NAMES)
        if names is None:
            names = rendered[_NAMES] = tuple(dict.fromkeys(
                n for lang in LANGUAGES for n in _named(self.message[lang])))
        key = tuple(_fact_key(facts[n]) if n in facts else None for n in names)
        try:
            messages = None if None in key else rendered.get(key)
        except TypeError:  # a phrase or span made of something unhashable
            key = (None,)
        if None in key:  # a fact missing (render says which) or of a type not known here
            return {lang: self.render(facts, lang) for lang in LANGUAGES}
        if messages is None:
            messages = {lang: self.render(facts, lang) for lang in LANGUAGES}
            if len(rendered) > _KEPT_MESSAGES:
                rendered.clear()
                rendered[_NAMES] = names
            rendered[key] = messages
        return dict(messages)

    def to_json(self):
        return {"id": self.id, "regime": self.regime, "paragraph": self.paragraph,
                "severity": self.severity.value, "title": dict(self.title),
                "overrides": list(self.overrides)}


@dataclass(slots=True)
class Finding:
    """The result of one rule check on one subject (a mentorship, person, council, meeting)."""

    rule: Rule
    subject: str
    facts: dict = field(default_factory=dict)
    severity: Severity | None = None  # None: the rule's default severity

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def level(self) -> Severity:
        return self.severity or self.rule.severity

    @property
    def paragraph(self) -> str:
        return self.rule.paragraph

    def message(self, lang: str = "en") -> str:
        return self.rule.render(self.facts, lang)

    def to_json(self):
        return {
            "rule": self.rule.id, "regime": self.rule.regime, "paragraph": self.rule.paragraph,
            "severity": self.level.value, "subject": self.subject,
            "message": self.rule.messages(self.facts),
            "facts": to_json(self.facts),
        }


class DeadlineStatus(str, Enum):
    DONE = "done"
    DONE_LATE = "done_late"
    DUE = "due"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(slots=True)
class Deadline:
    """A due date the regime imposes, with the event it counts from and its paragraph."""

    rule: Rule
    subject: str
    kind: str
    event: str  # what it counts from, e.g. "assignment", "end_of_mentorship"
    event_date: dt.date
    due: dt.date
    done_on: dt.date | None = None
    facts: dict = field(default_factory=dict)

    @property
    def rule_id(self) -> str:
        return self.rule.id

    @property
    def paragraph(self) -> str:
        return self.rule.paragraph

    def status(self, as_of: dt.date, soon: dt.date | None = None) -> DeadlineStatus:
        """Status as of a date; ``soon`` is the last day counted as "due soon"."""
        if self.done_on is not None and self.done_on <= as_of:
            return DeadlineStatus.DONE if self.done_on <= self.due else DeadlineStatus.DONE_LATE
        if as_of > self.due:
            return DeadlineStatus.OVERDUE
        if soon is not None and self.due <= soon:
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.DUE

    def message(self, lang: str = "en") -> str:
        return self.rule.render({"due": self.due, "event_date": self.event_date, **self.facts}, lang)

    def to_json(self, as_of: dt.date | None = None, soon: dt.date | None = None):
        data = {
            "rule": self.rule.id, "regime": self.rule.regime, "paragraph": self.rule.paragraph,
            "subject": self.subject, "kind": self.kind, "event": self.event,
            "event_date": self.event_date.isoformat(), "due": self.due.isoformat(),
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "message": self.rule.messages({"due": self.due, "event_date": self.event_date,
                                           **self.facts}),
            "facts": to_json(self.facts),
        }
        if as_of is not None:
            data["status"] = self.status(as_of, soon).value
        return data


@dataclass(frozen=True, slots=True)
class Coverage:
    """Whether a mentee is subject to mentorship under the regime, and as what kind."""

    rule: Rule
    person: str
    covered: bool
    kind: str | None
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Term:
    """The planned end of a mentorship (inclusive last day), with how it was reached."""

    rule: Rule
    mentorship: str
    start: dt.date
    planned_end: dt.date | None
    facts: dict = field(default_factory=dict)
    params: tuple = ()


@dataclass(frozen=True, slots=True)
class CapacityLimit:
    """How many mentees one mentor may have on one day (None: no legal cap)."""

    rule: Rule
    limit: int | None
    facts: dict = field(default_factory=dict)
    params: tuple = ()  # the ParameterValue(s) the limit was read from


@dataclass(frozen=True, slots=True)
class Fallback:
    """An exception rule's choice of mentor when no candidate is eligible (e.g. CS p.8)."""

    rule: Rule
    mentee: str
    mentor: str
    facts: dict = field(default_factory=dict)


@dataclass(slots=True)
class ItemDecision:
    item: str
    votes_for: int
    votes_against: int
    abstained: int
    adopted: bool | None  # None: no decision could be taken
    tie_broken_by_chair: bool = False


@dataclass(slots=True)
class MeetingOutcome:
    """Whether a council meeting was quorate and what it decided, with its findings."""

    rule: Rule
    council: str
    meeting: str
    members: int
    present: int
    quorate: bool
    decisions: dict = field(default_factory=dict)  # item id -> ItemDecision
    findings: list = field(default_factory=list)
    facts: dict = field(default_factory=dict)

    def to_json(self):
        return {
            "rule": self.rule.id, "paragraph": self.rule.paragraph, "council": self.council,
            "meeting": self.meeting, "members": self.members, "present": self.present,
            "quorate": self.quorate,
            "decisions": {k: {"for": d.votes_for, "against": d.votes_against,
                              "abstained": d.abstained, "adopted": d.adopted,
                              "tie_broken_by_chair": d.tie_broken_by_chair}
                          for k, d in self.decisions.items()},
            "findings": [f.to_json() for f in self.findings],
            "facts": to_json(self.facts),
        }
