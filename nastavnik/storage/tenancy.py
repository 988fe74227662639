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

from .models import TenantOwned

TENANT_KEY = "tenant_id"


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
    map can never answer a lookup made for this one."""
    if isinstance(session, scoped_session):
        session = session()
    previous = session.info.get(TENANT_KEY)
    session.info[TENANT_KEY] = tenant_id
    _apply_to_open_transaction(session)
    try:
        yield session
    finally:
        if previous is None:
            session.info.pop(TENANT_KEY, None)
        else:
            session.info[TENANT_KEY] = previous
        _apply_to_open_transaction(session)


def _set_config(connection, tid) -> None:
    connection.execute(sa.text("select set_config('app.tenant_id', :tid, true)"),
                       {"tid": "" if tid is None else str(tid)})


def _apply_to_open_transaction(session: Session) -> None:
    if not session.in_transaction():
        return  # after_begin sets it when the transaction starts
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _set_config(connection, session.info.get(TENANT_KEY))


def _touches_tenant_data(state) -> bool:
    return any(issubclass(m.class_, TenantOwned) for m in state.all_mappers)


def install(session_class) -> None:
    """Attach the tenancy listeners to a session class (Flask-SQLAlchemy's, in the app)."""

    @event.listens_for(session_class, "do_orm_execute")
    def _scope_statements(state):
        if not (state.is_select or state.is_update or state.is_delete):
            return
        if state.execution_options.get("skip_tenant_scope") or not _touches_tenant_data(state):
            return
        tid = state.session.info.get(TENANT_KEY)
        if tid is None:
            raise TenantRequired("no tenant selected for a query on tenant data")
        state.statement = state.statement.options(with_loader_criteria(
            TenantOwned, lambda cls: cls.tenant_id == tid, include_aliases=True,
            track_closure_variables=False))

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
            if isinstance(obj, TenantOwned) and obj.tenant_id != tid:
                raise CrossTenantWrite(f"a {type(obj).__name__} of tenant {obj.tenant_id} "
                                       f"changed while serving tenant {tid}")

    @event.listens_for(session_class, "after_begin")
    def _set_database_tenant(session, transaction, connection):
        if connection.dialect.name != "postgresql":
            return
        _set_config(connection, session.info.get(TENANT_KEY))
