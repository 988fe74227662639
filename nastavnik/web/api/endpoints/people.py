"""Staff of a tenant, and the regime's JSON Schemas:

    GET   /api/v1/tenants/<slug>/people               a page of people (search, unit)
    POST  /api/v1/tenants/<slug>/people               add a person
    GET   /api/v1/tenants/<slug>/people/<number>      one person, with their facts by date
    PATCH /api/v1/tenants/<slug>/people/<number>      change a person
    GET   /api/v1/tenants/<slug>/person-schema        JSON Schema of person attributes
    GET   /api/v1/tenants/<slug>/settings-schema      JSON Schema of the tenant's settings

Attributes are checked against the regime's person schema by the services; a bad one is
a 422 naming it (``attributes.category``). Also the helpers the other endpoint modules of
this family share: ``input_errors`` (the services' errors in the API's terms) and
``refuse_nul_in_path``."""

from __future__ import annotations

import contextlib

from flask import jsonify, request, url_for
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from .... import services
from ....core.errors import InputError, NotFound
from ....core.validation import EARLIEST_DAY
from ....services.people import person_dict
from .. import api_blueprint, tenant_work
from ..schemas import (CalendarDate, ListArgs, PageSchema, PlainText, RequestSchema,
                       problems)

bp = api_blueprint("people", "/tenants",
                   "Staff of a tenant (people are named by their personnel number), and the "
                   "JSON Schemas of the tenant's regime")


# --- shared by this family of endpoints ------------------------------------------------------

def refuse_nul_in_path() -> None:
    """A path naming a record with a NUL character in it names nothing (and PostgreSQL
    could not even be asked)."""
    if any("\x00" in str(v) for v in (request.view_args or {}).values()):
        abort(404, message="no such record")


bp.before_request(refuse_nul_in_path)


def api_field(error: InputError, rename: dict | None = None) -> str | None:
    """The field of a service's error as the API names it."""
    field = error.field
    if (error.source or "").endswith("attributes"):  # the regime's schema of attributes
        return "attributes" if field in (None, "(top level)") else f"attributes.{field}"
    return (rename or {}).get(field, field)


@contextlib.contextmanager
def input_errors(rename: dict | None = None):
    """The services' errors in the API's terms, around a service call whose path record
    is known to exist: a record named in the body or the query that does not exist is
    invalid input (422 naming the field), not a missing resource (404); a field the
    services name otherwise is renamed (``rename``: theirs -> the API's). A refusal by
    the rules passes unchanged."""
    try:
        yield
    except InputError as error:  # NotFound included
        field = api_field(error, rename)
        if isinstance(error, NotFound) or field != error.field:
            bad = InputError(str(error))
            bad.field = field
            raise bad from error
        raise


SLUG = "The tenant's slug (GET /api/v1/tenants lists the user's tenants)."


def path_param(name: str, description: str = SLUG) -> dict:
    """The documentation of a path parameter (a fresh dict: the spec's builder changes it)."""
    return {"in": "path", "name": name, "description": description}


def page(items: list, args: dict) -> dict:
    """One page of a list already filtered, with the total."""
    limit, offset = args["limit"], args["offset"]
    return {"items": items[offset:offset + limit], "total": len(items), "limit": limit,
            "offset": offset}


# --- schemas ---------------------------------------------------------------------------------

NUMBER = {"description": "Personnel number, the person's key within the tenant.",
          "example": "P-001"}
#: people may have joined the body long before the working-day calendars begin
EARLIEST = EARLIEST_DAY
ATTRIBUTES = {"description": "Attributes the tenant's regime describes (GET person-schema), "
                             "checked against that JSON Schema.",
              "example": {"service_start": "2015-09-01",
                          "assessment": {"year": 2025, "mark": "effective"}}}


class PersonSchema(RequestSchema):
    """A member of staff."""

    number = PlainText(required=True, max_length=63, metadata=NUMBER)
    full_name = PlainText(required=True, max_length=255, metadata={
        "description": "Full name.", "example": "Aigerim Nurlanovna Seitkali"})
    unit = PlainText(max_length=255, allow_none=True, metadata={
        "description": "Unit (department) the person works in.", "example": "Legal"})
    position = PlainText(max_length=255, allow_none=True, metadata={
        "description": "Position held.", "example": "Chief expert"})
    manager = PlainText(max_length=63, allow_none=True, metadata={
        "description": "Personnel number of the person's direct manager, of this tenant.",
        "example": "D-001"})
    hired_on = CalendarDate(allow_none=True, earliest=EARLIEST, metadata={
        "description": "First day with the body."})
    attributes = fields.Dict(keys=fields.String(), metadata=ATTRIBUTES)


VALID_FROM = {"description": "The day the unit, position, manager and attributes given "
                             "hold from (a person's facts are kept by date, and the rules "
                             "read them as they stood on the day they judge). On a change, "
                             "today if left out; a change of that day replaces it, an "
                             "earlier day is recorded in its place in the history, the "
                             "later versions staying. On creation, the hiring date if left "
                             "out, else the first record.", "example": "2026-06-01"}


class PersonCreateSchema(PersonSchema):
    """A person to add; the personnel number must be free."""

    valid_from = CalendarDate(load_only=True, earliest=EARLIEST, metadata=VALID_FROM)


class PersonVersionSchema(Schema):
    """A person's facts as they hold from a day until the next version's."""

    valid_from = fields.Date(required=True, metadata={
        "description": "The day these facts hold from (1900-01-01: since the first record)."})
    unit = fields.String(allow_none=True, metadata={"description": "Unit."})
    position = fields.String(allow_none=True, metadata={"description": "Position."})
    manager = fields.String(allow_none=True, metadata={
        "description": "Personnel number of the direct manager."})
    attributes = fields.Dict(keys=fields.String(), metadata={
        "description": "The regime's attributes as they then stood."})
    changed = fields.List(fields.String(), metadata={
        "description": "What changed from the version before: unit, position, manager, "
                       "attributes.<name> (every fact recorded, for the first version).",
        "example": ["attributes.assessment"]})


class PersonDetailSchema(PersonSchema):
    """A member of staff, with the history of their facts."""

    history = fields.List(fields.Nested(PersonVersionSchema), dump_only=True, metadata={
        "description": "The person's facts by date, oldest first; the person's own fields "
                       "are the latest version's."})


class PersonPatchSchema(RequestSchema):
    """Changes to a person; fields left out stay as they are. ``attributes`` is a JSON merge
    patch (RFC 7396) of the stored attributes: a key given replaces that key (objects are
    merged the same way, key by key), a key given as null is removed, keys left out stay.
    The result is checked against the regime's person schema. The personnel number does
    not change."""

    full_name = PlainText(max_length=255, validate=validate.Length(min=1), metadata={
        "description": "Full name (not empty).", "example": "Aigerim Seitkali"})
    unit = PlainText(max_length=255, allow_none=True, metadata={
        "description": "Unit; null clears it.", "example": "Legal"})
    position = PlainText(max_length=255, allow_none=True, metadata={
        "description": "Position; null clears it.", "example": "Chief expert"})
    manager = PlainText(max_length=63, allow_none=True, metadata={
        "description": "Personnel number of the direct manager; null clears it.",
        "example": "D-001"})
    hired_on = CalendarDate(allow_none=True, earliest=EARLIEST, metadata={
        "description": "First day with the body; null clears it."})
    valid_from = CalendarDate(earliest=EARLIEST, metadata=VALID_FROM)
    attributes = fields.Dict(keys=fields.String(), allow_none=True, metadata={
        "description": "A JSON merge patch of the attributes: keys given replace those "
                       "stored, keys given as null are removed; null removes them all.",
        "example": {"assessment": {"year": 2026, "mark": "effective"},
                    "prior_service": None}})


class PeopleArgs(ListArgs):
    """Filters of the list of people."""

    search = PlainText(max_length=255, load_default=None, metadata={
        "description": "Part of the name or of the personnel number, any case.",
        "example": "aig"})
    unit = PlainText(max_length=255, load_default=None, metadata={
        "description": "The unit, exactly.", "example": "Legal"})


class PeoplePageSchema(PageSchema):
    """A page of people, by personnel number."""

    items = fields.List(fields.Nested(PersonSchema), required=True,
                        metadata={"description": "The people on this page."})


JSON_SCHEMA_DOC = {"type": "object", "additionalProperties": True,
                   "description": "A JSON Schema (draft 2020-12) document."}


# --- endpoints -------------------------------------------------------------------------------

def merge_patch(target, patch):
    """RFC 7396: ``patch`` applied to ``target`` (neither is changed)."""
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def _detail(work, person) -> dict:
    return {**person_dict(work, person), "history": services.person_history.history(person)}


def _person_url(slug: str, number: str) -> str:
    return url_for("people.person", slug=slug, number=number)


@bp.route("/<slug>/people", endpoint="people", parameters=[path_param("slug")])
class People(MethodView):

    @bp.arguments(PeopleArgs, location="query")
    @bp.response(200, PeoplePageSchema)
    @problems(bp, 401, 404, 422)
    def get(self, args, slug):
        """A page of the tenant's people

        By personnel number; ``search`` matches part of the name or of the number (any
        case), ``unit`` the unit exactly. ``total`` counts every match."""
        with tenant_work(slug) as work:
            return services.people.people_page(work, args["search"], args["unit"],
                                               args["limit"], args["offset"])

    @bp.arguments(PersonCreateSchema)
    @bp.response(201, PersonDetailSchema, headers={"Location": {
        "description": "The new person's URL", "schema": {"type": "string"}}})
    @problems(bp, 400, 401, 403, 404, 422)
    def post(self, data, slug):
        """Add a person

        The personnel number must be free; ``manager`` must name a person of this tenant;
        ``attributes`` are checked against the regime's person schema (GET person-schema):
        a bad one is a 422 whose ``field`` names it, e.g. ``attributes.category``."""
        with tenant_work(slug, write=True) as work, input_errors():
            person = services.add_person(work, **data)
            out = _detail(work, person)
        return out, 201, {"Location": _person_url(slug, out["number"])}


@bp.route("/<slug>/people/<path:number>", endpoint="person",
          parameters=[path_param("slug"), path_param("number", NUMBER["description"])])
class Person(MethodView):

    @bp.response(200, PersonDetailSchema)
    @problems(bp, 401, 404)
    def get(self, slug, number):
        """One person, by personnel number, with the history of their facts"""
        with tenant_work(slug) as work:
            return _detail(work, services.find_person(work, number))

    @bp.arguments(PersonPatchSchema)
    @bp.response(200, PersonDetailSchema)
    @problems(bp, 400, 401, 403, 404, 422)
    def patch(self, changes, slug, number):
        """Change a person

        Fields left out stay as they are; ``attributes`` is a JSON merge patch (RFC 7396):
        keys given replace those stored, keys given as null are removed (and null for
        ``attributes`` removes them all). The result is checked against the regime's person
        schema (422 naming the field). The changes hold from ``valid_from`` (today if left
        out); the facts left out, and the attributes patched, are those of that day."""
        with tenant_work(slug, write=True) as work:
            person = services.find_person(work, number)  # 404 before anything else
            if "attributes" in changes:  # RFC 7396: null removes the member
                base = services.person_history.facts_on(person, changes.get("valid_from"))
                changes["attributes"] = (merge_patch(base["attributes"], changes["attributes"])
                                         if changes["attributes"] is not None else {})
            with input_errors():
                person = services.update_person(work, person.number, **changes)
            return _detail(work, person)


@bp.route("/<slug>/person-schema", parameters=[path_param("slug")])
@bp.response(200, JSON_SCHEMA_DOC, description="The regime's JSON Schema of person attributes.")
@problems(bp, 401, 404)
def person_schema(slug):
    """The JSON Schema of person attributes

    The tenant's regime says which attributes of a person its rules read (dates of
    service, assessments, categories...), as a JSON Schema: build forms from it, and
    check ``attributes`` before sending them."""
    with tenant_work(slug) as work:
        return jsonify(work.regime.person_schema)


@bp.route("/<slug>/settings-schema", parameters=[path_param("slug")])
@bp.response(200, JSON_SCHEMA_DOC, description="The regime's JSON Schema of tenant settings.")
@problems(bp, 401, 404)
def settings_schema(slug):
    """The JSON Schema of the tenant's settings

    What the tenant's regime lets a tenant set (e.g. a default term), as a JSON Schema."""
    with tenant_work(slug) as work:
        return jsonify(work.regime.settings_schema)
