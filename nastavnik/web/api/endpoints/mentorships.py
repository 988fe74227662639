"""Mentorships of a tenant, absences and mentor suggestions:

    GET  /api/v1/tenants/<slug>/mentorships                   a page of them (status, mentee, mentor)
    POST /api/v1/tenants/<slug>/mentorships                   assign a mentor (opens a mentorship)
    GET  /api/v1/tenants/<slug>/mentorships/<id>              assignments, papers, term, findings,
                                                              deadlines with their status
    POST /api/v1/tenants/<slug>/mentorships/<id>/release      the mentor released on a day
    POST /api/v1/tenants/<slug>/mentorships/<id>/replace      another mentor from a day
    POST /api/v1/tenants/<slug>/mentorships/<id>/close        the last day
    POST /api/v1/tenants/<slug>/mentorships/<id>/papers       a paper of the regime's done
    POST /api/v1/tenants/<slug>/absences                      a person's absence
    GET  /api/v1/tenants/<slug>/suggestions?mentee=&on=       eligible mentors ranked, and the
                                                              excluded with the findings why

Whether an assignment is allowed, the term, every finding and deadline are the regime's,
through the services. A refusal is a 422 problem of type .../problems/refused listing every
finding (rule, paragraph, message in ru/kk/en), and writes nothing. The path is resolved
before the body is acted on: another tenant's mentorship is a 404 whatever the body says;
a person named in the body who is not of this tenant is a 422 naming the field."""

from __future__ import annotations

import contextlib
import datetime as dt

from flask import url_for
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from .... import services
from ....core.errors import InputError, NotFound
from ....core.vocabulary import MENTORSHIP_STATUSES
from ....services import views
from .. import api_blueprint, tenant_work
from ..schemas import (CalendarDate, DeadlineOutSchema, FindingOutSchema, ListArgs,
                       PageSchema, PlainText, RequestSchema, problems)
from .people import input_errors, path_param, refuse_nul_in_path

bp = api_blueprint("mentorships", "/tenants",
                   "Mentorships: assign, replace, close, papers, absences, and mentor "
                   "suggestions, under the tenant's regime")
bp.before_request(refuse_nul_in_path)

#: the services' names of fields -> the API's
ASSIGN_FIELDS = {"order_number": "order.number", "order_date": "order.date"}
MENTORSHIP_FACTS = (
    "The facts the tenant's regime keeps on the mentorship, as its mentorship schema (GET "
    "/regimes/<id>: mentorship_schema) describes them (dates "
    "as YYYY-MM-DD). A key the regime does not know is refused (422 naming it).")
ASSIGNMENT_FACTS = (
    "The facts the tenant's regime keeps on a mentor's assignment, as its assignment schema "
    "(GET /regimes/<id>: assignment_schema) describes them (left out: not recorded).")
MENTORSHIP_ID = ("The mentorship's id (a UUID; a unique prefix of 4 or more characters, or "
                 "the mentee's personnel number for their latest mentorship, are taken too).")


def path_params(ref: bool = True) -> list[dict]:
    return [path_param("slug")] + ([path_param("ref", MENTORSHIP_ID)] if ref else [])


def _number(description: str, example: str = "S1", **kwargs):
    return PlainText(max_length=63, metadata={"description": description, "example": example},
                     **kwargs)


# --- schemas: what comes in ------------------------------------------------------------------

class OrderSchema(RequestSchema):
    """The head's order that assigns the mentor."""

    number = PlainText(max_length=63, allow_none=True, metadata={
        "description": "Number of the order.", "example": "31-л"})
    date = CalendarDate(allow_none=True, metadata={"description": "Date of the order."})


class AssignSchema(RequestSchema):
    """Assign a mentor to a mentee from a day: opens the mentee's mentorship."""

    mentee = _number("Personnel number of the mentee; they must have no open mentorship.",
                     "A1", required=True)
    mentor = _number("Personnel number of the mentor.", "S1", required=True)
    on = CalendarDate(required=True, metadata={
        "description": "First day of the mentorship and of the mentor's assignment.",
        "example": "2026-03-02"})
    order = fields.Nested(OrderSchema, allow_none=True, metadata={
        "description": "The order that assigns the mentor."})
    kind = PlainText(max_length=63, allow_none=True, metadata={
        "description": "Kind of mentee, as the regime names it (GET /regimes/<id>: "
                       "mentee_kinds); left out, the regime's coverage rules decide.",
        "example": "servant"})
    joined_on = CalendarDate(allow_none=True, metadata={
        "description": "The day the mentee joined the body, when the regime counts from it."})
    term_months = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=120),
                                 metadata={"description": "Term stated by the order, in months "
                                                          "(the regime checks it).",
                                           "example": 2})
    planned_end = CalendarDate(allow_none=True, metadata={
        "description": "Last day stated by the order, if it states one."})
    attributes = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": MENTORSHIP_FACTS})
    assignment_attributes = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": ASSIGNMENT_FACTS})


REASON = ("Why the current mentor's assignment ends: one of the tenant's regime's "
          "end_reasons (GET /api/v1/regimes/<id>); another is a 422.")


class ReleaseSchema(RequestSchema):
    """The current mentor released (dismissed, transferred, gone absent...) on a day,
    before a successor is named: the regime's replacement deadline runs from that day."""

    on = CalendarDate(required=True, metadata={
        "description": "The mentor's last day.", "example": "2026-06-05"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=31),
                           metadata={"description": REASON})


class ReplaceSchema(RequestSchema):
    """Another mentor from a day; the mentorship's term does not change. A current mentor
    is released on ``released_on`` (the day before ``on`` when left out) for ``reason``;
    a mentor already released (``/release``) stays released as recorded."""

    mentor = _number("Personnel number of the new mentor.", "S2", required=True)
    on = CalendarDate(required=True, metadata={
        "description": "First day of the new mentor.", "example": "2026-04-01"})
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(min=1, max=31), metadata={
                               "description": REASON + " Required when there is a current "
                                                       "mentor."})
    released_on = CalendarDate(load_default=None, allow_none=True, metadata={
        "description": "The current mentor's last day; left out, the day before ``on``.",
        "example": "2026-03-27"})
    order = fields.Nested(OrderSchema, allow_none=True, metadata={
        "description": "The order that assigns the new mentor."})
    attributes = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": "The new assignment's facts. " + ASSIGNMENT_FACTS})


class CloseSchema(RequestSchema):
    """Close the mentorship."""

    on = CalendarDate(required=True, metadata={
        "description": "Last day of the mentorship.", "example": "2026-05-04"})


class PaperInSchema(RequestSchema):
    """A paper of the mentorship done (or, with done_on null, not done after all); one per
    kind, a second one replaces the first."""

    kind = fields.String(required=True, validate=validate.Length(min=1, max=31), metadata={
        "description": "Which paper: one of the tenant's regime's paper_kinds (GET "
                       "/api/v1/regimes/<id>; regimes differ); another is a 422."})
    done_on = CalendarDate(required=True, allow_none=True, metadata={
        "description": "The day it was done (approved, submitted); null: not done.",
        "example": "2026-03-04"})
    approved_by = PlainText(max_length=255, allow_none=True, metadata={
        "description": "Who approved it.", "example": "D1"})
    attributes = fields.Dict(load_default=dict, metadata={
        "description": "What the paper carries, valid against its kind's fields schema "
                       "(paper_kinds.<kind>.fields in GET /api/v1/regimes/<id>); none for a "
                       "kind without one."})


class AbsenceInSchema(RequestSchema):
    """An absence of a mentee or a mentor. One for a valid reason within a mentorship's term
    may move its end later (e.g. civil service p.6)."""

    person = _number("Personnel number of who is absent.", "A1", required=True)
    start = CalendarDate(required=True, data_key="from", metadata={
        "description": "First day of the absence.", "example": "2026-03-10"})
    end = CalendarDate(required=True, data_key="to", metadata={
        "description": "Last day of the absence.", "example": "2026-03-12"})
    valid = fields.Boolean(load_default=True, metadata={
        "description": "For a valid reason (illness, leave...).", "example": True})
    reason = PlainText(max_length=255, load_default="", metadata={
        "description": "The reason, in words.", "example": "sick leave"})


class MentorshipArgs(ListArgs):
    """Filters of the list of mentorships."""

    status = fields.String(load_default=None, validate=validate.OneOf(list(MENTORSHIP_STATUSES)),
                           metadata={"description": f"{' or '.join(MENTORSHIP_STATUSES)}; left "
                                                    "out, every one."})
    mentee = _number("Only the mentee's mentorships (personnel number).", "A1",
                     load_default=None)
    mentor = _number("Only mentorships whose current mentor this is (personnel number).",
                     "S1", load_default=None)


class AsOfArgs(RequestSchema):
    """The day the answer is for."""

    as_of = CalendarDate(load_default=None, metadata={
        "description": "The day deadlines' status and findings are for; left out, today.",
        "example": "2026-03-10"})


class SuggestArgs(RequestSchema):
    """Whom to suggest mentors for, from which day."""

    mentee = _number("Personnel number of the mentee.", "A1", required=True)
    on = CalendarDate(load_default=None, metadata={
        "description": "First day of the assignment; left out, today.",
        "example": "2026-03-02"})
    limit = fields.Integer(load_default=10, validate=validate.Range(min=0, max=500), metadata={
        "description": "How many eligible candidates to list (0: all); the excluded are "
                       "always all listed.", "example": 10})


# --- schemas: what goes out ------------------------------------------------------------------

class MentorshipRowSchema(Schema):
    """A mentorship in a list."""

    id = fields.String(required=True, metadata={"description": "The mentorship's id.",
                                                "example": "0b7e5a9c-3f0e-4c1e-9d55-0c3a1f1f2a10"})
    mentee = fields.String(metadata={"description": "Personnel number of the mentee.",
                                     "example": "A1"})
    mentee_name = fields.String(metadata={"description": "Name of the mentee.",
                                          "example": "Aigerim New"})
    kind = fields.String(allow_none=True, metadata={"description": "Kind of mentee.",
                                                    "example": "servant"})
    status = fields.String(metadata={"description": "open or closed.", "example": "open"})
    start = CalendarDate(validate=None, metadata={"description": "First day."})
    ended_on = CalendarDate(validate=None, allow_none=True, metadata={
        "description": "Last day, once closed."})
    mentor = fields.String(allow_none=True, metadata={
        "description": "Personnel number of the current mentor (open mentorships).",
        "example": "S1"})
    mentor_name = fields.String(metadata={"description": "Name of the current mentor."})
    fallback = fields.Boolean(metadata={
        "description": "The current mentor was assigned under an exception rule (e.g. civil "
                       "service p.8: the direct manager when nobody was eligible)."})


class MentorshipPageSchema(PageSchema):
    """A page of mentorships, by first day."""

    items = fields.List(fields.Nested(MentorshipRowSchema), required=True,
                        metadata={"description": "The mentorships on this page."})


class OrderOutSchema(Schema):
    number = fields.String(allow_none=True, metadata={"description": "Number of the order.",
                                                      "example": "31-л"})
    date = CalendarDate(validate=None, allow_none=True, metadata={
        "description": "Date of the order."})


class AssignmentSchema(Schema):
    """A mentor's period within the mentorship."""

    mentor = fields.String(metadata={"description": "Personnel number of the mentor.",
                                     "example": "S1"})
    start = CalendarDate(validate=None, data_key="from", attribute="from", metadata={
        "description": "First day of this mentor."})
    end = CalendarDate(validate=None, data_key="to", attribute="to", allow_none=True, metadata={
        "description": "Last day of this mentor; null while current."})
    end_reason = fields.String(allow_none=True, metadata={
        "description": "Why it ended: one of the regime's end_reasons (GET "
                       "/api/v1/regimes/<id>)."})
    order = fields.Nested(OrderOutSchema, metadata={"description": "The order that assigned "
                                                                   "the mentor."})
    fallback = fields.Boolean(metadata={"description": "Assigned under an exception rule."})
    attributes = fields.Dict(metadata={"description": ASSIGNMENT_FACTS})


class PaperSchema(Schema):
    """A paper of the mentorship."""

    kind = fields.String(metadata={"description": "Which paper: one of the regime's "
                                                  "paper_kinds (GET /api/v1/regimes/<id>)."})
    done_on = CalendarDate(validate=None, allow_none=True, metadata={
        "description": "The day it was done; null: not done."})
    approved_by = fields.String(allow_none=True, metadata={"description": "Who approved it.",
                                                           "example": "D1"})
    attributes = fields.Dict(metadata={"description": "What it carries (its kind's fields)."})


class TermSchema(Schema):
    """The mentorship's term as the regime counts it."""

    start = CalendarDate(validate=None, metadata={"description": "First day of the term."})
    planned_end = CalendarDate(validate=None, allow_none=True, metadata={
        "description": "Planned last day, absences for a valid reason counted in; null when "
                       "the regime fixes none."})
    rule = fields.String(metadata={"description": "The rule that set the term.",
                                   "example": "civil_service_2013.p6.term"})
    paragraph = fields.String(metadata={"description": "Its paragraph.", "example": "6"})


class MentorshipSchema(Schema):
    """One mentorship with everything the regime says about it, as of a day."""

    id = fields.String(required=True, metadata={"description": "The mentorship's id.",
                                                "example": "0b7e5a9c-3f0e-4c1e-9d55-0c3a1f1f2a10"})
    mentee = fields.String(metadata={"description": "Personnel number of the mentee.",
                                     "example": "A1"})
    kind = fields.String(allow_none=True, metadata={"description": "Kind of mentee.",
                                                    "example": "servant"})
    status = fields.String(metadata={"description": "open or closed.", "example": "open"})
    start = CalendarDate(validate=None, metadata={"description": "First day."})
    ended_on = CalendarDate(validate=None, allow_none=True, metadata={
        "description": "Last day, once closed."})
    attributes = fields.Dict(metadata={"description": MENTORSHIP_FACTS})
    term = fields.Nested(TermSchema, allow_none=True, metadata={
        "description": "The term and the rule that set it."})
    assignments = fields.List(fields.Nested(AssignmentSchema), metadata={
        "description": "The mentors, in order."})
    papers = fields.List(fields.Nested(PaperSchema), metadata={
        "description": "The papers recorded."})
    findings = fields.List(fields.Nested(FindingOutSchema), metadata={
        "description": "What the regime's rules find about it, with paragraphs."})
    deadlines = fields.List(fields.Nested(DeadlineOutSchema), metadata={
        "description": "Its deadlines with their paragraph and status as of the day asked."})


class AbsenceSchema(Schema):
    """An absence recorded."""

    id = fields.String(metadata={"description": "The absence's id."})
    person = fields.String(metadata={"description": "Personnel number of who is absent.",
                                     "example": "A1"})
    start = CalendarDate(validate=None, data_key="from", attribute="from", metadata={
        "description": "First day."})
    end = CalendarDate(validate=None, data_key="to", attribute="to", metadata={
        "description": "Last day."})
    valid = fields.Boolean(metadata={"description": "For a valid reason."})
    reason = fields.String(metadata={"description": "The reason.", "example": "sick leave"})


class CandidateSchema(Schema):
    """A possible mentor."""

    number = fields.String(metadata={"description": "Personnel number.", "example": "S1"})
    name = fields.String(metadata={"description": "Name.", "example": "Serik Senior"})
    unit = fields.String(allow_none=True, metadata={"description": "Unit.", "example": "Legal"})
    position = fields.String(allow_none=True, metadata={"description": "Position."})
    fallback = fields.Boolean(metadata={
        "description": "Only under an exception rule (e.g. civil service p.8)."})
    findings = fields.List(fields.Nested(FindingOutSchema), metadata={
        "description": "For the excluded: the findings that exclude them; for the eligible, "
                       "any warnings or the exception that applies."})
    load = fields.Integer(metadata={"description": "Mentees the candidate has on the day "
                                                   "(eligible only).", "example": 1})
    capacity = fields.Integer(allow_none=True, metadata={
        "description": "How many mentees the regime allows this candidate at once (a "
                       "regime may set a mentor's own limit, e.g. by position); null: no cap.",
        "example": 2})
    free = fields.Integer(allow_none=True, metadata={
        "description": "capacity - load (eligible only).", "example": 1})
    same_unit = fields.Boolean(metadata={"description": "In the mentee's unit (eligible only)."})
    hired_on = CalendarDate(validate=None, allow_none=True, metadata={
        "description": "First day with the body (eligible only)."})


class SuggestionsSchema(Schema):
    """Mentors for a mentee from a day: the eligible ranked (the same unit, a position close
    above the mentee's before the head of the body, free capacity, the longest with the
    body), and every excluded person with the findings why."""

    mentee = fields.String(metadata={"description": "Personnel number of the mentee.",
                                     "example": "A1"})
    on = CalendarDate(validate=None, metadata={"description": "The first day asked about."})
    capacity = fields.Integer(allow_none=True, metadata={
        "description": "How many mentees a mentor may have at once on that day in general "
                       "(each candidate's own limit is its ``capacity``); null: no cap.",
        "example": 2})
    eligible_count = fields.Integer(allow_none=True, metadata={
        "description": "How many are eligible in all; null when the staff is large and only "
                       "the best were looked for (see ``checked``).", "example": 3})
    checked = fields.Integer(metadata={
        "description": "How many people the rules were asked about: the whole staff when it "
                       "is small, else in rank order until ``limit`` were found eligible.",
        "example": 12})
    staff = fields.Integer(metadata={"description": "How many people could be considered.",
                                     "example": 12})
    eligible = fields.List(fields.Nested(CandidateSchema), metadata={
        "description": "The eligible, best first (at most ``limit``)."})
    excluded = fields.List(fields.Nested(CandidateSchema), metadata={
        "description": "The excluded, with the findings that exclude them: everyone when the "
                       "whole staff was checked, else those ranked above the last suggestion."})


# --- endpoints -------------------------------------------------------------------------------

def _view(work, ref: str, as_of: dt.date | None = None) -> dict:
    m = services.find_mentorship(work, ref)
    return views.mentorship_view(work, m, as_of or dt.date.today())


@contextlib.contextmanager
def _assignment_facts():
    """An error in the first assignment's facts named by the body's key for them,
    ``assignment_attributes`` (the mentorship's are ``attributes``). Inside
    ``input_errors``, which leaves a field named so as it is."""
    try:
        yield
    except InputError as error:
        if error.source != "assignment attributes" or isinstance(error, NotFound):
            raise
        key = error.field if error.field not in (None, "(top level)") else None
        raise InputError(str(error), field="assignment_attributes" + (f".{key}" if key else "")
                         ) from error


def _order(data: dict) -> dict:
    order = data.pop("order", None) or {}
    return {"order_number": order.get("number"), "order_date": order.get("date")}


@bp.route("/<slug>/mentorships", endpoint="mentorships", parameters=path_params(ref=False))
class Mentorships(MethodView):

    @bp.arguments(MentorshipArgs, location="query")
    @bp.response(200, MentorshipPageSchema)
    @problems(bp, 401, 404, 422)
    def get(self, args, slug):
        """A page of the tenant's mentorships

        By first day; ``status`` open or closed (left out: both), ``mentee`` and
        ``mentor`` (the current mentor) by personnel number."""
        with tenant_work(slug) as work:
            return views.mentorships_page(work, args["status"], args["mentee"], args["mentor"],
                                          args["limit"], args["offset"])

    @bp.arguments(AssignSchema)
    @bp.response(201, MentorshipSchema, headers={"Location": {
        "description": "The new mentorship's URL", "schema": {"type": "string"}}})
    @problems(bp, 400, 401, 403, 404, 422, refusal=True)
    def post(self, data, slug):
        """Assign a mentor

        Opens the mentee's mentorship with the mentor from ``on``, if the tenant's regime
        allows it: coverage, the mentor's eligibility and capacity (counted over the whole
        term) are the regime's. A refusal is a 422 of type .../problems/refused with every
        finding (rule, paragraph, message) and writes nothing. Where the regime's exception
        applies (civil service p.8: the direct manager when nobody is eligible) the
        assignment is made and marked ``fallback``."""
        order = _order(data)
        with tenant_work(slug, write=True) as work:
            with input_errors(ASSIGN_FIELDS), _assignment_facts():
                m, _check = services.assign_mentor(work, **data, **order)
            view = views.mentorship_view(work, m, dt.date.today())
        return view, 201, {"Location": url_for("mentorships.mentorship", slug=slug,
                                               ref=view["id"])}


@bp.route("/<slug>/mentorships/<ref>", endpoint="mentorship", parameters=path_params())
@bp.arguments(AsOfArgs, location="query")
@bp.response(200, MentorshipSchema)
@problems(bp, 401, 404, 422)
def get_mentorship(args, slug, ref):
    """One mentorship

    Its assignments (mentors with orders), papers, term (with the rule that set it),
    findings, and deadlines with their paragraph and status as of ``as_of`` (today when
    left out)."""
    with tenant_work(slug) as work:
        return _view(work, ref, args["as_of"])


def _act(slug: str, ref: str, action, rename: dict | None = None) -> dict:
    """Resolve the mentorship (404 if it is not this tenant's), then act on it: a person the
    body names who does not exist is a 422; the mentorship as it is now is returned."""
    with tenant_work(slug, write=True) as work:
        m = services.find_mentorship(work, ref)
        mid = str(m.id)
        with input_errors(rename):
            action(work, mid)
        return _view(work, mid)


@bp.route("/<slug>/mentorships/<ref>/release", methods=["POST"], parameters=path_params())
@bp.arguments(ReleaseSchema)
@bp.response(200, MentorshipSchema)
@problems(bp, 400, 401, 403, 404, 422)
def release(data, slug, ref):
    """Release the mentor

    The current mentor's assignment ends on ``on`` for ``reason``, before any successor
    is named; the replacement deadline (e.g. prosecutor p.12, civil service p.11) runs
    from that day until a new mentor is assigned. Returns the mentorship as of today."""
    return _act(slug, ref, lambda work, mid: services.release_mentor(
        work, mid, data["on"], data["reason"]))


@bp.route("/<slug>/mentorships/<ref>/replace", methods=["POST"], parameters=path_params())
@bp.arguments(ReplaceSchema)
@bp.response(200, MentorshipSchema)
@problems(bp, 400, 401, 403, 404, 422, refusal=True)
def replace(data, slug, ref):
    """Replace the mentor

    A current mentor's assignment ends on ``released_on`` (the day before ``on``) for
    ``reason``; the new mentor's starts on ``on`` if the regime allows (else a 422
    refusal with findings). The term does not change. Returns the mentorship as of today."""
    order = _order(data)
    return _act(slug, ref, lambda work, mid: services.replace_mentor(
        work, mid, data["mentor"], data["on"], data["reason"], released_on=data["released_on"],
        **order, attributes=data["attributes"]), ASSIGN_FIELDS)


@bp.route("/<slug>/mentorships/<ref>/close", methods=["POST"], parameters=path_params())
@bp.arguments(CloseSchema)
@bp.response(200, MentorshipSchema)
@problems(bp, 400, 401, 403, 404, 422)
def close(data, slug, ref):
    """Close the mentorship

    ``on`` is its last day (and the current mentor's). Papers due after the end stay
    deadlines. Returns the mentorship as of today."""
    return _act(slug, ref, lambda work, mid: services.close_mentorship(work, mid, data["on"]))


@bp.route("/<slug>/mentorships/<ref>/papers", methods=["POST"], parameters=path_params())
@bp.arguments(PaperInSchema)
@bp.response(200, MentorshipSchema)
@problems(bp, 400, 401, 403, 404, 422)
def record_paper(data, slug, ref):
    """Record a paper

    The paper of this kind is done on ``done_on`` (null: not done after all); the
    deadline for it is then done, or done late. Returns the mentorship as of today."""
    return _act(slug, ref, lambda work, mid: services.record_paper(
        work, mid, data["kind"], data["done_on"], data.get("approved_by"), data["attributes"]),
        {"done": "done_on"})


@bp.route("/<slug>/absences", methods=["POST"], parameters=path_params(ref=False))
@bp.arguments(AbsenceInSchema)
@bp.response(201, AbsenceSchema)
@problems(bp, 400, 401, 403, 404, 422)
def record_absence(data, slug):
    """Record an absence

    Of a mentee or a mentor, from ``from`` to ``to`` (both counted). An absence for a
    valid reason within a mentorship's term may move its planned end later, as the regime
    says (civil service p.6): GET the mentorship to see its term and deadlines now."""
    with tenant_work(slug, write=True) as work, input_errors():
        absence = services.record_absence(work, data["person"], data["start"], data["end"],
                                          data["valid"], data["reason"])
        return {"id": str(absence.id), "person": data["person"], "from": absence.start,
                "to": absence.end, "valid": absence.valid_reason, "reason": absence.reason}, 201


@bp.route("/<slug>/suggestions", parameters=path_params(ref=False))
@bp.arguments(SuggestArgs, location="query")
@bp.response(200, SuggestionsSchema)
@problems(bp, 401, 404, 422)
def suggestions(args, slug):
    """Suggest mentors

    Who may mentor ``mentee`` from ``on`` (today when left out): the eligible ranked by
    the same unit as the mentee, then a position close above the mentee's in the line of
    management (the head of the body last), then free capacity, then the longest with the
    body; and
    every excluded person with the findings (rule, paragraph, message) that exclude them."""
    with tenant_work(slug) as work, input_errors():
        return views.suggestions(work, args["mentee"], args["on"] or dt.date.today(),
                                 limit=args["limit"])
