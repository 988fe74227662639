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

import sqlalchemy as sa

from ..core.errors import InputError
from ..storage.models import Person, db
from .people import check_person
from .unit import TenantWork

BASE_COLUMNS = ("number", "full_name", "unit", "position", "manager", "hired_on")
BATCH = 500  # rows per flush: bounded memory per statement, few round trips

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

def import_people(work: TenantWork, rows_or_path, progress=None) -> ImportResult:
    """Create or update the people of a file: a path, or its rows (header first).

    Raises ``ImportRejected`` with every error if any row is bad, having written nothing.
    ``progress(n)`` is called as rows are done, with how many were just done; each row is
    done twice (checked, then saved), so a progress bar's length is ``2 * rows``.
    """
    report = progress or (lambda n: None)
    people, existing = _check(work, rows_or_path, report)
    return _save(people, existing, report)


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
    existing = {p.number: p for p in db.session.scalars(sa.select(Person))}
    people, lines_of, managers = [], {}, []
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
            clean = check_person(work, data if readable else {**data, "attributes": {}})
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


def _save(people: list[tuple[int, dict]], existing: dict, report) -> ImportResult:
    if db.session.connection().dialect.name == "postgresql":
        # PostgreSQL keeps the plan of a foreign-key check (manager_id) for the connection's
        # life; one made while the person table was small scans the whole table, once per
        # row written here: time grows with the square of the file (10,000 rows into a new
        # tenant: 36 s instead of 15 s). Planned each time, the checks use the key.
        db.session.execute(sa.text("SET LOCAL plan_cache_mode = force_custom_plan"))
    ids = {number: p.id for number, p in existing.items()}
    new = set()
    later = []  # (person, manager number): managers whose row is not in the database yet
    for i, (_, clean) in enumerate(people, start=1):
        number = clean["number"]
        person = existing.get(number)
        created = person is None
        if created:
            # the id is made here, not at flush, so that subordinates can point at it
            person = Person(id=uuid.uuid4(), number=number)
            db.session.add(person)
            ids[number] = person.id
            new.add(number)
        person.full_name, person.unit, person.position = (clean["full_name"], clean["unit"],
                                                          clean["position"])
        person.hired_on, person.attributes = clean["hired_on"], clean["attributes"]
        manager = clean["manager"]
        # Set now when the manager's row is sure to be written first: a person already in
        # the database, or a new person added before this new one (inserts run in the
        # order added). A manager later in the file, or a new manager of an existing
        # person (updates are flushed before inserts), is set once everyone exists.
        if manager is None or manager in existing or (created and manager in new):
            person.manager_id = ids[manager] if manager else None
        else:
            if created:  # written as None first, so that the audit sees the change later
                person.manager_id = None
            later.append((person, manager))
        if i % BATCH == 0:
            db.session.flush()
            report(BATCH)
    db.session.flush()
    for person, manager in later:
        person.manager_id = ids[manager]
    db.session.flush()
    report(len(people) % BATCH)
    return ImportResult(created=len(new), updated=len(people) - len(new))
