"""nastavnik tenant create|list|show|set-regime|set-calendar."""

from __future__ import annotations

import json

import click

from .. import services
from . import DATE, actor_option, dump, json_option, with_app


def _settings(value):
    if not value:
        return None
    try:
        data = json.loads(value)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise click.BadParameter("a JSON object, e.g. '{\"min_experience_years\": 3}'")
    return data


def _tenant_json(t):
    return {"slug": t.slug, "name": t.name, "regime": t.regime, "settings": t.settings,
            "locale": t.locale, "extra_days_off": t.extra_days_off,
            "extra_working_days": t.extra_working_days}


@click.group("tenant")
def tenant_group():
    """Tenants: the agencies on the platform, each under one regime."""


@tenant_group.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--regime", required=True, help="A regime id (see `nastavnik regimes`).")
@click.option("--settings", help="Regime settings as a JSON object.")
@click.option("--locale", default="ru", show_default=True, type=click.Choice(["ru", "kk", "en"]))
@actor_option
@with_app
def create(slug, name, regime, settings, locale, actor):
    """Create a tenant."""
    t = services.create_tenant(slug, name, regime, actor, _settings(settings), locale)
    click.echo(f"created tenant {t.slug} ({t.regime})")


@tenant_group.command("list")
@json_option
@with_app
def list_(as_json):
    """List tenants."""
    tenants = services.list_tenants()
    if as_json:
        return dump([_tenant_json(t) for t in tenants])
    for t in tenants:
        click.echo(f"{t.slug:<24} {t.regime:<20} {t.locale}  {t.name}")


@tenant_group.command("show")
@click.argument("slug")
@json_option
@with_app
def show(slug, as_json):
    """Show a tenant and its settings."""
    t = services.get_tenant(slug)
    data = _tenant_json(t)
    if as_json:
        return dump(data)
    for key, value in data.items():
        click.echo(f"{key:<20} {json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value}")


@tenant_group.command("set-regime")
@click.argument("slug")
@click.argument("regime")
@click.option("--settings", help="Regime settings as a JSON object.")
@actor_option
@with_app
def set_regime(slug, regime, settings, actor):
    """Put a tenant under a regime, with its settings (checked against its schema)."""
    t = services.set_regime(slug, regime, actor, _settings(settings))
    click.echo(f"{t.slug}: regime {t.regime}, settings {json.dumps(t.settings, ensure_ascii=False)}")


@tenant_group.command("set-calendar")
@click.argument("slug")
@click.option("--day-off", "days_off", multiple=True, type=DATE, help="An extra day off (repeat).")
@click.option("--working-day", "working_days", multiple=True, type=DATE,
              help="A weekend or holiday made a working day (repeat).")
@actor_option
@with_app
def set_calendar(slug, days_off, working_days, actor):
    """Replace the tenant's calendar overrides."""
    t = services.update_tenant(slug, actor, extra_days_off=days_off, extra_working_days=working_days)
    click.echo(f"{t.slug}: days off {t.extra_days_off or '-'}; working days {t.extra_working_days or '-'}")
