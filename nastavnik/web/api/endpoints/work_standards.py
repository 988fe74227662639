"""Work standards (regimes that keep them, e.g. prosecutor_2022: order of the Prosecutor
General No. 159 of 26.12.2015):

    GET  /api/v1/tenants/<slug>/work-schemes                 every version of every scheme,
                                                             with types of work and actions
    POST /api/v1/tenants/<slug>/work-schemes                 a new version (draft, or approved)
    POST /api/v1/tenants/<slug>/work-schemes/approvals       approve a draft version
    GET  /api/v1/tenants/<slug>/work-records                 work recorded (person, period)
    POST /api/v1/tenants/<slug>/work-records                 record work against an action
    GET  /api/v1/tenants/<slug>/workload                     a person's workload in a period
    GET  /api/v1/tenants/<slug>/staff-number                 staff units a unit's work implies
    GET  /api/v1/tenants/<slug>/mentorships/<ref>/evaluation stage 3: workload beside the
                                                             mentor's and manager's assessment
    POST /api/v1/tenants/<slug>/mentorships/<ref>/assessments

For a tenant whose regime keeps no work standards every route here is a 404. Every figure
comes with the findings that explain it, citing the order and its paragraph."""

from __future__ import annotations

import datetime as dt

from flask import request
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from ....core.i18n import LANGUAGES
from ....services import work_standards as ws
from ....services.mentorships import find_mentorship
from .. import api_blueprint, tenant_work
from ..problems import problem
from ..schemas import CalendarDate, FindingOutSchema, PlainText, RequestSchema, problems
from .people import input_errors, path_param, refuse_nul_in_path

bp = api_blueprint("work_standards", "/tenants",
                   "Work standards: technological schemes (types of work, actions, time norms, "
                   "result requirements), work recorded against them, workload, staff number, "
                   "and the stage-3 evaluation of a mentee (regimes with work standards; "
                   "others 404)")
bp.before_request(refuse_nul_in_path)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
NUMBER = {"description": "Personnel number of a person of the tenant.", "example": "AP-104"}
REF = "The mentorship's id, or the personnel number of its mentee (the latest mentorship)."


@bp.before_request
def _resolve_path():
    """Tenant, role, regime and the mentorship in the path, before the body is read."""
    args = request.view_args or {}
    with tenant_work(args.get("slug", ""), write=request.method not in SAFE_METHODS) as work:
        if not ws.has_work_standards(work):
            abort(404, message=f"regime {work.regime.id} keeps no work standards")
        if "ref" in args:
            find_mentorship(work, args["ref"])  # NotFound: a 404


def _params(ref: bool = False) -> list:
    out = [path_param("slug")]
    if ref:
        out.append(path_param("ref", REF))
    return out


# --- schemas: what comes in ---------------------------------------------------------------------

class ActionInSchema(RequestSchema):
    """One action of a technological scheme, as a row of its spreadsheet (p.5)."""

    work_type = PlainText(required=True, max_length=500, metadata={
        "description": "The type of work the action belongs to (p.5(1)).",
        "example": "Supervision of appeals"})
    action_code = PlainText(required=True, max_length=63, metadata={
        "description": "The action's code, unique within the version; work is recorded "
                       "against it.", "example": "A1"})
    action = PlainText(required=True, max_length=500, metadata={
        "description": "The exact action (p.5(2)).", "example": "Review a citizen's appeal"})
    time_norm_minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=100000),
                                       metadata={"description": "Time norm of the action in "
                                                                "whole minutes (p.5(3)).",
                                                 "example": 90})
    result_requirement = PlainText(required=True, max_length=5000, metadata={
        "description": "The requirement on the action's result (p.5(4)).",
        "example": "Reviewed within the term, every argument answered"})


class ApprovalFields(RequestSchema):
    approved_by = PlainText(max_length=255, allow_none=True, metadata={
        "description": "Who approved the version (the head of the structural unit, p.6).",
        "example": "Head of the department for supervision of appeals"})
    approved_on = CalendarDate(allow_none=True, metadata={"description": "Date of approval."})
    in_force_from = CalendarDate(allow_none=True, metadata={
        "description": "In force from (default: the date of approval); later than the "
                       "version in force."})
    hr_coordinated_by = PlainText(max_length=255, allow_none=True, metadata={
        "description": "Coordinated with the HR department by (p.8).",
        "example": "HR department"})
    hr_coordinated_on = CalendarDate(allow_none=True, metadata={
        "description": "Date of the coordination (default: the date of approval)."})


class SchemeCreateSchema(ApprovalFields):
    """A new version of the scheme of a position in an activity direction; a draft unless
    approved_by and approved_on are given."""

    position = PlainText(required=True, max_length=255, metadata={
        "description": "The position the scheme is for.", "example": "assistant prosecutor"})
    direction = PlainText(required=True, max_length=255, metadata={
        "description": "The activity direction.", "example": "supervision of appeals"})
    actions = fields.List(fields.Nested(ActionInSchema), required=True,
                          validate=validate.Length(min=1, max=2000), metadata={
                              "description": "The actions, in order; types of work are "
                                             "grouped by name in the order they first appear."})


class ApproveSchema(ApprovalFields):
    """Approve a draft version: it supersedes earlier versions from its date."""

    scheme = PlainText(required=True, max_length=63, metadata={
        "description": "The draft version's id (UUID)."})
    approved_by = PlainText(required=True, max_length=255, metadata={
        "description": "Who approved it (the head of the structural unit, p.6)."})
    approved_on = CalendarDate(required=True, metadata={"description": "Date of approval."})


class RecordCreateSchema(RequestSchema):
    """Work a person did against an action of a version in force over the period."""

    person = PlainText(required=True, max_length=63, metadata=NUMBER)
    action = PlainText(required=True, max_length=63, metadata={
        "description": "The action's code.", "example": "A1"})
    start = CalendarDate(required=True, data_key="from", metadata={
        "description": "First day of the period."})
    end = CalendarDate(required=True, data_key="to", metadata={
        "description": "Last day of the period."})
    count = fields.Integer(required=True, validate=validate.Range(min=1, max=1000000),
                           metadata={"description": "How many times the action was done.",
                                     "example": 20})
    results_met = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=1000000),
                                 metadata={"description": "How many results met the action's "
                                                          "requirement (default: all).",
                                           "example": 18})
    scheme = PlainText(max_length=63, allow_none=True, metadata={
        "description": "The version's id, when the code is in several schemes in force."})
    note = PlainText(max_length=500, allow_none=True, metadata={"description": "A note."})


class AssessmentCreateSchema(RequestSchema):
    """The mentor's or the direct manager's assessment of the mentee (prosecutor_2022
    p.6(3), p.11); given again, it replaces the earlier one."""

    role = fields.String(required=True, validate=validate.OneOf(ws.ASSESSOR_ROLES), metadata={
        "description": "Whose assessment: mentor or manager.", "example": "mentor"})
    assessed_on = CalendarDate(required=True, metadata={"description": "Date of the assessment."})
    assessor = PlainText(max_length=63, allow_none=True, metadata={
        **NUMBER, "description": "Personnel number of the assessor (default: the current "
                                 "mentor, or the mentee's direct manager)."})
    training_level = PlainText(max_length=5000, allow_none=True, metadata={
        "description": "Level of professional training."})
    work_efficiency = PlainText(max_length=5000, allow_none=True, metadata={
        "description": "Efficiency of work."})
    legal_culture = PlainText(max_length=5000, allow_none=True, metadata={
        "description": "Legal culture."})
    ability = PlainText(max_length=5000, allow_none=True, metadata={
        "description": "Ability to perform the functional duties."})
    conclusion = PlainText(required=True, max_length=5000, metadata={
        "description": "The conclusion.", "example": "Ready for independent work"})


def _lang():
    return fields.String(validate=validate.OneOf(LANGUAGES), metadata={
        "description": "Language of the findings' text (default: the tenant's)."})


class LangArgs(RequestSchema):
    """The language of the findings' text."""

    lang = _lang()


class PeriodArgs(RequestSchema):
    start = CalendarDate(data_key="from", metadata={
        "description": "First day (default: the first day of the current month)."})
    end = CalendarDate(data_key="to", metadata={
        "description": "Last day (default: the last day of the current month)."})
    lang = _lang()


class RecordArgs(PeriodArgs):
    """Records overlapping a period (either end open when not given), of one person or all."""

    person = PlainText(max_length=63, metadata=NUMBER)
    start = CalendarDate(data_key="from", metadata={"description": "Overlapping from this day."})
    end = CalendarDate(data_key="to", metadata={"description": "Overlapping up to this day."})


class WorkloadArgs(PeriodArgs):
    """Whose workload, over which period."""

    person = PlainText(required=True, max_length=63, metadata=NUMBER)


class StaffArgs(PeriodArgs):
    """Which unit (and position), over which period."""

    unit = PlainText(required=True, max_length=255, metadata={
        "description": "The unit, as people's unit names it.", "example": "Appeals unit"})
    position = PlainText(max_length=255, metadata={"description": "Only this position."})


class EvaluationArgs(RequestSchema):
    as_of = CalendarDate(metadata={"description": "Count a running mentorship up to this day "
                                                  "(default: today)."})
    lang = _lang()


# --- schemas: what goes out ---------------------------------------------------------------------

class ActionSchema(Schema):
    code = fields.String(metadata={"description": "The action's code.", "example": "A1"})
    title = fields.String(metadata={"description": "The exact action (p.5(2))."})
    time_norm_minutes = fields.Integer(metadata={"description": "Time norm (p.5(3)).",
                                                 "example": 90})
    result_requirement = fields.String(metadata={"description": "Requirement on the result (p.5(4))."})


class WorkTypeSchema(Schema):
    title = fields.String(metadata={"description": "The type of work (p.5(1))."})
    actions = fields.List(fields.Nested(ActionSchema))


class SchemeSchema(Schema):
    """One version of a technological scheme."""

    id = fields.String(required=True, metadata={"description": "The version's id (UUID)."})
    position = fields.String(metadata={"description": "The position."})
    direction = fields.String(metadata={"description": "The activity direction."})
    version = fields.Integer(metadata={"description": "Version number, from 1.", "example": 1})
    status = fields.String(validate=validate.OneOf(("draft", "approved")))
    approved_by = fields.String(allow_none=True)
    approved_on = CalendarDate(validate=None, allow_none=True)
    hr_coordinated_by = fields.String(allow_none=True)
    hr_coordinated_on = CalendarDate(validate=None, allow_none=True)
    in_force_from = CalendarDate(validate=None, allow_none=True, metadata={
        "description": "First day in force; null for a draft."})
    in_force_to = CalendarDate(validate=None, allow_none=True, metadata={
        "description": "Last day in force (the day before the next approved version's); "
                       "null while it is the latest."})
    source = fields.String(allow_none=True, metadata={"description": "The file it came from."})
    types = fields.List(fields.Nested(WorkTypeSchema))
    findings = fields.List(fields.Nested(FindingOutSchema), metadata={
        "description": "Its approval and coordination (p.6, p.8)."})


class RecordSchema(Schema):
    id = fields.String(required=True)
    person = fields.String(metadata=NUMBER)
    full_name = fields.String()
    action = fields.String(metadata={"description": "The action's code."})
    action_title = fields.String()
    time_norm_minutes = fields.Integer()
    scheme = fields.String(metadata={"description": "The version's id."})
    scheme_version = fields.Integer()
    start = CalendarDate(validate=None, data_key="from", attribute="from")
    end = CalendarDate(validate=None, data_key="to", attribute="to")
    count = fields.Integer()
    results_met = fields.Integer()
    note = fields.String()


class WorkloadSchema(Schema):
    """A person's workload: normative hours of the work recorded within the period against
    their working time (p.3, p.5), and compliance with the result requirements (p.4)."""

    person = fields.String(metadata=NUMBER)
    full_name = fields.String()
    start = CalendarDate(validate=None, data_key="from", attribute="from")
    end = CalendarDate(validate=None, data_key="to", attribute="to")
    act = fields.String(metadata={"example": "prosecutor_work_standards_2015"})
    citation = fields.Dict(metadata={"description": "The order, in ru, kk and en."})
    calendar_working_days = fields.Integer(metadata={"description": "Working days of the "
                                                     "tenant's calendar in the period."})
    absent_working_days = fields.Integer(metadata={"description": "Of those, days absent."})
    working_days = fields.Integer()
    hours_per_day = fields.String(metadata={"example": "8"})
    hours_per_day_source = fields.String(validate=validate.OneOf(("setting", "default")))
    working_hours = fields.String(metadata={"example": "120"})
    normative_minutes = fields.Integer(metadata={"example": 4080})
    normative_hours = fields.String(metadata={"example": "68"})
    load_percent = fields.String(allow_none=True, metadata={
        "description": "Normative over working time, in percent (one decimal, half up); "
                       "null without working time.", "example": "56.7"})
    results = fields.Integer()
    results_met = fields.Integer()
    compliance_percent = fields.String(allow_none=True, metadata={"example": "88.9"})
    records = fields.List(fields.Nested(RecordSchema), metadata={"description": "Counted."})
    excluded_records = fields.List(fields.Nested(RecordSchema), metadata={
        "description": "Overlapping the period without lying within it: not counted."})
    findings = fields.List(fields.Nested(FindingOutSchema), metadata={
        "description": "Each figure explained, citing the order's paragraph."})


class StaffNumberSchema(Schema):
    """Staff units a unit's recorded work implies (p.3)."""

    unit = fields.String()
    position = fields.String(allow_none=True)
    start = CalendarDate(validate=None, data_key="from", attribute="from")
    end = CalendarDate(validate=None, data_key="to", attribute="to")
    working_days = fields.Integer()
    hours_per_day = fields.String()
    one_employee_hours = fields.String(metadata={"example": "144"})
    normative_minutes = fields.Integer()
    normative_hours = fields.String(metadata={"example": "128"})
    staff_number = fields.String(allow_none=True, metadata={"example": "0.89"})
    people = fields.List(fields.String(), metadata={"description": "Personnel numbers counted."})
    findings = fields.List(fields.Nested(FindingOutSchema))


class AssessmentSchema(Schema):
    role = fields.String(validate=validate.OneOf(ws.ASSESSOR_ROLES))
    assessor = fields.String(allow_none=True, metadata=NUMBER)
    assessor_name = fields.String(allow_none=True)
    assessed_on = CalendarDate(validate=None)
    training_level = fields.String()
    work_efficiency = fields.String()
    legal_culture = fields.String()
    ability = fields.String()
    conclusion = fields.String()


class AssessmentsSchema(Schema):
    mentor = fields.Nested(AssessmentSchema, allow_none=True)
    manager = fields.Nested(AssessmentSchema, allow_none=True)


class EvaluationSchema(Schema):
    """Stage 3 of the mentorship (prosecutor_2022 p.6(3), p.11)."""

    mentorship = fields.String()
    mentee = fields.String(metadata=NUMBER)
    mentor = fields.String(allow_none=True)
    manager = fields.String(allow_none=True)
    stage = fields.Integer(metadata={"example": 3})
    rule = fields.String(allow_none=True, metadata={"example": "prosecutor_2022.p11.evaluation"})
    paragraph = fields.String(allow_none=True, metadata={"example": "11"})
    workload = fields.Nested(WorkloadSchema)
    assessments = fields.Nested(AssessmentsSchema)
    evaluation_done_on = CalendarDate(validate=None, allow_none=True)


# --- views ----------------------------------------------------------------------------------

def _month(args: dict) -> tuple[dt.date, dt.date]:
    today = dt.date.today()
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return args.get("start") or first, args.get("end") or last


def _with_text(findings: list, lang: str) -> list:
    return [{**f, "text": f["message"][lang]} for f in findings]


def scheme_json(work, scheme, lang: str) -> dict:
    since, until = ws.term_of(scheme)
    return {"id": str(scheme.id), "position": scheme.position, "direction": scheme.direction,
            "version": scheme.version, "status": scheme.status, "approved_by": scheme.approved_by,
            "approved_on": scheme.approved_on, "hr_coordinated_by": scheme.hr_coordinated_by,
            "hr_coordinated_on": scheme.hr_coordinated_on, "in_force_from": since,
            "in_force_to": until, "source": scheme.source,
            "types": [{"title": t.title, "actions": [
                {"code": a.code, "title": a.title, "time_norm_minutes": a.time_norm_minutes,
                 "result_requirement": a.result_requirement} for a in actions]}
                for t, actions in ws.types_and_actions(scheme)],
            "findings": _with_text([ws.approval_finding(work, scheme).to_json()], lang)}


@bp.route("/<slug>/work-schemes", parameters=_params())
@bp.arguments(LangArgs, location="query", as_kwargs=True)
@bp.response(200, SchemeSchema(many=True))
@problems(bp, 401, 404, 422)
def list_schemes(slug, lang=None):
    """Every version of every technological scheme, with its types of work and actions."""
    with tenant_work(slug) as work:
        lang = lang or work.lang
        return [scheme_json(work, s, lang) for s in ws.list_schemes(work)]


def _scheme_rejected(error: ws.SchemeRejected):
    """The services number lines as a spreadsheet would (the header is line 1): action i
    of the body is line i + 2."""
    errors = {"json": {}}
    for line, _cell, field, message in error.errors:
        key = f"actions.{line - 2}.{field}" if line >= 2 else f"actions.{field}"
        errors["json"].setdefault(key, []).append(message)
    first = next(iter(errors["json"]))
    return problem(422, str(error), field=first, errors=errors)


@bp.route("/<slug>/work-schemes", methods=["POST"], parameters=_params())
@bp.arguments(SchemeCreateSchema)
@bp.response(201, SchemeSchema)
@problems(bp, 401, 403, 404, 422)
def create_scheme(data, slug):
    """A new version of a scheme (p.5): checked whole, written whole or not at all."""
    rows = [list(ws.COLUMNS)] + [[a[c] for c in ws.COLUMNS] for a in data["actions"]]
    approval = {k: data.get(k) for k in ("approved_by", "approved_on", "in_force_from",
                                         "hr_coordinated_by", "hr_coordinated_on")}
    try:
        with tenant_work(slug, write=True) as work:
            scheme = ws.import_scheme(work, rows, data["position"], data["direction"],
                                      source="api", **approval)
            return scheme_json(work, scheme, work.lang), 201
    except ws.SchemeRejected as error:
        return _scheme_rejected(error)


@bp.route("/<slug>/work-schemes/approvals", methods=["POST"], parameters=_params())
@bp.arguments(ApproveSchema)
@bp.response(200, SchemeSchema)
@problems(bp, 401, 403, 404, 422)
def approve_scheme(data, slug):
    """Approve a draft version (p.6, p.8): in force from its date, superseding the earlier."""
    with tenant_work(slug, write=True) as work, input_errors():
        scheme = ws.approve_scheme(work, data["scheme"], data["approved_by"], data["approved_on"],
                                   data.get("in_force_from"), data.get("hr_coordinated_by"),
                                   data.get("hr_coordinated_on"))
        return scheme_json(work, scheme, work.lang)


@bp.route("/<slug>/work-records", parameters=_params())
@bp.arguments(RecordArgs, location="query", as_kwargs=True)
@bp.response(200, RecordSchema(many=True))
@problems(bp, 401, 404, 422)
def list_records(slug, person=None, start=None, end=None, lang=None):
    """Work recorded, overlapping a period, of one person or all."""
    with tenant_work(slug) as work, input_errors():
        return [r.to_json() for r in ws.list_records(work, person, start, end)]


@bp.route("/<slug>/work-records", methods=["POST"], parameters=_params())
@bp.arguments(RecordCreateSchema)
@bp.response(201, RecordSchema)
@problems(bp, 401, 403, 404, 422)
def create_record(data, slug):
    """Record work against an action of the version in force over the whole period."""
    with tenant_work(slug, write=True) as work, input_errors():
        record = ws.record_work(work, data["person"], data["action"], data["start"], data["end"],
                                data["count"], data.get("results_met"), data.get("note") or "",
                                data.get("scheme"))
        row = next(r for r in ws.list_records(work, data["person"]) if r.record.id == record.id)
        return row.to_json(), 201


@bp.route("/<slug>/workload", parameters=_params())
@bp.arguments(WorkloadArgs, location="query", as_kwargs=True)
@bp.response(200, WorkloadSchema)
@problems(bp, 401, 404, 422)
def workload(slug, person, start=None, end=None, lang=None):
    """A person's normative hours against their working time (working days of the tenant's
    calendar less absences x the working day's hours), load and compliance, explained."""
    start, end = _month({"start": start, "end": end})
    with tenant_work(slug) as work, input_errors():
        data = ws.workload_report(work, person, start, end).to_json()
        lang = lang or work.lang
    return {**data, "findings": _with_text(data["findings"], lang),
            "records": data["records"], "excluded_records": data["excluded_records"]}


@bp.route("/<slug>/staff-number", parameters=_params())
@bp.arguments(StaffArgs, location="query", as_kwargs=True)
@bp.response(200, StaffNumberSchema)
@problems(bp, 401, 404, 422)
def staff_number(slug, unit, position=None, start=None, end=None, lang=None):
    """Staff units a unit's recorded work implies in a period (p.3)."""
    start, end = _month({"start": start, "end": end})
    with tenant_work(slug) as work, input_errors():
        data = ws.staff_number_report(work, unit, start, end, position).to_json()
        lang = lang or work.lang
    return {**data, "findings": _with_text(data["findings"], lang)}


@bp.route("/<slug>/mentorships/<ref>/evaluation", parameters=_params(ref=True))
@bp.arguments(EvaluationArgs, location="query", as_kwargs=True)
@bp.response(200, EvaluationSchema)
@problems(bp, 401, 404, 422)
def evaluation(slug, ref, as_of=None, lang=None):
    """Stage 3 (prosecutor_2022 p.6(3), p.11): the mentee's workload and compliance over the
    mentorship beside the mentor's and the direct manager's assessment."""
    with tenant_work(slug) as work:
        data = ws.evaluation_view(work, ref, as_of).to_json()
        lang = lang or work.lang
    data["workload"]["findings"] = _with_text(data["workload"]["findings"], lang)
    return data


@bp.route("/<slug>/mentorships/<ref>/assessments", methods=["POST"], parameters=_params(ref=True))
@bp.arguments(AssessmentCreateSchema)
@bp.response(201, AssessmentSchema)
@problems(bp, 401, 403, 404, 422)
def record_assessment(data, slug, ref):
    """The mentor's or the manager's assessment of the mentee (p.11)."""
    texts = {k: data.get(k) for k in ws.ASSESSMENT_FIELDS}
    with tenant_work(slug, write=True) as work, input_errors():
        ws.record_assessment(work, ref, data["role"], data["assessed_on"],
                             data.get("assessor"), **texts)
        view = ws.evaluation_view(work, ref).to_json()
    return view["assessments"][data["role"]], 201
