"""The tenant's settings page: the regime, a settings form generated from the regime's JSON
Schema with the service's errors at their fields, calendar days and language; for tenant
and platform administrators only. On SQLite and PostgreSQL."""

from __future__ import annotations

import html
import re

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

PASSWORD = "correct horse 1"


@pytest.fixture
def web(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        # English pages: the assertions below read the English strings
        services.create_tenant("edu", "Education reserve", "education_reserve", actor="test",
                               settings={"min_experience_years": 3}, locale="en")
        services.create_tenant("other", "Other agency", "prosecutor_2022", actor="test",
                               locale="en")
        for email, role in (("admin@edu.ru", "tenant_admin"), ("hr@edu.ru", "hr_officer"),
                            ("view@edu.ru", "viewer")):
            services.users.create_user(email, email.split("@")[0], PASSWORD)
            services.users.grant(email, "edu", role)
        services.users.create_user("root@platform.kz", "Root", PASSWORD, platform_admin=True)
    yield app
    with app.app_context():
        db.engine.dispose()


def client_of(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def page_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def tenant(app, slug="edu"):
    with app.app_context():
        t = services.get_tenant(slug)
        return {"regime": t.regime, "settings": t.settings, "locale": t.locale,
                "extra_days_off": t.extra_days_off, "extra_working_days": t.extra_working_days}


def error_at(page: str, name: str) -> str | None:
    """The error shown in the field block of the form field ``name``."""
    m = re.search(rf'name="{name}".*?</div>', page, re.S)
    found = re.search(r'<small class="error">([^<]*)</small>', m.group(0)) if m else None
    return found.group(1) if found else None


def test_the_settings_form_is_generated_from_the_regime_schema(web):
    page = page_of(client_of(web, "admin@edu.ru").get("/t/edu/settings"))
    # a number with its minimum, shown with the stored value
    assert re.search(r'<input[^>]*min="0"[^>]*name="s__min_experience_years"[^>]*step="any"'
                     r'[^>]*type="number"[^>]*value="3"', page)
    assert re.search(r'max="36"[^>]*min="1"[^>]*name="s__term_months"', page)
    # its description, as help
    assert "Where the order states no end (p.8)" in page
    # a nested object: its fields under its heading, a boolean as yes / no
    assert '<h3 class="group">Individual training plan due</h3>' in page
    assert 'name="s__plan_due__days"' in page
    assert re.search(r'<select[^>]*name="s__plan_due__working"[^>]*><option value="">—</option>'
                     r'<option value="true">yes</option><option value="false">no</option>', page)
    assert "The plan (p.8) is due this many days" in page  # the object's
    assert re.search(r'<label for="s__min_experience_years">Minimum professional experience of a mentor, '
                     r'years '
                     r'<span class="required"', page)  # required by the schema
    # every installed regime may be chosen; the calendar and language too
    for regime in ("civil_service_2013", "education_reserve", "prosecutor_2022"):
        assert f'<option value="{regime}"' in page
    assert 'name="extra_days_off"' in page and 'name="locale"' in page


def test_settings_saved(web):
    client = client_of(web, "admin@edu.ru")
    response = client.post("/t/edu/settings/regime", data={
        "regime": "education_reserve", "s__min_experience_years": "2.5", "s__max_mentees": "3",
        "s__term_months": "", "s__plan_due__days": "10", "s__plan_due__working": "true"})
    assert response.status_code == 302, page_of(response)[:3000]
    assert tenant(web)["settings"] == {"min_experience_years": 2.5, "max_mentees": 3,
                                       "plan_due": {"days": 10, "working": True}}
    shown = page_of(client.get("/t/edu/settings"))
    assert re.search(r'name="s__plan_due__working"[^>]*>.*?<option selected value="true">', shown,
                     re.S)
    # the change is in the audit log, as a compact diff
    audit = page_of(client.get("/t/edu/audit?entity=tenant"))
    # the setting by its title, its key as the tooltip
    assert re.search(r'<span class="field" title="settings.min_experience_years">Minimum '
                     r'professional experience of a mentor, years</span>:\s*<del>3</del> → '
                     r'<ins>2.5</ins>', audit)
    assert "web:admin@edu.ru" in audit


def test_a_bad_value_is_refused_with_its_field_named(web):
    client = client_of(web, "admin@edu.ru")
    response = client.post("/t/edu/settings/regime", data={
        "regime": "education_reserve", "s__min_experience_years": "-1"})
    page = page_of(response)
    assert response.status_code == 422
    assert error_at(page, "s__min_experience_years") == "at least 0"
    assert 'value="-1"' in page  # the input is kept
    missing = page_of(client.post("/t/edu/settings/regime", data={"regime": "education_reserve"}))
    assert error_at(missing, "s__min_experience_years") == "required"
    half = page_of(client.post("/t/edu/settings/regime", data={
        "regime": "education_reserve", "s__min_experience_years": "1",
        "s__report_due__days": "5"}))
    assert error_at(half, "s__report_due__working") == "required"
    too_long = page_of(client.post("/t/edu/settings/regime", data={
        "regime": "education_reserve", "s__min_experience_years": "1", "s__term_months": "37"}))
    assert error_at(too_long, "s__term_months") == "at most 36"
    # in the page's language
    client.post("/language/kk", data={"next": "/t/edu/settings"})
    kazakh = page_of(client.post("/t/edu/settings/regime", data={
        "regime": "education_reserve", "s__min_experience_years": "-1"}))
    assert error_at(kazakh, "s__min_experience_years") == "0 мәнінен кем емес болуы керек"
    not_a_number = page_of(client.post("/t/edu/settings/regime", data={
        "regime": "education_reserve", "s__min_experience_years": "many"}))
    assert error_at(not_a_number, "s__min_experience_years")
    assert tenant(web)["settings"] == {"min_experience_years": 3}


def test_changing_the_regime_shows_and_saves_its_settings(web):
    client = client_of(web, "admin@edu.ru")
    page = page_of(client.get("/t/edu/settings?regime=civil_service_2013"))
    assert 'name="s__default_term_months"' in page and 's__min_experience_years' not in page
    assert '<option value="1">2 months</option>' in page  # an enum of numbers, with its words
    assert "instead of education_reserve" in page
    response = client.post("/t/edu/settings/regime", data={
        "regime": "civil_service_2013", "s__default_term_months": "0"})
    assert response.status_code == 302
    assert tenant(web)["regime"] == "civil_service_2013"
    assert tenant(web)["settings"] == {"default_term_months": 1}
    unknown = client.post("/t/edu/settings/regime", data={"regime": "no_such_regime"})
    assert unknown.status_code == 422  # shown the tenant's own regime's form instead
    # the prosecutors' one setting: the working day of the work standards (order No. 159)
    one = page_of(client.get("/t/edu/settings?regime=prosecutor_2022"))
    assert 'name="s__working_day_hours"' in one and "The Rules of mentorship leave tenants" in one


def test_calendar_and_language(web):
    client = client_of(web, "admin@edu.ru")
    response = client.post("/t/edu/settings/calendar", data={
        "extra_days_off": "2026-03-23\n\n2026-03-24 \n", "extra_working_days": "2026-03-28",
        "locale": "kk"})
    assert response.status_code == 302
    saved = tenant(web)
    assert saved["extra_days_off"] == ["2026-03-23", "2026-03-24"]
    assert saved["extra_working_days"] == ["2026-03-28"] and saved["locale"] == "kk"
    page = page_of(client.get("/t/edu/settings"))
    assert "2026-03-23\n2026-03-24</textarea>" in page
    bad = page_of(client.post("/t/edu/settings/calendar", data={
        "extra_days_off": "2026-03-23\n23.03.2026", "extra_working_days": "", "locale": "kk"}))
    assert error_at(bad, "extra_days_off") == "not a date: '23.03.2026'"
    both = page_of(client.post("/t/edu/settings/calendar", data={
        "extra_days_off": "2026-03-23", "extra_working_days": "2026-03-23", "locale": "ru"}))
    assert error_at(both, "extra_working_days") == "both a day off and a working day: 2026-03-23"
    assert tenant(web)["extra_days_off"] == ["2026-03-23", "2026-03-24"]
    assert tenant(web)["locale"] == "kk"


def test_only_administrators_may_configure(web):
    for email in ("hr@edu.ru", "view@edu.ru"):
        client = client_of(web, email)
        assert client.get("/t/edu/settings").status_code == 403
        assert client.post("/t/edu/settings/regime", data={
            "regime": "education_reserve", "s__min_experience_years": "9"}).status_code == 403
        assert client.post("/t/edu/settings/calendar", data={
            "extra_days_off": "", "extra_working_days": "", "locale": "en"}).status_code == 403
        assert "/t/edu/settings" not in page_of(client.get("/t/edu/people"))  # no link either
    assert tenant(web)["settings"] == {"min_experience_years": 3} and tenant(web)["locale"] == "en"
    admin = client_of(web, "admin@edu.ru")
    assert 'href="/t/edu/settings"' in page_of(admin.get("/t/edu/people"))
    assert admin.get("/t/other/settings").status_code == 403  # not a member there
    root = client_of(web, "root@platform.kz")
    assert root.get("/t/other/settings").status_code == 200
    assert root.post("/t/edu/settings/regime", data={
        "regime": "education_reserve", "s__min_experience_years": "4"}).status_code == 302
    assert tenant(web)["settings"] == {"min_experience_years": 4}
