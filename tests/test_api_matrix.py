"""The tenant matrix of the REST API: every route, every role, two tenants.

The routes are read from the application's url_map, so a new route is covered as soon as
it exists (and the test fails, naming the URL parameter, if it does not know how to fill
one in). Writes are sent with a minimal body valid against the operation's schema in the
OpenAPI document (so they get past body validation to the tenant and role checks), and
again with an empty body.

- a user of tenant B on tenant A's paths, with A's ids: 404, for reads and writes alike;
- A's ids under B's path (B's user, and A's users on their own path with B's ids): 404;
- a viewer's writes: 403;
- nothing is ever a 500, and every error is application/problem+json.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid

import pytest

from nastavnik import services
from nastavnik.storage.models import Mentorship, db
from nastavnik.web import create_app

API = "/api/v1"
PUBLIC = {"/api/v1/openapi.json", "/api/v1/docs"}  # no token needed: the API's documentation
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
PROBLEM = "application/problem+json"
ON = dt.date(2026, 3, 2)
PASSWORD = "correct horse battery"

#: who calls: (email, tenant they belong to, role there; None for the platform admin)
USERS = {
    "admin": ("admin@alpha.kz", "alpha", "tenant_admin"),
    "hr": ("hr@alpha.kz", "alpha", "hr_officer"),
    "viewer": ("viewer@alpha.kz", "alpha", "viewer"),
    "platform": ("root@platform.kz", None, None),
    "stranger": ("admin@beta.kz", "beta", "tenant_admin"),  # tenant B's user
}


def _tenant_data(slug: str) -> dict:
    """A person, a mentorship, a council with a member, a meeting and an agenda item, each
    named as the URL parameters name them. Personnel numbers differ between the tenants,
    so that one tenant's number cannot name a record of the other."""
    with services.tenant(slug, "test") as t:
        services.add_person(t, number=f"{slug}-M", full_name="Mentor")
        mentee = services.add_person(t, number=f"{slug}-S", full_name="Mentee")
        council = services.create_council(t, "Council", ON)
        services.add_member(t, str(council.id), f"{slug}-M", role="chair")
        meeting = services.add_meeting(t, str(council.id), ON, present=[f"{slug}-M"])
        item = services.add_item(t, str(meeting.id), "Item")
        mentorship = Mentorship(mentee_id=mentee.id, kind="young_employee", start=ON, status="open")
        db.session.add(mentorship)
        db.session.flush()
        return {"slug": slug, "number": f"{slug}-S", "ref": str(mentorship.id),
                "council_id": str(council.id), "meeting_id": str(meeting.id),
                "item_id": str(item.id), "regime_id": "prosecutor_2022"}


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test"})
    with app.app_context():
        ids = {}
        for slug in ("alpha", "beta"):
            services.create_tenant(slug, slug.title(), "prosecutor_2022", actor="test", locale="en")
            ids[slug] = _tenant_data(slug)
        tokens = {}
        for who, (email, tenant, role) in USERS.items():
            services.users.create_user(email, who, PASSWORD, platform_admin=tenant is None)
            if tenant:
                services.users.grant(email, tenant, role)
            tokens[who] = services.tokens.create_token(email, "matrix")[1]
    app.test_ids, app.test_tokens = ids, tokens
    # requests get their own app context, as in production: none is kept pushed here
    yield app
    with app.app_context():
        db.engine.dispose()


# --- the routes and what to send them -------------------------------------------------------------

def api_routes(app) -> list[tuple]:
    """(rule, method) of every API route but the public documentation."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API + "/") and rule.rule not in PUBLIC:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                out.append((rule, method))
    assert len(out) > 10, "no API routes found"
    return out


def url(rule, ids: dict, slug: str | None = None) -> str:
    """The rule with its parameters filled from ``ids`` (the tenant in the path from
    ``slug`` if given)."""
    values = {}
    for arg in rule.arguments:
        assert arg in ids, f"the matrix does not know how to fill <{arg}> in {rule.rule}"
        values[arg] = ids[arg]
    if slug is not None and "slug" in values:
        values["slug"] = slug
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule.rule)


def openapi_path(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


class Spec:
    """Minimal valid bodies and query strings from the OpenAPI document."""

    def __init__(self, document: dict):
        self.document = document

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.document["components"]["schemas"][name]
        return schema

    def minimal(self, schema: dict, ids: dict):
        """A small instance of ``schema``: required properties only, the first of an enum,
        strings of the least length, dates the calendars cover; a personnel number where
        one is wanted."""
        schema = self.resolve(schema)
        if "allOf" in schema:
            merged: dict = {}
            for part in schema["allOf"]:
                merged = {**merged, **self.resolve(part)}
            schema = merged
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self.minimal(schema[key][0], ids)
        if "enum" in schema:
            return schema["enum"][0]
        kind = schema.get("type", "object" if "properties" in schema else None)
        if kind == "object":
            properties = schema.get("properties", {})
            out = {name: self.value(name, properties.get(name, {}), ids)
                   for name in schema.get("required", [])}
            if not properties and schema.get("minProperties"):  # a mapping, e.g. votes
                extra = schema.get("additionalProperties")
                out[ids["number"]] = self.minimal(extra if isinstance(extra, dict) else {}, ids)
            return out
        if kind == "array":
            return [self.minimal(schema.get("items", {}), ids)
                    for _ in range(schema.get("minItems", 0))]
        if kind == "string":
            fmt = schema.get("format")
            if fmt == "date":
                return ON.isoformat()
            if fmt == "date-time":
                return f"{ON.isoformat()}T09:00:00Z"
            if fmt == "uuid":
                return str(uuid.uuid4())
            return "x" * max(1, schema.get("minLength", 1))
        if kind in ("integer", "number"):
            return schema.get("minimum", 1)
        if kind == "boolean":
            return False
        return None

    def value(self, name: str, schema: dict, ids: dict):
        wants_number = name in ("person", "mentee", "mentor", "number")
        if wants_number and self.resolve(schema).get("type") == "string":
            return ids["number"]
        return self.minimal(schema, ids)

    def operation(self, rule, method: str) -> dict:
        return self.document["paths"].get(openapi_path(rule), {}).get(method.lower(), {})

    def body(self, rule, method: str, ids: dict):
        content = self.operation(rule, method).get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        return self.minimal(schema, ids) if schema is not None else {}

    def query(self, rule, method: str, ids: dict) -> dict:
        out = {}
        for parameter in self.operation(rule, method).get("parameters", []):
            if parameter.get("in") == "query" and parameter.get("required"):
                name = parameter["name"]
                out[name] = self.value(name, parameter.get("schema", {}), ids)
        return out


@pytest.fixture
def spec(web) -> Spec:
    response = web.test_client().get(API + "/openapi.json")
    assert response.status_code == 200
    return Spec(response.get_json())


class Caller:
    """Calls one route as one user, checking what every answer must be."""

    def __init__(self, app, spec: Spec, who: str | None):
        self.client = app.test_client()
        self.spec = spec
        self.headers = {"Authorization": f"Bearer {app.test_tokens[who]}"} if who else {}
        self.who = who

    def __call__(self, rule, method, path: str, ids: dict, body="minimal"):
        """``ids``: whose records the body and query name (the minimal body's person)."""
        if body == "minimal":
            body = self.spec.body(rule, method, ids) if method in WRITES else None
        query = self.spec.query(rule, method, ids)
        response = self.client.open(path, method=method, headers=self.headers, query_string=query,
                                     json=body if method in WRITES else None)
        where = f"{self.who}: {method} {path} {body!r} -> {response.status_code} " \
                f"{response.get_data()[:300].decode(errors='replace')}"  # files (papers) are binary
        assert response.status_code < 500, where
        if response.status_code >= 400:
            assert response.mimetype == PROBLEM, where
            problem = response.get_json(force=True)
            assert problem["status"] == response.status_code and problem["detail"], where
        return response, where


def tenant_routes(app):
    return [(rule, method) for rule, method in api_routes(app) if "slug" in rule.arguments]


# --- the matrix ---------------------------------------------------------------------------------

def test_every_api_route_is_known_to_the_matrix(web):
    """Every parameter of every API route can be filled (a new one fails here, by name)."""
    for rule, _ in api_routes(web):
        url(rule, web.test_ids["alpha"])


def test_another_tenants_paths_are_not_found_for_reads_and_writes(web, spec):
    """Tenant B's user on every path of tenant A, with A's ids: 404, whatever the method.
    With an empty body a write may be refused for its body first (422) where the body is
    read before the tenant is looked at, but then exactly as for a tenant that does not
    exist: the answer tells nothing of A."""
    a = web.test_ids["alpha"]
    call = Caller(web, spec, "stranger")
    for rule, method in tenant_routes(web):
        path = url(rule, a)
        response, where = call(rule, method, path, web.test_ids["beta"])
        assert response.status_code == 404, where
        if method in WRITES:
            response, where = call(rule, method, path, a, body={})
            nowhere, _ = call(rule, method, url(rule, a, slug="no-such-tenant"), a, body={})
            assert response.status_code in (404, 422), where
            elsewhere = nowhere.get_data().replace(b"no-such-tenant", b"alpha")
            assert (response.status_code, response.get_data()) == \
                (nowhere.status_code, elsewhere), where


def test_one_tenants_ids_under_another_tenants_path_are_not_found(web, spec):
    """A's ids under B's path: 404 for B's user, and for A's users (each role, the platform
    admin too) putting B's ids under A's path."""
    a, b = web.test_ids["alpha"], web.test_ids["beta"]
    cases = [("stranger", "beta", a),
             *((who, "alpha", b) for who in ("admin", "hr", "viewer", "platform")),
             ("platform", "beta", a)]
    checked = 0
    for who, slug, foreign in cases:
        call = Caller(web, spec, who)
        own = web.test_ids[slug]
        for rule, method in tenant_routes(web):
            ids = set(rule.arguments) - {"slug"}
            if not ids:
                continue
            path = url(rule, foreign, slug=slug)
            if who == "viewer" and method in WRITES:
                response, where = call(rule, method, path, own)
                assert response.status_code in (403, 404), where  # never let through
                continue
            response, where = call(rule, method, path, own)
            assert response.status_code == 404, where
            checked += 1
    assert checked > 20


def test_viewers_writes_are_forbidden(web, spec):
    """A viewer of A, on A's own paths and records: every write is a 403, nothing else."""
    a = web.test_ids["alpha"]
    call = Caller(web, spec, "viewer")
    writes = [(rule, method) for rule, method in tenant_routes(web) if method in WRITES]
    assert writes
    for rule, method in writes:
        response, where = call(rule, method, url(rule, a), a)
        assert response.status_code == 403, where
        response, where = call(rule, method, url(rule, a), a, body={})
        assert response.status_code in (403, 422), where  # never through


def test_own_tenant_reads_answer_for_every_role(web, spec):
    """A control for the tests above: A's users read A's records (200), B's user B's."""
    for who in USERS:
        slug = USERS[who][1] or "beta"
        call = Caller(web, spec, who)
        for rule, method in api_routes(web):
            if method == "GET":
                response, where = call(rule, method, url(rule, web.test_ids[slug]),
                                       web.test_ids[slug])
                assert response.status_code == 200, where


def test_own_tenant_writes_never_fail_with_a_server_error(web, spec):
    """Writers on their own tenant, with minimal and empty bodies: whatever the answer,
    never a 500, and errors as problem+json (checked by the caller)."""
    for who in ("admin", "hr", "platform"):
        a = web.test_ids["alpha"]
        call = Caller(web, spec, who)
        for rule, method in tenant_routes(web):
            if method in WRITES:
                call(rule, method, url(rule, a), a)
                call(rule, method, url(rule, a), a, body={})
                call(rule, method, url(rule, a), a, body=[])


def test_without_a_token_every_route_is_401(web, spec):
    call = Caller(web, spec, None)
    for rule, method in api_routes(web):
        a = web.test_ids["alpha"]
        response, where = call(rule, method, url(rule, a), a)
        assert response.status_code == 401, where


def test_unknown_tenant_is_404_for_everyone(web, spec):
    for who in ("admin", "platform"):
        call = Caller(web, spec, who)
        for rule, method in tenant_routes(web):
            response, where = call(rule, method, url(rule, web.test_ids["alpha"], slug="gamma"),
                                   web.test_ids["alpha"])
            assert response.status_code == 404, where


def test_minimal_bodies_follow_the_document(spec, web):
    """The matrix's own helper: a minimal body has every required field."""
    document = copy.deepcopy(spec.document)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            body = spec.minimal(schema, web.test_ids["alpha"])
            resolved = spec.resolve(schema)
            assert set(resolved.get("required", [])) <= set(body), (method, path, body)
