"""The admin's front door: login, tenants a user may switch among, CSRF, headers, languages."""

import re

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        services.create_tenant("alpha", "Alpha agency", "civil_service_2013", actor="test")
        services.create_tenant("beta", "Beta agency", "education_reserve", actor="test",
                               settings={"min_experience_years": 3})
        services.users.create_user("hr@alpha.kz", "HR Alpha", "correct horse 1")
        services.users.grant("hr@alpha.kz", "alpha", "hr_officer")
        services.users.create_user("root@platform.kz", "Root", "correct horse 2", platform_admin=True)
    # requests get their own app context, as in production (an outer one would share `g`
    # and the database session between requests)
    yield app
    with app.app_context():
        db.engine.dispose()


def csrf(client, path="/login"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def login(client, email, password):
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf(client)})


def test_login_goes_to_the_only_tenant(web):
    client = web.test_client()
    response = login(client, "hr@alpha.kz", "correct horse 1")
    assert response.status_code == 302
    assert client.get("/").headers["Location"].endswith("/t/alpha/")
    page = client.get("/t/alpha/").get_data(as_text=True)
    assert "Alpha agency" in page and "civil_service_2013" in page


def test_wrong_password_is_refused_without_saying_which_part(web):
    client = web.test_client()
    response = login(client, "hr@alpha.kz", "wrong")
    assert response.status_code == 401
    assert client.get("/t/alpha/").status_code == 302  # still logged out: to the login page


def test_login_without_csrf_token_is_refused(web):
    client = web.test_client()
    response = client.post("/login", data={"email": "hr@alpha.kz", "password": "correct horse 1"})
    assert response.status_code == 400


def test_another_tenant_by_url_is_forbidden(web):
    client = web.test_client()
    login(client, "hr@alpha.kz", "correct horse 1")
    response = client.get("/t/beta/", headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "do not have access" in response.get_data(as_text=True)
    assert client.get("/t/no-such-tenant/").status_code == 404


def test_platform_admin_switches_among_all_tenants(web):
    client = web.test_client()
    login(client, "root@platform.kz", "correct horse 2")
    page = client.get("/").get_data(as_text=True)
    assert "Alpha agency" in page and "Beta agency" in page
    dashboard = client.get("/t/beta/").get_data(as_text=True)
    assert 'value="/t/alpha/"' in dashboard and 'value="/t/beta/" selected' in dashboard


def test_security_headers_and_cookie_flags(web):
    client = web.test_client()
    response = client.get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    login_response = login(client, "hr@alpha.kz", "correct horse 1")
    cookie = login_response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_language_switch_to_kazakh(web):
    client = web.test_client()
    login(client, "hr@alpha.kz", "correct horse 1")
    token = csrf(client, "/t/alpha/")
    response = client.post("/language/kk", data={"csrf_token": token, "next": "/t/alpha/"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = client.get("/t/alpha/").get_data(as_text=True)
    assert '<html lang="kk">' in page


def test_logout_needs_post_with_csrf(web):
    client = web.test_client()
    login(client, "hr@alpha.kz", "correct horse 1")
    assert client.get("/logout").status_code == 405
    client.post("/logout", data={"csrf_token": csrf(client, "/t/alpha/")})
    assert client.get("/t/alpha/").status_code == 302
