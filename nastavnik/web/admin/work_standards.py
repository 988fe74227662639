"""Work standards (regimes that keep them, e.g. prosecutor_2022: order No. 159 of 2015):
the schemes and a version's detail with its approval, importing a scheme from XLSX (checked
and previewed first, every error with its line and cell), recording work, a person's
workload and a unit's staff number, and the stage-3 evaluation page of a mentorship (the
mentee's workload beside the mentor's and the manager's assessment, p.6(3), p.11).

For any other regime the bar has no link and every page here is a 404."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (DateField, HiddenField, IntegerField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ...core.errors import InputError
from ...services import work_standards as ws
from ..i18n import current_language
from . import bp, form_post, nav, require_write, work
from .forms import DateRange, Rejected, attempt, bare, date_arg, page_arg, text_arg
from .mentorships import _form_errors
from .people import MAX_UPLOAD, _forget, _save_upload, _upload_path


def _keeps() -> bool:
    return getattr(g, "tenant", None) is not None and ws.regime_keeps_work_standards(g.tenant)


nav("admin.work_standards", _l("Work standards"), when=_keeps)


def _require() -> None:
    if not _keeps():
        abort(404)


# --- forms -----------------------------------------------------------------------------------

class SchemeUploadForm(FlaskForm):
    file = FileField(_l("XLSX or CSV file"), validators=[FileRequired()])
    position = StringField(_l("Position"), validators=[DataRequired(), Length(max=255)])
    direction = StringField(_l("Activity direction"), validators=[DataRequired(), Length(max=255)])


# Lengths are the columns' and the API's (the assessments' texts: the API's 5,000); dates
# are those of the working-day calendars (DateRange); counts are bounded as in the API.

class SchemeConfirmForm(FlaskForm):
    token = HiddenField(validators=[Length(max=64)])  # 32 hex digits and the suffix
    position = HiddenField(validators=[Length(max=255)])
    direction = HiddenField(validators=[Length(max=255)])
    filename = HiddenField(validators=[Length(max=255)])


class ApproveForm(FlaskForm):
    scheme = HiddenField(validators=[Length(max=63)])
    approved_by = StringField(_l("Approved by (head of the structural unit)"),
                              validators=[DataRequired(), Length(max=255)])
    approved_on = DateField(_l("Approved on"), validators=[DataRequired(), DateRange()])
    in_force_from = DateField(_l("In force from"), validators=[Optional(), DateRange()])
    hr_coordinated_by = StringField(_l("Coordinated with the HR department by"),
                                    validators=[Optional(), Length(max=255)])
    hr_coordinated_on = DateField(_l("Coordinated on"), validators=[Optional(), DateRange()])


MAX_COUNT = 1_000_000  # as the API's work records
RECORDS_PER_PAGE = 100


class RecordForm(FlaskForm):
    person = StringField(_l("Personnel number"), validators=[DataRequired(), Length(max=63)])
    action = StringField(_l("Action code"), validators=[DataRequired(), Length(max=63)])
    start = DateField(_l("From"), validators=[DataRequired(), DateRange()])
    end = DateField(_l("To"), validators=[DataRequired(), DateRange()])
    count = IntegerField(_l("Count"), validators=[DataRequired(),
                                                 NumberRange(min=1, max=MAX_COUNT)])
    results_met = IntegerField(_l("Results meeting the requirement"),
                               validators=[Optional(), NumberRange(min=0, max=MAX_COUNT)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


MAX_ASSESSMENT = 5000


class AssessmentForm(FlaskForm):
    role = SelectField(_l("Whose assessment"), choices=[
        SelectChoice("mentor", _l("the mentor's")),
        SelectChoice("manager", _l("the direct manager's"))])
    assessed_on = DateField(_l("Date"), validators=[DataRequired(), DateRange()])
    assessor = StringField(_l("Assessor's personnel number"), validators=[Optional(), Length(max=63)])
    training_level = TextAreaField(_l("Level of professional training"),
                                   validators=[Optional(), Length(max=MAX_ASSESSMENT)])
    work_efficiency = TextAreaField(_l("Work efficiency"),
                                    validators=[Optional(), Length(max=MAX_ASSESSMENT)])
    legal_culture = TextAreaField(_l("Legal culture"),
                                  validators=[Optional(), Length(max=MAX_ASSESSMENT)])
    ability = TextAreaField(_l("Ability to perform the functional duties"),
                            validators=[Optional(), Length(max=MAX_ASSESSMENT)])
    conclusion = TextAreaField(_l("Conclusion"),
                               validators=[DataRequired(), Length(max=MAX_ASSESSMENT)])


def _month() -> tuple[dt.date, dt.date]:
    first = dt.date.today().replace(day=1)
    return first, (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


# --- schemes ---------------------------------------------------------------------------------

def _schemes_page(code: int = 200, upload=None, approve=None, errors=None, problem=None):
    _require()
    selected = request.values.get("scheme", "").strip() or (approve.scheme.data if approve else "")
    with work() as w:
        schemes = [(s, ws.term_of(s)) for s in ws.list_schemes(w)]
        detail = None
        if selected:
            scheme = ws.find_scheme(w, selected)  # another tenant's or no such id: 404
            detail = {"scheme": scheme, "term": ws.term_of(scheme),
                      "types": ws.types_and_actions(scheme),
                      "approval": ws.approval_finding(w, scheme).to_json()}
            if approve is None and scheme.status == "draft":
                approve = ApproveForm(formdata=None, scheme=str(scheme.id))
        # rendered inside the unit of work: the rows are read in the tenant's scope
        page = render_template("work_schemes.html", schemes=schemes, detail=detail,
                               upload=upload or SchemeUploadForm(formdata=None), approve=approve,
                               errors=errors, problem=problem, lang=current_language())
    return page, code


@bp.route("/work-standards")
def work_standards():
    return _schemes_page()


@form_post("/work-standards/import", ".work_standards")
def work_scheme_import():
    """Step 1: the file checked whole and shown; nothing is written before confirmation."""
    _require()
    require_write()
    if (request.content_length or 0) > MAX_UPLOAD + 64 * 1024:
        abort(413)
    form = SchemeUploadForm()
    if not form.validate_on_submit():
        return _schemes_page(422, upload=form)
    try:
        token = _save_upload(form.file.data)
    except InputError as exc:
        return _schemes_page(422, upload=form, problem=bare(exc))
    path = _upload_path(token)
    try:
        actions = ws.read_scheme(ws.read_rows(path))
    except ws.SchemeRejected as exc:
        _forget(path)
        return _schemes_page(422, upload=form, errors=exc.errors)
    except InputError as exc:
        _forget(path)
        return _schemes_page(422, upload=form, problem=str(exc))
    confirm = SchemeConfirmForm(formdata=None, token=token, position=form.position.data,
                                direction=form.direction.data, filename=form.file.data.filename)
    return render_template("work_scheme_preview.html", actions=actions, confirm=confirm,
                           position=form.position.data, direction=form.direction.data,
                           filename=form.file.data.filename)


@form_post("/work-standards/import/confirm", ".work_standards")
def work_scheme_import_confirm():
    """Step 2: checked again and written as a new draft version; the upload goes either way."""
    _require()
    require_write()
    form = SchemeConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    path = _upload_path(form.token.data)
    try:
        with attempt() as w:
            scheme = ws.import_scheme(w, path, form.position.data, form.direction.data,
                                      source=form.filename.data or None)
            scheme_id, version = str(scheme.id), scheme.version
    except Rejected as exc:
        errors = exc.error.errors if isinstance(exc.error, ws.SchemeRejected) else None
        return _schemes_page(422, errors=errors, problem=None if errors else str(exc.error))
    finally:
        _forget(path)
    flash(_("Version %(n)s imported as a draft; approve it to put it in force.", n=version),
          "success")
    return redirect(url_for("admin.work_standards", scheme=scheme_id))


@form_post("/work-standards/import/cancel", ".work_standards")
def work_scheme_import_cancel():
    _require()
    require_write()
    form = SchemeConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    _forget(_upload_path(form.token.data))
    flash(_("The import was cancelled; nothing was written."), "success")
    return redirect(url_for("admin.work_standards"))


@form_post("/work-standards/approve", ".work_standards")
def work_scheme_approve():
    _require()
    require_write()
    form = ApproveForm()
    if not form.validate_on_submit():
        return _schemes_page(422, approve=form, problem=_form_errors(form))
    try:
        with attempt() as w:
            ws.approve_scheme(w, form.scheme.data, form.approved_by.data, form.approved_on.data,
                              form.in_force_from.data, form.hr_coordinated_by.data,
                              form.hr_coordinated_on.data)
    except Rejected as exc:
        if exc.error.field == "scheme" and "already approved" not in str(exc.error):
            abort(404)
        return _schemes_page(422, approve=form, problem=bare(exc.error))
    flash(_("The version was approved."), "success")
    return redirect(url_for("admin.work_standards", scheme=form.scheme.data))


# --- work recorded, workload, staff number ---------------------------------------------------

def _records_page(code: int = 200, form=None, problem=None):
    _require()
    person = text_arg("person", _l("Personnel number"), 63) or None
    number = page_arg(RECORDS_PER_PAGE)
    with work() as w:
        try:  # one more than a page: whether a next page exists
            rows = ws.list_records(w, person, limit=RECORDS_PER_PAGE + 1,
                                   offset=(number - 1) * RECORDS_PER_PAGE)
        except InputError:
            rows, problem = [], problem or _("No person with that personnel number.")
        has_next, rows = len(rows) > RECORDS_PER_PAGE, rows[:RECORDS_PER_PAGE]
        page = render_template("work_records.html", rows=rows, person=person, problem=problem,
                               page=number, has_next=has_next,
                               form=form or RecordForm(formdata=None, start=_month()[0],
                                                       end=_month()[1]))
    return page, code


@bp.route("/work-standards/records", methods=["GET", "POST"])
def work_records():
    if request.method == "GET":
        return _records_page()
    _require()
    require_write()
    form = RecordForm()
    if not form.validate_on_submit():
        return _records_page(422, form, _form_errors(form))
    try:
        with attempt() as w:
            ws.record_work(w, form.person.data, form.action.data, form.start.data, form.end.data,
                           form.count.data, form.results_met.data, form.note.data or "")
    except Rejected as exc:
        return _records_page(422, form, bare(exc.error))
    flash(_("The work was recorded."), "success")
    return redirect(url_for("admin.work_records"))


@bp.route("/work-standards/workload")
def workload():
    """A person's workload (with ?person=); without, the form to ask for one, and a unit's
    staff number (with ?unit=)."""
    _require()
    first, last = _month()
    start, end = date_arg("from", _l("From"), first), date_arg("to", _l("To"), last)
    person = text_arg("person", _l("Personnel number"), 63)
    unit = text_arg("unit", _l("Unit"))
    report = staff = problem = None
    code = 200
    with work() as w:
        try:
            if person:
                report = ws.workload_report(w, person, start, end)
            if unit:
                staff = ws.staff_number_report(w, unit, start, end)
        except InputError as exc:
            problem, code = bare(exc), 422
        return render_template("workload.html", report=report, staff=staff, person=person,
                               unit=unit, start=start, end=end, problem=problem,
                               lang=current_language()), code


# --- stage 3 of a mentorship -------------------------------------------------------------------

def _evaluation_page(mid: str, code: int = 200, form=None, problem=None):
    _require()
    as_of = date_arg("as_of", _l("As of"), dt.date.today())
    with work() as w:
        view = ws.evaluation_view(w, mid, as_of)
        page = render_template("evaluation.html", v=view, as_of=as_of, problem=problem,
                               lang=current_language(),
                               form=form or AssessmentForm(formdata=None, assessed_on=as_of))
    return page, code


@bp.route("/mentorships/<mid>/evaluation")
def evaluation(mid):
    return _evaluation_page(mid)


@form_post("/mentorships/<mid>/assessment", ".evaluation", "mid")
def assessment(mid):
    _require()
    require_write()
    with work() as w:
        ws.evaluation_view(w, mid)  # another tenant's or no such mentorship: 404 first
    form = AssessmentForm()
    if not form.validate_on_submit():
        return _evaluation_page(mid, 422, form, _form_errors(form))
    try:
        with attempt() as w:
            ws.record_assessment(w, mid, form.role.data, form.assessed_on.data,
                                 form.assessor.data or None,
                                 **{k: getattr(form, k).data for k in ws.ASSESSMENT_FIELDS})
    except Rejected as exc:
        return _evaluation_page(mid, 422, form, bare(exc.error))
    flash(_("The assessment was recorded."), "success")
    return redirect(url_for("admin.evaluation", mid=mid))


@bp.app_context_processor
def _evaluation_summary():
    """For the mentorship page's stage-3 section (``_evaluation_section.html``): the
    evaluation view of a mentorship, or None where the regime keeps no work standards."""
    def work_standards_evaluation(mid, as_of=None):
        if not _keeps():
            return None
        with work() as w:
            return ws.evaluation_view(w, str(mid), as_of).to_json()
    return {"work_standards_evaluation": work_standards_evaluation}
