"""Command-line commands over the services, grouped by what they work on. Helpers here:
the database, ``--tenant`` and ``--actor``, printing findings and deadlines."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import getpass
import json
import os

import click

from ..core.i18n import format_date

DATE_HELP = "YYYY-MM-DD"


class Date(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


DATE = Date()


def with_database(f):
    """Run the command on the database: the one already in use (a test's), else
    ``$DATABASE_URL`` (SQLite in the instance folder by default). No web app is built."""

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        from ..storage import NotBound, database_url, db

        try:
            target = db.engine
        except NotBound:
            target = database_url()
        with db.bound(target):  # a session of the command's own, closed at its end
            return f(*args, **kwargs)

    return wrapper


def default_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in this environment (e.g. a container): still traceable
        return "cli"


tenant_option = click.option("--tenant", "tenant_slug", envvar="NASTAVNIK_TENANT", required=True,
                             help="Tenant slug (or $NASTAVNIK_TENANT).")
actor_option = click.option("--actor", default=default_actor, show_default="cli:<user>",
                            help="Who is acting, for the audit trail.")
json_option = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")


@contextlib.contextmanager
def work_on(tenant_slug: str, actor: str):
    from .. import services

    with services.tenant(tenant_slug, actor) as work:
        yield work


def lang() -> str:
    return click.get_current_context().find_object(dict).get("lang", "en")


def dump(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def echo_findings(findings, language: str, indent: str = "  ") -> None:
    for f in findings:
        click.echo(f"{indent}{f.level.value:<9} {f.rule.id} (p.{f.rule.paragraph}): {f.message(language)}")


def show_date(day, language: str) -> str:
    return format_date(day, language) if day else "-"


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")
