"""Working-day arithmetic on a national calendar, as the deadlines count."""

from __future__ import annotations

import sys

import click

from ..core.calendar import COUNTRIES, calendar_for, holiday_names
from ..core.i18n import format_date
from . import DATE

def _calendar_options(f):
    f = click.option("--country", type=click.Choice(COUNTRIES), required=True,
                     help="National calendar.")(f)
    f = click.option("--day-off", "days_off", type=DATE, multiple=True,
                     help="A tenant's extra day off (repeatable).")(f)
    f = click.option("--working-day", "working_days", type=DATE, multiple=True,
                     help="A tenant's extra working day (repeatable).")(f)
    return f


@click.group("calendar")
def calendar_group():
    """Working days of a national calendar."""


@calendar_group.command("add-working-days", context_settings={"ignore_unknown_options": True})
@_calendar_options
@click.option("--back", is_flag=True, help="Count back: 'no later than N working days before'.")
@click.argument("event", type=DATE)
@click.argument("n", type=int)
@click.pass_obj
def add_working_days(obj, country, days_off, working_days, back, event, n):
    """EVENT moved by N working days (the event day itself not counted).

    Forward: "within N working days after EVENT". Back (--back, or a negative N):
    "no later than N working days before EVENT".
    """
    cal = calendar_for(country, frozenset(days_off), frozenset(working_days))
    steps = -abs(n) if back else n
    due = cal.add_working_days(event, steps)
    click.echo(due.isoformat())
    lang = obj["lang"]
    lo, hi = (event, due) if due >= event else (due, event)
    skipped = [d for d in cal.days_off(lo, hi) if d not in (lo, hi)]
    if skipped:
        named = [f"{format_date(d, lang)}" + (f" ({holiday_names(country, d, lang)})"
                                             if holiday_names(country, d, lang) else "")
                 for d in skipped]
        click.echo(f"  days off skipped: {', '.join(named)}", err=True)


@calendar_group.command("add-days")
@_calendar_options
@click.argument("event", type=DATE)
@click.argument("n", type=int)
def add_days(country, days_off, working_days, event, n):
    """Due date of "within N days": N calendar days, rolled to the next working day."""
    cal = calendar_for(country, frozenset(days_off), frozenset(working_days))
    click.echo(cal.add_calendar_days(event, n).isoformat())


@calendar_group.command("is-working-day")
@_calendar_options
@click.argument("day", type=DATE)
@click.pass_obj
def is_working_day(obj, country, days_off, working_days, day):
    """Say whether DAY is a working day (exit 1 if not)."""
    cal = calendar_for(country, frozenset(days_off), frozenset(working_days))
    working = cal.is_working_day(day)
    name = holiday_names(country, day, obj["lang"])
    click.echo(("working day" if working else "day off") + (f" ({name})" if name else ""))
    sys.exit(0 if working else 1)


