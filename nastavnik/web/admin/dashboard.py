"""The dashboard: what is overdue or due soon, violations, mentors' load, a timeline."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request

from ... import services
from ...services.cache import SMALL, remembered
from ..i18n import current_language
from . import bp, work
from .timeline import timeline_svg


def _as_of() -> dt.date:
    try:
        return dt.date.fromisoformat(request.args.get("as_of", ""))
    except ValueError:
        return dt.date.today()


@bp.route("/")
def dashboard():
    as_of = _as_of()
    with work() as w:
        data = services.dashboard(w, as_of)
        # drawn once per data revision and language, like the dashboard it shows
        chart = remembered(w, ("timeline_svg", as_of, current_language()),
                           lambda: timeline_svg(data["timeline"], as_of), SMALL)
    return render_template("dashboard.html", as_of=as_of, chart=chart, **data)
