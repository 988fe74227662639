"""The ``nastavnik`` command line. Commands call the core's service functions; no rule
logic lives here. Each command lives in ``commands/`` and is imported only when it runs
(``commands/lazy.py``), so the CLI starts without the database, the web or the documents."""

from __future__ import annotations

import os
import sys

import click

from .commands.lazy import LazyGroup
from .core.errors import NastavnikError, Refused
from .core.i18n import LANGUAGES

#: every top-level command: name -> ("module:attribute", its short help)
COMMANDS = {
    "regimes": ("nastavnik.commands.regimes:regimes_cmd",
                "List the installed regimes: id, title, citation."),
    "regime": ("nastavnik.commands.regimes:regime_group",
               "One regime in detail."),
    "calendar": ("nastavnik.commands.calendar:calendar_group",
                 "Working days of a national calendar."),
    "scenario": ("nastavnik.commands.scenarios:scenario_group",
                 "Scenario files: facts, a date, and what the law expects (docs/scenarios.md)."),
    "explain": ("nastavnik.commands.scenarios:explain",
                "How each result of a scenario was reached: rules run, inputs, parameter values."),
    "db": ("nastavnik.commands.db:db_group",
           "The database: create or upgrade its schema."),
    "tenant": ("nastavnik.commands.tenants:tenant_group",
               "Tenants: the agencies on the platform, each under one regime."),
    "person": ("nastavnik.commands.people:person_group",
               "Staff of a tenant."),
    "mentorship": ("nastavnik.commands.mentorships:mentorship_group",
                   "Mentorships: assign, release, replace, close, show."),
    "absence": ("nastavnik.commands.mentorships:absence_group",
                "Absences (extend terms; a mentor's long absence calls for a replacement)."),
    "paper": ("nastavnik.commands.mentorships:paper_group",
              "Papers the tenant's regime requires: record them done, print them, their templates."),
    "check": ("nastavnik.commands.reports:check",
              "Compliance report: every finding and deadline with its paragraph and status."),
    "deadlines": ("nastavnik.commands.reports:deadlines",
                  "Deadlines overdue or falling due within N working days."),
    "evaluate": ("nastavnik.commands.results:evaluate",
                 "Work out every finding and deadline of the tenant again and keep them (after a new version of its regime is installed, or to repair); reads answer from the results kept before until it is done."),
    "worker": ("nastavnik.commands.results:worker",
               "Run a worker of the queue ($REDIS_URL): whole re-evaluations of tenants' results, on the database of $DATABASE_URL."),
    "suggest": ("nastavnik.commands.reports:suggest",
                "Mentors who may be assigned to MENTEE, best first, and why the others may not."),
    "user": ("nastavnik.commands.users:user_group",
             "Users of the web admin and their roles per tenant."),
    "serve": ("nastavnik.commands.users:serve",
              "Run the web admin with Flask's server (for a workstation; production runs gunicorn: `gunicorn 'nastavnik.web:create_app()'`)."),
    "token": ("nastavnik.commands.users:token_group",
              "API tokens (for agencies' HR systems): create, list, revoke."),
    "security-log": ("nastavnik.commands.users:security_log",
                     "The platform's security log, newest first: logins and failed ones, lockouts, users created, deactivated and activated, roles granted and revoked, passwords changed, API tokens created and revoked; with who, when (UTC) and from which address."),
    "council": ("nastavnik.commands.councils:council_group",
                "The council of mentors: members, meetings, attendance, agenda, votes, outcomes."),
    "demo": ("nastavnik.commands.demo:demo",
             "Load a demo tenant per installed regime (the built-in ones: staff, mentorships at every stage and, for the prosecutors, a Council of mentors) and demo users of the web admin."),
    "bench": ("nastavnik.commands.bench:bench_group",
              "Synthetic data for benchmarks (see bench/ and bench/RESULTS.md)."),
    "export": ("nastavnik.commands.documents:export",
               "The compliance report, the people, the mentorships or the deadlines as XLSX or CSV."),
    "work-standards": ("nastavnik.commands.work_standards:work_standards_group",
                       "Work standards (prosecutor bodies, order No."),
}


class Group(LazyGroup):
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
        except Exception as exc:
            if not _database_unusable(exc):
                raise
            click.echo(f"error: the database cannot be used: {str(exc.orig).splitlines()[0]}"
                       " (is it created? run `nastavnik db upgrade`)", err=True)
            sys.exit(2)


def _database_unusable(exc: Exception) -> bool:
    # SQLAlchemy is imported only by the commands that use the database
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.OperationalError)


@click.group(cls=Group, lazy=COMMANDS)
@click.option("--lang", type=click.Choice(LANGUAGES), default=lambda: os.environ.get("NASTAVNIK_LANG", "en"),
              show_default="en or $NASTAVNIK_LANG", help="Language of titles and messages.")
@click.version_option(package_name="nastavnik")
@click.pass_context
def main(ctx, lang):
    """Mentorship rules for public bodies: regimes, calendars, scenarios, and each
    tenant's staff, mentorships, councils and compliance."""
    ctx.ensure_object(dict)
    ctx.obj["lang"] = lang


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="nastavnik")
