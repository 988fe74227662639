"""What the dashboard shows: the compliance report, mentors' load against capacity, and
what the timeline chart needs."""

from __future__ import annotations

import datetime as dt

from .compliance import compliance_report_of
from .unit import TenantWork


def dashboard(work: TenantWork, as_of: dt.date) -> dict:
    report, evaluation, case = compliance_report_of(work, as_of)
    engine = work.rules()
    limit = engine.capacity_limit(as_of)
    loads = engine.loads(case, as_of)
    mentors = sorted(({"name": case.people[p].name, "number": p, "load": len(ms)}
                      for p, ms in loads.items()), key=lambda row: (-row["load"], row["name"]))
    return {
        "report": report, "evaluation": evaluation, "case": case, "mentors": mentors,
        "capacity": limit.limit if limit is not None else None,
        "capacity_rule": limit.rule if limit is not None else None,
        "pending": [d for d in report["deadlines"] if d["status"] in ("overdue", "due_soon")],
        "violations": [f for f in report["findings"] if f["severity"] == "violation"],
        "warnings": [f for f in report["findings"] if f["severity"] == "warning"],
    }
