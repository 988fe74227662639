"""Importing staff from a spreadsheet (CSV or XLSX).

The whole file is checked before anything is written: every error is collected with its
line (as the spreadsheet shows it, the header being line 1) and field, and one bad row
rejects the file. A good file creates or updates every person in the caller's transaction.

Columns: ``number, full_name, unit, position, manager, hired_on``, ``valid_from`` (the day
the row's unit, position, manager and attributes hold from; else the import's, today by
default: ``person_history``) and the regime's person
attributes, either as columns named by their path in the regime's schema
(``assessment.year``), converted to the type the schema gives there, or as one
``attributes`` column holding a JSON object. An existing person is replaced by their row:
an empty cell or an absent column clears that field, as ``save_person`` does.

The file is hostile until read (``spreadsheet``): at most 200,000 lines, 100 columns and
32,767 characters a cell, 64 MB (an XLSX 256 MB unpacked), read as a stream and refused
as soon as a bound is passed; each row is then held to what the database will store
(``check_person``: every column's length, no control or bidirectional characters). The
errors listed are the first hundred by line; all are counted.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import math
import os
import re
import uuid
from dataclasses import dataclass
from typing import NamedTuple

import jsonschema_rs
import sqlalchemy as sa

from ..core.errors import InputError
from ..core.heap import cyclic_gc_paused
from ..storage import audit, bulk, tenancy
from ..storage.models import Person, PersonVersion, db
from . import person_history, spreadsheet
from .people import check_person
from .unit import TenantWork

BASE_COLUMNS = ("number", "full_name", "unit", "position", "manager", "hired_on", "valid_from")
DATE_COLUMNS = ("hired_on", "valid_from")
BATCH = 500  # rows checked per progress report

TRUE = {"true", "yes", "1", "да", "иә"}
FALSE = {"false", "no", "0", "нет", "жоқ"}
RU_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")  # how Russian Excel shows a date


class ImportRejected(spreadsheet.FileRejected):
    """The file has errors; nothing was written. ``errors``: the first hundred (line,
    field, message) by line; ``total``: how many in all."""


@dataclass
class ImportResult:
    created: int
    updated: int


class _CellError(ValueError):
    """A cell that cannot be read as the type its column wants."""


# --- reading ---------------------------------------------------------------------------

def read_rows(path) -> list[list]:
    """The rows of a CSV or XLSX file, the header first; row n is line n + 1 of the file
    as a spreadsheet shows it (empty rows are kept so that this holds). The file is read
    within the bounds of ``spreadsheet``; the lines that cannot be read raise an
    ``ImportRejected`` (a file that cannot be read at all, an ``InputError``)."""
    try:
        return spreadsheet.read_rows(path)
    except spreadsheet.FileRejected as exc:
        raise ImportRejected(exc.errors, exc.total, exc.cells) from None


# --- cells -----------------------------------------------------------------------------

def _text(value) -> str | None:
    if value.__class__ is str:  # every cell of a CSV file
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a personnel number typed into Excel comes back as 1234.0
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value).strip() or None


def _date(value) -> str:
    """An ISO date from a date cell, YYYY-MM-DD or DD.MM.YYYY text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    text = _text(value)
    try:
        m = RU_DATE.fullmatch(text)
        return (dt.date(int(m[3]), int(m[2]), int(m[1])) if m
                else dt.date.fromisoformat(text)).isoformat()
    except ValueError:
        raise _CellError(f"{text!r} is not a date (YYYY-MM-DD or DD.MM.YYYY)") from None


def _kind(node: dict) -> str | None:
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind is None and node.get("enum"):
        values = node["enum"]
        kind = ("boolean" if all(isinstance(v, bool) for v in values)
                else "integer" if all(isinstance(v, int) for v in values) else "string")
    return kind


def _coerce(value, node: dict, kind: str | None = None):
    """A cell as the JSON-Schema type ``node`` (of ``kind``, when known) wants; the schema
    check comes later."""
    kind = kind or _kind(node)
    if kind == "string" and node.get("format") == "date":
        return _date(value)
    if isinstance(value, (dict, list)) or (isinstance(value, bool) and kind == "boolean"):
        return value
    text = _text(value)
    if kind in ("object", "array"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise _CellError(f"not JSON: {exc.msg}") from None
        except ValueError:  # a number of more digits than Python reads
            raise _CellError("not JSON: a number too long to read") from None
        except RecursionError:
            raise _CellError("not JSON this import reads: nested too deep") from None
    if kind == "boolean":
        word = text.casefold()
        if word in TRUE or word in FALSE:
            return word in TRUE
        raise _CellError(f"{text!r} is not yes or no")
    if kind in ("integer", "number"):
        try:
            return int(text)
        except ValueError:
            pass
        try:
            number = float(text.replace(",", "."))  # a decimal comma, as in ru/kk
        except ValueError:
            raise _CellError(f"{text!r} is not a number") from None
        if not math.isfinite(number):  # nan, inf, 1e999: JSON has no such number
            raise _CellError(f"{text!r} is not a number")
        if kind == "number":
            return number
        if number.is_integer():
            return int(number)
        raise _CellError(f"{text!r} is not a whole number")
    return text


class _Column(NamedTuple):
    position: int
    name: str | None  # None: no header
    node: dict | None  # the schema of an attribute column
    parents: tuple[str, ...] = ()  # where in the attributes: assessment.year
    leaf: str | None = None
    kind: str | None = None


def _schema_at(schema: dict, path: list[str]) -> dict | None:
    node = schema
    for part in path:
        node = (node.get("properties") or {}).get(part)
        if node is None:
            return None
    return node


# --- the import ------------------------------------------------------------------------

class _CompiledPersonSchema:
    """The regime as ``check_person`` uses it, its person schema compiled once per file by
    jsonschema-rs: ``Regime.validate_person`` builds a jsonschema validator for every call,
    ~100 us a row, most of the cost of checking a large file. The regime's own validation
    stays the judge: whatever the compiled schema does not pass (or cannot read) is checked
    again by it, which raises the error every other service raises."""

    def __init__(self, regime):
        self.regime = regime
        self.person_schema = regime.person_schema
        self.validator = jsonschema_rs.Draft202012Validator(regime.person_schema,
                                                            validate_formats=True)

    def validate_person(self, attributes: dict, source: str = "person") -> None:
        try:
            if self.validator.is_valid(attributes):
                return
        except (ValueError, TypeError):  # a value that is not JSON: the regime words it
            pass
        self.regime.validate_person(attributes, source)


def _checking(work: TenantWork) -> TenantWork:
    """``work`` with its regime's person schema compiled, for checking many rows."""
    checking = copy.copy(work)
    checking.__dict__["regime"] = _CompiledPersonSchema(work.regime)  # over the cached_property
    return checking


def import_people(work: TenantWork, rows_or_path, progress=None,
                  valid_from=None) -> ImportResult:
    """Create or update the people of a file: a path, or its rows (header first).

    Each row's unit, position, manager and attributes hold from its ``valid_from``
    column, else from ``valid_from``, else (a stored person's) from today, (a new
    person's) from their hiring or ``person_history.FIRST_DAY``: see ``_versions``.

    Raises ``ImportRejected`` with every error if any row is bad, having written nothing.
    ``progress(n)`` is called as rows are done, with how many were just done; each row is
    done twice (checked, then saved), so a progress bar's length is ``2 * rows``.
    """
    report = progress or (lambda n: None)
    with cyclic_gc_paused():
        people, existing = _check(work, rows_or_path, report, valid_from)
        return _save(work, people, existing, report)


def check_import(work: TenantWork, rows_or_path,
                 valid_from=None) -> list[tuple[int, dict, bool]]:
    """What ``import_people`` would do with a file, writing nothing: for each row, its
    line, the person's checked data and whether they are new (else an update). Raises
    ``ImportRejected`` with every error, as the import does."""
    with cyclic_gc_paused():
        people, existing = _check(work, rows_or_path, lambda n: None, valid_from)
    return [(line, clean, clean["number"] not in existing) for line, clean in people]


def _check(work: TenantWork, rows_or_path, report,
           valid_from=None) -> tuple[list[tuple[int, dict]], dict]:
    """The file's rows checked as a whole: ([(line, clean data)], existing people by number)."""
    if valid_from not in (None, ""):
        valid_from = person_history.holds_from(valid_from)
    rows = read_rows(rows_or_path) if isinstance(rows_or_path, (str, os.PathLike)) else rows_or_path
    rows = [(line, list(cells)) for line, cells in enumerate(rows, start=1)]
    if not rows:
        raise InputError("the file is empty: a header row is needed", field="file")
    errors = spreadsheet.ErrorList()  # (line, field, message): the first hundred kept
    columns = _columns(work, rows[0][1], errors)
    data_rows = [(line, cells) for line, cells in rows[1:] if any(_text(c) for c in cells)]

    # one query for everyone the file may touch or name as a manager
    existing = _existing()
    people, lines_of, managers = [], {}, []
    checking = _checking(work)
    for i, (line, cells) in enumerate(data_rows, start=1):
        data, unread = _row(line, cells, columns, len(rows[0][1]), errors)
        if valid_from not in (None, ""):
            data.setdefault("valid_from", valid_from)
        number, manager = _text(data.get("number")), _text(data.get("manager"))
        if number in lines_of:
            errors.append((line, "number",
                           f"personnel number {number!r} is also on line {lines_of[number]}"))
        elif number:
            lines_of[number] = line
        problems: list = []
        try:
            clean = check_person(checking, data, problems=problems)
            if not unread:
                people.append((line, clean))
        except InputError:
            for exc in problems:  # every problem of the row, not only the first
                if _said(exc, unread):
                    continue
                errors.append((line, _field(exc), _bare(exc)))
                if exc.field == "manager":
                    manager = None  # what is wrong with it is said: it is looked for no more
        managers.append((line, manager))
        if i % BATCH == 0:
            report(BATCH)
    report(len(data_rows) % BATCH)
    for line, manager in managers:
        if manager and manager not in lines_of and manager not in existing:
            errors.append((line, "manager", f"no person with personnel number {manager!r} "
                                            f"in the file or the tenant"))
    if errors:
        raise ImportRejected(errors.first(), errors.total)
    return people, existing


def _columns(work: TenantWork, header: list, errors: list) -> list[_Column]:
    """The columns read, in the order a row is read (the attributes column first, so that
    attribute columns add to its object); what is wrong with the header goes to errors."""
    out, seen = [], set()
    for i, cell in enumerate(header):
        name = _text(cell)
        if name is None:
            out.append(_Column(i, None, None))
            continue
        if name in seen:
            errors.append((1, name, "the column appears twice"))
            continue
        seen.add(name)
        if name in BASE_COLUMNS or name == "attributes":
            out.append(_Column(i, name, None))
            continue
        *parents, leaf = name.split(".")
        node = _schema_at(work.regime.person_schema, [*parents, leaf])
        if node is None:
            errors.append((1, name, f"unknown column: neither a person's field nor an "
                                    f"attribute of {work.regime.info.id}"))
        else:
            out.append(_Column(i, name, node, tuple(parents), leaf, _kind(node)))
    for required in ("number", "full_name"):
        if required not in seen:
            errors.append((1, required, "the column is missing"))
    return sorted(out, key=lambda c: c.name != "attributes")


def _row(line: int, cells: list, columns: list[_Column], width: int,
         errors: list) -> tuple[dict, list[str]]:
    """A person's data from a row, for ``check_person``, and the columns of the cells
    that could not be read (their errors are added to ``errors``)."""
    data, attributes, unread = {}, {}, []
    if len(cells) > width:  # cells past the header
        columns = columns + [_Column(i, None, None) for i in range(width, len(cells))]
    for i, name, node, parents, leaf, kind in columns:
        value = cells[i] if i < len(cells) else None
        text = _text(value)
        if text is None:
            continue  # an empty cell says nothing
        if value.__class__ is str:
            value = text  # read once (a spreadsheet's typed cells are read as their type)
        try:
            if name is None:
                raise _CellError(f"a value in a column with no header: {text!r}")
            if name == "attributes":
                attributes = _coerce(value, {"type": "object"})
                if not isinstance(attributes, dict):
                    raise _CellError("must be a JSON object")
            elif node is None:
                data[name] = _date(value) if name in DATE_COLUMNS else text
            else:
                target = attributes
                for part in parents:
                    target = target.setdefault(part, {})
                    if not isinstance(target, dict):
                        raise _CellError(f"{part} is not an object in the attributes column")
                target[leaf] = _coerce(value, node, kind)
        except _CellError as exc:
            errors.append((line, name or f"column {i + 1}", str(exc)))
            unread.append(name or f"column {i + 1}")
    data["attributes"] = attributes
    return data, unread


def _said(exc: InputError, unread) -> bool:
    """Whether ``exc`` repeats a cell that could not be read (``unread``: the names of
    those columns), which the check saw as left out: an attribute then missing, though
    required, is reported once, as the cell that could not be read."""
    if "attributes" in unread and (exc.source or "").endswith("attributes"):
        return True  # the attributes column could not be read: none were checked
    for name in unread:
        parent, _, leaf = name.rpartition(".")
        if exc.field == name or (str(exc).find(f"'{leaf}' is a required property") >= 0
                                 and exc.field in (parent or "(top level)",)):
            return True
    return False


def _field(exc: InputError) -> str:
    if exc.source == "attributes" and exc.field == "(top level)":
        return "attributes"
    return exc.field or "person"


def _bare(exc: InputError) -> str:
    """The message without the "source at field:" prefix, which the line report repeats."""
    where = " ".join(x for x in (exc.source, f"at {exc.field}" if exc.field else None) if x)
    text = str(exc)
    return text[len(where) + 2:] if where and text.startswith(where + ": ") else text


def _existing() -> dict[str, dict]:
    """The tenant's people by personnel number, as stored: plain rows, not ORM objects
    (a monthly re-import compares 100,000 of them, and objects cost ten times more)."""
    keys = [c.key for c in sa.inspect(Person).column_attrs]
    query = sa.select(*(getattr(Person, key) for key in keys))  # ORM columns: tenant-scoped
    return {row.number: row._asdict() for row in db.session.execute(query)}


def _save(work: TenantWork, people: list[tuple[int, dict]], existing: dict, report) -> ImportResult:
    """Write the checked rows in bulk, past the ORM's unit of work (its per-object
    bookkeeping and flush listener were most of the cost): the new people in one insert,
    the stored people whose row changes in one update, each row as it ends up; and the
    trail in bulk, with the entries the flush listener recorded when the import went
    through ORM objects (tests/test_import_bulk.py compares them):

    - a create for each new person, and an update for each stored person whose row
      changes, before and after as ``audit.snapshot`` shows them;
    - managers as that import set them: a new person's on creation when the manager was
      stored or an earlier new row, any other (a manager later in the file, or a new
      person made a stored person's manager) in a second pass once everyone existed, an
      update of its own, later in the trail. Those rows are now written once, with their
      manager: one statement checks its foreign keys when all of its rows are in.
    """
    session = db.session
    tenant_id = tenancy.current_tenant(session)
    if tenant_id != work.tenant.id:  # the rows are stamped with it; RLS checks it on PostgreSQL
        raise tenancy.CrossTenantWrite(f"importing into tenant {work.tenant.id} while "
                                       f"serving tenant {tenant_id}")
    ids = {number: row["id"] for number, row in existing.items()}
    ids.update((clean["number"], uuid.uuid4()) for _, clean in people
               if clean["number"] not in existing)
    snapshot = functools.partial(audit.row_snapshot, Person)
    latest, versions = _versions(people, existing, ids, tenant_id)
    created, changed = [], []  # rows to write
    trail, second = [], []  # entries of the first and of the second pass
    seen = set()  # new people added so far
    for _, clean in people:
        number, manager = clean["number"], clean["manager"]
        old = existing.get(number)
        row = {"tenant_id": tenant_id, "id": ids[number], "number": number,
               "full_name": clean["full_name"], "unit": clean["unit"],
               "position": clean["position"], "hired_on": clean["hired_on"],
               "attributes": clean["attributes"], "manager_id": ids[manager] if manager else None}
        row.update(latest.get(number, ()))  # a change dated before the person's latest
        if manager is None or manager in existing or (old is None and manager in seen):
            first = row  # the manager set in the first pass
        else:
            first = {**row, "manager_id": old["manager_id"] if old else None}
        final = snapshot(row)
        start = final if first is row else snapshot(first)
        if old is None:
            seen.add(number)
            created.append(row)
            trail.append(("create", None, start))
        else:
            before = snapshot(old)
            if final != before:
                changed.append(row)
            if start != before:
                trail.append(("update", before, start))
        if first is not row:
            second.append(("update", start, final))

    _insert(_managers_first(created), report)
    _update(changed, report)
    report(len(people) - len(created) - len(changed))  # rows with nothing to write
    at = _audit(trail, None)
    # strictly later than the first pass: the log orders a person's entries by time
    _audit(second, at + dt.timedelta(microseconds=1))
    _write_versions(*versions, at)
    return ImportResult(created=len(created), updated=len(people) - len(created))


def _versions(people: list[tuple[int, dict]], existing: dict, ids: dict, tenant_id: int):
    """The versions the rows make, each row's facts holding from its ``valid_from``: a
    new person's first version; for a stored person whose facts the row changes, the
    version of that day replaced, or a new one (later versions stay). A row whose facts
    are the person's latest changes nothing unless dated before that version. Returns
    (the person rows' facts where they stay the latest version's, (versions to insert,
    versions to replace, their trail)); one query of the versions of the people changed
    (and one of the days of the latest versions, when some row's facts are the latest)."""
    def facts(clean):
        manager = clean["manager"]
        return {"unit": clean["unit"], "position": clean["position"],
                "manager_id": ids[manager] if manager else None,
                "attributes": clean["attributes"]}

    def same(a, b):
        return all(a[k] == b[k] for k in person_history.FACTS)

    stored_rows = [(clean, old, same(facts(clean), old)) for _, clean in people
                   if (old := existing.get(clean["number"])) is not None]
    # a row with the person's latest facts changes nothing, unless it dates them before
    # that latest version: then they held from its day
    earliest = min((clean["valid_from"] for clean, _, alike in stored_rows if alike), default=None)
    later = _latest_after(earliest) if earliest is not None else {}
    touched = [(clean, old) for clean, old, alike in stored_rows
               if not alike or later.get(old["id"], clean["valid_from"]) > clean["valid_from"]]
    stored = person_history.versions_of(old["id"] for _, old in touched)
    snapshot = functools.partial(audit.row_snapshot, PersonVersion)
    added, replaced, trail, latest = [], [], [], {}
    for _, clean in people:
        if clean["number"] not in existing:
            row = {"tenant_id": tenant_id, "id": uuid.uuid4(), "person_id": ids[clean["number"]],
                   "valid_from": clean["first_from"], **facts(clean)}
            added.append(row)
            trail.append(("create", None, snapshot(row)))
    for clean, old in touched:
        day, new = clean["valid_from"], facts(clean)
        mine = stored.get(old["id"])
        if not mine:  # a person stored with no history: what they were is kept
            base = {"tenant_id": tenant_id, "id": uuid.uuid4(), "person_id": old["id"],
                    "valid_from": old["hired_on"] or person_history.FIRST_DAY,
                    **{k: old[k] for k in person_history.FACTS}}
            added.append(base)
            trail.append(("create", None, snapshot(base)))
            mine = [base]
        holding = person_history.as_of(mine, day)
        if holding is not None and same(holding, new):
            continue
        row = {"tenant_id": tenant_id, "person_id": old["id"], "valid_from": day, **new}
        if holding is not None and holding["valid_from"] == day:
            row["id"] = holding["id"]
            replaced.append(row)
            trail.append(("update", snapshot({**holding, "tenant_id": tenant_id}),
                          snapshot(row)))
        else:
            row["id"] = uuid.uuid4()
            added.append(row)
            trail.append(("create", None, snapshot(row)))
        if mine and mine[-1]["valid_from"] > day:  # the person row stays the latest's
            latest[clean["number"]] = {k: mine[-1][k] for k in person_history.FACTS}
    return latest, (added, replaced, trail)


def _latest_after(day: dt.date) -> dict:
    """Person uuid -> the day their latest version holds from, for those whose latest
    is after ``day``: one query."""
    v = PersonVersion
    latest = sa.func.max(v.valid_from)
    return dict(db.session.execute(
        sa.select(v.person_id, latest).group_by(v.person_id).having(latest > day)).all())


def _write_versions(added: list, replaced: list, trail: list, at: dt.datetime) -> None:
    """After the people (their rows are the versions' foreign keys)."""
    bulk.insert(db.session, PersonVersion.__table__, added)
    bulk.update(db.session, PersonVersion.__table__, replaced)
    if trail:
        audit.record_rows(db.session, PersonVersion.__tablename__, trail,
                          at + dt.timedelta(microseconds=2))


def _managers_first(rows: list[dict]) -> list[dict]:
    """New rows ordered so that a new manager's comes before their staff's (breadth first
    from those whose manager is stored or none); rows in a cycle of managers, and under
    one, last. SQLite checks each inserted row's foreign key as it goes: a row naming a
    manager not yet written is owed, and while any is owed every insert searches the table
    for rows naming it (there is no index on manager_id), the square of the file."""
    new = {row["id"] for row in rows}
    staff: dict = {}
    for row in rows:
        if row["manager_id"] in new:
            staff.setdefault(row["manager_id"], []).append(row)
    order = [row for row in rows if row["manager_id"] not in new]
    for row in order:  # grows as it goes: each manager's staff after them
        order.extend(staff.pop(row["id"], ()))
    placed = {row["id"] for row in order} if staff else new
    return order + [row for row in rows if row["id"] not in placed]


def _insert(rows: list[dict], report) -> None:
    bulk.insert(db.session, Person.__table__, rows)
    report(len(rows))


def _update(rows: list[dict], report) -> None:
    """Replace stored rows (by their key) with ``rows``."""
    bulk.update(db.session, Person.__table__, rows)
    report(len(rows))


def _audit(trail: list, not_before: dt.datetime | None) -> dt.datetime:
    at = dt.datetime.now(dt.timezone.utc)
    at = max(at, not_before) if not_before else at
    audit.record_rows(db.session, Person.__tablename__, trail, at)
    return at
