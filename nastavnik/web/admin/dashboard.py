"""The dashboard: what is overdue or due soon, violations, mentors' load, a timeline."""

from __future__ import annotations

import datetime as dt

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l

from ... import services
from ...services.cache import SMALL, remembered
from ..i18n import current_language
from . import bp, work
from .forms import date_arg
from .timeline import timeline_svg


@bp.route("/")
def dashboard():
    as_of = date_arg("as_of", _l("As of"), dt.date.today())
    with work() as w:
        data = services.dashboard(w, as_of)
        # drawn once per data revision and language, like the dashboard it shows
        chart = remembered(w, ("timeline_svg", as_of, current_language()),
                           lambda: timeline_svg(data["timeline"], as_of, link=lambda mid: url_for(
                               ".mentorship", mid=mid)), SMALL)
    return render_template("dashboard.html", as_of=as_of, chart=chart, **data)
