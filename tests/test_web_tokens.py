"""The user's own API tokens in the admin (/account/tokens): listed with name, prefix,
created, last used and revoked; created and shown once; revoked; forms need their CSRF
token; a user sees and revokes only their own."""

import re

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

PASSWORD = "correct horse 1"


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        services.create_tenant("alpha", "Alpha agency", "civil_service_2013", actor="test")
        services.users.create_user("hr@alpha.kz", "HR Alpha", PASSWORD)
        services.users.grant("hr@alpha.kz", "alpha", "hr_officer")
        services.users.create_user("other@alpha.kz", "Other", PASSWORD)
        services.users.grant("other@alpha.kz", "alpha", "viewer")
    # requests get their own app context, as in production: none is kept pushed here
    yield app
    with app.app_context():
        db.engine.dispose()


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def login(app, email="hr@alpha.kz", lang="en"):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang  # the tests read the English text
    token = csrf(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def create(client, name):
    page = client.get("/account/tokens").get_data(as_text=True)
    return client.post("/account/tokens", data={"name": name, "csrf_token": csrf(page)})


def shown_token(response) -> str:
    page = response.get_data(as_text=True)
    return re.search(r'id="token-value"[^>]*value="(nk_[^"]+)"', page).group(1)


def test_the_bar_links_to_the_tokens_page_and_it_needs_a_login(web):
    assert web.test_client().get("/account/tokens").status_code == 302  # to the login page
    client = login(web)
    assert 'href="/account/tokens"' in text(client.get("/t/alpha/"))
    page = text(client.get("/account/tokens"))
    assert "API tokens" in page and "No token yet." in page


def test_create_shows_the_token_once_and_it_opens_the_api(web):
    client = login(web)
    response = create(client, "reporting system")
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    page = text(response)
    assert "shown only this once" in page and "reporting system" in page
    token = shown_token(response)
    assert f"Authorization: Bearer {token}" in page  # the copy hint's example
    # it works, for this user's tenants
    api = web.test_client().get("/api/v1/tenants", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200 and [t["slug"] for t in api.get_json()] == ["alpha"]
    # never again: the list shows its prefix, not the token
    listing = text(client.get("/account/tokens"))
    assert token not in listing and token[:10] + "…" in listing
    assert "reporting system" in listing and "never" not in listing  # used just now
    with web.app_context():
        (row,) = services.tokens.list_tokens("hr@alpha.kz")
        assert row.token_hash != token and token not in row.token_hash


def test_list_shows_name_prefix_created_last_used_and_revoked(web):
    with web.app_context():
        row, _ = services.tokens.create_token("hr@alpha.kz", "unused")
        prefix = row.prefix
    client = login(web)
    page = text(client.get("/account/tokens"))
    cells = re.search(r'<tr data-token-id="\d+">(.*?)</tr>', page).group(1)
    assert "unused" in cells and f"{prefix}…" in cells and "UTC" in cells
    assert "never" in cells and "active" in cells


def test_revoke_with_csrf(web):
    client = login(web)
    token = shown_token(create(client, "to revoke"))
    headers = {"Authorization": f"Bearer {token}"}
    assert web.test_client().get("/api/v1/tenants", headers=headers).status_code == 200
    page = client.get("/account/tokens").get_data(as_text=True)
    token_id = re.search(r'data-token-id="(\d+)"', page).group(1)
    # without the CSRF token: refused, nothing revoked
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 400
    assert web.test_client().get("/api/v1/tenants", headers=headers).status_code == 200
    response = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf(page)})
    assert response.status_code == 302
    listing = text(client.get("/account/tokens"))
    assert "is revoked" in listing and 'class="revoked"' in listing
    assert f"/account/tokens/{token_id}/revoke" not in listing  # no button on a revoked one
    refused = web.test_client().get("/api/v1/tenants", headers=headers)
    assert refused.status_code == 401
    assert refused.headers["Content-Type"] == "application/problem+json"


def test_create_needs_csrf_and_a_name(web):
    client = login(web)
    assert client.post("/account/tokens", data={"name": "no csrf"}).status_code == 400
    response = create(client, "   ")
    assert response.status_code == 422
    with web.app_context():
        assert services.tokens.list_tokens("hr@alpha.kz") == []


def test_another_users_token_is_not_found(web):
    with web.app_context():
        row, _ = services.tokens.create_token("other@alpha.kz", "theirs")
        theirs = row.id
    client = login(web)
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "theirs" not in page
    response = client.post(f"/account/tokens/{theirs}/revoke", data={"csrf_token": csrf(page)})
    assert response.status_code == 404
    with web.app_context():
        (row,) = services.tokens.list_tokens("other@alpha.kz")
        assert row.revoked_at is None


def test_logout_then_the_page_is_closed(web):
    client = login(web)
    page = client.get("/account/tokens").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf(page)})
    assert client.get("/account/tokens").status_code == 302


def test_the_page_in_russian(web):
    client = login(web, lang="ru")
    page = text(client.get("/account/tokens"))
    assert "Токены API" in page and "API tokens" not in page
