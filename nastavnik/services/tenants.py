"""Tenants: create, list, show, choose a regime, its amendments and its settings,
calendar overrides."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from ..core import registry
from ..core.errors import InputError
from ..storage import audit, tenancy
from ..storage.models import LOCALES, Council, Tenant, db
from .unit import find_tenant, regime_of

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def _snapshot(t: Tenant) -> dict:
    return {"slug": t.slug, "name": t.name, "regime": t.regime,
            "amendments": list(t.amendments or ()), "settings": t.settings,
            "locale": t.locale, "extra_days_off": t.extra_days_off,
            "extra_working_days": t.extra_working_days}


def _check_regime(regime_id: str, settings: dict | None, amendments=()) -> dict:
    if regime_id not in registry.available():
        raise InputError(f"no regime {regime_id!r}; installed: {', '.join(registry.available())}",
                         field="regime")
    return registry.get(regime_id, tuple(amendments)).validate_settings(settings,
                                                                        source="settings")


def check_amendments(regime_id: str, amendments) -> tuple:
    """The amendments named, checked: each installed and declaring that it amends
    ``regime_id``; sorted, each once."""
    if isinstance(amendments, str) or not all(isinstance(a, str) for a in amendments or ()):
        raise InputError("a list of amendment names is expected", field="amendments")
    offered = registry.amendments_of(regime_id)
    for name in amendments or ():
        if name not in offered:
            try:
                info = registry.amendment_info(name)
            except InputError:  # not installed
                info = None
            if info is not None:
                raise InputError(f"amendment {name!r} amends {info.regime}, not {regime_id}",
                                 field="amendments")
            raise InputError(f"no amendment {name!r} of {regime_id}; installed for it: "
                             f"{', '.join(offered) or 'none'}", field="amendments")
    return tuple(sorted(set(amendments or ())))


@dataclass(frozen=True)
class Composition:
    """A tenant's regime, the amendments it has chosen and its settings: what its rules
    are made of (the tenant's, or one proposed for it)."""

    regime: str
    amendments: tuple = ()
    settings: dict = field(default_factory=dict)


def composition_of(tenant: Tenant) -> Composition:
    return Composition(tenant.regime, tuple(tenant.amendments or ()), dict(tenant.settings or {}))


def propose(tenant: Tenant, regime: str | None = None, amendments=None,
            settings: dict | None = None) -> Composition:
    """The tenant's composition with these changes, checked as saving them would check
    them (nothing is saved). A new regime starts with no amendments and, unless given,
    no settings; a new set of amendments keeps the settings, checked against the
    amended schema. A tenant with councils of mentors cannot move to a regime without one."""
    new_regime = regime or tenant.regime
    switching = new_regime != tenant.regime
    if new_regime not in registry.available():
        raise InputError(f"no regime {new_regime!r}; installed: "
                         f"{', '.join(registry.available())}", field="regime")
    if amendments is None:
        amendments = () if switching else tuple(tenant.amendments or ())
    amendments = check_amendments(new_regime, amendments)
    if settings is None:
        settings = {} if switching else dict(tenant.settings or {})
    settings = _check_regime(new_regime, settings, amendments)
    if switching and not regime_of(tenant, new_regime, amendments).info.has_council:
        councils = _councils(tenant)
        if councils:
            raise InputError(f"the tenant has {councils} council(s) of mentors on record and "
                             f"regime {new_regime} has no council of mentors: switching would "
                             "leave them outside any rule; delete them first", field="regime")
    return Composition(new_regime, amendments, settings)


def _councils(tenant: Tenant) -> int:
    session = db.session
    with tenancy.tenant_scope(session, tenant.id):
        return session.scalar(sa.select(sa.func.count()).select_from(Council)) or 0


def _apply(tenant: Tenant, composition: Composition) -> None:
    tenant.regime = composition.regime
    tenant.amendments = list(composition.amendments)
    tenant.settings = composition.settings


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
                  locale: str = "ru", extra_days_off=(), extra_working_days=(),
                  amendments=()) -> Tenant:
    with _all_or_nothing():
        if not SLUG.match(slug or ""):
            raise InputError("2-63 lowercase letters, digits or hyphens", field="slug")
        if not (name or "").strip():
            raise InputError("a name is required", field="name")
        if locale not in LOCALES:
            raise InputError(f"one of {', '.join(LOCALES)}", field="locale")
        amendments = check_amendments(regime, amendments) if regime in registry.available() else ()
        settings = _check_regime(regime, settings, amendments)
        if db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == slug)) is not None:
            raise InputError(f"tenant {slug!r} exists", field="slug")
        tenant = Tenant(slug=slug, name=name.strip(), regime=regime, settings=settings,
                        amendments=list(amendments), locale=locale,
                        extra_days_off=_dates(extra_days_off, "extra_days_off"),
                        extra_working_days=_dates(extra_working_days, "extra_working_days"))
        db.session.add(tenant)
        return _save(tenant, "create", None, actor)


def list_tenants() -> list[Tenant]:
    return list(db.session.scalars(sa.select(Tenant).order_by(Tenant.slug)))


def get_tenant(slug: str) -> Tenant:
    return find_tenant(slug)


def set_regime(slug: str, regime: str, actor: str, settings: dict | None = None,
               amendments=None) -> Tenant:
    """Choose the tenant's regime, its amendments and its settings (see ``propose``)."""
    with _all_or_nothing():
        tenant = find_tenant(slug)
        before = _snapshot(tenant)
        _apply(tenant, propose(tenant, regime, amendments, settings or {}))
        return _save(tenant, "update", before, actor)


def set_amendments(slug: str, amendments, actor: str) -> Tenant:
    """Choose the amendments of its regime the tenant follows (replacing the list)."""
    with _all_or_nothing():
        tenant = find_tenant(slug)
        before = _snapshot(tenant)
        _apply(tenant, propose(tenant, amendments=amendments))
        return _save(tenant, "update", before, actor)


def update_tenant(slug: str, actor: str, name: str | None = None, locale: str | None = None,
                  extra_days_off=None, extra_working_days=None, settings: dict | None = None) -> Tenant:
    """Change any of these in one all-or-nothing step; ``settings`` (replaced whole) are
    checked against the current regime's schema."""
    with _all_or_nothing():
        tenant = find_tenant(slug)
        before = _snapshot(tenant)
        if settings is not None:
            tenant.settings = _check_regime(tenant.regime, settings, tenant.amendments or ())
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
