"""The dashboard: what is overdue or due soon, violations, mentors' load, a timeline."""

from __future__ import annotations

import datetime as dt

from flask import render_template, url_for
from flask_babel import lazy_gettext as _l

from ... import services
from . import bp, work
from .forms import date_arg
from .timeline import timeline_svg


@bp.route("/")
def dashboard():
    as_of = date_arg("as_of", _l("As of"), dt.date.today())
    with work() as w:
        data = services.dashboard(w, as_of)
        chart = timeline_svg(data["timeline"], as_of,
                             link=lambda mid: url_for(".mentorship", mid=mid))
    return render_template("dashboard.html", as_of=as_of, chart=chart, **data)
