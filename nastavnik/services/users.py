"""Users of the platform and their roles per tenant (who may see and do what).

Each change to an account is written to the security log (storage.security) with who
made it; a new password, a deactivation and a role taken away end the user's sessions."""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..core.errors import InputError, NotFound
from ..storage import security
from ..storage.accounts import CAN_CONFIGURE, CAN_WRITE, ROLES, Membership, User
from ..storage.models import Tenant, db
from . import logins, passwords, sessions
from .logins import AccountLocked, AddressThrottled, Throttled  # noqa: F401  (callers' names)
from .passwords import PasswordRefused  # noqa: F401
from .unit import find_tenant

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
MIN_PASSWORD = passwords.MIN_LENGTH
#: who acts when a caller names nobody (tests, scripts): the CLI and the web always do
SYSTEM = "system"


class WrongPassword(InputError):
    """The current password given to change it is not the user's."""

    def __init__(self):
        super().__init__("the current password is wrong", field="current_password")


def create_user(email: str, name: str, password: str, platform_admin: bool = False, *,
                actor: str = SYSTEM, address: str | None = None) -> User:
    email = (email or "").strip().lower()
    if not EMAIL.match(email) or len(email) > 255:
        raise InputError("not an e-mail address", field="email")
    if db.session.scalar(sa.select(User.id).where(User.email == email)):
        raise InputError(f"user {email} exists", field="email")
    name = (name or email).strip()[:255] or email
    passwords.check(password, email=email, name=name)
    user = User(email=email, name=name, is_platform_admin=platform_admin)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    security.record(db.session, "user_created", actor=actor, address=address, subject_email=email,
                    details={"platform_admin": True} if platform_admin else None)
    db.session.commit()
    return user


def find_user(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None:
        raise NotFound(f"no user {email!r}", field="email")
    return user


def grant(email: str, tenant_slug: str, role: str, *, actor: str = SYSTEM) -> Membership:
    """Give a user a role in a tenant (replacing an earlier role there)."""
    if role not in ROLES:
        raise InputError(f"one of {', '.join(ROLES)}", field="role")
    user, tenant = find_user(email), find_tenant(tenant_slug)
    membership = db.session.get(Membership, {"user_id": user.id, "tenant_id": tenant.id})
    before = membership.role if membership is not None else None
    if membership is None:
        membership = Membership(user_id=user.id, tenant_id=tenant.id, role=role)
        db.session.add(membership)
    membership.role = role
    db.session.flush()
    if before != role:
        security.record(db.session, "role_granted", actor=actor, subject_email=user.email,
                        tenant_id=tenant.id, details={"tenant": tenant.slug, "role": role,
                                                      "before": before})
    db.session.commit()
    return membership


def revoke(email: str, tenant_slug: str, *, actor: str = SYSTEM) -> str:
    """Take a user's role in a tenant away and end their sessions; the role it was."""
    user, tenant = find_user(email), find_tenant(tenant_slug)
    membership = db.session.get(Membership, {"user_id": user.id, "tenant_id": tenant.id})
    if membership is None:
        raise NotFound(f"{user.email} has no role in {tenant.slug}", field="tenant")
    role = membership.role
    db.session.delete(membership)
    ended = sessions.end_all(user.id, "role revoked")
    security.record(db.session, "role_revoked", actor=actor, subject_email=user.email,
                    tenant_id=tenant.id, details={"tenant": tenant.slug, "role": role,
                                                  "sessions_ended": ended})
    db.session.commit()
    return role


def set_password(email: str, password: str, *, actor: str = SYSTEM,
                 address: str | None = None) -> User:
    """A new password (checked against the policy); every session of the user ends."""
    user = find_user(email)
    passwords.check(password, email=user.email, name=user.name)
    user.set_password(password)
    ended = sessions.end_all(user.id, "password changed")
    security.record(db.session, "password_changed", actor=actor, address=address,
                    subject_email=user.email, details={"sessions_ended": ended})
    db.session.commit()
    return user


def change_own_password(user: User, current: str, new: str, *, address: str | None) -> User:
    """A logged-in user's new password, given their current one (checked, and throttled,
    as a login is: a stolen session is no way to guess it). Every session ends, this one
    too: the caller opens a new one."""
    if logins.check_password(user.email, current, address, purpose="password change") is None:
        raise WrongPassword()
    return set_password(user.email, new, actor=f"web:{user.email}", address=address)


def deactivate(email: str, *, actor: str = SYSTEM) -> User:
    """The user can no longer log in or use their API tokens; their sessions end."""
    user = find_user(email)
    if user.active:
        user.active = False
        ended = sessions.end_all(user.id, "deactivated")
        security.record(db.session, "user_deactivated", actor=actor, subject_email=user.email,
                        details={"sessions_ended": ended})
    db.session.commit()
    return user


def activate(email: str, *, actor: str = SYSTEM) -> User:
    user = find_user(email)
    if not user.active:
        user.active = True
        security.record(db.session, "user_activated", actor=actor, subject_email=user.email)
    db.session.commit()
    return user


def authenticate(email: str, password: str, address: str | None = None) -> User | None:
    """See ``logins.authenticate`` (throttled; raises ``Throttled`` while locked)."""
    return logins.authenticate(email, password, address)


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
