"""What the benchmarks share: a fresh database on either backend, migrated the way
production is (on PostgreSQL: tables owned by the admin role, the application connecting
as a non-owner role bound by row-level security), and a synthetic tenant in it."""

from __future__ import annotations

import datetime as dt
import os
import platform
import tempfile
import time
import uuid

import sqlalchemy as sa

from nastavnik.storage import upgrade_database

PG_SERVER = os.environ.get("NASTAVNIK_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
APP_ROLE = "nastavnik_app"
AS_OF = dt.date(2026, 11, 23)


class BenchDatabase:
    """A new database (dropped by ``drop``): ``url`` is what the application uses."""

    def __init__(self, backend: str):
        self.backend = backend
        if backend == "sqlite":
            self._dir = tempfile.TemporaryDirectory(prefix="nastavnik-bench-")
            self.url = self.admin_url = f"sqlite:///{self._dir.name}/bench.sqlite3"
            upgrade_database(self.url)
            return
        self.name = f"nastavnik_bench_{uuid.uuid4().hex[:8]}"
        server = sa.engine.make_url(PG_SERVER)
        self.admin_url = server.set(database=self.name).render_as_string(hide_password=False)
        self.url = server.set(database=self.name, username=APP_ROLE,
                              password=None).render_as_string(hide_password=False)
        self._server = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
        with self._server.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{self.name}"'))
            if not c.execute(sa.text("select 1 from pg_roles where rolname = :r"), {"r": APP_ROLE}).scalar():
                c.execute(sa.text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
        upgrade_database(self.admin_url, APP_ROLE)

    def analyze(self) -> None:
        """Fresh planner statistics after a bulk load, as autovacuum would give soon after."""
        if self.backend == "postgresql":
            engine = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
            with engine.connect() as c:
                c.execute(sa.text("VACUUM ANALYZE"))
            engine.dispose()

    def drop(self) -> None:
        if self.backend == "sqlite":
            self._dir.cleanup()
            return
        with self._server.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self._server.dispose()


def make_app(url: str):
    os.environ["DATABASE_URL"] = url
    from nastavnik.web import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})


def generate_tenant(app, slug: str, regime: str, people: int, mentorships: int, seed: int = 1) -> dict:
    from nastavnik import services
    from nastavnik.synthetic import generate, profile_for

    with app.app_context():
        services.create_tenant(slug, f"bench {regime}", regime, "bench",
                               settings=profile_for(regime).settings)
        t = time.perf_counter()
        with services.tenant(slug, "bench") as work:
            summary = generate(work, people, mentorships, seed, AS_OF)
        summary["seconds"] = time.perf_counter() - t
    return summary


def machine() -> str:
    cpus = os.cpu_count()
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            mem = f", {int(f.readline().split()[1]) / 2**20:.0f} GiB RAM"
    except OSError:
        pass
    return f"{platform.machine()}, {cpus} cores{mem}, Python {platform.python_version()}"
