"""The web admin's mentorship pages on SQLite and PostgreSQL: the list, a mentorship's
timeline with deadlines and their paragraphs, assigning (ranked suggestions, refusals with
every finding, the civil-service p.8 exception), replacing a mentor, viewers and tenants."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.storage.models import Assignment, Mentorship, db
from nastavnik.web import create_app

EFFECTIVE = {"year": 2025, "mark": "effective"}
SERVANT = {"corps": "B", "category": "C-5", "first_appointment": True}
PEOPLE = [
    # number, name, unit, manager, attributes
    ("D1", "Daniyar Direct-Manager", "Legal", None,
     {"public_service_start": "2024-09-01", "last_assessment": EFFECTIVE}),
    ("S1", "Serik Senior", "Legal", None,
     {"public_service_start": "2015-09-01", "last_assessment": EFFECTIVE}),
    ("A1", "Aigerim New", "Legal", "D1", SERVANT),
    ("N1", "Nurlan New", "Legal", "D1", {**SERVANT, "category": "D-5"}),
    ("E1", "Dana New", "Legal", "D1", {**SERVANT, "category": "E-5"}),
]


def _people(slug, people):
    with services.tenant(slug, "test") as t:
        for number, name, unit, manager, attributes in people:
            services.add_person(t, number=number, full_name=name, unit=unit, manager=manager,
                                attributes=attributes)


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        services.create_tenant("alpha", "Alpha agency", "civil_service_2013", actor="test",
                               locale="en")
        services.create_tenant("beta", "Beta agency", "civil_service_2013", actor="test",
                               locale="en")
        _people("alpha", PEOPLE)
        _people("beta", PEOPLE[:3])
        services.users.create_user("hr@alpha.kz", "HR Alpha", "correct horse 1")
        services.users.grant("hr@alpha.kz", "alpha", "hr_officer")
        services.users.grant("hr@alpha.kz", "beta", "hr_officer")
        services.users.create_user("viewer@alpha.kz", "Viewer", "correct horse 2")
        services.users.grant("viewer@alpha.kz", "alpha", "viewer")
        yield app
        db.session.remove()
        db.engine.dispose()


def login(app, email="hr@alpha.kz", password="correct horse 1"):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def assign(slug, mentee, mentor, on, **kw):
    with services.tenant(slug, "test") as t:
        m, _ = services.assign_mentor(t, mentee, mentor, on, **kw)
        return str(m.id)


def count_rows(slug):
    with services.tenant(slug, "test:read"):
        return (db.session.scalar(sa.select(sa.func.count()).select_from(Mentorship)),
                db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)))


def text(response):
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_list_and_mentorship_page_show_deadlines_with_paragraphs(web):
    mid = assign("alpha", "A1", "S1", dt.date(2026, 3, 2), joined_on=dt.date(2026, 2, 26),
                 order_number="31-л", order_date=dt.date(2026, 3, 2))
    client = login(web)
    listing = text(client.get("/t/alpha/mentorships"))
    assert "Aigerim New" in listing and f"/t/alpha/mentorships/{mid}" in listing
    assert "Aigerim New" not in text(client.get("/t/alpha/mentorships?status=closed"))

    page = text(client.get(f"/t/alpha/mentorships/{mid}?as_of=2026-03-10"))
    assert "Serik Senior" in page and "31-л" in page
    # every deadline with its status and paragraph: the plan within 3 days (p.12) is overdue
    deadlines = page.split('class="deadlines"')[1].split("</table>")[0]
    assert re.search(r'<tr class="overdue"><td>2026-03-05</td>.*?p\.12', deadlines), deadlines
    assert "p.17" in deadlines
    # the term and its rule
    assert "civil_service_2013.p6.term" in page and "Mentorship term of 1 to 2 months" in page
    # findings with their paragraph and message in the current language
    assert "civil_service_2013.p12.plan" in page or "p.12" in page
    # forms for writers
    for form in ("paper", "absence", "replace", "close"):
        assert f'action="/t/alpha/mentorships/{mid}/{form}"' in page


def test_record_paper_and_absence_then_close(web):
    mid = assign("alpha", "A1", "S1", dt.date(2026, 3, 2))
    client = login(web)
    response = client.post(f"/t/alpha/mentorships/{mid}/paper",
                           data={"kind": "plan", "done_on": "2026-03-04", "approved_by": "D1"})
    assert response.status_code == 302
    response = client.post(f"/t/alpha/mentorships/{mid}/absence",
                           data={"person": "A1", "absent_from": "2026-03-10",
                                 "absent_to": "2026-03-12", "valid_reason": "y",
                                 "absence_reason": "sick leave"}, follow_redirects=True)
    page = text(response)
    assert "The absence is recorded." in page
    assert "sick leave" in page and "2026-03-12" in page
    assert re.search(r"Individual plan of adaptation and professional training</td><td>2026-03-04", page)
    # the term is extended by the absence (p.6): three days later than 2 months
    assert "02.03.2026 – 04.05.2026" in page or "2026-03-02 – 2026-05-04" in page, page
    bad = client.post(f"/t/alpha/mentorships/{mid}/absence",
                      data={"person": "A1", "absent_from": "2026-03-12", "absent_to": "2026-03-10"})
    assert bad.status_code == 422 and "ends before it starts" in text(bad)
    response = client.post(f"/t/alpha/mentorships/{mid}/close", data={"closed_on": "2026-04-30"},
                           follow_redirects=True)
    assert "The mentorship is closed." in text(response)
    assert "Aigerim New" in text(client.get("/t/alpha/mentorships?status=closed"))


def test_assign_shows_ranked_suggestions_and_assigns(web):
    client = login(web)
    page = text(client.get("/t/alpha/assign"))
    assert '<option value="A1">' in page and "Show suggested mentors" in page
    page = text(client.get("/t/alpha/assign?mentee=A1&on=2026-03-02"))
    suggested = page.split('class="suggested"')[1].split("</table>")[0]
    assert "Serik Senior" in suggested and "0 / 2" in suggested
    excluded = page.split('class="excluded"')[1].split("</details>")[0]
    assert "Daniyar Direct-Manager" in excluded and "civil_service_2013.p8.service" in excluded
    response = client.post("/t/alpha/assign", data={
        "mentee": "A1", "on": "2026-03-02", "mentor": "S1", "order_number": "31-л",
        "order_date": "2026-03-02", "a__manager_submission": "true", "a__mentor_consent": "true"})
    assert response.status_code == 302
    assert count_rows("alpha") == (1, 1)
    page = text(client.get(response.headers["Location"]))
    assert "The mentor is assigned." in page and "Serik Senior" in page
    # A1 now has an open mentorship: no longer offered as a mentee
    assert '<option value="A1">' not in text(client.get("/t/alpha/assign"))


def test_assign_over_capacity_is_refused_with_p10_and_nothing_is_written(web):
    assign("alpha", "N1", "S1", dt.date(2026, 3, 2), term_months=2)
    assign("alpha", "E1", "S1", dt.date(2026, 3, 10), term_months=2)
    before = count_rows("alpha")
    client = login(web)
    page = text(client.get("/t/alpha/assign?mentee=A1&on=2026-03-16"))
    excluded = page.split('class="excluded"')[1].split("</details>")[0]
    assert re.search(r"Serik Senior.*?civil_service_2013\.p10\.capacity", excluded)
    response = client.post("/t/alpha/assign", data={"mentee": "A1", "on": "2026-03-16",
                                                    "mentor": "S1"})
    assert response.status_code == 422
    page = text(response)
    refusal = page.split('class="card refusal"')[1].split("</section>")[0]
    assert "civil_service_2013.p10.capacity" in refusal and "p.10" in refusal
    assert "nothing was saved" in page
    assert count_rows("alpha") == before


def test_p8_fallback_assignment_shows_the_exception(web):
    # Serik, the only one who meets p.8, has no room: the direct manager may be assigned
    assign("alpha", "N1", "S1", dt.date(2026, 3, 2), term_months=2)
    assign("alpha", "E1", "S1", dt.date(2026, 3, 10), term_months=2)
    client = login(web)
    page = text(client.get("/t/alpha/assign?mentee=A1&on=2026-03-16"))
    suggested = page.split('class="suggested"')[1].split("</table>")[0]
    assert "Daniyar Direct-Manager" in suggested and "exception" in suggested
    response = client.post("/t/alpha/assign", data={"mentee": "A1", "on": "2026-03-16",
                                                    "mentor": "D1"}, follow_redirects=True)
    assert response.status_code == 200
    page = text(response)
    assert "Assigned under the exception: p.8:" in page  # its paragraph, not the rule's id
    assert "p.8" in page and 'class="badge exception"' in page


def test_replace_lists_suggestions_with_findings_and_replaces(web):
    mid = assign("alpha", "A1", "S1", dt.date(2026, 3, 2))
    with services.tenant("alpha", "test") as t:
        services.add_person(t, number="K1", full_name="Kairat Colleague", unit="Legal",
                            attributes={"public_service_start": "2010-01-01",
                                        "last_assessment": EFFECTIVE})
    client = login(web)
    page = text(client.get(f"/t/alpha/mentorships/{mid}?on=2026-03-20"))
    replace = page.split('id="replace"')[1].split("</section>")[0]
    suggested = replace.split('class="suggested"')[1].split("</table>")[0]
    assert "Kairat Colleague" in suggested and "Serik Senior" not in suggested
    excluded = replace.split('class="excluded"')[1].split("</details>")[0]
    assert re.search(r"Daniyar Direct-Manager.*?civil_service_2013\.p8\.service.*?p\.8", excluded)
    for reason in ("dismissal", "transfer", "written_request", "absence", "end_of_mentorship", "other"):
        assert f'<option value="{reason}">' in replace
    response = client.post(f"/t/alpha/mentorships/{mid}/replace", data={
        "mentor": "K1", "replace_on": "2026-03-20", "reason": "transfer",
        "order_number": "40-л", "order_date": "2026-03-19"}, follow_redirects=True)
    page = text(response)
    assert "The mentor is replaced." in page
    mentors = page.split("<h2>Mentors</h2>")[1].split("</table>")[0]
    assert re.search(r"Serik Senior.*?2026-03-02</td><td>2026-03-19</td>.*?transfer to other work", mentors)
    assert re.search(r"Kairat Colleague.*?2026-03-20</td><td>…</td>.*?40-л", mentors)
    # a replacement the rules forbid is refused with its findings, and nothing changes
    before = count_rows("alpha")
    response = client.post(f"/t/alpha/mentorships/{mid}/replace", data={
        "mentor": "D1", "replace_on": "2026-03-25", "reason": "other"})
    assert response.status_code == 422
    assert "civil_service_2013.p8.service" in text(response).split('class="card refusal"')[1]
    assert count_rows("alpha") == before


def test_viewer_sees_no_forms_and_gets_403_on_post(web):
    mid = assign("alpha", "A1", "S1", dt.date(2026, 3, 2))
    client = login(web, "viewer@alpha.kz", "correct horse 2")
    page = text(client.get(f"/t/alpha/mentorships/{mid}"))
    assert "Serik Senior" in page
    assert 'method="post" action="/t/alpha/mentorships' not in page
    assert "/t/alpha/assign" not in text(client.get("/t/alpha/mentorships"))
    before = count_rows("alpha")
    for path, data in ((f"/t/alpha/mentorships/{mid}/paper", {"kind": "plan", "done_on": "2026-03-04"}),
                       (f"/t/alpha/mentorships/{mid}/absence", {"person": "A1", "absent_from": "2026-03-04",
                                                                "absent_to": "2026-03-05"}),
                       (f"/t/alpha/mentorships/{mid}/replace", {"mentor": "D1", "replace_on": "2026-03-20",
                                                                "reason": "other"}),
                       (f"/t/alpha/mentorships/{mid}/close", {"closed_on": "2026-04-01"}),
                       ("/t/alpha/assign", {"mentee": "N1", "mentor": "S1", "on": "2026-03-02"})):
        assert client.post(path, data=data).status_code == 403, path
    assert count_rows("alpha") == before
    assert 'method="post" action="/t/alpha/assign"' not in text(
        client.get("/t/alpha/assign?mentee=N1&on=2026-03-02"))


def test_another_tenants_mentorship_is_404(web):
    beta_mid = assign("beta", "A1", "S1", dt.date(2026, 3, 2))
    client = login(web)
    assert client.get(f"/t/beta/mentorships/{beta_mid}").status_code == 200
    assert client.get(f"/t/alpha/mentorships/{beta_mid}").status_code == 404
    assert client.get(f"/t/alpha/mentorships/{beta_mid[:8]}").status_code == 404
    response = client.post(f"/t/alpha/mentorships/{beta_mid}/close", data={"closed_on": "2026-04-01"})
    assert response.status_code == 404
    assert count_rows("beta") == (1, 1)
    with services.tenant("beta", "test:read") as t:
        assert services.find_mentorship(t, beta_mid).status == "open"


def test_no_council_link_or_pages_without_a_council(web):
    client = login(web)
    page = text(client.get("/t/alpha/"))
    assert "/t/alpha/mentorships" in page and "/t/alpha/councils" not in page
    assert client.get("/t/alpha/councils").status_code == 404
