"""The one place where tenant scoping is enforced.

A session serves one tenant at a time, named in ``session.info["tenant_id"]``:

- every ORM statement touching a tenant-owned entity gets ``tenant_id = :current``
  through ``with_loader_criteria`` (the SQLAlchemy multi-tenancy recipe), and refuses to
  run with no tenant selected (fail closed);
- every flush stamps new rows with the current tenant and refuses to write another
  tenant's rows;
- on PostgreSQL each transaction starts with ``set_config('app.tenant_id', :tid, true)``,
  and row-level security policies (see the migrations) filter even raw SQL by it. The
  application connects as a role that neither owns the tables nor is a superuser, which
  would bypass those policies.

Queries that must see every tenant (the platform's own tenant list) do not touch
tenant-owned entities; the audit of a platform operation runs inside ``tenant_scope``.
"""

from __future__ import annotations

import contextlib

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, scoped_session, with_loader_criteria
from sqlalchemy.sql import visitors

from .models import TENANT_TABLES, TenantOwned

TENANT_KEY = "tenant_id"
TENANT_TABLE_NAMES = frozenset(TENANT_TABLES)


class TenantRequired(RuntimeError):
    """A tenant-owned table was touched with no tenant selected."""


class CrossTenantWrite(RuntimeError):
    """A flush tried to write a row of a tenant other than the session's."""


def current_tenant(session: Session) -> int | None:
    return session.info.get(TENANT_KEY)


@contextlib.contextmanager
def tenant_scope(session: Session, tenant_id: int):
    """Serve ``tenant_id`` within the block (and the previous tenant, if any, after it).
    Primary keys include the tenant, so an object of another tenant left in the identity
    map can never answer a lookup made for this one; and objects of other tenants loaded
    earlier in the same transaction are expired on the switch, so that neither a lookup
    by their key nor reading them shows them while serving this tenant (they would be
    reloaded under this tenant's criteria, and are not found)."""
    if isinstance(session, scoped_session):
        session = session()
    previous = session.info.get(TENANT_KEY)
    session.info[TENANT_KEY] = tenant_id
    if tenant_id != previous:
        _expire_others(session, tenant_id)
    _apply_to_open_transaction(session)
    try:
        yield session
    except BaseException:
        _restore(session, previous)
        try:
            _apply_to_open_transaction(session)
        except Exception:  # noqa: BLE001 - the transaction failed and must be rolled back
            pass  # (which resets the setting); the error that failed it is the one to raise
        raise
    _restore(session, previous)
    _apply_to_open_transaction(session)


def _restore(session: Session, previous: int | None) -> None:
    if previous is None:
        session.info.pop(TENANT_KEY, None)
    else:
        session.info[TENANT_KEY] = previous
        _expire_others(session, previous)


def _expire_others(session: Session, tenant_id: int) -> None:
    """Expire the unchanged rows of other tenants held by the session. Rows with pending
    changes are left as they are: flushing them while serving ``tenant_id`` is refused."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, TenantOwned):
            state = sa.inspect(obj)
            if _identity_tenant(state) != tenant_id and not state.modified:
                session.expire(obj)


def _set_config(connection, session: Session) -> None:
    """The served tenant and the acting user (``session.info["actor"]``, see storage.audit)
    as the transaction's settings, which row-level security and the audit trigger read."""
    tid, actor = session.info.get(TENANT_KEY), session.info.get("actor")
    connection.execute(sa.text("select set_config('app.tenant_id', :tid, true), "
                               "set_config('app.actor', :actor, true)"),
                       {"tid": "" if tid is None else str(tid), "actor": actor or ""})


def _apply_to_open_transaction(session: Session) -> None:
    transaction = session.get_transaction()
    if transaction is None or not transaction.is_active:
        return  # after_begin sets it when the (next) transaction starts
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _set_config(connection, session)


def _touches_tenant_data(statement) -> bool:
    """Whether a tenant-owned table appears anywhere in the statement: as an entity, in a
    FROM (``select(func.count()).select_from(Person)``), a join, a subquery or an EXISTS.
    (The statement's top-level entities are not enough: a count or an EXISTS has none.)"""
    return any(isinstance(element, sa.Table) and element.name in TENANT_TABLE_NAMES
               for element in visitors.iterate(statement))


def _identity_tenant(state):
    """The tenant in a persistent row's identity (its primary key as loaded): what the row
    is, whatever its attributes now say and even when they are expired."""
    if state.key is None:
        return None
    names = [column.key for column in state.mapper.primary_key]
    return state.key[1][names.index(TENANT_KEY)]


def install(session_class) -> None:
    """Attach the tenancy listeners to a session class (storage.database.Session)."""

    @event.listens_for(session_class, "do_orm_execute")
    def _scope_statements(state):
        if not (state.is_select or state.is_update or state.is_delete):
            return
        if state.execution_options.get("skip_tenant_scope") or \
                not _touches_tenant_data(state.statement):
            return
        tid = state.session.info.get(TENANT_KEY)
        if tid is None:
            raise TenantRequired("no tenant selected for a query on tenant data")
        state.statement = state.statement.options(with_loader_criteria(
            TenantOwned, lambda cls: cls.tenant_id == tid, include_aliases=True,
            track_closure_variables=False, propagate_to_loaders=False))
        if state.is_column_load:
            # SQLAlchemy applies no loader criteria when it reloads an expired row (an
            # attribute read, session.get of a row in the identity map): the tenant served
            # now filters that reload too, so another tenant's row is not found
            for mapper in state.all_mappers:
                if issubclass(mapper.class_, TenantOwned):
                    state.statement = state.statement.where(mapper.class_.tenant_id == tid)

    @event.listens_for(session_class, "before_flush")
    def _stamp_and_check(session, flush_context, instances):
        tid = session.info.get(TENANT_KEY)
        for obj in session.new:
            if isinstance(obj, TenantOwned):
                if tid is None:
                    raise TenantRequired(f"no tenant selected to add a {type(obj).__name__}")
                if obj.tenant_id is None:
                    obj.tenant_id = tid
                elif obj.tenant_id != tid:
                    raise CrossTenantWrite(f"a {type(obj).__name__} of tenant {obj.tenant_id} "
                                           f"added while serving tenant {tid}")
        for obj in list(session.dirty) + list(session.deleted):
            if not isinstance(obj, TenantOwned):
                continue
            state = sa.inspect(obj)
            # the row's own tenant from its identity: reading an expired attribute would
            # reload the row under the current tenant's criteria
            owner = _identity_tenant(state)
            current = state.dict.get(TENANT_KEY, owner)  # a tenant_id being changed
            if tid is None or owner != tid or current != tid:
                raise CrossTenantWrite(f"a {type(obj).__name__} of tenant {owner} changed "
                                       f"while serving tenant {tid}")

    @event.listens_for(session_class, "after_begin")
    def _set_database_tenant(session, transaction, connection):
        if connection.dialect.name != "postgresql":
            return
        _set_config(connection, session)
