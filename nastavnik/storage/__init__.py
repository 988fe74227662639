"""Storage: Flask-SQLAlchemy models, tenant scoping, the audit trail, migrations."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import Migrate
from sqlalchemy import event

from . import accounts, audit, security, tenancy  # noqa: F401  (their tables join the metadata)
from .models import db

MIGRATIONS = str(Path(__file__).parent / "migrations")
migrate = Migrate(directory=MIGRATIONS, render_as_batch=True)


def database_url(url: str | None, instance_path: str) -> str:
    """``DATABASE_URL`` as SQLAlchemy wants it (psycopg 3 for PostgreSQL); SQLite in the
    instance folder when none is given."""
    if not url:
        return f"sqlite:///{Path(instance_path) / 'nastavnik.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sqlite_pragmas(engine) -> None:
    """SQLite as a real transactional store: foreign keys on, WAL, wait for locks, and
    every transaction BEGIN IMMEDIATE, so that two writers serialise instead of both
    reading a mentor's load and both adding to it (the pysqlite driver would otherwise
    begin transactions late, after the reads)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_app(app) -> None:
    db.init_app(app)
    migrate.init_app(app, db)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _sqlite_pragmas(db.engine)


def _install_session_listeners() -> None:
    # once per process, on the session class Flask-SQLAlchemy uses; the order matters:
    # rows are stamped with their tenant before the audit reads them
    from flask_sqlalchemy.session import Session

    from . import revision

    tenancy.install(Session)
    audit.install(Session)
    revision.install(Session)


_install_session_listeners()


_ROLE_NAME = __import__("re").compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_app_role(connection, role: str) -> None:
    """Give the application's PostgreSQL role what it needs and no more: it reads and
    writes tenant rows (under row-level security), may only add to the audit trail, and
    owns nothing, so the policies bind it."""
    from .models import TENANT_TABLES

    if not _ROLE_NAME.match(role):
        raise ValueError(f"not a plain role name: {role!r}")
    q = connection.dialect.identifier_preparer.quote(role)
    statements = [f"GRANT USAGE ON SCHEMA public TO {q}",
                  f"GRANT SELECT, INSERT, UPDATE ON tenant TO {q}",
                  f"GRANT USAGE ON SEQUENCE tenant_id_seq TO {q}",
                  f"GRANT SELECT ON alembic_version TO {q}",
                  f"GRANT SELECT, INSERT ON audit_entry TO {q}",
                  f"GRANT SELECT, INSERT, UPDATE, DELETE ON app_user, membership TO {q}",
                  f"GRANT USAGE ON SEQUENCE app_user_id_seq TO {q}",
                  f"GRANT SELECT, INSERT, UPDATE ON api_token TO {q}",
                  f"GRANT USAGE ON SEQUENCE api_token_id_seq TO {q}",
                  # sessions are ended, never deleted; attempts are updated with their
                  # outcome and pruned; the security log, like the audit trail, only grows
                  f"GRANT SELECT, INSERT, UPDATE ON user_session TO {q}",
                  f"GRANT USAGE ON SEQUENCE user_session_id_seq TO {q}",
                  f"GRANT SELECT, INSERT, UPDATE, DELETE ON login_attempt TO {q}",
                  f"GRANT USAGE ON SEQUENCE login_attempt_id_seq TO {q}",
                  f"GRANT SELECT, INSERT ON security_event TO {q}",
                  f"GRANT USAGE ON SEQUENCE security_event_id_seq TO {q}"]
    statements += [f"GRANT SELECT, INSERT, UPDATE, DELETE ON {t} TO {q}"
                   for t in TENANT_TABLES if t != "audit_entry"]
    for statement in statements:
        connection.exec_driver_sql(statement)


def upgrade_database(url: str, app_role: str | None = None) -> str:
    """Create or upgrade the schema at ``url`` (as the tables' owner) to the latest
    migration; on PostgreSQL, grant the application's role its rights. Returns the
    revision reached."""
    import flask_migrate
    from alembic.migration import MigrationContext
    from flask import Flask

    app = Flask("nastavnik.migrate")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    init_app(app)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS)
        with db.engine.begin() as connection:
            if app_role and connection.dialect.name == "postgresql":
                grant_app_role(connection, app_role)
            revision = MigrationContext.configure(connection).get_current_revision()
        db.engine.dispose()
    return revision
