"""No cross-tenant access by URL tampering, checked for every admin route.

The routes are read from the application itself, so a new route is covered (or the test
fails, naming the URL parameter it does not know how to fill)."""

import datetime as dt

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

PASSWORD = "correct horse battery"
ON = dt.date(2026, 3, 2)


def _tenant_data(slug):
    """A person, a mentorship, a council with a meeting and an agenda item; their ids."""
    with services.tenant(slug, "test") as t:
        services.add_person(t, number=f"{slug}-M", full_name="Mentor")
        services.add_person(t, number=f"{slug}-S", full_name="Mentee")
        council = services.create_council(t, "Council", ON)
        services.add_member(t, str(council.id), f"{slug}-M", role="chair")
        meeting = services.add_meeting(t, str(council.id), ON, present=[f"{slug}-M"])
        item = services.add_item(t, str(meeting.id), "Item")
        return {"number": f"{slug}-S", "cid": str(council.id), "meeting_id": str(meeting.id),
                "item_id": str(item.id)}


def _mentorship(slug):
    from nastavnik.storage.models import Mentorship, Person
    with services.tenant(slug, "test") as t:
        mentee = services.find_person(t, f"{slug}-S")
        m = Mentorship(mentee_id=mentee.id, kind="young_employee", start=ON, status="open")
        db.session.add(m)
        db.session.flush()
        return str(m.id)


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False,
                      "WTF_CSRF_ENABLED": False})  # this test is about authorisation
    with app.app_context():
        ids = {}
        for slug in ("alpha", "beta"):
            services.create_tenant(slug, slug.title(), "prosecutor_2022", actor="test")
            ids[slug] = _tenant_data(slug)
            ids[slug]["mid"] = _mentorship(slug)
        services.users.create_user("hr@alpha.kz", "HR", PASSWORD)
        services.users.grant("hr@alpha.kz", "alpha", "tenant_admin")
        services.users.create_user("viewer@alpha.kz", "Viewer", PASSWORD)
        services.users.grant("viewer@alpha.kz", "alpha", "viewer")
    app.test_ids = ids
    yield app
    with app.app_context():
        db.engine.dispose()


def _client(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def _admin_routes(app):
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/t/<tenant>"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                out.append((rule, method))
    assert out, "no admin routes found"
    return out


def _url(rule, tenant, ids):
    values = {"tenant": tenant}
    for arg in rule.arguments - {"tenant"}:
        assert arg in ids, f"the isolation test does not know how to fill <{arg}> in {rule.rule}"
        values[arg] = ids[arg]
    url = rule.rule
    for name, value in values.items():
        url = url.replace(f"<{name}>", value)
    return url


def _call(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, data={})


def test_another_tenants_pages_are_forbidden_on_every_route(web):
    """A member of Alpha asking for any page of Beta, with Beta's own ids: 403, always."""
    client = _client(web, "hr@alpha.kz")
    for rule, method in _admin_routes(web):
        url = _url(rule, "beta", web.test_ids["beta"])
        response = _call(client, method, url)
        assert response.status_code == 403, f"{method} {url}: {response.status_code}"


def test_another_tenants_ids_under_ones_own_tenant_are_not_found(web):
    """A member of Alpha putting Beta's ids into Alpha's URLs: 404 (never 200, never 500)."""
    client = _client(web, "hr@alpha.kz")
    for rule, method in _admin_routes(web):
        if not rule.arguments - {"tenant"}:
            continue
        url = _url(rule, "alpha", web.test_ids["beta"])
        response = _call(client, method, url)
        assert response.status_code == 404, f"{method} {url}: {response.status_code}"


def test_own_tenants_pages_answer(web):
    """The same routes with Alpha's own ids are not refused (a control for the two above)."""
    client = _client(web, "hr@alpha.kz")
    for rule, method in _admin_routes(web):
        if method != "GET":
            continue
        url = _url(rule, "alpha", web.test_ids["alpha"])
        response = client.get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"


def test_viewer_may_not_post_anywhere(web):
    """A viewer reads; every form submission is refused with 403."""
    client = _client(web, "viewer@alpha.kz")
    for rule, method in _admin_routes(web):
        if method == "POST":
            url = _url(rule, "alpha", web.test_ids["alpha"])
            assert client.post(url, data={}).status_code == 403, url


def test_anonymous_is_sent_to_log_in(web):
    client = web.test_client()
    for rule, method in _admin_routes(web):
        url = _url(rule, "alpha", web.test_ids["alpha"])
        response = _call(client, method, url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
