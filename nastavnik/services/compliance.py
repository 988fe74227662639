"""The compliance sweep: every finding and deadline of a tenant as of a date.

Answers are remembered per data revision (services.cache): asking again before anything
changes costs nothing, and what is returned must not be changed by the caller."""

from __future__ import annotations

import datetime as dt

from ..core.errors import InputError
from ..core.findings import DeadlineStatus
from ..core.subjects import Subject
from .cache import case_of, remembered
from .unit import TenantWork

OPEN_STATUSES = (DeadlineStatus.DUE, DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE)


def _mentorship_of(subject: str) -> str:
    return Subject(subject).owner


def sweep(work: TenantWork, as_of: dt.date, soon_working_days: int = 5):
    """Evaluate the tenant's whole case. Returns (evaluation, case)."""
    case = case_of(work)
    evaluation = remembered(work, ("evaluation", as_of, soon_working_days),
                            lambda: work.rules().evaluate(case, as_of, soon_working_days))
    return evaluation, case


def compliance_report(work: TenantWork, as_of: dt.date, soon_working_days: int = 5) -> dict:
    """Findings and deadlines of every open mentorship and every council, and the
    deadlines of closed mentorships that are still not done (papers due after the end)."""
    return compliance_report_of(work, as_of, soon_working_days)[0]


def compliance_report_of(work: TenantWork, as_of: dt.date, soon_working_days: int = 5):
    """The report, with the evaluation and the case it came from (one sweep for both)."""
    return remembered(work, ("report", as_of, soon_working_days, work.lang),
                      lambda: _report(work, as_of, soon_working_days))


def _report(work: TenantWork, as_of: dt.date, soon_working_days: int):
    evaluation, case = sweep(work, as_of, soon_working_days)
    closed = {m.id for m in case.mentorships if m.status == "closed"}
    mentees = {m.id: m.mentee for m in case.mentorships}
    findings = [f for f in evaluation.findings if _mentorship_of(f.subject) not in closed]
    deadlines = []
    for d in evaluation.deadlines:
        status = d.status(as_of, evaluation.soon)
        if _mentorship_of(d.subject) in closed and status not in OPEN_STATUSES:
            continue
        deadlines.append((d, status))
    deadlines.sort(key=lambda pair: (pair[0].due, pair[0].subject))
    lang = work.lang
    return ({
        "tenant": work.tenant.slug, "regime": work.tenant.regime, "as_of": as_of.isoformat(),
        "due_soon_until": evaluation.soon.isoformat(),
        "findings": [{**f.to_json(), "mentee": mentees.get(_mentorship_of(f.subject)),
                      "text": f.message(lang)} for f in findings],
        "deadlines": [_deadline_json(d, status, mentees, lang) for d, status in deadlines],
        "councils": [o.to_json() for o in evaluation.outcomes],
        "summary": {
            "mentorships_open": sum(1 for m in case.mentorships if m.status == "open"),
            "violations": sum(1 for f in findings if f.level.value == "violation"),
            "warnings": sum(1 for f in findings if f.level.value == "warning"),
            **{s.value: sum(1 for _, st in deadlines if st is s) for s in DeadlineStatus},
        },
    }, evaluation, case)


def _deadline_json(d, status, mentees, lang) -> dict:
    data = d.to_json()  # without as_of: the status is the one already worked out
    data.update(status=status.value, mentee=mentees.get(_mentorship_of(d.subject)),
                text=data["message"][lang])
    return data


def deadlines_within(work: TenantWork, as_of: dt.date, working_days: int) -> list[dict]:
    """Deadlines not yet done that fall due within ``working_days`` working days of
    ``as_of`` (the tenant's calendar), overdue ones included."""
    if working_days < 0:
        raise InputError("a number of working days, 0 or more", field="within")
    report = compliance_report(work, as_of, working_days)
    return [d for d in report["deadlines"] if d["status"] in ("overdue", "due_soon")]
