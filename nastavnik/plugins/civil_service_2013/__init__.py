"""Rules for assignment of mentors to persons first appointed to administrative public
positions, Republic of Kazakhstan: order of the Chairman of the Agency for Civil Service
Affairs No. 06-7/148 of 18 October 2013 (text: shared/regulations/civil_service_2013.en.txt).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nastavnik.core import hookimpl
from nastavnik.core.counting import (active_on, extend_by_absences, last_day_of_term,
                                     service_on, term_length)
from nastavnik.core.findings import (Coverage, CapacityLimit, Deadline, Fallback, Finding, Severity,
                                     Term)
from nastavnik.core.i18n import Text
from nastavnik.core.model import attribute_date
from nastavnik.core.phrases import load_phrases
from nastavnik.core.regime_info import RegimeInfo
from nastavnik.core.subjects import assignment_subject

from .schemas import ASSIGNMENT_SCHEMA, MENTORSHIP_SCHEMA, PERSON_SCHEMA, SETTINGS_SCHEMA

ID = "civil_service_2013"
HERE = Path(__file__).parent
R = f"{ID}."  # rule id prefix

# Categories are written with Latin letters (B-5, C-R-5, E-G-4) but are often typed in
# Cyrillic, as the law's own text does ("В-5", "С-О-6"): Cyrillic look-alikes map to their
# Latin twins, and Р, Г, Д to R, G, D (the letters the categories use; none has a P).
_CYRILLIC = str.maketrans({"А": "A", "В": "B", "С": "C", "Д": "D", "Е": "E", "О": "O",
                           "Р": "R", "Г": "G"})

INFO = RegimeInfo(
    id=ID,
    title={
        "ru": "Наставничество на административной государственной службе (2013)",
        "kk": "Әкімшілік мемлекеттік қызметтегі тәлімгерлік (2013)",
        "en": "Mentorship in the administrative civil service (2013)",
    },
    citation={
        "ru": "Правила закрепления наставников за лицами, впервые назначенными на "
              "административные государственные должности, утв. приказом Председателя "
              "Агентства Республики Казахстан по делам государственной службы от 18 октября "
              "2013 года № 06-7/148",
        "kk": "Әкімшілік мемлекеттік лауазымдарға алғаш рет тағайындалған адамдарға "
              "тәлімгерлерді бекіту қағидалары, Қазақстан Республикасы Мемлекеттік қызмет "
              "істері агенттігі Төрағасының 2013 жылғы 18 қазандағы № 06-7/148 бұйрығымен бекітілген",
        "en": "Rules for assignment of mentors for the persons first appointed to the "
              "administrative public positions, approved by order of the Chairman of the Agency "
              "of the Republic of Kazakhstan on the State Service Affairs of 18 October 2013 "
              "No. 06-7/148",
    },
    country="KZ",
    time_zone="Asia/Almaty",
    effective_from=dt.date(2013, 10, 18),
    mentee_kinds={
        "servant": {"ru": "служащий, впервые назначенный (п.5)",
                    "kk": "алғаш рет тағайындалған қызметші (5-т.)",
                    "en": "servant first appointed (p.5)"},
        "servant_by_decision": {"ru": "служащий другой категории по решению руководителя (п.5)",
                                "kk": "басшының шешімі бойынша басқа санаттағы қызметші (5-т.)",
                                "en": "servant of another category by the head's decision (p.5)"},
    },
    has_council=False,
    source_texts=("civil_service_2013.en.txt",),
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


@hookimpl
def mentorship_schema():
    return MENTORSHIP_SCHEMA


@hookimpl
def assignment_schema():
    return ASSIGNMENT_SCHEMA


def head_decision(m) -> tuple[str, dt.date] | None:
    """p.5: the head's decision recorded as the mentorship's ground (number, date)."""
    number = m.attributes.get("head_decision_number")
    day = attribute_date(m.attributes, "head_decision_date")
    return (number, day) if number and day else None


def category_of(person) -> str | None:
    category = person.attributes.get("category")
    return category.upper().translate(_CYRILLIC) if category else None


def assigned_on(assignment) -> dt.date:
    """The day of assignment: the order's date where there is one (p.9)."""
    return assignment.order.date if assignment.order else assignment.start


# --- p.5: who is mentored --------------------------------------------------------------

def _coverage(ctx, case, m, note: bool = True) -> Coverage:
    """p.5: the listed corps "B" categories are covered; any other category of an
    administrative public position (corps "A" included) only by the head's decision.
    A servant who is not appointed for the first time is outside the Rules (p.1, p.2(3))."""
    person = case.person_on(m.mentee, m.start)  # as the mentee stood at the start
    attrs = person.attributes
    listed = ctx.param("mentee_categories", m.start)
    category = category_of(person)
    corps = attrs.get("corps", "B")
    cyr = {"A": "А", "B": "Б"}.get(corps, corps)  # the corps as the ru and kk texts name it
    facts = {"category": category or NOT_RECORDED}
    rule_cov, rule_dec = ctx.rule(R + "p5.coverage"), ctx.rule(R + "p5.head_decision")
    if attrs.get("first_appointment") is False:
        reason = PHRASES["not_first_appointment"]
        cov = Coverage(rule_cov, m.id, False, None, {**facts, "reason": reason})
    elif corps == "B" and category in listed.value:
        cov = Coverage(rule_cov, m.id, True, "servant", facts)
    elif (decision := head_decision(m)) is not None:
        cov = Coverage(rule_dec, m.id, True, "servant_by_decision",
                       {**facts, "corps": Text(cyr, cyr, corps), "decision": decision[0],
                        "decision_date": decision[1]})
    else:
        named = Text(cyr, cyr, corps)
        if category:
            where = PHRASES["position_of_category"].fill(corps=named, category=category)
        else:
            where = PHRASES["position_without_category"].fill(corps=named)
        reason = PHRASES["not_listed"].fill(position=where)
        cov = Coverage(rule_cov, m.id, False, None, {**facts, "reason": reason})
    if note:
        ctx.note(cov.rule.id, m.id, "covered" if cov.covered else "not covered",
                 params=(listed,), category=category, corps=corps, kind=cov.kind)
    return cov


@hookimpl
def mentee_coverage(ctx, case, mentorships):
    return [_coverage(ctx, case, m) for m in mentorships]


# --- p.8: who may mentor -----------------------------------------------------------------

#: marks of the annual assessment, as the ru and kk texts name them (p.8(2))
MARKS = PHRASES["marks"]


@hookimpl
def mentor_eligibility(ctx, case, candidacies):
    out = []
    for c in candidacies:
        mentor, on, attrs = c.mentor, c.on, c.mentor.attributes
        # p.8(1): at least two years of public service
        required = ctx.param("mentor_min_service_years", on)
        service = service_on(attrs.get("public_service_start"), on,
                             attrs.get("prior_service_months", 0))
        ok = service is not None and service.at_least(years=required.value)
        ctx.note(R + "p8.service", c.subject, "met" if ok else "not met", params=(required,),
                 mentor=mentor.id, service=service, on=on)
        if not ok:
            out.append(ctx.finding(R + "p8.service", c.subject, mentor=mentor.id, on=on,
                                   service=service or NOT_RECORDED, required=required.value))
        # p.8(2): "effective" at the last assessment, else a positive attestation
        marks = ctx.param("mentor_assessment_marks", on)
        assessment = attrs.get("last_assessment")
        attestation = attrs.get("last_attestation")
        if assessment:
            ok = assessment["mark"] in marks.value
            mark = MARKS[assessment["mark"]]  # the person schema allows only these marks
            result = PHRASES["assessment_mark"].fill(mark=mark, year=assessment["year"])
        elif attestation:
            ok = attestation["result"] == "positive"
            result = PHRASES["attestation_negative"]
        else:
            ok = False
            result = PHRASES["no_assessment"]
        ctx.note(R + "p8.assessment", c.subject, "met" if ok else "not met", params=(marks,),
                 mentor=mentor.id, assessment=assessment, attestation=attestation)
        if not ok:
            out.append(ctx.finding(R + "p8.assessment", c.subject, mentor=mentor.id, result=result))
        # p.8(3): no disciplinary penalty in force
        penalties = active_on(attrs.get("disciplinary_penalties"), on, "imposed", "until")
        ctx.note(R + "p8.no_penalties", c.subject, "met" if not penalties else "not met",
                 mentor=mentor.id, penalties=penalties, on=on)
        if penalties:
            listed = [f"{p.get('kind', '?')} ({p['imposed']})" for p in penalties]
            out.append(ctx.finding(R + "p8.no_penalties", c.subject, mentor=mentor.id, on=on,
                                   penalties=listed))
    return out


@hookimpl
def mentor_fallback(ctx, case, mentee, kind, on):
    """p.8, last sentence: with no candidate meeting p.8, the direct manager is assigned."""
    if mentee.manager and mentee.manager in case.people:
        return Fallback(ctx.rule(R + "p8.fallback"), mentee.id, mentee.manager, {"on": on})
    return None


# --- p.10: how many at once --------------------------------------------------------------

@hookimpl
def mentor_capacity(ctx, on):
    limit = ctx.param("mentor_max_mentees", on)
    return CapacityLimit(ctx.rule(R + "p10.capacity"), limit.value, params=(limit,))


# --- p.6: how long ------------------------------------------------------------------------

def _base_end(ctx, m):
    """Last day of the term before absences: the order's end date or term, else the
    tenant's default term, else the longest term p.6 allows."""
    if m.planned_end is not None:
        return m.planned_end, "order", None
    if m.term_months:
        months, source = m.term_months, "order"
    elif "default_term_months" in ctx.settings:
        months, source = ctx.settings["default_term_months"], "tenant default"
    else:
        months, source = ctx.param("term_max_months", m.start).value, "p.6 longest term"
    return last_day_of_term(m.start, months=months), source, months


@hookimpl
def mentorship_term(ctx, case, mentorships):
    out = []
    rule = ctx.rule(R + "p6.term")
    for m in mentorships:
        base_end, source, months = _base_end(ctx, m)
        end, days = extend_by_absences(m.start, base_end, case.absences_of(m.mentee))
        ctx.note(rule.id, m.id, f"ends {end}", start=m.start, base_end=base_end,
                 term_source=source, absence_days=days)
        out.append(Term(rule, m.id, m.start, end,
                        {"base_end": base_end, "days": days, "source": source, "months": months}))
    return out


# --- deadlines -----------------------------------------------------------------------------

def _completion(m, terms):
    term = terms.get(m.id)
    return m.ended_on or (term.planned_end if term else None)


def _mentor_long_absences(ctx, case, a, until):
    """p.11: the mentor's absences for a valid reason of more than one week (strictly more
    than 7 calendar days) that begin while the assignment runs (to ``until`` if open)."""
    end = a.end or until
    return [x for x in case.absences_of(a.mentor)
            if x.valid_reason and a.start <= x.start and (end is None or x.start <= end)
            and x.days > ctx.param("replacement_absence_min_days", x.start).value]


@hookimpl
def mentorship_deadlines(ctx, case, mentorships, terms):
    cal, out = ctx.calendar, []
    for m in mentorships:
        first = m.assignments[0] if m.assignments else None
        if m.joined_on is not None:  # p.9: order within 5 days after joining
            n = ctx.param("assignment_days", m.joined_on).value
            out.append(Deadline(ctx.rule(R + "p9.assignment"), m.id, "assignment", "joining",
                                m.joined_on, cal.add_calendar_days(m.joined_on, n),
                                assigned_on(first) if first else None))
        if first is not None:  # p.12: plan within 3 days after assignment
            event = assigned_on(first)
            n = ctx.param("plan_days", event).value
            plan = m.paper("plan")
            out.append(Deadline(ctx.rule(R + "p12.plan"), m.id, "plan", "assignment", event,
                                cal.add_calendar_days(event, n), plan.done_on if plan else None))
        completion = _completion(m, terms)
        for i, a in enumerate(m.assignments):  # p.11: replacement
            following = m.assignments[i + 1] if i + 1 < len(m.assignments) else None
            if a.end_reason in ("dismissal", "transfer") and a.end is not None and \
                    (completion is None or a.end < completion):
                n = ctx.param("replacement_after_dismissal_working_days", a.end).value
                cause = PHRASES["cause_dismissal"]
                out.append(Deadline(ctx.rule(R + "p11.replacement"), assignment_subject(m.id, i + 1),
                                    "replacement", "mentor_dismissal", a.end,
                                    cal.add_working_days(a.end, n),
                                    assigned_on(following) if following else None,
                                    {"cause": cause, "mentor": a.mentor}))
            for absence in _mentor_long_absences(ctx, case, a, completion):
                if completion is not None and absence.start > completion:
                    continue
                n = ctx.param("replacement_after_absence_working_days", absence.start).value
                done = next((assigned_on(b) for b in m.assignments[i + 1:]
                             if b.start >= absence.start), None)
                cause = PHRASES["cause_absence"]
                out.append(Deadline(ctx.rule(R + "p11.replacement"), assignment_subject(m.id, i + 1),
                                    "replacement", "mentor_absence", absence.start,
                                    cal.add_working_days(absence.start, n), done,
                                    {"cause": cause, "mentor": a.mentor, "absence_days": absence.days}))
        if completion is not None:  # p.15-17: report, reference, submission to HR
            for kind, rule in (("mentee_report", "p15.report"), ("mentor_reference", "p16.reference")):
                paper = m.paper(kind)
                out.append(Deadline(ctx.rule(R + rule), m.id, kind, "end_of_mentorship", completion,
                                    cal.roll_forward(completion), paper.done_on if paper else None))
            n = ctx.param("submission_working_days", completion).value
            paper = m.paper("hr_submission")
            out.append(Deadline(ctx.rule(R + "p17.submission"), m.id, "hr_submission",
                                "end_of_mentorship", completion, cal.add_working_days(completion, n),
                                paper.done_on if paper else None))
    return out


# --- other checks ----------------------------------------------------------------------------

#: p.7: what is wrong with the submission or the consent
P7_STATE = PHRASES["p7_state"]
NOT_RECORDED_P7 = PHRASES["p7_not_recorded"]

#: end reasons p.11 does not list, named for the message
OTHER_GROUNDS = PHRASES["other_grounds"]


@hookimpl
def mentorship_findings(ctx, case, mentorships, terms):
    out = []
    grounds = ("dismissal", "transfer", "absence", "end_of_mentorship")
    for m in mentorships:
        term = terms.get(m.id)
        if head_decision(m) is not None:  # p.5: record the decision that covers the servant
            cov = _coverage(ctx, case, m, note=False)  # traced by mentee_coverage
            if cov.kind == "servant_by_decision":
                out.append(Finding(cov.rule, m.id, cov.facts))
        if term is not None:
            lo = ctx.param("term_min_months", m.start)
            hi = ctx.param("term_max_months", m.start)
            base_end = term.facts["base_end"]
            ok = last_day_of_term(m.start, lo.value) <= base_end <= last_day_of_term(m.start, hi.value)
            ctx.note(R + "p6.term", m.id, "within limits" if ok else "outside limits",
                     params=(lo, hi), start=m.start, base_end=base_end)
            if not ok:
                out.append(ctx.finding(R + "p6.term", m.id, term=term_length(m.start, base_end),
                                       min=lo.value, max=hi.value))
            if term.facts["days"]:
                out.append(ctx.finding(R + "p6.absence_extension", m.id, days=term.facts["days"],
                                       base_end=base_end, planned_end=term.planned_end))
        for n, a in enumerate(m.assignments, 1):
            subject = assignment_subject(m.id, n)
            for flag, rule in ((a.attributes.get("manager_submission"), "p7.submission"),
                               (a.attributes.get("mentor_consent"), "p7.consent")):
                if flag is False:  # p.7: there was none
                    out.append(ctx.finding(R + rule, subject, Severity.VIOLATION, mentor=a.mentor,
                                           state=P7_STATE[rule]))
                elif flag is None:  # not recorded: ask for it, it may well exist
                    out.append(ctx.finding(R + rule, subject, Severity.WARNING, mentor=a.mentor,
                                           state=NOT_RECORDED_P7))
            if a.order is None:
                out.append(ctx.finding(R + "p9.order", subject, mentor=a.mentor))
            if a.end_reason and a.end_reason not in grounds:
                out.append(ctx.finding(R + "p11.ground", subject, mentor=a.mentor,
                                       end=a.end or NOT_RECORDED,
                                       reason=OTHER_GROUNDS.get(a.end_reason, a.end_reason)))
            elif a.end_reason == "absence" and not _mentor_long_absences(ctx, case, a, a.end):
                out.append(ctx.finding(R + "p11.ground", subject, mentor=a.mentor,
                                       end=a.end or NOT_RECORDED,
                                       reason=PHRASES["short_absence"]))
        plan = m.paper("plan")
        if plan is not None and plan.done_on is not None and not plan.approved_by:
            out.append(ctx.finding(R + "p12.plan_agreed", m.id))
    return out


# --- the papers ------------------------------------------------------------------------------

@hookimpl
def regime_papers():
    """The papers of p.9 and p.11 (order), p.12 (individual plan), p.15 (the servant's
    report) and p.16 (the mentor's reference), with their templates in ru, kk and en."""
    return HERE / "documents" / "papers.yaml"


# --- demo, synthetic data and scenarios --------------------------------------------------------

@hookimpl
def regime_demo():
    """The demo tenant (a civil service), told in ``demo.py``."""
    from nastavnik.core.samples import Demo

    from . import demo
    return Demo.from_module(demo, position=2)


@hookimpl
def synthetic_profile():
    from .synthetic import PROFILE
    return PROFILE


@hookimpl
def regime_scenarios():
    return HERE / "scenarios"
