"""The Flask application: its factory, configuration, extensions and blueprints."""

from __future__ import annotations

import os

from flask import Flask, redirect, render_template, request, url_for

from .. import services, storage
from .guard import MAX_REQUEST


def create_app(config: dict | None = None) -> Flask:
    """The app factory (Flask tutorial style). Configuration, lowest first: defaults, the
    environment (``DATABASE_URL``, ``SECRET_KEY``), then ``config`` (tests)."""
    services.import_all()  # a server imports what it serves before serving
    app = Flask(__name__, instance_path=storage.instance_path(), instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY") or _instance_secret(app.instance_path),
        SQLALCHEMY_DATABASE_URI=storage.database_url(os.environ.get("DATABASE_URL"),
                                                     app.instance_path),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure cookies travel over HTTPS only; `nastavnik serve` on plain-HTTP localhost
        # turns this off explicitly.
        SESSION_COOKIE_SECURE=os.environ.get("NASTAVNIK_SECURE_COOKIES", "1") != "0",
        REMEMBER_COOKIE_SECURE=os.environ.get("NASTAVNIK_SECURE_COOKIES", "1") != "0",
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=MAX_REQUEST,  # a request larger is a 413 (web/guard.py)
    )
    if config:
        app.config.update(config)
    proxies = int(app.config.get("NASTAVNIK_PROXIES") or os.environ.get("NASTAVNIK_PROXIES") or 0)
    if proxies:
        # behind that many reverse proxies (TLS, load balancer), which set X-Forwarded-For:
        # the client's address is theirs to tell, and login throttling counts per client
        # address, not per proxy (without this, one client's failures would pause all)
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.json.ensure_ascii = False  # Cyrillic names as they are, not \uXXXX
    from . import account, admin, api, auth, database, guard, i18n, security, tokens

    database.init_app(app)
    guard.init_app(app)  # MAX_CONTENT_LENGTH, NUL, JSON; the 400, 405 and 413 pages
    i18n.init_app(app)
    auth.init_app(app)
    security.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(tokens.bp)
    app.register_blueprint(account.bp)
    api.init_app(app)

    # browsers ask for /favicon.ico whatever the page links to
    app.add_url_rule("/favicon.ico", "favicon", lambda: redirect(
        url_for("static", filename="favicon.svg"), code=301))

    @app.errorhandler(403)
    def forbidden(error):
        if request.path.startswith(api.API_PREFIX):
            return api.http_problem(error)
        return render_template("error.html", code=403), 403

    @app.errorhandler(404)
    def not_found(error):
        if request.path.startswith(api.API_PREFIX):
            return api.http_problem(error)
        return render_template("error.html", code=404), 404

    return app


def _instance_secret(instance_path: str) -> str:
    """A random secret kept in the instance folder, made on first start: sessions survive
    restarts and no default secret ships in the code."""
    import secrets

    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    with open(path, encoding="utf-8") as fh:
        return fh.read().strip()
