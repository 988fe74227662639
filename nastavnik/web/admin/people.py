"""Staff: the list (search, unit, pages), a person's page, adding and changing a person,
and importing a spreadsheet (checked and previewed first, written on confirmation)."""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import time

from flask import (Response, abort, current_app, flash, g, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, HiddenField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, Optional
from werkzeug.routing import BuildError

from ... import services
from ...core import schema_labels
from ...core.errors import InputError
from ...services import import_template
from ...services.importing import ImportRejected
from . import bp, form_post, nav, require_write, work
from ..i18n import current_language
from .forms import (ANY, PAST, DateRange, Rejected, add_error, attempt, bare, collect,
                    form_class)
from .forms import (attribute_rows, date_arg, initial, label_of, page_arg, place_error,
                    schema_fields, service_words, text_arg)

PER_PAGE = 50
MAX_UPLOAD = 10 * 1024 * 1024  # bytes; a 10,000-row workbook is well under this
PREVIEW_ROWS = 1000  # rows of the file the preview lists (a 100,000-row page would be ~30 MB)
UPLOAD_KEEP = 24 * 3600  # seconds an unconfirmed upload is kept
TOKEN = re.compile(r"^[0-9a-f]{32}\.(csv|xlsx)$")
BASE_FIELDS = ("number", "full_name", "unit", "position", "manager", "hired_on", "valid_from")

nav("admin.people", _l("People"))


# --- the list and a person's page ------------------------------------------------------------

@bp.route("/people")
def people():
    search = text_arg("q", _l("Name or personnel number"))
    unit = text_arg("unit", _l("Unit"))
    page = page_arg(PER_PAGE)
    with work() as w:
        found = services.directory.people_page(w, search, unit, page, PER_PAGE)
        units = services.directory.units(w)
    return render_template("people.html", found=found, units=units, search=search, unit=unit,
                           page=page)


def mentorship_link(mentorship_id: str) -> str | None:
    """The mentorship's page, if the admin has one (another module adds it)."""
    if "admin.mentorship" not in current_app.view_functions:
        return None
    rule = next(iter(current_app.url_map.iter_rules("admin.mentorship")), None)
    names = [a for a in (rule.arguments if rule else ()) if a != "tenant"]
    try:
        return url_for("admin.mentorship", **({names[0]: mentorship_id} if len(names) == 1 else {}))
    except BuildError:
        return None


def _history_rows(schema: dict, versions: list[dict]) -> list[tuple]:
    """(holds from, [(label, new value)], its date) of each version of a person, latest
    first: what it changed, in the user's language (the first version: everything
    recorded; its day None when none was known)."""
    labels = {"unit": _("Unit"), "position": _("Position"), "manager": _("Manager")}
    props = schema.get("properties", {})
    out = []
    for v in reversed(versions):
        changes = []
        for key in v["changed"]:
            if key in labels:
                changes.append((labels[key], v[key]))
            elif key == "attributes":
                changes += [(label, value) for label, _d, value in
                            attribute_rows(schema, v["attributes"])]
            else:
                name = key.split(".", 1)[1]
                value = v["attributes"].get(name)
                rows = attribute_rows(schema, {name: value}) if value is not None else []
                changes += ([(label, x) for label, _d, x in rows]
                            or [(label_of(name, props.get(name, {})), None)])
        first = v["valid_from"] == services.person_history.FIRST_DAY  # no date was known
        out.append((None if first else v["valid_from"], changes, v["valid_from"]))
    return out


@bp.route("/people/<number>")
def person(number):
    with work() as w:
        card = services.directory.person_card(w, number)
        as_mentee, as_mentor = services.directory.mentorships_of(w, number)
        schema = w.regime.person_schema
        versions = services.person_history.history(services.find_person(w, number))
    latest = versions[-1]["valid_from"] if versions else None
    return render_template("person.html", person=card, as_mentee=as_mentee, as_mentor=as_mentor,
                           attributes=attribute_rows(schema, card.attributes),
                           history=_history_rows(schema, versions),
                           # the facts shown are the latest: say so when they hold later
                           pending=latest if latest and latest > dt.date.today() else None,
                           link=mentorship_link, mode="show")


# --- adding and changing a person ----------------------------------------------------------

class PersonForm(FlaskForm):
    # the lengths are the columns' (and the API's); what is required, the services say
    number = StringField(_l("Personnel number"), validators=[Length(max=63)],
                         render_kw={"required": True, "maxlength": 63})
    full_name = StringField(_l("Full name"), validators=[Length(max=255)],
                            render_kw={"required": True, "maxlength": 255})
    unit = StringField(_l("Unit"), validators=[Length(max=255)], render_kw={"maxlength": 255})
    position = StringField(_l("Position"), validators=[Length(max=255)],
                           render_kw={"maxlength": 255})
    manager = StringField(_l("Manager"), description=_l("The manager's personnel number"),
                          validators=[Length(max=63)], render_kw={"maxlength": 63})
    hired_on = DateField(_l("Hired on"), validators=[Optional(), DateRange(PAST)])
    valid_from = DateField(_l("Holds from"),
                           description=_l("The day the unit, position, manager and attributes "
                                          "hold from; today if left empty"),
                           validators=[Optional(), DateRange(ANY)])


def _person_form(schema: dict, seen: dict | None = None, on=None):
    """The form, filled with ``seen`` (a person's data as of ``on``, which it holds from)."""
    fields = schema_fields(schema, "attr")
    data = None
    if seen is not None and request.method != "POST":  # a field left out of a POST is empty
        data = {**{k: seen[k] for k in BASE_FIELDS if k in seen}, "valid_from": on,
                **initial(fields, seen["attributes"])}
    return form_class(PersonForm, fields)(data=data), fields


def _submitted(form, fields, keep=None) -> dict | None:
    """The person's data from a validated form, None if a field cannot be read."""
    attributes = collect(form, fields, keep)
    if attributes is None:
        return None
    data = {name: form[name].data for name in BASE_FIELDS}
    for name in ("number", "full_name", "unit", "position", "manager"):
        data[name] = (data[name] or "").strip() or None
    data["attributes"] = attributes
    return data


def _show_error(form, fields, exc: InputError) -> str | None:
    """The service's error next to its field; returned when no field is its place."""
    if (exc.source or "").endswith("attributes"):
        if place_error(form, fields, exc):
            return None
    elif (exc.field or "") in BASE_FIELDS:
        add_error(form[exc.field], bare(exc))
        return None
    return str(exc)


@bp.route("/people/new", methods=["GET", "POST"])
def person_new():
    require_write()
    with work() as w:
        schema = w.regime.person_schema
    form, fields = _person_form(schema)
    form.valid_from.description = _l("The day the unit, position, manager and attributes "
                                     "hold from; if left empty, the hiring date, else "
                                     "since the first record")
    problem = None
    if form.validate_on_submit():
        data = _submitted(form, fields)
        if data is not None:
            try:
                with attempt() as w:
                    person = services.add_person(w, **data)
                    number, name = person.number, person.full_name
            except Rejected as r:
                problem = _show_error(form, fields, r.error)
            else:
                flash(_("%(name)s added.", name=name), "success")
                return redirect(url_for("admin.person", number=number))
    return render_template("person.html", form=form, fields=fields, mode="new",
                           problem=problem), 422 if request.method == "POST" else 200


@bp.route("/people/<number>/edit", methods=["GET", "POST"])
def person_edit(number):
    """The person's facts as they stand now, or (``?on=``) as they stood on a day; what
    is changed on the form is changed from the day it holds from."""
    require_write()
    on = date_arg("on", _l("Holds from"), span=ANY)
    with work() as w:
        card = services.directory.person_card(w, number)
        seen = services.people.person_dict_on(w, services.find_person(w, number), on)
        schema = w.regime.person_schema
    form, fields = _person_form(schema, seen, on)
    problem = None
    if form.validate_on_submit():
        data = _submitted(form, fields, keep=seen["attributes"])
        if data is not None:
            data.pop("number")
            try:
                with attempt() as w:
                    services.people.update_person_as_seen(w, number, on, **data)
            except Rejected as r:
                if r.error.field == "person":  # gone since the page was shown
                    abort(404)
                problem = _show_error(form, fields, r.error)
            else:
                flash(_("%(name)s saved.", name=data.get("full_name") or number), "success")
                return redirect(url_for("admin.person", number=number))
    return render_template("person.html", form=form, fields=fields, mode="edit", person=card,
                           problem=problem), 422 if request.method == "POST" else 200


# --- importing a spreadsheet -----------------------------------------------------------------

class UploadForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired()])
    valid_from = DateField(_l("Holds from"),
                           description=_l("The day the rows' unit, position, manager and "
                                          "attributes hold from, unless a valid_from column "
                                          "says; today if left empty"),
                           validators=[Optional(), DateRange(ANY)])


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[Length(max=64)])  # 32 hex digits and the suffix
    valid_from = HiddenField(validators=[Length(max=10)])  # the upload's, as checked


def _upload_dir() -> str:
    """Uploads waiting for confirmation: in the instance folder, per tenant and user."""
    path = os.path.join(current_app.config.get("UPLOAD_FOLDER") or
                        os.path.join(current_app.instance_path, "imports"),
                        str(g.tenant.id), str(current_user.id))
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _upload_path(token: str | None) -> str:
    """The upload a token names; 404 unless it is this user's, in this tenant, and there."""
    if not token or not TOKEN.match(token):
        abort(404)
    path = os.path.join(_upload_dir(), token)
    if not os.path.isfile(path):
        abort(404)
    return path


def _forget(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def _sweep(directory: str) -> None:
    """Uploads never confirmed nor cancelled go after a day."""
    limit = time.time() - UPLOAD_KEEP
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        try:
            if os.path.getmtime(path) < limit:
                os.remove(path)
        except OSError:
            pass


def _save_upload(storage) -> str:
    """Keep the uploaded file under a random name; its token (the name) goes back to the
    browser in the confirmation form, the file itself never does."""
    suffix = os.path.splitext(storage.filename or "")[1].lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError(_("A .csv or .xlsx file is needed."), field="file")
    directory = _upload_dir()
    _sweep(directory)
    token = secrets.token_hex(16) + suffix
    storage.save(os.path.join(directory, token))
    if os.path.getsize(os.path.join(directory, token)) > MAX_UPLOAD:
        _forget(os.path.join(directory, token))
        raise InputError(_("The file is larger than %(mb)d MB.", mb=MAX_UPLOAD // 2**20),
                         field="file")
    return token


@bp.route("/people/import/template")
def people_import_template():
    """The file to fill in for an import (?format=xlsx|csv), in the user's language."""
    fmt = request.args.get("format", "xlsx")
    if fmt not in import_template.FORMATS:
        abort(404)
    with work() as w:
        doc = import_template.import_template(w, fmt, current_language())
    return Response(doc.content, mimetype=doc.mimetype.split(";")[0], headers={
        "Content-Disposition": f"attachment; filename=\"{doc.filename}\""})


@bp.route("/people/import", methods=["GET", "POST"])
def people_import():
    """Step 1, upload; step 2, the preview: the file checked whole, nothing written."""
    require_write()
    if request.method == "POST" and (request.content_length or 0) > MAX_UPLOAD + 64 * 1024:
        abort(413)  # before the form reads the body
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("import.html", form=form, step="upload"), \
            422 if request.method == "POST" else 200
    try:
        token = _save_upload(form.file.data)
    except InputError as exc:
        add_error(form.file, bare(exc))
        return render_template("import.html", form=form, step="upload"), 422
    path = _upload_path(token)
    valid_from = form.valid_from.data
    rejected, plan, problem = _check(path, valid_from)
    if rejected or problem:
        _forget(path)  # nothing to confirm: the file must be corrected and sent again
        return render_template("import.html", form=form, step="upload", problem=problem,
                               filename=form.file.data.filename, **_errors(rejected)), 422
    return render_template("import.html", step="preview", plan=plan[:PREVIEW_ROWS],
                           rows=len(plan), filename=form.file.data.filename,
                           confirm=ConfirmForm(data={"token": token, "valid_from":
                                                     valid_from.isoformat() if valid_from else ""}),
                           created=sum(1 for *_, new in plan if new),
                           updated=sum(1 for *_, new in plan if not new))


def _check(path: str, valid_from):
    """(the file's errors, the plan, a problem with the file as a whole)."""
    try:
        with work() as w:
            plan = services.importing.check_import(w, path, valid_from)
    except ImportRejected as exc:
        return exc, [], None
    except InputError as exc:
        return None, [], str(exc)
    return None, plan, None


def _errors(rejected: ImportRejected | None) -> dict:
    """What the page shows of a rejected file: the errors listed (the first hundred by
    line), how many in all, how many not listed."""
    if rejected is None:
        return {}
    with work() as w:
        schema = w.regime.person_schema
    errors = [(line, _column(schema, field), service_words(message))
              for line, field, message in rejected.errors]
    return {"errors": errors, "total": rejected.total, "more": rejected.more}


def _column(schema: dict, field: str) -> tuple[str, str]:
    """(the column as the person form labels it, the column's heading in the file)."""
    column = field.removeprefix("attributes.")
    key = column.split(".")[0].split("[")[0]
    base = getattr(PersonForm, key, None)
    if isinstance(base, UnboundField):
        return str(base.args[0]), column
    if key in schema_labels.properties(schema):
        return schema_labels.field_title(schema, key, current_language()), column
    return column, column


@form_post("/people/import/confirm", ".people_import")
def people_import_confirm():
    """Step 3: the file is checked again (the tenant may have changed meanwhile) and
    written, all of it or nothing; the upload is deleted either way."""
    require_write()
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    path = _upload_path(form.token.data)
    try:
        with work() as w:
            result = services.import_people(w, path, valid_from=form.valid_from.data or None)
    except ImportRejected as exc:
        return render_template("import.html", form=UploadForm(formdata=None), step="upload",
                               **_errors(exc)), 422
    except InputError as exc:
        return render_template("import.html", form=UploadForm(formdata=None), step="upload",
                               problem=str(exc)), 422
    finally:
        _forget(path)
    flash(_("Imported: %(created)d created, %(updated)d updated.", created=result.created,
            updated=result.updated), "success")
    return redirect(url_for("admin.people"))


@form_post("/people/import/cancel", ".people_import")
def people_import_cancel():
    require_write()
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    _forget(_upload_path(form.token.data))
    flash(_("The import was cancelled; nothing was written."), "success")
    return redirect(url_for("admin.people"))
