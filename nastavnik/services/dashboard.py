"""What the dashboard shows: the compliance report, mentors' load against capacity, and
what the timeline chart needs.

Remembered per data revision (services.cache) like the report it comes from; the lists
are cut to the first ``shown`` rows (their full lengths are given), since a body of
50,000 mentorships has thousands of overdue papers and the page is for the first look,
the exports and the API for the rest."""

from __future__ import annotations

import datetime as dt

from ..core.subjects import Subject
from .cache import remembered
from .compliance import compliance_report_of
from .deadlines import deadline_rows
from .unit import TenantWork

TIMELINE_ROWS = 30


def dashboard(work: TenantWork, as_of: dt.date, shown: int = 100) -> dict:
    return remembered(work, ("dashboard", as_of, work.lang, shown),
                      lambda: _dashboard(work, as_of, shown))


def _dashboard(work: TenantWork, as_of: dt.date, shown: int) -> dict:
    report, evaluation, case = compliance_report_of(work, as_of)
    engine = remembered(work, ("rules",), work.rules)
    limit = engine.capacity_limit(as_of)
    loads = remembered(work, ("loads", as_of), lambda: engine.loads(case, as_of))
    def capacity(pid):
        own = engine.capacity_limit(as_of, pid, case)
        return own.limit if own is not None else None

    mentors = sorted(({"name": case.people[p].name, "number": p, "load": len(ms),
                       "capacity": capacity(p)}
                      for p, ms in loads.items()), key=lambda row: (-row["load"], row["name"]))
    # with the mentee's name and mentorship, as the deadlines page has them
    pending = [d for d in deadline_rows(work, as_of)[0] if d["status"] in ("overdue", "due_soon")]
    findings = ([f for f in report["findings"] if f["severity"] == "violation"]
                + [f for f in report["findings"] if f["severity"] == "warning"])
    mentorships = {m.id for m in case.mentorships}

    def named(f):  # the shown ones with the mentee's name and mentorship, to link them
        owner = Subject(f["subject"]).owner
        return {**f, "mentorship": owner if owner in mentorships else None,
                "mentee_name": case.people[f["mentee"]].name if f["mentee"] in case.people
                else ""}
    return {
        "report": report, "mentors": mentors[:shown], "mentors_count": len(mentors),
        "capacity": limit.limit if limit is not None else None,
        "capacity_rule": limit.rule if limit is not None else None,
        "pending": pending[:shown], "pending_count": len(pending),
        "findings": [named(f) for f in findings[:shown]], "findings_count": len(findings),
        "timeline": _timeline(case, evaluation),
    }


def _timeline(case, evaluation) -> dict:
    """The latest open mentorships, with their mentee's name, term and deadlines."""
    rows = sorted((m for m in case.mentorships if m.status == "open"),
                  key=lambda m: m.start)[-TIMELINE_ROWS:]
    wanted = {m.id for m in rows}
    deadlines: dict = {}
    for d in evaluation.deadlines:
        mid = Subject(d.subject).owner
        if mid in wanted:
            deadlines.setdefault(mid, []).append(d)
    return {"soon": evaluation.soon, "rows": [
        {"mentorship": m, "name": case.people[m.mentee].name if m.mentee in case.people else m.mentee,
         "term": evaluation.terms.get(m.id), "deadlines": deadlines.get(m.id, [])}
        for m in rows]}
