"""The platform's security log: what happened to accounts rather than to a tenant's
records (logins, failed ones and lockouts, users made, deactivated and activated, roles
granted and taken away, API tokens made and revoked, passwords changed), with who, when
and from which address.

Not tenant-owned: an account may belong to several tenants, and a failed login to none;
a role's event names its tenant. Append-only, as the audit trail: on PostgreSQL the
application's role may only read and add rows, and a trigger (migration 0009) stamps each
row with the database's clock and the transaction's ``app.actor``, whatever the insert
says."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .audit import ActorRequired, set_database_actor
from .models import _now, db

#: every kind of event, for the log's readers
KINDS = ("login", "login_failed", "account_locked", "address_throttled", "logout",
         "user_created", "user_deactivated", "user_activated", "password_changed",
         "role_granted", "role_revoked", "token_created", "token_revoked")


class SecurityEvent(db.Model):
    __tablename__ = "security_event"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now, index=True)
    actor: Mapped[str] = mapped_column(sa.String(255))
    kind: Mapped[str] = mapped_column(sa.String(31))
    address: Mapped[str | None] = mapped_column(sa.String(45))
    subject_email: Mapped[str | None] = mapped_column(sa.String(255), index=True)
    tenant_id: Mapped[int | None] = mapped_column(sa.Integer)  # a role's tenant (no key:
    # the log outlives what it names)
    details: Mapped[dict | None] = mapped_column(sa.JSON)


def record(session, kind: str, *, actor: str, address: str | None = None,
           subject_email: str | None = None, tenant_id: int | None = None,
           details: dict | None = None) -> SecurityEvent:
    """Add an event to the session's transaction (written now, committed with it)."""
    if kind not in KINDS:
        raise ValueError(f"not a security event: {kind!r}")
    if not actor:
        raise ActorRequired("a security event needs an actor (who acted)")
    event = SecurityEvent(kind=kind, actor=actor[:255], address=(address or None) and address[:45],
                          subject_email=subject_email, tenant_id=tenant_id, details=details)
    session.flush()  # what is pending first: its audit entries are its actor's
    set_database_actor(session, actor[:255])
    session.add(event)
    session.flush()
    return event
