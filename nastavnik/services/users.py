"""Users of the platform and their roles per tenant (who may see and do what)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..core.errors import InputError, NotFound
from ..storage.accounts import CAN_CONFIGURE, CAN_WRITE, ROLES, Membership, User
from ..storage.models import Tenant, db
from .unit import find_tenant

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MIN_PASSWORD = 10


def create_user(email: str, name: str, password: str, platform_admin: bool = False) -> User:
    email = (email or "").strip().lower()
    if not EMAIL.match(email):
        raise InputError("not an e-mail address", field="email")
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise InputError(f"user {email} exists", field="email")
    if len(password or "") < MIN_PASSWORD:
        raise InputError(f"at least {MIN_PASSWORD} characters", field="password")
    user = User(email=email, name=(name or email).strip(), is_platform_admin=platform_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def find_user(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(f"no user {email!r}", field="email")
    return user


def grant(email: str, tenant_slug: str, role: str) -> Membership:
    """Give a user a role in a tenant (replacing an earlier role there)."""
    if role not in ROLES:
        raise InputError(f"one of {', '.join(ROLES)}", field="role")
    user, tenant = find_user(email), find_tenant(tenant_slug)
    membership = db.session.get(Membership, {"user_id": user.id, "tenant_id": tenant.id})
    if membership is None:
        membership = Membership(user_id=user.id, tenant_id=tenant.id, role=role)
        db.session.add(membership)
    membership.role = role
    db.session.commit()
    return membership


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.active or not user.check_password(password or ""):
        return None
    return user


def tenants_of(user: User) -> list[tuple[Tenant, str]]:
    """The tenants a user may switch among, with their role in each."""
    if user.is_platform_admin:
        return [(t, "platform_admin") for t in db.session.scalars(sa.select(Tenant).order_by(Tenant.name))]
    rows = db.session.execute(sa.select(Tenant, Membership.role).join(
        Membership, Membership.tenant_id == Tenant.id).where(Membership.user_id == user.id)
        .order_by(Tenant.name)).all()
    return [(t, role) for t, role in rows]


def role_in(user: User, tenant: Tenant) -> str | None:
    if user.is_platform_admin:
        return "platform_admin"
    membership = db.session.get(Membership, {"user_id": user.id, "tenant_id": tenant.id})
    return membership.role if membership else None


def may_write(role: str | None) -> bool:
    return role == "platform_admin" or role in CAN_WRITE


def may_configure(role: str | None) -> bool:
    return role == "platform_admin" or role in CAN_CONFIGURE
