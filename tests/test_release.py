"""Releasing a mentor on their own day, before a successor is named (issue 14): the
replacement deadline runs from the day the mentor was dismissed, transferred or went
absent (prosecutor p.12, civil service p.11: five working days), through the services,
the CLI, the API and the admin, on SQLite and PostgreSQL.

A mentor dismissed on Friday 2026-06-05 must be replaced by Friday 2026-06-12; a
successor from Monday 2026-06-15 is late."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main
from nastavnik.core.errors import InputError, UnknownCode
from nastavnik.storage.models import db
from nastavnik.web import create_app

START = dt.date(2026, 5, 4)
DISMISSED = dt.date(2026, 6, 5)
DUE = "2026-06-12"
SUCCESSOR = dt.date(2026, 6, 15)

EFFECTIVE = {"year": 2025, "mark": "effective"}
CIVIL_MENTOR = {"public_service_start": "2010-01-01", "last_assessment": EFFECTIVE}
REGIMES = {
    "prosecutor_2022": {
        "rule": "prosecutor_2022.p12.replacement",
        "people": [("M1", {"position_level": "district_prosecutor",
                           "prosecution_service_start": "2012-03-01"}, None),
                   ("M2", {"position_level": "district_prosecutor",
                           "prosecution_service_start": "2011-03-01"}, None),
                   ("Y1", {"entry_route": "competition", "first_entry": True}, "M1")],
        "assign": {}, "consent": {}},
    "civil_service_2013": {
        "rule": "civil_service_2013.p11.replacement",
        "people": [("M1", CIVIL_MENTOR, None), ("M2", CIVIL_MENTOR, None),
                   ("Y1", {"corps": "B", "category": "C-5", "first_appointment": True}, "M1")],
        "assign": {"term_months": 3},
        "consent": {"manager_submission": True, "mentor_consent": True}},
}


def _body(regime: str, slug: str = "body") -> str:
    services.create_tenant(slug, "A body", regime, actor="test", locale="en")
    with services.tenant(slug, "test") as t:
        for number, attributes, manager in REGIMES[regime]["people"]:
            services.add_person(t, number=number, full_name=f"Person {number}", unit="Legal",
                                manager=manager, attributes=attributes)
        m, check = services.assign_mentor(t, "Y1", "M1", START, **REGIMES[regime]["assign"])
        assert check.allowed, check.findings
        return str(m.id)


def _replacement(regime: str, as_of: dt.date, slug: str = "body") -> list[dict]:
    with services.tenant(slug, "test:read") as t:
        report = services.compliance_report(t, as_of)
    return [d for d in report["deadlines"] if d["rule"] == REGIMES[regime]["rule"]]


@pytest.mark.parametrize("regime", list(REGIMES))
def test_a_release_starts_the_replacement_deadline_and_the_successor_closes_it(app, regime):
    mid = _body(regime)
    with services.tenant("body", "test") as t:
        services.release_mentor(t, mid, DISMISSED, "dismissal")
    with services.tenant("body", "test:read") as t:
        [a] = services.assignments_of(services.find_mentorship(t, mid))
        assert (a.end, a.end_reason) == (DISMISSED, "dismissal")
    [d] = _replacement(regime, dt.date(2026, 6, 8))
    assert (d["event_date"], d["due"], d["done_on"]) == ("2026-06-05", DUE, None)
    assert d["status"] in ("due", "due_soon")
    [d] = _replacement(regime, dt.date(2026, 6, 15))
    assert d["status"] == "overdue"
    with services.tenant("body", "test") as t:  # the successor: no reason asked again
        services.replace_mentor(t, mid, "M2", SUCCESSOR,
                                attributes=REGIMES[regime]["consent"])
    with services.tenant("body", "test:read") as t:
        first, second = services.assignments_of(services.find_mentorship(t, mid))
        assert (first.end, first.end_reason) == (DISMISSED, "dismissal")  # as recorded
        assert (second.start, second.end) == (SUCCESSOR, None)
    [d] = _replacement(regime, dt.date(2026, 6, 16))
    assert (d["due"], d["done_on"], d["status"]) == (DUE, "2026-06-15", "done_late")


@pytest.mark.parametrize("regime", list(REGIMES))
def test_replace_takes_the_release_day_apart_from_the_successor_s_first_day(app, regime):
    mid = _body(regime)
    with services.tenant("body", "test") as t:
        services.replace_mentor(t, mid, "M2", SUCCESSOR, "dismissal", released_on=DISMISSED,
                                attributes=REGIMES[regime]["consent"])
    [d] = _replacement(regime, dt.date(2026, 6, 16))
    assert (d["event_date"], d["due"], d["status"]) == ("2026-06-05", DUE, "done_late")


def test_a_mentorship_closed_after_a_release_keeps_the_release(app):
    """Closing within the period leaves no replacement due (prosecutor p.12)."""
    mid = _body("prosecutor_2022")
    with services.tenant("body", "test") as t:
        services.release_mentor(t, mid, DISMISSED, "dismissal")
        services.close_mentorship(t, mid, "2026-06-10")
    with services.tenant("body", "test:read") as t:
        m = services.find_mentorship(t, mid)
        [a] = services.assignments_of(m)
        assert (m.status, m.ended_on) == ("closed", dt.date(2026, 6, 10))
        assert (a.end, a.end_reason) == (DISMISSED, "dismissal")
    assert _replacement("prosecutor_2022", dt.date(2026, 6, 16)) == []


BAD = {
    "no day": (lambda t, mid: services.release_mentor(t, mid, None, "dismissal"), "on"),
    "before the assignment": (lambda t, mid: services.release_mentor(
        t, mid, "2026-05-01", "dismissal"), "on"),
    "unknown reason": (lambda t, mid: services.release_mentor(t, mid, DISMISSED, "boredom"),
                       "reason"),
    "released twice": (lambda t, mid: (services.release_mentor(t, mid, DISMISSED, "dismissal"),
                                       services.release_mentor(t, mid, DISMISSED, "dismissal")),
                       "mentorship"),
    "successor before the release": (lambda t, mid: (
        services.release_mentor(t, mid, DISMISSED, "dismissal"),
        services.replace_mentor(t, mid, "M2", DISMISSED)), "on"),
    "another release day at replacing": (lambda t, mid: (
        services.release_mentor(t, mid, DISMISSED, "dismissal"),
        services.replace_mentor(t, mid, "M2", SUCCESSOR, released_on="2026-06-08")),
        "released_on"),
    "closing before the release": (lambda t, mid: (
        services.release_mentor(t, mid, DISMISSED, "dismissal"),
        services.close_mentorship(t, mid, "2026-06-01")), "on"),
    "replacing a current mentor without a reason": (lambda t, mid: services.replace_mentor(
        t, mid, "M2", SUCCESSOR), "reason"),
    "released on the successor's first day": (lambda t, mid: services.replace_mentor(
        t, mid, "M2", SUCCESSOR, "dismissal", released_on=SUCCESSOR), "released_on"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_release_is_refused_and_changes_nothing(app, case):
    mid = _body("civil_service_2013")
    action, field = BAD[case]
    with pytest.raises((InputError, UnknownCode)) as error, services.tenant("body", "test") as t:
        action(t, mid)
    assert error.value.field == field
    with services.tenant("body", "test:read") as t:
        [a] = services.assignments_of(services.find_mentorship(t, mid))
        assert (a.end, a.end_reason) == (None, None)


# --- the CLI ----------------------------------------------------------------------------------

def _cli(app, *args):
    result = CliRunner().invoke(main, list(args), obj={"lang": "en"})
    assert result.exit_code == 0, result.output
    return result.output


def test_the_cli_releases_then_replaces_with_the_successor_s_consent(app):
    mid = _body("civil_service_2013")
    out = _cli(app, "mentorship", "release", mid, "--tenant", "body", "--on", "2026-06-05",
               "--reason", "dismissal")
    assert "released on 2026-06-05" in out
    _cli(app, "mentorship", "replace", mid, "M2", "--tenant", "body", "--on", "2026-06-15",
         "--attribute", "mentor_consent=true", "--attribute", "manager_submission=true")
    view = json.loads(_cli(app, "mentorship", "show", mid, "--tenant", "body", "--as-of",
                           "2026-06-16", "--json"))
    first, second = view["assignments"]
    assert (first["to"], first["end_reason"]) == ("2026-06-05", "dismissal")
    assert second["attributes"] == {"mentor_consent": True, "manager_submission": True}
    [d] = [d for d in view["deadlines"] if d["rule"] == "civil_service_2013.p11.replacement"]
    assert (d["due"], d["status"]) == (DUE, "done_late")
    # the compliance check counts and lists the deadline done late
    out = _cli(app, "check", "--tenant", "body", "--as-of", "2026-06-16")
    assert "1 done late" in out.splitlines()[0]
    late = out.split("Deadlines done late:")[1]
    assert "2026-06-12" in late and "Y1" in late and "(done 2026-06-15)" in late


def test_the_cli_refuses_an_unknown_end_reason_with_the_list(app):
    mid = _body("prosecutor_2022")
    result = CliRunner().invoke(main, ["mentorship", "release", mid, "--tenant", "body",
                                       "--on", "2026-06-05", "--reason", "boredom"],
                                obj={"lang": "en"})
    assert result.exit_code == 2 and "dismissal" in result.output


def test_check_shows_a_paper_done_late(app):
    """A paper done after its day is neither a violation nor overdue: the summary must
    still say it (as the dashboard does)."""
    mid = _body("civil_service_2013")
    with services.tenant("body", "test") as t:  # p.12: the plan within 3 days of assignment
        services.record_paper(t, mid, "plan", "2026-05-20")
    out = _cli(app, "check", "--tenant", "body", "--as-of", "2026-05-21")
    assert "1 done late" in out.splitlines()[0]
    assert "plan" in out.split("Deadlines done late:")[1]


# --- the API ----------------------------------------------------------------------------------

@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        services.users.create_user("hr@body.kz", "HR", "correct horse 1")
        yield app
        db.session.remove()
        db.engine.dispose()


def _tenant_for(web, regime):
    mid = _body(regime)
    services.users.grant("hr@body.kz", "body", "hr_officer")
    return mid


@pytest.mark.parametrize("regime", list(REGIMES))
def test_the_api_releases_then_replaces(web, regime):
    mid = _tenant_for(web, regime)
    token = services.tokens.create_token("hr@body.kz", "tests")[1]
    client = web.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    bad = client.post(f"/api/v1/tenants/body/mentorships/{mid}/release", headers=headers,
                      json={"on": "2026-06-05", "reason": "boredom"})
    assert bad.status_code == 422
    view = client.post(f"/api/v1/tenants/body/mentorships/{mid}/release", headers=headers,
                       json={"on": "2026-06-05", "reason": "dismissal"}).get_json()
    assert [a["to"] for a in view["assignments"]] == ["2026-06-05"]
    done = client.post(f"/api/v1/tenants/body/mentorships/{mid}/replace", headers=headers,
                       json={"mentor": "M2", "on": "2026-06-15",
                             "attributes": REGIMES[regime]["consent"]})
    assert done.status_code == 200, done.get_json()
    [d] = _replacement(regime, dt.date(2026, 6, 16))
    assert (d["due"], d["status"]) == (DUE, "done_late")


# --- the admin --------------------------------------------------------------------------------

def _login(web):
    client = web.test_client()
    assert client.post("/login", data={"email": "hr@body.kz",
                                       "password": "correct horse 1"}).status_code == 302
    return client


@pytest.mark.parametrize("regime", list(REGIMES))
def test_the_admin_releases_then_names_the_successor_with_consent(web, regime):
    mid = _tenant_for(web, regime)
    client = _login(web)
    page = client.get(f"/t/body/mentorships/{mid}").get_data(as_text=True)
    release = page.split('id="release"')[1].split("</section>")[0]
    assert '<option value="">' in release and "selected" not in release  # none chosen for them
    # without a reason: refused, nothing written
    response = client.post(f"/t/body/mentorships/{mid}/release",
                           data={"released_on": "2026-06-05"})
    assert response.status_code == 422
    with services.tenant("body", "test:read") as t:
        assert services.assignments_of(services.find_mentorship(t, mid))[0].end is None
    response = client.post(f"/t/body/mentorships/{mid}/release",
                           data={"released_on": "2026-06-05", "release_reason": "dismissal"})
    assert response.status_code == 302
    page = client.get(f"/t/body/mentorships/{mid}?as_of=2026-06-08").get_data(as_text=True)
    assert 'id="release"' not in page  # nobody left to release
    replace = page.split('id="replace"')[1].split("</section>")[0]
    assert 'name="reason"' not in replace  # the release already says why
    deadlines = page.split('class="deadlines"')[1].split("</table>")[0]
    assert "2026-06-12" in deadlines or "12.06.2026" in deadlines or "June 12, 2026" in deadlines
    data = {"mentor": "M2", "replace_on": "2026-06-15"}
    if regime == "civil_service_2013":  # the successor's consent, a fact of the regime
        data.update({"a__mentor_consent": "true", "a__manager_submission": "true"})
    response = client.post(f"/t/body/mentorships/{mid}/replace", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    with services.tenant("body", "test:read") as t:
        first, second = services.assignments_of(services.find_mentorship(t, mid))
        assert (first.end, first.end_reason, second.start) == (DISMISSED, "dismissal", SUCCESSOR)
        assert second.attributes == REGIMES[regime]["consent"]
    [d] = _replacement(regime, dt.date(2026, 6, 16))
    assert d["status"] == "done_late"


def test_the_admin_replace_form_takes_the_release_day(web):
    mid = _tenant_for(web, "civil_service_2013")
    client = _login(web)
    response = client.post(f"/t/body/mentorships/{mid}/replace", data={
        "mentor": "M2", "replace_on": "2026-06-15", "reason": "dismissal",
        "released_on": "2026-06-05", "a__mentor_consent": "true"})
    assert response.status_code == 302, response.get_data(as_text=True)
    [d] = _replacement("civil_service_2013", dt.date(2026, 6, 16))
    assert (d["event_date"], d["due"], d["status"]) == ("2026-06-05", DUE, "done_late")
    with services.tenant("body", "test:read") as t:
        second = services.assignments_of(services.find_mentorship(t, mid))[1]
        assert second.attributes == {"mentor_consent": True}


def test_the_release_form_reads_in_kazakh(web):
    mid = _tenant_for(web, "prosecutor_2022")
    client = _login(web)
    client.post("/language/kk")
    page = client.get(f"/t/body/mentorships/{mid}").get_data(as_text=True)
    release = page.split('id="release"')[1].split("</section>")[0]
    assert "Тәлімгерді босату" in release and "Тәлімгердің соңғы күні" in release
    words = re.sub(r"<[^>]+>", " ", release)
    assert not re.search(r"\b(Release|Last day|Why|mentor|dismissal)\b", words), words
