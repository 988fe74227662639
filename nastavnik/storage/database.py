"""The database handle, with no web framework in it.

``db.session`` is one SQLAlchemy session per unit of work, and ``db.engine`` the engine it
runs on. Which engine that is depends on who runs the code: a command binds one for its
duration (``with db.bound(url):``); a host such as the web app registers a resolver that
names the engine and the scope of the work in progress (its app context). Nothing here
imports Flask: the web's binding lives in ``nastavnik.web.database``.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
from pathlib import Path
from typing import Callable, NamedTuple

import orjson
import sqlalchemy as sa
from sqlalchemy import event, orm


class Binding(NamedTuple):
    """An engine, and the key of the unit of work that uses it (one session per key)."""

    key: object
    engine: sa.Engine


class Session(orm.Session):
    """The session class of the application: tenancy, audit and revision listeners are
    installed on it (storage/__init__.py)."""


class NotBound(RuntimeError):
    """Code asked for the database where none is bound."""


class _SessionFactory(orm.sessionmaker):
    def __init__(self, database: "Database"):
        super().__init__(class_=Session)
        self._database = database

    def __call__(self, **kw):
        kw.setdefault("bind", self._database.engine)
        return super().__call__(**kw)


class Database:
    """Models' base, metadata, and the session and engine of the work in progress."""

    def __init__(self, model_class: type[orm.DeclarativeBase]):
        self.Model = model_class
        self.metadata = model_class.metadata
        self._bound: contextvars.ContextVar[Binding | None] = contextvars.ContextVar(
            "nastavnik_database", default=None)
        self._resolvers: list[Callable[[], Binding | None]] = []
        self.session = orm.scoped_session(_SessionFactory(self), scopefunc=self._scope)

    def add_resolver(self, resolver: Callable[[], Binding | None]) -> None:
        """Let a host say which engine the current work uses (None: not in its work)."""
        if resolver not in self._resolvers:
            self._resolvers.append(resolver)

    def binding(self) -> Binding:
        bound = self._bound.get()
        if bound is not None:
            return bound
        for resolver in self._resolvers:
            bound = resolver()
            if bound is not None:
                return bound
        raise NotBound("no database is bound here: use `with db.bound(url):` "
                       "(or the web app's context)")

    def _scope(self) -> object:
        return self.binding().key

    @property
    def engine(self) -> sa.Engine:
        return self.binding().engine

    @contextlib.contextmanager
    def bound(self, target: str | sa.Engine, **engine_options):
        """Run the body against ``target`` (a URL, or an engine the caller keeps); its
        session is closed at the end, and an engine made here is disposed of."""
        engine = make_engine(target, **engine_options) if isinstance(target, str) else target
        token = self._bound.set(Binding(object(), engine))
        try:
            yield engine
        finally:
            self.session.remove()
            self._bound.reset(token)
            if engine is not target:
                engine.dispose()


def make_engine(url: str, **options) -> sa.Engine:
    """An engine for ``url``; on SQLite with the pragmas that make it a real store. JSON
    columns go through orjson: the kept results are mostly JSON, and the standard
    library's decoder was most of a dashboard's time (90 of 290 ms at 50,000
    mentorships)."""
    options.setdefault("json_serializer", json_text)
    options.setdefault("json_deserializer", orjson.loads)
    if sa.engine.make_url(url).get_backend_name() == "postgresql":
        # no JIT compiling of queries: the ranking of 60,000 staff (a recursive line of
        # management) is estimated so dear that PostgreSQL spent 1.0 s of its 1.3 s
        # compiling it; our queries are many and short, as JIT's own guidance says not to
        options.setdefault("connect_args", {}).setdefault("options", "-c jit=off")
    engine = sa.create_engine(url, **options)
    if engine.dialect.name == "sqlite":
        _sqlite_pragmas(engine)
    return engine


def json_text(value) -> str:
    """A JSON column's value as stored (orjson: UTF-8, not \\u escapes; dates as ISO)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


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
        # SQLite's own lower() knows only ASCII: a search for "ахм" would miss "Ахметов"
        # (PostgreSQL's lower() follows the database's UTF-8 locale)
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def instance_path() -> str:
    """The installation's own folder (the default SQLite file, the secret key):
    ``$NASTAVNIK_INSTANCE``, else where Flask would put the web app's, so that an
    existing installation keeps its data: ``<prefix>/var/nastavnik.web-instance`` when
    the package is installed, ``instance/`` beside it when run from a checkout."""
    if os.environ.get("NASTAVNIK_INSTANCE"):
        return os.path.abspath(os.environ["NASTAVNIK_INSTANCE"])
    package_path = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    prefix = os.path.abspath(sys.prefix)
    if Path(package_path).is_relative_to(prefix) or \
            os.path.basename(package_path).lower() == "site-packages":
        return os.path.join(prefix, "var", "nastavnik.web-instance")
    return os.path.join(package_path, "instance")


def database_url(url: str | None = None, instance: str | None = None) -> str:
    """``url`` (by default ``$DATABASE_URL``) as SQLAlchemy wants it (psycopg 3 for
    PostgreSQL); SQLite in the instance folder when none is given."""
    url = url if url is not None else os.environ.get("DATABASE_URL")
    if not url:
        folder = instance or instance_path()
        os.makedirs(folder, exist_ok=True)
        return f"sqlite:///{Path(folder) / 'nastavnik.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
