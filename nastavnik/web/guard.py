"""What no view may be given, refused once for every request before any view reads it,
and the pages (or problem+json) that say so.

- A request larger than ``MAX_REQUEST`` is a 413 (werkzeug cuts it off as it reads).
- A NUL character anywhere in the path is a 404 (a path with one names nothing); in a
  query parameter, a form field or an uploaded file's name it is a 400 naming the field
  as its form labels it: PostgreSQL cannot store it, nor even be asked about it.
- ``request.get_json()`` reads with ``core.validation.load_json``, as the API's argument
  parser does (``api.ArgumentsParser``): a document nested too deep, a lone surrogate, a
  number that is not finite is a 400, never a RecursionError or an encoding error later.

The admin's 400, 405 and 413 are its error page in the user's language; the API's are
problem+json (``api.http_problem``)."""

from __future__ import annotations

import sys

import flask
from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, NotFound, RequestEntityTooLarge
from wtforms.fields.core import UnboundField

from ..core.validation import JSONRejected, load_json

#: the largest request taken: a bit above the largest upload (a people import, at most
#: admin.people.MAX_UPLOAD = 10 MB, with the multipart envelope around it)
MAX_REQUEST = 11 * 2**20
NUL = "\x00"


class BadInput(BadRequest):
    """A 400 whose ``message`` (words for the user, in their language) the page shows."""

    def __init__(self, message):
        super().__init__(description=str(message))
        self.message = message


class _BodyJSON:
    """What a request's body is parsed with (werkzeug calls ``request.json_module.loads``)."""

    loads = staticmethod(load_json)
    dumps = staticmethod(flask.json.dumps)


class Request(flask.Request):
    """``get_json`` parses with core.validation.load_json (see the module's doc)."""

    @property
    def json_module(self):
        return _BodyJSON

    @json_module.setter
    def json_module(self, value) -> None:
        """Flask sets the app's JSON provider on every request; the body is still read as
        the API's parser reads it (the provider stays the app's for everything else)."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True):
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except JSONRejected as exc:
            if silent:
                return None
            raise BadRequest(description=str(exc)) from exc


def csrf_failed(form) -> bool:
    """Whether a form was refused for its CSRF token (a form has none when
    WTF_CSRF_ENABLED is off, as in tests)."""
    csrf = getattr(form, "csrf_token", None)
    return csrf is not None and bool(csrf.errors)


# --- NUL -------------------------------------------------------------------------------------

def _declared_labels(module) -> dict[str, object]:
    """Field name -> label of the forms a view module declares."""
    labels: dict[str, object] = {}
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, FlaskForm):
            for name in dir(value):
                unbound = getattr(value, name, None)
                if isinstance(unbound, UnboundField):
                    label = unbound.args[0] if unbound.args else unbound.kwargs.get("label")
                    labels.setdefault(name, label)
    return labels


def field_label(name: str):
    """The label of a form field as the view's form shows it; for a field generated from a
    regime's schema (``attr__last_assessment__mark``) or one no form declares, its name
    in words."""
    view = current_app.view_functions.get(request.endpoint or "")
    module = sys.modules.get(getattr(view, "__module__", ""), None)
    label = _declared_labels(module).get(name) if module is not None else None
    if label:
        return label
    from .admin.forms import label_of

    return label_of(name.split("__")[-1], {})


def _refuse_nul() -> None:
    """Before every request: a path with NUL is a 404; the rest is checked here, except on
    the admin's pages, whose own check (``refuse_nul``) runs once the tenant is known, so
    that the page refusing it is in the tenant's language."""
    if NUL in request.path:
        raise NotFound()
    if request.blueprint != "admin":
        refuse_nul()


def refuse_nul() -> None:
    """NUL in an uploaded file's name, a query parameter or a form field: a 400 naming it
    (the API's query parameters and bodies are its schemas' to refuse, naming the field)."""
    api = request.path.startswith(_api_prefix())
    for name, upload in request.files.items(multi=True):
        if NUL in name or NUL in (upload.filename or ""):
            name = name.replace(NUL, "")
            if api:
                from flask_smorest import abort

                abort(422, message="the file's name must not contain the NUL character",
                      errors={"files": {name: ["must not contain the NUL character"]}})
            raise BadInput(_("The name of the file sent as “%(field)s” holds the NUL "
                             "character (U+0000), which cannot be stored. Nothing was changed.",
                             field=field_label(name)))
    if api:
        return
    for name, value in request.args.items(multi=True):
        if NUL in name or NUL in value:
            raise BadInput(_("The address's parameter “%(name)s” holds the NUL character "
                             "(U+0000), which is not allowed.", name=name.replace(NUL, "")))
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        for name, value in request.form.items(multi=True):
            if NUL in name or NUL in value:
                raise BadInput(_("“%(field)s” holds the NUL character (U+0000), which cannot "
                                 "be stored. Nothing was changed.",
                                 field=field_label(name.replace(NUL, ""))))


# --- error pages -----------------------------------------------------------------------------

def _api_prefix() -> str:
    from .api import API_PREFIX

    return API_PREFIX


MESSAGES = {
    400: _l("The request could not be read. Nothing was changed."),
    405: _l("This page cannot be used that way."),
}


def _error(error: HTTPException):
    if request.path.startswith(_api_prefix()):
        from .api import http_problem

        if isinstance(error, RequestEntityTooLarge):
            error.description = f"the request is larger than {_mb()} MB"
        return http_problem(error)
    if isinstance(error, BadInput):
        message = error.message
    elif isinstance(error, CSRFError):
        message = _("The form has expired or did not come from this site: reload the page "
                    "and send it again. Nothing was changed.")
    elif isinstance(error, RequestEntityTooLarge):
        message = _("The request is larger than %(mb)d MB. Nothing was changed.", mb=_mb())
    else:
        message = MESSAGES.get(error.code, MESSAGES[400])
    response = flask.make_response(render_template("error.html", code=error.code,
                                                   message=message), error.code)
    for name, value in error.get_headers():
        if name.lower() != "content-type":  # e.g. 405's Allow
            response.headers[name] = value
    return response


def input_error_page(error) -> flask.Response:
    """A page's answer to bad input its view did not catch (core.errors.InputError): the
    error page, 422, saying what was wrong (in the user's language where the error is one
    of the kinds worded here). The unit of work was rolled back: nothing was changed."""
    from ..core.errors import BadDate, NotInForce
    from ..core.i18n import format_date
    from .admin.forms import date_message
    from .i18n import current_language

    if isinstance(error, NotInForce):
        lang = current_language()
        message = _("%(day)s is before the rules of the regime are in force (from %(first)s).",
                    day=format_date(error.day, lang), first=format_date(error.first, lang))
    elif isinstance(error, BadDate):
        message = date_message(error)
    else:
        message = str(error)
    return flask.make_response(render_template("error.html", code=422, message=message), 422)


def _mb() -> int:
    return (current_app.config.get("MAX_CONTENT_LENGTH") or MAX_REQUEST) // 2**20


def init_app(app) -> None:
    app.request_class = Request
    app.before_request(_refuse_nul)
    for code in (400, 405, 413):
        app.register_error_handler(code, _error)
