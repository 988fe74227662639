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
import itertools

import sqlalchemy as sa

from ..storage.models import Person, db
from .cache import case_of, remembered
from .people import find_person
from .unit import TenantWork

FIRST_BATCH = 32
EXHAUSTIVE_UP_TO = 2000


def suggest_mentors(work: TenantWork, mentee: str, on: dt.date, limit: int = 10,
                    leave_out=(), exhaustive: bool | None = None, whole: bool = False) -> dict:
    """Eligible candidates in rank order (see the module) on ``on``, and the excluded
    with the findings that exclude them: everyone excluded when the check is exhaustive
    (or there is no ``limit``), else those ranked above the last suggestion. ``whole``:
    when the check is exhaustive, every eligible person, not only the first ``limit``.
    People in ``leave_out`` (e.g. the current mentor, when choosing a replacement) are
    not considered."""
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

    standing = remembered(work, ("ranking", on), lambda: _standing(case, free, hired, on))
    skip = {person.number, *(n for n in leave_out if n)}
    staff = len(case.people) - sum(1 for n in skip if n in case.people)
    if exhaustive is None:
        exhaustive = staff <= EXHAUSTIVE_UP_TO
    everyone = exhaustive or not limit
    ranked = _ranked(standing, person.number, skip)
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
            "eligible": eligible if not limit or (whole and everyone) else eligible[:limit],
            "eligible_count": len(eligible) if everyone else None,
            "checked": len(eligible) + len(excluded), "staff": staff,
            "excluded": excluded}


def _standing(case, free, hired, on) -> dict:
    """What ranking needs of each person on ``on``, for any mentee: unit, level in the
    line of management (0: has no manager), whether they head the body, free places,
    hire date."""
    people = {pid: case.person_on(pid, on) for pid in case.people}
    managers = {pid: p.manager for pid, p in people.items() if p.manager in people}
    depth: dict = {}
    for pid in people:
        chain, at = [], pid
        while at not in depth and at in managers and at not in chain:  # a loop stops it
            chain.append(at)
            at = managers[at]
        base = depth.get(at, 0)
        if at not in depth:
            depth[at] = base
        for n, member in enumerate(reversed(chain), start=1):
            depth[member] = base + n
    heads = {m for m in managers.values() if m not in managers}
    return {pid: (p.unit, depth[pid], pid in heads, free(pid), hired.get(pid))
            for pid, p in people.items()}


def _closeness(gap: int) -> int:
    """How well a person ``gap`` levels above the mentee stands to mentor them, best 0:
    one level above, then the same level, then further up, then below."""
    return 0 if gap == 1 else 1 if gap == 0 else gap if gap > 1 else 100 - gap


def _ranked(standing: dict, mentee: str, skip):
    """People in rank order for ``mentee`` (see the module)."""
    unit, level = standing[mentee][0], standing[mentee][1]

    def key(pid):
        their_unit, their_level, head, room, hired_on = standing[pid]
        return (not (unit and their_unit == unit), head, _closeness(level - their_level),
                -(room if room is not None else 10**6), hired_on or dt.date.max, pid)
    return iter(sorted((pid for pid in standing if pid not in skip), key=key))
