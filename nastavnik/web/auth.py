"""Logging in and out (Flask-Login), and the language switch.

A login is throttled per account and per client address (services.logins): while either
is locked the page says until when, with a 429, and no password is checked. A logged-in
session is also a row on the server (services.sessions): the cookie carries its key, and
a request is logged in only while that row is open, so that logging out ends the session
for every copy of the cookie."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired

from .. import services
from ..core.i18n import LANGUAGES
from ..services import logins, sessions

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please log in.")

SESSION_KEY = "sid"  # the server-side session's key, in Flask's (signed) session cookie


@login_manager.user_loader
def _load_user(user_id):
    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        return None
    return sessions.user_for(uid, session.get(SESSION_KEY))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired()])
    password = PasswordField(_l("Password"), validators=[DataRequired()])


# in a path, anything a browser might strip, or read as a separator, before resolving it
_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\x7f\\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect. The path is "/" followed by
    anything but a second "/" (``//host`` is another site), with no backslash, space or
    control character (browsers read ``/\\host`` as ``//host`` and drop tabs and newlines:
    ``/<tab>/host``), as given and percent-decoded (once or more: ``/%2F%2Fhost``), and
    the target has no scheme or host (``https:host``) and no control character at all. A
    query may hold what it likes (a search for two words)."""
    if not target or not isinstance(target, str) or len(target) > 2048 or _CONTROL.search(target):
        return None
    value = target
    for _ in range(4):  # as given, then decoded: %252F decodes to %2F, which decodes to /
        path = re.split(r"[?#]", value, maxsplit=1)[0]
        if _UNSAFE_IN_PATH.search(path) or not path.startswith("/") or path.startswith("//"):
            return None
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            return None
        value = unquote(value)
    return target


def _when(moment) -> str:
    from .tokens import _utc_minute

    return _utc_minute(moment)


def throttled_page(template: str, error, throttle: logins.Throttled, **context):
    """A page that says what is locked and until when: 429, with Retry-After."""
    return (render_template(template, error=error, **context), 429,
            {"Retry-After": str(throttle.retry_after)})


def throttle_message(throttle: logins.Throttled) -> str:
    if isinstance(throttle, logins.AddressThrottled):
        return _("Too many failed logins from your network address. Logging in from it is "
                 "paused until %(when)s.", when=_when(throttle.until))
    return _("This account is locked after too many failed logins. It opens at %(when)s; "
             "until then no password is accepted, not even the right one.",
             when=_when(throttle.until))


def start_session(user) -> None:
    """Log ``user`` in on this browser: a new server-side session, a new cookie. The
    language is the user's own, else the one chosen on the login page."""
    chosen = session.get("lang")
    session.clear()
    session[SESSION_KEY] = sessions.start(user, request.remote_addr)
    login_user(user)
    if user.locale or chosen:
        session["lang"] = user.locale or chosen


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = services.users.authenticate(form.email.data, form.password.data,
                                               request.remote_addr)
        except logins.Throttled as throttle:
            return throttled_page("login.html", throttle_message(throttle), throttle, form=form)
        if user is not None:
            start_session(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.home"))
        error = _l("Wrong e-mail or password.")
    return render_template("login.html", form=form, error=error), 200 if not error else 401


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    sessions.logout(session.get(SESSION_KEY), request.remote_addr)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/")
@login_required
def home():
    tenants = services.users.tenants_of(current_user)
    if len(tenants) == 1:
        return redirect(url_for("admin.dashboard", tenant=tenants[0][0].slug))
    return render_template("tenants.html", tenants=tenants)


@bp.route("/language/<code>", methods=["POST"])
def language(code):
    if code not in LANGUAGES:
        abort(404)
    session["lang"] = code
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.home"))


def init_app(app) -> None:
    login_manager.init_app(app)
    logins.prepare()
