"""Formula injection in the exports (issue 12): text a spreadsheet would read as a formula
(=HYPERLINK(...), +1+1, -2+3, @SUM(A1), a leading tab or carriage return), put in names,
units, positions and personnel numbers through the services, comes out of every export as
text: a string cell with Excel's quote prefix (and no formula anywhere in the file) in
XLSX, a leading ' in CSV. What the code itself writes (dates, flags) is left as it is. On
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from nastavnik import services
from nastavnik.services import exports
from nastavnik.storage.models import Person
from test_exports import read_csv
from test_services import ELIGIBLE, MENTEE

ON = dt.date(2026, 3, 2)
AS_OF = dt.date(2026, 3, 16)
SLUG = "cs-formulas"
HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile_people(app):
    """For each hostile text: a mentor named it (and in its unit and position), and a
    mentee named it whose personnel number starts with it, in an open mentorship. The
    service strips a leading tab or return from what it is given, so those two are written
    as they are afterwards, as an import from an older version could have left them."""
    services.create_tenant(SLUG, "Formulas", "civil_service_2013", actor="admin")
    with services.tenant(SLUG, "hr") as t:
        for n, text in enumerate(HOSTILE):
            services.add_person(t, number=f"M{n}", full_name=text, unit=text, position=text,
                                hired_on="2015-02-01", attributes=ELIGIBLE)
            services.add_person(t, number=f"{text}{n}", full_name=text, manager=f"M{n}",
                                attributes=MENTEE)
            services.assign_mentor(t, f"{text}{n}".strip(), f"M{n}", ON)
    with services.tenant(SLUG, "hr") as t:
        for person in t.session.scalars(sa.select(Person)):
            n = int(person.number[-1])
            person.full_name = person.unit = person.position = HOSTILE[n]
            if not person.number.startswith("M"):
                person.number = f"{HOSTILE[n]}{n}"
    return SLUG


def _exported(what: str, fmt: str) -> bytes:
    with services.tenant(SLUG, "test") as t:
        return exports.export(t, what, fmt, AS_OF, "ru").content


def _numbers() -> list[str]:
    return [f"{text}{n}" for n, text in enumerate(HOSTILE)]


#: what each export must show of the hostile data
EXPECTED = {"people": HOSTILE + _numbers(), "mentorships": HOSTILE + _numbers(),
            "compliance": _numbers(), "deadlines": HOSTILE + _numbers()}


@pytest.mark.parametrize("what", exports.WHAT)
def test_csv_quotes_every_formula(hostile_people, what):
    rows = read_csv(_exported(what, "csv"))
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if c.startswith(STARTS)], cells
    for text in EXPECTED[what]:
        assert "'" + text in cells, (what, text)  # kept, behind the quote


@pytest.mark.parametrize("what", exports.WHAT)
def test_xlsx_has_no_formula_only_text(hostile_people, what):
    content = _exported(what, "xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    values = [c.value for c in cells]
    for text in EXPECTED[what]:
        assert text in values, (what, text)  # exactly as recorded, no quote added
    hostile = [c for c in cells if isinstance(c.value, str) and c.value.startswith(STARTS)]
    assert len(hostile) >= len(EXPECTED[what])
    for cell in hostile:
        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
    assert not [c for c in cells if c.data_type == "f"]


def test_what_the_code_writes_is_left_alone(hostile_people):
    """Dates, flags and ordinary text: no quote, no text marking."""
    people = read_csv(_exported("people", "csv"))
    mentors = [r for r in people[1:] if r[0].startswith("M")]
    assert mentors and all(r[5] == "2015-02-01" for r in mentors)
    sheet = load_workbook(io.BytesIO(_exported("mentorships", "xlsx"))).active
    rows = list(sheet.iter_rows(min_row=2))
    assert [r[4].value for r in rows] == ["2026-03-02"] * len(HOSTILE)
    assert all(r[9].value is False and r[9].data_type == "b" for r in rows)
    assert not any(r[4].quotePrefix or r[6].quotePrefix for r in rows)
    statuses = read_csv(_exported("mentorships", "csv"))
    assert {r[6] for r in statuses[1:]} == {"open"}
