"""The admin's people pages: the list, a person's page, adding and changing a person, the
import (preview first, written on confirmation), the audit log; who may do what, and
tenants kept apart. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import re

import openpyxl
import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.storage.models import AuditEntry, Person, db
from nastavnik.web import create_app

ON = dt.date(2026, 3, 2)
MENTOR = {"public_service_start": "2010-01-01",
          "last_assessment": {"year": 2025, "mark": "effective"}}
MENTEE = {"corps": "B", "category": "C-5", "first_appointment": True}
PASSWORD = "correct horse 1"


@pytest.fixture
def web(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        # English pages: the assertions below read the English strings
        services.create_tenant("alpha", "Alpha agency", "civil_service_2013", actor="test",
                               locale="en")
        services.create_tenant("beta", "Beta agency", "education_reserve", actor="test",
                               settings={"min_experience_years": 3}, locale="en")
        for email, tenant, role in (("hr@alpha.kz", "alpha", "hr_officer"),
                                    ("view@alpha.kz", "alpha", "viewer"),
                                    ("hr@beta.kz", "beta", "hr_officer")):
            services.users.create_user(email, email.split("@")[0], PASSWORD)
            services.users.grant(email, tenant, role)
        with services.tenant("alpha", "test") as t:
            services.add_person(t, number="M1", full_name="Boss Bossov", unit="HQ",
                                position="Head", attributes=MENTOR)
            services.add_person(t, number="S1", full_name="Aigerim Satpayeva", unit="Unit 1",
                                manager="M1", hired_on="2026-03-01", attributes=MENTEE)
            services.assign_mentor(t, "S1", "M1", ON, term_months=2)
        with services.tenant("beta", "test") as t:
            services.add_person(t, number="B1", full_name="Beta Person")
    yield app
    with app.app_context():
        db.engine.dispose()


def client_of(app, email):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def people_of(app, slug="alpha") -> dict:
    with app.app_context(), services.tenant(slug, "test") as t:
        return {p.number: services.people.person_dict(t, p) for p in services.list_people(t)}


def audit_count(app, slug="alpha") -> int:
    with app.app_context(), services.tenant(slug, "test"):
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))


# --- the list and a person's page ----------------------------------------------------------

def test_list_search_and_unit_filter(web):
    client = client_of(web, "view@alpha.kz")
    page = text(client.get("/t/alpha/people"))
    assert "Boss Bossov" in page and "Aigerim Satpayeva" in page
    assert '<option value="Unit 1"' in page  # the units to filter by
    found = text(client.get("/t/alpha/people?q=aigerim"))
    assert "Aigerim Satpayeva" in found and "Boss Bossov" not in found
    by_number = text(client.get("/t/alpha/people?q=m1"))
    assert "Boss Bossov" in by_number and "Aigerim" not in by_number
    by_unit = text(client.get("/t/alpha/people?unit=HQ"))
    assert "Boss Bossov" in by_unit and "Aigerim" not in by_unit
    assert "Nobody matches" in text(client.get("/t/alpha/people?q=nobody"))


def test_list_is_paged(web):
    with web.app_context(), services.tenant("alpha", "test") as t:
        for i in range(55):
            services.add_person(t, number=f"X{i:03d}", full_name=f"Extra {i:03d}")
    client = client_of(web, "view@alpha.kz")
    first = text(client.get("/t/alpha/people"))
    assert "Extra 000" in first and "Extra 054" not in first and 'rel="next"' in first
    second = text(client.get("/t/alpha/people?page=2"))
    assert "Extra 054" in second and "Extra 000" not in second and 'rel="prev"' in second
    assert 'rel="next"' not in second


def test_person_page_shows_manager_attributes_and_mentorships(web):
    client = client_of(web, "view@alpha.kz")
    page = text(client.get("/t/alpha/people/S1"))
    assert "Aigerim Satpayeva" in page and "Unit 1" in page
    assert 'href="/t/alpha/people/M1"' in page and "Boss Bossov" in page  # the manager
    assert "Corps" in page and "C-5" in page  # attributes, labelled from the schema
    assert "Category of the position" in page  # the schema's description
    with web.app_context(), services.tenant("alpha", "test") as t:
        mid = str(services.find_mentorship(t, "S1").id)
    assert f"/t/alpha/mentorships/{mid}" in page  # linked to the mentorship's page
    mentor_page = text(client.get("/t/alpha/people/M1"))
    assert "Mentorships as mentor" in mentor_page and "Aigerim Satpayeva" in mentor_page
    assert "/t/alpha/people/S1" in mentor_page
    assert client.get("/t/alpha/people/NOBODY").status_code == 404


def test_viewer_sees_no_forms_and_may_not_post(web):
    client = client_of(web, "view@alpha.kz")
    page = text(client.get("/t/alpha/people/S1"))
    assert "/people/S1/edit" not in page and 'method="post"' not in page.split("<main id=\"main\" tabindex=\"-1\">")[1]
    listing = text(client.get("/t/alpha/people"))
    assert "/people/new" not in listing and "/people/import" not in listing
    assert client.get("/t/alpha/people/new").status_code == 403
    assert client.get("/t/alpha/people/S1/edit").status_code == 403
    assert client.post("/t/alpha/people/new",
                       data={"number": "V1", "full_name": "Viewer's"}).status_code == 403
    assert client.post("/t/alpha/people/S1/edit",
                       data={"full_name": "Renamed"}).status_code == 403
    assert client.post("/t/alpha/people/import", data={}).status_code == 403
    assert client.post("/t/alpha/people/import/confirm", data={"token": "x"}).status_code == 403
    assert set(people_of(web)) == {"M1", "S1"}
    assert people_of(web)["S1"]["full_name"] == "Aigerim Satpayeva"


# --- adding and changing -------------------------------------------------------------------

def test_add_a_person_with_attributes(web):
    client = client_of(web, "hr@alpha.kz")
    form = text(client.get("/t/alpha/people/new"))
    assert 'name="attr__corps"' in form and 'name="attr__last_assessment__year"' in form
    assert 'name="attr__disciplinary_penalties"' in form  # an array: JSON text
    response = client.post("/t/alpha/people/new", data={
        "number": "N1", "full_name": "New Person", "unit": "Unit 1", "manager": "M1",
        "hired_on": "2026-04-01", "attr__corps": "1",  # the second of the enum: B
        "attr__first_appointment": "true", "attr__last_assessment__year": "2025",
        "attr__last_assessment__mark": "0", "attr__prior_service_months": ""})
    assert response.status_code == 302 and response.headers["Location"].endswith("/people/N1")
    n1 = people_of(web)["N1"]
    assert n1["manager"] == "M1" and n1["hired_on"] == dt.date(2026, 4, 1)
    assert n1["attributes"] == {"corps": "B", "first_appointment": True,
                                "last_assessment": {"year": 2025, "mark": "excellent"}}
    with web.app_context(), services.tenant("alpha", "test"):
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity == "person",
                                                              AuditEntry.action == "create")
                                  .order_by(AuditEntry.at.desc()).limit(1))
        assert entry.actor == "web:hr@alpha.kz"


def test_add_refused_with_the_field_named_and_nothing_written(web):
    client = client_of(web, "hr@alpha.kz")
    before = audit_count(web)
    taken = client.post("/t/alpha/people/new", data={"number": "S1", "full_name": "Dup"})
    assert taken.status_code == 422 and "is taken" in text(taken)
    no_manager = client.post("/t/alpha/people/new",
                             data={"number": "N2", "full_name": "X", "manager": "GHOST"})
    page = html.unescape(text(no_manager))
    assert no_manager.status_code == 422  # not a 404: the manager is a field, not the page
    assert re.search(r'name="manager"[^>]*>\s*<small class="help"[^>]*>[^<]*</small>\s*'
                     r"<small class=\"error\">no person with personnel number 'GHOST'", page)
    bad_attr = client.post("/t/alpha/people/new", data={
        "number": "N3", "full_name": "Y", "attr__category": "nonsense"})
    assert bad_attr.status_code == 422
    assert re.search(r'name="attr__category".*?<small class="error">not in the right form',
                     html.unescape(text(bad_attr)), re.S)
    half_object = client.post("/t/alpha/people/new", data={
        "number": "N4", "full_name": "Z", "attr__last_assessment__year": "2024"})
    assert re.search(r'name="attr__last_assessment__mark".*?<small class="error">'
                     r"required<", html.unescape(text(half_object)), re.S)
    bad_json = client.post("/t/alpha/people/new", data={
        "number": "N5", "full_name": "Z", "attr__disciplinary_penalties": "[{"})
    assert bad_json.status_code == 422 and "Not JSON" in text(bad_json)
    assert set(people_of(web)) == {"M1", "S1"}
    assert audit_count(web) == before


def test_edit_a_person(web):
    client = client_of(web, "hr@alpha.kz")
    form = text(client.get("/t/alpha/people/S1/edit"))
    assert 'value="Aigerim Satpayeva"' in form and 'value="M1"' in form
    assert re.search(r'<option selected value="1">Corps B</option>', form)  # corps B shown
    response = client.post("/t/alpha/people/S1/edit", data={
        "number": "IGNORED", "full_name": "Aigerim S.", "unit": "Unit 2", "manager": "",
        "hired_on": "2026-03-01", "attr__corps": "0", "attr__category": "C-5",
        "attr__first_appointment": "true"})
    assert response.status_code == 302
    staff = people_of(web)
    s1 = staff["S1"]
    assert "IGNORED" not in staff
    assert (s1["full_name"], s1["unit"], s1["manager"]) == ("Aigerim S.", "Unit 2", None)
    assert s1["attributes"] == {"corps": "A", "category": "C-5", "first_appointment": True}
    bad = client.post("/t/alpha/people/S1/edit", data={"full_name": "", "manager": "M1"})
    assert bad.status_code == 422 and "a full name is required" in text(bad)
    assert people_of(web)["S1"]["full_name"] == "Aigerim S."
    assert client.get("/t/alpha/people/NOBODY/edit").status_code == 404


def test_a_change_holds_from_its_date_and_the_page_shows_the_history(web):
    client = client_of(web, "hr@alpha.kz")
    assert 'name="valid_from"' in text(client.get("/t/alpha/people/S1/edit"))
    # a new person's facts hold from their hiring unless said
    assert "if left empty, the hiring date" in text(client.get("/t/alpha/people/new"))
    response = client.post("/t/alpha/people/S1/edit", data={
        "full_name": "Aigerim Satpayeva", "unit": "Unit 2", "manager": "M1",
        "hired_on": "2026-03-01", "valid_from": "2026-05-04", "attr__corps": "1",
        "attr__category": "C-5", "attr__first_appointment": "true"})
    assert response.status_code == 302
    assert people_of(web)["S1"]["unit"] == "Unit 2"
    page = text(client.get("/t/alpha/people/S1"))
    history = page[page.index('id="facts-history"'):]
    history = history[:history.index("</section>")]
    # latest first: the new unit from 4 May; the first version with everything recorded
    assert history.index("Unit 2") < history.index("Unit 1")
    assert "Holds from" in history and "Category" in history and "Boss Bossov" not in history
    assert "04.05.2026" in history or "2026-05-04" in history or "4 May 2026" in history
    assert "since the first record" not in history  # S1's first facts: from her hiring
    # M1 was added with no hiring date nor holds-from day
    assert "since the first record" in text(client.get("/t/alpha/people/M1"))
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", history)  # no internal ids
    # the audit log names the record and whose facts they are
    trail = html.unescape(text(client.get("/t/alpha/audit?entity=person_version")))
    trail = trail.split("<tbody>")[1]
    assert "person's facts from a date" in trail and "Aigerim Satpayeva" in trail
    bad = client.post("/t/alpha/people/S1/edit", data={
        "full_name": "Aigerim Satpayeva", "valid_from": "not a date", "attr__corps": "1"})
    assert bad.status_code == 422 and people_of(web)["S1"]["unit"] == "Unit 2"


def versions_of(app, number: str) -> list[tuple]:
    with app.app_context(), services.tenant("alpha", "test") as t:
        return [(v["valid_from"], v["unit"], v["position"], v["attributes"].get("category"))
                for v in services.person_history.history(services.find_person(t, number))]


def test_a_change_dated_in_the_past_changes_only_what_the_form_changed(web):
    """The edit form shows the facts as they stand now; dated earlier, what was changed
    on it goes into the facts of that day, the others staying as they then stood."""
    with web.app_context(), services.tenant("alpha", "test") as t:
        services.update_person(t, "S1", unit="Unit 2", valid_from="2026-05-04",
                               attributes={**MENTEE, "category": "C-4"})
    client = client_of(web, "hr@alpha.kz")
    form = {"full_name": "Aigerim Satpayeva", "unit": "Unit 2", "position": "Expert",
            "manager": "M1", "hired_on": "2026-03-01", "valid_from": "2026-04-01",
            "attr__corps": "1", "attr__category": "C-4", "attr__first_appointment": "true"}
    assert client.post("/t/alpha/people/S1/edit", data=form).status_code == 302
    assert versions_of(web, "S1") == [
        (dt.date(2026, 3, 1), "Unit 1", None, "C-5"),
        (dt.date(2026, 4, 1), "Unit 1", "Expert", "C-5"),  # the unit and category of April
        (dt.date(2026, 5, 4), "Unit 2", None, "C-4")]
    assert people_of(web)["S1"]["unit"] == "Unit 2"

    # the form shows the facts of a day asked for, and saves them as of that day
    page = text(client.get("/t/alpha/people/S1/edit?on=2026-04-15"))
    assert 'value="Unit 1"' in page and 'value="Expert"' in page
    assert 'name="valid_from" type="date" value="2026-04-15"' in page
    shown = {**form, "unit": "Unit 3", "attr__category": "C-5", "valid_from": "2026-04-15"}
    assert client.post("/t/alpha/people/S1/edit?on=2026-04-15", data=shown).status_code == 302
    assert versions_of(web, "S1")[2] == (dt.date(2026, 4, 15), "Unit 3", "Expert", "C-5")
    assert people_of(web)["S1"]["unit"] == "Unit 2"
    # each version of the history offers its facts to edit, to whom may write
    history = text(client.get("/t/alpha/people/S1")).split('id="facts-history"')[1]
    assert "/t/alpha/people/S1/edit?on=2026-04-15" in history
    viewer = text(client_of(web, "view@alpha.kz").get("/t/alpha/people/S1"))
    assert "/edit?on=" not in viewer
    assert client.get("/t/alpha/people/S1/edit?on=15.04").status_code == 400
    assert "they hold from" not in text(client.get("/t/alpha/people/S1"))
    # a change holding later: the page says the facts shown are not yet in force
    later = dt.date.today() + dt.timedelta(days=30)
    with web.app_context(), services.tenant("alpha", "test") as t:
        services.update_person(t, "S1", unit="Unit 9", valid_from=later)
    page = html.unescape(text(client.get("/t/alpha/people/S1")))
    assert "they hold from" in page and "Unit 9" in page


# --- import ------------------------------------------------------------------------------

def upload(client, content: bytes, name="staff.csv"):
    return client.post("/t/alpha/people/import", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name)})


def uploads(app) -> list[str]:
    root = os.path.join(app.instance_path, "imports")
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def test_import_preview_shows_every_error_and_writes_nothing(web):
    client = client_of(web, "hr@alpha.kz")
    before = audit_count(web)
    csv = ("number;full_name;manager;hired_on;corps\n"
           "N1;New One;M1;2026-03-02;B\n"
           "N2;;M1;2026-03-02;B\n"
           "N3;Third;GHOST;31.02.2026;Z\n").encode()
    response = upload(client, csv)
    page = text(response)
    assert response.status_code == 422
    assert "Nothing was imported" in page
    rows = re.findall(r'<tr class="violation"><td>(\d+)</td><td>([^<]+) <code class="muted">'
                      r'([^<]+)</code>', page)
    # each column as the person form labels it, with its heading in the file
    assert ("3", "Full name", "full_name") in rows and ("4", "Hired on", "hired_on") in rows
    assert ("4", "Manager", "manager") in rows

    client.post("/language/ru", data={"next": "/"})
    russian = text(upload(client, csv))
    assert "<td>Дата приёма на работу <code" in russian
    # a regime's column by its title in the schema
    attribute = text(upload(client, b"number;full_name;prior_service_months\nN5;Five;-5\n"))
    assert re.search(r"<td>Прежний стаж государственной службы, месяцев <code class=\"muted\">"
                     r"prior_service_months</code>", attribute)
    assert set(people_of(web)) == {"M1", "S1"}
    assert audit_count(web) == before
    assert uploads(web) == []  # nothing to confirm: not kept


def test_import_preview_then_confirm_writes(web):
    client = client_of(web, "hr@alpha.kz")
    csv = ("number;full_name;unit;manager;corps\n"
           "N1;New One;Unit 1;M1;B\n"
           "S1;Aigerim Satpayeva;Unit 9;M1;B\n").encode()
    preview = upload(client, csv)
    page = text(preview)
    assert preview.status_code == 200, page[:2000]
    assert "1 to create" in page and "1 to update" in page
    assert set(people_of(web)) == {"M1", "S1"}  # the preview wrote nothing
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    assert re.fullmatch(r"[0-9a-f]{32}\.csv", token)
    assert len(uploads(web)) == 1 and "Unit 9" not in str(client.get("/").headers)
    # the file is kept on the server, not in the session cookie
    cookie = client.get_cookie("session")
    assert cookie is None or "Unit" not in cookie.value
    # another user of the tenant cannot confirm it
    other = client_of(web, "view@alpha.kz")
    assert other.post("/t/alpha/people/import/confirm", data={"token": token}).status_code == 403
    done = client.post("/t/alpha/people/import/confirm", data={"token": token})
    assert done.status_code == 302
    staff = people_of(web)
    assert staff["N1"]["manager"] == "M1" and staff["S1"]["unit"] == "Unit 9"
    assert uploads(web) == []  # deleted afterwards
    assert client.post("/t/alpha/people/import/confirm", data={"token": token}).status_code == 404
    assert client.post("/t/alpha/people/import/confirm",
                       data={"token": "../../secret_key"}).status_code == 404


def test_an_import_says_the_day_its_facts_hold_from(web):
    client = client_of(web, "hr@alpha.kz")
    csv = "number;full_name;unit;manager;corps\nS1;Aigerim Satpayeva;Unit 9;M1;B\n".encode()
    preview = client.post("/t/alpha/people/import", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(csv), "staff.csv"), "valid_from": "2026-06-01"})
    page = text(preview)
    assert preview.status_code == 200, page[:2000]
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    assert 'name="valid_from" type="hidden" value="2026-06-01"' in page
    done = client.post("/t/alpha/people/import/confirm",
                       data={"token": token, "valid_from": "2026-06-01"})
    assert done.status_code == 302
    with web.app_context(), services.tenant("alpha", "test") as t:
        versions = services.person_history.history(services.find_person(t, "S1"))
    assert [(v["valid_from"], v["unit"]) for v in versions] == [
        (dt.date(2026, 3, 1), "Unit 1"), (dt.date(2026, 6, 1), "Unit 9")]


def test_import_xlsx_and_cancel(web):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["number", "full_name"])
    sheet.append(["X1", "From Excel"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_of(web, "hr@alpha.kz")
    page = text(upload(client, buffer.getvalue(), "staff.xlsx"))
    assert "From Excel" in page and "1 to create" in page
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/t/alpha/people/import/cancel", data={"token": token}).status_code == 302
    assert uploads(web) == [] and "X1" not in people_of(web)
    wrong = upload(client, b"number,full_name\n", "staff.txt")
    assert wrong.status_code == 422 and ".csv or .xlsx" in text(wrong)


# --- tenants apart -------------------------------------------------------------------------

def test_another_tenant_is_forbidden_and_its_people_are_not_found(web):
    client = client_of(web, "hr@alpha.kz")
    for path in ("/t/beta/people", "/t/beta/people/B1", "/t/beta/people/B1/edit",
                 "/t/beta/people/new", "/t/beta/audit", "/t/beta/settings"):
        assert client.get(path).status_code == 403, path
    assert client.post("/t/beta/people/new",
                       data={"number": "Z9", "full_name": "Intruder"}).status_code == 403
    assert client.post("/t/beta/people/B1/edit", data={"full_name": "Hacked"}).status_code == 403
    # B's personnel number under A's address: not found, not B's person
    assert client.get("/t/alpha/people/B1").status_code == 404
    assert client.get("/t/alpha/people/B1/edit").status_code == 404
    assert client.post("/t/alpha/people/B1/edit", data={"full_name": "Hacked"}).status_code == 404
    assert "B1" not in text(client.get("/t/alpha/people?q=B1")).split("<tbody>")[1]
    assert people_of(web, "beta")["B1"]["full_name"] == "Beta Person"
    assert "Z9" not in people_of(web, "beta")


# --- the audit log -----------------------------------------------------------------------

def test_audit_log_filters_and_diffs(web):
    with web.app_context(), services.tenant("alpha", "hr:aigerim") as t:
        services.update_person(t, "S1", unit="Unit 7")
    client = client_of(web, "view@alpha.kz")
    page = text(client.get("/t/alpha/audit"))
    assert "hr:aigerim" in page and "test" in page
    # the update shows only what changed, before → after
    assert re.search(r'<span class="field" title="unit">Unit</span>:\s*<del>Unit 1</del> → '
                     r"<ins>Unit 7</ins>", page)
    # (the person's change; the version it records names S1's manager)
    by_actor = text(client.get("/t/alpha/audit?actor=AIGERIM&entity=person"))
    assert "Unit 7" in by_actor and "Boss Bossov" not in by_actor.split("<tbody>")[1]
    creates = text(client.get("/t/alpha/audit?entity=person&action=create"))
    body = creates.split("<tbody>")[1]
    assert "Boss Bossov" in body and "Unit 7" not in body and "assignment" not in body
    assignments = text(client.get("/t/alpha/audit?entity=assignment")).split("<tbody>")[1]
    assert '<span class="field" title="mentor_id">Mentor</span>' in assignments and "M1 Boss Bossov" in assignments
    today = dt.datetime.now(dt.timezone.utc).date()
    assert "Unit 7" in text(client.get(f"/t/alpha/audit?since={today}&until={today}"))
    old = text(client.get("/t/alpha/audit?until=2000-01-01")).split("<tbody>")[1]
    assert "No entries" in old
    bad = client.get("/t/alpha/audit?since=yesterday")
    assert bad.status_code == 400 and "not a date" in text(bad)
    with web.app_context(), services.tenant("alpha", "test"):
        s1 = db.session.scalar(sa.select(Person.id).where(Person.number == "S1"))
    history = text(client.get(f"/t/alpha/audit?entity=person&entity_id={s1}")).split("<tbody>")[1]
    # S1's own history: the update, and the creation (which names M1 as manager)
    assert "Unit 7" in history and history.count('<tr class="') == 2
    # newest first
    assert page.index("Unit 7") < page.index("Boss Bossov")
    # another tenant's trail is not shown
    assert "Beta Person" not in page


def test_audit_log_is_paged(web):
    with web.app_context(), services.tenant("alpha", "test") as t:
        for i in range(55):
            services.add_person(t, number=f"A{i:02d}", full_name=f"Audited {i:02d}")
    client = client_of(web, "view@alpha.kz")
    first = text(client.get("/t/alpha/audit?entity=person"))
    second = text(client.get("/t/alpha/audit?entity=person&page=2"))
    shown = [re.findall(r'href="/t/alpha/people/([^"]+)"', page.split("<tbody>")[1])
             for page in (first, second)]
    assert (len(shown[0]), len(shown[1])) == (50, 57 - 50)  # 2 + 55 people created
    assert set(shown[0]).isdisjoint(shown[1])
    assert 'rel="next"' in first and 'rel="next"' not in second and 'rel="prev"' in second
    assert "entity=person" in re.search(r'href="([^"]*)" rel="prev"', second).group(1)


def test_forms_carry_a_csrf_token_when_it_is_on(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False})
    try:
        with app.app_context():
            services.create_tenant("alpha", "Alpha agency", "civil_service_2013", actor="test",
                                   locale="en")
            services.users.create_user("hr@alpha.kz", "hr", PASSWORD)
            services.users.grant("hr@alpha.kz", "alpha", "hr_officer")
        client = app.test_client()
        login = text(client.get("/login"))
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
        client.post("/login", data={"email": "hr@alpha.kz", "password": PASSWORD,
                                    "csrf_token": token})
        form = text(client.get("/t/alpha/people/new"))
        assert re.search(r'<form class="card form" method="post" novalidate>\s*'
                         r'<input id="csrf_token" name="csrf_token" type="hidden"', form)
        assert client.post("/t/alpha/people/new",
                           data={"number": "N1", "full_name": "No token"}).status_code == 400
    finally:
        with app.app_context():
            db.engine.dispose()
