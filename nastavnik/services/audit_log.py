"""Reading the audit trail: entries filtered and paged, newest first, and what each changed.

Queries go through the ORM, so the tenancy layer limits them to the current tenant."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..core.errors import InputError
from ..core.validation import optional_date as _day
from ..storage.models import AuditEntry, Person, db
from .unit import TenantWork

#: columns every row has, which say nothing about the change
QUIET = frozenset({"tenant_id", "id"})
ONE_DAY = dt.timedelta(days=1)


@dataclass
class Change:
    field: str
    before: object = None
    after: object = None


@dataclass
class Entry:
    """An audit entry as a page shows it."""

    id: str
    at: dt.datetime  # UTC
    actor: str
    action: str
    entity: str
    entity_id: str
    subject_number: str | None  # for an entry about a person: their number and name
    subject_name: str | None
    changes: list[Change] = field(default_factory=list)


@dataclass
class Page:
    entries: list[Entry]
    has_next: bool




def time_zone(work: TenantWork) -> ZoneInfo:
    """The zone the tenant's people keep time in (its regime's): audit times are shown,
    and days are counted, in it."""
    return ZoneInfo(work.regime.info.time_zone)


def _midnight(day: dt.date, zone) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=zone)


def list_entries(work: TenantWork, *, entity: str | None = None, entity_id: str | None = None,
                 actor: str | None = None, action: str | None = None, since=None, until=None,
                 limit: int = 50, offset: int = 0) -> Page:
    """Entries newest first. ``actor`` matches part of the actor's name, case aside;
    ``since`` and ``until`` are days in the tenant's time zone, both included."""
    since, until = _day(since, "since"), _day(until, "until")
    if since and until and until < since:
        raise InputError("ends before it starts", field="until")
    q = sa.select(AuditEntry)
    if entity:
        q = q.where(AuditEntry.entity == entity)
    if entity_id:
        q = q.where(AuditEntry.entity_id == str(entity_id))
    if actor:
        q = q.where(sa.func.lower(AuditEntry.actor).contains(actor.strip().lower(), autoescape=True))
    if action:
        q = q.where(AuditEntry.action == action)
    zone = time_zone(work)
    if since:
        q = q.where(AuditEntry.at >= _midnight(since, zone))
    if until:
        q = q.where(AuditEntry.at < _midnight(until + ONE_DAY, zone))
    q = q.order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit + 1).offset(offset)
    rows = list(db.session.scalars(q))
    return Page(describe(work, rows[:limit]), has_next=len(rows) > limit)


def entities(work: TenantWork) -> list[str]:
    """The kinds of record the trail has entries about."""
    return list(db.session.scalars(sa.select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))


def _flat(value, prefix: str, out: dict) -> dict:
    """Nested objects as dotted keys, so that a change inside ``attributes`` shows as
    ``attributes.corps`` and not as two whole objects."""
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            _flat(inner, f"{prefix}.{key}" if prefix else str(key), out)
    else:
        out[prefix] = value
    return out


def changes(before: dict | None, after: dict | None) -> list[Change]:
    """The fields an entry changed: for an update, only those that differ; for a creation
    or a deletion, every field that has a value."""
    old = {k: v for k, v in (_flat(before, "", {}) if before else {}).items()
           if k.split(".")[0] not in QUIET}
    new = {k: v for k, v in (_flat(after, "", {}) if after else {}).items()
           if k.split(".")[0] not in QUIET}
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b or (a in (None, {}, []) and b in (None, {}, [])):
            continue
        out.append(Change(key, a, b))
    return out


def _as_uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def describe(work: TenantWork, rows: list[AuditEntry]) -> list[Entry]:
    """Entries with their changes, at the tenant's local time; references to people
    (``manager_id``, ``mentor_id``...) shown by personnel number and name."""
    zone = time_zone(work)
    wanted = set()
    for row in rows:
        if row.entity == "person":
            wanted.add(_as_uuid(row.entity_id))
        for snap in (row.before, row.after):
            for key, value in (snap or {}).items():
                if key.endswith("_id") and key not in QUIET and value:
                    wanted.add(_as_uuid(value))
    wanted.discard(None)
    names = {}
    if wanted:
        for pid, number, name in db.session.execute(
                sa.select(Person.id, Person.number, Person.full_name).where(Person.id.in_(wanted))):
            names[str(pid)] = (number, name)
    out = []
    for row in rows:
        found = changes(row.before, row.after)
        subject = names.get(row.entity_id, (None, None)) if row.entity == "person" else (None, None)
        if row.entity == "person_version":  # a person's facts by date: about that person
            subject = names.get(str((row.after or row.before or {}).get("person_id")), (None, None))
        for change in found:
            if change.field.endswith("_id"):
                if str(change.before) in names:
                    change.before = " ".join(names[str(change.before)])
                if str(change.after) in names:
                    change.after = " ".join(names[str(change.after)])
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=dt.timezone.utc)  # SQLite: naive UTC
        out.append(Entry(id=str(row.id), at=at.astimezone(zone), actor=row.actor,
                         action=row.action, entity=row.entity, entity_id=row.entity_id,
                         subject_number=subject[0], subject_name=subject[1],
                         changes=found))
    return out


def show(value) -> str:
    """A value as the trail shows it: short, JSON for lists and objects."""
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
