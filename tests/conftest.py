import logging

import pytest

from nastavnik.core import registry

from databases import PostgresDatabase, SqliteTemplate, require_postgres

#: every built-in regime's scenarios as test items, and the check that they cover every rule
pytest_plugins = ["nastavnik.testing"]


@pytest.fixture
def fresh_registry():
    """Managers built for this test only (e.g. after installing a plugin at run time)."""
    registry.forget()
    yield registry
    registry.forget()


# --- databases -------------------------------------------------------------------------------

@pytest.fixture(autouse=True, scope="session")
def _no_real_database(tmp_path_factory):
    """Code that falls back to the configured database (a command run outside a test's app)
    finds an empty instance folder of the test session's, never the developer's data."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NASTAVNIK_INSTANCE", str(tmp_path_factory.mktemp("instance")))
        for name in ("DATABASE_URL", "DATABASE_ADMIN_URL", "DATABASE_APP_ROLE"):
            patch.delenv(name, raising=False)
        yield


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    return SqliteTemplate(str(tmp_path_factory.mktemp("sqlite-template")))


@pytest.fixture(scope="session")
def postgres_database():
    require_postgres()
    database = PostgresDatabase()
    yield database
    database.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture
def database_url(backend, request, tmp_path):
    """The URL the application uses, on a clean database of the backend under test."""
    if backend == "sqlite":
        yield request.getfixturevalue("sqlite_template").fresh(str(tmp_path))
    else:
        database = request.getfixturevalue("postgres_database")
        database.clean()
        yield database.app_url
        database.clean()


@pytest.fixture
def app(database_url, tmp_path):
    from nastavnik.storage.models import db
    from nastavnik.web import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test"})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True, scope="session")
def _quiet_alembic():
    logging.getLogger("alembic").setLevel(logging.WARNING)
