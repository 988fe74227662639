"""Who may use the platform: users, and their role in each tenant they belong to.

Not tenant-owned rows: a user may belong to several tenants, and the platform admin to
all of them. Passwords are kept as Werkzeug hashes (scrypt)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from .models import _now, db

ROLES = ("tenant_admin", "hr_officer", "viewer")
#: what each role may do; the platform admin may do everything everywhere
CAN_WRITE = {"tenant_admin", "hr_officer"}
CAN_CONFIGURE = {"tenant_admin"}


class User(UserMixin, db.Model):
    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(255), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    is_platform_admin: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(sa.String(2))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=_now)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


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
