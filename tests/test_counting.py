"""Terms in months and lengths of service (README: counting conventions)."""

import datetime as dt

import pytest

from nastavnik.core.counting import last_day_of_term, service_on
from nastavnik.core.i18n import Span

D = dt.date


@pytest.mark.parametrize("start, months, last_day", [
    (D(2026, 4, 1), 1, D(2026, 4, 30)),    # the day before the same date a month later
    (D(2026, 4, 15), 2, D(2026, 6, 14)),
    (D(2026, 1, 28), 1, D(2026, 2, 27)),
    (D(2026, 1, 29), 1, D(2026, 2, 28)),   # no 29 February in 2026: the month's last day
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),   # leap year
    (D(2026, 12, 31), 2, D(2027, 2, 28)),
    (D(2026, 3, 31), 1, D(2026, 4, 30)),
])
def test_last_day_of_term(start, months, last_day):
    assert last_day_of_term(start, months=months) == last_day


def test_service_counts_prior_months_before_the_start():
    assert service_on("2026-01-01", D(2026, 1, 1), prior_months=59) == Span(4, 11, 0)
    assert service_on("2026-01-01", D(2026, 2, 1), prior_months=59) == Span(5, 0, 0)


def test_service_not_yet_started_is_prior_service_only():
    assert service_on("2027-01-01", D(2026, 6, 1), prior_months=14) == Span(1, 2, 0)
    assert service_on("2027-01-01", D(2026, 6, 1)) == Span()
    assert service_on(None, D(2026, 6, 1)) is None


def test_month_arithmetic_matches_dateutil_on_every_day():
    """core.months replaces relativedelta on the hot path; it must give the same dates."""
    from dateutil.relativedelta import relativedelta

    from nastavnik.core.months import add_months, months_and_days

    day = D(2023, 1, 1)
    while day < D(2029, 1, 1):
        for months in (-61, -13, -1, 1, 2, 11, 12, 60):
            assert add_months(day, months) == day + relativedelta(months=months), (day, months)
        for later in (day, day + dt.timedelta(days=29), day + dt.timedelta(days=400)):
            rd = relativedelta(later, day)
            assert months_and_days(day, later) == (rd.years * 12 + rd.months, rd.days), (day, later)
            assert Span.between(day, later) == Span(rd.years, rd.months, rd.days)
        day += dt.timedelta(days=1)
