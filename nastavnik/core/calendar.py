"""National working-day calendars and the counting conventions of DIGEST.md.

Working days come from the ``holidays`` package (public holidays, transferred days off
and weekends made working days by decree) plus a tenant's own extra days off or working
days. They are precomputed once as a sorted array of day ordinals, so that moving a date
by N working days is a binary search, not a day-by-day loop.

Conventions (DIGEST.md):
- "within N working days after/from E": E moved forward by N working days, E not counted.
- "no later than N working days before D": D moved back by N working days, D not counted.
- "within N days": N calendar days, E not counted; a due date on a day off moves to the
  next working day.
- "more than one week": strictly more than 7 calendar days.
"""

from __future__ import annotations

import array
import bisect
import datetime as dt
import hashlib
import importlib.util
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from .errors import InputError

FIRST_YEAR = 2000
LAST_YEAR = 2045
COUNTRIES = ("KZ", "RU")


class WorkingCalendar:
    """Working days of one country, with a tenant's overrides, over FIRST_YEAR..LAST_YEAR."""

    def __init__(self, country: str, extra_days_off=(), extra_working_days=()):
        self.country = country
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)
        clash = self.extra_days_off & self.extra_working_days
        if clash:
            raise InputError(f"{min(clash)} is listed both as a day off and as a working day",
                             field="calendar")
        national = _national_days(country)
        days = ((set(national) - {d.toordinal() for d in self.extra_days_off})
                | {d.toordinal() for d in self.extra_working_days})
        self._days: list[int] = sorted(days)
        self._set = frozenset(self._days)
        self.first = dt.date(FIRST_YEAR, 1, 1)
        self.last = dt.date(LAST_YEAR, 12, 31)

    # -- queries ---------------------------------------------------------------------
    def _check(self, day: dt.date) -> int:
        if not self.first <= day <= self.last:
            raise InputError(f"{day} is outside the calendar ({FIRST_YEAR}-{LAST_YEAR})",
                             field="date")
        return day.toordinal()

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day (weekends, holidays and the tenant's overrides)."""
        return self._check(day) in self._set

    def add_working_days(self, event: dt.date, n: int) -> dt.date:
        """Move ``event`` by ``n`` working days (forward if n > 0, back if n < 0).

        The event day itself is never counted, whether or not it is a working day.
        """
        ordinal = self._check(event)
        try:
            if n > 0:
                return dt.date.fromordinal(self._days[bisect.bisect_right(self._days, ordinal) + n - 1])
            if n < 0:
                pos = bisect.bisect_left(self._days, ordinal) + n
                if pos < 0:
                    raise IndexError
                return dt.date.fromordinal(self._days[pos])
        except IndexError:
            raise InputError(f"{event} moved by {n} working days leaves the calendar",
                             field="date") from None
        return event

    def roll_forward(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the next working day."""
        return dt.date.fromordinal(self._days[bisect.bisect_left(self._days, self._check(day))])

    def add_calendar_days(self, event: dt.date, n: int) -> dt.date:
        """Due date of "within n days": n calendar days, rolled to a working day."""
        return self.roll_forward(event + dt.timedelta(days=n))

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days after ``start`` ``end`` is."""
        return (bisect.bisect_right(self._days, self._check(end))
                - bisect.bisect_right(self._days, self._check(start)))

    def days_off(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The days from ``start`` to ``end`` inclusive that are not working days."""
        out, day = [], start
        while day <= end:
            if not self.is_working_day(day):
                out.append(day)
            day += dt.timedelta(days=1)
        return out


def more_than_one_week(start: dt.date, end: dt.date) -> bool:
    """An absence from ``start`` to ``end`` inclusive lasts strictly more than 7 days."""
    return (end - start).days + 1 > 7


@lru_cache(maxsize=None)
def _national_days(country: str) -> tuple[int, ...]:
    if country not in COUNTRIES:
        raise InputError(f"no calendar for country {country!r}; known: {', '.join(COUNTRIES)}",
                         field="country")
    path = _kept_days_path(country)
    if path is not None:
        try:
            kept = array.array("q")
            with open(path, "rb") as f:
                kept.frombytes(f.read())
        except (OSError, ValueError):
            kept = None
        if kept and (dt.date(FIRST_YEAR, 1, 1).toordinal() <= kept[0]
                     and kept[-1] <= dt.date(LAST_YEAR, 12, 31).toordinal()):
            return tuple(kept)
    days = _working_days_of(country)
    if path is not None:
        _keep_days(path, days)
    return days


def _cache_dir() -> Path:
    root = os.environ.get("NASTAVNIK_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "nastavnik")
    return Path(root)


def _kept_days_path(country: str) -> Path | None:
    """Where the working days of ``country`` worked out from the installed ``holidays``
    are kept between processes (importing ``holidays`` loads every country it knows, a
    tenth of a second): a file named by a digest of that installation's files (their
    paths, sizes and modification times), so another version of it is never read."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.origin:
        return None
    package = Path(spec.origin).parent
    digest = hashlib.sha256(f"{country} {FIRST_YEAR} {LAST_YEAR} {package}".encode())
    try:
        for name in ("version.py", "holiday_base.py", "countries/russia.py",
                     "countries/kazakhstan.py"):
            st = (package / name).stat()
            digest.update(f" {name} {st.st_size} {st.st_mtime_ns}".encode())
    except OSError:
        return None
    return _cache_dir() / f"working-days-{country}-{digest.hexdigest()[:24]}.bin"


def _keep_days(path: Path, days: tuple[int, ...]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(array.array("q", days).tobytes())
        os.replace(temporary, path)  # whole or not at all, whoever reads it meanwhile
    except OSError:  # a read-only home: worked out again next time
        pass


def _working_days_of(country: str) -> tuple[int, ...]:
    import holidays

    years = range(FIRST_YEAR, LAST_YEAR + 1)
    national = holidays.country_holidays(country, years=years)
    made_working = set(getattr(national, "weekend_workdays", ()))
    days = []
    day = dt.date(FIRST_YEAR, 1, 1)
    end = dt.date(LAST_YEAR, 12, 31)
    one = dt.timedelta(days=1)
    while day <= end:
        if (day.weekday() < 5 and day not in national) or day in made_working:
            days.append(day.toordinal())
        day += one
    return tuple(days)


@lru_cache(maxsize=256)
def calendar_for(country: str, extra_days_off: frozenset = frozenset(),
                 extra_working_days: frozenset = frozenset()) -> WorkingCalendar:
    """Calendars are built once per (country, overrides) and shared."""
    return WorkingCalendar(country, extra_days_off, extra_working_days)


def holiday_names(country: str, day: dt.date, lang: str = "en") -> str | None:
    import holidays

    language = {"en": "en_US", "kk": "kk", "ru": "ru"}[lang]
    cal = holidays.country_holidays(country, years=day.year, language=language)
    return cal.get(day)
