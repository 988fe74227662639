"""A third-party regime: "Mentorship in the municipal service", order of the akimat of an
imaginary city No. 45 of 1 February 2025.

p.2: every newly hired municipal employee gets a mentor; p.3: the mentor has served at
least three years; p.4: at most two mentees per mentor; p.5: six months; p.6: a plan
within 10 working days of the mentor's assignment; p.8: the municipal commission decides on
the mentorship's results within 5 working days after the term ends.

It lives outside the package on purpose: the tests install it as a distribution would
(entry points only) and use it through the CLI, the API and the admin.
"""

import datetime as dt
from pathlib import Path

from nastavnik.core import hookimpl
from nastavnik.core.counting import last_day_of_term, service_on
from nastavnik.core.findings import CapacityLimit, Coverage, Deadline, Term
from nastavnik.core.regime_info import RegimeInfo

HERE = Path(__file__).parent
ID = "municipal_2025"
R = ID + "."


@hookimpl
def regime_info():
    return RegimeInfo(
        id=ID,
        title={"ru": "Наставничество на муниципальной службе",
               "kk": "Муниципалдық қызметтегі тәлімгерлік",
               "en": "Mentorship in the municipal service"},
        citation={"ru": "Постановление акимата № 45 от 01.02.2025",
                  "kk": "Әкімдіктің 2025 жылғы 1 ақпандағы № 45 қаулысы",
                  "en": "Resolution of the akimat No. 45 of 1 February 2025"},
        country="KZ", effective_from=dt.date(2025, 2, 1),
        mentee_kinds={"employee": {"ru": "муниципальный служащий", "kk": "муниципалдық қызметші",
                                   "en": "municipal employee"}},
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
            "properties": {
                "service_start": {
                    "type": "string", "format": "date", "title": "Municipal service since",
                    "x-title": {"ru": "На муниципальной службе с", "kk": "Муниципалдық қызметте",
                                "en": "Municipal service since"}},
                "heads_unit": {
                    "type": "boolean", "title": "Heads a unit",
                    "x-title": {"ru": "Руководит подразделением", "kk": "Бөлімшені басқарады",
                                "en": "Heads a unit"},
                    "x-help": {"ru": "Руководитель подразделения наставляет не более одного (п.4(2))",
                               "kk": "Бөлімше басшысы бір қызметшіден артық тәлімгерлік етпейді (4(2)-т.)",
                               "en": "A head of unit mentors one employee at most (p.4(2))"}}}}


# --- p.2: who is mentored ----------------------------------------------------------------

@hookimpl
def mentee_coverage(ctx, case, mentorships):
    rule = ctx.rule(R + "p2.coverage")
    return [Coverage(rule, m.id, True, "employee") for m in mentorships]


# --- p.3: who may mentor -----------------------------------------------------------------

@hookimpl
def mentor_eligibility(ctx, case, candidacies):
    out = []
    for c in candidacies:
        need = ctx.param("mentor_min_service_years", c.on)
        service = service_on(c.mentor.attributes.get("service_start"), c.on)
        ok = service is not None and service.at_least(years=need.value)
        ctx.note(R + "p3.service", c.subject, "met" if ok else "not met",
                 params=(need,), service=service)
        if not ok:
            out.append(ctx.finding(R + "p3.service", c.subject, mentor=c.mentor.id,
                                   service=service or "?", required=need.value))
    return out


# --- p.4: how many mentees a mentor may have -------------------------------------------------

@hookimpl
def mentor_capacity(ctx, on, mentor):
    """p.4(1): at most two mentees per mentor; p.4(2): a head of unit (as they stood on
    the day) mentors one at most."""
    if mentor is not None and mentor.attributes.get("heads_unit"):
        limit = ctx.param("head_of_unit_max_mentees", on)
        return CapacityLimit(ctx.rule(R + "p4.head_of_unit"), limit.value, params=(limit,))
    limit = ctx.param("mentor_max_mentees", on)
    return CapacityLimit(ctx.rule(R + "p4.capacity"), limit.value, params=(limit,))


# --- p.5: how long ---------------------------------------------------------------------------

@hookimpl
def mentorship_term(ctx, case, mentorships):
    rule = ctx.rule(R + "p5.term")
    return [field_track_term(ctx, m) or
            Term(rule, m.id, m.start,
                 last_day_of_term(m.start, months=ctx.param("term_months", m.start).value))
            for m in mentorships]


# --- p.6: what is due --------------------------------------------------------------------------

@hookimpl
def mentorship_deadlines(ctx, case, mentorships, terms):
    out = []
    for m in mentorships:
        if m.assignments:
            start = m.assignments[0].start
            n = ctx.param("plan_working_days", start).value
            plan = m.paper("plan")
            out.append(Deadline(ctx.rule(R + "p6.plan"), m.id, "plan", "assignment",
                                start, ctx.calendar.add_working_days(start, n),
                                plan.done_on if plan else None))
    return out + commission_deadlines(ctx, mentorships, terms)


# --- the regime's own facts on mentorships and assignments (p.7) ------------------------------

TRACKS = ("office", "field")

MENTORSHIP_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "track": {
            "enum": list(TRACKS), "title": "Track",
            "description": "Office work, or field work in the city's districts (p.7)",
            "x-title": {"ru": "Направление работы", "kk": "Жұмыс бағыты", "en": "Track"},
            "x-help": {"ru": "Полевое направление (работа в районах города): наставничество "
                             "девять месяцев (п. 7)",
                       "kk": "Далалық бағыт (қала аудандарындағы жұмыс): тәлімгерлік тоғыз "
                             "ай (7-тармақ)",
                       "en": "The field track (work in the city's districts): nine months "
                             "of mentorship (p.7)"},
            "x-enum-titles": {
                "office": {"ru": "аппаратное", "kk": "аппараттық", "en": "office"},
                "field": {"ru": "полевое", "kk": "далалық", "en": "field"},
            },
        },
    },
}


@hookimpl
def mentorship_schema():
    return MENTORSHIP_SCHEMA


def field_track_term(ctx, m) -> Term | None:
    """p.7: a mentorship on the field track lasts nine months instead of p.5's six."""
    if m.attributes.get("track") != "field":
        return None
    months = ctx.param("field_term_months", m.start)
    return Term(ctx.rule(R + "p7.field_term"), m.id, m.start,
                last_day_of_term(m.start, months=months.value),
                {"months": months.value}, (months,))


# --- the regime's own papers (p.8) --------------------------------------------------------------

@hookimpl
def regime_papers():
    """The plan (p.6) and the municipal commission's decision (p.8), recorded as done."""
    return HERE / "documents" / "papers.yaml"


def commission_deadlines(ctx, mentorships, terms):
    """p.8: the commission decides on the results within 5 working days after the term."""
    out = []
    for m in mentorships:
        term = terms.get(m.id)
        end = m.ended_on or (term.planned_end if term else None)
        if end is None:
            continue
        n = ctx.param("commission_decision_working_days", end).value
        decision = m.paper("commission_decision")
        out.append(Deadline(ctx.rule(R + "p8.commission_decision"), m.id, "commission_decision",
                            "end_of_term", end, ctx.calendar.add_working_days(end, n),
                            decision.done_on if decision else None))
    return out


# --- demo and synthetic data ---------------------------------------------------------------------

@hookimpl
def regime_demo():
    """The demo tenant, told as data in ``demo.yaml``."""
    from nastavnik.core.samples import Demo
    return Demo.from_yaml(HERE / "demo.yaml")


def _municipal_staff(rng, hired):
    return {"service_start": hired.isoformat()}


@hookimpl
def synthetic_profile():
    from nastavnik.core.samples import SyntheticProfile
    return SyntheticProfile(senior=_municipal_staff, newcomer=_municipal_staff, kind="employee",
                            term_months=lambda rng: 6, first_papers=(("plan", 10),),
                            closing_papers=(), capacity=2)


@hookimpl
def regime_scenarios():
    return HERE / "scenarios"
