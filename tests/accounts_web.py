"""Helpers of the accounts' tests: an app with two tenants and a few users, logging in
through the login form as a browser does."""

from __future__ import annotations

import re

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

PASSWORD = "correct horse 1"
ADMIN_PASSWORD = "correct horse 2"


def make_app(database_url, **config):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False, **config})
    with app.app_context():
        services.create_tenant("alpha", "Alpha agency", "civil_service_2013", actor="test")
        services.users.create_user("hr@alpha.kz", "HR Alpha", PASSWORD)
        services.users.grant("hr@alpha.kz", "alpha", "hr_officer")
        services.users.create_user("viewer@alpha.kz", "Viewer Alpha", PASSWORD)
        services.users.grant("viewer@alpha.kz", "alpha", "viewer")
        services.users.create_user("root@platform.kz", "Root", ADMIN_PASSWORD, platform_admin=True)
    return app


@pytest.fixture
def web(database_url):
    """The accounts' app on a clean database of the backend under test."""
    app = make_app(database_url)
    yield app
    with app.app_context():
        db.engine.dispose()


def csrf(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def client_for(app, lang="en", address="127.0.0.1"):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    client.environ_base["REMOTE_ADDR"] = address
    return client


def login(client, email, password=PASSWORD, next_=None):
    path = "/login" + (f"?next={next_}" if next_ is not None else "")
    return client.post(path, data={"email": email, "password": password,
                                   "csrf_token": csrf(client)})


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(app, cookie: str, address="127.0.0.1"):
    """A fresh client that holds only a copy of someone's session cookie."""
    thief = client_for(app, address=address)
    thief.set_cookie("session", cookie)
    return thief
