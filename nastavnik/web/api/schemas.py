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


class FindingSchema(Schema):
    rule = fields.String(required=True, metadata={"example": "civil_service_2013.p10.capacity"})
    regime = fields.String()
    paragraph = fields.String(required=True)
    severity = fields.String(validate=validate.OneOf(["violation", "warning", "info"]))
    subject = fields.String()
    message = fields.Nested(Localized)
    facts = fields.Dict()
    mentee = fields.String(allow_none=True)
    text = fields.String()


class DeadlineSchema(Schema):
    rule = fields.String(required=True)
    regime = fields.String()
    paragraph = fields.String(required=True)
    subject = fields.String()
    kind = fields.String()
    event = fields.String()
    event_date = fields.Date()
    due = fields.Date()
    done_on = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(["done", "done_late", "due", "due_soon", "overdue"]))
    message = fields.Nested(Localized)
    facts = fields.Dict()
    mentee = fields.String(allow_none=True)
    text = fields.String()
