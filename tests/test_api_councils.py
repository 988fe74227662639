"""The council endpoints of the REST API (prosecutor_2022 p.17-22) on SQLite and
PostgreSQL: councils, members, meetings with attendance, agenda items, votes, and the
outcome (quorum of 2/3, simple majority, the chair breaking a tie, the explanation, the
findings with their paragraphs); errors as problem+json naming the field; viewers,
other tenants, and regimes without a council."""

import datetime as dt

import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.storage.models import Attendance, Council, CouncilMember, Meeting, Vote, db
from nastavnik.web import create_app

AWARD = [{"name": "Медаль «Мінсіз қызметі үшін»", "date": "2019-06-05", "kind": "state"}]
MEMBERS = [
    ("P01", "Nurlan Chair", "chair", None, {"head_or_deputy": True}),
    ("P02", "Gulmira Deputy", "deputy_chair", "service_awards", {"awards": AWARD}),
    ("P03", "Erbol Secretary", "secretary", "service_awards", {"awards": AWARD}),
    ("P04", "Saule Psychologist", "member", "psychologist_polygraphologist",
     {"psychologist_polygraphologist": True}),
    ("P05", "Kairat Veteran", "member", "veteran", {"veteran_retired_reason": "age_limit"}),
]
ALL = [number for number, *_ in MEMBERS]
CREATED = "2026-01-12"
PROBLEM = "application/problem+json"


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test"})
    with app.app_context():
        for slug, regime in (("akmola", "prosecutor_2022"), ("astana", "prosecutor_2022"),
                             ("civil", "civil_service_2013")):
            services.create_tenant(slug, slug.title(), regime, actor="test", locale="en")
        with services.tenant("akmola", "test") as t:
            for number, name, _, _, attributes in MEMBERS:
                services.add_person(t, number=number, full_name=name, attributes=attributes)
            services.add_person(t, number="X01", full_name="Not a member")
        with services.tenant("astana", "test") as t:
            services.add_person(t, number="P01", full_name="Astana's P01",
                                attributes={"head_or_deputy": True})
        services.users.create_user("hr@akmola.kz", "HR", "correct horse 1")
        for slug in ("akmola", "astana", "civil"):
            services.users.grant("hr@akmola.kz", slug, "hr_officer")
        services.users.create_user("viewer@akmola.kz", "Viewer", "correct horse 2")
        services.users.grant("viewer@akmola.kz", "akmola", "viewer")
        app.tokens = {who: services.tokens.create_token(f"{who}@akmola.kz", "test")[1]
                      for who in ("hr", "viewer")}
    # requests get their own app context, as in production: none is kept pushed here
    yield app
    with app.app_context():
        db.engine.dispose()


class Api:
    def __init__(self, app, who="hr", tenant="akmola"):
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {app.tokens[who]}"}
        self.base = f"/api/v1/tenants/{tenant}"

    def __call__(self, method, path, json=None, **kwargs):
        return self.client.open(self.base + path, method=method, json=json,
                                headers=self.headers, **kwargs)


def problem(response, status, field=None):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.headers["Content-Type"] == PROBLEM
    body = response.get_json(force=True)
    assert body["status"] == status and body["detail"]
    if field is not None:
        assert body.get("field") == field, body
    return body


def council(api, members=MEMBERS, order=True) -> str:
    body = {"name": "Council of mentors", "created_on": CREATED}
    if order:
        body.update(order_number="3-о", order_date=CREATED)
    response = api("POST", "/councils", body)
    assert response.status_code == 201, response.get_json()
    cid = response.get_json()["id"]
    assert response.headers["Location"].endswith(f"/api/v1/tenants/akmola/councils/{cid}")
    for number, _, role, basis, _ in members:
        added = api("POST", f"/councils/{cid}/members",
                    {"person": number, "role": role, "basis": basis})
        assert added.status_code == 201, added.get_json()
    return cid


def meeting(api, cid, present=ALL, title="Report of mentee Y01"):
    response = api("POST", f"/councils/{cid}/meetings", {"date": "2026-02-05", "present": present})
    assert response.status_code == 201, response.get_json()
    meeting_id = response.get_json()["id"]
    item = api("POST", f"/meetings/{meeting_id}/items", {"title": title})
    assert item.status_code == 201, item.get_json()
    return meeting_id, item.get_json()["id"]


def counts(app, slug="akmola"):
    with app.app_context(), services.tenant(slug, "test:read"):
        return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                     for model in (Council, CouncilMember, Meeting, Attendance, Vote))


def test_create_list_and_show_a_council_with_members_findings_and_deadlines(web):
    api = Api(web)
    assert api("GET", "/councils").get_json() == []
    cid = council(api)
    listing = api("GET", "/councils").get_json()
    assert listing == [{"id": cid, "name": "Council of mentors", "created_on": CREATED,
                        "order": {"number": "3-о", "date": CREATED}}]
    meeting(api, cid)
    view = api("GET", f"/councils/{cid}?as_of=2026-02-16").get_json()
    assert view["id"] == cid and view["as_of"] == "2026-02-16"
    assert [(m["person"], m["role"]) for m in view["members"]] == [
        ("P01", "chair"), ("P02", "deputy_chair"), ("P03", "secretary"), ("P04", "member"),
        ("P05", "member")]
    assert view["members"][3] == {"person": "P04", "name": "Saule Psychologist", "role": "member",
                                  "basis": "psychologist_polygraphologist", "attributes": {}}
    (m,) = view["meetings"]
    assert m["date"] == "2026-02-05" and m["present"] == ALL and m["council"] == cid
    assert m["outcome"]["quorate"] is True
    assert m["outcome"]["quorum"] == {"required": 4, "rule": "2/3"}
    # p.20: the first meeting within a month of the council's creation, done
    (first,) = [d for d in view["deadlines"] if d["kind"] == "first_meeting"]
    assert first["paragraph"] == "20" and first["status"] == "done"
    assert first["due"] == "2026-02-12" and first["done_on"] == "2026-02-05" and first["text"]
    assert not [f for f in view["findings"] if f["severity"] == "violation"]


def test_composition_findings_name_their_paragraphs(web):
    api = Api(web)
    cid = council(api, MEMBERS[:4], order=False)  # four members, no order
    view = api("GET", f"/councils/{cid}").get_json()
    found = {f["rule"]: f for f in view["findings"]}
    assert found["prosecutor_2022.p18.size"]["paragraph"] == "18"
    assert found["prosecutor_2022.p17.order"]["paragraph"] == "17"
    assert all(f["text"] and set(f["message"]) == {"ru", "kk", "en"} for f in view["findings"])


def test_quorum_attendance_votes_and_the_tie_broken_by_the_chair(web):
    api = Api(web)
    cid = council(api)
    response = api("POST", f"/councils/{cid}/meetings", {"date": "2026-02-05", "present": ALL[:3]})
    assert response.status_code == 201
    meeting_id = response.get_json()["id"]
    assert response.headers["Location"].endswith(f"/meetings/{meeting_id}/outcome")
    outcome = response.get_json()["outcome"]
    # 3 of 5 present: below 2/3 (at least 4), p.21
    assert outcome["quorate"] is False and (outcome["present"], outcome["members"]) == (3, 5)
    (finding,) = outcome["findings"]
    assert finding["rule"] == "prosecutor_2022.p21.quorum" and finding["paragraph"] == "21"
    assert "not quorate" in finding["text"]

    response = api("PUT", f"/meetings/{meeting_id}/attendance", {"present": ALL})
    assert response.status_code == 200
    assert response.get_json()["present"] == ALL and response.get_json()["outcome"]["quorate"]

    item = api("POST", f"/meetings/{meeting_id}/items", {"title": "Report of mentee Y01"})
    assert item.status_code == 201
    item = item.get_json()
    assert item["position"] == 1 and item["meeting"] == meeting_id and item["hearing"] is None

    votes = {"P01": "for", "P02": "for", "P03": "against", "P04": "against", "P05": "abstain"}
    response = api("PUT", f"/items/{item['id']}/votes", votes)
    assert response.status_code == 200, response.get_json()
    decided = response.get_json()
    assert decided["votes"] == votes
    assert (decided["for"], decided["against"], decided["abstained"]) == (2, 2, 1)
    assert decided["adopted"] is True and decided["tie_broken_by_chair"] is True
    assert decided["decided_by"] == "tie_broken_by_chair" and decided["majority_needed"] == 3

    outcome = api("GET", f"/meetings/{meeting_id}/outcome").get_json()
    assert outcome["meeting"] == meeting_id and outcome["council"] == cid
    assert outcome["rule"] == "prosecutor_2022.p21.decision" and outcome["paragraph"] == "21"
    assert outcome["quorate"] is True and outcome["present_members"] == ALL
    assert ("when votes are equally divided, the side the chair voted for wins"
            in outcome["explanation"])
    (it,) = outcome["items"]
    assert it["id"] == item["id"] and it["tie_broken_by_chair"] and it["adopted"] is True

    # the chair voting against turns the same tie the other way; a vote given again replaces
    response = api("PUT", f"/items/{item['id']}/votes", {"P01": "against", "P03": "for"})
    decided = response.get_json()
    assert decided["adopted"] is False and decided["tie_broken_by_chair"] is True
    assert decided["votes"]["P01"] == "against" and decided["votes"]["P03"] == "for"


def test_outcome_in_the_language_asked_for(web):
    api = Api(web)
    meeting_id, _ = meeting(api, council(api))
    english = api("GET", f"/meetings/{meeting_id}/outcome").get_json()  # the tenant's: en
    russian = api("GET", f"/meetings/{meeting_id}/outcome?lang=ru").get_json()
    assert english["lang"] == "en" and russian["lang"] == "ru"
    assert "quorate" in english["explanation"] and "кворум" in russian["explanation"].lower()
    problem(api("GET", f"/meetings/{meeting_id}/outcome?lang=de"), 422, "lang")


def test_bad_input_is_422_naming_the_field_and_writes_nothing(web):
    api = Api(web)
    cid = council(api)
    meeting_id, item_id = meeting(api, cid, present=ALL[:4])
    before = counts(web)
    problem(api("POST", "/councils", {}), 422, "name")
    problem(api("POST", "/councils", {"name": "X", "created_on": "12.01.2026"}), 422, "created_on")
    problem(api("POST", "/councils", {"name": "X", "created_on": "1999-12-31"}), 422, "created_on")
    # before the regime is in force (2022-01-01): it would have no quorum to be judged by
    body = problem(api("POST", "/councils", {"name": "X", "created_on": "2021-12-31"}), 422,
                   "created_on")
    assert "in force from 2022-01-01" in body["detail"]
    problem(api("POST", "/councils", {"name": "X", "created_on": CREATED, "extra": 1}), 422,
            "extra")
    problem(api("POST", "/councils", {"name": "   ", "created_on": CREATED}), 422, "name")
    problem(api("POST", "/councils", {"name": "a\x00b", "created_on": CREATED}), 422, "name")
    problem(api("POST", f"/councils/{cid}/members", {"person": "NOPE"}), 422, "person")
    problem(api("POST", f"/councils/{cid}/members", {"person": "X01", "role": "chair"}), 422,
            "role")
    problem(api("POST", f"/councils/{cid}/members", {"person": "X01", "role": "boss"}), 422, "role")
    problem(api("POST", f"/councils/{cid}/members", {"person": "P02"}), 422, "person")
    problem(api("POST", f"/councils/{cid}/meetings", {"date": "2026-01-11"}), 422, "date")
    problem(api("POST", f"/councils/{cid}/meetings", {"date": "2026-02-05", "present": ["X01"]}),
            422, "present")
    problem(api("PUT", f"/meetings/{meeting_id}/attendance", {}), 422, "present")
    problem(api("PUT", f"/meetings/{meeting_id}/attendance", {"present": ["NOPE"]}), 422, "present")
    problem(api("POST", f"/meetings/{meeting_id}/items", {"title": ""}), 422, "title")
    problem(api("POST", f"/meetings/{meeting_id}/items", {"title": "T", "hearing": "NOPE"}),
            422, "mentorship")
    problem(api("PUT", f"/items/{item_id}/votes", {}), 422)
    problem(api("PUT", f"/items/{item_id}/votes", ["P01"]), 422)
    problem(api("PUT", f"/items/{item_id}/votes", {"P01": "yes"}), 422, "P01")
    body = problem(api("PUT", f"/items/{item_id}/votes", {"P01": "for", "P05": "for"}), 422, "P05")
    assert "not recorded as present" in body["detail"]
    problem(api("PUT", f"/items/{item_id}/votes", {"P01": "for", "NOPE": "for"}), 422, "NOPE")
    problem(api("GET", f"/councils/{cid}?as_of=someday"), 422, "as_of")
    problem(api("POST", "/councils", data="not json", content_type="application/json"), 400)
    assert counts(web) == before


def test_unknown_ids_and_another_tenants_ids_are_404(web):
    api = Api(web)
    cid = council(api)
    meeting_id, item_id = meeting(api, cid)
    astana = Api(web, tenant="astana")
    other_cid = astana("POST", "/councils",
                       {"name": "Astana council", "created_on": CREATED}).get_json()["id"]
    added = astana("POST", f"/councils/{other_cid}/members", {"person": "P01", "role": "chair"})
    assert added.status_code == 201
    other_meeting = astana("POST", f"/councils/{other_cid}/meetings",
                           {"date": CREATED, "present": ["P01"]}).get_json()["id"]
    other_item = astana("POST", f"/meetings/{other_meeting}/items", {"title": "T"}).get_json()["id"]
    before = counts(web, "astana")
    for method, path, body in (
            ("GET", f"/councils/{other_cid}", None),
            ("POST", f"/councils/{other_cid}/members", {"person": "P01"}),
            ("POST", f"/councils/{other_cid}/meetings", {"date": CREATED, "present": []}),
            ("PUT", f"/meetings/{other_meeting}/attendance", {"present": []}),
            ("POST", f"/meetings/{other_meeting}/items", {"title": "T"}),
            ("PUT", f"/items/{other_item}/votes", {"P01": "for"}),
            ("GET", f"/meetings/{other_meeting}/outcome", None)):
        problem(api(method, path, body), 404)
        problem(api(method, path, {}), 404)  # the path is resolved before the body is read
    assert counts(web, "astana") == before
    for path in ("/councils/nope", f"/councils/{cid[:8]}", f"/meetings/{item_id}/outcome",
                 f"/councils/{meeting_id}",
                 "/meetings/00000000-0000-0000-0000-000000000000/outcome"):
        problem(api("GET", path), 404)
    problem(Api(web, tenant="nowhere")("GET", "/councils"), 404)


def test_viewer_reads_but_may_not_write(web):
    cid = council(Api(web))
    meeting_id, item_id = meeting(Api(web), cid)
    viewer = Api(web, "viewer")
    assert viewer("GET", f"/councils/{cid}").status_code == 200
    assert viewer("GET", f"/meetings/{meeting_id}/outcome").status_code == 200
    before = counts(web)
    for method, path, body in (
            ("POST", "/councils", {"name": "X", "created_on": CREATED}),
            ("POST", f"/councils/{cid}/members", {"person": "X01"}),
            ("POST", f"/councils/{cid}/meetings", {"date": CREATED}),
            ("PUT", f"/meetings/{meeting_id}/attendance", {"present": ALL[:1]}),
            ("POST", f"/meetings/{meeting_id}/items", {"title": "T"}),
            ("PUT", f"/items/{item_id}/votes", {"P01": "against"})):
        problem(viewer(method, path, body), 403)
        problem(viewer(method, path, {}), 403)
    assert counts(web) == before
    # a tenant the viewer is not in: 404, not 403
    problem(Api(web, "viewer", "astana")("POST", "/councils", {}), 404)


def test_regime_without_a_council_is_404_everywhere(web):
    cid = council(Api(web))
    civil = Api(web, tenant="civil")
    body = problem(civil("GET", "/councils"), 404)
    assert "no council" in body["detail"]
    problem(civil("POST", "/councils", {"name": "X", "created_on": CREATED}), 404)
    problem(civil("GET", f"/councils/{cid}"), 404)
    problem(civil("PUT", f"/items/{cid}/votes", {"P01": "for"}), 404)


def test_a_token_is_required(web):
    client = web.test_client()
    response = client.get("/api/v1/tenants/akmola/councils")
    problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = client.post("/api/v1/tenants/akmola/councils", json={},
                           headers={"Authorization": "Bearer nk_wrong"})
    problem(response, 401)


def test_the_council_operations_are_documented(web):
    spec = web.test_client().get("/api/v1/openapi.json").get_json()
    paths = {path: item for path, item in spec["paths"].items() if "/councils" in path
             or "/meetings/" in path or "/items/" in path}
    assert set(paths) == {
        "/api/v1/tenants/{slug}/councils", "/api/v1/tenants/{slug}/councils/{council_id}",
        "/api/v1/tenants/{slug}/councils/{council_id}/members",
        "/api/v1/tenants/{slug}/councils/{council_id}/meetings",
        "/api/v1/tenants/{slug}/meetings/{meeting_id}/attendance",
        "/api/v1/tenants/{slug}/meetings/{meeting_id}/items",
        "/api/v1/tenants/{slug}/items/{item_id}/votes",
        "/api/v1/tenants/{slug}/meetings/{meeting_id}/outcome",
        "/api/v1/tenants/{slug}/meetings/{meeting_id}/paper"}  # the minutes (documents.py)
    votes = paths["/api/v1/tenants/{slug}/items/{item_id}/votes"]["put"]
    body = votes["requestBody"]["content"]["application/json"]["schema"]
    assert body["additionalProperties"]["enum"] == ["for", "against", "abstain"]
    schemas = spec["components"]["schemas"]
    for name in ("CouncilCreate", "CouncilMemberCreate", "CouncilMeetingCreate", "Attendance",
                 "AgendaItemCreate", "VotesSchema", "CouncilArgs", "OutcomeArgs", "Council",
                 "CouncilDetail", "CouncilMember", "CouncilMeeting", "MeetingOutcome",
                 "AgendaItemOutcome", "Quorum", "CouncilOrder"):
        if name not in schemas:
            continue  # query arguments are documented as parameters, not schemas
        undocumented = [p for p, s in schemas[name]["properties"].items()
                        if not s.get("description") and "$ref" not in s and "allOf" not in s]
        assert not undocumented, (name, undocumented)
