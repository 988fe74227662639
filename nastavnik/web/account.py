"""The user's own account, next to their API tokens: /account/password changes the
password (the current one, and the new one twice). Every session of the user ends with
the old password, this one too; this browser gets a new session at once. A refused new
password says why, in the user's language.

/account/security-log shows the platform's administrators the security log (logins,
failed ones, lockouts, accounts, roles and API tokens), newest first."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo

from .. import services
from ..core.errors import InputError
from ..services import logins, passwords, security_log
from . import auth
from .guard import csrf_failed

bp = Blueprint("account", __name__, url_prefix="/account")


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()])
    new_password_again = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))])


#: why a password is refused (services.passwords.REASONS), in the user's language
REASONS = {
    "blank": _l("It is empty or only spaces."),
    "short": _l("It has fewer than %(n)s characters.", n=passwords.MIN_LENGTH),
    "long": _l("It has more than %(n)s characters.", n=passwords.MAX_LENGTH),
    "personal": _l("It contains your e-mail address or your name."),
    "guessable": _l("It is easy to guess."),
}

#: zxcvbn's explanations (English in the library), in the user's language
ZXCVBN = {
    "Use a few words, avoid common phrases.": _l("Use a few words, avoid common phrases."),
    "No need for symbols, digits, or uppercase letters.":
        _l("No need for symbols, digits, or uppercase letters."),
    "Add another word or two. Uncommon words are better.":
        _l("Add another word or two. Uncommon words are better."),
    "Straight rows of keys are easy to guess.": _l("Straight rows of keys are easy to guess."),
    "Short keyboard patterns are easy to guess.": _l("Short keyboard patterns are easy to guess."),
    "Use a longer keyboard pattern with more turns.":
        _l("Use a longer keyboard pattern with more turns."),
    'Repeats like "aaa" are easy to guess.': _l('Repeats like "aaa" are easy to guess.'),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".':
        _l('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    "Avoid repeated words and characters.": _l("Avoid repeated words and characters."),
    'Sequences like "abc" or "6543" are easy to guess.':
        _l('Sequences like "abc" or "6543" are easy to guess.'),
    "Avoid sequences.": _l("Avoid sequences."),
    "Recent years are easy to guess.": _l("Recent years are easy to guess."),
    "Avoid recent years.": _l("Avoid recent years."),
    "Avoid years that are associated with you.": _l("Avoid years that are associated with you."),
    "Dates are often easy to guess.": _l("Dates are often easy to guess."),
    "Avoid dates and years that are associated with you.":
        _l("Avoid dates and years that are associated with you."),
    "This is a top-10 common password.": _l("This is a top-10 common password."),
    "This is a top-100 common password.": _l("This is a top-100 common password."),
    "This is a very common password.": _l("This is a very common password."),
    "This is similar to a commonly used password.": _l("This is similar to a commonly used password."),
    "A word by itself is easy to guess.": _l("A word by itself is easy to guess."),
    "Names and surnames by themselves are easy to guess.":
        _l("Names and surnames by themselves are easy to guess."),
    "Common names and surnames are easy to guess.": _l("Common names and surnames are easy to guess."),
    "Capitalization doesn't help very much.": _l("Capitalization doesn't help very much."),
    "All-uppercase is almost as easy to guess as all-lowercase.":
        _l("All-uppercase is almost as easy to guess as all-lowercase."),
    "Reversed words aren't much harder to guess.": _l("Reversed words aren't much harder to guess."),
    "Predictable substitutions like '@' instead of 'a' don't help very much.":
        _l("Predictable substitutions like '@' instead of 'a' don't help very much."),
}


def refusal_words(refused: passwords.PasswordRefused) -> list[str]:
    """Why a password is refused, sentence by sentence, in the user's language (a sentence
    of zxcvbn's that has no translation here is left out rather than shown in English)."""
    said = [str(REASONS[r]) for r in refused.reasons]
    said += [str(ZXCVBN[s]) for s in (refused.warning, *refused.suggestions) if s in ZXCVBN]
    return said


@bp.before_request
@login_required
def _logged_in():
    pass


def _page(form, code=200):
    return render_template("password.html", form=form, policy_min=passwords.MIN_LENGTH), code


@bp.route("/password", methods=["GET"])
def password():
    return _page(PasswordForm(formdata=None))


@bp.route("/password", methods=["POST"])
def change_password():
    form = PasswordForm()
    if not form.validate_on_submit():
        return _page(form, 400 if csrf_failed(form) else 422)
    try:
        user = services.users.change_own_password(current_user, form.current_password.data,
                                                  form.new_password.data,
                                                  address=request.remote_addr)
    except logins.Throttled as throttle:
        return auth.throttled_page("password.html", auth.throttle_message(throttle), throttle,
                                   form=PasswordForm(formdata=None),
                                   policy_min=passwords.MIN_LENGTH)
    except services.users.WrongPassword:
        form.current_password.errors = [_("The current password is wrong.")]
        return _page(form, 422)
    except passwords.PasswordRefused as refused:
        form.new_password.errors = [_("This password cannot be used."), *refusal_words(refused)]
        return _page(form, 422)
    auth.start_session(user)  # the old password's sessions ended, this one's too
    flash(_("Your password is changed. Every other session of yours has ended: log in "
            "there again with the new password."), "success")
    return redirect(url_for(".password"))


#: what a security event was (storage.security.KINDS), in the user's language
EVENTS = {
    "login": _l("logged in"), "login_failed": _l("failed login"),
    "account_locked": _l("account locked"), "address_throttled": _l("logins from the address paused"),
    "logout": _l("logged out"), "user_created": _l("user created"),
    "user_deactivated": _l("user deactivated"), "user_activated": _l("user activated"),
    "password_changed": _l("password changed"), "role_granted": _l("role granted"),
    "role_revoked": _l("role revoked"), "token_created": _l("API token created"),
    "token_revoked": _l("API token revoked"),
}
SHOWN = 200


def _describe(event) -> str:
    """What an event's details say, in words (no internal ids)."""
    import datetime as dt

    from .labels import label
    from .tokens import _utc_minute

    details = event.details or {}
    if event.kind in ("role_granted", "role_revoked") and details.get("tenant"):
        return _("%(role)s in %(tenant)s", role=label(details.get("role"), "role"),
                 tenant=details["tenant"])
    if event.kind.startswith("token_") and details.get("name"):
        return f"{details['name']} ({details.get('prefix', '')}…)"
    if details.get("until"):
        return _("until %(when)s", when=_utc_minute(dt.datetime.fromisoformat(details["until"])))
    if details.get("purpose") == "password change":
        return _("the current password, to change it")
    return ""



@bp.route("/security-log")
def security_events():
    if not current_user.is_platform_admin:
        abort(403)
    kind = request.args.get("kind") or None
    email = (request.args.get("email") or "").strip() or None
    problem = None
    try:
        events = security_log.list_events(kind=kind, email=email, limit=SHOWN)
    except InputError:
        events, problem = [], _("Choose a kind of event from the list.")
    return render_template("security_log.html", events=events, kinds=EVENTS, shown=SHOWN,
                           describe=_describe,
                           filters={"kind": kind or "", "email": email or ""},
                           problem=problem), 200 if problem is None else 422
