"""nastavnik demo: a demo tenant per installed regime that ships one, and what to try next."""

from __future__ import annotations

import datetime as dt
import os
import shlex

import click
import sqlalchemy as sa

from . import DATE, with_database

#: commands that take the as-of date, and the option that carries it
_DATE_OPTIONS = {"check": "--as-of", "deadlines": "--as-of", "mentorship show": "--as-of",
                 "council show": "--as-of", "suggest": "--on"}


def _ensure_schema() -> str | None:
    """``db upgrade`` when the database has no schema yet; the revision reached, or None."""
    from ..storage import database_url, upgrade_database
    from ..storage.models import db

    with db.engine.connect() as connection:  # closed at once: SQLite must not stay locked
        if sa.inspect(connection).has_table("tenant"):
            return None
    url = os.environ.get("DATABASE_ADMIN_URL")
    url = database_url(url) if url else db.engine.url.render_as_string(hide_password=False)
    return upgrade_database(url, os.environ.get("DATABASE_APP_ROLE"))


def _hint(command: str, as_of: dt.date) -> str | None:
    """The command line to print, with the demo's date where the command takes one; None
    if this installation has no such command."""
    context = click.get_current_context().find_root()
    words = shlex.split(command)
    if not isinstance(context.command, click.Group) or words[0] not in context.command.list_commands(context):
        return None
    if as_of != dt.date.today():
        for prefix, option in _DATE_OPTIONS.items():
            if command.startswith(prefix + " "):
                command += f" {option} {as_of.isoformat()}"
    return "nastavnik " + command


def _summary(report: dict) -> str:
    s = report["summary"]
    line = (f"{s['mentorships_open']} open mentorships, {s['violations']} violations, "
            f"{s['warnings']} warnings, {s['overdue']} overdue, {s['due_soon']} due soon")
    councils = report["councils"]
    if councils:
        quorate = sum(1 for c in councils if c["quorate"])
        line += f"; council meetings: {len(councils)} ({quorate} quorate)"
    return line


@click.command("demo")
@click.option("--as-of", type=DATE, default=lambda: dt.date.today(), show_default="today",
              help="The day the demo's story is told from (dates are counted from it).")
@click.option("--reset", is_flag=True,
              help="Delete the demo tenants' data (audited) and load it again.")
@click.option("--serve", is_flag=True, help="Then start the web admin on this machine.")
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--regime", "regimes", multiple=True,
              help="Only this regime's demo tenant (repeat for more); default: every installed "
                   "regime that ships one.")
def demo(as_of, reset, serve, port, regimes):
    """Load a demo tenant per installed regime (the built-in ones: staff, mentorships at
    every stage and, for the prosecutors, a Council of mentors) and demo users of the web
    admin. Existing demo tenants are left alone unless --reset is given; no other tenant is
    touched."""
    if serve:
        # plain HTTP on this machine only: a Secure cookie would never come back
        os.environ.setdefault("NASTAVNIK_SECURE_COOKIES", "0")
    _load(as_of, reset, regimes)
    if serve:
        from .users import run_server
        run_server("127.0.0.1", port)


#: demo users of the web admin: (e-mail, name, platform admin, {tenant: role})
DEMO_USERS = (
    ("admin@demo.kz", "Demo administrator", True, {}),
    ("hr@demo.kz", "Айгерим Нурланова (HR)", False,
     {"demo-prosecutors": "hr_officer", "demo-civil-service": "hr_officer"}),
    ("viewer@demo.kz", "Наблюдатель", False, {"demo-education": "viewer"}),
)
DEMO_PASSWORD = "nastavnik-demo"


def _demo_users() -> list[str]:
    from .. import demo as demo_data
    from ..services import users
    from ..core.errors import NotFound

    made = []
    for email, name, platform_admin, roles in DEMO_USERS:
        try:
            users.find_user(email)
        except NotFound:
            users.create_user(email, name, DEMO_PASSWORD, platform_admin, actor=demo_data.ACTOR)
            made.append(email)
        for slug, role in roles.items():
            try:
                users.grant(email, slug, role, actor=demo_data.ACTOR)
            except NotFound:  # that demo tenant was not loaded (--regime)
                pass
    return made


@with_database
def _load(as_of, reset, regimes=()):
    """Load three demo tenants, one per regime: staff, mentorships at every stage and, for
    the prosecutors, a Council of mentors. Existing demo tenants are left alone unless
    --reset is given; no other tenant is touched."""
    from .. import demo as demo_data

    demo_data.check_as_of(as_of)
    revision = _ensure_schema()
    if revision:
        click.echo(f"database created at revision {revision}")
    results = demo_data.load(as_of, reset=reset, actor=demo_data.ACTOR, regimes=regimes or None)
    for r in results:
        said = {"created": "created", "loaded": "loaded into the existing empty tenant",
                "reset": "data deleted and loaded again",
                "skipped": "exists, left as it is (--reset loads it again)"}[r.status]
        click.echo(f"\n{r.slug}: {said}")
        click.echo(f"  {r.name} ({r.regime})")
        click.echo(f"  as of {as_of.isoformat()}: {_summary(r.report)}")
        lines = [(line, what) for line, what in ((_hint(c, as_of), what) for c, what in r.hints)
                 if line]
        if lines:
            click.echo("  try:")
            width = max(len(line) for line, _ in lines)
            for line, what in lines:
                click.echo(f"    {line:<{width}}  # {what}")
    if not regimes:
        for regime, shipped in demo_data.demos().items():
            if shipped is None:
                click.echo(f"\n{regime}: ships no demo tenant (a regime adds one with the "
                           f"regime_demo hook, docs/plugin-hooks.md)")
    _demo_users()
    click.echo("\nweb admin logins (password for each: " + DEMO_PASSWORD + "):")
    for email, name, platform_admin, roles in DEMO_USERS:
        what = "every tenant" if platform_admin else ", ".join(f"{r} in {t}" for t, r in roles.items())
        click.echo(f"  {email:<16} {what}")
