"""Papers as documents, the tenant's own templates of them, and exports:

    GET    /api/v1/tenants/<slug>/papers                          the regime's papers
    GET    /api/v1/tenants/<slug>/mentorships/<ref>/paper         ?paper=order&format=docx|pdf
    GET    /api/v1/tenants/<slug>/meetings/<meeting_id>/paper     the council minutes
    GET    /api/v1/tenants/<slug>/paper-templates                 built-in or own, per language
    GET    /api/v1/tenants/<slug>/paper-templates/file            ?paper=&lang=[&builtin=true]
    PUT    /api/v1/tenants/<slug>/paper-templates/file            upload (multipart, ``file``)
    DELETE /api/v1/tenants/<slug>/paper-templates/file            back to the built-in one
    GET    /api/v1/tenants/<slug>/exports/<compliance|people|mentorships>   ?format=xlsx|csv

The tenant (and the caller's role in it) is checked before anything else is read: another
tenant's record is a 404, a viewer's change a 403; templates are for tenant admins."""

from __future__ import annotations

from flask import Response, request
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from .... import services
from ....core import registry
from ....core.errors import NastavnikError
from ....core.i18n import LANGUAGES
from ....services import document_templates, documents, exports, office
from .. import api_blueprint, tenant_work
from ..schemas import CalendarDate, problems
from .people import path_param, refuse_nul_in_path

bp = api_blueprint("documents", "/tenants/<slug>",
                   "Papers the regime names as Word or PDF documents, the tenant's own "
                   "templates of them, and exports of the compliance report and lists")
bp.before_request(refuse_nul_in_path)


def _paper_ids(subject: str | None = None) -> list[str]:
    """Every paper id of the installed regimes for ``subject``, in their catalogues' order."""
    out = []
    for regime_id in registry.available():
        try:
            specs = documents.regime_papers(registry.get(regime_id)).values()
        except NastavnikError:  # a broken plugin is reported elsewhere
            continue
        out += [s.id for s in specs if subject in (None, s.subject) and s.id not in out]
    return out


BINARY = {"schema": {"type": "string", "format": "binary"}}
LANG = {"description": "Language of the paper (default: the tenant's).", "example": "kk"}


def _file_response(description: str, *types: str) -> dict:
    return {200: {"description": description, "content": {t: BINARY for t in types}}}


class MentorshipPaperArgs(Schema):
    """Which paper, in which language and format."""

    paper = fields.String(required=True, validate=validate.OneOf(_paper_ids("mentorship") or [""]),
                          metadata={"description": "A paper of the tenant's regime (see "
                                                   "/papers).", "example": "order"})
    format = fields.String(load_default="docx", validate=validate.OneOf(tuple(documents.FORMATS)),
                           metadata={"description": "docx (to edit) or pdf (to print; made by "
                                                    "LibreOffice from the docx)."})
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES), metadata=LANG)


class MeetingPaperArgs(MentorshipPaperArgs):
    """Which paper of a meeting, in which language and format."""

    paper = fields.String(load_default=None, validate=validate.OneOf(_paper_ids("meeting") or [""]),
                          metadata={"description": "Default: the regime's minutes.",
                                    "example": "council_minutes"})


class PaperTemplateArgs(Schema):
    """Which template."""

    paper = fields.String(required=True, validate=validate.OneOf(_paper_ids() or [""]),
                          metadata={"description": "A paper of the tenant's regime.",
                                    "example": "council_minutes"})
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES), metadata=LANG)


class PaperTemplateDownloadArgs(PaperTemplateArgs):
    builtin = fields.Boolean(load_default=False, metadata={
        "description": "The regime's built-in template, not the tenant's own."})


class PaperExportArgs(Schema):
    """Which format, as of which day."""

    format = fields.String(load_default="xlsx", validate=validate.OneOf(exports.FORMATS),
                           metadata={"description": "xlsx, or csv (UTF-8 with BOM)."})
    as_of = CalendarDate(load_default=None, metadata={"description": "Default: today."})
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES), metadata=LANG)


class PaperKindSchema(Schema):
    paper = fields.String(required=True, metadata={"description": "Its id."})
    subject = fields.String(required=True, metadata={"description": "mentorship or meeting."})
    paragraph = fields.String(required=True, metadata={"description": "The paragraph requiring it."})
    title = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                        metadata={"description": "Title in ru, kk, en."})


class PaperTemplateSchema(PaperKindSchema):
    language = fields.String(required=True)
    custom = fields.Boolean(required=True, metadata={"description": "The tenant's own template."})
    filename = fields.String(allow_none=True)
    uploaded_at = fields.String(allow_none=True)


def _send(content: bytes, filename: str, mimetype: str) -> Response:
    return Response(content, mimetype=mimetype.split(";")[0], headers={
        "Content-Disposition": f"attachment; filename=\"{filename}\""})


def _render(work, paper, args, **target) -> Response:
    try:
        doc = documents.render_paper(work, paper, lang=args["lang"], fmt=args["format"],
                                     **target)
    except (office.OfficeUnavailable, office.ConversionFailed) as exc:
        abort(422, message=str(exc))
    return _send(doc.content, doc.filename, doc.mimetype)


@bp.route("/papers", parameters=[path_param("slug")])
@bp.response(200, PaperKindSchema(many=True))
@problems(bp, 401, 404)
def paper_list(slug):
    """Papers of the regime

    The papers the tenant's regime names, each with the paragraph that requires it."""
    with tenant_work(slug) as work:
        return [{"paper": p.id, "subject": p.subject, "paragraph": p.paragraph, "title": p.title}
                for p in documents.papers(work)]


@bp.route("/mentorships/<ref>/paper", parameters=[path_param("slug"),
                                                  path_param("ref", "The mentorship's id.")])
@bp.arguments(MentorshipPaperArgs, location="query")
@bp.doc(responses=_file_response("The paper.", documents.DOCX, documents.PDF))
@problems(bp, 401, 404, 422)
def mentorship_paper(args, slug, ref):
    """A mentorship's paper

    The order, programme or plan, reports or reference of a mentorship, filled from its
    records in the tenant's template, as Word (docx) or PDF (needs LibreOffice: 422 with
    how to install it if absent)."""
    with tenant_work(slug) as work:
        services.find_mentorship(work, ref)  # another tenant's id: 404 before anything else
        return _render(work, args["paper"], args, mentorship=ref)


@bp.route("/meetings/<meeting_id>/paper", parameters=[path_param("slug"),
                                                      path_param("meeting_id", "The meeting's id.")])
@bp.arguments(MeetingPaperArgs, location="query")
@bp.doc(responses=_file_response("The minutes.", documents.DOCX, documents.PDF))
@problems(bp, 401, 404, 422)
def meeting_paper(args, slug, meeting_id):
    """A council meeting's minutes

    The minutes of a council meeting (attendance, quorum, votes, decision and the
    chair's tie-break, e.g. prosecutor_2022 p.21) as Word or PDF."""
    from ....services.councils import find_meeting

    with tenant_work(slug) as work:
        if not work.regime.info.has_council:
            abort(404, message="the tenant's regime has no council of mentors")
        find_meeting(work, meeting_id)
        paper = args["paper"] or next((p.id for p in documents.papers(work, "meeting")), "")
        return _render(work, paper, args, meeting=meeting_id)


@bp.route("/paper-templates", parameters=[path_param("slug")])
@bp.response(200, PaperTemplateSchema(many=True))
@problems(bp, 401, 404)
def template_list(slug):
    """Templates of the papers

    Every paper of the regime in every language: the built-in template or the tenant's
    own."""
    with tenant_work(slug) as work:
        return document_templates.list_templates(work)


def _configure(work):
    if not services.users.may_configure(work.role):
        abort(403, message=f"your role in {work.tenant.slug} ({work.role}) may not change "
                           "templates; a tenant admin may")


@bp.route("/paper-templates/file", methods=["GET"], parameters=[path_param("slug")])
@bp.arguments(PaperTemplateDownloadArgs, location="query")
@bp.doc(responses=_file_response("The Word template (Jinja tags as docxtpl reads them).",
                                 documents.DOCX))
@problems(bp, 401, 404, 422)
def template_download(args, slug):
    """Download a template

    The template in use for a paper and language (or the built-in one), to edit in Word
    and upload back."""
    with tenant_work(slug) as work:
        content, name = document_templates.download_template(work, args["paper"], args["lang"],
                                                             args["builtin"])
    return _send(content, name, documents.DOCX)


@bp.route("/paper-templates/file", methods=["PUT"], parameters=[path_param("slug")])
@bp.arguments(PaperTemplateArgs, location="query")
@bp.doc(requestBody={"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary",
                            "description": "The template, a Word file (.docx)."}}}}}})
@bp.response(200, PaperTemplateSchema)
@problems(bp, 401, 403, 404, 422)
def template_upload(args, slug):
    """Upload a template

    The tenant's own template of a paper in a language (tenant admins). It is checked by
    filling it with sample data: a file that cannot be filled is refused (422, ``field``
    file) and nothing is stored."""
    with tenant_work(slug, write=True) as work:
        _configure(work)
        upload = request.files.get("file")
        if upload is None:
            abort(422, message="send the template as the multipart field 'file'",
                  errors={"files": {"file": ["Missing data for required field."]}})
        row = document_templates.upload_template(work, args["paper"], args["lang"],
                                                 upload.read(), upload.filename)
        listed = document_templates.list_templates(work)
        return next(r for r in listed if (r["paper"], r["language"]) == (row.paper, row.language))


@bp.route("/paper-templates/file", methods=["DELETE"], parameters=[path_param("slug")])
@bp.arguments(PaperTemplateArgs, location="query")
@bp.response(204)
@problems(bp, 401, 403, 404, 422)
def template_reset(args, slug):
    """Back to the built-in template

    Drop the tenant's own template of a paper in a language (tenant admins)."""
    with tenant_work(slug, write=True) as work:
        _configure(work)
        document_templates.reset_template(work, args["paper"], args["lang"])


def _export_route(what: str):
    def view(args, slug):
        with tenant_work(slug) as work:
            doc = exports.export(work, what, args["format"], args["as_of"], args["lang"])
        return _send(doc.content, doc.filename, doc.mimetype)

    view.__name__ = f"export_{what}"
    view.__doc__ = (f"Export: {what}\n\nThe {'compliance report (findings and deadlines)' if what == 'compliance' else what + ' list'}"
                    " as XLSX or CSV (UTF-8 with BOM), with headings in the tenant's language.")
    view = problems(bp, 401, 404, 422)(view)
    view = bp.doc(responses=_file_response("The spreadsheet.", exports.XLSX, "text/csv"))(view)
    view = bp.arguments(PaperExportArgs, location="query")(view)
    return bp.route(f"/exports/{what}", parameters=[path_param("slug")])(view)


for _what in exports.WHAT:
    _export_route(_what)
