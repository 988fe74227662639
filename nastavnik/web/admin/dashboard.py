"""The dashboard: what is overdue or due soon, violations, mentors' load, a timeline."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request

from ... import services
from ...core.engine import FAR_FUTURE
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
        report = services.compliance_report(w, as_of)
        evaluation, case = services.sweep(w, as_of)
        engine = w.rules()
        limit = engine.capacity_limit(as_of)
    open_ms = [m for m in case.mentorships if m.status == "open"]
    loads: dict = {}
    for m in open_ms:
        a = m.mentor_on(as_of)
        if a is not None:
            loads.setdefault(a.mentor, []).append(m.mentee)
    mentors = sorted(((case.people[p].name, p, len(ms)) for p, ms in loads.items()),
                     key=lambda row: (-row[2], row[0]))
    chart = timeline_svg(case, evaluation, as_of, lang=request.args.get("lang") or None)
    return render_template(
        "dashboard.html", report=report, as_of=as_of, mentors=mentors,
        capacity=limit.limit if limit is not None else None,
        capacity_rule=limit.rule if limit is not None else None,
        pending=[d for d in report["deadlines"] if d["status"] in ("overdue", "due_soon")],
        violations=[f for f in report["findings"] if f["severity"] == "violation"],
        warnings=[f for f in report["findings"] if f["severity"] == "warning"],
        chart=chart, far=FAR_FUTURE)
