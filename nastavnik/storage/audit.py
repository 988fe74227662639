"""The audit trail: every change to a tenant's rows, with who, when, before and after.

Recorded by a flush listener, so no service can forget it: whatever the CLI, the web or
the API changes is written in the same transaction as the change itself. The actor is
``session.info["actor"]``; a change with no actor is refused.

On PostgreSQL the database has the last word on who and when (migration 0009): before
entries are written the transaction's ``app.actor`` is set to the session's actor, and a
trigger stamps every entry with it and with the database's clock, whatever the insert
said, and refuses an entry when no actor is set. The application's role owns neither the
table nor the trigger, so it can neither turn the trigger off nor backdate an entry; it
may only add entries (no UPDATE or DELETE right). SQLite has no roles: whoever runs the
application owns the file and could change anything in it, so no trigger there would
stop them; the application's own guards below are what keep the trail there.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import uuid

import sqlalchemy as sa
from sqlalchemy import event, inspect

from . import bulk
from .models import AuditEntry, TenantOwned
from .tenancy import CrossTenantWrite, TenantRequired, current_tenant

ACTOR_KEY = "actor"


class ActorRequired(RuntimeError):
    """A change to tenant data was flushed with nobody named as its author."""


class AuditTrailImmutable(RuntimeError):
    """An audit entry was to be changed or deleted: the trail is append-only. (On
    PostgreSQL the application's role has no UPDATE or DELETE right on it either.)"""


def set_database_actor(session, actor: str) -> None:
    """On PostgreSQL, name ``actor`` as the open transaction's ``app.actor`` (a bound
    parameter, local to the transaction): the trigger of migration 0009 writes it into
    each audit entry and security event."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("select set_config('app.actor', :actor, true)"),
                           {"actor": actor})


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):  # a file (a tenant's template): its size and digest, not a copy
        return {"bytes": len(value), "sha256": hashlib.sha256(value).hexdigest()}
    return value


def _columns(obj) -> list[str]:
    return [c.key for c in inspect(obj).mapper.column_attrs]


def snapshot(obj) -> dict:
    return {key: _plain(getattr(obj, key)) for key in _columns(obj)}


def _before(session, obj) -> dict:
    state = inspect(obj)
    out, unknown = {}, []
    for key in _columns(obj):
        history = state.attrs[key].history
        if history.deleted:
            out[key] = _plain(history.deleted[0])
        elif history.unchanged:
            out[key] = _plain(history.unchanged[0])
        elif history.added:
            unknown.append(key)  # set without its old value ever being loaded
        else:
            out[key] = _plain(getattr(obj, key))
    if unknown:
        # read the stored values, so that the entry shows the real change
        mapper = state.mapper
        columns = [mapper.columns[k] for k in unknown]
        where = [c == v for c, v in zip(mapper.primary_key, mapper.primary_key_from_instance(obj))]
        row = session.connection().execute(sa.select(*columns).where(*where)).first()
        for key, value in zip(unknown, row or [None] * len(unknown)):
            out[key] = _plain(value)
    return out


def install(session_class) -> None:
    @event.listens_for(session_class, "do_orm_execute")
    def _refuse_bulk_rewrite(state):
        if (state.is_update or state.is_delete) and any(
                m.class_ is AuditEntry for m in state.all_mappers):
            raise AuditTrailImmutable("audit entries cannot be updated or deleted")

    @event.listens_for(session_class, "before_flush")
    def _record(session, flush_context, instances):
        for obj in session.deleted:
            if isinstance(obj, AuditEntry):
                raise AuditTrailImmutable("audit entries cannot be deleted")
        for obj in session.dirty:
            if isinstance(obj, AuditEntry) and session.is_modified(obj, include_collections=False):
                raise AuditTrailImmutable("audit entries cannot be changed")
        entries = []
        for action, objects in (("create", session.new), ("update", session.dirty),
                                ("delete", session.deleted)):
            for obj in objects:
                if not isinstance(obj, TenantOwned) or isinstance(obj, AuditEntry):
                    continue
                if action == "update" and not session.is_modified(obj, include_collections=False):
                    continue
                if obj.id is None:
                    obj.id = uuid.uuid4()
                before = None if action == "create" else _before(session, obj)
                after = None if action == "delete" else snapshot(obj)
                if before is not None and after is not None:
                    changed = {k for k in after if before.get(k) != after[k]}
                    if not changed:
                        continue
                entries.append((obj, action, before, after))
        added = any(isinstance(obj, AuditEntry) for obj in session.new)  # audit.record's
        if not entries and not added:
            return
        actor = session.info.get(ACTOR_KEY)
        if not actor:
            raise ActorRequired("a change to tenant data needs an actor (who made it)")
        set_database_actor(session, actor)
        for obj, action, before, after in entries:
            session.add(AuditEntry(tenant_id=obj.tenant_id, actor=actor, action=action,
                                   entity=obj.__tablename__, entity_id=str(obj.id),
                                   before=before, after=after))


def record(session, tenant_id: int, action: str, entity: str, entity_id, before, after) -> None:
    """An entry for a change the flush listener does not see (the tenant row itself)."""
    actor = session.info.get(ACTOR_KEY)
    if not actor:
        raise ActorRequired("a change to tenant data needs an actor (who made it)")
    session.add(AuditEntry(tenant_id=tenant_id, actor=actor, action=action, entity=entity,
                           entity_id=str(entity_id), before=before, after=after))


@functools.cache
def _keys(model) -> tuple[str, ...]:
    return tuple(c.key for c in inspect(model).column_attrs)


_AS_IS = frozenset({str, int, float, bool, type(None), dict, list})  # what _plain keeps


def row_snapshot(model, values: dict) -> dict:
    """What ``snapshot`` shows of a ``model`` object holding ``values`` (a row written
    past the ORM, such as a bulk import's)."""
    return {key: value if (value := values.get(key)).__class__ in _AS_IS else _plain(value)
            for key in _keys(model)}


def record_rows(session, entity: str, changes, at: dt.datetime | None = None) -> int:
    """Entries for rows of the session's tenant written in bulk past the ORM, which the
    flush listener does not see: ``changes`` are (action, before, after) snapshots as
    ``row_snapshot`` makes them; the entries are the ones the listener would record for
    the same changes, written in bulk too. Returns how many were written."""
    changes = list(changes)
    actor = session.info.get(ACTOR_KEY)
    if not actor:
        raise ActorRequired("a change to tenant data needs an actor (who made it)")
    tenant_id = current_tenant(session)
    if tenant_id is None:
        raise TenantRequired("no tenant selected to record changes for")
    if any((after or before)["tenant_id"] != tenant_id for _, before, after in changes):
        raise CrossTenantWrite(f"changes to another tenant's rows recorded while serving "
                               f"tenant {tenant_id}")
    at = at or dt.datetime.now(dt.timezone.utc)  # on PostgreSQL the trigger's clock wins
    set_database_actor(session, actor)
    rows = [{"tenant_id": tenant_id, "id": uuid.uuid4(), "at": at, "actor": actor,
             "action": action, "entity": entity, "entity_id": (after or before)["id"],
             "before": before, "after": after} for action, before, after in changes]
    bulk.insert(session, AuditEntry.__table__, rows)
    return len(rows)
