"""nastavnik bench: synthetic tenants at agency scale for the benchmarks in bench/."""

from __future__ import annotations

import datetime as dt
import time

import click

from . import DATE, actor_option, dump, with_database


@click.group("bench")
def bench_group():
    """Synthetic data for benchmarks (see bench/ and bench/RESULTS.md)."""


@bench_group.command("generate")
@click.option("--tenant", "tenant_slug", required=True, help="Slug of the tenant to create.")
@click.option("--regime", default="civil_service_2013", show_default=True)
@click.option("--people", type=click.IntRange(10), default=60000, show_default=True)
@click.option("--mentorships", type=click.IntRange(0), default=50000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True,
              help="The same seed gives the same tenant, ids included.")
@click.option("--as-of", type=DATE, default=lambda: dt.date.today(), show_default="today",
              help="The day the generated history leads up to.")
@actor_option
@with_database
def generate(tenant_slug, regime, people, mentorships, seed, as_of, actor):
    """Fill tenant TENANT (created under REGIME if missing; it must have no people yet)
    with a synthetic body of staff."""
    from .. import services
    from ..core.errors import NotFound
    from ..core.errors import InputError
    from ..synthetic import generate as fill, profile_for

    started = time.perf_counter()
    try:
        services.get_tenant(tenant_slug)
    except NotFound:
        try:
            profile = profile_for(regime)
        except InputError as exc:
            raise click.BadParameter(str(exc), param_hint="--regime") from exc
        services.create_tenant(tenant_slug, f"Synthetic body ({people} staff, seed {seed})",
                               regime, actor, settings=profile.settings)
    with services.tenant(tenant_slug, actor) as work:
        summary = fill(work, people, mentorships, seed, as_of)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    dump(summary)
