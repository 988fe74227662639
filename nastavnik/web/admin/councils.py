"""The council of mentors (regimes that have one, e.g. prosecutor_2022 p.17-22): the list,
a council with its composition check, members and meetings, and a meeting with its
attendance, agenda, votes and the decision with its explanation.

For a regime without a council the bar has no link and every page here is a 404. Views
call services only: quorum, majority and the chair's casting vote are the regime's."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ... import services
from ...core.errors import InputError
from ...core.model import VOTES
from ...core.vocabulary import COUNCIL_ROLES
from ...services import views
from ...services.councils import find_item, find_meeting
from ..i18n import current_language
from ..labels import Words
from . import bp, form_post, nav, require_write, work
from .forms import DateRange, date_arg
from .mentorships import LABELS as MENTORSHIP_LABELS
from .mentorships import _as_input, _form_errors

ROLE_LABELS = {code: Words(text) for code, text in COUNCIL_ROLES.items()}
VOTE_LABELS = {"for": _l("for"), "against": _l("against"), "abstain": _l("abstained")}
DECIDED_BY = {"majority": _l("simple majority of the members present"),
              "tie_broken_by_chair": _l("tie broken by the chair's vote"),
              "tie_unresolved": _l("tie not resolved"),
              "no_quorum": _l("no quorum")}
LABELS = {**MENTORSHIP_LABELS, "role": ROLE_LABELS, "vote": VOTE_LABELS, "decided_by": DECIDED_BY}
assert set(VOTE_LABELS) == set(VOTES)


def _has_council() -> bool:
    return getattr(g, "tenant", None) is not None and views.has_council(g.tenant)


nav("admin.councils", _l("Council of mentors"), when=_has_council)


def _require_council() -> None:
    if not _has_council():
        abort(404)


class MeetingForm(FlaskForm):
    date = DateField(_l("Date of the meeting"), validators=[DataRequired(), DateRange()])


class ItemForm(FlaskForm):
    title = StringField(_l("Agenda item"), validators=[DataRequired(), Length(max=500)])
    hearing = SelectField(_l("Hears the reports of"), validate_choice=False,
                          validators=[Optional(), Length(max=63)])


# --- pages ---------------------------------------------------------------------------------

@bp.route("/councils")
def councils():
    _require_council()
    with work() as w:
        rows = views.council_rows(w)
    return render_template("councils.html", rows=rows)


def _council_page(cid: str, code: int = 200, error: str | None = None,
                  form: MeetingForm | None = None):
    _require_council()
    as_of = date_arg("as_of", _l("As of"), dt.date.today())
    with work() as w:
        view = services.council_view(w, cid, as_of, current_language())
    form = form or MeetingForm(formdata=None, date=as_of)
    return render_template("council.html", c=view, as_of=as_of, form=form, error=error,
                           labels=LABELS), code


@bp.route("/councils/<cid>")
def council(cid):
    return _council_page(cid)


@form_post("/councils/<cid>/meetings", ".council", "cid")
def council_add_meeting(cid):
    _require_council()
    require_write()
    with work() as w:
        services.councils.find_council(w, cid)  # another tenant's id: 404
    form = MeetingForm()
    if not form.validate_on_submit():
        return _council_page(cid, 422, _form_errors(form), form)
    try:
        with work() as w, _as_input():
            meeting_id = str(services.add_meeting(w, cid, form.date.data,
                                                  request.form.getlist("present")).id)
    except InputError as bad:
        return _council_page(cid, 422, str(bad), form)
    flash(_("The meeting is added."), "success")
    return redirect(url_for(".meeting", meeting_id=meeting_id))


def _reason(item: dict, chair: str | None) -> str:
    """An item's result in words: what was counted against what the regime required."""
    how, counts = item.get("decided_by"), {"yes": item.get("for", 0),
                                           "no": item.get("against", 0),
                                           "needed": item.get("majority_needed"),
                                           "present": item.get("for", 0) + item.get("against", 0)
                                           + item.get("abstained", 0)}
    if how == "no_quorum":
        return _("No decision: fewer members were present than the quorum requires.")
    if how == "tie_unresolved":
        return _("Votes were split equally (%(yes)d for, %(no)d against) and the chair's vote "
                 "does not break the tie: no decision.", **counts)
    if how == "tie_broken_by_chair":
        if item.get("adopted"):
            return _("Votes were split equally (%(yes)d for, %(no)d against); the chair voted "
                     "for, so the item is adopted.", **counts)
        return _("Votes were split equally (%(yes)d for, %(no)d against); the chair voted "
                 "against, so the item is not adopted.", **counts)
    if how == "majority" and counts["needed"] is not None:
        if item.get("adopted"):
            return _("Adopted: %(yes)d of the %(present)d present voted for; a simple majority "
                     "needs at least %(needed)d.", **counts)
        return _("Not adopted: %(yes)d of the %(present)d present voted for; a simple "
                 "majority needs at least %(needed)d.", **counts)
    return ""


def _meeting_page(meeting_id: str, code: int = 200, error: str | None = None,
                  form: ItemForm | None = None):
    _require_council()
    with work() as w:
        view = views.meeting_page(w, meeting_id, current_language())
        hearings = views.hearing_choices(w) if g.may_write else []
    form = form or ItemForm(formdata=None)
    form.hearing.choices = [SelectChoice("", "—")] + [SelectChoice(h["id"], h["label"])
                                                      for h in hearings]
    for item in view["items"]:
        item["reason"] = _reason(item, view["chair"])
    return render_template("meeting.html", mt=view, form=form, error=error, labels=LABELS,
                           votes=VOTES), code


@bp.route("/meetings/<meeting_id>")
def meeting(meeting_id):
    return _meeting_page(meeting_id)


def _meeting_post(meeting_id: str, action, done: str, form=None, item_id: str | None = None):
    _require_council()
    require_write()
    with work() as w:
        meeting_row = find_meeting(w, meeting_id)  # another tenant's id: 404
        if item_id is not None and find_item(w, item_id).meeting_id != meeting_row.id:
            abort(404)
    if form is not None and not form.validate_on_submit():
        return _meeting_page(meeting_id, 422, _form_errors(form), form)
    try:
        with work() as w, _as_input():
            action(w)
    except InputError as bad:
        return _meeting_page(meeting_id, 422, str(bad), form)
    flash(done, "success")
    return redirect(url_for(".meeting", meeting_id=meeting_id))


@form_post("/meetings/<meeting_id>/attendance", ".meeting", "meeting_id")
def meeting_attendance(meeting_id):
    present = request.form.getlist("present")
    dropped: list = []

    def record(w):
        dropped.extend(services.councils.change_attendance(w, meeting_id, present)["dropped"])
    response = _meeting_post(meeting_id, record, _("Attendance is recorded."))
    if dropped:  # said after the redirect, with the attendance's own message
        flash(_("Votes of members now recorded absent are dropped: %(votes)s.",
                votes="; ".join(f"{d['name']} — {d['item']}" for d in dropped)), "message")
    return response


@form_post("/meetings/<meeting_id>/items", ".meeting", "meeting_id")
def meeting_add_item(meeting_id):
    form = ItemForm()

    def add(w):
        services.add_item(w, meeting_id, form.title.data, form.hearing.data or None)
    return _meeting_post(meeting_id, add, _("The agenda item is added."), form)


@form_post("/meetings/<meeting_id>/items/<item_id>/votes", ".meeting", "meeting_id")
def meeting_votes(meeting_id, item_id):
    votes = {key[len("vote-"):]: value for key, value in request.form.items()
             if key.startswith("vote-") and value}
    return _meeting_post(meeting_id, lambda w: services.record_votes(w, item_id, votes),
                         _("The votes are recorded."), item_id=item_id)
