"""The tenant's settings: its regime, the amendments of it the tenant follows and the
regime's settings (a form generated from the regime's JSON Schema), its own calendar days
and its language. A change of regime, amendments or settings can be previewed first (what
it would make appear, disappear or move on the tenant's records) and then applied. Tenant
administrators and platform administrators only."""

from __future__ import annotations

import datetime as dt
import re

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Length

from ... import services
from ...core import registry
from ...core.errors import InputError, NastavnikError
from ...core.i18n import format_date
from ...storage.models import LOCALES
from . import bp, form_post, nav, require_configure, work
from .forms import add_error, bare, collect, form_class, initial, place_error, schema_fields

LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
SEPARATORS = re.compile(r"[\s,;]+")

nav("admin.settings", _l("Settings"), when=lambda: g.get("may_configure", False))


#: the most characters of a list of days: about 900 dates, decades of a tenant's own days
MAX_DAYS_TEXT = 10000


class RegimeForm(FlaskForm):
    regime = HiddenField(validators=[Length(max=63)])


class CalendarForm(FlaskForm):
    extra_days_off = TextAreaField(
        _l("Extra days off"), validators=[Length(max=MAX_DAYS_TEXT)],
        render_kw={"rows": 5, "spellcheck": "false"},
        description=_l("Days the national calendar has as working days but the tenant does "
                       "not work: one date (YYYY-MM-DD) per line."))
    extra_working_days = TextAreaField(
        _l("Extra working days"), validators=[Length(max=MAX_DAYS_TEXT)],
        render_kw={"rows": 5, "spellcheck": "false"},
        description=_l("Days off in the national calendar on which the tenant works: one "
                       "date (YYYY-MM-DD) per line."))
    locale = SelectField(_l("Language"),
                         choices=[SelectChoice(c, LANGUAGE_NAMES.get(c, c)) for c in LOCALES],
                         description=_l("The tenant's language, for users who have not "
                                        "chosen one."))


def _actor() -> str:
    return f"web:{current_user.email}"


def _regimes() -> list[tuple[str, str | None, str | None]]:
    """(id, title in the user's language, why it cannot be loaded) of every installed regime."""
    from ..i18n import current_language

    out = []
    for regime_id in registry.available():
        try:
            title = registry.get(regime_id).info.title
            out.append((regime_id, title.get(current_language()) or title.get("en"), None))
        except NastavnikError as exc:
            out.append((regime_id, None, str(exc)))
    return out


def _chosen() -> str | None:
    """The regime whose settings are shown or saved: ?regime= (or the form's), else the
    tenant's; None if no such regime is installed."""
    chosen = request.values.get("regime") or g.tenant.regime
    if chosen not in registry.available():
        return None
    try:
        registry.get(chosen)
    except NastavnikError:  # installed but broken: listed with its error, not chosen
        return None
    return chosen


def _regime_form(regime_id: str, submitted: bool = False):
    """The settings form of a regime: with what was sent, if ``submitted``, else with the
    tenant's settings (if it is the tenant's regime)."""
    schema = services.regime_of(g.tenant, regime_id).settings_schema
    fields = schema_fields(schema, "s")
    cls = form_class(RegimeForm, fields)
    if submitted:  # what was sent, not what is stored: a field left out is empty
        return cls(), fields, schema
    values = g.tenant.settings if regime_id == g.tenant.regime else {}
    return cls(formdata=None, data={"regime": regime_id, **initial(fields, values)}), fields, schema


def _calendar_form():
    t = g.tenant
    return CalendarForm(formdata=None, data={
        "extra_days_off": "\n".join(t.extra_days_off or ()),
        "extra_working_days": "\n".join(t.extra_working_days or ()), "locale": t.locale})


def _amendments() -> list[dict]:
    """The installed amendments of the tenant's regime, worded in the page's language."""
    from ..i18n import current_language

    lang, chosen = current_language(), set(g.tenant.amendments or ())
    return [{"name": name, "chosen": name in chosen,
             "title": info.title.get(lang) or info.title.get("en"),
             "citation": info.citation.get(lang) or info.citation.get("en"),
             "effective_from": format_date(info.effective_from, lang)}
            for name, info in registry.amendments_of(g.tenant.regime).items()]


def _page(regime_id, form, fields, schema, calendar, problem=None, status=200):
    return render_template("settings.html", regimes=_regimes(), chosen=regime_id, form=form,
                           fields=fields, schema=schema, calendar=calendar, problem=problem,
                           current=g.tenant.regime, amendments=_amendments()), status


def _preview(action: str, **change):
    """The page showing what ``change`` would do, with the form that applies it: what was
    sent, posted again to ``action`` without asking for a preview."""
    from ...services.what_if import what_if
    from ..i18n import current_language

    as_of = dt.date.today()
    with work() as unit:
        diff = what_if(unit, as_of, lang=current_language(), **change)
    resend = [(k, v) for k, values in request.form.lists() if k not in ("csrf_token", "preview")
              for v in values]
    return render_template("settings_preview.html", diff=diff, action=action, resend=resend,
                           as_of=format_date(as_of, current_language()))


@bp.route("/settings")
def settings():
    require_configure()
    regime_id = _chosen() or g.tenant.regime
    form, fields, schema = _regime_form(regime_id)
    return _page(regime_id, form, fields, schema, _calendar_form())


@form_post("/settings/regime", ".settings")
def settings_regime():
    require_configure()
    regime_id = _chosen()
    if regime_id is None:
        form, fields, schema = _regime_form(g.tenant.regime)
        problem = _("No regime %(id)s is installed.", id=request.form.get("regime"))
        return _page(g.tenant.regime, form, fields, schema, _calendar_form(), problem, 422)
    form, fields, schema = _regime_form(regime_id, submitted=True)
    problem = None
    if form.validate_on_submit():
        values = collect(form, fields)
        if values is not None:
            try:
                if request.form.get("preview"):
                    return _preview(url_for("admin.settings_regime"), regime=regime_id,
                                    settings=values)
                services.set_regime(g.tenant.slug, regime_id, _actor(), settings=values)
            except InputError as exc:
                if exc.field == "regime" or not place_error(form, fields, exc):
                    problem = str(exc)
            else:
                flash(_("The regime and its settings were saved."), "success")
                return redirect(url_for("admin.settings"))
    return _page(regime_id, form, fields, schema, _calendar_form(), problem, 422)


@form_post("/settings/amendments", ".settings")
def settings_amendments():
    require_configure()
    form = RegimeForm()  # the CSRF token only
    chosen = request.form.getlist("amendment")
    problem = None
    if form.validate_on_submit():
        try:
            if request.form.get("preview"):
                return _preview(url_for("admin.settings_amendments"), amendments=chosen)
            services.set_amendments(g.tenant.slug, chosen, _actor())
        except InputError as exc:
            problem = str(exc)
        else:
            flash(_("The amendments were saved."), "success")
            return redirect(url_for("admin.settings"))
    regime_id = g.tenant.regime
    form, fields, schema = _regime_form(regime_id)
    problem = problem or _("The form has expired or did not come from this site: reload the "
                           "page and send it again. Nothing was changed.")
    return _page(regime_id, form, fields, schema, _calendar_form(), problem, 422)


def _dates(text: str | None) -> list[str]:
    return [d for d in SEPARATORS.split(text or "") if d]


@form_post("/settings/calendar", ".settings")
def settings_calendar():
    require_configure()
    calendar = CalendarForm()
    problem = None
    if calendar.validate_on_submit():
        try:
            services.update_tenant(g.tenant.slug, _actor(), locale=calendar.locale.data,
                                   extra_days_off=_dates(calendar.extra_days_off.data),
                                   extra_working_days=_dates(calendar.extra_working_days.data))
        except InputError as exc:
            name = (exc.field or "").split("[")[0]
            if name in calendar:
                add_error(calendar[name], bare(exc))
            else:
                problem = str(exc)
        else:
            flash(_("The calendar and language were saved."), "success")
            return redirect(url_for("admin.settings"))
    regime_id = g.tenant.regime
    form, fields, schema = _regime_form(regime_id)
    return _page(regime_id, form, fields, schema, calendar, problem, 422)
