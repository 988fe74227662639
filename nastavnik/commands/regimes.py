"""The installed regimes: list them, show one, start a new one (`regime new`)."""

from __future__ import annotations

import json
import sys

import click

from ..core import registry
from ..core.errors import NastavnikError
from . import dump as _dump
from .lazy import LazyGroup

@click.command("regimes")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def regimes_cmd(obj, as_json):
    """List the installed regimes: id, title, citation."""
    lang = obj["lang"]
    infos, broken = [], []
    for rid in registry.available():
        try:
            infos.append(registry.get(rid).info)
        except NastavnikError as exc:  # one broken plugin must not hide the others
            broken.append(str(exc))
    if as_json:
        _dump([i.to_json() for i in infos])
    else:
        for info in infos:
            click.echo(f"{info.id}  [{info.country}]  {info.title[lang]}")
            click.echo(f"    {info.citation[lang]}")
    for message in broken:
        click.echo(f"error: {message}", err=True)
    sys.exit(1 if broken else 0)


@click.group("regime", cls=LazyGroup, lazy={
    "new": ("nastavnik.commands.regime_new:regime_new", "Write a working skeleton of regime NAME: pyproject with its entry point, hooks, rules, "
            "parameters, schemas, a scenario per rule, a demo, and tests that check every rule "
            "is covered.")})
def regime_group():
    """One regime in detail."""


@regime_group.command("show")
@click.argument("regime_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def regime_show(obj, regime_id, as_json):
    """Show a regime's rules with their paragraphs, its parameters and its schemas."""
    lang = obj["lang"]
    regime = registry.get(regime_id)
    info = regime.info
    if as_json:
        return _dump({
            **info.to_json(),
            "rules": [r.to_json() for r in regime.rules.values()],
            "parameters": [{"name": p.name, "paragraph": p.paragraph, "unit": p.unit,
                            "description": p.description,
                            "values": [v.to_json() for v in p.history]} for p in regime.parameters],
            "settings_schema": regime.settings_schema, "person_schema": regime.person_schema,
            **regime.vocabularies_json(),
        })
    click.echo(f"{info.id}: {info.title[lang]}")
    click.echo(f"  {info.citation[lang]}")
    until = f" to {info.effective_to}" if info.effective_to else ""
    click.echo(f"  calendar: {info.country}; in force from {info.effective_from}{until}; "
               f"council of mentors: {'yes' if info.has_council else 'no'}")
    click.echo("  mentees: " + "; ".join(f"{k} ({v[lang]})" for k, v in info.mentee_kinds.items()))
    for title, codes in (("Papers recorded", {k: p.label for k, p in regime.paper_kinds.items()}),
                         ("Deadline kinds", regime.deadline_kinds),
                         ("Why an assignment ends", regime.end_reasons)):
        click.echo(f"  {title}: " + "; ".join(f"{k} ({t.localize(lang)})"
                                              for k, t in codes.items()))
    click.echo("\nRules:")
    for rule in sorted(regime.rules.values(), key=_paragraph_key):
        extra = ""
        if regime.exceptions.get(rule.id):
            extra = f"  [exception to {', '.join(regime.exceptions[rule.id])}]"
        if rule.overrides:
            extra += f"  [overrides {', '.join(rule.overrides)}]"
        click.echo(f"  p.{rule.paragraph:<6} {rule.id:<48} {rule.severity.value:<9} {rule.title[lang]}{extra}")
    click.echo("\nParameters:")
    for p in regime.parameters:
        click.echo(f"  {p.name} (p.{p.paragraph}, {p.unit}): {p.description[lang]}")
        for v in p.history:
            click.echo(f"      from {v.since}: {v.value}  [{v.reference}]")
    click.echo("\nTenant settings schema:")
    click.echo("  " + json.dumps(regime.settings_schema, ensure_ascii=False, indent=2).replace("\n", "\n  "))
    click.echo("\nPerson attributes schema:")
    click.echo("  " + json.dumps(regime.person_schema, ensure_ascii=False, indent=2).replace("\n", "\n  "))


def _paragraph_key(rule):
    parts = []
    for piece in rule.paragraph.replace("-", ".").split("."):
        parts.append(int(piece) if piece.isdigit() else 0)
    return parts, rule.id


