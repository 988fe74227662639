"""Mentor suggestions: who may mentor this mentee from this day, best first, and why
each of the others may not."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..storage.case import load_case
from ..storage.models import Person, db
from .people import find_person
from .unit import TenantWork


def suggest_mentors(work: TenantWork, mentee: str, on: dt.date, limit: int = 10) -> dict:
    """Eligible candidates ranked by free capacity on ``on``, then the same unit as the
    mentee, then the longest time with the body; and the excluded ones with the
    findings that exclude them."""
    person = find_person(work, mentee, "mentee")
    case, _ = load_case(with_councils=False)
    engine = work.rules()
    checks = engine.candidates(case, person.number, on)
    loads = engine.loads(case, on)
    limit_on = engine.capacity_limit(on)
    capacity = limit_on.limit if limit_on is not None else None
    hired = {p.number: p.hired_on for p in _people_hired(work)}
    mentee_unit = case.people[person.number].unit
    eligible, excluded = [], []
    for check in checks:
        p = case.people[check.mentor]
        entry = {"number": p.id, "name": p.name, "unit": p.unit, "position": p.position,
                 "fallback": check.fallback, "findings": check.findings}
        if check.allowed:
            load = len(loads.get(p.id, ()))
            entry.update(load=load, capacity=capacity,
                         free=None if capacity is None else capacity - load,
                         same_unit=bool(mentee_unit) and p.unit == mentee_unit,
                         hired_on=hired.get(p.id))
            eligible.append(entry)
        else:
            excluded.append(entry)
    eligible.sort(key=lambda e: (-(e["free"] if e["free"] is not None else 10**6),
                                 not e["same_unit"], e["hired_on"] or dt.date.max, e["number"]))
    excluded.sort(key=lambda e: e["number"])
    return {"mentee": person.number, "on": on.isoformat(), "capacity": capacity,
            "eligible": eligible[:limit] if limit else eligible, "eligible_count": len(eligible),
            "excluded": excluded}


def _people_hired(work):
    return db.session.execute(sa.select(Person.number, Person.hired_on)).all()
