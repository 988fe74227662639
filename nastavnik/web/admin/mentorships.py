"""Mentorships: the list, one mentorship's timeline with its forms, and assigning a mentor.

Views call services and nothing else: whether an assignment is allowed, which mentors are
suggested, every deadline and finding come from the tenant's regime. A refused change is
shown with every finding (rule, paragraph, message) and writes nothing (HTTP 422)."""

from __future__ import annotations

import contextlib
import datetime as dt

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ... import services
from ...core.errors import InputError, NotFound, Refused, UnknownCode
from ...core.vocabulary import MENTORSHIP_STATUSES
from ...services import views
from .. import labels
from ..i18n import current_language
from . import bp, form_post, nav, require_write, work
from .forms import (DateRange, attribute_rows, collect, date_arg, error_at_field, form_class,
                    initial, page_arg, place_error, say, schema_fields, text_arg)

# the codes' labels are shared with the rest of the admin (web/labels.py); a paper's kind
# and an end reason are the tenant's regime's (labels.regime_labels, per request)
STATUS_LABELS, SEVERITY_LABELS = labels.STATUS, labels.SEVERITY
EVENT_LABELS = {
    "start": _l("Mentorship starts"), "mentor_from": _l("Mentor from"),
    "mentor_to": _l("Mentor until"), "absence": _l("Absence"), "paper": _l("Paper done"),
    "deadline": _l("Deadline"), "planned_end": _l("Planned end of the term"),
    "closed": _l("Mentorship closed"),
}
LABELS = {"status": STATUS_LABELS, "severity": SEVERITY_LABELS, "event": EVENT_LABELS}


def _labels() -> dict:
    """LABELS with the tenant's regime's papers, deadline kinds and end reasons."""
    return {**LABELS, "paper": labels.regime_labels("paper"),
            "reason": labels.regime_labels("end_reason")}

nav("admin.mentorships", _l("Mentorships"))
nav("admin.assign", _l("Assign a mentor"), when=lambda: g.may_write)


# --- forms ---------------------------------------------------------------------------------

# Lengths are the columns' (and the API's); dates are those of the working-day calendars
# (DateRange), as the API takes them. Personnel numbers are chosen from lists the page
# fills, but what is sent is whatever the browser sends: not checked against the choices
# (a number that names nobody is the services' to refuse), only bounded.

class PaperForm(FlaskForm):
    kind = SelectField(_l("Paper"), choices=())  # the tenant's regime's (_regime_choices)
    done_on = DateField(_l("Done on"), validators=[DataRequired(), DateRange()])
    approved_by = StringField(_l("Approved by"), validators=[Optional(), Length(max=255)])


class AbsenceForm(FlaskForm):
    person = SelectField(_l("Who"), validate_choice=False,
                         validators=[DataRequired(), Length(max=63)])
    absent_from = DateField(_l("From"), validators=[DataRequired(), DateRange()])
    absent_to = DateField(_l("To"), validators=[DataRequired(), DateRange()])
    valid_reason = BooleanField(_l("For a valid reason (illness, leave, ...)"), default=True)
    absence_reason = StringField(_l("Reason"), validators=[Optional(), Length(max=255)])


class ReleaseForm(FlaskForm):
    released_on = DateField(_l("Last day of the mentor"), validators=[DataRequired(), DateRange()])
    # no default: a wrong legal ground is too easy to leave as it is
    release_reason = SelectField(_l("Why the mentor's assignment ends"), choices=(),
                                 validators=[DataRequired()])


class ReplaceForm(FlaskForm):
    mentor = SelectField(_l("New mentor"), validate_choice=False,
                         validators=[DataRequired(), Length(max=63)])
    replace_on = DateField(_l("First day of the new mentor"),
                           validators=[DataRequired(), DateRange()])
    # asked only while there is a current mentor (one released has their reason already)
    reason = SelectField(_l("Why the current mentor's assignment ends"), choices=(),
                         validators=[Optional()])
    released_on = DateField(_l("Last day of the current mentor (the day before, if empty)"),
                            validators=[Optional(), DateRange()])
    order_number = StringField(_l("Order No."), validators=[Optional(), Length(max=63)])
    order_date = DateField(_l("Order date"), validators=[Optional(), DateRange()])


class CloseForm(FlaskForm):
    closed_on = DateField(_l("Last day of the mentorship"), validators=[DataRequired(), DateRange()])


class AssignForm(FlaskForm):
    mentee = SelectField(_l("Mentee"), validate_choice=False,
                         validators=[DataRequired(), Length(max=63)])
    on = DateField(_l("First day"), validators=[DataRequired(), DateRange()])
    mentor = SelectField(_l("Mentor"), validate_choice=False,
                         validators=[DataRequired(), Length(max=63)])
    order_number = StringField(_l("Order No."), validators=[Optional(), Length(max=63)])
    order_date = DateField(_l("Order date"), validators=[Optional(), DateRange()])
    joined_on = DateField(_l("Joined the body on"), validators=[Optional(), DateRange()])
    term_months = IntegerField(_l("Term stated by the order, months"),
                               validators=[Optional(), NumberRange(min=1, max=60)])
    planned_end = DateField(_l("Last day stated by the order"),
                            validators=[Optional(), DateRange()])


# The facts the tenant's regime keeps on a mentorship ("m") and an assignment ("a"): fields
# generated from its schemas, as a person's attributes are (forms.schema_fields).

def _facts_fields(w, mentorship: bool = True) -> tuple[list, list]:
    """The generated fields of the regime's mentorship (when asked) and assignment facts."""
    return (schema_fields(w.regime.mentorship_schema, "m") if mentorship else [],
            schema_fields(w.regime.assignment_schema, "a"))


def _paper_fields(w) -> dict:
    """Paper kind -> the generated fields of what a paper of that kind carries (its
    ``fields`` schema), for the kinds that carry something."""
    return {k: schema_fields(p.fields, f"p__{k}") for k, p in w.regime.paper_kinds.items()
            if p.fields}


def _paper_form(paper_fields: dict):
    return form_class(PaperForm, [f for fields in paper_fields.values() for f in fields])


def _facts_form(base, facts: tuple[list, list]):
    return form_class(base, facts[0] + facts[1])


def _facts_error(form, facts: tuple[list, list], exc: InputError) -> str | None:
    """A service's error in the facts next to its field; returned when no field is its place."""
    fields = facts[0] if exc.source == "mentorship attributes" else \
        facts[1] if exc.source == "assignment attributes" else None
    if fields is not None and place_error(form, fields, exc):
        return None
    return str(exc)


# --- helpers -------------------------------------------------------------------------------

@contextlib.contextmanager
def _as_input():
    """A number typed or chosen in a form that names nobody is bad input (422), not a
    missing page (404)."""
    try:
        yield
    except NotFound as error:
        bad = InputError(str(error))
        bad.field = error.field
        raise bad from error


def _regime_choices(forms: dict, regime) -> None:
    """The paper and end-reason selects offer the tenant's regime's codes, and only those
    (what is sent is still checked by the services)."""
    lang = current_language()
    if "paper" in forms:
        forms["paper"].kind.choices = [SelectChoice(k, p.label.localize(lang))
                                       for k, p in regime.paper_kinds.items()]
    reasons = [SelectChoice("", "—")] + [SelectChoice(k, t.localize(lang))
                                         for k, t in regime.end_reasons.items()]
    if "replace" in forms:
        forms["replace"].reason.choices = reasons
    if "release" in forms:
        forms["release"].release_reason.choices = reasons


def _form_errors(form) -> str:
    return "; ".join(f"{getattr(form, name).label.text}: {' '.join(map(str, errors))}"
                     for name, errors in form.errors.items())


def _refusal(error: Refused) -> dict:
    return {"message": str(error), "findings": views.findings_json(error.findings)}



# --- list ----------------------------------------------------------------------------------

PER_PAGE = 100

@bp.route("/mentorships")
def mentorships():
    status = request.args.get("status", "open")
    if status not in (*MENTORSHIP_STATUSES, "all"):
        status = "open"
    query = {"status": status, "q": text_arg("q", _l("Name or personnel number")),
             "mentor": text_arg("mentor", _l("Mentor")), "unit": text_arg("unit", _l("Unit")),
             "overdue": "1" if request.args.get("overdue") == "1" else ""}
    as_of = date_arg("as_of", _l("As of"), dt.date.today())
    page = page_arg(PER_PAGE)
    with work() as w:
        found = views.mentorship_list(w, as_of, None if status == "all" else status,
                                      query["q"], query["mentor"], query["unit"],
                                      bool(query["overdue"]), PER_PAGE, (page - 1) * PER_PAGE)
        units = services.directory.units(w)
    args = {k: v for k, v in query.items() if v}
    return render_template("mentorships.html", rows=found["items"], status=status, query=query,
                           args=args, units=units, labels=_labels(), page=page,
                           has_next=found["has_next"])


@bp.route("/search")
def search():
    """The bar's search: people and mentorships by name or personnel number."""
    text = text_arg("q", _l("Name or personnel number"))
    with work() as w:
        found = views.find_anything(w, text)
    return render_template("search.html", found=found, labels=_labels())


# --- one mentorship ------------------------------------------------------------------------

def _mentorship_page(mid: str, code: int = 200, error: str | None = None,
                     refusal: dict | None = None, forms: dict | None = None):
    as_of = date_arg("as_of", _l("As of"), dt.date.today())
    forms = dict(forms or {})
    with work() as w:
        facts = _facts_fields(w, mentorship=False)
        paper_fields = _paper_fields(w)
    replace = forms.get("replace") or _facts_form(ReplaceForm, facts)(
        formdata=None, replace_on=date_arg("on", _l("Suggestions for a new mentor from"), as_of))
    on = _valid_date(replace.replace_on, as_of)
    suggested = None
    with work() as w:
        view = views.mentorship_page(w, mid, as_of)
        regime = w.regime
        view["facts"] = attribute_rows(regime.mentorship_schema, view["attributes"])
        for a in view["assignments"]:
            a["facts"] = attribute_rows(regime.assignment_schema, a["attributes"])
        for p in view["papers"]:
            kind = regime.paper_kinds.get(p["kind"])
            p["facts"] = attribute_rows(kind.fields, p["attributes"]) \
                if kind is not None and kind.fields else []
        if g.may_write and view["status"] == "open":
            try:  # a day the regime has no rules for yet: said, the page still shown
                with _as_input():
                    suggested = views.suggestions(w, view["mentee"], on, whole=True,
                                                  leave_out=[view["current_mentor"]])
            except InputError as bad:
                error = error or str(bad)
    if g.may_write:
        if "paper" not in forms:  # what each recorded paper carries, to be edited in place
            stored = {p["kind"]: p["attributes"] for p in view["papers"]}
            data = {"done_on": as_of}
            for kind, fields in paper_fields.items():
                data.update(initial(fields, stored.get(kind)))
            forms["paper"] = _paper_form(paper_fields)(formdata=None, data=data)
        forms.setdefault("absence", AbsenceForm(formdata=None))
        forms.setdefault("close", CloseForm(formdata=None))
        forms.setdefault("release", ReleaseForm(formdata=None))
        forms["replace"] = replace
        people = {view["mentee"]: f"{view['mentee_name']} ({view['mentee']}) — {_('mentee')}"}
        for a in view["assignments"]:
            people.setdefault(a["mentor"], f"{a['mentor_name']} ({a['mentor']}) — {_('mentor')}")
        forms["absence"].person.choices = [SelectChoice(k, v) for k, v in people.items()]
        if suggested is not None:
            replace.mentor.choices = _mentor_choices(suggested)
        _regime_choices(forms, regime)
    return render_template("mentorship.html", m=view, as_of=as_of, on=on, forms=forms,
                           suggested=suggested, error=error, refusal=refusal,
                           labels=_labels(), replace_facts=facts[1],
                           paper_facts=[(labels.regime_labels("paper").get(k, k), fields)
                                        for k, fields in paper_fields.items()]), code


def _valid_date(field, default: dt.date) -> dt.date:
    """A form's date, if it is one the form took (not one its DateRange refused)."""
    return field.data if isinstance(field.data, dt.date) and not field.errors else default


def _mentor_choices(suggested: dict) -> list:
    """The mentor select: suggested ones first, then the excluded (choosing one of those
    is refused with its findings)."""
    return ([SelectChoice(e["number"], f"{e['name']} ({e['number']})", optgroup=_("Suggested"))
             for e in suggested["eligible"]]
            + [SelectChoice(e["number"], f"{e['name']} ({e['number']})",
                            optgroup=_("Excluded by the rules")) for e in suggested["excluded"]])


@bp.route("/mentorships/<mid>")
def mentorship(mid):
    return _mentorship_page(mid)


#: the services' names of a form's fields (InputError.field) -> the form's
SERVICE_FIELDS = {
    "paper": {"kind": "kind", "done_on": "done_on", "on": "done_on",
              "approved_by": "approved_by"},
    "absence": {"person": "person", "from": "absent_from", "to": "absent_to",
                "end": "absent_to", "start": "absent_from"},
    "replace": {"mentor": "mentor", "on": "replace_on", "reason": "reason",
                "released_on": "released_on",
                "order_number": "order_number", "order_date": "order_date"},
    "release": {"on": "released_on", "released_on": "released_on",
                "reason": "release_reason"},
    "close": {"on": "closed_on", "closed_on": "closed_on"},
}


def _post(mid: str, form_name: str, form, action, done: str, explain=None):
    """Run one form of the mentorship page: 403 for viewers, 404 for a mentorship that is
    not this tenant's, 422 with the reason when the input or the rules refuse it
    (``explain``: the error as the page says it, None when a field shows it)."""
    require_write()
    with work() as w:
        services.find_mentorship(w, mid)  # another tenant's id: 404
        _regime_choices({form_name: form}, w.regime)
    if not form.validate_on_submit():
        return _mentorship_page(mid, 422, error=_form_errors(form), forms={form_name: form})
    try:
        with work() as w, _as_input():
            message = action(w) or done
    except Refused as refused:
        return _mentorship_page(mid, 422, refusal=_refusal(refused), forms={form_name: form})
    except UnknownCode as bad:  # a code the tenant's regime does not have, in the user's words
        return _mentorship_page(mid, 422, error=bad.message(current_language()),
                                forms={form_name: form})
    except InputError as bad:
        error = error_at_field(form, bad, SERVICE_FIELDS[form_name]) \
            or (explain(bad) if explain else say(bad))
        return _mentorship_page(mid, 422, error=error, forms={form_name: form})
    flash(message, "success")
    return redirect(url_for(".mentorship", mid=mid))


@form_post("/mentorships/<mid>/paper", ".mentorship", "mid", answer_get=False)
def mentorship_paper(mid):
    with work() as w:
        paper_fields = _paper_fields(w)
    form = _paper_form(paper_fields)()
    fields = paper_fields.get(form.kind.data, [])

    def record(w):
        # a save changes what the form shows: the fields of this kind, merged into what the
        # paper carries, and the approver (left empty: the one recorded stays)
        stored = next((p for p in services.papers_of(services.find_mentorship(w, mid))
                       if p.kind == form.kind.data), None)
        attributes = collect(form, fields, keep=stored.attributes if stored else None)
        if attributes is None:  # the field says why
            raise InputError(_form_errors(form))
        services.record_paper(w, mid, form.kind.data, form.done_on.data,
                              form.approved_by.data or (stored.approved_by if stored else None),
                              attributes)

    def explain(exc: InputError) -> str | None:
        return None if place_error(form, fields, exc) else str(exc)
    return _post(mid, "paper", form, record, _("The paper is recorded as done."), explain)


@form_post("/mentorships/<mid>/absence", ".mentorship", "mid")
def mentorship_absence(mid):
    form = AbsenceForm()

    def record(w):
        services.record_absence(w, form.person.data, form.absent_from.data,
                                form.absent_to.data, form.valid_reason.data,
                                form.absence_reason.data or "")
    return _post(mid, "absence", form, record, _("The absence is recorded."))


@form_post("/mentorships/<mid>/release", ".mentorship", "mid")
def mentorship_release(mid):
    form = ReleaseForm()

    def release(w):
        services.release_mentor(w, mid, form.released_on.data, form.release_reason.data)
    return _post(mid, "release", form, release,
                 _("The mentor is released; the replacement deadline runs from that day."))


@form_post("/mentorships/<mid>/replace", ".mentorship", "mid")
def mentorship_replace(mid):
    with work() as w:
        facts = _facts_fields(w, mentorship=False)
    form = _facts_form(ReplaceForm, facts)()

    def replace(w):
        attributes = collect(form, facts[1])
        if attributes is None:  # the field says why
            raise InputError(_form_errors(form))
        _m, check = services.replace_mentor(
            w, mid, form.mentor.data, form.replace_on.data, form.reason.data or None,
            released_on=form.released_on.data, order_number=form.order_number.data or None, order_date=form.order_date.data,
            attributes=attributes)
        return _assigned_message(check)
    return _post(mid, "replace", form, replace, _("The mentor is replaced."),
                 lambda exc: _facts_error(form, facts, exc))


@form_post("/mentorships/<mid>/close", ".mentorship", "mid")
def mentorship_close(mid):
    form = CloseForm()

    def close(w):
        services.close_mentorship(w, mid, form.closed_on.data)
    return _post(mid, "close", form, close, _("The mentorship is closed."))


def _assigned_message(check) -> str | None:
    """When the exception applied (e.g. civil service p.8: the direct manager because
    nobody was eligible), say so with the paragraph that allowed it."""
    if not check.fallback:
        return None
    lang = current_language()
    cited = "; ".join(_("p.%(n)s", n=f.paragraph) + f": {f.message(lang)}"
                      for f in check.findings if f.level.value == "info") or ""
    return _("Assigned under the exception: %(cited)s", cited=cited)


# --- assign --------------------------------------------------------------------------------

def _assign_page(form: AssignForm, facts: tuple[list, list], code: int = 200,
                 error: str | None = None, refusal: dict | None = None):
    mentee = form.mentee.data
    on = _valid_date(form.on, None)
    suggested = None
    with work() as w:
        mentees = views.mentees_without_mentorship(w, on)
        if mentee and on and not form.mentee.errors:
            try:
                with _as_input():
                    suggested = views.suggestions(w, mentee, on, whole=True)
            except InputError as bad:
                error = error or str(bad)
    form.mentee.choices = [SelectChoice("", "—")] + [
        SelectChoice(p["number"], f"{p['name']} ({p['number']})") for p in mentees]
    if mentee and mentee not in {p["number"] for p in mentees}:
        form.mentee.choices.append(SelectChoice(mentee))
    form.mentor.choices = _mentor_choices(suggested) if suggested else []
    return render_template("assign.html", form=form, suggested=suggested, error=error,
                           refusal=refusal, labels=_labels(), facts=facts[0] + facts[1]), code


@bp.route("/assign", methods=["GET", "POST"])
def assign():
    with work() as w:
        facts = _facts_fields(w)
    cls = _facts_form(AssignForm, facts)
    if request.method == "GET":
        form = cls(formdata=None, mentee=text_arg("mentee", _l("Mentee"), 63),
                   on=date_arg("on", _l("First day"), dt.date.today()))
        return _assign_page(form, facts)
    require_write()
    form = cls()
    if not form.validate_on_submit():
        return _assign_page(form, facts, 422, error=_form_errors(form))
    attributes, assignment_attributes = collect(form, facts[0]), collect(form, facts[1])
    if attributes is None or assignment_attributes is None:  # the fields say why
        return _assign_page(form, facts, 422, error=_form_errors(form))
    try:
        with work() as w, _as_input():
            m, check = services.assign_mentor(
                w, form.mentee.data, form.mentor.data, form.on.data,
                order_number=form.order_number.data or None, order_date=form.order_date.data,
                joined_on=form.joined_on.data, term_months=form.term_months.data,
                planned_end=form.planned_end.data, attributes=attributes,
                assignment_attributes=assignment_attributes)
            mid = str(m.id)
    except Refused as refused:
        return _assign_page(form, facts, 422, refusal=_refusal(refused))
    except InputError as bad:
        return _assign_page(form, facts, 422, error=_facts_error(form, facts, bad))
    flash(_assigned_message(check) or _("The mentor is assigned."), "success")
    return redirect(url_for(".mentorship", mid=mid))
