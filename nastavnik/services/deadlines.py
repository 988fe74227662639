"""Every deadline of a tenant as of a day, with the mentee, the current mentor and the unit
next to it: filtered, sorted and paged for the admin's deadlines page and its exports.

The deadlines are worked out by the compliance sweep (services.compliance), not stored,
so a page is cut from the computed list (remembered per data revision like the sweep):
paging saves rendering, not computing."""

from __future__ import annotations

import datetime as dt
import re

from ..core.errors import InputError
from ..core.findings import DeadlineStatus
from ..core.subjects import Subject
from .cache import remembered
from .compliance import compliance_report_of
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


def deadline_rows(work: TenantWork, as_of: dt.date, within: int = 5) -> tuple[list[dict], str]:
    """Every deadline of the report as of ``as_of`` (due soon: within ``within`` working
    days), each with its mentee's and current mentor's names and the mentee's unit; and
    the last day that is "due soon"."""
    within = check_within(within)
    return remembered(work, ("deadline_rows", as_of, within, work.lang),
                      lambda: _rows(work, as_of, within))


def _rows(work: TenantWork, as_of: dt.date, within: int):
    report, _evaluation, case = compliance_report_of(work, as_of, within)
    mentorships = {m.id: m for m in case.mentorships}
    councils = {c.id for c in case.councils}
    lang = work.lang
    rows = []
    for d in report["deadlines"]:
        owner = Subject(d["subject"]).owner
        m = mentorships.get(owner)
        mentee = case.people.get(m.mentee) if m else None
        current = (m.mentor_on(min(as_of, m.ended_on or as_of)) or
                   (m.assignments[-1] if m.assignments else None)) if m else None
        mentor = case.people.get(current.mentor) if current else None
        rows.append({
            "due": d["due"], "done_on": d["done_on"], "status": d["status"], "kind": d["kind"],
            "rule": d["rule"], "paragraph": d["paragraph"], "text": d["message"][lang],
            "message": d["message"],
            "mentorship": m.id if m else None, "council": owner if owner in councils else None,
            "mentee": m.mentee if m else None, "mentee_name": mentee.name if mentee else "",
            "unit": (mentee.unit or "") if mentee else "",
            "mentor": current.mentor if current else None,
            "mentor_name": mentor.name if mentor else "",
        })
    return rows, report["due_soon_until"]


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
    rows, soon = deadline_rows(work, as_of, within)
    chosen = filter_deadlines(rows, filters, sort, descending)
    counts = {s: 0 for s in STATUSES}  # by status, whichever status is chosen
    for r in filter_deadlines(rows, {**(filters or {}), "status": None}):
        counts[r["status"]] += 1
    return {"items": chosen[offset:offset + limit], "total": len(chosen), "limit": limit,
            "offset": offset, "counts": counts, "due_soon_until": soon,
            "within": check_within(within), "choices": choices(rows)}
