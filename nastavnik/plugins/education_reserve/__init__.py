"""Regulation on the organisation of mentorship in the training of the management reserve
of the municipal education system of the Strezhevoy urban district, Tomsk oblast, Russia
(text: shared/regulations/education_reserve_strezhevoy.ru.txt).

The act fixes almost no numbers. What it fixes is in ``parameters.yaml`` (no legal cap on
reservists per mentor, p.7; "significant" experience unquantified, p.6). The tenant sets
the minimum experience (required), and optionally a cap, a programme length and the
deadlines of the individual plan and the joint report (p.8); every answer that uses a
tenant setting says so in its facts. Working days follow Russia's calendar.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from nastavnik.core import hookimpl

from nastavnik.core.counting import as_date, last_day_of_term
from nastavnik.core.findings import CapacityLimit, Coverage, Deadline, Term
from nastavnik.core.i18n import LANGUAGES, Span, Text, ru_plural
from nastavnik.core.months import add_months
from nastavnik.core.phrases import load_phrases
from nastavnik.core.regime_info import RegimeInfo
from nastavnik.core.subjects import assignment_subject

from .schemas import PERSON_SCHEMA, SETTINGS_SCHEMA

ID = "education_reserve"
HERE = Path(__file__).parent
R = f"{ID}."  # rule id prefix
KIND = "reservist"

INFO = RegimeInfo(
    id=ID,
    title={
        "ru": "Наставничество в резерве управленческих кадров муниципальной системы "
              "образования городского округа Стрежевой",
        "kk": "Стрежевой қалалық округінің муниципалдық білім беру жүйесіндегі басқарушы "
              "кадрлар резервіндегі тәлімгерлік",
        "en": "Mentorship in the management reserve of the municipal education system of "
              "the Strezhevoy urban district",
    },
    citation={
        "ru": "Положение об организации наставничества в системе подготовки резерва "
              "управленческих кадров в муниципальной системе образования городского округа "
              "Стрежевой",
        "kk": "Стрежевой қалалық округінің муниципалдық білім беру жүйесінде басқарушы "
              "кадрлар резервін даярлау жүйесінде тәлімгерлікті ұйымдастыру туралы ереже",
        "en": "Regulation on the organisation of mentorship in the system of training the "
              "management reserve of the municipal education system of the Strezhevoy urban "
              "district",
    },
    country="RU",
    time_zone="Asia/Tomsk",
    # The text carries no date of approval: 2015-09-01 is an assumed effective date (the
    # start of the 2015/16 school year), the same as in parameters.yaml.
    effective_from=dt.date(2015, 9, 1),
    mentee_kinds={
        KIND: {"ru": "резервист (лицо, включенное в резерв управленческих кадров, п.4)",
               "kk": "резервші (басқарушы кадрлар резервіне енгізілген адам, 4-т.)",
               "en": "reservist (person included in the management reserve, p.4)"},
    },
    has_council=False,
    source_texts=("education_reserve_strezhevoy.ru.txt",),
)

#: the regime's words in ru, kk and en
PHRASES = load_phrases(HERE / "phrases.yaml")
NOT_RECORDED = PHRASES["not_recorded"]


@hookimpl
def regime_info():
    return INFO


@hookimpl
def regime_rules():
    return HERE / "rules.yaml"


@hookimpl
def regime_parameters():
    return HERE / "parameters.yaml"


@hookimpl
def settings_schema():
    return SETTINGS_SCHEMA


@hookimpl
def person_schema():
    return PERSON_SCHEMA


# --- phrases built from tenant settings --------------------------------------------------

def days_text(n: int, working: bool) -> Text:
    """ "5 рабочих дней" / "5 жұмыс күні" / "5 working days"."""
    forms = PHRASES["working_days" if working else "calendar_days"]
    # each language's own plural form for n
    form = {"ru": ru_plural(n, "one", "few", "many"), "kk": "one",
            "en": "one" if n == 1 else "many"}
    return Text(**{lang: forms[form[lang]].fill(n=n).localize(lang) for lang in LANGUAGES})


def due_date(calendar, event: dt.date, spec: dict) -> dt.date:
    """Counting conventions (DIGEST.md): working days, the event day not counted; or
    calendar days, a due date on a day off moving to the next working day."""
    if spec["working"]:
        return calendar.add_working_days(event, spec["days"])
    return calendar.add_calendar_days(event, spec["days"])


def _deadline_setting(spec: dict, after: Text) -> Text:
    days = days_text(spec["days"], spec["working"])
    return PHRASES["deadline_set_by_tenant"].fill(days=days, after=after)


AFTER_ASSIGNMENT = PHRASES["after_assignment"]
AFTER_END = PHRASES["after_end"]


def required_experience(ctx, on: dt.date):
    """The minimum experience in force on ``on`` as a Span of whole months, the Text that
    says who set it, and the legal parameter read. The tenant's number (p.6 leaves it
    open) counts; were the Regulation ever to fix one, the stricter of the two applies."""
    legal = ctx.param("legal_min_experience_years", on)
    tenant = ctx.settings["min_experience_years"]
    years, by_law = tenant, False
    if legal.value is not None and legal.value > tenant:
        years, by_law = legal.value, True
    months = math.ceil(years * 12 - 1e-9)  # a fraction of a month counts as a whole month
    span = Span(months // 12, months % 12)
    text = PHRASES["minimum_by_law" if by_law else "minimum_by_tenant"].fill(span=span)
    return span, text, legal


def experience_met(start: dt.date | None, prior_months: int, on: dt.date, required: Span) -> bool:
    """Whether experience from ``start`` plus ``prior_months`` reaches ``required`` on ``on``.

    Equivalent to comparing ``experience_on(...)`` with ``required`` (Span.between counts the
    most whole months k with base + k months <= on), at the cost of one date addition."""
    months = required.years * 12 + required.months
    if not months:
        return True
    if start is None:
        return False
    if start > on:  # experience here has not begun: only the earlier experience counts
        return prior_months >= months
    base = add_months(start, -prior_months) if prior_months else start
    return add_months(base, months) <= on


def experience_on(start: dt.date | None, prior_months: int, on: dt.date) -> Span | None:
    """Length of professional experience on ``on``: from ``start`` plus earlier months."""
    if start is None:
        return None
    if start > on:
        return Span(prior_months // 12, prior_months % 12)
    base = add_months(start, -prior_months) if prior_months else start
    return Span.between(base, on)


def assigned_on(assignment) -> dt.date:
    """The day of assignment: the order's date where there is one (p.5), else its first day."""
    return assignment.order.date if assignment.order else assignment.start


# --- p.4: who is mentored ---------------------------------------------------------------

NOT_IN_RESERVE = PHRASES["not_in_reserve"]
RESERVE_NOT_RECORDED = PHRASES["reserve_not_recorded"]


@hookimpl
def mentee_coverage(ctx, case, mentorships):
    out = []
    rule = ctx.rule(R + "p4.coverage")
    for m in mentorships:
        attrs = case.person_on(m.mentee, m.start).attributes  # as at the start
        in_reserve = attrs.get("in_management_reserve")
        included = as_date(attrs.get("reserve_included_on"))
        if in_reserve is True and (included is None or included <= m.start):
            cov = Coverage(rule, m.id, True, KIND, {"included_on": included or NOT_RECORDED})
        else:
            if in_reserve is True:  # included only after the mentorship began
                reason = PHRASES["included_after_start"].fill(included=included, start=m.start)
            elif in_reserve is False:
                reason = NOT_IN_RESERVE
            else:
                reason = RESERVE_NOT_RECORDED
            cov = Coverage(rule, m.id, False, None, {"reason": reason})
        ctx.note(rule.id, m.id, "covered" if cov.covered else "not covered",
                 in_management_reserve=in_reserve, reserve_included_on=included, start=m.start,
                 kind=cov.kind)
        out.append(cov)
    return out


# --- p.6: who may mentor ------------------------------------------------------------------

NOT_ADMINISTRATION = PHRASES["not_administration"]
ADMINISTRATION_NOT_RECORDED = PHRASES["administration_not_recorded"]


@hookimpl
def mentor_eligibility(ctx, case, candidacies):
    out = []
    required = {}  # date -> (Span, Text, ParameterValue): a sweep has few distinct dates
    for c in candidacies:
        mentor, on, attrs = c.mentor, c.on, c.mentor.attributes
        # p.6: from the administration of educational organisations
        admin = attrs.get("administration")
        ok = admin is True
        ctx.note(R + "p6.administration", c.subject, "met" if ok else "not met",
                 mentor=mentor.id, administration=admin,
                 position=attrs.get("administration_position"),
                 organisation=attrs.get("organisation"))
        if not ok:
            detail = NOT_ADMINISTRATION if admin is False else ADMINISTRATION_NOT_RECORDED
            out.append(ctx.finding(R + "p6.administration", c.subject, mentor=mentor.id,
                                   detail=detail))
        # p.6: significant professional experience, the minimum set by the tenant
        if on not in required:
            required[on] = required_experience(ctx, on)
        minimum, text, legal = required[on]
        start = as_date(attrs.get("experience_start"))
        prior = attrs.get("prior_experience_months", 0)
        ok = experience_met(start, prior, on, minimum)
        if ctx.trace is not None:
            ctx.note(R + "p6.experience", c.subject, "met" if ok else "not met", params=(legal,),
                     mentor=mentor.id, on=on, experience=experience_on(start, prior, on),
                     required=minimum, tenant_setting={
                         "min_experience_years": ctx.settings["min_experience_years"]})
        if not ok:
            experience = experience_on(start, prior, on)
            out.append(ctx.finding(R + "p6.experience", c.subject, mentor=mentor.id, on=on,
                                   experience=experience or NOT_RECORDED, required=text,
                                   min_experience_years=ctx.settings["min_experience_years"]))
    return out


# --- p.7: how many at once ----------------------------------------------------------------

CAP_BY_TENANT = PHRASES["cap_by_tenant"]
CAP_BY_LAW = PHRASES["cap_by_law"]


@hookimpl
def mentor_capacity(ctx, on):
    legal = ctx.param("legal_mentee_cap", on)
    tenant = ctx.settings.get("max_mentees")
    caps = [v for v in (legal.value, tenant) if v is not None]
    limit = min(caps) if caps else None
    cap = CAP_BY_LAW if limit is not None and limit == legal.value and limit != tenant \
        else CAP_BY_TENANT
    ctx.note(R + "p7.capacity", f"capacity@{on.isoformat()}",
             f"limit {limit}" if limit is not None else "no cap", params=(legal,),
             tenant_setting={"max_mentees": tenant})
    return CapacityLimit(ctx.rule(R + "p7.capacity"), limit,
                         {"cap": cap, "max_mentees": tenant}, params=(legal,))


# --- p.8: the dates of the internship -----------------------------------------------------

SOURCE_ORDER = PHRASES["source_order"]


def _term_source_months(months: int, by_tenant: bool) -> Text:
    return PHRASES["months_by_tenant" if by_tenant else "months_by_order"].fill(months=months)


@hookimpl
def mentorship_term(ctx, case, mentorships):
    out = []
    rule = ctx.rule(R + "p8.term")
    tenant_months = ctx.settings.get("term_months")
    tenant_source = _term_source_months(tenant_months, True) if tenant_months else None
    for m in mentorships:
        months = None
        if m.planned_end is not None:
            end, source = m.planned_end, SOURCE_ORDER
        elif m.term_months:
            months, source = m.term_months, _term_source_months(m.term_months, False)
            end = last_day_of_term(m.start, months=months)
        elif tenant_months:
            months, source = tenant_months, tenant_source
            end = last_day_of_term(m.start, months=months)
        else:
            end, source = None, None
        ctx.note(rule.id, m.id, f"ends {end}" if end else "no planned end", start=m.start,
                 stated_end=m.planned_end, stated_months=m.term_months,
                 tenant_setting={"term_months": tenant_months})
        out.append(Term(rule, m.id, m.start, end, {"source": source or NOT_RECORDED,
                                                   "months": months}))
    return out


# --- p.8: the individual plan and the joint report -----------------------------------------

@hookimpl
def mentorship_deadlines(ctx, case, mentorships, terms):
    cal, out = ctx.calendar, []
    plan_due, report_due = ctx.settings.get("plan_due"), ctx.settings.get("report_due")
    if not plan_due and not report_due:
        return out
    plan_setting = _deadline_setting(plan_due, AFTER_ASSIGNMENT) if plan_due else None
    report_setting = _deadline_setting(report_due, AFTER_END) if report_due else None
    plan_rule, report_rule = ctx.rule(R + "p8.plan"), ctx.rule(R + "p8.joint_report")
    for m in mentorships:
        if plan_due and m.assignments:
            event = assigned_on(m.assignments[0])
            paper = m.paper("plan")
            d = Deadline(plan_rule, m.id, "plan", "assignment", event,
                         due_date(cal, event, plan_due), paper.done_on if paper else None,
                         {"tenant_setting": plan_setting, "plan_due": dict(plan_due)})
            ctx.note(plan_rule.id, m.id, f"due {d.due}", event_date=event, done_on=d.done_on,
                     tenant_setting={"plan_due": plan_due})
            out.append(d)
        if report_due:
            term = terms.get(m.id)
            end = m.ended_on or (term.planned_end if term else None)
            if end is None:
                ctx.note(report_rule.id, m.id, "no deadline: the end is not known",
                         tenant_setting={"report_due": report_due})
                continue
            paper = m.paper("joint_report")
            d = Deadline(report_rule, m.id, "joint_report", "end_of_mentorship", end,
                         due_date(cal, end, report_due), paper.done_on if paper else None,
                         {"tenant_setting": report_setting, "report_due": dict(report_due)})
            ctx.note(report_rule.id, m.id, f"due {d.due}", event_date=end, done_on=d.done_on,
                     ended_on=m.ended_on, tenant_setting={"report_due": report_due})
            out.append(d)
    return out


TERM_NOT_SET = PHRASES["term_not_set"]


@hookimpl
def mentorship_findings(ctx, case, mentorships, terms):
    out = []
    plan_due, report_due = ctx.settings.get("plan_due"), ctx.settings.get("report_due")
    for m in mentorships:
        # p.5: mentors approved by order of the head of the educational institution
        for n, a in enumerate(m.assignments, 1):
            subject = assignment_subject(m.id, n)
            ctx.note(R + "p5.order", subject, "order recorded" if a.order else "no order",
                     mentor=a.mentor, order=a.order and {"number": a.order.number,
                                                         "date": a.order.date})
            if a.order is None:
                out.append(ctx.finding(R + "p5.order", subject, mentor=a.mentor))
        # p.8: the form and dates of the internship are set
        term = terms.get(m.id)
        planned_end = term.planned_end if term else m.planned_end
        reason = None
        if planned_end is None and m.ended_on is None:
            reason = TERM_NOT_SET
        elif planned_end is not None and planned_end < m.start:
            reason = PHRASES["end_before_start"].fill(planned_end=planned_end)
        ctx.note(R + "p8.term", m.id, "dates set" if reason is None else "dates not set",
                 start=m.start, planned_end=planned_end, ended_on=m.ended_on,
                 tenant_setting={"term_months": ctx.settings.get("term_months")})
        if reason is not None:
            out.append(ctx.finding(R + "p8.term", m.id, start=m.start, reason=reason))
        if m.ended_on is None:
            continue
        # p.8: the individual plan, where no tenant deadline tracks it
        if not plan_due:
            plan = m.paper("plan")
            ok = plan is not None and plan.done_on is not None
            ctx.note(R + "p8.plan_missing", m.id, "plan recorded" if ok else "no plan",
                     ended_on=m.ended_on, plan_done_on=plan.done_on if plan else None,
                     tenant_setting={"plan_due": None})
            if not ok:
                out.append(ctx.finding(R + "p8.plan_missing", m.id, ended=m.ended_on))
        # p.8: the joint report at the end, where no tenant deadline tracks it
        if not report_due:
            report = m.paper("joint_report")
            ok = report is not None and report.done_on is not None
            ctx.note(R + "p8.joint_report_missing", m.id, "report recorded" if ok else "no report",
                     ended_on=m.ended_on, report_done_on=report.done_on if report else None,
                     tenant_setting={"report_due": None})
            if not ok:
                out.append(ctx.finding(R + "p8.joint_report_missing", m.id, ended=m.ended_on))
    return out


# --- the papers ------------------------------------------------------------------------------

@hookimpl
def regime_papers():
    """The papers of p.5 (the order approving the mentor) and p.8 (the individual training
    plan and the joint report on it), with their templates in ru, kk and en."""
    return HERE / "documents" / "papers.yaml"


# --- demo, synthetic data and scenarios --------------------------------------------------------

@hookimpl
def regime_demo():
    """The demo tenant (a education department), told in ``demo.py``."""
    from nastavnik.core.samples import Demo

    from . import demo
    return Demo.from_module(demo, position=3)


@hookimpl
def synthetic_profile():
    from .synthetic import PROFILE
    return PROFILE


@hookimpl
def regime_scenarios():
    return HERE / "scenarios"
