"""Who may use the platform: users, and their role in each tenant they belong to; their
logged-in sessions, and the login attempts that throttle password guessing.

Not tenant-owned rows: a user may belong to several tenants, and the platform admin to
all of them. Passwords are kept as Werkzeug hashes (scrypt)."""

from __future__ import annotations

import datetime as dt
import functools
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from .models import _now, db

ROLES = ("tenant_admin", "hr_officer", "viewer")
#: what each role may do; the platform admin may do everything everywhere
CAN_WRITE = {"tenant_admin", "hr_officer"}
CAN_CONFIGURE = {"tenant_admin"}


class User(db.Model):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_platform_admin: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(2))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)

    # what a login manager (the web's Flask-Login) asks of a user; inactive users cannot log in
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


@functools.cache
def dummy_hash() -> str:
    # made once per process with the parameters new hashes get, so that checking it costs
    # what checking a user's password costs
    return generate_password_hash(secrets.token_hex(16))


def check_dummy_password(password: str) -> bool:
    """Check ``password`` against a hash no password matches, as long as checking a real
    user's password takes: an unknown or inactive e-mail is answered as slowly as a known
    one, so that the time taken does not tell which e-mails have accounts."""
    check_password_hash(dummy_hash(), password)
    return False


class Membership(db.Model):
    """A user's role in one tenant."""

    __tablename__ = "membership"
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id", ondelete="CASCADE"),
                                         primary_key=True)
    tenant_id: Mapped[int] = mapped_column(sa.ForeignKey("tenant.id", ondelete="CASCADE"),
                                           primary_key=True)
    role: Mapped[str] = mapped_column(sa.String(15))

    __table_args__ = (sa.CheckConstraint("role in ('tenant_admin', 'hr_officer', 'viewer')",
                                         name="role"),)


class ApiToken(db.Model):
    """A user's API token. Only its SHA-256 is kept; the token is shown once, at creation.
    A token acts with its user's tenants and roles, and can be revoked."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(255))
    prefix: Mapped[str] = mapped_column(sa.String(16))  # shown in lists, to tell tokens apart
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))



class UserSession(db.Model):
    """A logged-in session of the admin. Flask's session is a signed cookie the browser
    keeps, which logging out cannot take back from a copy; so the cookie also carries a
    random session key, and a request is logged in only while its key's row here is
    open. Logging out ends the row; a new password, deactivation or a role taken away
    ends all of the user's rows. Only the key's SHA-256 is kept."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id", ondelete="CASCADE"),
                                         index=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)
    ended_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    ended_why: Mapped[str | None] = mapped_column(sa.String(31))
    address: Mapped[str | None] = mapped_column(sa.String(45))  # where it was opened from


class LoginAttempt(db.Model):
    """One login attempt that checked a password: what throttles guessing, per e-mail
    (known or not, so that a lockout does not tell which e-mails have accounts) and per
    client address. Written before the password is checked (``pending``) so that guesses
    sent at once are counted at once; then ``failed`` or ``ok``."""

    __tablename__ = "login_attempt"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255))
    address: Mapped[str] = mapped_column(sa.String(45))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)
    outcome: Mapped[str] = mapped_column(sa.String(7), default="pending")

    __table_args__ = (sa.CheckConstraint("outcome in ('pending', 'failed', 'ok', 'refused')",
                                         name="outcome"),
                      sa.Index(None, "email", "at"), sa.Index(None, "address", "at"),
                      sa.Index(None, "at"))



# werkzeug's password hashing, imported when a password is first handled: storage is
# imported by every command, and most handle none
def generate_password_hash(password: str) -> str:
    from werkzeug.security import generate_password_hash as made

    return made(password)


def check_password_hash(pwhash: str, password: str) -> bool:
    from werkzeug.security import check_password_hash as checked

    return checked(pwhash, password)
