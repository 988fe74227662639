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
from . import results
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
    q = results.reported_deadlines(as_of, soon)
    if statuses is not None:
        q = q.where(results.status_of(as_of, soon).in_(tuple(statuses)))
    kept = db.session.execute(q.order_by(KeptDeadline.due, KeptDeadline.subject)
                              .limit(limit)).all()
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
    """One page of the tenant's deadlines, filtered, sorted and paged in the database, with
    how many match, how many of each status the other filters leave, and the filters'
    choices."""
    within = check_within(within)
    filters = _checked(filters, sort)
    progress = results.up_to_date(work)
    soon = soon_after(work, as_of, within)
    rows = _Rows(work, as_of, soon)
    chosen = rows.where(filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(chosen.subquery()))
    page = db.session.execute(chosen.order_by(*rows.order(sort, descending))
                              .limit(limit).offset(offset)).all()
    others = rows.where({**filters, "status": None}).subquery()
    counts = {s: 0 for s in STATUSES}  # by status, whichever status is chosen
    counts.update(dict(db.session.execute(sa.select(others.c.status, sa.func.count())
                                          .group_by(others.c.status)).all()))
    return {"items": [rows.as_dict(r) for r in page], "total": total, "limit": limit,
            "offset": offset, "counts": counts, "due_soon_until": soon.isoformat(),
            "within": within, "choices": rows.choices(), "progress": progress}


def _checked(filters: dict | None, sort: str) -> dict:
    filters = {k: v for k, v in (filters or {}).items() if v}
    unknown = set(filters) - set(FILTERS)
    if unknown:
        raise InputError(f"one of {', '.join(FILTERS)}", field=sorted(unknown)[0])
    if filters.get("status") and filters["status"] not in STATUSES:
        raise InputError(f"one of {', '.join(STATUSES)}", field="status")
    if sort not in SORTS:
        raise InputError(f"one of {', '.join(SORTS)}", field="sort")
    return filters


class _Rows:
    """The report's deadlines as one query, with the mentee (name, unit) and the mentor in
    force on the day (or on the last day of a mentorship ended before it; else the last
    one assigned): what the deadlines page filters and sorts by."""

    def __init__(self, work: TenantWork, as_of: dt.date, soon: dt.date):
        self.lang, tid = work.lang, work.tenant.id
        d, m, a = KeptDeadline, Mentorship, Assignment
        mentee, mentor = sa.orm.aliased(Person), sa.orm.aliased(Person)
        # each mentorship's mentor in force on the day (the first in force), else its last
        day = sa.case((sa.and_(m.ended_on.is_not(None), m.ended_on < as_of), m.ended_on),
                      else_=as_of)
        in_force = sa.and_(a.start <= day, sa.or_(a.end.is_(None), a.end >= day))
        rank = sa.func.row_number().over(
            partition_by=a.mentorship_id,
            order_by=(sa.case((in_force, 0), else_=1), sa.case((in_force, a.start)),
                      a.start.desc()))
        current = (sa.select(a.mentorship_id, a.mentor_id, rank.label("rank"))
                   .join(m, sa.and_(m.tenant_id == a.tenant_id, m.id == a.mentorship_id))
                   .where(a.tenant_id == tid).subquery("current"))
        self.status = results.status_of(as_of, soon).label("status")
        self.mentee, self.mentor, self.d = mentee, mentor, d
        self.paragraphs = {rule.id: rule.paragraph for rule in work.regime.rules.values()}
        self.base = (
            sa.select(d.due, d.done_on, self.status, d.kind, d.rule, d.data, d.owner, d.subject,
                      m.id.label("mentorship"), mentee.number.label("mentee"),
                      mentee.full_name.label("mentee_name"), mentee.unit.label("unit"),
                      mentor.number.label("mentor"), mentor.full_name.label("mentor_name"))
            .outerjoin(m, sa.and_(m.tenant_id == d.tenant_id, m.id == d.owner))
            .outerjoin(mentee, sa.and_(mentee.tenant_id == d.tenant_id, mentee.id == m.mentee_id))
            .outerjoin(current, sa.and_(current.c.mentorship_id == m.id, current.c.rank == 1))
            .outerjoin(mentor, sa.and_(mentor.tenant_id == d.tenant_id,
                                       mentor.id == current.c.mentor_id))
            .where(d.tenant_id == tid, sa.or_(d.closed.is_(False), self.status.in_(results.OPEN))))

    def where(self, filters: dict):
        q = self.base
        for key, value in filters.items():
            if not value:
                continue
            if key == "unit":
                q = q.where(self.mentee.unit == value)
            elif key == "mentor":
                q = q.where(self.mentor.number == value)
            elif key == "kind":
                q = q.where(self.d.kind == value)
            elif key == "paragraph":
                q = q.where(self.d.rule.in_([r for r, p in self.paragraphs.items()
                                             if str(p) == value] or [""]))
            elif key == "status":
                q = q.where(self.status == value)
        return q

    def order(self, sort: str, descending: bool) -> list:
        d = self.d
        worst = sa.case(*((self.status == s, n) for s, n in STATUS_ORDER.items()), else_=9)
        by_paragraph = sorted(self.paragraphs, key=lambda r: _paragraph_key(self.paragraphs[r]))
        paragraph = sa.case(*((d.rule == r, n) for n, r in enumerate(by_paragraph)),
                            else_=len(by_paragraph)) if by_paragraph else sa.literal(0)
        text = lambda column: sa.func.lower(sa.func.coalesce(column, ""))  # noqa: E731
        keys = {"due": (d.due, worst), "status": (worst, d.due),
                "mentee": (text(self.mentee.full_name), d.due),
                "mentor": (text(self.mentor.full_name), d.due),
                "unit": (text(self.mentee.unit), d.due), "kind": (d.kind, d.due),
                "paragraph": (paragraph, d.due)}[sort]
        keys = [k.desc() if descending else k for k in keys]
        return keys + [d.due, d.subject]  # ties as the report lists them

    def as_dict(self, r) -> dict:
        return {"due": r.due.isoformat(), "done_on": r.done_on.isoformat() if r.done_on else None,
                "status": r.status, "kind": r.kind, "rule": r.rule,
                "paragraph": r.data["paragraph"], "text": r.data["message"][self.lang],
                "message": r.data["message"],
                "mentorship": str(r.mentorship) if r.mentorship else None,
                "council": None if r.mentorship else str(r.owner),
                "mentee": r.mentee, "mentee_name": r.mentee_name or "", "unit": r.unit or "",
                "mentor": r.mentor, "mentor_name": r.mentor_name or ""}

    def choices(self) -> dict:
        """What each filter may be set to, from the rows themselves (one query)."""
        all_ = self.base.subquery()
        units, mentors, kinds, paragraphs = set(), {}, set(), set()
        for unit, number, name, kind, rule in db.session.execute(
                sa.select(all_.c.unit, all_.c.mentor, all_.c.mentor_name, all_.c.kind,
                          all_.c.rule).distinct()):
            if unit:
                units.add(unit)
            if number:
                mentors[number] = name or ""
            kinds.add(kind)
            paragraphs.add(str(self.paragraphs.get(rule, "")))
        return {
            "unit": sorted(units, key=str.casefold),
            "mentor": sorted(mentors.items(), key=lambda item: (item[1].casefold(), item[0])),
            "kind": sorted(kinds),
            "paragraph": sorted(paragraphs, key=_paragraph_key),
            "status": list(STATUSES),
        }
