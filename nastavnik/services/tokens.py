"""API tokens: made for a user, shown once, kept only as a SHA-256, revocable. Making and
revoking one is written to the security log. A token stops working when it is revoked or
its user is deactivated."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa

from ..core.errors import InputError, NotFound
from ..storage import security
from ..storage.accounts import ApiToken, User
from ..storage.models import db
from .users import SYSTEM, find_user

PREFIX = "nk_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(email: str, name: str, *, actor: str = SYSTEM,
                 address: str | None = None) -> tuple[ApiToken, str]:
    """A new token for the user; returns the row and the token itself (shown once)."""
    user = find_user(email)
    if not (name or "").strip():
        raise InputError("name the token (e.g. the system that will use it)", field="name")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name.strip()[:255], prefix=token[:10],
                   token_hash=_hash(token))
    db.session.add(row)
    db.session.flush()
    security.record(db.session, "token_created", actor=actor, address=address,
                    subject_email=user.email, details={"token": row.id, "name": row.name,
                                                       "prefix": row.prefix})
    db.session.commit()
    return row, token


def list_tokens(email: str) -> list[ApiToken]:
    user = find_user(email)
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at)))


def revoke_token(email: str, token_id: int, *, actor: str = SYSTEM,
                 address: str | None = None) -> ApiToken:
    user = find_user(email)
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound(f"no token {token_id} of {email}", field="token")
    if row.revoked_at is None:
        row.revoked_at = dt.datetime.now(dt.timezone.utc)
        security.record(db.session, "token_revoked", actor=actor, address=address,
                        subject_email=user.email, details={"token": row.id, "name": row.name,
                                                           "prefix": row.prefix})
        db.session.commit()
    return row


def user_for_token(token: str | None) -> User | None:
    """The active user a presented token belongs to, or None (unknown, revoked, inactive)."""
    if not token or not token.startswith(PREFIX):
        return None
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    now = dt.datetime.now(dt.timezone.utc)
    last = row.last_used_at
    if last is None or (now - (last if last.tzinfo else last.replace(tzinfo=dt.timezone.utc))).total_seconds() > 60:
        row.last_used_at = now  # at most once a minute: no write per request
        db.session.commit()
    return user
