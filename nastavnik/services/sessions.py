"""Logged-in sessions of the admin, kept on the server (``user_session``).

The browser's cookie carries a random key; a request is logged in only while the key's
row is open and its user active. Logging out ends the row, so a copy of the cookie taken
before is refused after; a new password, a deactivation or a role taken away end every
session of the user."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa

from ..storage import security
from ..storage.accounts import User, UserSession
from ..storage.models import db

TOUCH = dt.timedelta(minutes=1)  # last_seen_at is written at most this often


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def start(user: User, address: str | None) -> str:
    """Open a session for ``user`` (committed); returns its key, for the cookie only."""
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, key_hash=_hash(key),
                               address=(address or None) and address[:45]))
    db.session.commit()
    return key


def _open(key: str | None) -> UserSession | None:
    if not key or not isinstance(key, str):
        return None
    row = db.session.scalar(sa.select(UserSession).where(UserSession.key_hash == _hash(key)))
    return row if row is not None and row.ended_at is None else None


def user_for(user_id: int, key: str | None) -> User | None:
    """The active user of the open session ``key``, if it is ``user_id``'s; else None."""
    row = _open(key)
    if row is None or row.user_id != user_id:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return None
    now = _now()
    seen = row.last_seen_at
    if seen is None or now - (seen if seen.tzinfo else seen.replace(tzinfo=dt.timezone.utc)) > TOUCH:
        row.last_seen_at = now  # not on every request
        db.session.commit()
    return user


def logout(key: str | None, address: str | None = None) -> UserSession | None:
    """End the session ``key`` (committed, and in the security log); the row, or None
    when it was not open."""
    row = _open(key)
    if row is not None:
        row.ended_at, row.ended_why = _now(), "logout"
        email = db.session.get(User, row.user_id).email
        security.record(db.session, "logout", actor=f"web:{email}", address=address,
                        subject_email=email)
        db.session.commit()
    return row


def end_all(user_id: int, why: str) -> int:
    """End every open session of a user, in the caller's transaction; how many."""
    result = db.session.execute(
        sa.update(UserSession).where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=_now(), ended_why=why[:31]),
        execution_options={"synchronize_session": False})
    return result.rowcount


def open_sessions(user_id: int) -> list[UserSession]:
    return list(db.session.scalars(sa.select(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)).order_by(UserSession.id)))
