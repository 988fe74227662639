"""The API's mentorships, absences, suggestions, findings and deadlines on SQLite and
PostgreSQL: assigning (and the regime's refusal with every finding), replacing, closing,
papers, absences that move the planned end, ranked suggestions, compliance with paragraphs,
pagination, roles and tenants. The fixture and helpers here serve the other API tests too."""

import contextlib
import datetime as dt
import re

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

EFFECTIVE = {"year": 2025, "mark": "effective"}
SERVANT = {"corps": "B", "category": "C-5", "first_appointment": True}
PEOPLE = [
    # number, name, unit, manager, attributes
    ("D1", "Daniyar Direct-Manager", "Legal", None,
     {"public_service_start": "2024-09-01", "last_assessment": EFFECTIVE}),
    ("S1", "Serik Senior", "Legal", None,
     {"public_service_start": "2015-09-01", "last_assessment": EFFECTIVE}),
    ("S2", "Saule Senior", "Finance", None,
     {"public_service_start": "2012-02-01", "last_assessment": EFFECTIVE}),
    ("A1", "Aigerim New", "Legal", "D1", SERVANT),
    ("N1", "Nurlan New", "Legal", "D1", {**SERVANT, "category": "D-5"}),
    ("E1", "Dana New", "Legal", "D1", {**SERVANT, "category": "E-5"}),
]
PROBLEM = "application/problem+json"


class Api:
    """Requests to /api/v1/tenants/... with one of the test users' tokens, each in its own
    app context as in production; and the services, for setting the scene."""

    def __init__(self, app, tokens):
        self.app, self.tokens = app, tokens

    def call(self, method, path, token="hr", headers=None, **kwargs):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {self.tokens[token]}"
        return self.app.test_client().open(f"/api/v1/tenants/{path}", method=method,
                                           headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.call("POST", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.call("PATCH", path, json=json, **kwargs)

    @contextlib.contextmanager
    def work(self, slug="alpha"):
        with self.app.app_context(), services.tenant(slug, "test") as t:
            yield t

    def assign(self, mentee, mentor, on, slug="alpha", **kwargs) -> str:
        with self.work(slug) as t:
            m, _ = services.assign_mentor(t, mentee, mentor, on, **kwargs)
            return str(m.id)


def add_people(slug, people):
    with services.tenant(slug, "test") as t:
        for number, name, unit, manager, attributes in people:
            services.add_person(t, number=number, full_name=name, unit=unit, manager=manager,
                                attributes=attributes)


@pytest.fixture
def api(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test"})
    tokens = {}
    with app.app_context():
        services.create_tenant("alpha", "Alpha agency", "civil_service_2013", actor="test",
                               locale="en")
        services.create_tenant("beta", "Beta agency", "civil_service_2013", actor="test",
                               locale="en")
        add_people("alpha", PEOPLE)
        add_people("beta", PEOPLE[:4])
        for email, grants in [("hr@alpha.kz", [("alpha", "hr_officer"), ("beta", "hr_officer")]),
                              ("viewer@alpha.kz", [("alpha", "viewer")]),
                              ("hr@beta.kz", [("beta", "hr_officer")])]:
            services.users.create_user(email, email, "correct horse 1")
            for slug, role in grants:
                services.users.grant(email, slug, role)
        for key, email in [("hr", "hr@alpha.kz"), ("viewer", "viewer@alpha.kz"),
                           ("beta", "hr@beta.kz")]:
            tokens[key] = services.tokens.create_token(email, "tests")[1]
    # requests get their own app context, as in production (an outer one would share `g`
    # and the database session between requests)
    yield Api(app, tokens)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def problem(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status
    return body


def ok(response, status=200):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()


# --- assigning -------------------------------------------------------------------------------

def test_assign_returns_the_mentorship_with_deadlines_and_paragraphs(api):
    response = api.post("alpha/mentorships", {
        "mentee": "A1", "mentor": "S1", "on": "2026-03-02", "joined_on": "2026-02-26",
        "order": {"number": "31-л", "date": "2026-03-02"}, "term_months": 2,
        "assignment_attributes": {"manager_submission": True, "mentor_consent": True}})
    view = ok(response, 201)
    assert response.headers["Location"] == f"/api/v1/tenants/alpha/mentorships/{view['id']}"
    assert view["mentee"] == "A1" and view["status"] == "open" and view["start"] == "2026-03-02"
    assert view["assignments"] == [{"mentor": "S1", "from": "2026-03-02", "to": None,
                                    "end_reason": None, "fallback": False,
                                    "order": {"number": "31-л", "date": "2026-03-02"},
                                    "attributes": {"manager_submission": True,
                                                   "mentor_consent": True}}]
    assert view["attributes"] == {}
    assert view["term"]["planned_end"] == "2026-05-01"
    assert view["term"]["rule"] == "civil_service_2013.p6.term" and view["term"]["paragraph"] == "6"

    page = ok(api.get(f"alpha/mentorships/{view['id']}?as_of=2026-03-10"))
    plan = next(d for d in page["deadlines"] if d["kind"] == "plan")
    assert plan["rule"] == "civil_service_2013.p12.plan" and plan["paragraph"] == "12"
    assert plan["due"] == "2026-03-05" and plan["status"] == "overdue"
    assert {d["paragraph"] for d in page["deadlines"]} >= {"12", "17"}
    assert all(set(d["message"]) == {"ru", "kk", "en"} for d in page["deadlines"])
    assert page["papers"] == []
    # the same as of another day: the statuses move, nothing else
    early = ok(api.get(f"alpha/mentorships/{view['id']}?as_of=2026-03-03"))
    assert next(d for d in early["deadlines"] if d["kind"] == "plan")["status"] == "due_soon"


def test_a_refused_assignment_lists_every_finding_and_writes_nothing(api):
    api.assign("A1", "S1", dt.date(2026, 4, 1), term_months=2)
    api.assign("N1", "S1", dt.date(2026, 4, 15), term_months=2)
    before = ok(api.get("alpha/mentorships"))["total"]
    body = problem(api.post("alpha/mentorships", {"mentee": "E1", "mentor": "S1",
                                                   "on": "2026-05-04", "term_months": 2}), 422)
    assert body["type"].endswith("/problems/refused")
    rules = {f["rule"]: f for f in body["findings"]}
    capacity = rules["civil_service_2013.p10.capacity"]
    assert capacity["paragraph"] == "10" and capacity["severity"] == "violation"
    assert set(capacity["message"]) == {"ru", "kk", "en"} and "Serik Senior" in capacity["message"]["en"]
    # a reader sees the mentor's and the other mentees' names; programs keep the ids
    assert "(also: Aigerim New, Nurlan New)" in capacity["message"]["en"]
    assert capacity["facts"]["mentor"] == "S1"
    assert all(re.fullmatch(r"[0-9a-f-]{36}/a\d+", s) for s in capacity["facts"]["others"])
    assert ok(api.get("alpha/mentorships"))["total"] == before
    assert ok(api.get("alpha/mentorships?mentee=E1"))["total"] == 0
    # the day after one of them ends, the same assignment is allowed
    ok(api.post("alpha/mentorships", {"mentee": "E1", "mentor": "S1", "on": "2026-06-01",
                                      "term_months": 1}), 201)


def test_assign_bad_input_names_the_field(api):
    cases = [
        ({"mentee": "NOBODY", "mentor": "S1", "on": "2026-03-02"}, "mentee"),
        ({"mentee": "A1", "mentor": "NOBODY", "on": "2026-03-02"}, "mentor"),
        ({"mentee": "A1", "mentor": "S1", "on": "2026-02-30"}, "on"),
        ({"mentee": "A1", "mentor": "S1"}, "on"),
        ({"mentee": "A1", "mentor": "S1", "on": "1999-12-31"}, "on"),
        ({"mentee": "A1", "mentor": "S1", "on": "2026-03-02", "order": {"date": "x"}},
         "order.date"),
        ({"mentee": "A1", "mentor": "S1", "on": "2026-03-02", "mentorr": "S1"}, "mentorr"),
        ({"mentee": "A1", "mentor": "S1", "on": "2026-03-02", "term_months": 0}, "term_months"),
        ({"mentee": "A1", "mentor": "S1", "on": "2026-03-02",
          "attributes": {"head_decision_number": "12"}}, "attributes.head_decision_date"),
        ({"mentee": "A1", "mentor": "S1", "on": "2026-03-02",
          "attributes": {"internship_end": "2026-06-30"}}, "attributes.internship_end"),
        ({"mentee": "A1", "mentor": "S1", "on": "2026-03-02",
          "assignment_attributes": {"mentor_consent": "yes"}},
         "assignment_attributes.mentor_consent"),
        ({"mentee": "A1", "mentor": "A1", "on": "2026-03-02"}, "mentor"),
        ({"mentee": "A1\x00", "mentor": "S1", "on": "2026-03-02"}, "mentee"),
    ]
    for body, field in cases:
        assert problem(api.post("alpha/mentorships", body), 422)["field"] == field, body
    assert ok(api.get("alpha/mentorships"))["total"] == 0


# --- one mentorship: replace, papers, absences, close ----------------------------------------

def test_replace_papers_absence_and_close(api):
    mid = api.assign("A1", "S1", dt.date(2026, 3, 2))
    view = ok(api.get(f"alpha/mentorships/{mid}?as_of=2026-03-10"))
    assert view["term"]["planned_end"] == "2026-05-01"

    # a paper done: its deadline is done
    view = ok(api.post(f"alpha/mentorships/{mid}/papers",
                       {"kind": "plan", "done_on": "2026-03-04", "approved_by": "D1"}))
    assert view["papers"] == [{"kind": "plan", "done_on": "2026-03-04", "approved_by": "D1",
                               "attributes": {}}]
    assert next(d for d in view["deadlines"] if d["kind"] == "plan")["status"] == "done"
    assert problem(api.post(f"alpha/mentorships/{mid}/papers",
                            {"kind": "novel", "done_on": "2026-03-04"}), 422)["field"] == "kind"
    assert problem(api.post(f"alpha/mentorships/{mid}/papers",
                            {"kind": "plan", "done_on": "2025-01-01"}), 422)["field"] == "done_on"

    # an absence for a valid reason moves the planned end (p.6) by its days
    absence = ok(api.post("alpha/absences", {"person": "A1", "from": "2026-03-10",
                                             "to": "2026-03-12", "reason": "sick leave"}), 201)
    assert absence["from"] == "2026-03-10" and absence["to"] == "2026-03-12"
    assert absence["valid"] is True and absence["person"] == "A1"
    view = ok(api.get(f"alpha/mentorships/{mid}?as_of=2026-03-10"))
    assert view["term"]["planned_end"] == "2026-05-04"
    # one without a valid reason does not
    ok(api.post("alpha/absences", {"person": "A1", "from": "2026-03-16", "to": "2026-03-17",
                                   "valid": False}), 201)
    assert ok(api.get(f"alpha/mentorships/{mid}"))["term"]["planned_end"] == "2026-05-04"
    assert problem(api.post("alpha/absences", {"person": "A1", "from": "2026-03-12",
                                               "to": "2026-03-10"}), 422)["field"] == "to"
    assert problem(api.post("alpha/absences", {"person": "ZZ", "from": "2026-03-10",
                                               "to": "2026-03-12"}), 422)["field"] == "person"

    # another mentor from 1 April; the term stays
    view = ok(api.post(f"alpha/mentorships/{mid}/replace",
                       {"mentor": "S2", "on": "2026-04-01", "reason": "transfer",
                        "order": {"number": "40-л", "date": "2026-03-31"}}))
    assert [(a["mentor"], a["from"], a["to"], a["end_reason"]) for a in view["assignments"]] == [
        ("S1", "2026-03-02", "2026-03-31", "transfer"), ("S2", "2026-04-01", None, None)]
    assert view["assignments"][1]["order"] == {"number": "40-л", "date": "2026-03-31"}
    assert view["term"]["planned_end"] == "2026-05-04"
    assert problem(api.post(f"alpha/mentorships/{mid}/replace",
                            {"mentor": "S2", "on": "2026-04-02", "reason": "transfer"}),
                   422)["field"] == "mentor"
    assert problem(api.post(f"alpha/mentorships/{mid}/replace",
                            {"mentor": "S1", "on": "2026-04-02", "reason": "boredom"}),
                   422)["field"] == "reason"
    refusal = problem(api.post(f"alpha/mentorships/{mid}/replace",
                               {"mentor": "D1", "on": "2026-04-10", "reason": "transfer"}), 422)
    assert refusal["type"].endswith("/problems/refused")
    assert any(f["rule"] == "civil_service_2013.p8.service" and f["paragraph"] == "8.1"
               for f in refusal["findings"])

    # closed on its last day
    view = ok(api.post(f"alpha/mentorships/{mid}/close", {"on": "2026-05-04"}))
    assert view["status"] == "closed" and view["ended_on"] == "2026-05-04"
    assert view["assignments"][-1]["to"] == "2026-05-04"
    assert view["assignments"][-1]["end_reason"] == "end_of_mentorship"
    assert problem(api.post(f"alpha/mentorships/{mid}/close", {"on": "2026-05-05"}),
                   422)["field"] == "mentorship"
    assert ok(api.get("alpha/mentorships?status=closed"))["total"] == 1
    assert ok(api.get("alpha/mentorships?status=open"))["total"] == 0


def test_list_filters_and_pagination(api):
    ids = [api.assign(mentee, mentor, dt.date(2026, 3, day), term_months=1)
           for mentee, mentor, day in [("A1", "S1", 2), ("N1", "S1", 3), ("E1", "S2", 4)]]
    with api.work() as t:
        services.close_mentorship(t, ids[0], dt.date(2026, 3, 20))
    everything = ok(api.get("alpha/mentorships"))
    assert everything["total"] == 3 and [m["id"] for m in everything["items"]] == ids
    first = ok(api.get("alpha/mentorships?limit=2"))
    assert (first["total"], first["limit"], first["offset"], len(first["items"])) == (3, 2, 0, 2)
    rest = ok(api.get("alpha/mentorships?limit=2&offset=2"))
    assert [m["id"] for m in rest["items"]] == ids[2:] and rest["total"] == 3
    beyond = ok(api.get("alpha/mentorships?offset=10"))
    assert beyond["items"] == [] and beyond["total"] == 3
    open_ = ok(api.get("alpha/mentorships?status=open"))
    assert open_["total"] == 2 and {m["mentee"] for m in open_["items"]} == {"N1", "E1"}
    by_mentor = ok(api.get("alpha/mentorships?mentor=S1"))
    assert [(m["mentee"], m["mentor_name"]) for m in by_mentor["items"]] == [("N1", "Serik Senior")]
    assert problem(api.get("alpha/mentorships?status=paused"), 422)["field"] == "status"
    assert problem(api.get("alpha/mentorships?limit=0"), 422)["field"] == "limit"
    assert problem(api.get("alpha/mentorships?limit=x"), 422)["field"] == "limit"


# --- suggestions -----------------------------------------------------------------------------

def test_suggestions_rank_the_eligible_and_explain_the_excluded(api):
    api.assign("N1", "S1", dt.date(2026, 3, 2), term_months=2)
    found = ok(api.get("alpha/suggestions?mentee=A1&on=2026-03-10"))
    assert found["mentee"] == "A1" and found["on"] == "2026-03-10" and found["capacity"] == 2
    # S1 is in the mentee's unit: first, though S2 (another unit) has more free places
    assert [(e["number"], e["load"], e["free"]) for e in found["eligible"]] == [
        ("S1", 1, 1), ("S2", 0, 2)]
    assert found["eligible_count"] == 2
    excluded = {e["number"]: e for e in found["excluded"]}
    assert "D1" in excluded and "A1" not in {e["number"] for e in found["eligible"]}
    reasons = {f["rule"]: f for f in excluded["D1"]["findings"]}
    assert reasons["civil_service_2013.p8.service"]["paragraph"] == "8.1"
    assert "Daniyar Direct-Manager" in reasons["civil_service_2013.p8.service"]["message"]["en"]
    assert len(ok(api.get("alpha/suggestions?mentee=A1&on=2026-03-10&limit=1"))["eligible"]) == 1
    assert problem(api.get("alpha/suggestions?mentee=NOBODY&on=2026-03-10"), 422)["field"] == "mentee"
    assert problem(api.get("alpha/suggestions?on=2026-03-10"), 422)["field"] == "mentee"
    assert problem(api.get("alpha/suggestions?mentee=A1&on=tomorrow"), 422)["field"] == "on"


# --- findings and deadlines ------------------------------------------------------------------

def test_findings_and_deadlines_cite_their_paragraphs(api):
    mid = api.assign("A1", "S1", dt.date(2026, 3, 2), order_number="31-л",
                     order_date=dt.date(2026, 3, 2))
    api.assign("N1", "S2", dt.date(2026, 3, 16))
    with api.work() as t:
        services.record_paper(t, mid, "plan", dt.date(2026, 3, 4))

    deadlines = ok(api.get("alpha/deadlines?as_of=2026-03-17"))
    assert deadlines["as_of"] == "2026-03-17"
    assert deadlines["total"] == len(deadlines["items"]) > 2
    for d in deadlines["items"]:
        assert d["rule"].startswith("civil_service_2013.p") and d["paragraph"]
        assert d["status"] in ("done", "done_late", "due", "due_soon", "overdue")
        assert d["text"] == d["message"]["en"] and d["mentee"] in ("A1", "N1")
    dues = [d["due"] for d in deadlines["items"]]
    assert dues == sorted(dues)
    plans = {d["mentee"]: d for d in deadlines["items"] if d["kind"] == "plan"}
    assert plans["A1"]["status"] == "done" and plans["A1"]["paragraph"] == "12"
    assert plans["N1"]["status"] == "due_soon" and plans["N1"]["due"] == "2026-03-19"

    done = ok(api.get("alpha/deadlines?as_of=2026-03-17&status=done"))
    assert [(d["mentee"], d["kind"]) for d in done["items"]] == [("A1", "plan")]
    several = ok(api.get("alpha/deadlines?as_of=2026-03-17&status=done&status=due_soon"))
    assert several["total"] == done["total"] + sum(
        d["status"] == "due_soon" for d in deadlines["items"])
    paged = ok(api.get("alpha/deadlines?as_of=2026-03-17&limit=2&offset=1"))
    assert paged["total"] == deadlines["total"] and paged["items"] == deadlines["items"][1:3]
    mine = ok(api.get("alpha/deadlines?as_of=2026-03-17&mentee=N1&kind=plan"))
    assert [d["due"] for d in mine["items"]] == ["2026-03-19"]

    # within N working days: overdue or due that soon, nothing done
    soon = ok(api.get("alpha/deadlines?as_of=2026-03-17&within=1"))
    assert soon["items"] == []
    soon = ok(api.get("alpha/deadlines?as_of=2026-03-17&within=2"))
    assert [(d["mentee"], d["kind"], d["status"]) for d in soon["items"]] == [
        ("N1", "plan", "due_soon")]
    later = ok(api.get("alpha/deadlines?as_of=2026-03-23&within=2"))
    assert ("N1", "plan", "overdue") in [(d["mentee"], d["kind"], d["status"])
                                         for d in later["items"]]
    assert problem(api.get("alpha/deadlines?within=-1"), 422)["field"] == "within"
    # the first bad value of a repeated parameter, by its index
    assert problem(api.get("alpha/deadlines?status=due&status=late"), 422)["field"] == "status.1"
    assert problem(api.get("alpha/deadlines?as_of=2026-13-01"), 422)["field"] == "as_of"

    # findings, each with its rule, paragraph and severity
    findings = ok(api.get("alpha/findings?as_of=2026-03-23"))
    assert findings["total"] == len(findings["items"]) > 0
    for f in findings["items"]:
        assert f["rule"].startswith("civil_service_2013.") and f["paragraph"]
        assert f["severity"] in ("violation", "warning", "info") and f["text"]
    rules = {f["rule"] for f in findings["items"]}
    one = sorted(rules)[0]
    only = ok(api.get(f"alpha/findings?as_of=2026-03-23&rule={one}"))
    assert only["total"] == sum(f["rule"] == one for f in findings["items"]) > 0
    violations = ok(api.get("alpha/findings?as_of=2026-03-23&severity=violation"))
    assert all(f["severity"] == "violation" for f in violations["items"])
    assert ok(api.get("alpha/findings?as_of=2026-03-23&mentee=N1&limit=1"))["limit"] == 1
    assert problem(api.get("alpha/findings?severity=fatal"), 422)["field"] == "severity.0"


# --- roles, tenants, tokens ------------------------------------------------------------------

def test_viewers_read_but_may_not_write(api):
    mid = api.assign("A1", "S1", dt.date(2026, 3, 2))
    assert ok(api.get("alpha/mentorships", token="viewer"))["total"] == 1
    ok(api.get(f"alpha/mentorships/{mid}", token="viewer"))
    ok(api.get("alpha/suggestions?mentee=N1&on=2026-03-02", token="viewer"))
    ok(api.get("alpha/findings", token="viewer"))
    writes = [
        ("alpha/mentorships", {"mentee": "N1", "mentor": "S2", "on": "2026-03-02"}),
        (f"alpha/mentorships/{mid}/replace", {"mentor": "S2", "on": "2026-04-01",
                                              "reason": "transfer"}),
        (f"alpha/mentorships/{mid}/close", {"on": "2026-04-01"}),
        (f"alpha/mentorships/{mid}/papers", {"kind": "plan", "done_on": "2026-03-04"}),
        ("alpha/absences", {"person": "A1", "from": "2026-03-10", "to": "2026-03-12"}),
    ]
    for path, body in writes:
        assert "may not change" in problem(api.post(path, body, token="viewer"), 403)["detail"]
    view = ok(api.get(f"alpha/mentorships/{mid}"))
    assert view["papers"] == [] and view["status"] == "open" and len(view["assignments"]) == 1


def test_another_tenants_mentorship_is_not_found(api):
    theirs = api.assign("A1", "S1", dt.date(2026, 3, 2), slug="beta")
    ours = api.assign("A1", "S1", dt.date(2026, 3, 2))
    assert problem(api.get(f"alpha/mentorships/{theirs}"), 404)["field"] == "mentorship"
    for action, body in [("replace", {"mentor": "S2", "on": "2026-04-01", "reason": "transfer"}),
                         ("close", {"on": "2026-04-01"}),
                         ("papers", {"kind": "plan", "done_on": "2026-03-04"})]:
        problem(api.post(f"alpha/mentorships/{theirs}/{action}", body), 404)
        # the path is resolved first: a bad body on another tenant's id is still a 404 ...
        # once the body parses; and a viewer's write on it is a 403 before anything
    assert ok(api.get(f"beta/mentorships/{theirs}"))["status"] == "open"
    assert ok(api.get(f"alpha/mentorships/{ours}"))["status"] == "open"
    # a user not in the tenant: the tenant itself is not found
    problem(api.get("alpha/mentorships", token="beta"), 404)
    problem(api.get(f"alpha/mentorships/{ours}", token="beta"), 404)
    problem(api.post("alpha/mentorships", {"mentee": "N1", "mentor": "S2", "on": "2026-03-02"},
                     token="beta"), 404)
    problem(api.get("nowhere/mentorships"), 404)
    problem(api.get("alpha/mentorships/no-such-id"), 404)
    problem(api.get("alpha/mentorships/x%00y"), 404)


def test_no_or_bad_token_is_401(api):
    for path in ("alpha/mentorships", "alpha/findings", "alpha/deadlines",
                 "alpha/suggestions?mentee=A1"):
        body = problem(api.get(path, token=None), 401)
        assert "token" in body["detail"]
    response = api.get("alpha/mentorships", token=None,
                       headers={"Authorization": "Bearer nk_not-a-token"})
    assert problem(response, 401) and response.headers["WWW-Authenticate"].startswith("Bearer")
    problem(api.post("alpha/absences", {"person": "A1", "from": "2026-03-10",
                                        "to": "2026-03-12"}, token=None), 401)
    # the query token is for the calendar feed only
    problem(api.get(f"alpha/mentorships?token={api.tokens['hr']}", token=None), 401)


# --- the OpenAPI document --------------------------------------------------------------------

OURS = ["people", "people/{number}", "person-schema", "settings-schema", "mentorships",
        "mentorships/{ref}", "mentorships/{ref}/replace", "mentorships/{ref}/close",
        "mentorships/{ref}/papers", "absences", "suggestions", "findings", "deadlines",
        "deadlines.ics"]


def test_every_field_of_these_endpoints_is_described(tmp_path):
    """Each parameter, and each property of each request and response schema (followed
    through references), of the people, mentorship, compliance and feed endpoints has a
    description; each operation a summary and its error responses as problem+json."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/unused.sqlite3",
                      "TESTING": True, "SECRET_KEY": "test"})
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    missing, seen = [], set()

    def walk(schema, where):
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                walk(schemas[name], name)
            return
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                walk(schema[key], where)
        for name, prop in (schema.get("properties") or {}).items():
            if "description" not in prop and "$ref" not in prop:
                missing.append(f"{where}.{name}")
            walk(prop, f"{where}.{name}")

    operations = 0
    for path in OURS:
        path = f"/api/v1/tenants/{{slug}}/{path}"
        item = spec["paths"][path]
        for param in item.get("parameters", []):
            if "description" not in param:
                missing.append(f"{path} {param['name']}")
        for method, op in item.items():
            if method == "parameters":
                continue
            operations += 1
            assert op.get("summary"), (method, path)
            for param in op.get("parameters", []):
                if "description" not in param:
                    missing.append(f"{method} {path} ?{param['name']}")
            for content in op.get("requestBody", {}).get("content", {}).values():
                walk(content["schema"], f"{method} {path} body")
            for code, response in op["responses"].items():
                if code == "default":
                    continue
                if code.startswith(("4", "5")):
                    assert "application/problem+json" in response["content"], (method, path, code)
                for content in response.get("content", {}).values():
                    walk(content["schema"], f"{method} {path} {code}")
    assert operations == 17
    assert missing == []
