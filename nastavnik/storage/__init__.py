"""Storage: the models, tenant scoping, the audit trail, migrations. No web framework is
needed: code binds ``db`` to a database (``with db.bound(url):``), or runs inside a host
that has (the web app, nastavnik.web.database)."""

from __future__ import annotations

from pathlib import Path

from . import accounts, audit, security, tenancy  # noqa: F401  (their tables join the metadata)
from .database import NotBound, database_url, instance_path, make_engine  # noqa: F401
from .models import db

MIGRATIONS = str(Path(__file__).parent / "migrations")


def _install_session_listeners() -> None:
    # once per process; the order matters: rows are stamped with their tenant before the
    # audit reads them
    from . import revision
    from .database import Session

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


def alembic_config(connection=None):
    """Alembic's configuration for our migrations, running on ``connection`` if given."""
    from alembic.config import Config

    config = Config(str(Path(MIGRATIONS) / "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["connection"] = connection
    return config


def migrate(url: str, revision: str = "head", down: bool = False,
            app_role: str | None = None) -> str | None:
    """Upgrade (or downgrade) the schema at ``url`` to ``revision``, in one transaction
    where the database allows; on PostgreSQL, grant ``app_role`` its rights. Returns the
    revision reached."""
    import sqlalchemy as sa
    from alembic import command

    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            (command.downgrade if down else command.upgrade)(alembic_config(connection), revision)
            if app_role and connection.dialect.name == "postgresql":
                grant_app_role(connection, app_role)
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


def upgrade_database(url: str, app_role: str | None = None) -> str:
    """Create or upgrade the schema at ``url`` (as the tables' owner) to the latest
    migration; on PostgreSQL, grant the application's role its rights. Returns the
    revision reached."""
    return migrate(url, app_role=app_role)
