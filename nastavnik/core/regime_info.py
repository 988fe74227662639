"""Regime metadata returned by the ``regime_info`` hook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RegimeInfo:
    id: str
    title: dict  # ru, kk, en
    citation: dict  # the act's full citation, ru, kk, en
    country: str  # the working calendar, e.g. "KZ"
    effective_from: dt.date
    effective_to: dt.date | None = None
    mentee_kinds: dict = field(default_factory=dict)  # kind -> {ru, kk, en}
    has_council: bool = False
    source_texts: tuple = ()  # file names under shared/regulations
    #: the IANA time zone the regime's bodies keep time in: times shown to their people
    #: (the audit trail) are in it
    time_zone: str = "UTC"

    def to_json(self):
        return {
            "id": self.id, "title": dict(self.title), "citation": dict(self.citation),
            "country": self.country, "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "mentee_kinds": {k: dict(v) for k, v in self.mentee_kinds.items()},
            "has_council": self.has_council, "time_zone": self.time_zone,
        }


@dataclass(frozen=True)
class AmendmentInfo:
    """What the ``amendment_info`` hook returns: which regime an amendment amends, its
    titles and citation in ru, kk and en, and the day it takes effect."""

    regime: str  # the id of the regime it amends
    title: dict  # ru, kk, en
    citation: dict  # the amending act, ru, kk, en
    effective_from: dt.date

    def to_json(self):
        return {"regime": self.regime, "title": dict(self.title),
                "citation": dict(self.citation),
                "effective_from": self.effective_from.isoformat()}


@dataclass(frozen=True, slots=True)
class Candidacy:
    """A question put to the eligibility rules: may ``mentor`` mentor ``mentee`` on ``on``?"""

    subject: str
    mentor: object  # Person
    mentee: object  # Person
    kind: str | None
    on: dt.date
