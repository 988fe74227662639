"""Papers as documents in the admin: download a mentorship's or a meeting's paper as Word
or PDF, export the compliance report and the lists, and (tenant admins) the page where a
tenant replaces the templates of its papers. Views call the services only.

Which paper, language, format or list is asked in the query (or the form), never in the
path: a path names only the tenant's records, so that every path can be checked for
another tenant's ids (tests/test_web_isolation.py)."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import Length

from ... import services
from ...core.errors import InputError
from ...core.i18n import LANGUAGES
from ...services import document_templates, documents, exports, office
from ...services.councils import find_meeting
from ...services.views import has_council
from ..i18n import current_language
from . import bp, form_post, require_configure, work
from .forms import date_arg
from .settings import LANGUAGE_NAMES


class TemplateForm(FlaskForm):
    paper = HiddenField(validators=[Length(max=63)])
    lang = HiddenField(validators=[Length(max=2)])
    file = FileField(validators=[FileRequired()])


class ResetForm(FlaskForm):
    paper = HiddenField(validators=[Length(max=63)])
    lang = HiddenField(validators=[Length(max=2)])


@bp.app_context_processor
def _papers_helpers():
    def papers_for(subject: str) -> list[tuple[str, str]]:
        """(id, title in the user's language) of the tenant regime's papers of ``subject``."""
        if getattr(g, "tenant", None) is None:
            return []
        lang = current_language()
        return [(p.id, p.title.get(lang) or p.title["en"])
                for p in documents.regime_papers(services.regime_of(g.tenant)).values()
                if p.subject == subject]
    return {"papers_for": papers_for, "paper_languages": LANGUAGES}


def _send(doc) -> Response:
    return Response(doc.content, mimetype=doc.mimetype.split(";")[0], headers={
        "Content-Disposition": f"attachment; filename=\"{doc.filename}\""})


def _args() -> tuple[str, str | None]:
    fmt = request.args.get("format", "docx")
    lang = request.args.get("lang") or current_language()
    if fmt not in documents.FORMATS or lang not in LANGUAGES:
        abort(404)
    return fmt, lang


def _paper(back: str, subject: str, **target):
    fmt, lang = _args()
    try:
        with work() as w:
            paper = request.args.get("paper") or next(
                (p.id for p in documents.papers(w, subject)), "")
            doc = documents.render_paper(w, paper, lang=lang, fmt=fmt, **target)
    except InputError as exc:
        if exc.field == "paper":
            abort(404)
        if exc.field != "template":
            raise
        flash(_("The paper could not be made: %(why)s", why=str(exc)), "error")
        return redirect(back)
    except (office.OfficeUnavailable, office.ConversionFailed) as exc:
        flash(_("The PDF could not be made: %(why)s", why=str(exc)), "error")
        return redirect(back)
    return _send(doc)


@bp.route("/mentorships/<mid>/paper")
def mentorship_document(mid):
    """?paper= (default: the regime's first, the order), format=docx|pdf, lang=."""
    with work() as w:
        services.find_mentorship(w, mid)  # another tenant's id: 404
    return _paper(url_for(".mentorship", mid=mid), "mentorship", mentorship=mid)


@bp.route("/meetings/<meeting_id>/paper")
def meeting_document(meeting_id):
    """?paper= (default: the minutes), format=docx|pdf, lang=."""
    if not has_council(g.tenant):
        abort(404)
    with work() as w:
        find_meeting(w, meeting_id)  # another tenant's id: 404
    return _paper(url_for(".meeting", meeting_id=meeting_id), "meeting", meeting=meeting_id)


@bp.route("/export")
def export_list():
    """?what=compliance|people|mentorships, format=xlsx|csv, as_of=."""
    what = request.args.get("what", "compliance")
    fmt = request.args.get("format", "xlsx")
    if what not in exports.WHAT or fmt not in exports.FORMATS:
        abort(404)
    as_of = date_arg("as_of", _l("As of"), dt.date.today())
    with work() as w:
        doc = exports.export(w, what, fmt, as_of, current_language())
    return _send(doc)


# --- the tenant's templates ----------------------------------------------------------------

def _templates_page(problem: str | None = None, status: int = 200, failed=None):
    with work() as w:
        rows = document_templates.list_templates(w)
    lang = current_language()
    for r in rows:
        r["title_here"] = r["title"].get(lang) or r["title"]["en"]
    return render_template("paper_templates.html", rows=rows, form=TemplateForm(),
                           reset=ResetForm(), problem=problem, failed=failed,
                           language_names=LANGUAGE_NAMES), status


@bp.route("/settings/papers")
def paper_templates():
    require_configure()
    return _templates_page()


def _which(values) -> tuple[str, str]:
    """The paper and language a request names (default: the regime's first paper, the
    user's language)."""
    with work() as w:
        first = next((p.id for p in documents.papers(w)), "")
    paper, lang = values.get("paper") or first, values.get("lang") or current_language()
    if lang not in LANGUAGES:
        abort(404)
    return paper, lang


@bp.route("/settings/papers/template")
def paper_template_file():
    """?paper=, lang=, builtin=1."""
    require_configure()
    paper, lang = _which(request.args)
    try:
        with work() as w:
            content, name = document_templates.download_template(
                w, paper, lang, builtin=request.args.get("builtin") == "1")
    except InputError:
        abort(404)
    return Response(content, mimetype=documents.DOCX,
                    headers={"Content-Disposition": f"attachment; filename=\"{name}\""})


@form_post("/settings/papers/upload", ".paper_templates")
def paper_template_upload():
    require_configure()
    paper, lang = _which(request.form)
    form = TemplateForm()
    if not form.validate_on_submit():
        return _templates_page(_("Choose a Word file (.docx) to upload."), 422, (paper, lang))
    upload = form.file.data
    try:
        with work() as w:
            document_templates.upload_template(w, paper, lang, upload.read(), upload.filename)
    except InputError as exc:
        if exc.field == "paper":
            abort(404)
        return _templates_page(_("The template was not saved: %(why)s", why=str(exc)), 422,
                               (paper, lang))
    flash(_("The template is saved: the paper is now made from it."), "success")
    return redirect(url_for(".paper_templates"))


@form_post("/settings/papers/reset", ".paper_templates")
def paper_template_reset():
    require_configure()
    paper, lang = _which(request.form)
    if not ResetForm().validate_on_submit():
        abort(400)
    try:
        with work() as w:
            document_templates.reset_template(w, paper, lang)
    except InputError:
        abort(404)
    flash(_("Back to the built-in template."), "success")
    return redirect(url_for(".paper_templates"))
