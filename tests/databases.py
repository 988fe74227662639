"""Databases for the tests: SQLite (always) and PostgreSQL (in CI, or whenever a server is
reachable). On PostgreSQL the schema is migrated by its owner and the application
connects as ``nastavnik_app``, a role that neither owns the tables nor is a superuser, so
row-level security binds it as it will in production."""

from __future__ import annotations

import os
import shutil
import uuid

import pytest
import sqlalchemy as sa

from nastavnik.storage import upgrade_database
from nastavnik.storage.models import TENANT_TABLES

PG_SERVER = os.environ.get("NASTAVNIK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
APP_ROLE = "nastavnik_app"


def pg_reachable() -> str | None:
    """None if a PostgreSQL server answers, else why not."""
    try:
        engine = sa.create_engine(PG_SERVER)
        with engine.connect() as c:
            c.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect: the reason is shown in the skip
        return f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


class PostgresDatabase:
    """A fresh database for one test session, migrated, with the app role granted."""

    def __init__(self):
        self.name = f"nastavnik_test_{uuid.uuid4().hex[:10]}"
        server = sa.engine.make_url(PG_SERVER)
        self.admin_url = server.set(database=self.name).render_as_string(hide_password=False)
        self.app_url = server.set(database=self.name, username=APP_ROLE,
                                  password=None).render_as_string(hide_password=False)
        self._server = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        with self._server.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
            exists = c.execute(sa.text("select 1 from pg_roles where rolname = :r"),
                               {"r": APP_ROLE}).scalar()
            if not exists:
                c.execute(sa.text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
        upgrade_database(self.admin_url, APP_ROLE)
        self.admin = sa.create_engine(self.admin_url)

    def clean(self) -> None:
        with self.admin.begin() as c:
            c.execute(sa.text(f"TRUNCATE {', '.join(TENANT_TABLES)}, tenant, app_user, "
                              "login_attempt, security_event CASCADE"))

    def drop(self) -> None:
        self.admin.dispose()
        with self._server.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self._server.dispose()


class SqliteTemplate:
    """One migrated SQLite file per session, copied for each test (migrating is slow)."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "template.sqlite3")
        upgrade_database(f"sqlite:///{self.path}")

    def fresh(self, directory) -> str:
        path = os.path.join(directory, f"{uuid.uuid4().hex[:8]}.sqlite3")
        shutil.copyfile(self.path, path)
        return f"sqlite:///{path}"


def require_postgres():
    reason = pg_reachable()
    if reason is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI needs PostgreSQL at {PG_SERVER}: {reason}")
    pytest.skip(f"no PostgreSQL reachable at {PG_SERVER} ({reason}); CI runs these")


# --- a database to migrate step by step (the migrations' own tests) --------------------------

def migrate(url: str, revision: str, down: bool = False) -> None:
    """Upgrade (or downgrade) the database at ``url`` to ``revision``."""
    from nastavnik.storage import migrate as run

    run(url, revision, down=down)


@pytest.fixture
def empty_database(backend, tmp_path):
    """The URL of an empty database of the test's backend, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.db'}"
        return
    require_postgres()
    name = f"nastavnik_migrate_{uuid.uuid4().hex[:10]}"
    server = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as c:
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
    with server.connect() as c:
        c.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    server.dispose()
