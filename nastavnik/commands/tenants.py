"""nastavnik tenant create|list|show|amendments|set-regime|set-amendments|set-settings|
set-calendar. The commands that change a tenant's rules take ``--dry-run``: the findings and
deadlines the change would make appear, disappear or move, and nothing is changed."""

from __future__ import annotations

import datetime as dt
import json

import click

from .. import services
from . import DATE, actor_option, dump, json_option, lang, with_database, work_on


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
    return {"slug": t.slug, "name": t.name, "regime": t.regime,
            "amendments": list(t.amendments or ()), "settings": t.settings,
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
@with_database
def create(slug, name, regime, settings, locale, actor):
    """Create a tenant."""
    t = services.create_tenant(slug, name, regime, actor, _settings(settings), locale)
    click.echo(f"created tenant {t.slug} ({t.regime})")


@tenant_group.command("list")
@json_option
@with_database
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
@with_database
def show(slug, as_json):
    """Show a tenant and its settings."""
    t = services.get_tenant(slug)
    data = _tenant_json(t)
    if as_json:
        return dump(data)
    for key, value in data.items():
        click.echo(f"{key:<20} {json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value}")


def _changed(t) -> None:
    click.echo(f"{t.slug}: regime {t.regime}, amendments {', '.join(t.amendments or ()) or '-'}, "
               f"settings {json.dumps(t.settings, ensure_ascii=False)}")


dry_run_option = click.option(
    "--dry-run", is_flag=True,
    help="Show which findings and deadlines would appear, disappear or move; change nothing.")
as_of_option = click.option("--as-of", type=DATE, default=None,
                            help="The day the records are judged on in a dry run (default today).")


def _preview(slug, actor, as_of, as_json, **change) -> None:
    from ..services.what_if import what_if

    with work_on(slug, actor) as work:
        diff = what_if(work, as_of or dt.date.today(), lang=lang(), **change)
    if as_json:
        return dump(diff)
    _print_diff(diff)


def _print_diff(diff) -> None:
    def composition(c):
        titles = [a["title"] for a in c["amendments"]]
        return c["regime_title"] + (f" + {'; '.join(titles)}" if titles else "")
    click.echo(f"now:      {composition(diff['current'])}")
    click.echo(f"proposed: {composition(diff['proposed'])}")
    counts = diff["counts"]
    click.echo(f"as of {diff['as_of']}: {counts['appears']} appear, {counts['disappears']} "
               f"disappear, {counts['moves']} move (dry run: nothing changed)")
    for c in diff["changes"]:
        who = " ".join(x for x in (c["person"], f"({c['number']})" if c["number"] else None,
                                   f"<- {c['mentor']}" if c["mentor"] else None) if x)
        due = ""
        if c["what"] == "deadline":
            due = (f" {c['due_before_label']} -> {c['due_label']}" if c["due_before"]
                   else f" {c['due_label']}")
        click.echo(f"  {c['change_label']:<18} {c['paragraph_label']:<8} {who}:{due} {c['text']}")


@tenant_group.command("amendments")
@click.argument("slug")
@json_option
@with_database
def amendments(slug, as_json):
    """The amendments of the tenant's regime that are installed, and which it follows."""
    from ..core import registry

    t = services.get_tenant(slug)
    language = lang()
    rows = [{"name": name, "chosen": name in (t.amendments or ()),
             "title": info.title.get(language) or info.title.get("en"),
             "citation": info.citation.get(language) or info.citation.get("en"),
             "effective_from": info.effective_from.isoformat()}
            for name, info in registry.amendments_of(t.regime).items()]
    if as_json:
        return dump(rows)
    for r in rows:
        click.echo(f"[{'x' if r['chosen'] else ' '}] {r['name']}: {r['title']} "
                   f"({r['citation']}; from {r['effective_from']})")
    if not rows:
        click.echo(f"no amendment of {t.regime} is installed")


@tenant_group.command("set-regime")
@click.argument("slug")
@click.argument("regime")
@click.option("--settings", help="Regime settings as a JSON object.")
@click.option("--amendment", "amendments", multiple=True,
              help="An amendment of the regime to follow (repeat; see `tenant amendments`).")
@dry_run_option
@as_of_option
@json_option
@actor_option
@with_database
def set_regime(slug, regime, settings, amendments, dry_run, as_of, as_json, actor):
    """Put a tenant under a regime, with its amendments and settings (checked against its
    schema). Refused while the tenant has councils and the regime has none."""
    if dry_run:
        return _preview(slug, actor, as_of, as_json, regime=regime, amendments=amendments,
                        settings=_settings(settings) or {})
    _changed(services.set_regime(slug, regime, actor, _settings(settings), amendments))


@tenant_group.command("set-amendments")
@click.argument("slug")
@click.argument("amendments", nargs=-1)
@dry_run_option
@as_of_option
@json_option
@actor_option
@with_database
def set_amendments(slug, amendments, dry_run, as_of, as_json, actor):
    """Replace the amendments of its regime the tenant follows (none given: none)."""
    if dry_run:
        return _preview(slug, actor, as_of, as_json, amendments=amendments)
    _changed(services.set_amendments(slug, amendments, actor))


@tenant_group.command("set-settings")
@click.argument("slug")
@click.argument("settings")
@dry_run_option
@as_of_option
@json_option
@actor_option
@with_database
def set_settings(slug, settings, dry_run, as_of, as_json, actor):
    """Replace the tenant's regime settings (a JSON object, checked against its schema)."""
    if dry_run:
        return _preview(slug, actor, as_of, as_json, settings=_settings(settings) or {})
    _changed(services.update_tenant(slug, actor, settings=_settings(settings) or {}))


@tenant_group.command("set-calendar")
@click.argument("slug")
@click.option("--day-off", "days_off", multiple=True, type=DATE, help="An extra day off (repeat).")
@click.option("--working-day", "working_days", multiple=True, type=DATE,
              help="A weekend or holiday made a working day (repeat).")
@actor_option
@with_database
def set_calendar(slug, days_off, working_days, actor):
    """Replace the tenant's calendar overrides."""
    t = services.update_tenant(slug, actor, extra_days_off=days_off, extra_working_days=working_days)
    click.echo(f"{t.slug}: days off {t.extra_days_off or '-'}; working days {t.extra_working_days or '-'}")
