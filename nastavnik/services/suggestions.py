"""Mentor suggestions: who may mentor this mentee from this day, best first, and why
the people ranked above them may not.

The ranking needs no rule: the mentee's unit first; within it, by how far above the
mentee a person stands in the line of management (one level above, then the mentee's
level, then further up, then below; the head of the body, who has no manager and manages
others, last); then the most free places, then the longest time with the body. People
are ranked first and the regime's rules are asked in that
order, in growing batches, until ``limit`` are found eligible: in a body of 50,000 staff
a few hundred are checked, not everyone. A staff of up to ``EXHAUSTIVE_UP_TO`` is checked
in full (every excluded person with the reasons, and how many are eligible in all), as is
any staff with ``exhaustive=True``; the first ``limit`` eligible are the same either way."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..storage.case import load_case
from ..storage.models import Person, PersonVersion, db
from . import ranking, results
from .people import find_person
from .unit import TenantWork

FIRST_BATCH = 32
EXHAUSTIVE_UP_TO = 2000


def suggest_mentors(work: TenantWork, mentee: str, on: dt.date, limit: int = 10,
                    leave_out=(), exhaustive: bool | None = None, whole: bool = False) -> dict:
    """Eligible candidates in rank order (services.ranking) on ``on``, and the excluded
    with the findings that exclude them: everyone excluded when the check is exhaustive
    (or there is no ``limit``), else those ranked above the last suggestion. ``whole``:
    when the check is exhaustive, every eligible person, not only the first ``limit``.
    People in ``leave_out`` (e.g. the current mentor, when choosing a replacement) are
    not considered. Only the people asked about are loaded, with what their eligibility
    and load are judged on."""
    person = find_person(work, mentee, "mentee")
    results.up_to_date(work)  # the loads are counted to the mentorships' kept last days
    engine = work.rules()
    limit_on = engine.capacity_limit(on)
    capacity = limit_on.limit if limit_on is not None else None
    skip = {person.number, *(n for n in leave_out if n)}
    tid = work.tenant.id
    staff = db.session.scalar(sa.select(sa.func.count()).select_from(Person)
                              .where(Person.number.not_in(skip)))
    if exhaustive is None:
        exhaustive = staff <= EXHAUSTIVE_UP_TO
    everyone = exhaustive or not limit
    eligible, excluded, batch, offset = [], [], FIRST_BATCH, 0
    # the mentee's unit comes first in the ranking: it is ranked on its own, and the
    # whole staff only if the unit has not enough eligible people
    unit = [] if everyone else ranking.ranked_in_unit(tid, person.id, on, capacity, skip)
    while everyone or len(eligible) < limit:
        if offset < len(unit):
            chunk = unit[offset:offset + batch]
        else:
            chunk = ranking.ranked(tid, person.id, on, capacity, skip,
                                   None if everyone else batch, 0 if everyone else offset)
        if not chunk:
            break
        offset += len(chunk)
        batch *= 4
        for check, p, load, own in _checks(work, engine, person, chunk, on):
            entry = {"number": p.id, "name": p.name, "unit": p.unit, "position": p.position,
                     "fallback": check.fallback, "findings": check.findings}
            if check.allowed:
                entry.update(load=load, capacity=own,
                             free=None if own is None else own - load,
                             same_unit=bool(p.unit) and p.unit == _unit(person, on, engine),
                             hired_on=p.hired_on)
                eligible.append(entry)
                if not everyone and len(eligible) == limit:
                    break  # who comes after the last suggestion is not asked about
            else:
                excluded.append(entry)
        if everyone:
            break
    excluded.sort(key=lambda e: e["number"])
    return {"mentee": person.number, "on": on.isoformat(), "capacity": capacity,
            "eligible": eligible if not limit or (whole and everyone) else eligible[:limit],
            "eligible_count": len(eligible) if everyone else None,
            "checked": len(eligible) + len(excluded), "staff": staff,
            "excluded": excluded}


def _checks(work, engine, mentee, numbers: list, on: dt.date):
    """(check, the candidate as they stood on ``on``, their load, their capacity) for each
    of ``numbers`` in order, judged on the part of the tenant they need: the mentee's
    mentorships, the candidates' as mentors and those sharing a mentor with them. A
    verdict that found nobody eligible in the whole staff (civil service p.8) needs the
    whole staff: then it is judged on the whole tenant."""
    ids = dict(db.session.execute(sa.select(Person.number, Person.id)
                                  .where(Person.number.in_(numbers))).all())
    case = results.assignment_case(mentee.id, ids.values())
    checks = engine.candidates(case, mentee.number, on, only=numbers)
    if results.needs_whole_tenant(engine):
        case = load_case(with_councils=False)[0]
        engine = work.rules()
        checks = engine.candidates(case, mentee.number, on, only=numbers)
    loads = ranking.loads_of(work.tenant.id, on, mentee.id, list(ids.values()))
    hired = dict(db.session.execute(sa.select(Person.number, Person.hired_on)
                                    .where(Person.number.in_(numbers))).all())
    for check in checks:
        p = case.person_on(check.mentor, on)
        own = engine.capacity_limit(on, check.mentor, case)
        p = _Candidate(p.id, p.name, p.unit, p.position, hired.get(p.id))
        yield check, p, loads.get(ids[check.mentor], 0), own.limit if own is not None else None


class _Candidate:
    __slots__ = ("id", "name", "unit", "position", "hired_on")

    def __init__(self, *values):
        for name, value in zip(self.__slots__, values):
            setattr(self, name, value)


def _unit(mentee, on, engine):
    """The mentee's unit as it stood on ``on``."""
    unit = db.session.execute(sa.select(PersonVersion.unit).where(
        PersonVersion.person_id == mentee.id, PersonVersion.valid_from <= on)
        .order_by(PersonVersion.valid_from.desc()).limit(1)).scalar()
    return unit if unit is not None else mentee.unit
