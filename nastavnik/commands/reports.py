"""nastavnik check, deadlines, suggest."""

from __future__ import annotations

import datetime as dt

import click

from .. import services
from . import DATE, dump, echo_findings, json_option, lang, tenant_option, with_database, work_on

TODAY = dict(type=DATE, default=lambda: dt.date.today(), show_default="today")


@click.command("check")
@tenant_option
@click.option("--as-of", **TODAY)
@json_option
@with_database
def check(tenant_slug, as_of, as_json):
    """Compliance report: every finding and deadline with its paragraph and status."""
    from ..services import compliance

    language = lang()
    with work_on(tenant_slug, "cli:read") as work:
        if as_json:
            return dump(services.compliance_report(work, as_of))
        report = compliance.compliance_summary(work, as_of)
        report["findings"] = compliance.report_findings(
            work, ("violation", "warning"), limit=None)["items"]
        # a paper or order done after its day is a breach of the deadline, as the dashboard
        # shows
        report["deadlines"] = compliance.report_deadlines(
            work, as_of, statuses=("overdue", "due_soon", "due", "done_late"), limit=None)["items"]
    s = report["summary"]
    if not report["up_to_date"]:
        p = report["progress"]
        click.echo(f"(the results are being brought up to date: {p['state']}, "
                   f"{p['done']} of {p['total']} rows; shown as they were before)")
    click.echo(f"{report['tenant']} ({report['regime']}) as of {report['as_of']}: "
               f"{s['mentorships_open']} open mentorships, {s['violations']} violations, "
               f"{s['warnings']} warnings, {s['overdue']} overdue, {s['due_soon']} due soon, "
               f"{s['done_late']} done late")
    click.echo("\nFindings:")
    for f in report["findings"]:
        click.echo(f"  {f['severity']:<9} {f['mentee'] or f['subject'][:8]:<12} {f['rule']} "
                   f"(p.{f['paragraph']}): {f['message'][language]}")
    for heading, shown in (("Deadlines not done:", lambda st: st not in ("done", "done_late")),
                           ("Deadlines done late:", lambda st: st == "done_late")):
        click.echo(f"\n{heading}")
        for d in report["deadlines"]:
            if shown(d["status"]):
                click.echo(f"  {d['due']}  {d['status']:<9} {d['mentee'] or d['subject'][:8]:<12} "
                           f"{d['kind']:<18} p.{d['paragraph']}  {d['message'][language]}"
                           + (f" (done {d['done_on']})" if d["done_on"] else ""))
    for c in report["councils"]:
        click.echo(f"\nCouncil meeting {c['meeting']}: {'quorate' if c['quorate'] else 'NOT quorate'} "
                   f"({c['present']}/{c['members']})")


@click.command("deadlines")
@tenant_option
@click.option("--within", type=click.IntRange(min=0), default=5, show_default=True,
              help="Working days ahead (the tenant's calendar).")
@click.option("--as-of", **TODAY)
@json_option
@with_database
def deadlines(tenant_slug, within, as_of, as_json):
    """Deadlines overdue or falling due within N working days."""
    language = lang()
    with work_on(tenant_slug, "cli:read") as work:
        rows = services.deadlines_within(work, as_of, within)
    if as_json:
        return dump(rows)
    for d in rows:
        click.echo(f"{d['due']}  {d['status']:<9} {d['mentee'] or d['subject'][:8]:<12} "
                   f"{d['kind']:<18} p.{d['paragraph']}  {d['message'][language]}")
    click.echo(f"{len(rows)} deadlines")


@click.command("suggest")
@tenant_option
@click.argument("mentee")
@click.option("--on", type=DATE, default=lambda: dt.date.today(), show_default="today")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--all-excluded", is_flag=True, help="List every excluded person with the reasons.")
@json_option
@with_database
def suggest(tenant_slug, mentee, on, limit, all_excluded, as_json):
    """Mentors who may be assigned to MENTEE, best first, and why the others may not."""
    language = lang()
    with work_on(tenant_slug, "cli:read") as work:
        result = services.suggest_mentors(work, mentee, on, limit)
    if as_json:
        return dump({**result,
                     "eligible": [{**e, "findings": [f.to_json() for f in e["findings"]]}
                                  for e in result["eligible"]],
                     "excluded": [{**e, "findings": [f.to_json() for f in e["findings"]]}
                                  for e in result["excluded"]]})
    counted = (f"{result['eligible_count']} eligible" if result["eligible_count"] is not None
               else f"best {len(result['eligible'])} of {result['staff']} staff, "
                    f"{result['checked']} checked")
    click.echo(f"Candidates for {result['mentee']} from {result['on']} "
               f"({counted}, capacity {result['capacity']}):")
    for e in result["eligible"]:
        click.echo(f"  {e['number']:<12} {e['name']:<32} load {e['load']}/{e['capacity']}"
                   f"{'  same unit' if e['same_unit'] else ''}{'  [exception]' if e['fallback'] else ''}")
    excluded = result["excluded"] if all_excluded else result["excluded"][:limit]
    click.echo(f"Excluded ({len(result['excluded'])}):")
    for e in excluded:
        click.echo(f"  {e['number']:<12} {e['name']}")
        echo_findings([f for f in e["findings"] if f.level.value != "info"], language, "      ")
