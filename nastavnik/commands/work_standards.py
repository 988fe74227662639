"""nastavnik work-standards: technological schemes, work recorded against them, workload
and staff number (services.work_standards; regimes with work standards only)."""

from __future__ import annotations

import sys

import click

from ..core import workload as wl
from ..services import work_standards as ws
from . import (DATE, actor_option, dump, echo_findings, json_option, lang, show_date,
               tenant_option, with_database, work_on)


def scheme_json(scheme) -> dict:
    since, until = ws.term_of(scheme)
    return {"id": str(scheme.id), "position": scheme.position, "direction": scheme.direction,
            "version": scheme.version, "status": scheme.status,
            "approved_by": scheme.approved_by,
            "approved_on": scheme.approved_on.isoformat() if scheme.approved_on else None,
            "hr_coordinated_by": scheme.hr_coordinated_by,
            "hr_coordinated_on": scheme.hr_coordinated_on.isoformat() if scheme.hr_coordinated_on else None,
            "in_force_from": since.isoformat() if since else None,
            "in_force_to": until.isoformat() if until else None, "source": scheme.source}


def scheme_detail_json(scheme) -> dict:
    return {**scheme_json(scheme), "types": [
        {"title": t.title, "actions": [
            {"code": a.code, "title": a.title, "time_norm_minutes": a.time_norm_minutes,
             "result_requirement": a.result_requirement} for a in actions]}
        for t, actions in ws.types_and_actions(scheme)]}


@click.group("work-standards")
def work_standards_group():
    """Work standards (prosecutor bodies, order No. 159 of 2015): schemes, work, workload."""


def _approval_options(f):
    f = click.option("--approved-by", help="Who approved it (the head of the structural unit, p.6).")(f)
    f = click.option("--approved-on", type=DATE, help="Date of approval.")(f)
    f = click.option("--in-force-from", type=DATE, help="In force from (default: the approval date).")(f)
    f = click.option("--hr-coordinated-by", help="Coordinated with the HR department by (p.8).")(f)
    f = click.option("--hr-coordinated-on", type=DATE)(f)
    return f


@work_standards_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@tenant_option
@click.option("--position", required=True, help="The position the scheme is for.")
@click.option("--direction", required=True, help="The activity direction.")
@_approval_options
@actor_option
@json_option
@with_database
def import_scheme(file, tenant_slug, position, direction, approved_by, approved_on,
                  in_force_from, hr_coordinated_by, hr_coordinated_on, actor, as_json):
    """A new version of the scheme of POSITION in DIRECTION from FILE (.xlsx or .csv).

    Columns: work_type, action_code, action, time_norm_minutes, result_requirement (p.5).
    The version is a draft unless --approved-by and --approved-on are given. The whole
    file is checked first: every error is printed with its line and cell, nothing is
    written (exit 2).
    """
    approval = dict(approved_by=approved_by, approved_on=approved_on, in_force_from=in_force_from,
                    hr_coordinated_by=hr_coordinated_by, hr_coordinated_on=hr_coordinated_on)
    try:
        with work_on(tenant_slug, actor) as work:
            scheme = ws.import_scheme(work, file, position, direction, **approval)
            data = scheme_detail_json(scheme)
    except ws.SchemeRejected as exc:
        if as_json:
            dump({"errors": [{"line": line, "cell": cell, "field": field, "message": message}
                             for line, cell, field, message in exc.errors]})
        else:
            for line, cell, field, message in exc.errors:
                click.echo(f"line {line}, cell {cell} ({field}): {message}", err=True)
            click.echo(str(exc), err=True)
        sys.exit(2)
    if as_json:
        return dump(data)
    actions = sum(len(t["actions"]) for t in data["types"])
    click.echo(f"{data['position']} / {data['direction']} version {data['version']} "
               f"({data['status']}): {len(data['types'])} types of work, {actions} actions  {data['id']}")


@work_standards_group.command("approve")
@click.argument("scheme")
@tenant_option
@_approval_options
@actor_option
@with_database
def approve(scheme, tenant_slug, approved_by, approved_on, in_force_from, hr_coordinated_by,
            hr_coordinated_on, actor):
    """Approve the draft version SCHEME (its id); it supersedes earlier versions from its date."""
    with work_on(tenant_slug, actor) as work:
        s = ws.approve_scheme(work, scheme, approved_by, approved_on, in_force_from,
                              hr_coordinated_by, hr_coordinated_on)
        click.echo(f"version {s.version} approved, in force from {s.in_force_from}")


@work_standards_group.command("schemes")
@tenant_option
@json_option
@with_database
def schemes(tenant_slug, as_json):
    """List the schemes and their versions."""
    language = lang()
    with work_on(tenant_slug, "cli:read") as work:
        rows = ws.list_schemes(work)
        if as_json:
            return dump([scheme_json(s) for s in rows])
        for s in rows:
            since, until = ws.term_of(s)
            term = (f"{show_date(since, language)} – {show_date(until, language) if until else '…'}"
                    if since else "-")
            click.echo(f"{str(s.id)[:8]}  {s.position} / {s.direction}  v{s.version}  "
                       f"{s.status:<8} {term}")
        click.echo(f"{len(rows)} version(s)")


@work_standards_group.command("show")
@click.argument("scheme")
@tenant_option
@json_option
@with_database
def show(scheme, tenant_slug, as_json):
    """One scheme version: types of work, actions, time norms, result requirements."""
    language = lang()
    with work_on(tenant_slug, "cli:read") as work:
        s = ws.find_scheme(work, scheme)
        if as_json:
            return dump(scheme_detail_json(s))
        click.echo(f"{s.position} / {s.direction}, version {s.version}")
        echo_findings([ws.approval_finding(work, s)], language)
        for t, actions in ws.types_and_actions(s):
            click.echo(f"  {t.title}")
            for a in actions:
                click.echo(f"    {a.code:<8} {a.time_norm_minutes:>5} min  {a.title} — {a.result_requirement}")


@work_standards_group.command("record")
@tenant_option
@click.argument("person")
@click.argument("action")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--count", type=int, required=True, help="How many times the action was done.")
@click.option("--met", type=int, help="How many results met the requirement (default: all).")
@click.option("--scheme", help="The scheme version's id, if the code is in several schemes.")
@click.option("--note", default="")
@actor_option
@with_database
def record(tenant_slug, person, action, start, end, count, met, scheme, note, actor):
    """PERSON (personnel number) did ACTION (its code) COUNT times from --from to --to."""
    with work_on(tenant_slug, actor) as work:
        r = ws.record_work(work, person, action, start, end, count, met, note, scheme)
        click.echo(f"recorded {r.count} × {action} ({r.results_met} met the requirement)  {r.id}")


@work_standards_group.command("records")
@tenant_option
@click.option("--person")
@click.option("--from", "start", type=DATE)
@click.option("--to", "end", type=DATE)
@json_option
@with_database
def records(tenant_slug, person, start, end, as_json):
    """Work recorded, of one person or all, overlapping a period."""
    with work_on(tenant_slug, "cli:read") as work:
        rows = [r.to_json() for r in ws.list_records(work, person, start, end)]
    if as_json:
        return dump(rows)
    for r in rows:
        click.echo(f"{r['from']} – {r['to']}  {r['person']:<10} {r['action']:<8} "
                   f"{r['count']:>4} × {r['time_norm_minutes']} min  met {r['results_met']}")
    click.echo(f"{len(rows)} record(s)")


@work_standards_group.command("workload")
@tenant_option
@click.argument("person")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@json_option
@with_database
def workload(tenant_slug, person, start, end, as_json):
    """PERSON's normative hours against their working time, and compliance (p.3, p.4, p.5)."""
    language = lang()
    with work_on(tenant_slug, "cli:read") as work:
        report = ws.workload_report(work, person, start, end)
        if as_json:
            return dump(report.to_json())
        data = report.to_json()
        click.echo(f"{data['full_name']} ({data['person']}), {show_date(start, language)} – "
                   f"{show_date(end, language)}")
        load = f"{data['load_percent']}%" if data["load_percent"] is not None else "-"
        compliance = (f"{data['compliance_percent']}%" if data["compliance_percent"] is not None
                      else "-")
        click.echo(f"  normative {data['normative_hours']} h / working time "
                   f"{data['working_hours']} h = load {load}; results meeting the "
                   f"requirements {data['results_met']}/{data['results']} = {compliance}")
        echo_findings(report.findings, language)
        for r in report.excluded:
            click.echo(f"  not counted (straddles the period): {r.record.period_start} – "
                       f"{r.record.period_end} {r.action.code} × {r.record.count}")


@work_standards_group.command("staff-number")
@tenant_option
@click.argument("unit")
@click.option("--position")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@json_option
@with_database
def staff_number(tenant_slug, unit, position, start, end, as_json):
    """Staff units UNIT's recorded work implies in the period (p.3)."""
    language = lang()
    with work_on(tenant_slug, "cli:read") as work:
        report = ws.staff_number_report(work, unit, start, end, position)
        if as_json:
            return dump(report.to_json())
        staff = wl.rounded(report.staff_number, 2) if report.staff_number is not None else "-"
        click.echo(f"{unit}: {staff} staff units ({len(report.people)} people)")
        echo_findings([report.finding], language)
