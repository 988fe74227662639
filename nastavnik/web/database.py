"""The web app's binding of the database: one engine per app, one session per app context
(a request, or a test's ``with app.app_context()``), closed when the context ends."""

from __future__ import annotations

from flask.globals import _cv_app

from ..storage import make_engine
from ..storage.database import Binding
from ..storage.models import db

ENGINE = "nastavnik.engine"


def init_app(app) -> None:
    app.extensions[ENGINE] = make_engine(app.config["SQLALCHEMY_DATABASE_URI"],
                                         **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    db.add_resolver(_app_context_binding)
    app.teardown_appcontext(_end_session)


def _app_context_binding() -> Binding | None:
    context = _cv_app.get(None)
    if context is None:
        return None
    engine = context.app.extensions.get(ENGINE)
    return None if engine is None else Binding(id(context), engine)


def _end_session(error=None) -> None:
    db.session.remove()
