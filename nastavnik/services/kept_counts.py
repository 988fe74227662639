"""How many kept deadlines and findings there are of each kind (kept_tally), brought up to
date with them, so that a report's counts read a few hundred rows whatever the tenant's
size.

A deadline counts as "open" on its due date until it is done (its status, overdue, due
soon or due, follows from the day when read), or as "done" or "done_late"; a closed
mentorship's deadline counts only while it is not done, as the report shows it. A finding
counts by severity while its mentorship is open. The counts hold for any day on or after
the latest day a deadline was done; for a day before it (a report as of the past), the
deadlines are counted one by one (``counts`` does either).
"""

from __future__ import annotations

import collections
import datetime as dt
import importlib
import uuid

import sqlalchemy as sa

from ..storage.models import KeptDeadline, KeptFinding, KeptTally, db

#: the ids of counts are made from what they count (one upsert adds to one)
_KEYS = uuid.UUID("0a1f6c9e-4a55-5c1b-9d0e-6b2f3c7d8e01")


def deadline_key(due: dt.date, done_on: dt.date | None, closed: bool):
    """What a kept deadline counts as: (what, state, due), or None (not reported)."""
    if done_on is None:
        return ("deadline", "open", due)
    if closed:
        return None
    return ("deadline", "done" if done_on <= due else "done_late", None)


def finding_key(severity: str, closed: bool):
    return None if closed else ("finding", severity, None)


def of_rows(findings, deadlines, sign: int = 1) -> collections.Counter:
    """The counts of kept rows (dicts or rows with their columns), times ``sign``."""
    out: collections.Counter = collections.Counter()
    for f in findings:
        key = finding_key(_get(f, "severity"), _get(f, "closed"))
        if key is not None:
            out[key] += sign
    for d in deadlines:
        key = deadline_key(_get(d, "due"), _get(d, "done_on"), _get(d, "closed"))
        if key is not None:
            out[key] += sign
    return out


def _get(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def add(tenant_id: int, delta: collections.Counter) -> None:
    """Add ``delta`` to the tenant's counts: one upsert of the counts that change, in the
    order of their keys (two transactions adding to the same counts wait for each other
    instead of deadlocking)."""
    rows = [{"tenant_id": tenant_id, "id": _id(*key), "what": key[0], "state": key[1],
             "due": key[2], "n": n}
            for key, n in sorted(delta.items(), key=lambda kv: _id(*kv[0]).bytes) if n]
    if not rows:
        return
    dialect = db.session.connection().dialect.name
    insert = importlib.import_module(f"sqlalchemy.dialects.{dialect}").insert(KeptTally.__table__)
    db.session.execute(insert.on_conflict_do_update(
        index_elements=["tenant_id", "id"],
        set_={"n": KeptTally.__table__.c.n + insert.excluded.n}), rows)


def _id(what: str, state: str, due: dt.date | None) -> uuid.UUID:
    return uuid.uuid5(_KEYS, f"{what}|{state}|{due.isoformat() if due else ''}")


def recount() -> collections.Counter:
    """The counts worked out from the kept rows themselves (the oracle of the kept ones)."""
    f, d = KeptFinding, KeptDeadline
    return (of_rows(db.session.execute(sa.select(f.severity, f.closed)), ())
            + of_rows((), db.session.execute(sa.select(d.due, d.done_on, d.closed))))


def kept() -> collections.Counter:
    """The counts as kept (those not zero)."""
    t = KeptTally
    return collections.Counter({(what, state, due): n for what, state, due, n in db.session.execute(
        sa.select(t.what, t.state, t.due, t.n).where(t.n != 0))})


def done_after(as_of: dt.date) -> bool:
    """Whether some kept deadline was done after ``as_of`` (is not done as of that day)."""
    latest = db.session.scalar(sa.select(sa.func.max(KeptDeadline.done_on)))
    return latest is not None and latest > as_of


#: a day's counts correct the tally by the deadlines done after it, up to this many;
#: more (a report as of long ago), and they are counted one by one
CORRECTED_UP_TO = 5000


def counts(as_of: dt.date, soon: dt.date) -> dict | None:
    """Deadlines of each status and findings of each severity as of ``as_of`` (due soon
    up to ``soon``), from the counts, corrected by the deadlines done after ``as_of``
    (not done on that day); None when those are too many to correct by."""
    d = KeptDeadline
    later = db.session.execute(sa.select(d.due, d.done_on, d.closed).where(d.done_on > as_of)
                               .limit(CORRECTED_UP_TO + 1)).all()
    if len(later) > CORRECTED_UP_TO:
        return None
    t = KeptTally
    status = sa.case(
        (t.state != "open", t.state), (t.due < as_of, "overdue"), (t.due <= soon, "due_soon"),
        else_="due")
    out = {s: 0 for s in ("done", "done_late", "due", "due_soon", "overdue")}
    out.update({"violations": 0, "warnings": 0})
    for what, state, n in db.session.execute(
            sa.select(t.what, status, sa.func.sum(t.n)).group_by(t.what, status)):
        if what == "deadline":
            out[state] = int(n)
        elif state in ("violation", "warning"):
            out[state + "s"] = int(n)
    for due, done_on, closed in later:  # counted as done; on the day, not yet
        key = deadline_key(due, done_on, closed)
        if key is not None:
            out[key[1]] -= 1
        out["overdue" if due < as_of else "due_soon" if due <= soon else "due"] += 1
    return out
