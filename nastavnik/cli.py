"""The ``nastavnik`` command line. Commands call the core's service functions; no rule
logic lives here."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import click
from sqlalchemy.exc import OperationalError

from .commands import DATE
from .core import registry
from .core.calendar import COUNTRIES, calendar_for, holiday_names
from .core.errors import NastavnikError, Refused
from .core.i18n import LANGUAGES, format_date
from .core.scenario import load_file, run_scenario
from .core.scenario.runner import engine_for
from .core.scenario.upgrade import upgrade_text
from .core.subjects import is_about


class Group(click.Group):
    """Shows expected errors as one line (a refusal with its findings), never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Refused as exc:
            lang = (ctx.obj or {}).get("lang", "en")
            click.echo(f"refused: {exc}", err=True)
            for f in exc.findings:
                click.echo(f"  {f.level.value:<9} {f.rule.id} (p.{f.rule.paragraph}): "
                           f"{f.message(lang)}", err=True)
            sys.exit(1)
        except NastavnikError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except OperationalError as exc:
            click.echo(f"error: the database cannot be used: {str(exc.orig).splitlines()[0]}"
                       " (is it created? run `nastavnik db upgrade`)", err=True)
            sys.exit(2)


def _dump(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=Group)
@click.option("--lang", type=click.Choice(LANGUAGES), default=lambda: os.environ.get("NASTAVNIK_LANG", "en"),
              show_default="en or $NASTAVNIK_LANG", help="Language of titles and messages.")
@click.version_option(package_name="nastavnik")
@click.pass_context
def main(ctx, lang):
    """Mentorship rules for public bodies: regimes, calendars, scenarios, and each
    tenant's staff, mentorships, councils and compliance."""
    ctx.ensure_object(dict)
    ctx.obj["lang"] = lang


# --- regimes ----------------------------------------------------------------------------

@main.command("regimes")
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


@main.group("regime")
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


# --- calendar --------------------------------------------------------------------------

def _calendar_options(f):
    f = click.option("--country", type=click.Choice(COUNTRIES), required=True,
                     help="National calendar.")(f)
    f = click.option("--day-off", "days_off", type=DATE, multiple=True,
                     help="A tenant's extra day off (repeatable).")(f)
    f = click.option("--working-day", "working_days", type=DATE, multiple=True,
                     help="A tenant's extra working day (repeatable).")(f)
    return f


@main.group("calendar")
def calendar_group():
    """Working days of a national calendar."""


@calendar_group.command("add-working-days", context_settings={"ignore_unknown_options": True})
@_calendar_options
@click.option("--back", is_flag=True, help="Count back: 'no later than N working days before'.")
@click.argument("event", type=DATE)
@click.argument("n", type=int)
@click.pass_obj
def add_working_days(obj, country, days_off, working_days, back, event, n):
    """EVENT moved by N working days (the event day itself not counted).

    Forward: "within N working days after EVENT". Back (--back, or a negative N):
    "no later than N working days before EVENT".
    """
    cal = calendar_for(country, frozenset(days_off), frozenset(working_days))
    steps = -abs(n) if back else n
    due = cal.add_working_days(event, steps)
    click.echo(due.isoformat())
    lang = obj["lang"]
    lo, hi = (event, due) if due >= event else (due, event)
    skipped = [d for d in cal.days_off(lo, hi) if d not in (lo, hi)]
    if skipped:
        named = [f"{format_date(d, lang)}" + (f" ({holiday_names(country, d, lang)})"
                                             if holiday_names(country, d, lang) else "")
                 for d in skipped]
        click.echo(f"  days off skipped: {', '.join(named)}", err=True)


@calendar_group.command("add-days")
@_calendar_options
@click.argument("event", type=DATE)
@click.argument("n", type=int)
def add_days(country, days_off, working_days, event, n):
    """Due date of "within N days": N calendar days, rolled to the next working day."""
    cal = calendar_for(country, frozenset(days_off), frozenset(working_days))
    click.echo(cal.add_calendar_days(event, n).isoformat())


@calendar_group.command("is-working-day")
@_calendar_options
@click.argument("day", type=DATE)
@click.pass_obj
def is_working_day(obj, country, days_off, working_days, day):
    """Say whether DAY is a working day (exit 1 if not)."""
    cal = calendar_for(country, frozenset(days_off), frozenset(working_days))
    working = cal.is_working_day(day)
    name = holiday_names(country, day, obj["lang"])
    click.echo(("working day" if working else "day off") + (f" ({name})" if name else ""))
    sys.exit(0 if working else 1)


# --- scenarios -------------------------------------------------------------------------

def installed_scenarios() -> list[Path]:
    """The scenarios every installed regime ships (its ``regime_scenarios`` hook)."""
    from .core.scenario.discovery import scenario_files
    return scenario_files()


def _expand(paths) -> list[Path]:
    if not paths:
        return installed_scenarios()
    out = []
    for p in map(Path, paths):
        out.extend(sorted(p.rglob("*.yaml")) if p.is_dir() else [p])
    return out


@main.group("scenario")
def scenario_group():
    """Scenario files: facts, a date, and what the law expects (docs/scenarios.md)."""


@scenario_group.command("run")
@click.argument("files", nargs=-1, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Full results as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="Print only failures and the summary.")
def scenario_run(files, as_json, quiet):
    """Run scenario FILES (or folders; default: every installed regime's scenarios).

    Prints what differs from the expectation; exits 1 on any mismatch, 2 on bad input.
    """
    results, errors = [], []
    for path in _expand(files):
        try:
            scenarios = load_file(path)
        except NastavnikError as exc:
            errors.append(str(exc))
            continue
        for scenario in scenarios:
            try:
                results.append(run_scenario(scenario))
            except NastavnikError as exc:
                errors.append(f"{scenario.source}: {exc}")
    failed = [r for r in results if not r.ok]
    if as_json:
        _dump({"passed": len(results) - len(failed), "failed": len(failed), "errors": errors,
               "scenarios": [r.to_json() for r in results]})
    else:
        for r in results:
            if r.ok and quiet:
                continue
            click.echo(f"{'ok  ' if r.ok else 'FAIL'} {r.scenario.source}: {r.scenario.title}")
            for m in r.mismatches:
                click.echo(f"       {m}")
        for e in errors:
            click.echo(f"ERROR {e}", err=True)
        click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed"
                   + (f", {len(errors)} error(s)" if errors else ""))
    sys.exit(2 if errors else 1 if failed else 0)


@scenario_group.command("upgrade")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file needs upgrading.")
def scenario_upgrade(files, check):
    """Rewrite scenario FILES written before the regimes owned their facts: a mentorship's
    or an assignment's regime facts (internship_end, head_decision, submission,
    consent...) go under ``attributes:``. Comments and layout are kept where the edit
    allows; the upgraded file reads as the same scenario (checked)."""
    stale = 0
    for path in map(Path, files):
        try:
            done = upgrade_text(path.read_text(encoding="utf-8"), str(path))
        except NastavnikError as exc:
            raise click.ClickException(str(exc)) from None
        if not done.changed:
            click.echo(f"up to date {path}")
            continue
        stale += 1
        if check:
            click.echo(f"would upgrade {path}")
            continue
        path.write_text(done.text, encoding="utf-8")
        click.echo(f"upgraded {path}" + ("" if done.kept_layout else
                                         " (written plainly: its comments are lost)"))
    sys.exit(1 if check and stale else 0)


@main.command("explain")
@click.argument("file", type=click.Path())
@click.option("--subject", help="Only this mentorship, council or meeting (id).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def explain(obj, file, subject, as_json):
    """How each result of a scenario was reached: rules run, inputs, parameter values.

    Prints the findings, deadlines, terms and council outcomes with their paragraphs,
    then the trace of every rule that ran.
    """
    lang = obj["lang"]
    out = []
    for scenario in load_file(file):
        engine = engine_for(scenario, trace=True)
        ev = engine.evaluate(scenario.case, scenario.as_of)
        answers = [engine.may_assign(scenario.case, q["mentor"], q["mentee"],
                                     dt.date.fromisoformat(q["on"]), q.get("kind"))
                   for q in scenario.expect.get("may_assign", [])]
        steps = ev.trace.for_subject(subject) if subject else ev.trace.steps

        def keep(thing):
            return subject is None or is_about(thing.subject, subject)

        if as_json:
            out.append({"scenario": scenario.title, "source": scenario.source,
                        **ev.to_json(), "may_assign": [a.to_json() for a in answers],
                        "trace": [s.to_json() for s in steps]})
            continue
        click.echo(f"== {scenario.source}: {scenario.title}")
        click.echo(f"   regime {scenario.regime}, as of {format_date(scenario.as_of, lang)}")
        click.echo("Findings:")
        for f in filter(keep, ev.findings):
            click.echo(f"  [{f.level.value}] {f.rule.cite(lang)} {f.subject}: {f.message(lang)}")
        click.echo("Deadlines:")
        for d in filter(keep, ev.deadlines):
            status = d.status(scenario.as_of, ev.soon).value
            click.echo(f"  {format_date(d.due, lang)} {status:<9} {d.kind:<16} {d.subject} "
                       f"({d.rule.cite(lang)}, from {d.event} {format_date(d.event_date, lang)})")
        click.echo("Terms:")
        for mid, t in ev.terms.items():
            if subject is None or mid == subject:
                click.echo(f"  {mid}: {t.start} .. {t.planned_end} ({t.rule.cite(lang)})")
        for o in ev.outcomes:
            if subject is None or subject in (o.council, o.meeting):
                click.echo(f"Meeting {o.meeting}: {o.present}/{o.members} present, "
                           f"{'quorate' if o.quorate else 'not quorate'}")
                for item, d in o.decisions.items():
                    verdict = {True: "adopted", False: "not adopted", None: "no decision"}[d.adopted]
                    tie = " (tie broken by the chair)" if d.tie_broken_by_chair else ""
                    click.echo(f"  {item}: {d.votes_for} for, {d.votes_against} against, "
                               f"{d.abstained} abstained: {verdict}{tie}")
        for a in answers:
            click.echo(f"May {a.mentor} mentor {a.mentee} on {a.on}? "
                       f"{'yes' if a.allowed else 'no'}{' (fallback)' if a.fallback else ''}")
            for f in a.findings:
                click.echo(f"  [{f.level.value}] {f.rule.cite(lang)}: {f.message(lang)}")
        click.echo("Trace:")
        for step in steps:
            for line in step.lines():
                click.echo("  " + line)
        click.echo("")
    if as_json:
        _dump(out)


if __name__ == "__main__":  # pragma: no cover
    main()


# --- tenants' data (commands/) ---------------------------------------------------------------

def _register_data_commands() -> None:
    from .commands import db, mentorships, people, reports, tenants, users

    for command in (db.db_group, tenants.tenant_group, people.person_group,
                    mentorships.mentorship_group, mentorships.absence_group,
                    mentorships.paper_group, reports.check, reports.deadlines, reports.suggest,
                    users.user_group, users.serve, users.token_group, users.security_log):
        main.add_command(command)
    from .commands import importing; people.person_group.add_command(importing.import_people)  # noqa: E702
    from .commands.councils import council_group; main.add_command(council_group)  # noqa: E702
    from .commands.demo import demo; main.add_command(demo)  # noqa: E702
    from .commands.bench import bench_group; main.add_command(bench_group)  # noqa: E702
    from .commands.regime_new import regime_new; regime_group.add_command(regime_new)  # noqa: E702
    from .commands.documents import register; register(mentorships.paper_group, main)  # noqa: E702
    from .commands.work_standards import work_standards_group; main.add_command(work_standards_group)  # noqa: E702,E501


_register_data_commands()
