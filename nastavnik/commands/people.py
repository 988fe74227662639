"""nastavnik person add|list|show (import: commands.importing)."""

from __future__ import annotations

import json

import click

from .. import services
from . import DATE, actor_option, dump, json_option, tenant_option, with_database, work_on


def person_json(work, p) -> dict:
    data = services.people.person_dict(work, p)
    data["hired_on"] = data["hired_on"].isoformat() if data["hired_on"] else None
    return data


@click.group("person")
def person_group():
    """Staff of a tenant."""


@person_group.command("add")
@tenant_option
@click.argument("number")
@click.option("--name", "full_name", required=True)
@click.option("--unit")
@click.option("--position")
@click.option("--manager", help="The direct manager's personnel number.")
@click.option("--hired-on", type=DATE)
@click.option("--attributes", default="{}", help="Regime attributes as a JSON object.")
@click.option("--valid-from", type=DATE, help="The day the unit, position, manager and "
              "attributes hold from (default: the hiring date, else the first record).")
@actor_option
@with_database
def add(tenant_slug, number, full_name, unit, position, manager, hired_on, attributes,
        valid_from, actor):
    """Add a person (attributes are checked against the regime's person schema)."""
    try:
        attrs = json.loads(attributes)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc.msg}", param_hint="--attributes") from None
    with work_on(tenant_slug, actor) as work:
        p = services.add_person(work, number=number, full_name=full_name, unit=unit,
                                position=position, manager=manager, hired_on=hired_on,
                                attributes=attrs, valid_from=valid_from)
        click.echo(f"added {p.number} {p.full_name}")


@person_group.command("list")
@tenant_option
@click.option("--search", help="Part of a name or personnel number.")
@click.option("--unit")
@json_option
@with_database
def list_(tenant_slug, search, unit, as_json):
    """List people."""
    with work_on(tenant_slug, "cli:read") as work:
        people = services.list_people(work, search, unit)
        if as_json:
            return dump([person_json(work, p) for p in people])
        for p in people:
            click.echo(f"{p.number:<12} {p.full_name:<36} {p.unit or '-':<24} {p.position or '-'}")
        click.echo(f"{len(people)} people")


@person_group.command("show")
@tenant_option
@click.argument("number")
@json_option
@with_database
def show(tenant_slug, number, as_json):
    """Show one person with their regime attributes, and their facts by date (history:
    each version with the facts it changed)."""
    with work_on(tenant_slug, "cli:read") as work:
        person = services.find_person(work, number)
        data = person_json(work, person)
        data["history"] = [{**v, "valid_from": v["valid_from"].isoformat()}
                           for v in services.person_history.history(person)]
    if as_json:
        return dump(data)
    history = data.pop("history")
    for key, value in data.items():
        shown = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value
        click.echo(f"{key:<12} {shown if shown is not None else '-'}")
    click.echo("history")
    for v in reversed(history):  # latest first, as the admin shows it
        changes = [f"{key}={json.dumps(_fact(v, key), ensure_ascii=False)}" for key in v["changed"]]
        click.echo(f"  {v['valid_from']}  {', '.join(changes) or '-'}")


def _fact(version: dict, key: str):
    """A fact of a version by the name ``history`` gives it (``attributes.<name>``)."""
    if key.startswith("attributes."):
        return version["attributes"].get(key.split(".", 1)[1])
    return version[key]


from .importing import import_people  # noqa: E402  (a person command of its own module)

person_group.add_command(import_people)
