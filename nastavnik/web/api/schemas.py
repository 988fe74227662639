"""Marshmallow schemas shared by the API's endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class PageArgs(Schema):
    """Pagination of lists."""

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class Localized(Schema):
    ru = fields.String()
    kk = fields.String()
    en = fields.String()


# --- shared by the people, mentorships, compliance and calendar endpoints ----------------------
# (appended: the classes above are kept as they are)

import datetime as _dt  # noqa: E402

from marshmallow import ValidationError, validates_schema  # noqa: E402

#: the days the working-day calendars cover, less a year's margin for deadlines counted from
#: them (the admin's forms take the same)
from ...core.validation import FIRST_DAY, LAST_DAY  # noqa: E402,F401
DEADLINE_STATUSES = ("done", "done_late", "due", "due_soon", "overdue")
SEVERITIES = ("violation", "warning", "info")


def _no_nul(value: str) -> None:
    if "\x00" in value:  # PostgreSQL text cannot hold it; refused alike on every backend
        raise ValidationError("must not contain the NUL character")


class PlainText(fields.String):
    """A string without NUL characters, at most ``max_length`` long (and not empty when
    required)."""

    def __init__(self, *, max_length: int | None = None, **kwargs):
        required = kwargs.get("required", False)
        validators = [_no_nul]
        if max_length is not None or required:
            validators.append(validate.Length(min=1 if required else 0, max=max_length))
        extra = kwargs.pop("validate", None)
        if extra is not None:
            validators.extend(extra if isinstance(extra, (list, tuple)) else [extra])
        super().__init__(validate=validators, **kwargs)


class CalendarDate(fields.Date):
    """A date (YYYY-MM-DD) the working-day calendars cover. Dumps dates and the ISO strings
    the services' read models carry alike."""

    def __init__(self, *, earliest: _dt.date = FIRST_DAY, **kwargs):
        if "validate" not in kwargs:  # a date read from a request
            kwargs["validate"] = validate.Range(min=earliest, max=LAST_DAY,
                                                error=f"a date from {earliest} to {LAST_DAY}")
            metadata = dict(kwargs.get("metadata") or {})
            metadata["description"] = (f"{metadata.get('description', 'A date.')} "
                                       f"From {earliest} to {LAST_DAY}.")
            kwargs["metadata"] = metadata
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):
            value = _dt.date.fromisoformat(value)
        return super()._serialize(value, attr, obj, **kwargs)


def _nul_paths(value, path=""):
    """Dotted paths of the strings (keys included) that hold a NUL, in free-form data."""
    if isinstance(value, str):
        return [path] if "\x00" in value else []
    if isinstance(value, dict):
        out = []
        for key, inner in value.items():
            here = f"{path}.{key}" if path else str(key)
            out += [here] if "\x00" in str(key) else _nul_paths(inner, here)
        return out
    if isinstance(value, (list, tuple)):
        return [p for i, inner in enumerate(value) for p in _nul_paths(inner, f"{path}[{i}]")]
    return []


class RequestSchema(Schema):
    """A request's body or query: free-form parts (objects such as person attributes) may
    not hold NUL characters either."""

    @validates_schema
    def _no_nul_anywhere(self, data, **kwargs):
        bad = _nul_paths(data)
        if bad:
            raise ValidationError("must not contain the NUL character", field_name=bad[0])


class ListArgs(RequestSchema, PageArgs):
    """Pagination of a list: ``limit`` items from ``offset``."""

    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500),
                           metadata={"description": "How many items to return (1-500).",
                                     "example": 50})
    # bounded: pages are cut in the database, whose integers are 64-bit (SQLite) or less
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**31 - 1),
                            metadata={"description": "How many items to skip (0 to 2147483647).",
                                      "example": 0})


class PageSchema(Schema):
    """A page of a list; subclasses add ``items``."""

    total = fields.Integer(required=True, metadata={
        "description": "How many items match the filters, over all pages.", "example": 132})
    limit = fields.Integer(required=True, metadata={"description": "The page size asked for.",
                                                    "example": 50})
    offset = fields.Integer(required=True, metadata={
        "description": "How many matching items come before this page.", "example": 0})


class MessageSchema(Schema):
    """A text in the three languages of the product."""

    ru = fields.String(metadata={"description": "In Russian."})
    kk = fields.String(metadata={"description": "In Kazakh."})
    en = fields.String(metadata={"description": "In English.",
                                 "example": "Serik would have 3 mentees at once; at most 2."})


class FindingOutSchema(Schema):
    """What one rule concluded about one subject, citing its act and paragraph."""

    rule = fields.String(required=True, metadata={
        "description": "Id of the rule in the regime's catalogue.",
        "example": "civil_service_2013.p10.capacity"})
    regime = fields.String(metadata={"description": "The regime (regulation) of the rule.",
                                     "example": "civil_service_2013"})
    paragraph = fields.String(required=True, metadata={
        "description": "Paragraph of the act the rule applies.", "example": "10"})
    severity = fields.String(validate=validate.OneOf(SEVERITIES), metadata={
        "description": "violation (the act is broken; refuses a change), warning, or info "
                       "(e.g. an exception that applied).", "example": "violation"})
    subject = fields.String(metadata={
        "description": "What the finding is about: a mentorship id, a mentorship's "
                       "assignment (id/a1), a proposed assignment, a council or a meeting.",
        "example": "0b7e5a9c-3f0e-4c1e-9d55-0c3a1f1f2a10/a1"})
    message = fields.Nested(MessageSchema, metadata={
        "description": "The finding in words, in ru, kk and en."})
    facts = fields.Dict(metadata={"description": "The facts the rule reported (its message is "
                                                 "a template over them).",
                                  "example": {"mentor": "S1", "load": 3, "limit": 2}})
    mentee = fields.String(allow_none=True, metadata={
        "description": "Personnel number of the mentee concerned, when there is one.",
        "example": "A1"})
    text = fields.String(metadata={"description": "The message in the tenant's language."})


class DeadlineOutSchema(Schema):
    """A due date the regime imposes, with its paragraph and status."""

    rule = fields.String(required=True, metadata={
        "description": "Id of the rule that sets the deadline.",
        "example": "civil_service_2013.p12.plan"})
    regime = fields.String(metadata={"description": "The regime of the rule.",
                                     "example": "civil_service_2013"})
    paragraph = fields.String(required=True, metadata={
        "description": "Paragraph of the act.", "example": "12"})
    subject = fields.String(metadata={"description": "The mentorship (or council) it is for.",
                                      "example": "0b7e5a9c-3f0e-4c1e-9d55-0c3a1f1f2a10"})
    kind = fields.String(metadata={
        "description": "The paper or decision due: one of the regime's deadline_kinds (GET "
                       "/api/v1/regimes/<id>, with labels in ru, kk and en)."})
    event = fields.String(metadata={"description": "The event the deadline counts from.",
                                    "example": "assignment"})
    event_date = CalendarDate(validate=None, metadata={"description": "The day of that event."})
    due = CalendarDate(validate=None, metadata={"description": "The last day it may be done."})
    done_on = CalendarDate(validate=None, allow_none=True, metadata={
        "description": "The day it was done; null while it is not."})
    status = fields.String(validate=validate.OneOf(DEADLINE_STATUSES), metadata={
        "description": "As of the date asked for: done, done_late, due, due_soon (within "
                       "the working days asked for, 5 unless said), overdue.",
        "example": "overdue"})
    message = fields.Nested(MessageSchema, metadata={"description": "The deadline in words."})
    facts = fields.Dict(metadata={"description": "The facts the rule reported."})
    mentee = fields.String(allow_none=True, metadata={
        "description": "Personnel number of the mentee, for a mentorship's deadline.",
        "example": "A1"})
    text = fields.String(metadata={"description": "The message in the tenant's language."})


class ProblemSchema(Schema):
    """An error, as application/problem+json (RFC 9457)."""

    type = fields.String(metadata={"description": "about:blank, or a URI naming the kind of "
                                                  "problem (.../problems/refused).",
                                   "example": "about:blank"})
    title = fields.String(metadata={"description": "The HTTP status in words.",
                                    "example": "Unprocessable Entity"})
    status = fields.Integer(metadata={"description": "The HTTP status.", "example": 422})
    detail = fields.String(metadata={"description": "What went wrong, for a person.",
                                     "example": "attributes at category: 'X' does not match"})
    field = fields.String(metadata={
        "description": "The offending field, dotted (attributes.assessment.mark), when "
                       "one is to blame.", "example": "attributes.category"})
    errors = fields.Dict(metadata={
        "description": "Every invalid field by location (json, query), when the request "
                       "did not match its schema.",
        "example": {"json": {"hired_on": ["Not a valid date."]}}})


class RefusalSchema(ProblemSchema):
    """The regime's rules refuse the change (type .../problems/refused): nothing was written."""

    findings = fields.List(fields.Nested(FindingOutSchema), metadata={
        "description": "Every finding that refuses it, with its rule, paragraph and message."})


PROBLEM_DESCRIPTIONS = {
    400: "The body is not JSON.",
    401: "No valid API token.",
    403: "The token's role in this tenant may not change data.",
    404: "No such tenant for this token's user, or no such record in this tenant.",
    422: "Invalid input; `field` names the offending field.",
}


def problems(blueprint, *codes, refusal: bool = False):
    """Document an operation's application/problem+json error responses; with ``refusal``
    its 422 may also be the regime's refusal with findings."""

    def decorate(func):
        for code in reversed(codes):
            refused = refusal and code == 422
            func = blueprint.alt_response(
                code, schema=RefusalSchema if refused else ProblemSchema,
                content_type="application/problem+json",
                description=(PROBLEM_DESCRIPTIONS[422] + " Or the regime's rules refuse the "
                             "change (type .../problems/refused): every finding with its rule, "
                             "paragraph and message; nothing is written.") if refused
                else PROBLEM_DESCRIPTIONS.get(code))(func)
        return func
    return decorate
