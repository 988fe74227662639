"""Each tenant's data revision: a counter that every committing transaction which changed
the tenant's rows raises by one, in that same transaction.

A read keyed by (tenant, revision) is therefore never stale once the reader has seen the
revision: the rows it reads after that are at least as new (services.cache relies on it).
Changes are noticed at flush (ORM objects) and at execution (bulk INSERT/UPDATE/DELETE
statements on tenant tables), whatever service made them; a service that writes by SQL
text or COPY says so with ``mark``.
"""

from __future__ import annotations

import itertools

import sqlalchemy as sa
from sqlalchemy import event

from .models import DERIVED_TABLES, TENANT_TABLES, Tenant, TenantOwned
from .tenancy import TENANT_KEY

WRITTEN = "nastavnik.tenants_written"


def written(session) -> bool:
    """Whether this transaction has changed any tenant's data so far (flushed or not)."""
    return bool(session.info.get(WRITTEN)) or any(
        isinstance(o, TenantOwned) for o in itertools.chain(session.new, session.dirty, session.deleted))


MARKED = "nastavnik.rows_written"


def mark(session, tenant_id: int | None = None, table: str | None = None, rows=None) -> None:
    """Note that this transaction changed the tenant's data in a way no listener sees
    (SQL text, COPY): its commit raises the revision. ``table`` and ``rows``: what was
    inserted, if that is all it did (whoever keeps results derived from rows reads them,
    see ``marked``)."""
    tenant_id = tenant_id or session.info.get(TENANT_KEY)
    session.info.setdefault(WRITTEN, set()).add(tenant_id)
    session.info.setdefault(MARKED, []).append((tenant_id, table, rows))


def marked(session) -> list:
    """What ``mark`` noted in this transaction so far, and forget it: (tenant id, table,
    rows inserted or None)."""
    return session.info.pop(MARKED, [])


def _writes_tenant_table(state) -> bool:
    table = getattr(state.statement, "table", None)  # a Core INSERT/UPDATE/DELETE
    name = getattr(table, "name", None)
    if name in DERIVED_TABLES:
        return False
    if any(issubclass(m.class_, TenantOwned) for m in state.all_mappers):
        return True
    return name in TENANT_TABLES


def install(session_class) -> None:
    @event.listens_for(session_class, "before_flush")
    def _note_objects(session, flush_context, instances):
        touched = {o.tenant_id or session.info.get(TENANT_KEY)
                   for o in itertools.chain(session.new, session.dirty, session.deleted)
                   if isinstance(o, TenantOwned)}
        if touched:
            session.info.setdefault(WRITTEN, set()).update(touched)

    @event.listens_for(session_class, "do_orm_execute")
    def _note_statements(state):
        if (state.is_insert or state.is_update or state.is_delete) and _writes_tenant_table(state):
            table = getattr(getattr(state.statement, "table", None), "name", None)
            rows = state.parameters if state.is_insert else None
            mark(state.session, table=table, rows=[rows] if isinstance(rows, dict) else rows)

    @event.listens_for(session_class, "before_commit")
    def _raise_revisions(session):
        session.flush()  # what is still pending is part of this transaction's changes
        for tid in sorted(t for t in session.info.pop(WRITTEN, ()) if t is not None):
            session.execute(sa.update(Tenant).where(Tenant.id == tid)
                            .values(revision=Tenant.revision + 1)
                            .execution_options(synchronize_session=False))

    @event.listens_for(session_class, "after_soft_rollback")
    def _forget(session, previous_transaction):
        session.info.pop(WRITTEN, None)
        session.info.pop(MARKED, None)
