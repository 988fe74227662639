"""A paper's fields on the mentorship page (issue 14): what a paper carries (its regime's
``fields`` schema, e.g. the areas a prosecutor programme covers, p.9) is shown and edited
where the paper is, in the page's language, and a save changes only what the form shows."""

from __future__ import annotations

import datetime as dt

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

AREAS = ["knowledge_skills", "legal_acts", "duty_responsibility", "ethics_discipline",
         "corporate_culture"]


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        services.create_tenant("pr", "Prosecutors", "prosecutor_2022", actor="test", locale="en")
        with services.tenant("pr", "test") as t:
            services.add_person(t, number="M1", full_name="Mentor", attributes={
                "position_level": "district_prosecutor", "prosecution_service_start": "2012-03-01"})
            services.add_person(t, number="Y1", full_name="Young", manager="M1",
                                attributes={"entry_route": "competition", "first_entry": True})
            m, _ = services.assign_mentor(t, "Y1", "M1", dt.date(2026, 3, 2),
                                          order_number="1-к", order_date=dt.date(2026, 3, 2))
            app.mid = str(m.id)
        services.users.create_user("hr@pr.kz", "HR", "correct horse 1")
        services.users.grant("hr@pr.kz", "pr", "hr_officer")
        yield app
        db.session.remove()
        db.engine.dispose()


def _client(web):
    client = web.test_client()
    assert client.post("/login", data={"email": "hr@pr.kz",
                                       "password": "correct horse 1"}).status_code == 302
    return client


def _programme(mid):
    with services.tenant("pr", "test:read") as t:
        [paper] = [p for p in services.papers_of(services.find_mentorship(t, mid))
                   if p.kind == "programme"]
        return paper.done_on, paper.approved_by, paper.attributes


def _rules(mid):
    with services.tenant("pr", "test:read") as t:
        view = services.views.mentorship_view(t, services.find_mentorship(t, mid),
                                              dt.date(2026, 3, 10))
    return {f["rule"] for f in view["findings"]}


def test_re_saving_a_paper_to_add_its_approver_keeps_its_areas(web):
    mid = web.mid
    with services.tenant("pr", "test") as t:  # as the API records it: areas, no approver
        services.record_paper(t, mid, "programme", "2026-03-04", None, {"sections": AREAS})
    assert "prosecutor_2022.p8.programme_approval" in _rules(mid)
    client = _client(web)
    page = client.get(f"/t/pr/mentorships/{mid}").get_data(as_text=True)
    # the form shows what the paper carries, ticked
    assert 'name="p__programme__sections"' in page
    assert 'checked id="p__programme__sections-0" name="p__programme__sections" ' \
           'type="checkbox" value="knowledge_skills"' in page
    response = client.post(f"/t/pr/mentorships/{mid}/paper", data={
        "kind": "programme", "done_on": "2026-03-04", "approved_by": "Head of the office",
        "p__programme__sections": AREAS})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _programme(mid) == (dt.date(2026, 3, 4), "Head of the office", {"sections": AREAS})
    # another kind's save touches neither the programme nor its approver
    assert client.post(f"/t/pr/mentorships/{mid}/paper", data={
        "kind": "mentee_report", "done_on": "2026-03-05"}).status_code == 302
    assert _programme(mid)[1:] == ("Head of the office", {"sections": AREAS})


def test_a_save_without_the_fields_shown_keeps_what_was_recorded(web):
    """A form that does not send the areas (an older page) and no approver leaves both."""
    mid = web.mid
    with services.tenant("pr", "test") as t:
        services.record_paper(t, mid, "programme", "2026-03-04", "Head", {"sections": ["sport"]})
    client = _client(web)
    response = client.post(f"/t/pr/mentorships/{mid}/paper", data={
        "kind": "programme", "done_on": "2026-03-05", "p__programme__sections": AREAS[:2]})
    assert response.status_code == 302
    # an area no box shows is kept with the ones ticked
    assert _programme(mid) == (dt.date(2026, 3, 5), "Head", {"sections": AREAS[:2] + ["sport"]})


@pytest.mark.parametrize("lang, title", [("ru", "Охваченные направления (п.9)"),
                                         ("kk", "Қамтылған бағыттар (9-т.)")])
def test_the_areas_are_recorded_from_the_form_and_the_warning_clears(web, lang, title):
    mid = web.mid
    client = _client(web)
    client.post(f"/language/{lang}")
    assert client.post(f"/t/pr/mentorships/{mid}/paper", data={
        "kind": "programme", "done_on": "2026-03-04", "approved_by": "Head",
        "p__programme__sections": AREAS[:1]}).status_code == 302
    assert "prosecutor_2022.p9.programme_content" in _rules(mid)
    page = client.get(f"/t/pr/mentorships/{mid}").get_data(as_text=True)
    assert title in page  # the field's title in the page's language
    assert "legal_acts</label>" not in page  # the areas by their words, not their codes
    assert {"ru": "профессиональные знания и практические навыки (пп.1)",
            "kk": "кәсіби білім мен практикалық дағдылар (1-тармақша)"}[lang] in page
    assert client.post(f"/t/pr/mentorships/{mid}/paper", data={
        "kind": "programme", "done_on": "2026-03-04",
        "p__programme__sections": AREAS}).status_code == 302
    assert "prosecutor_2022.p9.programme_content" not in _rules(mid)
    assert _programme(mid) == (dt.date(2026, 3, 4), "Head", {"sections": AREAS})
