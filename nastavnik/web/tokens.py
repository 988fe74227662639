"""The user's own API tokens, at /account/tokens (not under a tenant: a token acts with
all of its user's tenants and roles).

A logged-in user lists their tokens (name, prefix, created, last used, revoked), creates
one, which is shown once, in the answer to the form and never again (only its SHA-256 is
kept), and revokes one. Forms carry the CSRF token; another user's token is a 404."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from .. import services
from ..core.errors import InputError, NotFound
from .guard import csrf_failed

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=255)],
                       description=_l("What the token is for, e.g. the system that will use it."))


class RevokeForm(FlaskForm):
    """Nothing but the CSRF token."""


@bp.before_request
@login_required
def _logged_in():
    pass


def _page(form: TokenForm, created: tuple | None = None, code: int = 200):
    rows = services.tokens.list_tokens(current_user.email)
    return render_template("tokens.html", form=form, revoke=RevokeForm(), tokens=rows,
                           created=created, api_base=request.host_url.rstrip("/") + "/api/v1",
                           tenants=services.users.tenants_of(current_user)), code


@bp.route("", methods=["GET"])
def tokens():
    return _page(TokenForm(formdata=None))


@bp.route("", methods=["POST"])
def create():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form, code=400 if csrf_failed(form) else 422)
    try:
        row, token = services.tokens.create_token(current_user.email, form.name.data,
                                                  actor=f"web:{current_user.email}",
                                                  address=request.remote_addr)
    except InputError as bad:
        form.name.errors = [*form.name.errors, str(bad)]
        return _page(form, code=422)
    # the token itself only in this answer (never stored, never in the session cookie);
    # pages are sent with Cache-Control: no-store
    return _page(TokenForm(formdata=None), created=(row, token), code=201)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
def revoke(token_id):
    if not RevokeForm().validate_on_submit():
        abort(400)
    try:
        row = services.tokens.revoke_token(current_user.email, token_id,
                                           actor=f"web:{current_user.email}",
                                           address=request.remote_addr)
    except NotFound:
        abort(404)
    flash(_("The token %(name)s (%(prefix)s…) is revoked: it no longer opens the API.",
            name=row.name, prefix=row.prefix), "success")
    return redirect(url_for(".tokens"))


@bp.app_template_filter("utc_minute")
def _utc_minute(value) -> str:
    """A moment as the local way of writing its date, and its time to the minute, in UTC
    (SQLite gives it back without its zone: stored in UTC)."""
    import datetime as dt

    from ..core.i18n import format_date
    from .i18n import current_language

    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return f"{format_date(value.date(), current_language())} {value:%H:%M} UTC"
