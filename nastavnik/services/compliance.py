"""The compliance report: every finding and deadline of a tenant as of a date, read from
the kept results (services.results), the statuses worked out in the database."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..core.errors import InputError
from ..storage.case import load_case
from ..storage.models import KeptFinding, KeptOwner, Mentorship, db
from . import results
from .unit import TenantWork

OPEN_STATUSES = results.OPEN


def sweep(work: TenantWork, as_of: dt.date, soon_working_days: int = 5):
    """Evaluate the tenant's whole case afresh (what-if comparisons, tests), not from
    the kept results. Returns (evaluation, case)."""
    case = load_case()[0]
    return work.rules().evaluate(case, as_of, soon_working_days), case


def soon_after(work: TenantWork, as_of: dt.date, working_days: int) -> dt.date:
    """The last day counted as "due soon": ``working_days`` working days after ``as_of``
    (the tenant's calendar alone: no rules, nor its settings, are needed to count)."""
    return work.calendar().add_working_days(as_of, working_days)


def compliance_report(work: TenantWork, as_of: dt.date, soon_working_days: int = 5) -> dict:
    """Findings and deadlines of every open mentorship and every council, and the
    deadlines of closed mentorships that are still not done (papers due after the end)."""
    report = compliance_summary(work, as_of, soon_working_days)
    soon = dt.date.fromisoformat(report["due_soon_until"])
    lang = work.lang
    report["findings"] = [{**data, "mentee": mentee, "text": data["message"][lang]}
                          for data, mentee in db.session.execute(
                              sa.select(KeptFinding.data, KeptFinding.mentee)
                              .where(KeptFinding.closed.is_(False))
                              .order_by(KeptFinding.subject, KeptFinding.position))]
    d = results.KeptDeadline
    report["deadlines"] = [{**data, "status": status, "mentee": mentee,
                            "text": data["message"][lang]}
                           for data, mentee, status in db.session.execute(
                               results.reported_deadlines(as_of, soon, d.data, d.mentee)
                               .order_by(d.due, d.subject))]
    return report


def compliance_summary(work: TenantWork, as_of: dt.date, soon_working_days: int = 5,
                       councils: bool = True) -> dict:
    """The report without its lists: how many findings of each severity and deadlines of
    each status, and (``councils``) the councils' meeting outcomes; ``up_to_date`` (and
    ``progress`` while the results are being worked out again)."""
    progress = results.up_to_date(work)
    soon = soon_after(work, as_of, soon_working_days)
    summary = results.counts(as_of, soon)
    summary["mentorships_open"] = db.session.scalar(
        sa.select(sa.func.count()).select_from(Mentorship).where(Mentorship.status == "open"))
    outcomes = [o for (kept,) in db.session.execute(
        sa.select(KeptOwner.outcomes).where(KeptOwner.kind == "council")) for o in kept or ()
                ] if councils else []
    return {
        "tenant": work.tenant.slug, "regime": work.tenant.regime, "as_of": as_of.isoformat(),
        "due_soon_until": soon.isoformat(), "councils": outcomes, "summary": summary,
        "up_to_date": progress is None, **({"progress": progress} if progress is not None else {}),
    }


def deadlines_within(work: TenantWork, as_of: dt.date, working_days: int) -> list[dict]:
    """Deadlines not yet done that fall due within ``working_days`` working days of
    ``as_of`` (the tenant's calendar), overdue ones included."""
    if working_days < 0:
        raise InputError("a number of working days, 0 or more", field="within")
    report = compliance_report(work, as_of, working_days)
    return [d for d in report["deadlines"] if d["status"] in ("overdue", "due_soon")]


def report_findings(work: TenantWork, severity=None, rule: str | None = None,
                    mentee: str | None = None, limit: int = 50, offset: int = 0) -> dict:
    """One page of the report's findings (as ``compliance_report`` has them), filtered
    and paged in the database: ``items`` and ``total``."""
    results.up_to_date(work)
    f = KeptFinding
    q = sa.select(f.data, f.mentee).where(f.closed.is_(False))
    if severity:
        q = q.where(f.severity.in_(tuple(severity)))
    if rule is not None:
        q = q.where(f.rule == rule)
    if mentee is not None:
        q = q.where(f.mentee == mentee)
    lang = work.lang
    items = [{**data, "mentee": who, "text": data["message"][lang]}
             for data, who in db.session.execute(
                 q.order_by(f.subject, f.position).limit(limit).offset(offset))]
    total = _total(q, items, limit, offset)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def report_deadlines(work: TenantWork, as_of: dt.date, within: int | None = None,
                     statuses=None, mentee: str | None = None, kind: str | None = None,
                     limit: int = 50, offset: int = 0) -> dict:
    """One page of the report's deadlines by due date, filtered and paged in the
    database; ``within``: only those overdue or due within that many working days."""
    if within is not None and within < 0:
        raise InputError("a number of working days, 0 or more", field="within")
    results.up_to_date(work)
    soon = soon_after(work, as_of, 5 if within is None else within)
    d = results.KeptDeadline
    status = results.status_of(as_of, soon)
    q = results.reported_deadlines(as_of, soon, d.data, d.mentee)  # no ORM objects to build
    if within is not None:
        q = q.where(status.in_(("overdue", "due_soon")))
    if statuses:
        q = q.where(status.in_(tuple(statuses)))
    if mentee is not None:
        q = q.where(d.mentee == mentee)
    if kind is not None:
        q = q.where(d.kind == kind)
    lang = work.lang
    items = [{**data, "status": st, "mentee": who, "text": data["message"][lang]}
             for data, who, st in db.session.execute(q.order_by(d.due, d.subject)
                                                     .limit(limit).offset(offset))]
    total = _total(q, items, limit, offset)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


def _total(q, items: list, limit: int | None, offset: int) -> int:
    """How many rows ``q`` selects in all: counted by the page itself when it holds every
    row from ``offset`` on (no limit, or fewer than the limit), else by the database."""
    if items and (limit is None or len(items) < limit) or (limit is None and not offset):
        return offset + len(items)
    return db.session.scalar(sa.select(sa.func.count()).select_from(q.subquery()))
