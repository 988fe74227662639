import datetime as dt

import pytest

from nastavnik.core.calendar import WorkingCalendar, calendar_for, more_than_one_week
from nastavnik.core.errors import InputError

D = dt.date


def test_digest_example_nauryz():
    """DIGEST: assignment on Fri 2026-03-20, +5 working days = 2026-04-01."""
    assert calendar_for("KZ").add_working_days(D(2026, 3, 20), 5) == D(2026, 4, 1)


def test_event_day_not_counted_even_when_working():
    kz = calendar_for("KZ")
    assert kz.add_working_days(D(2026, 4, 1), 1) == D(2026, 4, 2)
    assert kz.add_working_days(D(2026, 4, 4), 1) == D(2026, 4, 6)  # from a Saturday


def test_backward_counting_skips_holidays():
    """'No later than 5 working days before 2026-04-01' skips Nauryz."""
    assert calendar_for("KZ").add_working_days(D(2026, 4, 1), -5) == D(2026, 3, 20)


def test_weekend_made_working_day_by_decree():
    kz = calendar_for("KZ")
    assert kz.is_working_day(D(2024, 5, 4))  # a Saturday worked in exchange for 6 May
    assert kz.add_working_days(D(2024, 5, 3), 1) == D(2024, 5, 4)


def test_transferred_day_off_russia():
    ru = calendar_for("RU")
    assert not ru.is_working_day(D(2026, 1, 9))  # substituted from 3 January
    assert ru.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 12)


def test_tenant_extra_day_off_and_working_day():
    base = calendar_for("KZ")
    local = calendar_for("KZ", frozenset({D(2026, 4, 1)}), frozenset({D(2026, 3, 28)}))
    assert base.add_working_days(D(2026, 3, 20), 5) == D(2026, 4, 1)
    # 28 March (Saturday) worked, 1 April off: the fifth working day is 31 March
    assert local.add_working_days(D(2026, 3, 20), 5) == D(2026, 3, 31)
    assert calendar_for("KZ") is base  # cached per overrides


def test_calendar_days_roll_forward_to_working_day():
    kz = calendar_for("KZ")
    # 2026-03-17 + 5 days = Sun 22 March (Nauryz), next working day Thu 26 March
    assert kz.add_calendar_days(D(2026, 3, 17), 5) == D(2026, 3, 26)
    assert kz.add_calendar_days(D(2026, 4, 6), 3) == D(2026, 4, 9)


def test_more_than_one_week_is_strict():
    assert not more_than_one_week(D(2026, 4, 6), D(2026, 4, 12))  # exactly 7 days
    assert more_than_one_week(D(2026, 4, 6), D(2026, 4, 13))


def test_working_days_between_matches_add():
    kz = calendar_for("KZ")
    start = D(2026, 3, 20)
    for n in range(1, 40):
        assert kz.working_days_between(start, kz.add_working_days(start, n)) == n


def test_conflicting_overrides_rejected():
    with pytest.raises(InputError, match="both"):
        WorkingCalendar("KZ", {D(2026, 4, 1)}, {D(2026, 4, 1)})


def test_unknown_country_and_out_of_range():
    with pytest.raises(InputError, match="country"):
        calendar_for("XX")
    with pytest.raises(InputError, match="outside"):
        calendar_for("KZ").add_working_days(D(1990, 1, 1), 1)
