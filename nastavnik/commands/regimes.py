"""The installed regimes: list them, show one, start a new one (`regime new`)."""

from __future__ import annotations

import sys

import click

from ..core import registry, schema_labels
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
    say = {key: words[LANGUAGE_INDEX.get(lang, 2)] for key, words in HEADINGS.items()}
    click.echo(f"{info.id}: {info.title[lang]}")
    click.echo(f"  {info.citation[lang]}")
    until = f" {say['to']} {info.effective_to}" if info.effective_to else ""
    click.echo(f"  {say['calendar']}: {info.country}; {say['in force from']} "
               f"{info.effective_from}{until}; {say['council of mentors']}: "
               f"{say['yes'] if info.has_council else say['no']}")
    click.echo(f"  {say['mentees']}: " + "; ".join(f"{k} ({v[lang]})"
                                                  for k, v in info.mentee_kinds.items()))
    for title, codes in ((say["Papers recorded"], {k: p.label for k, p in regime.paper_kinds.items()}),
                         (say["Deadline kinds"], regime.deadline_kinds),
                         (say["Why an assignment ends"], regime.end_reasons)):
        click.echo(f"  {title}: " + "; ".join(f"{k} ({t.localize(lang)})"
                                              for k, t in codes.items()))
    click.echo(f"\n{say['Rules']}:")
    for rule in sorted(regime.rules.values(), key=_paragraph_key):
        extra = ""
        if regime.exceptions.get(rule.id):
            extra = f"  [{say['exception to']} {', '.join(regime.exceptions[rule.id])}]"
        if rule.overrides:
            extra += f"  [{say['overrides']} {', '.join(rule.overrides)}]"
        click.echo(f"  p.{rule.paragraph:<6} {rule.id:<48} {rule.severity.value:<9} {rule.title[lang]}{extra}")
    click.echo(f"\n{say['Parameters']}:")
    for p in regime.parameters:
        click.echo(f"  {p.name} (p.{p.paragraph}, {p.unit}): {p.description[lang]}")
        for v in p.history:
            click.echo(f"      {say['from']} {v.since}: {v.value}  [{v.reference}]")
    for heading, schema in ((say["Tenant settings"], regime.settings_schema),
                            (say["Person attributes"], regime.person_schema)):
        click.echo(f"\n{heading}:")
        _echo_fields(schema, lang, "  ")


#: the headings of `regime show`, (ru, kk, en); the regime's own words come from the regime
HEADINGS = {
    "calendar": ("календарь", "күнтізбе", "calendar"),
    "in force from": ("действует с", "күшіне енген күні", "in force from"),
    "to": ("по", "дейін", "to"),
    "council of mentors": ("совет наставников", "тәлімгерлер кеңесі", "council of mentors"),
    "yes": ("есть", "бар", "yes"),
    "no": ("нет", "жоқ", "no"),
    "mentees": ("наставляемые", "тәлімгерлік алушылар", "mentees"),
    "Papers recorded": ("Учитываемые документы", "Есепке алынатын құжаттар", "Papers recorded"),
    "Deadline kinds": ("Виды сроков", "Мерзім түрлері", "Deadline kinds"),
    "Why an assignment ends": ("Основания прекращения закрепления",
                               "Бекітудің тоқтатылу негіздері", "Why an assignment ends"),
    "Rules": ("Правила", "Қағидалар", "Rules"),
    "exception to": ("исключение из", "ерекшелік:", "exception to"),
    "overrides": ("заменяет", "ауыстырады:", "overrides"),
    "Parameters": ("Параметры", "Параметрлер", "Parameters"),
    "from": ("с", "бастап", "from"),
    "Tenant settings": ("Настройки организации", "Ұйымның баптаулары", "Tenant settings"),
    "Person attributes": ("Сведения о сотруднике", "Қызметкер туралы мәліметтер",
                          "Person attributes"),
}
LANGUAGE_INDEX = {"ru": 0, "kk": 1, "en": 2}


def _echo_fields(schema: dict, lang: str, indent: str) -> None:
    """Each field of a schema: its key (what --attributes and the API take), its title and
    help in ``lang``, an enum's values with their words; an object's fields beneath it."""
    for key, node in schema_labels.properties(schema).items():
        line = f"{indent}{key}: {schema_labels.node_title(node, key, lang)}"
        if node.get("enum"):
            line += " [" + "; ".join(f"{v} = {schema_labels.node_enum_title(node, v, lang)}"
                                     for v in node["enum"]) + "]"
        click.echo(line)
        helptext = schema_labels.node_help(node, lang)
        if helptext:
            click.echo(f"{indent}    {helptext}")
        if node.get("type") == "object":
            _echo_fields(node, lang, indent + "  ")


def _paragraph_key(rule):
    parts = []
    for piece in rule.paragraph.replace("-", ".").split("."):
        parts.append(int(piece) if piece.isdigit() else 0)
    return parts, rule.id


