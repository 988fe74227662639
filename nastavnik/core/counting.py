"""Counting helpers every regime shares: terms in months, absences, service, dated facts.

Terms: a term of N months that begins on day S (S counted) ends on the day before the
same date N months later; that last day is the mentorship's ``planned_end``. When that
month has no such date (a term from 31 January), the term ends on the month's last day,
as the civil codes of both countries end a term counted in months.
"""

from __future__ import annotations

import datetime as dt

from .i18n import Span
from .months import add_months

ONE_DAY = dt.timedelta(days=1)


def as_date(value) -> dt.date | None:
    """A date from a date, an ISO string (as attributes keep them) or None."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def last_day_of_term(start: dt.date, months: int = 0, years: int = 0) -> dt.date:
    """The last day (inclusive) of a term of ``months`` and ``years`` from ``start``."""
    same_date_later = add_months(start, months + 12 * years)
    if same_date_later.day != start.day:  # clipped to the month's end: no such date
        return same_date_later
    return same_date_later - ONE_DAY


def term_length(start: dt.date, last_day: dt.date) -> Span:
    """The length of a term from ``start`` to ``last_day`` inclusive."""
    return Span.between(start, last_day + ONE_DAY)


def service_on(start, on: dt.date, prior_months: int = 0) -> Span | None:
    """Length of service on ``on`` from ``start`` plus earlier service in months."""
    start = as_date(start)
    if start is None:
        return None
    if start > on:
        return Span(prior_months // 12, prior_months % 12, 0) if prior_months else Span()
    return Span.between(add_months(start, -prior_months), on)


def absent_days(absences, start: dt.date, end: dt.date, valid_only: bool = True) -> set[dt.date]:
    """Days within [start, end] covered by the absences (overlaps counted once)."""
    days = set()
    for a in absences:
        if valid_only and not a.valid_reason:
            continue
        lo, hi = max(a.start, start), min(a.end, end)
        while lo <= hi:
            days.add(lo)
            lo += ONE_DAY
    return days


def extend_by_absences(start: dt.date, base_end: dt.date, absences) -> tuple[dt.date, int]:
    """Move ``base_end`` later by the days of valid absence within the term.

    The extension can itself reach into a later absence, so repeat until it is stable.
    """
    if not absences:
        return base_end, 0
    end, days = base_end, 0
    while True:
        count = len(absent_days(absences, start, end))
        if count == days:
            return end, days
        days = count
        end = base_end + dt.timedelta(days=days)


def active_on(items, on: dt.date, start_key: str, end_key: str) -> list:
    """Dated records (dicts) in force on ``on``: start <= on, and no end or on <= end."""
    out = []
    for item in items or ():
        start, end = as_date(item.get(start_key)), as_date(item.get(end_key))
        if start is not None and start <= on and (end is None or on <= end):
            out.append(item)
    return out
