"""Reading the platform's security log (storage.security): events newest first, for the
platform's administrators (``nastavnik security-log``)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..core.errors import InputError
from ..storage.security import KINDS, SecurityEvent
from ..storage.models import db


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)  # SQLite: naive UTC


def list_events(*, since: dt.datetime | dt.date | None = None, kind: str | None = None,
                email: str | None = None, limit: int = 100) -> list[SecurityEvent]:
    """Events at or after ``since`` (a day: from its start, UTC), of one ``kind``, about
    one ``email``; newest first, at most ``limit``."""
    if kind is not None and kind not in KINDS:
        raise InputError(f"one of {', '.join(KINDS)}", field="kind")
    if limit < 1:
        raise InputError("at least 1", field="limit")
    q = sa.select(SecurityEvent)
    if since is not None:
        if not isinstance(since, dt.datetime):
            since = dt.datetime(since.year, since.month, since.day)
        q = q.where(SecurityEvent.at >= _utc(since))
    if kind:
        q = q.where(SecurityEvent.kind == kind)
    if email:
        q = q.where(SecurityEvent.subject_email == email.strip().lower())
    return list(db.session.scalars(q.order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc())
                                   .limit(limit)))


def as_json(event: SecurityEvent) -> dict:
    return {"at": _utc(event.at).isoformat(), "kind": event.kind, "actor": event.actor,
            "address": event.address, "subject": event.subject_email,
            "tenant_id": event.tenant_id, "details": event.details}
