"""nastavnik db upgrade."""

from __future__ import annotations

import os

import click

from ..storage import database_url, upgrade_database


@click.group("db")
def db_group():
    """The database: create or upgrade its schema."""


@db_group.command("upgrade")
def upgrade():
    """Create or upgrade the database to the latest schema.

    Uses $DATABASE_ADMIN_URL (the tables' owner) when set, else $DATABASE_URL, else SQLite
    in the instance folder. On PostgreSQL, $DATABASE_APP_ROLE (the role the application
    connects as) is granted its rights; row-level security binds that role."""
    url = database_url(os.environ.get("DATABASE_ADMIN_URL") or None)
    revision = upgrade_database(url, os.environ.get("DATABASE_APP_ROLE"))
    click.echo(f"database at revision {revision}")
