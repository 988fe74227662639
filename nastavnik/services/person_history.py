"""A person's facts in time: the versions of their unit, position, manager and regime
attributes, each holding from its date (``valid_from``) until the next one's.

A change holds from a date (today unless said; a new person's first facts from their
hiring, else from ``FIRST_DAY``): it becomes the version of that date
(replacing one of the same date), later versions staying as they are; the person row
keeps the latest version's values, what lists show. The rules read each person as they
stood on the day they judge (``storage.case`` loads the versions).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import sqlalchemy as sa

from ..core.validation import optional_date
from ..storage.models import Person, PersonVersion, db

#: the day a person's first version holds from when neither it nor their hiring date is
#: given (as migration 0011 dates the people it found): before their first version a
#: person is read as it anyway, and an early date lets a change dated in the past
#: follow it rather than go before it and leave the person row as it was
FIRST_DAY = dt.date(1900, 1, 1)
#: what a version holds (the rest of a person, name and hiring date, is not dated)
FACTS = ("unit", "position", "manager_id", "attributes")
CHUNK = 5000  # ids per query of versions


def holds_from(value, field: str = "valid_from", default: dt.date | None = None) -> dt.date:
    """The day a change holds from: a date or an ISO date text, within the dates taken
    (``core.validation``); when not given, ``default``, else today."""
    if isinstance(value, str):
        value = value.strip()
    return optional_date(value, field) or default or dt.date.today()


def versions_of(person_ids) -> dict:
    """Person uuid -> their version rows (``FACTS``, ``valid_from``, ``id``), oldest first."""
    out: dict = {}
    ids = list(person_ids)
    v = PersonVersion
    for start in range(0, len(ids), CHUNK):
        rows = db.session.execute(
            sa.select(v.id, v.person_id, v.valid_from, v.unit, v.position, v.manager_id,
                      v.attributes)
            .where(v.person_id.in_(ids[start:start + CHUNK])).order_by(v.person_id, v.valid_from))
        for row in rows:
            out.setdefault(row.person_id, []).append(row._asdict())
    return out


def as_of(versions: list[dict], day: dt.date) -> dict | None:
    """The version holding on ``day`` (before the first, the first), or None."""
    found = None
    for version in versions:
        if version["valid_from"] > day:
            break
        found = version
    return found if found is not None else (versions[0] if versions else None)


def facts_on(person: Person, day=None) -> dict:
    """The person's ``FACTS`` as they stood on ``day`` (today when not given)."""
    holding = as_of(versions_of([person.id]).get(person.id, []), holds_from(day))
    if holding is None:
        return {key: getattr(person, key) for key in FACTS}
    return {key: holding[key] for key in FACTS} | {"attributes": dict(holding["attributes"] or {})}


def record(person: Person, facts: dict, day: dt.date, new: bool = False) -> bool:
    """The person's ``facts`` hold from ``day`` (an ORM change, audited by the flush):
    replaces the version of that day, or adds one; nothing when the facts are those
    that already hold then. Sets the person row to the latest version. Returns whether a
    version was written. The person must be flushed (it has an id); a ``new`` one has
    no facts before these."""
    versions = db.session.scalars(sa.select(PersonVersion).where(
        PersonVersion.person_id == person.id).order_by(PersonVersion.valid_from)).all()
    if not versions and not new:  # a person stored with no history: what they were is kept
        versions = [PersonVersion(tenant_id=person.tenant_id, person_id=person.id,
                                  valid_from=person.hired_on or FIRST_DAY,
                                  **{key: getattr(person, key) for key in FACTS})]
        db.session.add(versions[0])
    holding = None
    for version in versions:
        if version.valid_from <= day:
            holding = version
    if holding is not None and all(getattr(holding, k) == facts[k] for k in FACTS):
        return False
    if holding is not None and holding.valid_from == day:
        target = holding
    else:
        target = PersonVersion(tenant_id=person.tenant_id, person_id=person.id, valid_from=day)
        db.session.add(target)
        versions = sorted([*versions, target], key=lambda v: v.valid_from)
    for key in FACTS:
        setattr(target, key, facts[key])
    latest = versions[-1]
    for key in FACTS:
        value = getattr(latest, key)
        if getattr(person, key) != value:
            setattr(person, key, value)
    return True


def history(person: Person, numbers: dict | None = None) -> list[dict]:
    """The person's versions, oldest first, as plain data: ``valid_from``, the facts
    (the manager by personnel number) and ``changed``, the names of the facts that
    differ from the version before (every fact for the first). A person stored with no
    versions has one: their row, from their hiring (as ``record`` would keep it)."""
    versions = db.session.scalars(sa.select(PersonVersion).where(
        PersonVersion.person_id == person.id).order_by(PersonVersion.valid_from)).all()
    if not versions:  # a person stored with no history (past the services): their row
        versions = [SimpleNamespace(valid_from=person.hired_on or FIRST_DAY,
                                    **{key: getattr(person, key) for key in FACTS})]
    wanted = {v.manager_id for v in versions if v.manager_id} - set(numbers or {})
    numbers = dict(numbers or {})
    if wanted:
        numbers.update(db.session.execute(sa.select(Person.id, Person.number)
                                          .where(Person.id.in_(wanted))).all())
    out, before = [], None
    for v in versions:
        facts = {"unit": v.unit, "position": v.position,
                 "manager": numbers.get(v.manager_id) if v.manager_id else None,
                 "attributes": dict(v.attributes or {})}
        if before is None:
            changed = [k for k, value in facts.items() if value not in (None, {})]
        else:
            changed = [k for k in ("unit", "position", "manager") if facts[k] != before[k]]
            keys = sorted(set(facts["attributes"]) | set(before["attributes"]))
            changed += [f"attributes.{k}" for k in keys
                        if facts["attributes"].get(k) != before["attributes"].get(k)]
        out.append({"valid_from": v.valid_from, **facts, "changed": changed})
        before = facts
    return out
