"""Workload against work standards: generic arithmetic, no particular regulation.

A regime that keeps work standards (time norms per action) answers the ``work_standards``
hook with a ``WorkStandards``: the act, the rules that explain each figure, and the length
of a working day. From work recorded against the norms the core computes:

- normative time = the sum over actions of count x time norm;
- working time = working days of the tenant's calendar in the period, less the working
  days the person was absent, x the hours of a working day;
- load = normative time / working time;
- compliance = results that met the action's requirement / results;
- staff number = total normative time of a unit / one employee's working time in the
  period (no absences: the time of one full staff unit).

Numbers are kept exact (``Fraction``) and rounded only for display: a lawyer checking a
figure by hand gets the same digits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .errors import InputError, RegimeError
from .findings import Finding, Rule

#: the figures a regime's work standards explain, each with a rule of its catalogue
FIGURES = ("normative_time", "working_time", "load", "compliance", "staff_number", "approval")


@dataclass(frozen=True)
class WorkStandards:
    """A regime's answer to ``work_standards``: the act, its rules per figure, the hours of
    a working day and where that number came from (a tenant setting or the default)."""

    act: str  # the act's id, as its rules' ``regime`` field cites it
    citation: dict  # ru, kk, en
    rules: dict  # figure (one of FIGURES) -> Rule
    hours_per_day: Fraction
    hours_source: str  # "setting" | "default"
    #: the regime's rule under which the workload feeds a mentee's evaluation, if any
    evaluation_rule: Rule | None = None
    #: the kind of paper (one of the regime's paper_kinds) that records that evaluation
    evaluation_paper: str | None = None

    def __post_init__(self):
        missing = [f for f in FIGURES if f not in self.rules]
        if missing:
            raise RegimeError(f"work standards {self.act} lack rules for {', '.join(missing)}")
        if self.hours_per_day <= 0:
            raise RegimeError("a working day must last more than 0 hours")

    def finding(self, figure: str, subject: str, **facts) -> Finding:
        return Finding(self.rules[figure], subject, facts)


@dataclass(frozen=True, slots=True)
class WorkDone:
    """One record: an action with its time norm, done ``count`` times, ``met`` of them
    meeting the requirement on the result."""

    action: str  # the action's code
    title: str
    time_norm_minutes: int
    count: int
    met: int

    @property
    def minutes(self) -> int:
        return self.count * self.time_norm_minutes


@dataclass(frozen=True, slots=True)
class WorkingTime:
    start: dt.date
    end: dt.date
    calendar_working_days: int  # working days of the calendar in [start, end]
    absent_working_days: int  # of those, days the person was absent
    hours_per_day: Fraction

    @property
    def working_days(self) -> int:
        return self.calendar_working_days - self.absent_working_days

    @property
    def hours(self) -> Fraction:
        return self.working_days * self.hours_per_day


@dataclass
class Workload:
    subject: str
    working_time: WorkingTime
    done: list = field(default_factory=list)  # WorkDone

    @property
    def normative_minutes(self) -> int:
        return sum(d.minutes for d in self.done)

    @property
    def normative_hours(self) -> Fraction:
        return Fraction(self.normative_minutes, 60)

    @property
    def load(self) -> Fraction | None:
        """Normative over working time; None when there was no working time at all."""
        hours = self.working_time.hours
        return self.normative_hours / hours if hours else None

    @property
    def results(self) -> int:
        return sum(d.count for d in self.done)

    @property
    def results_met(self) -> int:
        return sum(d.met for d in self.done)

    @property
    def compliance(self) -> Fraction | None:
        return Fraction(self.results_met, self.results) if self.results else None


def rounded(value: Fraction | int | None, places: int = 2) -> Decimal | None:
    """A figure for display, rounded half up (as one rounds by hand)."""
    if value is None:
        return None
    value = Fraction(value)
    exponent = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(exponent, ROUND_HALF_UP)


def percent(value: Fraction | None) -> Decimal | None:
    return None if value is None else rounded(value * 100, 1)


def working_time(calendar, start: dt.date, end: dt.date, hours_per_day: Fraction,
                 absences=()) -> WorkingTime:
    """Working days of ``calendar`` in [start, end], less the working days covered by
    ``absences`` (pairs of inclusive dates; overlapping absences count once)."""
    if end < start:
        raise InputError("the period ends before it starts", field="end")
    days = calendar.working_days_between(start - dt.timedelta(days=1), end)
    absent: set[dt.date] = set()
    for a_start, a_end in absences:
        day, last = max(a_start, start), min(a_end, end)
        while day <= last:
            if calendar.is_working_day(day):
                absent.add(day)
            day += dt.timedelta(days=1)
    return WorkingTime(start, end, days, len(absent), Fraction(hours_per_day))


def staff_number(total_normative_minutes: int, one_employee: WorkingTime) -> Fraction | None:
    """Staff units the normative time implies: normative hours / hours of one full staff
    unit in the period. None when the period has no working time."""
    hours = one_employee.hours
    return Fraction(total_normative_minutes, 60) / hours if hours else None


def hours_text(value: Fraction | None) -> str:
    """Hours as a lawyer writes them: 12.5, 170, 0.25 (two places at most)."""
    if value is None:
        return "-"
    text = f"{rounded(value, 2):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def workload_findings(standards: WorkStandards, workload: Workload, who) -> list[Finding]:
    """The figures of one person's workload, each a finding citing its paragraph."""
    wt = workload.working_time
    subject = workload.subject
    out = [
        standards.finding("working_time", subject, person=who, start=wt.start, end=wt.end,
                          calendar_days=wt.calendar_working_days,
                          absent_days=wt.absent_working_days, working_days=wt.working_days,
                          hours_per_day=hours_text(wt.hours_per_day),
                          working_hours=hours_text(wt.hours)),
        standards.finding("normative_time", subject, person=who, actions=len(workload.done),
                          results=workload.results,
                          sum=" + ".join(f"{d.count}×{d.time_norm_minutes}" for d in workload.done)
                          or "0",
                          minutes=workload.normative_minutes,
                          normative_hours=hours_text(workload.normative_hours)),
    ]
    load = workload.load
    out.append(standards.finding(
        "load", subject, person=who, normative_hours=hours_text(workload.normative_hours),
        working_hours=hours_text(wt.hours),
        load=("-" if load is None else f"{percent(load)}%")))
    compliance = workload.compliance
    out.append(standards.finding(
        "compliance", subject, person=who, met=workload.results_met, results=workload.results,
        compliance=("-" if compliance is None else f"{percent(compliance)}%")))
    return out
