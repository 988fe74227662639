"""Importing staff from a spreadsheet (CSV or XLSX).

The whole file is checked before anything is written: every error is collected with its
line (as the spreadsheet shows it, the header being line 1) and field, and one bad row
rejects the file. A good file creates or updates every person in the caller's transaction.

Columns: ``number, full_name, unit, position, manager, hired_on`` and the regime's person
attributes, either as columns named by their path in the regime's schema
(``last_assessment.year``), converted to the type the schema gives there, or as one
``attributes`` column holding a JSON object. An existing person is replaced by their row:
an empty cell or an absent column clears that field, as ``save_person`` does.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import re
import uuid
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import sqlalchemy as sa

from ..core import validation
from ..core.errors import InputError
from ..storage import audit, tenancy
from ..storage.models import Person, db
from .people import check_person
from .unit import TenantWork

BASE_COLUMNS = ("number", "full_name", "unit", "position", "manager", "hired_on")
BATCH = 500  # rows per statement and per progress report
AUDIT_BATCH = 5000  # audit entries per executemany

TRUE = {"true", "yes", "1", "да", "иә"}
FALSE = {"false", "no", "0", "нет", "жоқ"}
RU_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")  # how Russian Excel shows a date


class ImportRejected(InputError):
    """The file has errors; nothing was written. ``errors``: (line, field, message)."""

    def __init__(self, errors: list[tuple[int, str, str]]):
        self.errors = sorted(errors, key=lambda e: e[0])
        super().__init__(f"{len(errors)} error(s) in the file; nothing was imported")


@dataclass
class ImportResult:
    created: int
    updated: int


class _CellError(ValueError):
    """A cell that cannot be read as the type its column wants."""


# --- reading ---------------------------------------------------------------------------

def read_rows(path) -> list[list]:
    """The rows of a CSV or XLSX file, the header first; row n is line n + 1 of the file
    as a spreadsheet shows it (empty rows are kept so that this holds)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise InputError(f"cannot import {path.name}: a .csv or .xlsx file is needed", field="file")


def _read_csv(path: Path) -> list[list]:
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError:
        raise InputError(f"{path.name} is not UTF-8 text (save it as \"CSV UTF-8\")",
                         field="file") from None
    header = text.split("\n", 1)[0]
    # Excel writes ';' where ',' is the decimal separator (Russian, Kazakh locales)
    delimiter = ";" if header.count(";") > header.count(",") else ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _read_xlsx(path: Path) -> list[list]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            # openpyxl warns about Excel features it drops (data validation, styles):
            # irrelevant to the values read here
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(f"{path.name} cannot be read as an XLSX workbook ({exc})",
                         field="file") from None
    try:
        # read-only sheets yield empty rows too, so a row's position is its number
        return [list(row) for row in book.worksheets[0].iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()  # read-only mode keeps the file open until closed


# --- cells -----------------------------------------------------------------------------

def _text(value) -> str | None:
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


def _coerce(value, node: dict):
    """A cell as the JSON-Schema type ``node`` wants; the schema check comes later."""
    kind = _kind(node)
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
        if kind == "number":
            return number
        if number.is_integer():
            return int(number)
        raise _CellError(f"{text!r} is not a whole number")
    return text


def _schema_at(schema: dict, path: list[str]) -> dict | None:
    node = schema
    for part in path:
        node = (node.get("properties") or {}).get(part)
        if node is None:
            return None
    return node


# --- the import ------------------------------------------------------------------------

class _CompiledPersonSchema:
    """The regime as ``check_person`` uses it, its person schema compiled once per file:
    ``Regime.validate_person`` builds a validator for every call, which was most of the
    cost of checking a large file. A row the compiled schema refuses is checked again by
    the regime itself, so that its error reads exactly as everywhere else."""

    def __init__(self, regime):
        self.regime = regime
        self.validator = jsonschema.Draft202012Validator(
            regime.person_schema, format_checker=validation._FORMATS)

    def validate_person(self, attributes: dict, source: str = "person") -> None:
        if not self.validator.is_valid(attributes):
            self.regime.validate_person(attributes, source)


def _checking(work: TenantWork) -> TenantWork:
    """``work`` with its regime's person schema compiled, for checking many rows."""
    checking = copy.copy(work)
    checking.__dict__["regime"] = _CompiledPersonSchema(work.regime)  # over the cached_property
    return checking


def import_people(work: TenantWork, rows_or_path, progress=None) -> ImportResult:
    """Create or update the people of a file: a path, or its rows (header first).

    Raises ``ImportRejected`` with every error if any row is bad, having written nothing.
    ``progress(n)`` is called as rows are done, with how many were just done; each row is
    done twice (checked, then saved), so a progress bar's length is ``2 * rows``.
    """
    report = progress or (lambda n: None)
    people, existing = _check(work, rows_or_path, report)
    return _save(work, people, existing, report)


def check_import(work: TenantWork, rows_or_path) -> list[tuple[int, dict, bool]]:
    """What ``import_people`` would do with a file, writing nothing: for each row, its
    line, the person's checked data and whether they are new (else an update). Raises
    ``ImportRejected`` with every error, as the import does."""
    people, existing = _check(work, rows_or_path, lambda n: None)
    return [(line, clean, clean["number"] not in existing) for line, clean in people]


def _check(work: TenantWork, rows_or_path, report) -> tuple[list[tuple[int, dict]], dict]:
    """The file's rows checked as a whole: ([(line, clean data)], existing people by number)."""
    rows = read_rows(rows_or_path) if isinstance(rows_or_path, (str, os.PathLike)) else rows_or_path
    rows = [(line, list(cells)) for line, cells in enumerate(rows, start=1)]
    if not rows:
        raise InputError("the file is empty: a header row is needed", field="file")
    errors: list[tuple[int, str, str]] = []
    columns = _columns(work, rows[0][1], errors)
    data_rows = [(line, cells) for line, cells in rows[1:] if any(_text(c) for c in cells)]

    # one query for everyone the file may touch or name as a manager
    existing = _existing()
    people, lines_of, managers = [], {}, []
    checking = _checking(work)
    for i, (line, cells) in enumerate(data_rows, start=1):
        data, readable = _row(line, cells, columns, len(rows[0][1]), errors)
        number = _text(data.get("number"))
        managers.append((line, _text(data.get("manager"))))
        if number in lines_of:
            errors.append((line, "number",
                           f"personnel number {number!r} is also on line {lines_of[number]}"))
        elif number:
            lines_of[number] = line
        try:
            # a row with an unreadable cell is checked without its attributes, which
            # would report the value left out once more, as a required one
            clean = check_person(checking, data if readable else {**data, "attributes": {}})
            if readable:
                people.append((line, clean))
        except InputError as exc:
            errors.append((line, _field(exc), _bare(exc)))
        if i % BATCH == 0:
            report(BATCH)
    report(len(data_rows) % BATCH)
    for line, manager in managers:
        if manager and manager not in lines_of and manager not in existing:
            errors.append((line, "manager", f"no person with personnel number {manager!r} "
                                            f"in the file or the tenant"))
    if errors:
        raise ImportRejected(errors)
    return people, existing


def _columns(work: TenantWork, header: list, errors: list) -> list[tuple[int, str, dict | None]]:
    """(position, name, schema node) of each column read, name None for a column with no
    header (a value there is an error); what is wrong with the header goes to errors."""
    out, seen = [], set()
    for i, cell in enumerate(header):
        name = _text(cell)
        if name is None:
            out.append((i, None, None))
            continue
        if name in seen:
            errors.append((1, name, "the column appears twice"))
            continue
        seen.add(name)
        if name in BASE_COLUMNS or name == "attributes":
            out.append((i, name, None))
            continue
        node = _schema_at(work.regime.person_schema, name.split("."))
        if node is None:
            errors.append((1, name, f"unknown column: neither a person's field nor an "
                                    f"attribute of {work.regime.info.id}"))
        else:
            out.append((i, name, node))
    for required in ("number", "full_name"):
        if required not in seen:
            errors.append((1, required, "the column is missing"))
    return out


def _row(line: int, cells: list, columns, width: int, errors: list) -> tuple[dict, bool]:
    """A person's data from a row, for ``check_person``, and whether every cell was read."""
    data, attributes, ok = {}, {}, True
    # the attributes column first, so that attribute columns add to its object
    unnamed = [(i, None, None) for i in range(width, len(cells))]  # cells past the header
    for i, name, node in sorted(columns + unnamed, key=lambda c: c[1] != "attributes"):
        value = cells[i] if i < len(cells) else None
        if _text(value) is None:
            continue  # an empty cell says nothing
        try:
            if name is None:
                raise _CellError(f"a value in a column with no header: {_text(value)!r}")
            if name == "attributes":
                attributes = _coerce(value, {"type": "object"})
                if not isinstance(attributes, dict):
                    raise _CellError("must be a JSON object")
            elif node is None:
                data[name] = _date(value) if name == "hired_on" else _text(value)
            else:
                *parents, leaf = name.split(".")
                target = attributes
                for part in parents:
                    target = target.setdefault(part, {})
                    if not isinstance(target, dict):
                        raise _CellError(f"{part} is not an object in the attributes column")
                target[leaf] = _coerce(value, node)
        except _CellError as exc:
            errors.append((line, name or f"column {i + 1}", str(exc)))
            ok = False
    data["attributes"] = attributes
    return data, ok


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
    bookkeeping and flush listener were most of the cost), and audit them in bulk with
    the entries the listener would have made: a create per new person, an update per
    person whose stored row changes, before and after as ``audit.snapshot`` shows them.

    Managers as the ORM import set them (and the trail has always shown): a new person's
    manager is set on creation when the manager is already stored or an earlier new row;
    otherwise (a manager later in the file, or a new manager of a stored person) once
    everyone exists, a second change with an entry of its own."""
    session = db.session
    tenant_id = tenancy.current_tenant(session)
    if tenant_id != work.tenant.id:  # the rows are stamped with it; RLS checks it on PostgreSQL
        raise tenancy.CrossTenantWrite(f"importing into tenant {work.tenant.id} while "
                                       f"serving tenant {tenant_id}")
    if session.connection().dialect.name == "postgresql":
        # PostgreSQL keeps the plan of a foreign-key check (manager_id) for the connection's
        # life; one made while the person table was small scans the whole table, once per
        # row written here: time grows with the square of the file (10,000 rows into a new
        # tenant: 36 s instead of 15 s). Planned each time, the checks use the key.
        session.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))
    ids = {number: row["id"] for number, row in existing.items()}
    created, changed, later = [], [], []  # later: (row as first written, manager number)
    for _, clean in people:
        number, manager = clean["number"], clean["manager"]
        old = existing.get(number)
        row = {"tenant_id": tenant_id, "id": old["id"] if old else uuid.uuid4(),
               "number": number, "full_name": clean["full_name"], "unit": clean["unit"],
               "position": clean["position"], "hired_on": clean["hired_on"],
               "attributes": clean["attributes"]}
        if manager is None or manager in existing or (old is None and manager in ids):
            row["manager_id"] = ids[manager] if manager else None
        else:
            row["manager_id"] = old["manager_id"] if old else None
            later.append((row, manager))
        if old is None:
            ids[number] = row["id"]
            created.append(row)
        elif (before := audit.row_snapshot(Person, old)) != audit.row_snapshot(Person, row):
            changed.append((before, row))

    trail = [("create", None, audit.row_snapshot(Person, row)) for row in created]
    trail += [("update", before, audit.row_snapshot(Person, row)) for before, row in changed]
    _insert(created, report)
    _update([row for _, row in changed], report)
    report(len(people) - len(created) - len(changed))  # rows with nothing to write
    at = _audit(trail, None)

    if later:  # second pass: managers who now exist
        trail = []
        for row, manager in later:
            before = audit.row_snapshot(Person, row)
            row["manager_id"] = ids[manager]
            trail.append(("update", before, audit.row_snapshot(Person, row)))
        _update([row for row, _ in later], lambda n: None)
        # strictly later than the first pass: the log orders a person's entries by time
        _audit(trail, at + dt.timedelta(microseconds=1))
    return ImportResult(created=len(created), updated=len(people) - len(created))


def _insert(rows: list[dict], report) -> None:
    for i in range(0, len(rows), BATCH):
        batch = rows[i:i + BATCH]
        db.session.execute(sa.insert(Person), batch)
        report(len(batch))


def _update(rows: list[dict], report) -> None:
    """Replace stored rows (by their key) with ``rows``."""
    for i in range(0, len(rows), BATCH):
        batch = rows[i:i + BATCH]
        db.session.execute(sa.update(Person), batch)
        report(len(batch))


def _audit(trail: list, not_before: dt.datetime | None) -> dt.datetime:
    at = max(dt.datetime.now(dt.timezone.utc), not_before or dt.datetime.min.replace(tzinfo=dt.timezone.utc))
    for i in range(0, len(trail), AUDIT_BATCH):
        audit.record_rows(db.session, Person.__tablename__, trail[i:i + AUDIT_BATCH], at)
    return at
