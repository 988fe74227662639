"""The API's people on SQLite and PostgreSQL: add, list (search, unit, pages), show, change
(attributes merged, then checked against the regime's schema: a bad one is a 422 naming it),
the regime's JSON Schemas, roles, tenants and tokens."""

from test_api_mentorships import PEOPLE, api, ok, problem  # noqa: F401  (api: the fixture)

from nastavnik import services

SERVANT = {"corps": "B", "category": "C-5", "first_appointment": True}


def test_add_show_change_a_person(api):
    body = {"number": "P-100", "full_name": "Asel Newcomer", "unit": "Legal",
            "position": "Expert", "manager": "D1", "hired_on": "2026-02-02",
            "attributes": {**SERVANT, "last_assessment": {"year": 2025, "mark": "effective"}}}
    response = api.post("alpha/people", body)
    person = ok(response, 201)
    # the facts by date: one version, from hiring (no holds-from day was given)
    first = {"valid_from": "2026-02-02", "unit": "Legal", "position": "Expert", "manager": "D1",
             "attributes": body["attributes"],
             "changed": ["unit", "position", "manager", "attributes"]}
    assert person == {**body, "history": [first]}
    assert response.headers["Location"] == "/api/v1/tenants/alpha/people/P-100"
    assert ok(api.get("alpha/people/P-100")) == {**body, "history": [first]}

    # PATCH: fields left out stay; attributes are a merge patch (null removes a key)
    changed = ok(api.patch("alpha/people/P-100", {
        "position": None, "unit": "Finance",
        "attributes": {"category": "D-4", "first_appointment": None,
                       "last_assessment": {"year": 2026}}}))
    assert changed["full_name"] == "Asel Newcomer" and changed["manager"] == "D1"
    assert changed["position"] is None and changed["unit"] == "Finance"
    assert changed["attributes"] == {"corps": "B", "category": "D-4",
                                     "last_assessment": {"year": 2026, "mark": "effective"}}
    assert ok(api.get("alpha/people/P-100")) == changed
    assert [v["changed"] for v in changed["history"]][1:] == [
        ["unit", "position", "attributes.category", "attributes.first_appointment",
         "attributes.last_assessment"]]
    ok(api.patch("alpha/people/P-100", {"manager": None, "hired_on": None, "attributes": None}))
    person = ok(api.get("alpha/people/P-100"))
    assert person["manager"] is None and person["hired_on"] is None
    assert person["attributes"] == {}
    # hired long before the working-day calendars begin
    assert ok(api.patch("alpha/people/P-100", {"hired_on": "1994-09-01"}))["hired_on"] == \
        "1994-09-01"

    # a personnel number with a slash is a personnel number
    ok(api.post("alpha/people", {"number": "12/345", "full_name": "Slash"}), 201)
    assert ok(api.get("alpha/people/12/345"))["full_name"] == "Slash"


def test_a_change_holds_from_its_day_and_patches_the_facts_of_that_day(api):
    ok(api.post("alpha/people", {"number": "P-7", "full_name": "Dated", "unit": "Legal",
                                 "hired_on": "2025-01-10", "attributes": SERVANT}), 201)
    ok(api.patch("alpha/people/P-7", {"unit": "Finance", "valid_from": "2026-06-01"}))
    # a change dated before it: the attributes patched are those of 1 March, the unit
    # of 1 June stays the latest
    person = ok(api.patch("alpha/people/P-7", {"valid_from": "2026-03-01",
                                               "attributes": {"category": "D-4"}}))
    assert person["unit"] == "Finance" and person["attributes"]["category"] == SERVANT["category"]
    assert [(v["valid_from"], v["unit"], v["attributes"].get("category"))
            for v in person["history"]] == [
        ("2025-01-10", "Legal", SERVANT["category"]), ("2026-03-01", "Legal", "D-4"),
        ("2026-06-01", "Finance", SERVANT["category"])]
    assert problem(api.patch("alpha/people/P-7", {"valid_from": "June"}), 422)["field"] == \
        "valid_from"


def test_schema_invalid_attributes_are_422_naming_the_field(api):
    cases = [
        ({"category": "Z-9"}, "attributes.category"),
        ({"last_assessment": {"year": 2025, "mark": "great"}}, "attributes.last_assessment.mark"),
        ({"disciplinary_penalties": [{"imposed": "yesterday"}]},
         "attributes.disciplinary_penalties[0].imposed"),
        ({"favourite_colour": "blue"}, "attributes"),
        ({"prior_service_months": -1}, "attributes.prior_service_months"),
        ({"kind": "a\x00b"}, "attributes.kind"),
    ]
    for attributes, field in cases:
        body = problem(api.post("alpha/people", {"number": "P-1", "full_name": "X",
                                                 "attributes": attributes}), 422)
        assert body["field"] == field, (attributes, body)
    assert problem(api.get("alpha/people/P-1"), 404)

    # the same through PATCH: nothing changes
    before = ok(api.get("alpha/people/A1"))
    body = problem(api.patch("alpha/people/A1", {"full_name": "Renamed",
                                                 "attributes": {"corps": "Z"}}), 422)
    assert body["field"] == "attributes.corps" and "corps" in body["detail"]
    assert ok(api.get("alpha/people/A1")) == before


def test_other_bad_input_names_the_field(api):
    cases = [
        ({"number": "S1", "full_name": "Taken"}, "number"),
        ({"number": "P-2", "full_name": ""}, "full_name"),
        ({"full_name": "No number"}, "number"),
        ({"number": "P-2", "full_name": "X", "manager": "NOBODY"}, "manager"),
        ({"number": "P-2", "full_name": "X", "hired_on": "2026-02-30"}, "hired_on"),
        ({"number": "P-2", "full_name": "X", "salary": 100}, "salary"),
        ({"number": "P-2", "full_name": "X" * 256}, "full_name"),
        ({"number": "P-2", "full_name": "X", "attributes": []}, "attributes"),
        ({"number": "P-2", "full_name": "X", "unit": "Le\x00gal"}, "unit"),
        ({"number": "P-2", "full_name": "Self", "manager": "P-2"}, "manager"),
    ]
    for body, field in cases:
        assert problem(api.post("alpha/people", body), 422)["field"] == field, body
    assert problem(api.patch("alpha/people/A1", {"number": "A2"}), 422)["field"] == "number"
    assert problem(api.patch("alpha/people/A1", {"manager": "NOBODY"}), 422)["field"] == "manager"
    assert problem(api.patch("alpha/people/A1", {"full_name": ""}), 422)["field"] == "full_name"
    assert problem(api.patch("alpha/people/A1", {"manager": "A1"}), 422)["field"] == "manager"
    problem(api.call("POST", "alpha/people", data="not json",  # malformed, not invalid
                     headers={"Content-Type": "application/json"}), 400)
    assert ok(api.get("alpha/people"))["total"] == len(PEOPLE)


def test_list_search_unit_and_pages(api):
    everyone = ok(api.get("alpha/people"))
    assert everyone["total"] == len(PEOPLE) and everyone["limit"] == 50
    assert [p["number"] for p in everyone["items"]] == sorted(p[0] for p in PEOPLE)
    first = ok(api.get("alpha/people?limit=4"))
    second = ok(api.get("alpha/people?limit=4&offset=4"))
    assert (first["total"], second["total"]) == (len(PEOPLE), len(PEOPLE))
    assert [p["number"] for p in first["items"] + second["items"]] == \
        [p["number"] for p in everyone["items"]]
    assert len(second["items"]) == len(PEOPLE) - 4 and second["offset"] == 4
    found = ok(api.get("alpha/people?search=senior"))
    assert [p["number"] for p in found["items"]] == ["S1", "S2"] and found["total"] == 2
    assert [p["number"] for p in ok(api.get("alpha/people?search=s2"))["items"]] == ["S2"]
    finance = ok(api.get("alpha/people?unit=Finance"))
    assert [p["number"] for p in finance["items"]] == ["S2"]
    legal = ok(api.get("alpha/people?unit=Legal&search=new&limit=1"))
    assert legal["total"] == 3 and len(legal["items"]) == 1
    assert ok(api.get("alpha/people?search=nobody"))["total"] == 0
    assert problem(api.get("alpha/people?limit=501"), 422)["field"] == "limit"
    assert problem(api.get("alpha/people?offset=-1"), 422)["field"] == "offset"
    # pages are cut in the database: an offset past any integer it keeps is refused, one
    # past the end is an empty page
    for listing in ("people", "mentorships"):
        assert problem(api.get(f"alpha/{listing}?offset={2**63}"), 422)["field"] == "offset"
        beyond = ok(api.get(f"alpha/{listing}?offset={2**31 - 1}"))
        assert beyond["items"] == [] and beyond["offset"] == 2**31 - 1
    # a viewer reads
    assert ok(api.get("alpha/people", token="viewer"))["total"] == len(PEOPLE)


def test_the_regimes_json_schemas(api):
    person = ok(api.get("alpha/person-schema"))
    assert person["type"] == "object" and "public_service_start" in person["properties"]
    assert person["properties"]["category"]["pattern"]
    settings = ok(api.get("alpha/settings-schema", token="viewer"))
    assert settings["properties"]["default_term_months"]["enum"] == [1, 2]
    problem(api.get("beta/person-schema", token="viewer"), 404)


def test_roles_tenants_and_tokens(api):
    # a viewer may not write
    assert problem(api.post("alpha/people", {"number": "P-3", "full_name": "X"},
                            token="viewer"), 403)["status"] == 403
    problem(api.patch("alpha/people/A1", {"full_name": "X"}, token="viewer"), 403)
    assert ok(api.get("alpha/people/A1"))["full_name"] == "Aigerim New"
    # no token, a bad one
    problem(api.get("alpha/people", token=None), 401)
    problem(api.get("alpha/people", token=None, headers={"Authorization": "Basic eDp5"}), 401)
    problem(api.post("alpha/people", {"number": "P-3", "full_name": "X"}, token=None), 401)
    # a tenant the user is not in, an unknown tenant, another tenant's person: 404
    problem(api.get("alpha/people", token="beta"), 404)
    problem(api.get("alpha/people/A1", token="beta"), 404)
    problem(api.patch("alpha/people/A1", {"full_name": "X"}, token="beta"), 404)
    problem(api.get("nowhere/people"), 404)
    with api.work("beta") as t:
        from nastavnik import services
        services.add_person(t, number="B-ONLY", full_name="Only in Beta")
    assert ok(api.get("beta/people/B-ONLY"))["full_name"] == "Only in Beta"
    assert problem(api.get("alpha/people/B-ONLY"), 404)["field"] == "person"
    problem(api.patch("alpha/people/B-ONLY", {"full_name": "X"}), 404)
    problem(api.get("alpha/people/A%001"), 404)
    # a manager who is only in the other tenant is nobody here
    assert problem(api.post("alpha/people", {"number": "P-4", "full_name": "X",
                                             "manager": "B-ONLY"}), 422)["field"] == "manager"


def test_tenant_settings_are_changed_by_its_admin_and_checked_against_the_schema(database_url):
    """PATCH /tenants/<slug>: settings validated by the regime's JSON Schema (422 naming the
    field, nothing changed); a non-admin role gets 403; another tenant's user 404."""
    from nastavnik.storage.models import db
    from nastavnik.web import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    with app.app_context():
        services.create_tenant("edu", "Education", "education_reserve", actor="test",
                               settings={"min_experience_years": 3})
        services.create_tenant("other", "Other", "civil_service_2013", actor="test")
        tokens = {}
        for email, slug, role in (("boss@edu.ru", "edu", "tenant_admin"),
                                  ("hr@edu.ru", "edu", "hr_officer"),
                                  ("x@other.kz", "other", "tenant_admin")):
            services.users.create_user(email, email, "correct horse 9")
            services.users.grant(email, slug, role)
            tokens[email] = services.tokens.create_token(email, "test")[1]
    client = app.test_client()

    def patch(email, body):
        return client.patch("/api/v1/tenants/edu", json=body,
                            headers={"Authorization": f"Bearer {tokens[email]}"})

    ok = patch("boss@edu.ru", {"settings": {"min_experience_years": 5}, "locale": "en",
                               "extra_days_off": ["2026-12-31"]})
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["settings"] == {"min_experience_years": 5}
    assert ok.get_json()["extra_days_off"] == ["2026-12-31"]
    bad = patch("boss@edu.ru", {"settings": {"min_experience_years": "five"}})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert "min_experience_years" in bad.get_json()["detail"]
    assert patch("hr@edu.ru", {"locale": "ru"}).status_code == 403
    assert patch("x@other.kz", {"locale": "ru"}).status_code == 404
    with app.app_context():
        tenant = services.get_tenant("edu")
        assert tenant.settings == {"min_experience_years": 5} and tenant.locale == "en"
        db.engine.dispose()


def test_tenant_patch_is_all_or_nothing(database_url):
    """Valid settings with an invalid calendar: a 422, and the settings are not changed."""
    from nastavnik.storage.models import db
    from nastavnik.web import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True})
    with app.app_context():
        services.create_tenant("edu", "Education", "education_reserve", actor="test",
                               settings={"min_experience_years": 3})
        services.users.create_user("boss@edu.ru", "Boss", "correct horse 9")
        services.users.grant("boss@edu.ru", "edu", "tenant_admin")
        token = services.tokens.create_token("boss@edu.ru", "test")[1]
    response = app.test_client().patch(
        "/api/v1/tenants/edu", headers={"Authorization": f"Bearer {token}"},
        json={"settings": {"min_experience_years": 7}, "extra_days_off": ["2026-12-31"],
              "extra_working_days": ["2026-12-31"]})
    assert response.status_code == 422 and response.get_json()["field"] == "extra_working_days"
    with app.app_context():
        tenant = services.get_tenant("edu")
        assert tenant.settings == {"min_experience_years": 3} and tenant.extra_days_off == []
        db.engine.dispose()
