"""The council of mentors (regimes that have one, e.g. prosecutor_2022 p.17-22):

    GET  /api/v1/tenants/<slug>/councils                     the councils
    POST /api/v1/tenants/<slug>/councils                     create one
    GET  /api/v1/tenants/<slug>/councils/<council_id>        members, meetings with their
                                                             outcomes, findings, deadlines
    POST /api/v1/tenants/<slug>/councils/<council_id>/members
    POST /api/v1/tenants/<slug>/councils/<council_id>/meetings      (date, present)
    PUT  /api/v1/tenants/<slug>/meetings/<meeting_id>/attendance
    POST /api/v1/tenants/<slug>/meetings/<meeting_id>/items
    PUT  /api/v1/tenants/<slug>/items/<item_id>/votes        {number: for|against|abstain}
    GET  /api/v1/tenants/<slug>/meetings/<meeting_id>/outcome

For a tenant whose regime has no council every route here is a 404. The path is resolved
before the body is read: a tenant the user is not in, or another tenant's id, is a 404
(and a viewer's write a 403) whatever the body says. Ids in the path are full UUIDs (the
CLI's short prefixes are not taken here); people are named by their personnel number.
Quorum, majority and the chair's casting vote are the regime's, through the services."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from flask import request, url_for
from flask_smorest import abort
from marshmallow import (INCLUDE, Schema, ValidationError, fields, pre_load, validate,
                         validates_schema)

from .... import services
from ....core.errors import InputError, NotFound
from ....core.i18n import LANGUAGES
from ....core.model import VOTES
from ....services import councils as council_services
from ....services.councils import ROLES
from .. import api_blueprint, tenant_work
from ..problems import problem
from ..schemas import (CalendarDate, DeadlineOutSchema, FindingOutSchema, PlainText,
                       RequestSchema, problems)

bp = api_blueprint("councils", "/tenants/<slug>",
                   "The council of mentors: members, meetings, attendance, agenda, votes and "
                   "the decision explained (regimes with a council; others 404)")

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
DECIDED_BY = ("majority", "tie_broken_by_chair", "tie_unresolved", "no_quorum")
NUMBER = {"description": "Personnel number of a person of the tenant.", "example": "AP-002"}
LANG = {"description": "Language of the explanations and the findings' and deadlines' "
                       "texts (default: the tenant's).", "example": "en"}


# --- schemas: what comes in --------------------------------------------------------------------

class CouncilCreateSchema(RequestSchema):
    """A new council of mentors."""

    name = PlainText(required=True, max_length=255, metadata={
        "description": "Name of the council.", "example": "Council of mentors"})
    created_on = CalendarDate(required=True, metadata={
        "description": "The day the council was created."})
    order_number = PlainText(max_length=63, allow_none=True, metadata={
        "description": "Number of the head's order approving the council (p.17).",
        "example": "3-o"})
    order_date = CalendarDate(allow_none=True, metadata={"description": "Date of that order."})


class CouncilMemberCreateSchema(RequestSchema):
    """A member added to a council."""

    person = PlainText(required=True, max_length=63, metadata={
        **NUMBER, "description": "Personnel number of the person who joins."})
    role = fields.String(load_default="member", validate=validate.OneOf(ROLES), metadata={
        "description": f"Role in the council: one of {', '.join(ROLES)} (one chair per "
                       "council).", "example": ROLES[-1]})
    basis = PlainText(max_length=63, allow_none=True, metadata={
        "description": "Ground of membership as the regime names it (its council_bases, GET "
                       "/regimes/<id>); recorded as "
                       "given, checked by the regime's council findings.",
        "example": "veteran"})
    attributes = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": "Attributes of the membership, an object.", "example": {}})


class CouncilMeetingCreateSchema(RequestSchema):
    """A meeting of a council, with who was present."""

    date = CalendarDate(required=True, metadata={
        "description": "Date of the meeting, on or after the council's creation."})
    present = fields.List(PlainText(max_length=63, metadata=NUMBER), load_default=list,
                          metadata={"description": "Personnel numbers of the members present.",
                                    "example": ["AP-002", "AP-003"]})


class AttendanceSchema(RequestSchema):
    """Who was present at a meeting; replaces the earlier record."""

    present = fields.List(PlainText(max_length=63, metadata=NUMBER), required=True, metadata={
        "description": "Personnel numbers of the members present (votes already given by a "
                       "member now recorded absent are kept, and the regime reports them as "
                       "not counted).", "example": ["AP-002", "AP-003"]})


class AgendaItemCreateSchema(RequestSchema):
    """An item of a meeting's agenda."""

    title = PlainText(required=True, max_length=500, metadata={
        "description": "What the council considers.",
        "example": "Reports of the mentor and the young employee"})
    hearing = PlainText(max_length=63, allow_none=True, metadata={
        "description": "The mentorship whose reports the item hears (prosecutor_2022 "
                       "p.6(4)): its id, or the personnel number of its mentee."})


VOTES_BODY = {
    "type": "object",
    "description": "Votes on the item: personnel number of a member present at the meeting "
                   "-> for | against | abstain. A vote given again replaces the earlier one; "
                   "every vote is checked before any is written.",
    "minProperties": 1,
    "additionalProperties": {"type": "string", "enum": list(VOTES)},
    "example": {"AP-002": "for", "AP-003": "against", "AP-011": "abstain"},
}


class VotesSchema(RequestSchema):
    """Votes on an agenda item, ``{personnel number: for | against | abstain}``: the body is
    the mapping itself (documented by VOTES_BODY)."""

    class Meta:
        unknown = INCLUDE

    @pre_load
    def _an_object(self, data, **kwargs):
        if not isinstance(data, dict):
            raise ValidationError("an object {personnel number: for | against | abstain}",
                                  "_schema")
        return data

    @validates_schema(pass_original=True)
    def _votes(self, data, original, **kwargs):
        if not original:
            raise ValidationError("give at least one vote {personnel number: for | against "
                                  "| abstain}", "_schema")
        errors = {}
        for number, vote in original.items():
            if not number.strip() or "\x00" in number or len(number) > 63:
                errors[number] = ["not a personnel number"]
            elif vote not in VOTES:
                errors[number] = [f"one of {', '.join(VOTES)}"]
        if errors:
            raise ValidationError(errors)


class CouncilArgs(RequestSchema):
    """The date and language a council is shown for."""

    as_of = CalendarDate(metadata={"description": "The date the deadlines' status is counted "
                                                  "on (default: today)."})
    lang = fields.String(validate=validate.OneOf(LANGUAGES), metadata=LANG)


class OutcomeArgs(RequestSchema):
    """The language of a meeting's outcome."""

    lang = fields.String(validate=validate.OneOf(LANGUAGES), metadata=LANG)


# --- schemas: what goes out --------------------------------------------------------------------

class CouncilOrderSchema(Schema):
    """The head's order approving a council (p.17)."""

    number = fields.String(allow_none=True, metadata={"description": "Number of the order.",
                                                      "example": "3-o"})
    date = CalendarDate(validate=None, allow_none=True,
                        metadata={"description": "Date of the order."})


class CouncilSchema(Schema):
    """A council of mentors."""

    id = fields.String(required=True, metadata={"description": "The council's id (UUID)."})
    name = fields.String(required=True, metadata={"description": "Name of the council."})
    created_on = CalendarDate(validate=None, required=True, metadata={
        "description": "The day the council was created."})
    order = fields.Nested(CouncilOrderSchema, metadata={
        "description": "The head's order approving the council (p.17); nulls if none."})


class CouncilMemberSchema(Schema):
    """A member of a council."""

    person = fields.String(required=True, metadata=NUMBER)
    name = fields.String(metadata={"description": "Full name."})
    role = fields.String(validate=validate.OneOf(ROLES), metadata={
        "description": f"Role in the council: one of {', '.join(ROLES)}."})
    basis = fields.String(allow_none=True, metadata={
        "description": "Ground of membership, as recorded."})
    attributes = fields.Dict(metadata={"description": "Attributes of the membership."})


class QuorumSchema(Schema):
    """The quorum a meeting is held to."""

    required = fields.Integer(allow_none=True, metadata={
        "description": "Members who must be present for the meeting to be quorate.",
        "example": 5})
    rule = fields.String(allow_none=True, metadata={
        "description": "The quorum as the regulation states it.", "example": "2/3"})


class AgendaItemSchema(Schema):
    """An agenda item as added."""

    id = fields.String(required=True, metadata={"description": "The item's id (UUID)."})
    meeting = fields.String(required=True, metadata={"description": "Its meeting's id."})
    position = fields.Integer(metadata={"description": "Its place on the agenda, from 1."})
    title = fields.String(metadata={"description": "What the council considers."})
    hearing = fields.String(allow_none=True, metadata={
        "description": "Id of the mentorship whose reports the item hears, if any."})


class AgendaItemOutcomeSchema(AgendaItemSchema):
    """An agenda item with its votes and the decision on it."""

    votes = fields.Dict(keys=fields.String(),
                        values=fields.String(validate=validate.OneOf(VOTES)), metadata={
                            "description": "Personnel number -> for | against | abstain.",
                            "example": {"AP-002": "for", "AP-003": "against"}})
    for_ = fields.Integer(data_key="for", attribute="for",
                          metadata={"description": "Votes for."})
    against = fields.Integer(metadata={"description": "Votes against."})
    abstained = fields.Integer(metadata={"description": "Abstentions."})
    adopted = fields.Boolean(allow_none=True, metadata={
        "description": "Whether the decision is adopted; null when none could be taken "
                       "(no quorum, a tie the chair did not break)."})
    tie_broken_by_chair = fields.Boolean(metadata={
        "description": "The votes were equally divided and the chair's vote decided."})
    majority_needed = fields.Integer(allow_none=True, metadata={
        "description": "Votes for needed for a simple majority of the members present."})
    decided_by = fields.String(allow_none=True, validate=validate.OneOf(DECIDED_BY), metadata={
        "description": "How the decision was reached: majority, tie_broken_by_chair, "
                       "tie_unresolved or no_quorum."})


class MeetingOutcomeSchema(Schema):
    """What the regime says of a meeting: quorum, each item's decision, findings, and the
    explanation of how decisions are taken."""

    meeting = fields.String(required=True, metadata={"description": "The meeting's id."})
    council = fields.String(required=True, metadata={"description": "Its council's id."})
    date = CalendarDate(validate=None, metadata={"description": "Date of the meeting."})
    rule = fields.String(metadata={"description": "The rule that decides.",
                                   "example": "prosecutor_2022.p21.decision"})
    paragraph = fields.String(metadata={"description": "Its paragraph of the regulation.",
                                        "example": "21"})
    members = fields.Integer(metadata={"description": "Members of the council."})
    present = fields.Integer(metadata={"description": "Members present."})
    present_members = fields.List(fields.String(), metadata={
        "description": "Personnel numbers of the members present."})
    quorate = fields.Boolean(metadata={"description": "Whether the meeting had its quorum."})
    quorum = fields.Nested(QuorumSchema, metadata={"description": "The quorum applied."})
    lang = fields.String(validate=validate.OneOf(LANGUAGES),
                         metadata={"description": "Language of the texts."})
    explanation = fields.String(metadata={
        "description": "How the decisions were reached: quorum, majority, the chair's vote."})
    items = fields.List(fields.Nested(AgendaItemOutcomeSchema),
                        metadata={"description": "The agenda, each item with its decision."})
    findings = fields.List(fields.Nested(FindingOutSchema), metadata={
        "description": "The regime's findings on the meeting, each with its paragraph."})
    facts = fields.Dict(metadata={"description": "What the rule looked at, as it reports it."})


class CouncilMeetingSchema(Schema):
    """A meeting with who was present and its outcome."""

    id = fields.String(required=True, metadata={"description": "The meeting's id (UUID)."})
    council = fields.String(metadata={"description": "Its council's id."})
    date = CalendarDate(validate=None, metadata={"description": "Date of the meeting."})
    present = fields.List(fields.String(), metadata={
        "description": "Personnel numbers of the members present."})
    outcome = fields.Nested(MeetingOutcomeSchema, metadata={
        "description": "The regime's outcome of the meeting."})


class CouncilDetailSchema(CouncilSchema):
    """A council with its members, meetings and their outcomes, and the regime's findings
    and deadlines on it as of a date."""

    as_of = CalendarDate(validate=None, metadata={
        "description": "The date the deadlines' status is counted on."})
    members = fields.List(fields.Nested(CouncilMemberSchema),
                          metadata={"description": "Members, the chair first."})
    meetings = fields.List(fields.Nested(CouncilMeetingSchema),
                           metadata={"description": "Meetings in order of date."})
    findings = fields.List(fields.Nested(FindingOutSchema), metadata={
        "description": "Findings on the council and its meetings (composition, quorum, ...), "
                       "each with its rule and paragraph."})
    deadlines = fields.List(fields.Nested(DeadlineOutSchema), metadata={
        "description": "Deadlines on the council (e.g. its first meeting, p.20), with status."})


# --- the path first ----------------------------------------------------------------------------

PATH_IDS = {"council_id": ("council", council_services.find_council),
            "meeting_id": ("meeting", council_services.find_meeting),
            "item_id": ("agenda_item", council_services.find_item)}


def _uuid(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise NotFound(f"no {what} {value!r}", field=what) from None


@bp.before_request
def _resolve_path():
    """Tenant, role, regime and the ids in the path, before the body is parsed: so a
    stranger gets a 404 and a viewer's write a 403 whatever is sent."""
    args = request.view_args or {}
    slug = args.get("slug", "")
    if "\x00" in slug:
        abort(404, message="no such tenant")
    with tenant_work(slug, write=request.method not in SAFE_METHODS) as work:
        if not work.regime.info.has_council:
            abort(404, message=f"regime {work.regime.id} has no council of mentors")
        for name, (what, find) in PATH_IDS.items():
            if name in args:
                find(work, _uuid(args[name], what))


def _body_ref(error: NotFound):
    """A person or mentorship named in the body that the tenant does not have: bad input
    (422, naming the field), not a missing resource (the path was resolved already)."""
    return problem(422, str(error), field=error.field)


# --- views -------------------------------------------------------------------------------------

PATH_PARAMETERS = {
    "slug": ("The tenant's slug (a tenant the token's user is in).",
             {"type": "string", "minLength": 1}),
    "council_id": ("The council's id.", {"type": "string", "format": "uuid"}),
    "meeting_id": ("The meeting's id.", {"type": "string", "format": "uuid"}),
    "item_id": ("The agenda item's id.", {"type": "string", "format": "uuid"}),
}


def route(rule: str, **options):
    """``bp.route`` with its path parameters described."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", bp.url_prefix + rule)
    parameters = [{"in": "path", "name": name, "required": True,
                   "description": PATH_PARAMETERS[name][0],
                   "schema": dict(PATH_PARAMETERS[name][1])} for name in names]
    return bp.route(rule, parameters=parameters, **options)


def _in_force(work, created_on: dt.date) -> None:
    """A council created before its regime is in force would have no parameter values
    (quorum, size) to be judged by, and would break every later evaluation of the tenant:
    refused here (the services take any date)."""
    since = work.regime.info.effective_from
    since = dt.date.fromisoformat(since) if isinstance(since, str) else since
    if since is not None and created_on < since:
        raise InputError(f"the regime {work.regime.id} is in force from {since.isoformat()}; "
                         "a council cannot be created before", field="created_on")


def _council_json(council) -> dict:
    return {"id": str(council.id), "name": council.name, "created_on": council.created_on,
            "order": {"number": council.order_number, "date": council.order_date}}


def _outcome_json(view: dict, lang: str) -> dict:
    facts = view.get("facts") or {}
    return {**view, "quorum": {"required": facts.get("required"), "rule": facts.get("quorum")},
            "lang": lang,
            "items": [{**item, "meeting": view["meeting"]} for item in view["items"]]}


def _meeting_json(work, meeting_id: str, lang: str) -> dict:
    view = council_services.meeting_view(work, meeting_id, lang)
    return {"id": view["meeting"], "council": view["council"], "date": view["date"],
            "present": view["present_members"], "outcome": _outcome_json(view, lang)}


@route("/councils")
@bp.response(200, CouncilSchema(many=True))
@problems(bp, 401, 404)
def list_councils(slug):
    """The tenant's councils of mentors."""
    with tenant_work(slug) as work:
        return [_council_json(c) for c in services.list_councils(work)]


@route("/councils", methods=["POST"])
@bp.arguments(CouncilCreateSchema)
@bp.response(201, CouncilSchema, headers={"Location": {
    "description": "The new council's URL.", "schema": {"type": "string"}}})
@problems(bp, 401, 403, 404, 422)
def create_council(data, slug):
    """Create a council of mentors (prosecutor_2022 p.17)."""
    with tenant_work(slug, write=True) as work:
        _in_force(work, data["created_on"])
        council = services.create_council(work, data["name"], data["created_on"],
                                          data.get("order_number"), data.get("order_date"))
        body = _council_json(council)
    location = url_for(".get_council", slug=slug, council_id=body["id"])
    return body, 201, {"Location": location}


@route("/councils/<council_id>")
@bp.arguments(CouncilArgs, location="query", as_kwargs=True)
@bp.response(200, CouncilDetailSchema)
@problems(bp, 401, 404, 422)
def get_council(slug, council_id, as_of=None, lang=None):
    """A council: members with roles, meetings with their outcomes, and the regime's
    findings (composition, quorum, ...) and deadlines on it, with paragraphs."""
    with tenant_work(slug) as work:
        view = services.council_view(work, council_id, as_of or dt.date.today(),
                                     lang or work.lang)
        lang = lang or work.lang
    view["meetings"] = [{**m, "council": view["id"], "outcome": _outcome_json(m["outcome"], lang)}
                        for m in view["meetings"]]
    return view


@route("/councils/<council_id>/members", methods=["POST"])
@bp.arguments(CouncilMemberCreateSchema)
@bp.response(201, CouncilMemberSchema)
@problems(bp, 401, 403, 404, 422)
def add_member(data, slug, council_id):
    """Add a member with a role and the ground of membership."""
    try:
        with tenant_work(slug, write=True) as work:
            member = services.add_member(work, council_id, data["person"], data["role"],
                                         data.get("basis"), data["attributes"])
            person = services.find_person(work, data["person"])
            return {"person": person.number, "name": person.full_name, "role": member.role,
                    "basis": member.basis, "attributes": member.attributes}, 201
    except NotFound as error:
        return _body_ref(error)


@route("/councils/<council_id>/meetings", methods=["POST"])
@bp.arguments(CouncilMeetingCreateSchema)
@bp.response(201, CouncilMeetingSchema, headers={"Location": {
    "description": "The URL of the meeting's outcome.", "schema": {"type": "string"}}})
@problems(bp, 401, 403, 404, 422)
def add_meeting(data, slug, council_id):
    """Add a meeting on a date, with the members present; answers with its outcome."""
    try:
        with tenant_work(slug, write=True) as work:
            meeting_id = str(services.add_meeting(work, council_id, data["date"],
                                                  data["present"]).id)
    except NotFound as error:
        return _body_ref(error)
    with tenant_work(slug) as work:
        body = _meeting_json(work, meeting_id, work.lang)
    return body, 201, {"Location": url_for(".get_outcome", slug=slug, meeting_id=meeting_id)}


@route("/meetings/<meeting_id>/attendance", methods=["PUT"])
@bp.arguments(AttendanceSchema)
@bp.response(200, CouncilMeetingSchema)
@problems(bp, 401, 403, 404, 422)
def set_attendance(data, slug, meeting_id):
    """Record who was present at a meeting (replaces the earlier record)."""
    try:
        with tenant_work(slug, write=True) as work:
            services.set_attendance(work, meeting_id, data["present"])
    except NotFound as error:
        return _body_ref(error)
    with tenant_work(slug) as work:
        return _meeting_json(work, meeting_id, work.lang)


@route("/meetings/<meeting_id>/items", methods=["POST"])
@bp.arguments(AgendaItemCreateSchema)
@bp.response(201, AgendaItemSchema)
@problems(bp, 401, 403, 404, 422)
def add_item(data, slug, meeting_id):
    """Add an item to a meeting's agenda, possibly hearing a mentorship's reports."""
    try:
        with tenant_work(slug, write=True) as work:
            item = services.add_item(work, meeting_id, data["title"], data.get("hearing"))
            return {"id": str(item.id), "meeting": str(item.meeting_id),
                    "position": item.position, "title": item.title,
                    "hearing": str(item.hearing_id) if item.hearing_id else None}, 201
    except NotFound as error:
        return _body_ref(error)


@route("/items/<item_id>/votes", methods=["PUT"])
@bp.arguments(VotesSchema)
@bp.doc(requestBody={"required": True,
                     "content": {"application/json": {"schema": VOTES_BODY}}})
@bp.response(200, AgendaItemOutcomeSchema)
@problems(bp, 401, 403, 404, 422)
def record_votes(votes, slug, item_id):
    """Record votes on an agenda item; answers with the item's votes and decision."""
    try:
        with tenant_work(slug, write=True) as work:
            item = services.record_votes(work, item_id, votes)
            item_id, meeting_id = str(item.id), str(item.meeting_id)
    except InputError as error:  # the body is the mapping: "P01", not "votes.P01"
        field = error.field or ""
        field = field[len("votes."):] if field.startswith("votes.") else error.field
        return problem(422, str(error), field=field)
    with tenant_work(slug) as work:
        outcome = _outcome_json(council_services.meeting_view(work, meeting_id, work.lang),
                                work.lang)
    return next(i for i in outcome["items"] if i["id"] == item_id)


@route("/meetings/<meeting_id>/outcome")
@bp.arguments(OutcomeArgs, location="query", as_kwargs=True)
@bp.response(200, MeetingOutcomeSchema)
@problems(bp, 401, 404, 422)
def get_outcome(slug, meeting_id, lang=None):
    """A meeting's outcome: quorum, each item's votes and decision (a tie broken by the
    chair's vote), the explanation, and the findings with their paragraphs."""
    with tenant_work(slug) as work:
        lang = lang or work.lang
        return _outcome_json(council_services.meeting_view(work, meeting_id, lang), lang)
