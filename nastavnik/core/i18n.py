"""The three languages of the product and the localised forms of facts (dates, durations)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

LANGUAGES = ("ru", "kk", "en")


def format_date(value: dt.date, lang: str) -> str:
    """A date as the language writes it: 02.03.2026 in ru and kk, 2026-03-02 in en."""
    return _date_in_words(value, lang)


@lru_cache(maxsize=1 << 16)  # a whole re-evaluation writes the same dates a million times
def _date_in_words(value: dt.date, lang: str) -> str:
    if lang == "en":
        return value.isoformat()
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"  # strftime's %d.%m.%Y


def ru_plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for n: ru_plural(5, "год", "года", "лет") == "лет"."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


_UNITS = {
    "ru": {
        "years": lambda n: ru_plural(n, "год", "года", "лет"),
        "months": lambda n: ru_plural(n, "месяц", "месяца", "месяцев"),
        "days": lambda n: ru_plural(n, "день", "дня", "дней"),
    },
    "kk": {"years": lambda n: "жыл", "months": lambda n: "ай", "days": lambda n: "күн"},
    "en": {
        "years": lambda n: "year" if n == 1 else "years",
        "months": lambda n: "month" if n == 1 else "months",
        "days": lambda n: "day" if n == 1 else "days",
    },
}


@dataclass(frozen=True, slots=True)
class Span:
    """A length of time in years, months and days, e.g. a mentor's length of service."""

    years: int = 0
    months: int = 0
    days: int = 0

    @classmethod
    def between(cls, start: dt.date, end: dt.date) -> "Span":
        """From ``start`` to ``end`` in whole years, months and days left over."""
        from .months import months_and_days

        if end < start:
            months, days = months_and_days(end, start)
            return cls(-(months // 12), -(months % 12), -days)
        months, days = months_and_days(start, end)
        return cls(months // 12, months % 12, days)

    def at_least(self, years: int = 0, months: int = 0) -> bool:
        """Whether the span is at least ``years`` and ``months`` long."""
        return (self.years, self.months, self.days) >= (years, months, 0)

    def localize(self, lang: str) -> str:
        """The span in words: "2 года 3 месяца", "2 жыл 3 ай", "2 years 3 months"."""
        parts = [
            f"{n} {_UNITS[lang][unit](n)}"
            for unit, n in (("years", self.years), ("months", self.months), ("days", self.days))
            if n
        ]
        return " ".join(parts) or f"0 {_UNITS[lang]['days'](0)}"

    def to_json(self):
        return {"years": self.years, "months": self.months, "days": self.days,
                "text": self.localize("en")}


@dataclass(frozen=True, slots=True)
class Text:
    """A fact that is itself a phrase in three languages (e.g. a category or a paper name)."""

    ru: str
    kk: str
    en: str

    def localize(self, lang: str) -> str:
        """The text in ``lang``."""
        return getattr(self, lang)

    def to_json(self):
        return self.en


class Named(str):
    """A person, mentorship or meeting a message speaks of: it is its id (personnel number,
    mentorship or meeting id), so programs and comparisons see the id, and a reader sees
    its name (or a value shown in the reader's language, such as a meeting's date)."""

    def __new__(cls, id: str, name: object):
        named = super().__new__(cls, id)
        named.name = name
        return named

    def __getnewargs__(self):
        return str(self), self.name

    @property
    def id(self) -> str:
        return str(self)

    def localize(self, lang: str) -> str:
        return localize(self.name, lang) if self.name else str(self)

    def to_json(self):
        return str(self)


def localize(value, lang: str) -> str:
    """A fact as a finding's message shows it in ``lang`` (dates, spans, texts, yes/no)."""
    if isinstance(value, dt.date):
        return format_date(value, lang)
    if hasattr(value, "localize"):
        return value.localize(lang)
    if isinstance(value, (list, tuple)):
        return ", ".join(localize(v, lang) for v in value)
    if isinstance(value, bool):
        return {"ru": ("да", "нет"), "kk": ("иә", "жоқ"), "en": ("yes", "no")}[lang][not value]
    return str(value)


def to_json(value):
    """Facts as plain JSON values: dates in ISO form, spans as parts plus text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    return value
