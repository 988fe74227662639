"""The REST API, /api/v1, over the same services as the admin and the CLI.

- Marshmallow schemas for every payload; the OpenAPI 3 document is generated from them
  (flask-smorest) and served at /api/v1/openapi.json, with a docs page at /api/v1/docs.
- Authentication: ``Authorization: Bearer <token>`` (per-user API tokens, kept hashed);
  the token acts with its user's tenants and roles. No cookies, so no CSRF.
- The tenant is named in the path; a tenant the user does not belong to, and any object
  of another tenant, is a 404.
- Errors are ``application/problem+json`` (RFC 9457) naming the offending field.
"""

from __future__ import annotations

import contextlib

from flask import g, request
from flask_smorest import Api, Blueprint
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import HTTPException

from ... import services
from ...core.errors import InputError, NastavnikError, NotFound, Refused
from ...core.validation import JSONRejected, load_json
from .problems import problem

API_PREFIX = "/api/v1"


class NastavnikApi(Api):
    """flask-smorest, with every error answered as problem+json."""

    def handle_http_exception(self, error: HTTPException):
        if not request.path.startswith(API_PREFIX):
            return error
        return http_problem(error)


def http_problem(error: HTTPException):
    data = getattr(error, "data", None) or {}
    errors = data.get("messages") or data.get("errors")
    detail = data.get("message") or ("the request is not valid" if errors else error.description)
    field = _first_field(errors) if errors else None
    headers = data.get("headers") or {k: v for k, v in error.get_headers()
                                      if k.lower() != "content-type"}  # e.g. 405's Allow
    return problem(error.code, detail, errors=errors, field=field, headers=headers)


def _first_field(errors) -> str | None:
    """The first offending field of webargs' {location: {field: [messages]}}, dotted."""
    if isinstance(errors, dict):
        for location, fields_ in errors.items():
            if isinstance(fields_, dict) and fields_:
                path = [str(next(iter(fields_)))]
                inner = fields_[path[0]]
                while isinstance(inner, dict) and inner:
                    key = next(iter(inner))
                    path.append(str(key))
                    inner = inner[key]
                return ".".join(path)
    return None


api = NastavnikApi()


def init_app(app) -> None:
    app.config.setdefault("API_TITLE", "nastavnik")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", API_PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.config.setdefault("API_SPEC_OPTIONS", {
        "info": {"description": __doc__},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "security": [{"bearer": []}],
    })
    api.init_app(app)
    from . import docs, endpoints  # noqa: F401  (they register their blueprints)

    for blueprint in endpoints.BLUEPRINTS:
        api.register_blueprint(blueprint)
    _errors_are_problem_json(api.spec)
    app.register_blueprint(docs.bp)
    from ..security import csrf

    for blueprint in endpoints.BLUEPRINTS:
        csrf.exempt(blueprint)

    @app.errorhandler(NastavnikError)
    def _service_error(error):
        if not request.path.startswith(API_PREFIX):
            if isinstance(error, InputError):  # bad input a page did not catch: said, not a 500
                from ..guard import input_error_page
                return input_error_page(error)
            raise error
        return problem_for(error)


def _errors_are_problem_json(spec) -> None:
    """flask-smorest documents its shared error responses as application/json; ours are
    problem+json (see problems.py), so say so in the document."""
    from apispec.ext.marshmallow import MarshmallowPlugin

    from .schemas import ProblemSchema

    plugin = next(p for p in spec.plugins if isinstance(p, MarshmallowPlugin))
    reference = plugin.converter.resolve_nested_schema(ProblemSchema)
    for response in spec.components.responses.values():
        if "application/json" in response.get("content", {}):
            response["content"] = {"application/problem+json": {"schema": reference}}


def problem_for(error: NastavnikError):
    if isinstance(error, Refused):
        return problem(422, str(error), type_="refused",
                       findings=[f.to_json() for f in error.findings])
    if isinstance(error, NotFound):
        return problem(404, str(error), field=error.field)
    if isinstance(error, InputError):
        return problem(422, str(error), field=error.field)
    return problem(400, str(error))


class ArgumentsParser(FlaskParser):
    """webargs' parser, reading a JSON body with core.validation.load_json: a body nested
    too deep to parse, or with a number too long to read, is a 400; a lone surrogate (which
    Python's json decodes into a string that cannot be written as UTF-8), a NUL character
    or a number that is not finite is a 422 naming the field; before any schema or
    endpoint sees the body."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return webargs_core.missing
        try:
            return load_json(req.get_data(cache=True))
        except JSONRejected as exc:
            from flask_smorest import abort

            if exc.whole or exc.field is None:
                abort(400, message=str(exc))
            abort(422, message=str(exc), messages={"json": {exc.field: [bare_message(exc)]}})


def bare_message(error: InputError) -> str:
    """An error's message without its "at field:" prefix."""
    text, prefix = str(error), f"at {error.field}: "
    return text[len(prefix):] if error.field and text.startswith(prefix) else text


class ApiBlueprint(Blueprint):
    """A blueprint of the API (see ArgumentsParser)."""

    ARGUMENTS_PARSER = ArgumentsParser()


def authenticate() -> None:
    """Every API request names its user by a token; none, or a bad one, is a 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = services.tokens.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        from flask_smorest import abort
        abort(401, message="a valid API token is required (Authorization: Bearer <token>)",
              headers={"WWW-Authenticate": 'Bearer realm="nastavnik"'})
    g.api_user = user


def api_blueprint(name: str, url_prefix: str, description: str) -> Blueprint:
    """A blueprint of the API: token authentication before every request."""
    bp = ApiBlueprint(name, __name__, url_prefix=API_PREFIX + url_prefix,
                      description=description)
    bp.before_request(authenticate)
    return bp


@contextlib.contextmanager
def tenant_work(slug: str, write: bool = False):
    """The unit of work on a tenant the token's user belongs to (404 otherwise; 403 when
    the role may not write)."""
    from flask_smorest import abort

    user = g.api_user
    try:
        tenant = services.get_tenant(slug)
    except NotFound:
        abort(404, message=f"no tenant {slug!r}")
    role = services.users.role_in(user, tenant)
    if role is None:
        abort(404, message=f"no tenant {slug!r}")
    if write and not services.users.may_write(role):
        abort(403, message=f"your role in {slug} ({role}) may not change data")
    with services.tenant(slug, f"api:{user.email}") as work:
        work.role = role
        yield work
