"""The Flask application: its factory, configuration and (next) the admin's blueprints."""

from __future__ import annotations

import os

from flask import Flask

from .. import storage


def create_app(config: dict | None = None) -> Flask:
    """The app factory (Flask tutorial style). Configuration, lowest first: defaults, the
    environment (``DATABASE_URL``, ``SECRET_KEY``), then ``config`` (tests)."""
    app = Flask(__name__, instance_path=os.environ.get("NASTAVNIK_INSTANCE") or None,
                instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        SQLALCHEMY_DATABASE_URI=storage.database_url(os.environ.get("DATABASE_URL"),
                                                     app.instance_path),
    )
    if config:
        app.config.update(config)
    storage.init_app(app)
    return app
