"""Mentor suggestions: who may mentor this mentee from this day, best first, and why
the people ranked above them may not.

The ranking (most free capacity, then the mentee's unit, then the longest time with the
body) needs no rule, so people are ranked first and the regime's rules are asked in that
order, in growing batches, until ``limit`` are found eligible: in a body of 50,000 staff
a few hundred are checked, not everyone. A staff of up to ``EXHAUSTIVE_UP_TO`` is checked
in full (every excluded person with the reasons, and how many are eligible in all), as is
any staff with ``exhaustive=True``; the first ``limit`` eligible are the same either way."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..storage.models import Person, db
from .cache import case_of, remembered
from .people import find_person
from .unit import TenantWork

FIRST_BATCH = 32
EXHAUSTIVE_UP_TO = 2000


def suggest_mentors(work: TenantWork, mentee: str, on: dt.date, limit: int = 10,
                    leave_out=(), exhaustive: bool | None = None) -> dict:
    """Eligible candidates ranked by free capacity on ``on``, then the same unit as the
    mentee, then the longest time with the body; and the excluded with the findings that
    exclude them: everyone excluded when the check is exhaustive (or there is no
    ``limit``), else those ranked above the last suggestion. People in ``leave_out``
    (e.g. the current mentor, when choosing a replacement) are not considered."""
    person = find_person(work, mentee, "mentee")
    case = case_of(work, with_councils=False)
    engine = remembered(work, ("rules",), work.rules)
    loads = remembered(work, ("loads", on), lambda: engine.loads(case, on))
    limit_on = engine.capacity_limit(on)
    capacity = limit_on.limit if limit_on is not None else None
    hired = remembered(work, ("hired",), lambda: dict(
        db.session.execute(sa.select(Person.number, Person.hired_on)).all()))
    mentee_unit = case.people[person.number].unit

    def free(pid):
        return None if capacity is None else capacity - len(loads.get(pid, ()))

    def rank(pid):
        room, p = free(pid), case.people[pid]
        return (-(room if room is not None else 10**6), not (mentee_unit and p.unit == mentee_unit),
                hired.get(pid) or dt.date.max, pid)

    skip = {person.number, *(n for n in leave_out if n)}
    ranked = sorted((pid for pid in case.people if pid not in skip), key=rank)
    if exhaustive is None:
        exhaustive = len(ranked) <= EXHAUSTIVE_UP_TO
    everyone = exhaustive or not limit
    eligible, excluded, checked, batch = [], [], 0, FIRST_BATCH
    while checked < len(ranked) and (everyone or len(eligible) < limit):
        chunk = ranked[checked:] if everyone else ranked[checked:checked + batch]
        checked, batch = checked + len(chunk), batch * 4
        for check in engine.candidates(case, person.number, on, only=chunk):
            p = case.people[check.mentor]
            entry = {"number": p.id, "name": p.name, "unit": p.unit, "position": p.position,
                     "fallback": check.fallback, "findings": check.findings}
            if check.allowed:
                entry.update(load=len(loads.get(p.id, ())), capacity=capacity, free=free(p.id),
                             same_unit=bool(mentee_unit) and p.unit == mentee_unit,
                             hired_on=hired.get(p.id))
                eligible.append(entry)
                if not everyone and len(eligible) == limit:
                    break  # who comes after the last suggestion is not asked about
            else:
                excluded.append(entry)
    excluded.sort(key=lambda e: e["number"])
    return {"mentee": person.number, "on": on.isoformat(), "capacity": capacity,
            "eligible": eligible[:limit] if limit else eligible,
            "eligible_count": len(eligible) if everyone else None,
            "checked": len(eligible) + len(excluded), "staff": len(ranked),
            "excluded": excluded}
