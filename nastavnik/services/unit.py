"""The unit of work: one tenant, one actor, one transaction.

    with services.tenant("akmola-prosecutors", actor="hr:aigerim") as t:
        services.assign_mentor(t, mentee="P-0012", mentor="P-0003", on=date(2026, 3, 2))

Everything in the block commits together when it ends, or not at all: a refused rule, bad
input or any error rolls the whole block back. The CLI, the web and the API all work
through this.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import sqlalchemy as sa

from ..core import registry
from ..core.engine import Engine
from ..core.errors import NotFound
from ..storage import audit, tenancy
from ..storage.models import Tenant, db


@dataclass
class TenantWork:
    """What a service needs: the tenant row, its regime, who acts, the session."""

    tenant: Tenant
    actor: str

    @property
    def session(self):
        return db.session

    @cached_property
    def regime(self):
        return regime_of(self.tenant)

    @property
    def lang(self) -> str:
        return self.tenant.locale

    def calendar(self):
        """The tenant's working days: its regime's national calendar with its own days off
        and working days (what ``rules().ctx.calendar`` is, without the rules' context)."""
        t = self.tenant
        return self.regime.calendar(map(dt.date.fromisoformat, t.extra_days_off or ()),
                                    map(dt.date.fromisoformat, t.extra_working_days or ()))

    def rules(self, trace: bool = False) -> Engine:
        """The tenant's regime bound to its settings and calendar."""
        t = self.tenant
        ctx = self.regime.context(t.settings, map(dt.date.fromisoformat, t.extra_days_off),
                                  map(dt.date.fromisoformat, t.extra_working_days), trace=trace)
        return Engine(self.regime, ctx)


def regime_of(tenant: Tenant, regime: str | None = None, amendments=None):
    """The plugin manager of the tenant's regime with the amendments it has chosen: every
    read of a tenant's regime comes here. ``regime``/``amendments`` name another
    composition for the tenant (one proposed, not yet saved)."""
    regime = regime or tenant.regime
    if amendments is None:  # another regime does not inherit this one's amendments
        amendments = getattr(tenant, "amendments", None) or () if regime == tenant.regime else ()
    return registry.get(regime, tuple(amendments))


def find_tenant(slug: str) -> Tenant:
    tenant = db.session.scalar(sa.select(Tenant).where(Tenant.slug == slug))
    if tenant is None:
        raise NotFound(f"no tenant {slug!r}", field="tenant")
    return tenant


@contextlib.contextmanager
def tenant(slug: str, actor: str):
    """Work on one tenant's data as ``actor``; commit at the end, roll back on error."""
    session = db.session
    if not actor:
        raise audit.ActorRequired("name who is acting")
    work = TenantWork(find_tenant(slug), actor)
    session.info[audit.ACTOR_KEY] = actor
    try:
        with tenancy.tenant_scope(session, work.tenant.id):
            yield work
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(audit.ACTOR_KEY, None)
