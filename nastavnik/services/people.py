"""Staff: add, change, find, list. Attributes are checked against the regime's schema."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

import sqlalchemy as sa

from ..core.errors import InputError, NotFound
from ..core import validation
from ..core.validation import optional_date as _date
from ..storage.models import Person, db
from . import person_history
from .unit import TenantWork

FIELDS = ("number", "full_name", "unit", "position", "manager", "hired_on", "attributes",
          "valid_from")  # the day the unit, position, manager and attributes hold from
#: the most characters each text field holds: its column's in the database (PostgreSQL
#: refuses more at the write; SQLite would keep it); the manager is a personnel number
LIMITS = {field: Person.__table__.c[field].type.length
          for field in ("number", "full_name", "unit", "position")}
LIMITS["manager"] = LIMITS["number"]
#: what no text of a person may contain: C0 and C1 control characters (tab, CR, LF, ESC,
#: NUL...), the bidirectional controls that reorder what is shown around them (U+061C,
#: U+200E/U+200F, U+202A-U+202E, U+2066-U+2069), the line and paragraph separators, and
#: lone surrogates (no database stores them). A personnel number, a key people type and
#: compare, must moreover be printable (str.isprintable): no invisible or formatting
#: character at all (zero-width space, no-break space, BOM...), an ordinary space only.
FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                       "\u2066-\u2069\ud800-\udfff]")
MAX_DEPTH = 32  # of the attributes' nesting: a regime's schema nests a few levels


def find_person(work: TenantWork, number: str, field: str = "person") -> Person:
    number = str(number)
    # no number holds NUL or a lone surrogate (nor can: the databases refuse both, with
    # an error rather than no row): none is asked for
    unstorable = _UNSTORABLE.search(number)
    person = None if unstorable else db.session.scalar(
        sa.select(Person).where(Person.number == number))
    if person is None:
        raise NotFound(f"no person with personnel number {number!r}", field=field)
    return person




def check_person(work: TenantWork, data: dict, source: str | None = None,
                 problems: list | None = None) -> dict:
    """The person's fields, checked, without writing anything; raises InputError (the
    first problem). ``problems``: a list that every problem is added to, the check going
    on past each (an import lists all of a row's); the first is still raised."""
    found: list = [] if problems is None else problems

    def checked(check, default=None):
        try:
            return check()
        except InputError as exc:
            if problems is None:
                raise
            found.append(exc)
            return default

    def refuse(message, field):
        raise InputError(message, field=field, source=source)

    unknown = set(data) - set(FIELDS)
    if unknown:
        checked(lambda: refuse(f"unknown field(s): {', '.join(sorted(unknown))}",
                               sorted(unknown)[0]))
    out = {}
    number = str(data.get("number") or "").strip()
    out["number"] = checked(lambda: _text(number, "number", source) if number
                            else refuse("a personnel number is required", "number"))
    name = str(data.get("full_name") or "").strip()
    out["full_name"] = checked(lambda: _text(name, "full_name", source) if name
                               else refuse("a full name is required", "full_name"))
    for key in ("unit", "position"):
        value = data.get(key)
        value = str(value).strip() or None if value not in (None, "") else None
        out[key] = checked(lambda: _text(value, key, source)) if value is not None else None
    manager = str(data["manager"]).strip() if data.get("manager") not in (None, "") else None
    out["manager"] = checked(lambda: _text(manager, "manager", source)) if manager else None
    if manager and manager == number:
        checked(lambda: refuse("a person cannot be their own manager", "manager"))
    out["hired_on"] = checked(lambda: _date(data.get("hired_on"), "hired_on"))
    attributes = data.get("attributes") or {}
    where = f"{source} attributes" if source else "attributes"
    if not isinstance(attributes, dict):
        checked(lambda: refuse("must be an object", "attributes"))
    elif checked(lambda: _plain_json(attributes, where) or True):
        try:
            work.regime.validate_person(attributes, source=where)
        except InputError as exc:
            if problems is None:
                raise
            found.extend(validation.problems(attributes, work.regime.person_schema, where)
                         or [exc])
    out["attributes"] = attributes
    out["valid_from"] = checked(lambda: person_history.holds_from(data.get("valid_from")))
    # a new person's first facts: from hiring, else from the first record
    out["first_from"] = checked(lambda: person_history.holds_from(
        data.get("valid_from"), default=out["hired_on"] or person_history.FIRST_DAY))
    if found:
        raise found[0]
    return out


def _text(value: str, field: str, source: str | None) -> str:
    """A person's text field as it will be stored, or InputError naming the field: no
    longer than its column, no control or bidirectional formatting character in it (and
    a personnel number printable throughout)."""
    limit = LIMITS[field]
    if len(value) > limit:
        raise InputError(f"longer than {limit} characters ({len(value):,})", field=field,
                         source=source)
    bad = FORBIDDEN.search(value)
    if bad is None and field in ("number", "manager") and not value.isprintable():
        bad = next(c for c in value if not c.isprintable() and c != " ")
    elif bad is not None:
        bad = bad[0]
    if bad is not None:
        raise InputError(f"contains {_character(bad)}, which is not allowed here", field=field,
                         source=source)
    return value


def _character(c: str) -> str:
    """A character as a message names it: U+202E (RIGHT-TO-LEFT OVERRIDE)."""
    name = unicodedata.name(c, "") if not "\ud800" <= c <= "\udfff" else "a lone surrogate"
    return f"U+{ord(c):04X} ({name or 'a control character'})"


def _plain_json(attributes: dict, source: str) -> None:
    """Attributes the database and every page can hold, or InputError naming where:
    nested at most ``MAX_DEPTH`` deep, numbers finite (JSON has no NaN or Infinity), no
    NUL or lone surrogate in a text. Walked without recursion; a path is spelled out
    only for an error."""
    stack = [(attributes, ())]
    while stack:
        node, path = stack.pop()
        if len(path) >= MAX_DEPTH:
            raise InputError(f"nested more than {MAX_DEPTH} deep", field=_path(path),
                             source=source)
        for key, value in node.items() if isinstance(node, dict) else enumerate(node):
            if key.__class__ is str and _UNSTORABLE.search(key):
                bad = _UNSTORABLE.search(key)[0]
                raise InputError(f"a name with {_character(bad)}", field=_path(path),
                                 source=source)
            kind = value.__class__
            if kind is str:
                if _UNSTORABLE.search(value):
                    bad = _UNSTORABLE.search(value)[0]
                    raise InputError(f"contains {_character(bad)}", field=_path((*path, key)),
                                     source=source)
            elif kind is dict or kind is list or isinstance(value, (dict, list)):
                stack.append((value, (*path, key)))
            elif isinstance(value, float) and not math.isfinite(value):
                raise InputError(f"{value} is not a number JSON holds",
                                 field=_path((*path, key)), source=source)


def _path(parts: tuple) -> str:
    """Where in the attributes, as a validation error names it: a.b[0].c."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


#: what no text stored can hold: NUL (PostgreSQL refuses it in text, and in jsonb) and
#: lone surrogates (no UTF-8 holds one)
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def save_person(work: TenantWork, data: dict, managers: dict | None = None) -> tuple[Person, bool]:
    """Create the person, or update the one with the same number. Returns (person, created).

    The unit, position, manager and attributes hold from ``valid_from`` (today unless
    given; a new person's from their hiring, else from ``FIRST_DAY``): a version of
    that day (``person_history.record``)."""
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
    person.hired_on = clean["hired_on"]
    facts = {"unit": clean["unit"], "position": clean["position"], "manager_id": manager_id,
             "attributes": clean["attributes"]}
    if created:
        for key, value in facts.items():
            setattr(person, key, value)
    db.session.flush()
    person_history.record(person, facts, clean["first_from" if created else "valid_from"], created)
    db.session.flush()
    return person, created


def add_person(work: TenantWork, **data) -> Person:
    check_person(work, data)  # before the number is looked for: it may be no number at all
    if db.session.scalar(sa.select(Person.id).where(Person.number == str(data.get("number")))):
        raise InputError(f"personnel number {data.get('number')!r} is taken", field="number")
    return save_person(work, data)[0]


def update_person(work: TenantWork, number: str, **changes) -> Person:
    """Change a person; the unit, position, manager and attributes not given stay as they
    stood on ``valid_from`` (today unless given)."""
    person = find_person(work, number)
    data = person_dict_on(work, person, person_history.holds_from(changes.get("valid_from")))
    data.update(changes)
    data["number"] = person.number
    return save_person(work, data)[0]


def update_person_as_seen(work: TenantWork, number: str, seen_on=None, **data) -> Person:
    """A change made on the person's facts as they stood on ``seen_on`` (as a form showed
    them; the person row, their latest, when None): the unit, position, manager and
    attributes (key by key) that differ from those seen are the change, made on the
    facts as they stood on ``valid_from`` (``update_person``). A change dated before a
    later version so carries none of that version's facts back into its own day."""
    person = find_person(work, number)
    seen = person_dict_on(work, person, seen_on)
    changes = {k: v for k, v in data.items() if k not in ("unit", "position", "manager",
                                                          "attributes")}
    for key in ("unit", "position", "manager"):
        if key in data and data[key] != seen[key]:
            changes[key] = data[key]
    after = data.get("attributes")
    if isinstance(after, dict):
        before = seen["attributes"]
        changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
        if changed:
            then = person_history.facts_on(person, data.get("valid_from"))["attributes"]
            changes["attributes"] = ({k: v for k, v in then.items() if k not in changed}
                                     | {k: after[k] for k in changed if k in after})
    elif "attributes" in data:
        changes["attributes"] = after  # not an object: check_person says so
    return update_person(work, person.number, **changes)


def person_dict_on(work: TenantWork, person: Person, day: dt.date | None = None) -> dict:
    """``person_dict`` with the unit, position, manager and attributes as they stood on
    ``day`` (the person row's, their latest, when None)."""
    data = person_dict(work, person)
    if day is None:
        return data
    facts = person_history.facts_on(person, day)
    manager = facts["manager_id"] and db.session.get(
        Person, {"tenant_id": person.tenant_id, "id": facts["manager_id"]})
    data.update(unit=facts["unit"], position=facts["position"],
                manager=manager.number if manager else None, attributes=facts["attributes"])
    return data


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
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(_people_query(search, unit).subquery()))
    people = list_people(work, search, unit, limit, offset) if limit else []
    wanted = {p.manager_id for p in people if p.manager_id}
    managers = dict(db.session.execute(sa.select(Person.id, Person.number)
                                       .where(Person.id.in_(wanted))).all()) if wanted else {}
    return {"items": [person_dict(work, p, managers) for p in people], "total": total,
            "limit": limit, "offset": offset}
