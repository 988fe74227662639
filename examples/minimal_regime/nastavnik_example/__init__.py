"""An example regime: "Onboarding order No. 1 of 1 Jan 2024" of an imaginary agency.

p.2: every new employee gets a mentor; p.3: the mentor has worked here at least one
year; p.4: one mentee per mentor; p.5: three months; p.6: a plan within 10 working days.
"""

import datetime as dt
from pathlib import Path

from nastavnik.core import hookimpl
from nastavnik.core.counting import last_day_of_term, service_on
from nastavnik.core.findings import CapacityLimit, Coverage, Deadline, Term
from nastavnik.core.regime_info import RegimeInfo

HERE = Path(__file__).parent
ID = "example_onboarding"


@hookimpl
def regime_info():
    return RegimeInfo(
        id=ID,
        title={"ru": "Пример: адаптация", "kk": "Мысал: бейімделу", "en": "Example: onboarding"},
        citation={"ru": "Приказ № 1 от 01.01.2024", "kk": "2024 жылғы 1 қаңтардағы № 1 бұйрық",
                  "en": "Order No. 1 of 1 January 2024"},
        country="KZ", effective_from=dt.date(2024, 1, 1),
        mentee_kinds={"employee": {"ru": "новый работник", "kk": "жаңа қызметкер",
                                   "en": "new employee"}},
    )


@hookimpl
def regime_rules():
    return HERE / "rules.yaml"


@hookimpl
def regime_parameters():
    return HERE / "parameters.yaml"


@hookimpl
def settings_schema():
    return {"type": "object", "additionalProperties": False, "properties": {}}


@hookimpl
def person_schema():
    return {"type": "object", "additionalProperties": False,
            "properties": {"hired_on": {"type": "string", "format": "date"}}}


@hookimpl
def mentee_coverage(ctx, case, mentorships):
    rule = ctx.rule("example_onboarding.p2.coverage")
    return [Coverage(rule, m.id, True, "employee") for m in mentorships]


@hookimpl
def mentor_eligibility(ctx, case, candidacies):
    out = []
    for c in candidacies:
        need = ctx.param("mentor_min_tenure_years", c.on)
        tenure = service_on(c.mentor.attributes.get("hired_on"), c.on)
        ok = tenure is not None and tenure.at_least(years=need.value)
        ctx.note("example_onboarding.p3.tenure", c.subject, "met" if ok else "not met",
                 params=(need,), tenure=tenure)
        if not ok:
            out.append(ctx.finding("example_onboarding.p3.tenure", c.subject,
                                   mentor=c.mentor.id, tenure=tenure or "?", required=need.value))
    return out


@hookimpl
def mentor_capacity(ctx, on):
    limit = ctx.param("mentor_max_mentees", on)
    return CapacityLimit(ctx.rule("example_onboarding.p4.capacity"), limit.value, params=(limit,))


@hookimpl
def mentorship_term(ctx, case, mentorships):
    rule = ctx.rule("example_onboarding.p5.term")
    return [Term(rule, m.id, m.start,
                 last_day_of_term(m.start, months=ctx.param("term_months", m.start).value))
            for m in mentorships]


@hookimpl
def mentorship_deadlines(ctx, case, mentorships, terms):
    out = []
    for m in mentorships:
        if m.assignments:
            start = m.assignments[0].start
            n = ctx.param("plan_working_days", start).value
            plan = m.paper("plan")
            out.append(Deadline(ctx.rule("example_onboarding.p6.plan"), m.id, "plan", "assignment",
                                start, ctx.calendar.add_working_days(start, n),
                                plan.done_on if plan else None))
    return out


@hookimpl
def regime_papers():
    """The papers a mentorship records (the plan of p.6), and what deadlines count from."""
    return HERE / "papers.yaml"
