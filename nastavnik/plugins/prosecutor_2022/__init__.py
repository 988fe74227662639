"""Rules of mentorship for persons first entering the prosecutor bodies of the Republic of
Kazakhstan: draft order of the Prosecutor General, 2022, issued under art. 12 of the Law
"On law enforcement service" of 6 January 2011 (texts: shared/regulations/
prosecutor_2022.ru.txt and prosecutor_2022.kk.txt; Kazakh wording comes from the latter).

Mentees are Academy trainees (mentored during their internship) and young employees
(entering by competition, mentored for one year after appointment). A Council of mentors
hears the reports of mentors and mentees; its meetings need 2/3 of the members present
and decide by simple majority of those present, the chair's side winning a tie.

Every legal number is in ``parameters.yaml`` and is read on the date of the decision.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from nastavnik.core import hookimpl
from nastavnik.core.counting import as_date, last_day_of_term, service_on
from nastavnik.core.findings import (CapacityLimit, Coverage, Deadline, ItemDecision,
                                     MeetingOutcome, Term)
from nastavnik.core.i18n import Text
from nastavnik.core.model import attribute_date
from nastavnik.core.months import add_months
from nastavnik.core.papers import load_catalogue
from nastavnik.core.phrases import load_phrases
from nastavnik.core.regime_info import RegimeInfo
from nastavnik.core.subjects import assignment_subject, part_subject

from .schemas import MENTORSHIP_SCHEMA, PERSON_SCHEMA, POSITION_LEVELS, SETTINGS_SCHEMA
from .work_standards import work_standards  # noqa: F401  (a hook implementation)

ID = "prosecutor_2022"
HERE = Path(__file__).parent
R = f"{ID}."  # rule id prefix

TRAINEE, YOUNG = "academy_trainee", "young_employee"
KIND_BY_ROUTE = {"academy": TRAINEE, "competition": YOUNG}

INFO = RegimeInfo(
    id=ID,
    title={
        "ru": "Наставничество в органах прокуратуры Республики Казахстан (2022)",
        "kk": "Қазақстан Республикасы прокуратура органдарындағы тәлімгерлік (2022)",
        "en": "Mentorship in the prosecutor bodies of the Republic of Kazakhstan (2022)",
    },
    citation={
        "ru": "Правила осуществления наставничества для лиц, впервые поступающих в систему "
              "органов прокуратуры Республики Казахстан, утвержденные приказом Генерального "
              "Прокурора Республики Казахстан (проект, 2022 год), изданным в соответствии со "
              "статьей 12 Закона Республики Казахстан от 6 января 2011 года «О правоохранительной "
              "службе»",
        "kk": "Қазақстан Республикасы прокуратура органдарының жүйесіне бірінші рет кіретін "
              "адамдар үшін тәлімгерлікті жүзеге асыру қағидалары, «Құқық қорғау қызметі туралы» "
              "Қазақстан Республикасы 2011 жылғы 6 қаңтардағы Заңының 12-бабына сәйкес "
              "Қазақстан Республикасы Бас Прокурорының бұйрығымен бекітілген (жоба, 2022 жыл)",
        "en": "Rules of mentorship for persons first entering the system of the prosecutor bodies "
              "of the Republic of Kazakhstan, approved by order of the Prosecutor General of the "
              "Republic of Kazakhstan (draft, 2022) under article 12 of the Law of the Republic of "
              "Kazakhstan of 6 January 2011 \"On law enforcement service\"",
    },
    country="KZ",
    time_zone="Asia/Almaty",
    # The order takes effect on its first official publication (its p.4) and the draft
    # gives no date: 2022-01-01 is an assumed date, the same as in parameters.yaml.
    effective_from=dt.date(2022, 1, 1),
    mentee_kinds={
        TRAINEE: {"ru": "слушатель Академии (в период стажировки, п.2, п.5)",
                  "kk": "Академия тыңдаушысы (тағылымдама кезеңінде, 2, 5-т.)",
                  "en": "Academy trainee (during the internship, p.2, p.5)"},
        YOUNG: {"ru": "молодой сотрудник (впервые поступивший по конкурсу, п.2, п.5)",
                "kk": "жас қызметкер (конкурс бойынша бірінші рет кірген, 2, 5-т.)",
                "en": "young employee (first entering by competition, p.2, p.5)"},
    },
    has_council=True,
    source_texts=("prosecutor_2022.ru.txt", "prosecutor_2022.kk.txt"),
)

#: the regime's words in ru, kk and en
PHRASES = load_phrases(HERE / "phrases.yaml")
NOT_RECORDED = PHRASES["not_recorded"]

KIND_LABELS = {k: Text(v["ru"], v["kk"], v["en"]) for k, v in INFO.mentee_kinds.items()}

#: position levels as the ru and kk texts name such posts (p.12)
POSITION_LABELS = PHRASES["positions"]
assert set(POSITION_LABELS) == set(POSITION_LEVELS)

#: the five areas of activity of the individual programme (p.9(1)-(5))
AREA_LABELS = PHRASES["areas"]

#: why a mentor was released, as p.12 and the model name it
RELEASE_REASONS = PHRASES["release_reasons"]


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


def internship_end(m) -> dt.date | None:
    """p.5, p.9: the last day of an Academy trainee's internship, if recorded."""
    return attribute_date(m.attributes, "internship_end")


def _label(labels: dict, key) -> Text:
    if key is None:
        return NOT_RECORDED
    return labels.get(key) or Text(str(key), str(key), str(key))


def assigned_on(assignment) -> dt.date:
    """The day of assignment: the order's date where there is one (p.7)."""
    return assignment.order.date if assignment.order else assignment.start


# --- p.5: who is mentored ---------------------------------------------------------------

def _coverage(ctx, case, m) -> Coverage:
    """p.2, p.5: an Academy trainee (entered through the Academy) or a young employee
    (entered by competition), entering the prosecutor bodies for the first time (p.1).
    The kind follows the entry route; a kind stated on the mentorship must agree with it.
    With no entry route recorded, a kind stated on the mentorship is taken as given."""
    attrs = case.person_on(m.mentee, m.start).attributes
    route, first = attrs.get("entry_route"), attrs.get("first_entry")
    implied = KIND_BY_ROUTE.get(route)
    rule = ctx.rule(R + "p5.coverage")
    stated = m.kind
    reason = None
    if first is False:
        reason = PHRASES["not_first_entry"]
    elif stated is not None and stated not in KIND_LABELS:
        reason = PHRASES["kind_not_provided"].fill(kind=stated)
    elif implied is None and stated is None:
        reason = PHRASES["route_not_recorded"]
    elif implied is not None and stated is not None and stated != implied:
        s, i = KIND_LABELS[stated], KIND_LABELS[implied]
        reason = PHRASES["kind_differs_from_route"].fill(stated=s, implied=i)
    if reason is not None:
        return Coverage(rule, m.id, False, None, {"reason": reason})
    kind = implied or stated
    return Coverage(rule, m.id, True, kind, {"kind": KIND_LABELS[kind]})


@hookimpl
def mentee_coverage(ctx, case, mentorships):
    out = []
    for m in mentorships:
        cov = _coverage(ctx, case, m)
        attrs = case.person_on(m.mentee, m.start).attributes
        ctx.note(cov.rule.id, m.id, f"covered as {cov.kind}" if cov.covered else "not covered",
                 entry_route=attrs.get("entry_route"), first_entry=attrs.get("first_entry"),
                 stated_kind=m.kind, kind=cov.kind)
        out.append(cov)
    return out


def _programme_kind(ctx, case, m) -> str:
    """The kind whose programme period applies (p.9), also for a mentee p.5 does not
    cover: the entry route, else the stated kind, else a trainee if an internship end is
    recorded, else a young employee."""
    cov = _coverage(ctx, case, m)
    if cov.covered:
        return cov.kind
    route = case.person_on(m.mentee, m.start).attributes.get("entry_route")
    if route in KIND_BY_ROUTE:
        return KIND_BY_ROUTE[route]
    if m.kind in KIND_LABELS:
        return m.kind
    return TRAINEE if internship_end(m) is not None else YOUNG


# --- p.12: who may mentor -----------------------------------------------------------------

@hookimpl
def mentor_eligibility(ctx, case, candidacies):
    out = []
    rank = {level: i for i, level in enumerate(POSITION_LEVELS)}
    for c in candidacies:
        mentor, on, attrs = c.mentor, c.on, c.mentor.attributes
        # p.12: at least five years of service in the prosecutor bodies
        required = ctx.param("mentor_min_service_years", on)
        service = service_on(attrs.get("prosecution_service_start"), on,
                             attrs.get("prior_service_months", 0))
        ok = service is not None and service.at_least(years=required.value)
        ctx.note(R + "p12.service", c.subject, "met" if ok else "not met", params=(required,),
                 mentor=mentor.id, service_start=attrs.get("prosecution_service_start"),
                 prior_months=attrs.get("prior_service_months", 0), service=service, on=on)
        if not ok:
            out.append(ctx.finding(R + "p12.service", c.subject, mentor=mentor.id, on=on,
                                   service=service or NOT_RECORDED, required=required.value))
        # p.12: a position not lower than deputy district prosecutor or equivalent
        lowest = ctx.param("mentor_min_position_level", on)
        level = attrs.get("position_level")
        ok = level in rank and rank[level] >= rank[lowest.value]
        ctx.note(R + "p12.position", c.subject, "met" if ok else "not met", params=(lowest,),
                 mentor=mentor.id, position_level=level)
        if not ok:
            out.append(ctx.finding(R + "p12.position", c.subject, mentor=mentor.id, on=on,
                                   position=_label(POSITION_LABELS, level),
                                   required=POSITION_LABELS[lowest.value]))
    return out


# --- p.13: how many at once -------------------------------------------------------------------

@hookimpl
def mentor_capacity(ctx, on):
    limit = ctx.param("mentor_max_mentees", on)
    return CapacityLimit(ctx.rule(R + "p13.capacity"), limit.value, params=(limit,))


# --- p.9: how long -----------------------------------------------------------------------------

def _computed_end(ctx, m, kind):
    """p.9: the internship for a trainee (its last day), one year for a young employee."""
    if kind == TRAINEE:
        return internship_end(m), None
    years = ctx.param("young_employee_programme_years", m.start)
    return last_day_of_term(m.start, years=years.value), years


@hookimpl
def mentorship_term(ctx, case, mentorships):
    out = []
    rule = ctx.rule(R + "p9.programme_period")
    for m in mentorships:
        kind = _programme_kind(ctx, case, m)
        end, years = _computed_end(ctx, m, kind)
        params = (years,) if years else ()
        ctx.note(rule.id, m.id, f"ends {end}" if end else "end unknown: internship end not recorded",
                 params=params, kind=kind, start=m.start, internship_end=internship_end(m),
                 stated_end=m.planned_end)
        out.append(Term(rule, m.id, m.start, end, {"kind": kind}, params))
    return out


# --- deadlines ----------------------------------------------------------------------------------

def _quorum(ctx, council, meeting):
    """p.21: members, members present, the least number present, quorate or not."""
    q = ctx.param("council_quorum", meeting.date)
    members = list(dict.fromkeys(x.person for x in council.members))
    ids = set(members)
    present = [p for p in dict.fromkeys(meeting.present) if p in ids]
    num, den = q.value["numerator"], q.value["denominator"]
    required = -(-len(members) * num // den)  # ceiling of members * 2/3
    quorate = len(members) > 0 and len(present) * den >= len(members) * num
    return members, present, required, quorate, q


def _hearings(ctx, case) -> dict:
    """Mentorship id -> dates of quorate Council meetings that heard its reports."""
    out: dict[str, list] = {}
    for council in case.councils:
        for meeting in council.meetings:
            items = [it for it in meeting.items if it.hearing]
            if items and _quorum(ctx, council, meeting)[3]:
                for it in items:
                    out.setdefault(it.hearing, []).append(meeting.date)
    return out


def _cut_short(m, planned_end) -> bool:
    """The mentorship ended before its planned end (e.g. the mentee left the service)."""
    return m.ended_on is not None and planned_end is not None and m.ended_on < planned_end


def _done(m, kind):
    paper = m.paper(kind)
    return paper.done_on if paper else None


@hookimpl
def mentorship_deadlines(ctx, case, mentorships, terms):
    cal, out = ctx.calendar, []
    hearings = _hearings(ctx, case) if case.councils else {}
    for m in mentorships:
        term = terms.get(m.id)
        planned_end = term.planned_end if term else None
        # p.8: the programme within five working days of the (first) assignment
        if m.assignments:
            event = assigned_on(m.assignments[0])
            n = ctx.param("programme_working_days", event)
            due = cal.add_working_days(event, n.value)
            done = _done(m, "programme")
            ctx.note(R + "p8.programme", m.id, f"due {due}, done {done}", params=(n,),
                     assigned=event, due=due, done=done)
            out.append(Deadline(ctx.rule(R + "p8.programme"), m.id, "programme", "assignment",
                                event, due, done, {"days": n.value}))
        if planned_end is None:
            continue
        if _cut_short(m, planned_end):
            ctx.note(R + "p6.hearing", m.id, "no hearing due: the mentorship ended early",
                     ended=m.ended_on, planned_end=planned_end)
            continue
        # p.6: reports heard by the Council no later than 7 working days before the end;
        # p.10(3), p.14(9): the mentee's and the mentor's reports for that hearing
        n = ctx.param("hearing_working_days_before_end", planned_end)
        due = cal.add_working_days(planned_end, -n.value)
        heard = min(hearings.get(m.id, ()), default=None) or _done(m, "council_hearing")
        ctx.note(R + "p6.hearing", m.id, f"due {due}, heard {heard}", params=(n,),
                 planned_end=planned_end, due=due, quorate_meetings=hearings.get(m.id, []),
                 paper=_done(m, "council_hearing"))
        facts = {"days": n.value}
        out.append(Deadline(ctx.rule(R + "p6.hearing"), m.id, "council_hearing",
                            "end_of_mentorship", planned_end, due, heard, facts))
        for kind, rule in (("mentee_report", "p10.report"), ("mentor_report", "p14.report")):
            done = _done(m, kind)
            ctx.note(R + rule, m.id, f"due {due}, done {done}", params=(n,), due=due, done=done)
            out.append(Deadline(ctx.rule(R + rule), m.id, kind, "end_of_mentorship",
                                planned_end, due, done, facts))
        # p.11, p.14(10): the final evaluation at the end of the mentorship
        due = cal.roll_forward(planned_end)
        done = _done(m, "evaluation")
        ctx.note(R + "p11.evaluation", m.id, f"due {due}, done {done}", due=due, done=done)
        out.append(Deadline(ctx.rule(R + "p11.evaluation"), m.id, "evaluation",
                            "end_of_mentorship", planned_end, due, done))
    for m in mentorships:
        out.extend(_replacement_deadlines(ctx, m, terms.get(m.id)))
    return out


def _completion(m, term):
    return m.ended_on or (term.planned_end if term else None)


def _released_early(m, term):
    """Assignments that end before the mentorship does: (number, assignment, next one)."""
    completion = _completion(m, term)
    out = []
    for i, a in enumerate(m.assignments):
        if a.end is not None and (completion is None or a.end < completion):
            following = m.assignments[i + 1] if i + 1 < len(m.assignments) else None
            out.append((i + 1, a, following))
    return out


def _replacement_deadlines(ctx, m, term):
    """p.12: at most five working days between the release of a mentor and the
    assignment of the next one (the day of release not counted)."""
    out = []
    for n, a, following in _released_early(m, term):
        subject = assignment_subject(m.id, n)
        if a.end_reason == "end_of_mentorship":
            ctx.note(R + "p12.replacement", subject, "no replacement: released at the end of "
                     "mentorship", end=a.end)
            continue
        gap = ctx.param("replacement_max_gap_working_days", a.end)
        due = ctx.calendar.add_working_days(a.end, gap.value)
        done = following.start if following else None
        if following is None and m.ended_on is not None and m.ended_on <= due:
            ctx.note(R + "p12.replacement", subject, "no replacement due: the mentorship ended "
                     "within the period", params=(gap,), released=a.end, ended=m.ended_on, due=due)
            continue
        ctx.note(R + "p12.replacement", subject, f"due {due}, next mentor from {done}",
                 params=(gap,), released=a.end, reason=a.end_reason, due=due, next=done)
        out.append(Deadline(ctx.rule(R + "p12.replacement"), subject, "replacement",
                            "mentor_release", a.end, due, done,
                            {"mentor": a.mentor, "reason": _label(RELEASE_REASONS, a.end_reason),
                             "days": gap.value}))
    return out


# --- other checks on mentorships ---------------------------------------------------------------

def _period_detail(m, kind, computed):
    """What is wrong with the programme period, or None (p.9)."""
    if kind == TRAINEE and internship_end(m) is None:
        return PHRASES["internship_end_not_recorded"]
    if m.planned_end is None or computed is None or m.planned_end == computed:
        return None
    if kind == TRAINEE:
        why = PHRASES["at_internship_end"]
    else:
        why = PHRASES["one_year_from"].fill(start=m.start)
    return PHRASES["end_differs"].fill(stated=m.planned_end, computed=computed, why=why)


@hookimpl
def mentorship_findings(ctx, case, mentorships, terms):
    out = []
    for m in mentorships:
        term = terms.get(m.id)
        # p.9: the programme period
        kind = term.facts["kind"] if term else _programme_kind(ctx, case, m)
        computed = term.planned_end if term else None
        detail = _period_detail(m, kind, computed)
        ctx.note(R + "p9.programme_period", m.id, "in order" if detail is None else "not in order",
                 kind=kind, internship_end=internship_end(m), stated_end=m.planned_end,
                 computed_end=computed)
        if detail is not None:
            out.append(ctx.finding(R + "p9.programme_period", m.id, detail=detail))
        # p.8, p.9: the programme's approval and content
        programme = m.paper("programme")
        if programme is not None and programme.done_on is not None:
            approved = bool(programme.approved_by)
            ctx.note(R + "p8.programme_approval", m.id, "approved" if approved else "approver "
                     "not recorded", approved_by=programme.approved_by)
            if not approved:
                out.append(ctx.finding(R + "p8.programme_approval", m.id, done=programme.done_on))
            areas = ctx.param("programme_content_areas", programme.done_on)
            sections = programme.attributes.get("sections", ())
            missing = [a for a in areas.value if a not in sections]
            ctx.note(R + "p9.programme_content", m.id, "complete" if not missing else
                     f"missing {missing}", params=(areas,), sections=list(sections))
            if missing:
                out.append(ctx.finding(R + "p9.programme_content", m.id,
                                       missing=[_label(AREA_LABELS, a) for a in missing]))
        # p.7: every assignment and replacement by order of the head
        for n, a in enumerate(m.assignments, 1):
            subject = assignment_subject(m.id, n)
            ctx.note(R + "p7.order", subject, "order recorded" if a.order else "no order",
                     mentor=a.mentor, order=a.order.number if a.order else None)
            if a.order is None:
                out.append(ctx.finding(R + "p7.order", subject, mentor=a.mentor))
        # p.12: grounds for releasing a mentor before the mentorship ends
        for n, a, _ in _released_early(m, term):
            subject = assignment_subject(m.id, n)
            grounds = ctx.param("replacement_grounds", a.end)
            ok = a.end_reason in grounds.value
            ctx.note(R + "p12.replacement_ground", subject, "ground of p.12" if ok else
                     "not a ground of p.12", params=(grounds,), end=a.end, reason=a.end_reason)
            if not ok:
                out.append(ctx.finding(R + "p12.replacement_ground", subject, mentor=a.mentor,
                                       end=a.end, reason=_label(RELEASE_REASONS, a.end_reason)))
    return out


# --- the Council of mentors: p.17-19 ----------------------------------------------------------------

#: the grounds p.19 names, with their words: the catalogue's ``council_bases``
BASIS_LABELS = load_catalogue(HERE / "documents" / "papers.yaml").council_bases


def _basis_problem(council, member, person):
    """What is wrong with a member's ground for membership (p.19), or None."""
    attrs = person.attributes if person else {}
    basis = member.basis
    if basis is None:
        return PHRASES["basis_not_recorded"]
    if basis not in BASIS_LABELS:
        return PHRASES["basis_not_listed"].fill(basis=basis)
    label = BASIS_LABELS[basis]
    if basis == "service_awards":
        created = council.created_on
        awards = [a for a in attrs.get("awards", ()) if as_date(a.get("date")) is not None
                  and as_date(a["date"]) <= created]
        if not awards:
            return PHRASES["no_awards"].fill(ground=label, created=created)
    elif basis == "psychologist_polygraphologist":
        if attrs.get("psychologist_polygraphologist") is not True:
            return PHRASES["not_polygraphologist"].fill(ground=label)
    elif not attrs.get("veteran_retired_reason"):
        return PHRASES["no_retirement"].fill(ground=label)
    return None


@hookimpl
def council_findings(ctx, case, councils):
    out = []
    for c in councils:
        # p.17: the Council is approved by order of the head
        ctx.note(R + "p17.order", c.id, "order recorded" if c.order else "no order",
                 order=c.order.number if c.order else None)
        if c.order is None:
            out.append(ctx.finding(R + "p17.order", c.id))
        # p.18: an odd number of members, at least five
        size = len(dict.fromkeys(x.person for x in c.members))
        least = ctx.param("council_min_members", c.created_on)
        odd = ctx.param("council_size_odd", c.created_on)
        problems = []
        if size < least.value:
            problems.append(PHRASES["fewer_than"].fill(least=least.value))
        if odd.value and size % 2 == 0:
            problems.append(PHRASES["even_number"])
        ctx.note(R + "p18.size", c.id, "in order" if not problems else "not in order",
                 params=(least, odd), size=size)
        if problems:
            out.append(ctx.finding(R + "p18.size", c.id, size=size, min=least.value,
                                   detail=problems))
        # p.18: the chair is the authorised head of the body or a deputy
        chairs = [x.person for x in c.members if x.role == "chair"]
        detail = None
        if not chairs:
            detail = PHRASES["no_chair_designated"]
        elif len(chairs) > 1:
            names = ", ".join(chairs)
            detail = PHRASES["several_chairs_designated"].fill(names=names)
        elif case.person_on(chairs[0], c.created_on).attributes.get("head_or_deputy") is not True:
            detail = PHRASES["chair_not_head"].fill(chair=chairs[0])
        ctx.note(R + "p18.chair", c.id, "in order" if detail is None else "not in order",
                 chairs=chairs)
        if detail is not None:
            out.append(ctx.finding(R + "p18.chair", c.id, detail=detail))
        # p.19: every member sits on a ground p.19 names; the chair sits under p.18
        for x in c.members:
            if x.role == "chair":
                ctx.note(R + "p19.member_basis", c.id, f"{x.person}: chair, sits under p.18",
                         member=x.person)
                continue
            person = case.people.get(x.person)  # as the member stood when the council was formed
            problem = _basis_problem(c, x, person.on(c.created_on) if person else None)
            ctx.note(R + "p19.member_basis", c.id, f"{x.person}: " + ("in order" if problem is None
                     else "not in order"), member=x.person, basis=x.basis)
            if problem is not None:
                out.append(ctx.finding(R + "p19.member_basis", c.id, member=x.person,
                                       detail=problem))
    return out


# --- p.20: the first meeting -----------------------------------------------------------------------

@hookimpl
def council_deadlines(ctx, case, councils):
    out = []
    for c in councils:
        months = ctx.param("council_first_meeting_months", c.created_on)
        # "within a month": the same date a month later (the last day of a shorter month),
        # moved to the next working day if it is a day off
        due = ctx.calendar.roll_forward(add_months(c.created_on, months.value))
        first = min((mt.date for mt in c.meetings), default=None)
        ctx.note(R + "p20.first_meeting", c.id, f"due {due}, first meeting {first}",
                 params=(months,), created=c.created_on, due=due, first_meeting=first)
        out.append(Deadline(ctx.rule(R + "p20.first_meeting"), c.id, "first_meeting",
                            "council_creation", c.created_on, due, first,
                            {"months": months.value}))
    return out


# --- p.21: quorum and decisions ---------------------------------------------------------------------

QUORATE = PHRASES["quorate"]
NOT_QUORATE = PHRASES["not_quorate"]


def _fraction(value) -> str:
    return f"{value['numerator']}/{value['denominator']}"


@hookimpl
def meeting_outcome(ctx, council, meeting):
    subject = part_subject(council.id, meeting.id)
    members, present, required, quorate, quorum = _quorum(ctx, council, meeting)
    majority = ctx.param("council_majority", meeting.date)
    m_num, m_den = majority.value["numerator"], majority.value["denominator"]
    chairs = [x.person for x in council.members if x.role == "chair"]
    chair = chairs[0] if len(chairs) == 1 else None
    present_set = set(present)
    base = {"meeting": meeting.id, "date": meeting.date, "members": len(members),
            "present": len(present), "required": required, "quorum": _fraction(quorum.value)}
    ctx.note(R + "p21.quorum", subject, "quorate" if quorate else "not quorate", params=(quorum,),
             members=members, present=present, required=required,
             not_members=[p for p in meeting.present if p not in set(members)])
    findings = []
    if not quorate:
        findings.append(ctx.finding(R + "p21.quorum", subject, **base))
    decisions, explained = {}, {}
    for item in meeting.items:
        counted = {p: v for p, v in item.votes.items() if p in present_set}
        ignored = [p for p in item.votes if p not in present_set]
        if ignored:
            findings.append(ctx.finding(R + "p21.vote_not_counted", subject, meeting=meeting.id,
                                        item=item.id, voters=ignored))
        votes = list(counted.values())
        yes, no = votes.count("for"), votes.count("against")
        others = len(present) - yes - no
        tie_broken, how = False, "majority"
        if not quorate:
            adopted, how = None, "no_quorum"
        elif yes == no and yes > 0:
            chair_vote = counted.get(chair) if chair else None
            if chair_vote in ("for", "against"):
                adopted, tie_broken, how = chair_vote == "for", True, "tie_broken_by_chair"
            else:
                adopted, how = None, "tie_unresolved"
                findings.append(ctx.finding(R + "p21.tie_unresolved", subject, meeting=meeting.id,
                                            item=item.id, votes_for=yes, votes_against=no,
                                            chair_vote=_chair_vote(chair, chairs, present_set,
                                                                   chair_vote)))
        else:
            adopted = yes * m_den > len(present) * m_num
        # the least number of votes for that is a simple majority of those present
        needed = len(present) * m_num // m_den + 1
        ctx.note(R + "p21.decision", subject, f"item {item.id}: {how}, adopted={adopted}",
                 params=(majority,), item=item.id, votes_for=yes, votes_against=no,
                 abstained=others, present=len(present), needed=needed, chair=chair,
                 ignored=ignored)
        decisions[item.id] = ItemDecision(item.id, yes, no, others, adopted, tie_broken)
        explained[item.id] = {"for": yes, "against": no, "abstained": others,
                              "majority_needed": needed, "decided_by": how, "adopted": adopted}
    facts = {**base, "result": QUORATE if quorate else NOT_QUORATE,
             "majority": PHRASES["majority"].fill(fraction=_fraction(majority.value)),
             "items": explained}
    return MeetingOutcome(ctx.rule(R + "p21.decision"), council.id, meeting.id, len(members),
                          len(present), quorate, decisions, findings, facts)


def _chair_vote(chair, chairs, present_set, vote) -> Text:
    """Why the chair's vote cannot break a tie (p.21)."""
    if chair is None:
        if chairs:
            return PHRASES["council_has_several_chairs"]
        return PHRASES["council_has_no_chair"]
    if chair not in present_set:
        return PHRASES["chair_absent"].fill(chair=chair)
    if vote == "abstain":
        return PHRASES["chair_abstained"].fill(chair=chair)
    return PHRASES["chair_did_not_vote"].fill(chair=chair)


# --- the papers ------------------------------------------------------------------------------

@hookimpl
def regime_papers():
    """The papers of p.7 (order), p.8-9 (programme), p.10 and p.14 (reports) and p.21
    (council minutes), with their templates in ru, kk and en."""
    return HERE / "documents" / "papers.yaml"


# --- demo, synthetic data and scenarios --------------------------------------------------------

@hookimpl
def regime_demo():
    """The demo tenant (a prosecutor's office), told in ``demo.py``."""
    from nastavnik.core.samples import Demo

    from . import demo
    return Demo.from_module(demo, position=1)


@hookimpl
def synthetic_profile():
    from .synthetic import PROFILE
    return PROFILE


@hookimpl
def regime_scenarios():
    return HERE / "scenarios"
