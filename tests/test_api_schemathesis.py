"""The REST API against its own OpenAPI document, with schemathesis: generated requests
to every operation (bounded, so that it stays within a CI run) on SQLite with the demo
tenants and a valid token. Every answer must be no server error and conform to the
document (status, content type, schema). And the document itself: valid OpenAPI 3.0, and
every operation has a summary and its responses.

Path parameters are mostly mapped to the demo's real records (a tenant's slug, its
council, meeting and agenda item ids, personnel numbers, mentorship ids), so that the
generated requests reach the data and not only the 404s."""

from __future__ import annotations

import datetime as dt
import zlib

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from nastavnik import demo, services
from nastavnik.storage.models import (AgendaItem, Council, CouncilMember, Meeting, Mentorship,
                                      Person, db)
from nastavnik.web import create_app

AS_OF = dt.date(2026, 3, 16)
EMAIL = "root@schemathesis.kz"


def _pick(value, choices: list):
    """One of ``choices`` chosen by the generated value (so that hypothesis can still
    shrink), or the generated value itself about one time in five."""
    if not choices:
        return value
    n = zlib.crc32(repr(value).encode("utf-8", "surrogatepass"))
    n %= len(choices) + len(choices) // 4 + 1
    return choices[n] if n < len(choices) else value


COUNCIL_PARAMETERS = {"council_id", "meeting_id", "item_id"}
PEOPLE_FIELDS = {"person", "mentee", "mentor", "manager"}


@pytest.fixture(scope="module")
def api_app(sqlite_template, tmp_path_factory):
    app = create_app({"SQLALCHEMY_DATABASE_URI": sqlite_template.fresh(
        str(tmp_path_factory.mktemp("schemathesis"))), "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        demo.load(AS_OF)
        services.users.create_user(EMAIL, "Platform", "correct horse battery", platform_admin=True)
        app.token = services.tokens.create_token(EMAIL, "schemathesis")[1]
        RECORDS.clear()
        for slug in demo.SLUGS:  # per tenant: ids by the URL parameter that names them
            with services.tenant(slug, "test:read"):
                RECORDS[slug] = {
                    name: [str(v) for v in db.session.scalars(sa.select(column).limit(12))]
                    for name, column in (("council_id", Council.id), ("meeting_id", Meeting.id),
                                         ("item_id", AgendaItem.id), ("ref", Mentorship.id),
                                         ("number", Person.number))}
                RECORDS[slug]["member"] = list(db.session.scalars(
                    sa.select(Person.number)
                    .join(CouncilMember, CouncilMember.person_id == Person.id)))
    yield app
    with app.app_context():
        db.engine.dispose()


def _document_app():
    """An app for its OpenAPI document only: the document needs no database (none is
    opened), so it can be read while tests are collected."""
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True,
                       "SECRET_KEY": "collect"})


# schemathesis.pytest.from_fixture (a schema loaded when the test runs) fails under pytest
# 9 (it sets the private `Function._nodeid`): the schema is read at collection instead, and
# each case is sent to the module's app with its demo data (``case.call(app=...)``).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _document_app())
schema.app = None  # the requests go to the test's app, never to the document's
RECORDS: dict[str, dict] = {}  # per demo tenant: its records' ids by URL parameter name
REGIMES = ("prosecutor_2022", "civil_service_2013", "education_reserve")


def point_at_the_demo(case):
    """The generated case pointed at the demo's records, most of the time: a tenant (the
    prosecutors' for the council's routes), its records' ids in the path, its personnel
    numbers where the body names people. Whatever is left as generated still goes. (Done
    in the test rather than in a ``map_case`` hook: schemathesis' coverage phase, which
    sends most of the cases, does not apply hooks.)"""
    if not RECORDS:
        return case
    path = dict(case.path_parameters or {})
    if "regime_id" in path:
        case.path_parameters = {**path, "regime_id": _pick(path["regime_id"], list(REGIMES))}
    if "slug" in path:
        council = COUNCIL_PARAMETERS & set(path) or "/councils" in case.operation.path
        slug = _pick(path["slug"], ["demo-prosecutors"] * 4 if council else list(RECORDS))
        path["slug"] = slug
        records = RECORDS.get(slug, {})
        for name, value in path.items():
            if name != "slug":
                path[name] = _pick(value, records.get(name, []))
        case.path_parameters = path
        numbers = records.get("member") or records.get("number") or []
        if isinstance(case.body, dict) and numbers:
            body = dict(case.body)
            if case.operation.path.endswith("/votes"):
                body = {_pick(key, numbers): vote for key, vote in body.items()}
            for name in PEOPLE_FIELDS & set(body):
                body[name] = _pick(body[name], numbers)
            if isinstance(body.get("present"), list):
                body["present"] = [_pick(n, numbers) for n in body["present"]]
            case.body = body
    return case


@schema.parametrize()
@settings(max_examples=25, deadline=None, database=None,  # no .hypothesis/ left behind
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api_conforms_to_its_document(case, api_app):
    point_at_the_demo(case)
    case.call_and_validate(app=api_app, headers={"Authorization": f"Bearer {api_app.token}"},
                           checks=[not_a_server_error, response_schema_conformance])


def test_the_document_is_valid_openapi_and_every_operation_is_described(api_app):
    loaded = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)
    loaded.validate()  # against the OpenAPI 3.0 meta-schema schemathesis carries
    document = loaded.raw_schema
    assert document["openapi"].startswith("3.0")
    bearer = document["components"]["securitySchemes"]["bearer"]
    assert bearer == {"type": "http", "scheme": "bearer"}
    operations = [(method, path, op) for path, item in document["paths"].items()
                  for method, op in item.items()
                  if method in ("get", "post", "put", "patch", "delete")]
    assert len(operations) > 20
    for method, path, op in operations:
        where = f"{method.upper()} {path}"
        assert op.get("summary", "").strip(), f"{where}: no summary"
        responses = op.get("responses") or {}
        success = [code for code in responses if code.startswith("2")]
        assert success, f"{where}: no success response"
        for code, response in responses.items():
            if "$ref" not in response:
                assert response.get("description"), f"{where} {code}: no description"
    parameters = [p for item in document["paths"].values() for p in item.get("parameters", [])]
    assert parameters and all(p["in"] == "path" and p["required"] for p in parameters)


def _documented_errors(document):
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, path, op


def test_every_error_is_documented_as_problem_json(api_app):
    document = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app).raw_schema
    wrong = []
    for method, path, op in _documented_errors(document):
        for code, response in op["responses"].items():
            if code == "default" or code.startswith(("4", "5")):
                if "$ref" in response:
                    name = response["$ref"].rsplit("/", 1)[-1]
                    response = document["components"]["responses"][name]
                if set(response.get("content", {})) != {"application/problem+json"}:
                    wrong.append(f"{method.upper()} {path} {code}")
        if "401" not in op["responses"]:
            wrong.append(f"{method.upper()} {path}: no 401")
        if path.startswith("/api/v1/tenants/{slug}") and "404" not in op["responses"]:
            wrong.append(f"{method.upper()} {path}: no 404")
        if method != "get" and path.startswith("/api/v1/tenants/{slug}") \
                and not {"403", "422"} <= set(op["responses"]):
            wrong.append(f"{method.upper()} {path}: no 403 or 422")
    assert not wrong, wrong


def test_method_not_allowed_names_the_allowed_methods(api_app):
    response = api_app.test_client().delete(
        "/api/v1/tenants/demo-prosecutors/councils",
        headers={"Authorization": f"Bearer {api_app.token}"})
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert set(response.headers.get("Allow", "").replace(" ", "").split(",")) >= {"GET", "POST"}
