"""Compliance: what the tenant's regime finds, and what falls due.

    GET /api/v1/tenants/<slug>/findings     every finding of the open mentorships and the
                                            councils, with rule, paragraph, severity
    GET /api/v1/tenants/<slug>/deadlines    every deadline with its paragraph and status;
                                            ``within=N``: overdue or due within N working days

Both read the kept results (services.compliance: ``report_findings``, ``report_deadlines``),
filtered and paged in the database; the status of a deadline as of a day and "working days"
(the tenant's calendar) are the regime's."""

from __future__ import annotations

import datetime as dt

from marshmallow import fields, validate

from ....services import compliance
from .. import api_blueprint, tenant_work
from ..schemas import (DEADLINE_STATUSES, SEVERITIES, CalendarDate, DeadlineOutSchema,
                       FindingOutSchema, ListArgs, PageSchema, PlainText, problems)
from .people import path_param, refuse_nul_in_path

bp = api_blueprint("compliance", "/tenants",
                   "Compliance: findings and deadlines of the tenant, with the paragraphs "
                   "they cite")
bp.before_request(refuse_nul_in_path)

AS_OF = {"description": "The day the answer is for; left out, today.", "example": "2026-03-10"}


class FindingsArgs(ListArgs):
    """Which findings."""

    as_of = CalendarDate(load_default=None, metadata=AS_OF)
    severity = fields.List(fields.String(validate=validate.OneOf(SEVERITIES)), load_default=None,
                           metadata={"description": "Only these severities (repeat the "
                                                    "parameter for several).",
                                     "example": ["violation"]})
    rule = PlainText(max_length=255, load_default=None, metadata={
        "description": "Only this rule's findings.", "example": "civil_service_2013.p10.capacity"})
    mentee = PlainText(max_length=63, load_default=None, metadata={
        "description": "Only those about this mentee's mentorships (personnel number).",
        "example": "A1"})


class DeadlinesArgs(ListArgs):
    """Which deadlines."""

    as_of = CalendarDate(load_default=None, metadata=AS_OF)
    status = fields.List(fields.String(validate=validate.OneOf(DEADLINE_STATUSES)),
                         load_default=None, metadata={
                             "description": "Only these statuses (repeat the parameter for "
                                            "several).", "example": ["overdue", "due_soon"]})
    within = fields.Integer(load_default=None, validate=validate.Range(min=0, max=250), metadata={
        "description": "Only deadlines not done that are overdue or due within this many "
                       "working days of ``as_of`` (the tenant's calendar); their ``due_soon`` "
                       "counts these days.", "example": 5})
    mentee = PlainText(max_length=63, load_default=None, metadata={
        "description": "Only this mentee's (personnel number).", "example": "A1"})
    kind = PlainText(max_length=63, load_default=None, metadata={
        "description": "Only deadlines of this kind: one of the tenant's regime's "
                       "deadline_kinds (GET /api/v1/regimes/<id>)."})


class FindingsPageSchema(PageSchema):
    """A page of findings."""

    as_of = CalendarDate(validate=None, metadata={"description": "The day they are for."})
    items = fields.List(fields.Nested(FindingOutSchema), required=True, metadata={
        "description": "The findings, each with its rule, paragraph, severity and message."})


class DeadlinesPageSchema(PageSchema):
    """A page of deadlines, by due date."""

    as_of = CalendarDate(validate=None, metadata={"description": "The day statuses are for."})
    items = fields.List(fields.Nested(DeadlineOutSchema), required=True, metadata={
        "description": "The deadlines, each with its rule, paragraph, due date and status."})


@bp.route("/<slug>/findings", parameters=[path_param("slug")])
@bp.arguments(FindingsArgs, location="query")
@bp.response(200, FindingsPageSchema)
@problems(bp, 401, 404, 422)
def findings(args, slug):
    """Findings

    What the regime's rules find about the open mentorships and the councils as of
    ``as_of``: each with its rule, paragraph, severity (violation, warning, info), the
    mentee concerned, and its message in ru, kk, en and (``text``) the tenant's language."""
    as_of = args["as_of"] or dt.date.today()
    with tenant_work(slug) as work:
        found = compliance.report_findings(work, args["severity"], args["rule"], args["mentee"],
                                           args["limit"], args["offset"])
    return {**found, "as_of": as_of}


@bp.route("/<slug>/deadlines", parameters=[path_param("slug")])
@bp.arguments(DeadlinesArgs, location="query")
@bp.response(200, DeadlinesPageSchema)
@problems(bp, 401, 404, 422)
def deadlines(args, slug):
    """Deadlines

    Every deadline of the open mentorships and the councils, and those of closed
    mentorships still not done, by due date: rule, paragraph, what is due (``kind``), the
    due date and the status as of ``as_of`` (done, done_late, due, due_soon within 5
    working days, overdue). With ``within``: only those not done that are overdue or due
    within that many working days."""
    as_of = args["as_of"] or dt.date.today()
    with tenant_work(slug) as work:
        found = compliance.report_deadlines(work, as_of, args["within"], args["status"],
                                            args["mentee"], args["kind"], args["limit"],
                                            args["offset"])
    return {**found, "as_of": as_of}
