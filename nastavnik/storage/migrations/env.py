"""Alembic's environment: migrations run on the connection the caller hands over
(``storage.upgrade_database``), or on ``sqlalchemy.url`` / ``$DATABASE_URL`` when alembic's
own command line runs them."""

import logging
from logging.config import fileConfig

from alembic import context

from nastavnik.storage.database import database_url, make_engine
from nastavnik.storage.models import db

config = context.config
if config.config_file_name and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

# SQLite cannot ALTER most things: alembic rebuilds the table (batch mode)
OPTIONS = {"target_metadata": db.metadata, "render_as_batch": True}


def _skip_empty_autogenerate(context_, revision, directives):
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_offline():
    context.configure(url=config.get_main_option("sqlalchemy.url") or database_url(),
                      literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_online():
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or database_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection):
    context.configure(connection=connection, process_revision_directives=_skip_empty_autogenerate,
                      **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
