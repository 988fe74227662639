"""Tenants: create, list, show, choose a regime and its settings, calendar overrides."""

from __future__ import annotations

import contextlib
import datetime as dt
import re

import sqlalchemy as sa

from ..core import registry
from ..core.errors import InputError
from ..storage import audit, tenancy
from ..storage.models import LOCALES, Tenant, db
from .unit import find_tenant

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def _snapshot(t: Tenant) -> dict:
    return {"slug": t.slug, "name": t.name, "regime": t.regime, "settings": t.settings,
            "locale": t.locale, "extra_days_off": t.extra_days_off,
            "extra_working_days": t.extra_working_days}


def _check_regime(regime_id: str, settings: dict | None) -> dict:
    if regime_id not in registry.available():
        raise InputError(f"no regime {regime_id!r}; installed: {', '.join(registry.available())}",
                         field="regime")
    return registry.get(regime_id).validate_settings(settings, source="settings")


def _dates(values, name: str) -> list[str]:
    out = []
    for i, v in enumerate(values or ()):
        try:
            out.append((v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))).isoformat())
        except ValueError:
            raise InputError(f"not a date: {v!r}", field=f"{name}[{i}]") from None
    return sorted(set(out))


def _save(tenant: Tenant, action: str, before: dict | None, actor: str) -> Tenant:
    session = db.session
    if not actor:
        raise audit.ActorRequired("name who is acting")
    session.flush()
    session.info[audit.ACTOR_KEY] = actor
    try:
        with tenancy.tenant_scope(session, tenant.id):
            audit.record(session, tenant.id, action, "tenant", tenant.id, before,
                         _snapshot(tenant))
            session.commit()
    finally:
        session.info.pop(audit.ACTOR_KEY, None)
    return tenant


@contextlib.contextmanager
def _all_or_nothing():
    """A platform operation changes the tenant row and its audit entry together or not at
    all: bad input found halfway (after a field was already set) leaves nothing pending
    that a later commit would write, unaudited."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise


def create_tenant(slug: str, name: str, regime: str, actor: str, settings: dict | None = None,
                  locale: str = "ru", extra_days_off=(), extra_working_days=()) -> Tenant:
    with _all_or_nothing():
        if not SLUG.match(slug or ""):
            raise InputError("2-63 lowercase letters, digits or hyphens", field="slug")
        if not (name or "").strip():
            raise InputError("a name is required", field="name")
        if locale not in LOCALES:
            raise InputError(f"one of {', '.join(LOCALES)}", field="locale")
        settings = _check_regime(regime, settings)
        if db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == slug)) is not None:
            raise InputError(f"tenant {slug!r} exists", field="slug")
        tenant = Tenant(slug=slug, name=name.strip(), regime=regime, settings=settings, locale=locale,
                        extra_days_off=_dates(extra_days_off, "extra_days_off"),
                        extra_working_days=_dates(extra_working_days, "extra_working_days"))
        db.session.add(tenant)
        return _save(tenant, "create", None, actor)


def list_tenants() -> list[Tenant]:
    return list(db.session.scalars(sa.select(Tenant).order_by(Tenant.slug)))


def get_tenant(slug: str) -> Tenant:
    return find_tenant(slug)


def set_regime(slug: str, regime: str, actor: str, settings: dict | None = None) -> Tenant:
    """Choose the tenant's regime and its settings (validated against its schema)."""
    with _all_or_nothing():
        tenant = find_tenant(slug)
        before = _snapshot(tenant)
        tenant.settings = _check_regime(regime, settings)
        tenant.regime = regime
        return _save(tenant, "update", before, actor)


def update_tenant(slug: str, actor: str, name: str | None = None, locale: str | None = None,
                  extra_days_off=None, extra_working_days=None, settings: dict | None = None) -> Tenant:
    """Change any of these in one all-or-nothing step; ``settings`` (replaced whole) are
    checked against the current regime's schema."""
    with _all_or_nothing():
        tenant = find_tenant(slug)
        before = _snapshot(tenant)
        if settings is not None:
            tenant.settings = _check_regime(tenant.regime, settings)
        if name is not None:
            if not name.strip():
                raise InputError("a name is required", field="name")
            tenant.name = name.strip()
        if locale is not None:
            if locale not in LOCALES:
                raise InputError(f"one of {', '.join(LOCALES)}", field="locale")
            tenant.locale = locale
        if extra_days_off is not None:
            tenant.extra_days_off = _dates(extra_days_off, "extra_days_off")
        if extra_working_days is not None:
            tenant.extra_working_days = _dates(extra_working_days, "extra_working_days")
        both = set(tenant.extra_days_off) & set(tenant.extra_working_days)
        if both:
            raise InputError(f"both a day off and a working day: {', '.join(sorted(both))}",
                             field="extra_working_days")
        return _save(tenant, "update", before, actor)
