"""Scenario files: run them, upgrade older ones, explain how each result was reached."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..core.errors import NastavnikError
from ..core.i18n import format_date
from ..core.scenario import load_file, run_scenario
from ..core.scenario.runner import engine_for
from ..core.scenario.upgrade import upgrade_text
from . import dump as _dump
from ..core.subjects import within

def installed_scenarios() -> list[Path]:
    """The scenarios every installed regime ships (its ``regime_scenarios`` hook)."""
    from ..core.scenario.discovery import scenario_files
    return scenario_files()


def _expand(paths) -> list[Path]:
    if not paths:
        return installed_scenarios()
    out = []
    for p in map(Path, paths):
        out.extend(sorted(p.rglob("*.yaml")) if p.is_dir() else [p])
    return out


@click.group("scenario")
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
    or an assignment's regime facts, written beside the core's keys, go under ``attributes:``. Comments and layout are kept where the edit
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


@click.command("explain")
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
            return subject is None or within(thing.subject, subject)

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


