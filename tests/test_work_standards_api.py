"""The work-standards endpoints of the REST API on SQLite and PostgreSQL: a scheme posted
as JSON (every bad action named by its index), approval, records, the workload of the
hand-computed case of tests/test_work_standards.py (68 h / 120 h = 56.7 %; 48 / 54 =
88.9 %; the unit: 128 h / 144 h = 0.89 staff units), the stage-3 evaluation, viewers,
and regimes without work standards (404)."""

from __future__ import annotations

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

from test_work_standards import HEADER, ROWS, prosecutors

PROBLEM = "application/problem+json"
ACTIONS = [dict(zip(HEADER, row)) for row in ROWS]
BASE = "/api/v1/tenants"


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test"})
    with app.app_context():
        prosecutors()
        services.create_tenant("cs", "Civil service body", "civil_service_2013", actor="admin")
        services.users.create_user("hr@pros.kz", "HR", "correct horse 1")
        for slug in ("pros", "cs"):
            services.users.grant("hr@pros.kz", slug, "hr_officer")
        services.users.create_user("viewer@pros.kz", "Viewer", "correct horse 2")
        services.users.grant("viewer@pros.kz", "pros", "viewer")
        app.tokens = {who: services.tokens.create_token(f"{who}@pros.kz", "test")[1]
                      for who in ("hr", "viewer")}
    yield app
    with app.app_context():
        db.engine.dispose()


def call(app, method, path, who="hr", **kwargs):
    return app.test_client().open(BASE + path, method=method, headers={
        "Authorization": f"Bearer {app.tokens[who]}"}, **kwargs)


def test_scheme_records_workload_and_staff_number(web):
    bad = [*ACTIONS, {**ACTIONS[0], "action": "Again"}]
    r = call(web, "POST", "/pros/work-schemes", json={
        "position": "assistant prosecutor", "direction": "appeals", "actions": bad})
    assert r.status_code == 422 and r.mimetype == PROBLEM
    assert r.get_json()["field"] == "actions.3.action_code"
    r = call(web, "POST", "/pros/work-schemes", json={
        "position": "assistant prosecutor", "direction": "appeals", "actions": ACTIONS})
    assert r.status_code == 201, r.get_data(as_text=True)
    scheme = r.get_json()
    assert scheme["status"] == "draft" and scheme["in_force_from"] is None
    r = call(web, "POST", "/pros/work-records", json={
        "person": "P-1", "action": "A1", "from": "2026-03-01", "to": "2026-03-31", "count": 1})
    assert r.status_code == 422 and r.get_json()["field"] == "action"  # only a draft so far
    r = call(web, "POST", "/pros/work-schemes/approvals", json={
        "scheme": scheme["id"], "approved_by": "Head", "approved_on": "2026-02-20",
        "in_force_from": "2026-03-01", "hr_coordinated_by": "HR department"})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["in_force_from"] == "2026-03-01"
    finding = r.get_json()["findings"][0]
    assert finding["rule"] == "prosecutor_work_standards_2015.p6.approval"
    assert "coordinated with HR (HR department, 2026-02-20)" in finding["message"]["en"]
    assert "согласована с кадровой службой (HR department, 20.02.2026)" in finding["text"]
    for person, action, count, met in (("P-1", "A1", 20, 18), ("P-1", "A2", 10, None),
                                       ("P-1", "A3", 24, 20), ("P-2", "A1", 40, None)):
        r = call(web, "POST", "/pros/work-records", json={
            "person": person, "action": action, "from": "2026-03-01", "to": "2026-03-31",
            "count": count, "results_met": met})
        assert r.status_code == 201, r.get_data(as_text=True)
    assert r.get_json()["scheme"] == scheme["id"] and r.get_json()["from"] == "2026-03-01"
    r = call(web, "GET", "/pros/workload", query_string={"person": "P-1", "from": "2026-03-01",
                                                         "to": "2026-03-31", "lang": "ru"})
    assert r.status_code == 200
    data = r.get_json()
    assert (data["working_hours"], data["normative_hours"], data["load_percent"],
            data["compliance_percent"]) == ("120", "68", "56.7", "88.9")
    assert data["findings"][2]["paragraph"] == "3" and "56.7%" in data["findings"][2]["text"]
    r = call(web, "GET", "/pros/staff-number", query_string={
        "unit": "Appeals unit", "from": "2026-03-01", "to": "2026-03-31"})
    assert r.get_json()["staff_number"] == "0.89"
    r = call(web, "GET", "/pros/work-records", query_string={"person": "P-2"})
    assert [x["count"] for x in r.get_json()] == [40]
    r = call(web, "GET", "/pros/work-records", query_string={"person": "NOBODY"})
    assert r.status_code == 422 and r.get_json()["field"] == "person"
    assert [s["version"] for s in call(web, "GET", "/pros/work-schemes").get_json()] == [1]


def test_viewers_read_but_may_not_write(web):
    r = call(web, "GET", "/pros/work-schemes", who="viewer")
    assert r.status_code == 200
    r = call(web, "POST", "/pros/work-schemes", who="viewer", json={
        "position": "p", "direction": "d", "actions": ACTIONS})
    assert r.status_code == 403 and r.mimetype == PROBLEM


def test_regimes_without_work_standards_are_404(web):
    for method, path in (("GET", "/cs/work-schemes"), ("GET", "/cs/workload?person=x"),
                         ("POST", "/cs/work-records")):
        r = call(web, method, path, json={} if method == "POST" else None)
        assert r.status_code == 404 and "keeps no work standards" in r.get_json()["detail"]


def test_evaluation_and_assessment(web):
    with web.app_context():
        with services.tenant("pros", "hr") as t:
            services.add_person(t, number="M-1", full_name="Mentor", attributes={
                "prosecution_service_start": "2010-01-01", "position_level": "district_prosecutor"})
            services.save_person(t, {"number": "P-2", "full_name": "Bolat", "unit": "Appeals unit",
                                     "attributes": {"entry_route": "competition",
                                                    "first_entry": True},
                                     "valid_from": "2026-03-01"})  # recorded from 1 March
            services.assign_mentor(t, "P-2", "M-1", "2026-03-02", order_number="15",
                                   order_date="2026-03-02")
    r = call(web, "POST", "/pros/mentorships/P-2/assessments", json={
        "role": "mentor", "assessed_on": "2026-03-31", "conclusion": "Ready"})
    assert r.status_code == 201, r.get_data(as_text=True)
    assert r.get_json()["assessor"] == "M-1"
    r = call(web, "GET", "/pros/mentorships/P-2/evaluation", query_string={"as_of": "2026-03-31"})
    data = r.get_json()
    assert data["rule"] == "prosecutor_2022.p11.evaluation" and data["mentor"] == "M-1"
    assert data["assessments"]["mentor"]["conclusion"] == "Ready"
    assert data["assessments"]["manager"] is None
    assert data["workload"]["working_days"] == 18 and data["workload"]["working_hours"] == "144"
    r = call(web, "GET", "/pros/mentorships/NOPE/evaluation")
    assert r.status_code == 404
