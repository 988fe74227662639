"""What an HR officer meets on the admin's pages.

Every address of the admin that takes a form's POST answers GET too: a refused form
leaves the browser there, and a reload or a change of language (which comes back to the
page's address) met Werkzeug's bare English "405 Method Not Allowed". Its GET shows the
page the form is on; the language switch on a refused form's page returns to that page.

No internal identifier in the text a person reads: a finding's rule id only as the tooltip
of its paragraph, the regime by its title in the bar."""

import datetime as dt
import html
import re

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

TENANT = "akmola"


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        services.create_tenant(TENANT, "Akmola prosecutors", "prosecutor_2022", actor="test",
                               locale="ru")
        with services.tenant(TENANT, "test") as t:
            services.add_person(t, number="P01", full_name="Нурлан Председатель",
                                attributes={"head_or_deputy": True})
            services.add_person(t, number="M1", full_name="Серик Наставник", attributes={
                "prosecution_service_start": "2010-01-01",
                "position_level": "district_prosecutor"})
            services.add_person(t, number="Y1", full_name="Айгерим Молодая",
                                attributes={"entry_route": "competition", "first_entry": True})
            council = services.create_council(t, "Совет наставников", dt.date(2026, 1, 12),
                                              None, None)
            services.add_member(t, str(council.id), "P01", "chair", None)
            meeting = services.add_meeting(t, str(council.id), dt.date(2026, 2, 5), ["P01"])
            item = services.add_item(t, str(meeting.id), "Отчёт")
            ids = {"cid": str(council.id), "meeting_id": str(meeting.id),
                   "item_id": str(item.id)}
        services.users.create_user("hr@akmola.kz", "HR", "correct horse 1")
        services.users.grant("hr@akmola.kz", TENANT, "tenant_admin")
        app.ids = ids
        yield app
        db.session.remove()
        db.engine.dispose()


def _mentorship(app) -> str:
    with services.tenant(TENANT, "test") as t:
        m, _ = services.assign_mentor(t, "Y1", "M1", dt.date(2026, 3, 2), order_number="15",
                                      order_date=dt.date(2026, 3, 2))
        return str(m.id)


def login(app):
    client = app.test_client()
    assert client.post("/login", data={"email": "hr@akmola.kz",
                                       "password": "correct horse 1"}).status_code == 302
    return client


def test_every_admin_form_address_answers_get(web):
    """Walk the URL map: every admin address that takes POST answers GET (not 405)."""
    with web.app_context():
        values = {**web.ids, "mid": _mentorship(web), "tenant": TENANT, "number": "Y1"}
    client = login(web)
    posts = [rule for rule in web.url_map.iter_rules()
             if rule.endpoint.startswith("admin.") and "POST" in (rule.methods or ())]
    assert len(posts) >= 20  # every form of the admin: mentorship, council, settings, imports
    for rule in posts:
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule.rule)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)


@pytest.mark.parametrize("path, page", [
    ("/meetings/{meeting_id}/attendance", "/meetings/{meeting_id}"),
    ("/meetings/{meeting_id}/items/{item_id}/votes", "/meetings/{meeting_id}"),
    ("/councils/{cid}/meetings", "/councils/{cid}"),
    ("/settings/regime", "/settings"),
    ("/people/import/confirm", "/people/import"),
    ("/mentorships/{mid}/close", "/mentorships/{mid}"),
])
def test_a_form_address_shows_the_form_page(web, path, page):
    with web.app_context():
        values = {**web.ids, "mid": _mentorship(web)}
    client = login(web)
    shown = client.get(f"/t/{TENANT}" + path.format(**values))
    assert shown.status_code == 200
    assert shown.data == client.get(f"/t/{TENANT}" + page.format(**values)).data


def test_the_language_switch_on_a_refused_form_returns_to_the_form_page(web):
    with web.app_context():
        mid = _mentorship(web)
    client = login(web)
    refused = client.post(f"/t/{TENANT}/mentorships/{mid}/paper",
                          data={"kind": "order", "done_on": "not a date"})
    assert refused.status_code == 422
    nexts = set(re.findall(r'name="next" value="([^"]*)"', refused.get_data(as_text=True)))
    # not the paper's address (its GET prints the paper) but the mentorship's page
    assert nexts == {f"/t/{TENANT}/mentorships/{mid}"}
    switched = client.post("/language/kk", data={"next": nexts.pop()})
    assert client.get(switched.headers["Location"]).status_code == 200


def visible_text(page: str) -> str:
    """The words a person reads: the page without its tags and their attributes (a title
    attribute is a tooltip, for the curious)."""
    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_findings_name_their_paragraph_and_keep_the_rule_id_as_a_tooltip(web):
    with web.app_context():
        mid = _mentorship(web)
    client = login(web)
    pages = {path: client.get(f"/t/{TENANT}{path}").get_data(as_text=True)
             for path in ("/", f"/mentorships/{mid}", f"/councils/{web.ids['cid']}",
                          f"/meetings/{web.ids['meeting_id']}")}
    tooltips = 0
    for path, page in pages.items():
        text = visible_text(page)
        assert not re.search(r"prosecutor_2022\.p\d", text), path  # e.g. prosecutor_2022.p12.x
        tooltips += len(re.findall(r'class="para" title="prosecutor_2022\.p', page))
    assert tooltips  # the council's composition findings at least: still there, on hover


def test_the_bar_names_the_regime_by_its_title(web):
    client = login(web)
    page = client.get(f"/t/{TENANT}/").get_data(as_text=True)
    text = visible_text(page)
    assert "prosecutor_2022" not in text
    assert "Наставничество в органах прокуратуры Республики Казахстан (2022)" in text


def test_a_refused_absence_speaks_russian_beside_its_field_and_keeps_what_was_typed(web):
    with web.app_context():
        mid = _mentorship(web)
    client = login(web)
    client.post("/language/ru", data={"next": "/"})
    response = client.post(f"/t/{TENANT}/mentorships/{mid}/absence", data={
        "person": "M1", "absent_from": "2026-04-10", "absent_to": "2026-04-01",
        "absence_reason": "отпуск"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    text = visible_text(page)
    assert "Не сохранено: По: заканчивается раньше, чем начинается" in text
    assert "at to" not in text and "ends before it starts" not in text
    field = re.search(r'<input[^>]*name="absent_to"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and 'aria-describedby="absent_to-error"' in field
    assert 'value="2026-04-01"' in field
    assert re.search(r'<small class="error" id="absent_to-error">заканчивается раньше, чем '
                     r'начинается</small>', page)
    assert re.search(r'<input[^>]*name="absence_reason"[^>]*value="отпуск"', page)


def test_a_refused_form_field_speaks_kazakh(web):
    with web.app_context():
        mid = _mentorship(web)
    client = login(web)
    client.post("/language/kk", data={"next": "/"})
    page = client.post(f"/t/{TENANT}/mentorships/{mid}/close",
                       data={"closed_on": ""}).get_data(as_text=True)
    field = re.search(r'<input[^>]*name="closed_on"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field
    error = re.search(r'<small class="error" id="closed_on-error">([^<]*)</small>', page).group(1)
    assert error and not re.search(r"[A-Za-z]{3,}", error)  # Kazakh, not WTForms' English


def _english_phrases() -> set[str]:
    """The catalogue's English strings of three words or more, without placeholders: on
    a Kazakh page none of them should be read."""
    from babel.messages.pofile import read_po
    with open("nastavnik/web/translations/kk/LC_MESSAGES/messages.po", "rb") as fh:
        catalogue = read_po(fh, locale="kk")
    return {m.id for m in catalogue if isinstance(m.id, str) and m.id and "%" not in m.id
            and len(m.id.split()) >= 3}


@pytest.mark.parametrize("lang", ["kk", "ru"])  # in "en" it finds its phrases: it can fail
def test_no_english_words_of_the_catalogue_on_a_kazakh_or_russian_page(web, lang):
    with web.app_context():
        mid = _mentorship(web)
    client = login(web)
    client.post(f"/language/{lang}", data={"next": "/"})
    phrases = _english_phrases()
    for path in ("/", "/mentorships", f"/mentorships/{mid}", "/people", "/people/Y1",
                 "/people/Y1/edit", "/people/new", "/assign", "/settings", "/councils",
                 f"/councils/{web.ids['cid']}", f"/meetings/{web.ids['meeting_id']}",
                 "/people/import", "/audit"):
        response = client.get(f"/t/{TENANT}{path}")
        assert response.status_code == 200, path
        text = visible_text(response.get_data(as_text=True))
        assert not [p for p in phrases if p in text], path


def test_the_audit_log_names_a_changed_field_as_the_forms_do(web):
    with web.app_context():
        with services.tenant(TENANT, "test") as t:
            services.save_person(t, {"number": "Y1", "full_name": "Айгерим Молодая",
                                     "unit": "Отдел 2",
                                     "attributes": {"entry_route": "academy",
                                                    "first_entry": True}})
    client = login(web)
    client.post("/language/kk", data={"next": "/"})
    page = client.get(f"/t/{TENANT}/audit?entity=person").get_data(as_text=True)
    text = visible_text(page)
    assert "Қызметке кіру тәртібі" in text  # attributes.entry_route by its schema title
    assert "attributes.entry_route" not in text and 'title="attributes.entry_route"' in page
