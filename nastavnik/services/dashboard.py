"""What the dashboard shows: the counts of the compliance report, the first of what is
overdue or due soon and of the violations, mentors' load against capacity, and what the
timeline chart needs: each a few queries on the kept results and the tables, whatever the
tenant's size. The lists are cut to the first ``shown`` rows (their full lengths are
given); the deadlines page, the exports and the API have the rest."""

from __future__ import annotations

import datetime as dt

from types import SimpleNamespace

import sqlalchemy as sa

from ..core.findings import Deadline
from ..storage.case import load_part
from ..storage.models import (Assignment, KeptDeadline, KeptFinding, KeptOwner, Mentorship,
                              Person, db)
from .compliance import compliance_summary
from .deadlines import deadline_rows
from .unit import TenantWork

TIMELINE_ROWS = 30
#: up to this many running mentorships, their assignments are read by their ids
RUNNING_LISTED = 2000


def dashboard(work: TenantWork, as_of: dt.date, shown: int = 100) -> dict:
    report = compliance_summary(work, as_of, councils=False)
    report.setdefault("progress", None)
    summary = report["summary"]
    soon = dt.date.fromisoformat(report["due_soon_until"])
    engine = work.rules()
    limit = engine.capacity_limit(as_of)
    mentors, mentors_count = _mentors(engine, as_of, shown)
    pending = deadline_rows(work, as_of, 5, statuses=("overdue", "due_soon"), limit=shown)[0]
    return {
        "report": report, "mentors": mentors, "mentors_count": mentors_count,
        "capacity": limit.limit if limit is not None else None,
        "capacity_rule": limit.rule if limit is not None else None,
        "pending": pending, "pending_count": summary["overdue"] + summary["due_soon"],
        "findings": _findings(work, shown),
        "findings_count": summary["violations"] + summary["warnings"],
        "timeline": _timeline(work, soon),
    }


def _mentors(engine, as_of: dt.date, shown: int):
    """The mentors with the most mentees on ``as_of`` (counted as capacity counts them:
    an assignment runs to its end, else its mentorship's end or planned end)."""
    a, o = Assignment, KeptOwner
    # running on the day: an assignment ending on it or later, or one with no end of its
    # own whose mentorship runs to it (index ranges, not every assignment ever made)
    ending = (sa.select(a.mentor_id)
              .join(o, sa.and_(o.tenant_id == a.tenant_id, o.id == a.mentorship_id))
              .where(a.start <= as_of, a.end >= as_of))
    running = sa.select(o.id).where(o.kind == "mentorship",
                                    sa.or_(o.last_day >= as_of, o.last_day.is_(None)))
    ids = db.session.scalars(running.limit(RUNNING_LISTED + 1)).all()
    # the few mentorships running by their ids (the planner would join every assignment)
    mentorships = ids if len(ids) <= RUNNING_LISTED else running
    unended = sa.select(a.mentor_id).where(a.end.is_(None), a.start <= as_of,
                                           a.mentorship_id.in_(mentorships))
    assignments = sa.union_all(ending, unended).subquery()
    load = sa.func.count().label("load")
    loads = (sa.select(assignments.c.mentor_id, load, sa.func.count().over().label("total"))
             .group_by(assignments.c.mentor_id).subquery())
    rows = db.session.execute(
        sa.select(loads.c.mentor_id, Person.number, Person.full_name, loads.c.load,
                  loads.c.total)
        .join(Person, Person.id == loads.c.mentor_id)
        .order_by(loads.c.load.desc(), Person.full_name).limit(shown)).all()
    total = rows[0].total if rows else 0
    general = engine.capacity_limit(as_of)
    # each mentor's own limit only where the regime gives one (it reads the person)
    case = load_part((), people={r[0] for r in rows}) if engine.per_mentor_capacity else None

    def capacity(number):
        own = engine.capacity_limit(as_of, number, case) if case is not None else general
        return own.limit if own is not None else None
    return [{"name": name, "number": number, "load": n, "capacity": capacity(number)}
            for _, number, name, n, _ in rows], total


def _findings(work: TenantWork, shown: int) -> list[dict]:
    """The first violations, then warnings, with the mentee's name and mentorship."""
    f = KeptFinding
    order = sa.case((f.severity == "violation", 0), else_=1)
    rows = db.session.execute(
        sa.select(f.data, f.owner, f.mentee, Person.full_name, KeptOwner.kind)
        .join(KeptOwner, sa.and_(KeptOwner.tenant_id == f.tenant_id, KeptOwner.id == f.owner))
        .outerjoin(Person, sa.and_(Person.tenant_id == f.tenant_id, Person.number == f.mentee))
        .where(f.closed.is_(False), f.severity.in_(("violation", "warning")))
        .order_by(order, f.subject, f.position).limit(shown)).all()
    lang = work.lang
    return [{**data, "mentee": mentee, "text": data["message"][lang],
             "mentorship": str(owner) if kind == "mentorship" else None,
             "mentee_name": name or ""} for data, owner, mentee, name, kind in rows]


def _timeline(work: TenantWork, soon: dt.date) -> dict:
    """The latest open mentorships, with their mentee's name, term and deadlines."""
    # the latest first, then their names and terms: joined after the limit, the plan
    # does not depend on the kept tables' statistics (stale right after a whole
    # re-evaluation, when a join over them took 0.25 s)
    first = (sa.select(Mentorship.id).where(Mentorship.status == "open")
             .order_by(Mentorship.start.desc(), Mentorship.id.desc())
             .limit(TIMELINE_ROWS).scalar_subquery())
    latest = db.session.execute(
        sa.select(Mentorship, Person.full_name, KeptOwner.term)
        .join(Person, sa.and_(Person.tenant_id == Mentorship.tenant_id,
                              Person.id == Mentorship.mentee_id))
        .outerjoin(KeptOwner, sa.and_(KeptOwner.tenant_id == Mentorship.tenant_id,
                                      KeptOwner.id == Mentorship.id))
        .where(Mentorship.id.in_(first))
        .order_by(Mentorship.start.desc(), Mentorship.id.desc())).all()
    latest.reverse()
    rules = work.regime.rules
    deadlines: dict = {}
    for d in db.session.scalars(sa.select(KeptDeadline).where(
            KeptDeadline.owner.in_([m.id for m, _, _ in latest])).order_by(KeptDeadline.due)):
        deadlines.setdefault(d.owner, []).append(Deadline(
            rules[d.rule], d.subject, d.kind, d.data["event"],
            dt.date.fromisoformat(d.data["event_date"]), d.due, d.done_on))
    return {"soon": soon, "rows": [
        {"mentorship": m, "name": name, "term": _term(term),
         "deadlines": deadlines.get(m.id, [])} for m, name, term in latest]}


def _term(term: dict | None):
    if not term:
        return None
    end = term.get("planned_end")
    return SimpleNamespace(planned_end=dt.date.fromisoformat(end) if end else None,
                           start=dt.date.fromisoformat(term["start"]))



