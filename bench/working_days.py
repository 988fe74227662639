"""Working-day arithmetic: the calendars' binary search against stepping through
`holidays` day by day. Prints figures; never asserts a time.

    .venv/bin/python bench/working_days.py
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import holidays

from nastavnik.core.calendar import calendar_for


def main(k: int = 20000) -> int:
    cal = calendar_for("KZ")
    kz = holidays.country_holidays("KZ", years=range(2024, 2028))
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i % 900) for i in range(k)]
    t = time.perf_counter()
    for d in days:
        cal.add_working_days(d, 5)
    fast = (time.perf_counter() - t) / k * 1e6
    t = time.perf_counter()
    for d in days[: k // 10]:
        n, x = 0, d
        while n < 5:
            x += dt.timedelta(days=1)
            if x.weekday() < 5 and x not in kz:
                n += 1
    slow = (time.perf_counter() - t) / (k // 10) * 1e6
    t = time.perf_counter()
    for _ in range(100):
        calendar_for("KZ", frozenset({dt.date(2026, 1, 2)}), frozenset())
    built = (time.perf_counter() - t) / 100 * 1e3
    print(f"calendar: +5 working days {fast:.2f} us by binary search vs {slow:.2f} us stepping "
          f"through `holidays` day by day ({slow / fast:.0f}x); a tenant's calendar with an "
          f"override: {built:.3f} ms to get (built once, then cached)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
