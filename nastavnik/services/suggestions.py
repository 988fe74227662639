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
import itertools

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
    mentee_unit = case.person_on(person.number, on).unit  # units as they stand on ``on``

    def capacity_of(pid):  # a regime may give each mentor a limit of their own
        own = engine.capacity_limit(on, pid, case)
        return own.limit if own is not None else None

    def free(pid):
        own = capacity_of(pid)
        return None if own is None else own - len(loads.get(pid, ()))

    levels = remembered(work, ("ranking", on), lambda: _levels(case, free, hired, on))
    skip = {person.number, *(n for n in leave_out if n)}
    staff = len(case.people) - sum(1 for n in skip if n in case.people)
    if exhaustive is None:
        exhaustive = staff <= EXHAUSTIVE_UP_TO
    everyone = exhaustive or not limit
    ranked = _ranked(levels, case, on, mentee_unit, skip)
    eligible, excluded, batch = [], [], FIRST_BATCH
    while everyone or len(eligible) < limit:
        chunk = list(ranked) if everyone else list(itertools.islice(ranked, batch))
        if not chunk:
            break
        batch *= 4
        for check in engine.candidates(case, person.number, on, only=chunk):
            p = case.person_on(check.mentor, on)
            entry = {"number": p.id, "name": p.name, "unit": p.unit, "position": p.position,
                     "fallback": check.fallback, "findings": check.findings}
            if check.allowed:
                entry.update(load=len(loads.get(p.id, ())), capacity=capacity_of(p.id), free=free(p.id),
                             same_unit=bool(mentee_unit) and p.unit == mentee_unit,
                             hired_on=hired.get(p.id))
                eligible.append(entry)
                if not everyone and len(eligible) == limit:
                    break  # who comes after the last suggestion is not asked about
            else:
                excluded.append(entry)
        if everyone:
            break
    excluded.sort(key=lambda e: e["number"])
    return {"mentee": person.number, "on": on.isoformat(), "capacity": capacity,
            "eligible": eligible[:limit] if limit else eligible,
            "eligible_count": len(eligible) if everyone else None,
            "checked": len(eligible) + len(excluded), "staff": staff,
            "excluded": excluded}


def _levels(case, free, hired, on) -> list:
    """The staff by free places (most first), each level in order of time with the body
    and personnel number, and the same again by unit: what ranking needs for any mentee."""
    by_level: dict = {}
    for pid in case.people:
        room = free(pid)
        by_level.setdefault(-(room if room is not None else 10**6), []).append(pid)
    levels = []
    for key in sorted(by_level):
        ordered = sorted(by_level[key], key=lambda pid: (hired.get(pid) or dt.date.max, pid))
        by_unit: dict = {}
        for pid in ordered:
            by_unit.setdefault(case.person_on(pid, on).unit, []).append(pid)
        levels.append((ordered, by_unit))
    return levels


def _ranked(levels, case, on, unit, skip):
    """People in rank order for a mentee of ``unit``, lazily: within each level of free
    places, the mentee's unit first."""
    for ordered, by_unit in levels:
        if unit:
            for pid in by_unit.get(unit, ()):
                if pid not in skip:
                    yield pid
        for pid in ordered:
            if pid not in skip and not (unit and case.person_on(pid, on).unit == unit):
                yield pid
