"""Staff: add, change, find, list. Attributes are checked against the regime's schema."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..core.errors import InputError, NotFound
from ..core.validation import optional_date as _date
from ..storage.models import Person, db
from .cache import SMALL, remembered
from .unit import TenantWork

FIELDS = ("number", "full_name", "unit", "position", "manager", "hired_on", "attributes")


def find_person(work: TenantWork, number: str, field: str = "person") -> Person:
    person = db.session.scalar(sa.select(Person).where(Person.number == str(number)))
    if person is None:
        raise NotFound(f"no person with personnel number {number!r}", field=field)
    return person




def check_person(work: TenantWork, data: dict, source: str | None = None) -> dict:
    """The person's fields, checked, without writing anything; raises InputError."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise InputError(f"unknown field(s): {', '.join(sorted(unknown))}",
                         field=sorted(unknown)[0], source=source)
    out = {}
    number = str(data.get("number") or "").strip()
    if not number:
        raise InputError("a personnel number is required", field="number", source=source)
    out["number"] = number
    name = str(data.get("full_name") or "").strip()
    if not name:
        raise InputError("a full name is required", field="full_name", source=source)
    out["full_name"] = name
    for key in ("unit", "position"):
        value = data.get(key)
        out[key] = str(value).strip() or None if value not in (None, "") else None
    out["manager"] = str(data["manager"]).strip() if data.get("manager") not in (None, "") else None
    if out["manager"] == number:
        raise InputError("a person cannot be their own manager", field="manager", source=source)
    out["hired_on"] = _date(data.get("hired_on"), "hired_on")
    attributes = data.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise InputError("must be an object", field="attributes", source=source)
    work.regime.validate_person(attributes, source=f"{source} attributes" if source else "attributes")
    out["attributes"] = attributes
    return out


def save_person(work: TenantWork, data: dict, managers: dict | None = None) -> tuple[Person, bool]:
    """Create the person, or update the one with the same number. Returns (person, created)."""
    clean = check_person(work, data)
    # every lookup before the new row joins the session: a query would flush it half-set
    # (and the audit would show a create and an update for one change)
    manager_id = None
    if clean["manager"] is not None:
        manager = (managers or {}).get(clean["manager"]) or find_person(work, clean["manager"], "manager")
        manager_id = manager.id
    person = db.session.scalar(sa.select(Person).where(Person.number == clean["number"]))
    created = person is None
    if created:
        person = Person(number=clean["number"])
        db.session.add(person)
    person.full_name = clean["full_name"]
    person.unit, person.position = clean["unit"], clean["position"]
    person.hired_on, person.attributes = clean["hired_on"], clean["attributes"]
    person.manager_id = manager_id
    db.session.flush()
    return person, created


def add_person(work: TenantWork, **data) -> Person:
    if db.session.scalar(sa.select(Person.id).where(Person.number == str(data.get("number")))):
        raise InputError(f"personnel number {data.get('number')!r} is taken", field="number")
    return save_person(work, data)[0]


def update_person(work: TenantWork, number: str, **changes) -> Person:
    person = find_person(work, number)
    data = person_dict(work, person)
    data.update(changes)
    data["number"] = person.number
    return save_person(work, data)[0]


def person_dict(work: TenantWork, person: Person, managers: dict | None = None) -> dict:
    """A person as plain data; ``managers`` (id -> personnel number) saves a query per
    person when a page of them is shown."""
    if managers is not None:
        manager = managers.get(person.manager_id)
    else:
        found = db.session.get(Person, {"tenant_id": person.tenant_id, "id": person.manager_id}) if person.manager_id else None
        manager = found.number if found else None
    return {"number": person.number, "full_name": person.full_name, "unit": person.unit,
            "position": person.position, "manager": manager,
            "hired_on": person.hired_on, "attributes": dict(person.attributes or {})}


def _people_query(search: str | None, unit: str | None):
    q = sa.select(Person)
    if search:
        like = f"%{search.lower()}%"
        q = q.where(sa.or_(sa.func.lower(Person.full_name).like(like),
                           sa.func.lower(Person.number).like(like)))
    if unit:
        q = q.where(Person.unit == unit)
    return q


def list_people(work: TenantWork, search: str | None = None, unit: str | None = None,
                limit: int | None = None, offset: int = 0) -> list[Person]:
    q = _people_query(search, unit).order_by(Person.number)
    if limit:
        q = q.limit(limit).offset(offset)
    return list(db.session.scalars(q))


def people_page(work: TenantWork, search: str | None = None, unit: str | None = None,
                limit: int = 50, offset: int = 0) -> dict:
    """One page of people by personnel number as plain data, and how many match in all:
    two queries and one for the page's managers, whatever the size of the staff."""
    total = remembered(work, ("people_count", search, unit), lambda: db.session.scalar(
        sa.select(sa.func.count()).select_from(_people_query(search, unit).subquery())), SMALL)
    people = list_people(work, search, unit, limit, offset) if limit else []
    wanted = {p.manager_id for p in people if p.manager_id}
    managers = dict(db.session.execute(sa.select(Person.id, Person.number)
                                       .where(Person.id.in_(wanted))).all()) if wanted else {}
    return {"items": [person_dict(work, p, managers) for p in people], "total": total,
            "limit": limit, "offset": offset}
