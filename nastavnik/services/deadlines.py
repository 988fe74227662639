"""Every deadline of a tenant as of a day, with the mentee, the current mentor and the unit
next to it: filtered, sorted and paged for the admin's deadlines page and its exports.

The deadlines are the kept results (services.results) with their statuses worked out in
the database; the names come from the tables."""

from __future__ import annotations

import datetime as dt
import re

from ..core.errors import InputError
from ..core.findings import DeadlineStatus
import sqlalchemy as sa
import sqlalchemy.orm  # noqa: F401 (sa.orm.aliased)

from ..storage.models import Assignment, KeptDeadline, Mentorship, Person, db
from . import kept_counts, results
from .compliance import soon_after
from .unit import TenantWork

STATUSES = tuple(s.value for s in DeadlineStatus)
#: the most working days ahead "due soon" may reach: a quarter, more than any paper's term
MAX_WITHIN = 66
SORTS = ("due", "status", "mentee", "mentor", "unit", "kind", "paragraph")
FILTERS = ("unit", "mentor", "kind", "paragraph", "status")
#: worst first when sorted by status
STATUS_ORDER = {"overdue": 0, "due_soon": 1, "due": 2, "done_late": 3, "done": 4}


def check_within(within) -> int:
    """A horizon in working days, 0 to MAX_WITHIN; InputError naming ``within`` otherwise."""
    try:
        value = int(str(within).strip())
    except (TypeError, ValueError):
        value = -1
    if not 0 <= value <= MAX_WITHIN:
        raise InputError(f"a number of working days from 0 to {MAX_WITHIN}", field="within")
    return value


def deadline_rows(work: TenantWork, as_of: dt.date, within: int = 5, statuses=None,
                  limit: int | None = None) -> tuple[list[dict], str]:
    """Every deadline of the report as of ``as_of`` (due soon: within ``within`` working
    days; only those of ``statuses`` if given, the first ``limit``), each with its
    mentee's and current mentor's names and the mentee's unit, ordered by due date; and
    the last day that is "due soon"."""
    within = check_within(within)
    results.up_to_date(work)
    soon = soon_after(work, as_of, within)
    if statuses is not None and set(statuses) <= set(results.OPEN):
        # by the index of what is not done (and of when things were done, for a day past)
        q = results.not_done(as_of, soon, statuses, kept_counts.done_after(as_of))
    else:
        q = results.reported_deadlines(as_of, soon)
        if statuses is not None:
            q = q.where(results.status_of(as_of, soon).in_(tuple(statuses)))
    d = KeptDeadline
    kept = db.session.execute(q.order_by(d.due, d.subject, d.kind).limit(limit)).all()
    owners = {d.owner for d, _ in kept}
    mentorships = _mentorships(owners)
    lang = work.lang
    rows = []
    for d, status in kept:
        m = mentorships.get(d.owner)
        mentor = _current(m, as_of) if m else None
        rows.append({
            "due": d.due.isoformat(), "done_on": d.done_on.isoformat() if d.done_on else None,
            "status": status, "kind": d.kind, "rule": d.rule, "paragraph": d.data["paragraph"],
            "text": d.data["message"][lang], "message": d.data["message"],
            "mentorship": str(d.owner) if m else None,
            "council": None if m else str(d.owner),
            "mentee": m["mentee"] if m else None, "mentee_name": m["mentee_name"] if m else "",
            "unit": m["unit"] if m else "",
            "mentor": mentor[0] if mentor else None, "mentor_name": mentor[1] if mentor else "",
        })
    return rows, soon.isoformat()


def _mentorships(ids) -> dict:
    """Mentorship uuid -> its mentee (number, name, unit), end and assignments (start, end,
    mentor number, mentor name), for ``ids``: three queries, whatever their number."""
    if not ids:
        return {}
    mentee = sa.orm.aliased(Person)
    out = {mid: {"mentee": number, "mentee_name": name, "unit": unit or "", "ended_on": ended,
                 "assignments": []}
           for mid, number, name, unit, ended in db.session.execute(
               sa.select(Mentorship.id, mentee.number, mentee.full_name, mentee.unit,
                         Mentorship.ended_on)
               .join(mentee, sa.and_(mentee.tenant_id == Mentorship.tenant_id,
                                     mentee.id == Mentorship.mentee_id))
               .where(Mentorship.id.in_(ids)))}
    mentor = sa.orm.aliased(Person)
    for mid, start, end, number, name in db.session.execute(
            sa.select(Assignment.mentorship_id, Assignment.start, Assignment.end, mentor.number,
                      mentor.full_name)
            .join(mentor, sa.and_(mentor.tenant_id == Assignment.tenant_id,
                                  mentor.id == Assignment.mentor_id))
            .where(Assignment.mentorship_id.in_(ids)).order_by(Assignment.start)):
        out[mid]["assignments"].append((start, end, number, name))
    return out


def _current(m: dict, as_of: dt.date):
    """The mentor (number, name) in force on ``as_of`` (or on the last day of a mentorship
    ended before it), else the last one assigned."""
    day = min(as_of, m["ended_on"] or as_of)
    for start, end, number, name in m["assignments"]:
        if start <= day and (end is None or day <= end):
            return number, name
    return m["assignments"][-1][2:] if m["assignments"] else None


def _paragraph_key(paragraph: str):
    """p.9 before p.12: numbers as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", str(paragraph)) if part]


def _sort_key(sort: str):
    return {
        "due": lambda r: (r["due"], STATUS_ORDER[r["status"]]),
        "status": lambda r: (STATUS_ORDER[r["status"]], r["due"]),
        "mentee": lambda r: (r["mentee_name"].casefold(), r["due"]),
        "mentor": lambda r: (r["mentor_name"].casefold(), r["due"]),
        "unit": lambda r: (r["unit"].casefold(), r["due"]),
        "kind": lambda r: (r["kind"], r["due"]),
        "paragraph": lambda r: (_paragraph_key(r["paragraph"]), r["due"]),
    }[sort]


def filter_deadlines(rows: list[dict], filters: dict | None = None, sort: str = "due",
                     descending: bool = False) -> list[dict]:
    """``rows`` with every given filter (unit, mentor, kind, paragraph, status) equal to
    the row's, sorted by ``sort`` (one of SORTS)."""
    filters = {k: v for k, v in (filters or {}).items() if v}
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise InputError(f"one of {', '.join(FILTERS)}", field=sorted(unknown)[0])
    if filters.get("status") and filters["status"] not in STATUSES:
        raise InputError(f"one of {', '.join(STATUSES)}", field="status")
    if sort not in SORTS:
        raise InputError(f"one of {', '.join(SORTS)}", field="sort")
    chosen = [r for r in rows if all(str(r[k] or "") == v for k, v in filters.items())]
    return sorted(chosen, key=_sort_key(sort), reverse=descending)


def choices(rows: list[dict]) -> dict:
    """What each filter may be set to, from the rows themselves."""
    mentors = {r["mentor"]: r["mentor_name"] for r in rows if r["mentor"]}
    return {
        "unit": sorted({r["unit"] for r in rows if r["unit"]}, key=str.casefold),
        "mentor": sorted(mentors.items(), key=lambda item: (item[1].casefold(), item[0])),
        "kind": sorted({r["kind"] for r in rows}),
        "paragraph": sorted({r["paragraph"] for r in rows}, key=_paragraph_key),
        "status": list(STATUSES),
    }


def deadlines_page(work: TenantWork, as_of: dt.date, within: int = 5,
                   filters: dict | None = None, sort: str = "due", descending: bool = False,
                   limit: int = 50, offset: int = 0) -> dict:
    """One page of the tenant's deadlines, filtered and sorted, with how many match, how
    many of each status the other filters leave, and the filters' choices."""
    progress = results.up_to_date(work)
    rows, soon = deadline_rows(work, as_of, within)
    chosen = filter_deadlines(rows, filters, sort, descending)
    counts = {s: 0 for s in STATUSES}  # by status, whichever status is chosen
    for r in filter_deadlines(rows, {**(filters or {}), "status": None}):
        counts[r["status"]] += 1
    return {"items": chosen[offset:offset + limit], "total": len(chosen), "limit": limit,
            "offset": offset, "counts": counts, "due_soon_until": soon,
            "within": check_within(within), "choices": choices(rows), "progress": progress}
