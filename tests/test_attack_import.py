"""Hostile imports and hostile person fields (issue 12): a file built to hurt the server
or to lose data is refused with an error naming its line (or the file), reading only a
bounded amount of it; a person's text can never hold what the database refuses at
confirmation, nor control or bidirectional-override characters; and nothing is written.

Bounds (services.spreadsheet): 64 MB a file, 256 MB an XLSX unpacked (and no part
packed more than 100 times), 200,000 lines, 100 columns, 32,767 characters a cell; the
first 100 errors listed and all counted. Speed is measured in bench/hostile_import.py,
not asserted here; memory is (tracemalloc), as the bound on what was read."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import string
import tracemalloc
import zipfile

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main
from nastavnik.core.errors import InputError
from nastavnik.services import spreadsheet
from nastavnik.services import work_standards as ws
from nastavnik.services.importing import ImportRejected, check_import, import_people, read_rows
from nastavnik.storage.models import AuditEntry, db
from nastavnik.web import create_app

from test_work_standards import HEADER as SCHEME_HEADER, ROWS as SCHEME_ROWS, prosecutors

MB = 2**20
BOSS = {"public_service_start": "2010-01-01", "last_assessment": {"year": 2025, "mark": "effective"}}


@pytest.fixture
def civil(app):
    services.create_tenant("cs", "Civil", "civil_service_2013", actor="test")
    with services.tenant("cs", "test") as t:
        services.add_person(t, number="M1", full_name="Boss", unit="HQ", attributes=BOSS)
    return "cs"


def write_csv(path, lines, delimiter=";"):
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


def state(slug) -> tuple:
    """Everything an import could change: the people as stored, and the trail."""
    with services.tenant(slug, "test") as t:
        staff = {p.number: services.people.person_dict(t, p) for p in services.list_people(t)}
        return staff, db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))


def rejected(slug, source) -> ImportRejected:
    """The file checked (preview) and imported (confirmation): both refuse it alike, and
    nothing is written."""
    before = state(slug)
    with services.tenant(slug, "hr:import") as t, pytest.raises(ImportRejected) as preview:
        check_import(t, source)
    with services.tenant(slug, "hr:import") as t, pytest.raises(ImportRejected) as confirm:
        import_people(t, source)
    assert confirm.value.errors == preview.value.errors
    assert state(slug) == before
    return preview.value


def where(exc) -> list[tuple[int, str]]:
    return [(line, field) for line, field, _ in exc.errors]


# --- XLSX built by hand: a workbook's parts around a sheet written as a stream ----------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>')
SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"


def cell(ref: str, value) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


def row(n: int, *values) -> str:
    return f'<row r="{n}">' + "".join(cell(f"{spreadsheet.column_letter(i)}{n}", v)
                                      for i, v in enumerate(values)) + "</row>"


HEADER_ROW = row(1, "number", "full_name")


SHARED_STRINGS_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def xlsx(path, *chunks, head: str = SHEET_HEAD, tail: str = SHEET_TAIL, level: int = 6,
         shared: str | None = None):
    """A workbook whose first sheet is ``head``, the chunks (str, or an iterable of str
    written as they come: a sheet of any size in little memory), ``tail``; ``shared``:
    the ``<si>`` elements of its shared strings (openpyxl writes none)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.replace("</Types>", (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            if shared is not None else "</Types>"))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.replace(
            "</Relationships>", SHARED_STRINGS_REL if shared is not None else "</Relationships>"))
        if shared is not None:
            z.writestr("xl/sharedStrings.xml",
                       '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                       + shared + "</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head.encode())
            for chunk in chunks:
                for piece in [chunk] if isinstance(chunk, str) else chunk:
                    sheet.write(piece.encode())
            sheet.write(tail.encode())
    return path


def bounded(read, limit_mb: float):
    """``read()``'s exception, and that it held less than ``limit_mb`` at its peak."""
    tracemalloc.start()
    try:
        with pytest.raises((InputError,)) as caught:
            read()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < limit_mb * MB, f"peak {peak / MB:.0f} MB"
    return caught.value


# --- cells longer than a cell holds ------------------------------------------------------------

def test_csv_cell_past_the_csv_modules_limit_is_an_error_naming_its_line(civil, tmp_path):
    """A cell of 200,000 characters: the csv module's own limit (131,072) raised
    `_csv.Error: field larger than field limit`, a 500."""
    path = write_csv(tmp_path / "staff.csv", [["number", "full_name"], ["S1", "Fine"],
                                              ["S2", "x" * 200_000], ["S3", "Also fine"]])
    exc = rejected(civil, path)
    assert where(exc) == [(3, "file")] and "131,072 characters" in exc.errors[0][2]


def test_cells_longer_than_a_spreadsheet_cell_are_errors_naming_line_and_column(civil, tmp_path):
    path = write_csv(tmp_path / "staff.csv", [["number", "full_name", "unit"],
                                              ["S1", "y" * 40_000, "u" * 33_000],
                                              ["S2", "Fine", ""]])
    exc = rejected(civil, path)
    assert where(exc) == [(2, "full_name"), (2, "unit")]
    assert "longer than 32,767 characters" in exc.errors[0][2]
    assert exc.cells == ["B2", "C2"]


def test_xlsx_cell_of_megabytes_is_refused_naming_its_line_reading_little(civil, tmp_path):
    """One 5 MB cell (random, so packed no better than text): previewed as "no errors"
    before, the name going to the database."""
    rng = random.Random(1)
    huge = "".join(rng.choices(string.ascii_letters, k=5 * MB))
    path = xlsx(tmp_path / "staff.xlsx", HEADER_ROW, row(2, "S1", "Fine"), row(3, "S2", huge))
    del huge
    exc = bounded(lambda: read_rows(path), 4)  # its text is never gathered
    assert isinstance(exc, ImportRejected) and where(exc) == [(3, "full_name")]
    assert "longer than 32,767 characters" in exc.errors[0][2]
    rejected(civil, path)


def test_xlsx_shared_string_longer_than_a_cell(civil, tmp_path):
    path = xlsx(tmp_path / "staff.xlsx",
                '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
                '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>',
                shared="<si><t>number</t></si><si><t>full_name</t></si><si><t>S1</t></si>"
                       "<si><r><t>" + "z" * 20_000 + "</t></r><r><t>" + "z" * 20_000
                       + "</t></r></si>")
    exc = rejected(civil, path)
    assert where(exc) == [(2, "full_name")] and "longer than 32,767" in exc.errors[0][2]


# --- what the database would refuse at confirmation is refused at preview ----------------------

@pytest.mark.parametrize("field, limit", [("number", 63), ("full_name", 255), ("unit", 255),
                                          ("position", 255), ("manager", 63)])
def test_every_column_limit_is_checked_at_preview_with_the_field_named(civil, tmp_path, field,
                                                                        limit):
    """A 300-character name passed the preview and failed at confirmation on PostgreSQL
    (varchar(255)): every text the import writes is checked against its column."""
    good = {"number": "S1", "full_name": "Name", "unit": "Unit", "position": "Expert",
            "manager": "M1"}
    at_limit = list({**good, field: "я" * limit}.values())
    boss = ["я" * 63, "Boss", "", "", ""]  # a manager of the longest number there is
    ok = write_csv(tmp_path / "ok.csv", [list(good), at_limit] + ([boss] if field == "manager" else []))
    with services.tenant(civil, "hr:import") as t:
        assert len(check_import(t, ok)) >= 1  # the limit itself is fine
    bad = write_csv(tmp_path / "bad.csv", [list(good),
                                           list({**good, field: "я" * (limit + 1)}.values())])
    exc = rejected(civil, bad)
    assert where(exc) == [(2, field)]
    assert exc.errors[0][2] == f"longer than {limit} characters ({limit + 1})"


@pytest.mark.parametrize("field, limit", [("number", 63), ("full_name", 255), ("unit", 255),
                                          ("position", 255)])
def test_add_and_update_check_the_column_limits(civil, field, limit):
    data = {"number": "S9", "full_name": "Name", "unit": "Unit", "position": "Expert",
            field: "ю" * (limit + 1)}
    with services.tenant(civil, "test") as t, pytest.raises(InputError) as caught:
        services.add_person(t, **data)
    assert caught.value.field == field and f"longer than {limit} characters" in str(caught.value)
    if field != "number":
        with services.tenant(civil, "test") as t, pytest.raises(InputError) as caught:
            services.update_person(t, "M1", **{field: "ю" * (limit + 1)})
        assert caught.value.field == field
    assert set(state(civil)[0]) == {"M1"} and state(civil)[0]["M1"]["full_name"] == "Boss"


# --- control and bidirectional characters ------------------------------------------------------

HOSTILE = ["\x1b[31m", "\x00", "\r", "\n", "\t", "\x7f", "\x85", "\u202e", "\u202a", "\u202b",
           "\u202c", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
           "\u061c", "\u2028", "\u2029"]


def test_control_and_bidi_characters_are_refused_in_every_text_field(civil):
    """By add_person and update_person, as the API, the admin and the command line call
    them; NUL (which PostgreSQL refuses, a 500) included."""
    good = {"number": "S9", "full_name": "Name", "unit": "Unit", "position": "Expert",
            "manager": "M1"}
    with services.tenant(civil, "test") as t:
        for bad in HOSTILE:
            for field in good:
                with pytest.raises(InputError) as caught:
                    services.add_person(t, **{**good, field: f"A{bad}B"})
                assert caught.value.field == field, (bad, field)
                assert f"U+{ord(bad[0]):04X}" in str(caught.value), (bad, field)
                if field != "number":
                    with pytest.raises(InputError) as caught:
                        services.update_person(t, "M1", **{field: f"A{bad}B"})
                    assert caught.value.field == field, (bad, field)
        with pytest.raises(services.people.NotFound):
            services.update_person(t, "M\x001", full_name="Found?")
    assert set(state(civil)[0]) == {"M1"} and state(civil)[0]["M1"]["full_name"] == "Boss"


def test_control_characters_in_the_import_name_the_line_and_field(civil, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("number;full_name;unit;position;manager\n"
                    "S1;Fine;;;\n"
                    "S2;Evil\u202eexe.txt;;;\n"
                    "S3\t;A tab at the end is trimmed;;;\n"
                    "S\t4;A tab inside;;;\n"
                    "S5;Esc;Unit\x1b[2J;;\n"
                    "S6;Isolate;;Head\u2066;\n"
                    "S7;Mark;;;M\u200f1\n"
                    'S8;"Line\nbreak";;;\n', encoding="utf-8")
    exc = rejected(civil, path)
    assert where(exc) == [(3, "full_name"), (5, "number"), (6, "unit"), (7, "position"),
                          (8, "manager"), (9, "full_name")]
    assert "U+202E (RIGHT-TO-LEFT OVERRIDE)" in exc.errors[0][2]
    assert "U+000A" in exc.errors[-1][2]


def test_xlsx_escaped_carriage_return_is_read_and_refused(civil, tmp_path):
    """Excel stores a CR in a text as _x000D_: read as the character it stands for (not as
    seven letters), and so refused in a name."""
    path = xlsx(tmp_path / "staff.xlsx", HEADER_ROW, row(2, "S1", "Ivan_x000D_Petrov"),
                row(3, "S2", "Under_x005F_x000D_score"))
    rows = spreadsheet.read_rows(path)
    assert rows[1][1] == "Ivan\rPetrov" and rows[2][1] == "Under_x000D_score"
    assert where(rejected(civil, path)) == [(2, "full_name")]


def test_personnel_numbers_are_printable_names_may_hold_no_break_spaces(civil):
    with services.tenant(civil, "test") as t:
        for number in ("12\u00a034", "12\u200b34", "\ufeff1234", "12\u00ad34"):
            with pytest.raises(InputError) as caught:
                services.add_person(t, number=number, full_name="Name")
            assert caught.value.field == "number"
        person = services.add_person(t, number="12 34", full_name="Иванов\u00a0И.\u00a0И.",
                                     unit="Отдел\u00a01")
        assert person.full_name == "Иванов\u00a0И.\u00a0И."


def test_lone_surrogates_are_refused_before_the_database(civil):
    """No UTF-8 holds a lone surrogate: SQLite and PostgreSQL failed on it (a 500)."""
    with services.tenant(civil, "test") as t:
        with pytest.raises(InputError) as caught:
            services.add_person(t, number="S9", full_name="Bad \ud800 name")
        assert caught.value.field == "full_name" and "U+D800" in str(caught.value)
        str(caught.value).encode("utf-8")  # the message itself can be shown
        with pytest.raises(InputError) as caught:
            services.add_person(t, number="S9", full_name="Name",
                                attributes={"disciplinary_penalties": [
                                    {"kind": "bad \udfff", "imposed": "2024-01-01"}]})
        assert caught.value.field == "disciplinary_penalties[0].kind"
        with pytest.raises(InputError) as caught:  # PostgreSQL keeps no NUL in a text
            services.add_person(t, number="S9", full_name="Name",
                                attributes={"disciplinary_penalties": [
                                    {"kind": "bad \x00", "imposed": "2024-01-01"}]})
        assert caught.value.field == "disciplinary_penalties[0].kind" and "U+0000" in str(caught.value)
    assert set(state(civil)[0]) == {"M1"}


# --- attributes: deep, long, not finite ---------------------------------------------------------

def test_deeply_nested_json_cell_is_an_error_not_a_recursion_error(civil, tmp_path):
    """A 60,000-deep JSON attributes cell raised RecursionError (a 500): now longer than a
    cell holds; as deep as a cell can hold, an error naming its line and column."""
    header = ["number", "full_name", "attributes", "disciplinary_penalties"]
    deepest = "[" * 60_000 + "]" * 60_000
    exc = rejected(civil, write_csv(tmp_path / "a.csv", [header, ["S1", "Deep", deepest, ""]]))
    assert where(exc) == [(2, "attributes")] and "longer than 32,767" in exc.errors[0][2]
    deep = "[" * 16_000 + "]" * 16_000
    path = write_csv(tmp_path / "b.csv", [header, ["S1", "Deep", '{"a": ' + deep + "}", ""],
                                          ["S2", "Deeper", "", deep]])
    exc = rejected(civil, path)
    assert where(exc) == [(2, "attributes"), (3, "disciplinary_penalties")]
    assert all("nested too deep" in message for *_, message in exc.errors)


def test_json_number_of_thousands_of_digits_is_an_error(civil, tmp_path):
    """Python reads no integer of more than 4,300 digits: json.loads raised ValueError."""
    path = write_csv(tmp_path / "staff.csv", [
        ["number", "full_name", "attributes", "prior_service_months"],
        ["S1", "Long", '{"prior_service_months": ' + "7" * 5000 + "}", ""],
        ["S2", "Not finite", "", "1e999"], ["S3", "Not a number", "", "nan"]])
    exc = rejected(civil, path)
    assert where(exc) == [(2, "attributes"), (3, "prior_service_months"),
                          (4, "prior_service_months")]
    assert all(len(message) <= spreadsheet.MAX_MESSAGE for *_, message in exc.errors)


def test_attributes_nested_too_deep_or_not_finite_are_refused_by_every_service(civil):
    deep: list = []
    node = deep
    for _ in range(40):
        node.append([])
        node = node[0]
    with services.tenant(civil, "test") as t:
        with pytest.raises(InputError) as caught:
            services.add_person(t, number="S9", full_name="Name",
                                attributes={"disciplinary_penalties": deep})
        assert "nested more than 32 deep" in str(caught.value)
        with pytest.raises(InputError) as caught:
            services.people.check_person(t, {"number": "S9", "full_name": "Name",
                                             "attributes": {"last_assessment": {
                                                 "year": float("nan"), "mark": "effective"}}})
        assert caught.value.field == "last_assessment.year" and "nan" in str(caught.value)


# --- CSV: a quote never closed ------------------------------------------------------------------

def test_unclosed_quote_is_an_error_naming_its_line_not_two_people_lost(civil, app, tmp_path):
    """Read as one row holding the rest of the file, imported with exit 0 (S3 and S4
    lost): now the CLI exits 2 naming the line, and writes nothing."""
    path = tmp_path / "staff.csv"
    path.write_text("number;full_name\nS1;One\nS2;\"Two\nS3;Three\nS4;Four\n", encoding="utf-8")
    exc = rejected(civil, path)
    assert exc.errors == [(3, "file", "a quote opened on this line is never closed")]
    before = state(civil)
    out = CliRunner().invoke(main, ["person", "import", str(path), "--tenant", civil],
                             obj={"lang": "en"})
    assert out.exit_code == 2, out.output
    assert "line 3, file: a quote opened on this line is never closed" in out.output
    assert state(civil) == before
    stray = tmp_path / "stray.csv"
    stray.write_text('number;full_name\nS1;"One" Two\n', encoding="utf-8")
    assert where(rejected(civil, stray)) == [(2, "file")]


def test_quoted_multiline_cells_and_doubled_quotes_still_read(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text('number;full_name;disciplinary_penalties\n'
                    'S1;"Say ""hi""";"[{""imposed"":\n""2024-01-01""}]"\nS2;Two;\n',
                    encoding="utf-8")
    assert read_rows(path) == [["number", "full_name", "disciplinary_penalties"],
                               ["S1", 'Say "hi"', '[{"imposed":\n"2024-01-01"}]'],
                               ["S2", "Two", ""]]


# --- lines and columns ----------------------------------------------------------------------------

def test_csv_lines_are_bounded_trailing_empty_lines_are_not(tmp_path, monkeypatch):
    lines = ["number;full_name"] + [f"S{i};P" for i in range(1, spreadsheet.MAX_ROWS)]
    path = tmp_path / "staff.csv"
    path.write_text("\n".join(lines) + "\n" + ";;\n" * 50 + "\n" * 10_000, encoding="utf-8")
    assert len(read_rows(path)) == spreadsheet.MAX_ROWS
    path.write_text("\n".join(lines) + "\n;;\nS0;Past the last line\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        read_rows(path)
    assert caught.value.errors == [(spreadsheet.MAX_ROWS + 1, "file",
                                    "more than 200,000 lines, the most one import takes: "
                                    "split the file")]


def test_csv_values_past_the_last_column_are_refused_empty_ones_ignored(tmp_path):
    width = spreadsheet.MAX_COLUMNS
    path = tmp_path / "staff.csv"
    path.write_text("number;full_name" + ";" * 300 + "\nS1;One" + ";" * 300 + "\n"
                    + "S2;Two" + ";" * 150 + "x\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        read_rows(path)
    assert caught.value.errors == [(3, "column 152", f"a value in column 152 (EV): a file to "
                                                     f"import has at most {width} columns")]
    path.write_text("number;full_name" + ";" * 300 + "\nS1;One" + ";" * 300 + "\n",
                    encoding="utf-8")
    assert read_rows(path) == [["number", "full_name"] + [""] * (width - 2),
                               ["S1", "One"] + [""] * (width - 2)]


def test_csv_line_of_millions_of_delimiters_is_refused_reading_little(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(b"number;full_name\n" + b";" * (20 * MB) + b"\n")
    exc = bounded(lambda: read_rows(path), 130)  # the bytes and the text are 20 MB each, no more
    assert where(exc) == [(2, "file")] and "characters" in exc.errors[0][2]


def test_file_larger_than_the_bound_is_refused_before_reading(tmp_path):
    path = tmp_path / "staff.csv"
    with open(path, "wb") as fh:
        fh.truncate(spreadsheet.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    exc = bounded(lambda: read_rows(path), 1)
    assert not isinstance(exc, ImportRejected) and "larger than 64 MB" in str(exc)


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes("number;full_name\nS1;Иван\n".encode("utf-8") + "S2;Пётр\n".encode("cp1251"))
    with pytest.raises(InputError, match=r"not UTF-8 text \(line 3;"):
        read_rows(path)


# --- XLSX bombs -----------------------------------------------------------------------------------

def test_xlsx_inflating_to_hundreds_of_megabytes_is_refused_unread(tmp_path):
    """The 279 MB, 3-million-row workbook took 315 s and 3.3 GB: a few MB packed, refused
    from the sizes the zip declares, before anything is unpacked."""
    block = '<row><c t="inlineStr"><is><t>Иванов Иван Иванович</t></is></c></row>' * 2000
    path = xlsx(tmp_path / "bomb.xlsx", HEADER_ROW, (block for _ in range(1600)), level=9)
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 250 * MB and path.stat().st_size < 4 * MB
    exc = bounded(lambda: read_rows(path), 2)
    assert "zip bomb" in str(exc) and exc.field == "file"


def test_xlsx_unpacking_past_the_bound_is_refused_unread(tmp_path, monkeypatch):
    """A workbook packed as a sheet packs (a ratio under the bound), unpacking past 256 MB:
    the bound lowered for the test, the file built the same way."""
    monkeypatch.setattr(spreadsheet, "MAX_XLSX_BYTES", 2 * MB)
    rng = random.Random(2)
    rows = (row(n, f"S{n}", "".join(rng.choices(string.ascii_letters, k=60)))
            for n in range(2, 40_000))
    path = xlsx(tmp_path / "big.xlsx", HEADER_ROW, rows)
    exc = bounded(lambda: read_rows(path), 1)
    assert "more than the 2 MB a workbook to import may hold" in str(exc)


def test_xlsx_of_more_rows_than_the_bound_stops_reading_at_the_bound(tmp_path):
    """Packed under the ratio and the size bounds, 300,000 rows: read to line 200,001,
    then refused; the rows read are all it held."""
    rows = (f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}" t="inlineStr"><is><t>P{n}</t>'
            f'</is></c></row>' for n in range(2, 300_001))
    path = xlsx(tmp_path / "long.xlsx", HEADER_ROW, rows)
    with pytest.raises(ImportRejected) as caught:
        read_rows(path)
    exc = caught.value
    assert exc.errors == [(200_001, "file", "more than 200,000 lines, the most one import "
                                            "takes: split the file")]


def test_xlsx_row_numbered_past_the_bound_is_refused_without_reading_a_million_rows(tmp_path):
    path = xlsx(tmp_path / "far.xlsx", HEADER_ROW, row(2, "S1", "One"),
                '<row r="1048576"><c r="A1048576"><v>1</v></c></row>')
    exc = bounded(lambda: read_rows(path), 5)
    assert where(exc) == [(1_048_576, "file")]
    styled = xlsx(tmp_path / "styled.xlsx", HEADER_ROW, row(2, "S1", "One"),
                  '<row r="1048576" s="1" customFormat="1"><c r="A1048576" s="1"/></row>')
    assert read_rows(styled) == [["number", "full_name"], ["S1", "One"]]


def test_xlsx_value_far_right_is_refused_a_style_there_ignored(tmp_path):
    """A cell at XFD (column 16,384) made every row 16,384 cells wide."""
    path = xlsx(tmp_path / "wide.xlsx", HEADER_ROW,
                '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>One</t></is>'
                '</c><c r="XFD2" s="1"/></row>',
                '<row r="3"><c r="A3"><v>2</v></c><c r="XFD3"><v>7</v></c></row>')
    with pytest.raises(ImportRejected) as caught:
        read_rows(path)
    assert caught.value.errors == [(3, "column 16384", "a value in column 16384 (XFD): a "
                                                       "file to import has at most 100 columns")]


@pytest.mark.parametrize("sheet, message", [
    ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
     '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
     '</sheetData></worksheet>', "declares a DTD"),
    ("<worksheet><sheetData>" + "<x>" * 100 + "</x>" * 100 + "</sheetData></worksheet>",
     "nests more than 64 deep"),
    ("<worksheet><sheetData><row r='1'><c r='A1'><v>1</v></row></sheetData></worksheet>",
     "is not well-formed XML"),
    ("<worksheet><sheetData><row r='2'/><row r='1'/></sheetData></worksheet>",
     "rows are out of order (row 1 after row 2)"),
    ("<worksheet><sheetData><row r='1'><c r='1A'><v>1</v></c></row></sheetData></worksheet>",
     "a cell at '1A'"),
])
def test_xlsx_hostile_xml_is_refused(tmp_path, sheet, message):
    path = xlsx(tmp_path / "x.xlsx", sheet, head="", tail="")
    with pytest.raises(InputError) as caught:
        read_rows(path)
    assert message in str(caught.value) and caught.value.field == "file"


def test_xlsx_xml_work_is_bounded(tmp_path, monkeypatch):
    """Millions of tiny elements (outside any row, so no line bound stops them): the
    count of elements read is bounded; lowered here to keep the test small."""
    monkeypatch.setattr(spreadsheet, "MAX_XML_ELEMENTS", 10_000)
    path = xlsx(tmp_path / "x.xlsx", HEADER_ROW, "<x/>" * 20_000)
    with pytest.raises(InputError, match="more than 10,000 XML elements"):
        read_rows(path)


def test_xlsx_damaged_cells_are_errors_naming_their_line(tmp_path):
    path = xlsx(tmp_path / "x.xlsx", HEADER_ROW,
                '<row r="2"><c r="A2" t="s"><v>7</v></c><c r="B2" t="b"><v>maybe</v></c></row>'
                '<row r="3"><c r="A3"><v>1</v></c><c r="A3"><v>2</v></c></row>'
                '<row r="4"><c r="A4"><v>nan</v></c><c r="B4"><v>1e999</v></c></row>')
    with pytest.raises(ImportRejected) as caught:
        read_rows(path)
    assert where(caught.value) == [(2, "number"), (2, "full_name"), (3, "number"),
                                   (4, "number"), (4, "full_name")]
    assert "refers to a text the file does not have" in caught.value.errors[0][2]
    assert "two cells" in caught.value.errors[2][2]


@pytest.mark.parametrize("content, message", [
    (b"not a zip", "cannot be read as an XLSX workbook"),
    (b"", "cannot be read as an XLSX workbook"),
])
def test_not_a_workbook(tmp_path, content, message):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_rows(path)


def test_zip_with_a_member_twice_or_too_many_members(tmp_path):
    path = xlsx(tmp_path / "x.xlsx", HEADER_ROW)
    with zipfile.ZipFile(path, "a") as z, pytest.warns(UserWarning, match="Duplicate name"):
        z.writestr("xl/workbook.xml", WORKBOOK)
    with pytest.raises(InputError, match="appears twice"):
        read_rows(path)
    path = xlsx(tmp_path / "y.xlsx", HEADER_ROW)
    with zipfile.ZipFile(path, "a") as z:
        for i in range(spreadsheet.MAX_PARTS):
            z.writestr(f"junk/{i}.bin", b"")
    with pytest.raises(InputError, match="parts; a workbook has a few dozen"):
        read_rows(path)


def test_xlsx_member_lying_about_its_size_is_not_unpacked_past_it(tmp_path):
    """The central directory says 100 bytes, the data inflates to 12 MB: zipfile stops at
    the declared size (and finds the CRC wrong), so the declared sizes the bounds are
    checked against bound what is unpacked."""
    path = tmp_path / "x.xlsx"
    name = "xl/worksheets/sheet1.xml"
    xlsx(path, HEADER_ROW, "<x/>" * (3 * MB))
    with zipfile.ZipFile(path) as z:  # again, without zip64: sizes in the header itself
        parts = {n: z.read(n) for n in z.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, content in parts.items():
            z.writestr(n, content)
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")  # the first entry of the central directory
    while data[central + 46:central + 46 + len(name)] != name.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    assert int.from_bytes(data[central + 24:central + 28], "little") > 12 * MB
    data[central + 24:central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    exc = bounded(lambda: read_rows(path), 3)
    assert "cannot be read as an XLSX workbook" in str(exc) and "CRC" in str(exc)


# --- the XLSX reader reads what openpyxl reads --------------------------------------------------------

def trimmed(rows):
    out = [list(r) for r in rows]
    for r in out:
        while r and r[-1] is None:
            r.pop()
    while out and not out[-1]:
        out.pop()
    return out


@pytest.mark.parametrize("write_only", [False, True])
@pytest.mark.parametrize("epoch1904", [False, True])
def test_xlsx_reader_reads_what_openpyxl_reads(tmp_path, write_only, epoch1904):
    book = openpyxl.Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    if epoch1904:
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    data = [["number", "full_name", "hired_on", "flag", "ratio", "when", "time"],
            [1001, "Айгерим Сатпаева", dt.date(2015, 9, 1), True, 0.25, dt.datetime(2026, 3, 2, 9, 30),
             dt.time(9, 45)],
            [],
            ["A-2", "Ivan <Petrov> & Co", dt.datetime(2026, 3, 2), False, -3, None, None],
            [None, None, None, None, None, None, "x" * 300],
            [12345678901234, "  spaced  ", "2026-03-02", "=not a formula", 1e-7, 2.5e300]]
    for r in data:
        sheet.append(r)
    if not write_only:
        sheet["J9"] = "far"
        sheet["C12"] = "=1+1"  # a formula with no cached value: None, as openpyxl gives
        sheet["D12"].number_format = "dd.mm.yyyy"
        sheet["D12"] = 45000
        sheet["E12"].number_format = "[h]:mm:ss"
        sheet["E12"] = 1.5
    book.save(tmp_path / "w.xlsx")
    theirs = openpyxl.load_workbook(tmp_path / "w.xlsx", read_only=True, data_only=True)
    expected = trimmed(theirs.worksheets[0].iter_rows(values_only=True))
    theirs.close()
    assert trimmed(read_rows(tmp_path / "w.xlsx")) == expected


def test_xlsx_shared_strings_read_as_openpyxl_reads_them(tmp_path):
    """Shared strings (what Excel writes; openpyxl writes inline strings), rich text runs
    and a phonetic guide left out, dates by a custom format, booleans, errors."""
    donor = openpyxl.Workbook()  # its styles: 1 a custom date format, 2 a built-in one
    donor.active["A1"].number_format = "dd.mm.yyyy"
    donor.active["A2"].number_format = "mm-dd-yy"
    donor.active["A1"] = donor.active["A2"] = 1
    donor.save(tmp_path / "donor.xlsx")
    with zipfile.ZipFile(tmp_path / "donor.xlsx") as z:
        styles = z.read("xl/styles.xml")
    assert b'formatCode="dd.mm.yyyy"' in styles
    path = xlsx(tmp_path / "w.xlsx",
                '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                '<c r="C1" t="s"><v>2</v></c></row>'
                '<row r="3" spans="1:6"><c r="A3" t="s"><v>3</v></c><c r="B3" s="1"><v>45000</v></c>'
                '<c r="C3" s="2"><v>45000.5</v></c><c r="D3" t="b"><v>1</v></c>'
                '<c r="E3" t="e"><v>#N/A</v></c><c r="F3" t="str"><f>A1</f><v>number</v></c></row>',
                shared="<si><t>number</t></si><si><t xml:space='preserve'> full name </t></si>"
                       "<si><r><rPr><b/></rPr><t>Айгерим </t></r><r><t>Сатпаева</t></r>"
                       "<rPh sb='0' eb='1'><t>ignored</t></rPh></si><si><t>S&amp;1</t></si>")
    with zipfile.ZipFile(path, "a") as z:
        z.writestr("xl/styles.xml", styles)  # no relationship: openpyxl reads it by its name
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    expected = trimmed(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert trimmed(read_rows(path)) == expected
    assert read_rows(path)[2][:3] == ["S&1", dt.datetime(2023, 3, 15), dt.datetime(2023, 3, 15, 12)]


def test_xlsx_first_worksheet_found_through_the_relationships(tmp_path):
    """The workbook's first sheet, wherever its part is (an absolute target, another
    name), with prefixed element names as some writers give them."""
    path = tmp_path / "w.xlsx"
    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES.replace(
            "</Types>", '<Override PartName="/xl/people.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{main_ns}" xmlns:r="{rel}"><sheets>'
                                      f'<sheet name="People" sheetId="2" r:id="rId7"/>'
                                      f'<sheet name="Notes" sheetId="1" r:id="rId1"/>'
                                      f'</sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId7" Type="{rel}/worksheet" Target="/xl/people.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", SHEET_HEAD + row(1, "ignored") + SHEET_TAIL)
        z.writestr("xl/people.xml", f'<x:worksheet xmlns:x="{main_ns}"><x:sheetData>'
                                    '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>number'
                                    '</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>7'
                                    '</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    assert read_rows(path) == [["number"], [7]]
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    assert [list(r) for r in book.worksheets[0].iter_rows(values_only=True)] == [["number"], [7]]
    book.close()


# --- errors listed: the first hundred and the total ---------------------------------------------

def hundred_and_fifty_bad(tmp_path):
    return write_csv(tmp_path / "bad.csv", [["number", "full_name"]]
                     + [[f"S{i}", ""] for i in range(150)])


def test_errors_listed_are_the_first_hundred_by_line_all_counted(civil, tmp_path):
    lines = [["number", "full_name", "manager"]]
    lines += [[f"S{i}", "Name", "NOBODY"] for i in range(300)]  # found after every row
    lines += [["", "", ""]] * 3 + [["T0", "Name", ""]]
    lines[150] = ["S149x", "", ""]  # found as the rows are read
    exc = rejected(civil, write_csv(tmp_path / "bad.csv", lines))
    assert exc.total == 300 and exc.more == 200 and len(exc.errors) == 100
    assert [line for line, *_ in exc.errors] == list(range(2, 102))
    assert str(exc) == "300 error(s) in the file; nothing was imported"


def test_cli_lists_the_first_hundred_errors_and_the_total_and_writes_nothing(civil, app, tmp_path):
    path = hundred_and_fifty_bad(tmp_path)
    before = state(civil)
    out = CliRunner().invoke(main, ["person", "import", str(path), "--tenant", civil],
                             obj={"lang": "en"})
    assert out.exit_code == 2
    listed = re.findall(r"^line (\d+), full_name: a full name is required$", out.stderr, re.M)
    assert listed == [str(n) for n in range(2, 102)]
    assert "... and 50 more error(s), not listed" in out.stderr
    assert "150 error(s) in the file; nothing was imported" in out.stderr
    out = CliRunner().invoke(main, ["person", "import", str(path), "--tenant", civil, "--json"],
                             obj={"lang": "en"})
    report = json.loads(out.stdout)
    assert out.exit_code == 2 and report["total"] == 150 and len(report["errors"]) == 100
    assert state(civil) == before


def test_cli_refuses_a_bomb_with_exit_2(civil, app, tmp_path):
    block = "<row><c><v>1</v></c></row>" * 5000
    path = xlsx(tmp_path / "bomb.xlsx", HEADER_ROW, (block for _ in range(100)), level=9)
    out = CliRunner().invoke(main, ["person", "import", str(path), "--tenant", civil],
                             obj={"lang": "en"})
    assert out.exit_code == 2 and "zip bomb" in out.output and "Traceback" not in out.output


# --- the admin's preview -----------------------------------------------------------------------------

PASSWORD = "correct horse 1"


@pytest.fixture
def web(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        services.create_tenant("ru", "Агентство", "civil_service_2013", actor="test", locale="ru")
        services.users.create_user("hr@ru.kz", "hr", PASSWORD)
        services.users.grant("hr@ru.kz", "ru", "hr_officer")
    yield app
    with app.app_context():
        db.engine.dispose()


def login(app):
    client = app.test_client()
    assert client.post("/login", data={"email": "hr@ru.kz", "password": PASSWORD}).status_code == 302
    return client


def upload(client, content: bytes, name: str):
    return client.post("/t/ru/people/import", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name)})


def test_preview_lists_the_first_hundred_errors_and_how_many_more_in_russian(web, tmp_path):
    client = login(web)
    response = upload(client, hundred_and_fifty_bad(tmp_path).read_bytes(), "staff.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert len(re.findall(r'<tr class="violation">', page)) == 100
    assert "Ошибок в файле: 150." in page
    assert "Показаны первые 100 ошибок; ещё 50 не показаны." in page


def test_preview_refuses_a_bomb_and_lists_a_bounded_number_of_rows(web, tmp_path):
    client = login(web)
    block = "<row><c><v>1</v></c></row>" * 5000
    bomb = xlsx(tmp_path / "bomb.xlsx", HEADER_ROW, (block for _ in range(100)), level=9)
    response = upload(client, bomb.read_bytes(), "staff.xlsx")
    assert response.status_code == 422 and "zip bomb" in response.get_data(as_text=True)
    many = write_csv(tmp_path / "many.csv", [["number", "full_name"]]
                     + [[f"S{i:04d}", f"P {i}"] for i in range(1200)])
    response = upload(client, many.read_bytes(), "staff.csv")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:1000]
    assert len(re.findall(r'<tr class="create">', page)) == 1000
    assert "Показаны первые 1000 строк из 1200." in page


# --- the work-standards scheme import reads through the same bounds -------------------------------

def test_scheme_import_refuses_a_hostile_file_with_its_line_and_cell(app, tmp_path):
    prosecutors()
    path = tmp_path / "scheme.csv"
    lines = [",".join(SCHEME_HEADER)] + [",".join(str(c) for c in r) for r in SCHEME_ROWS]
    lines[2] = lines[2].replace("Draft", '"Draft', 1)  # a quote never closed
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with services.tenant("pros", "test") as t, pytest.raises(ws.SchemeRejected) as caught:
        ws.import_scheme(t, path, "assistant prosecutor", "appeals")
    assert caught.value.errors == [(3, "", "file", "a quote opened on this line is never closed")]
    long = tmp_path / "long.csv"
    long.write_text(",".join(SCHEME_HEADER) + "\nAppeals,A1," + "r" * 40_000 + ",90,x\n",
                    encoding="utf-8")
    with services.tenant("pros", "test") as t, pytest.raises(ws.SchemeRejected) as caught:
        ws.import_scheme(t, long, "assistant prosecutor", "appeals")
    assert [(line, cell, field) for line, cell, field, _ in caught.value.errors] == [
        (2, "C2", "action")]
