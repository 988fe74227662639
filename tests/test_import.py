"""person import: CSV and XLSX files checked as a whole, then written in one transaction."""

import datetime as dt
import json

import openpyxl
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main
from nastavnik.services.importing import ImportRejected, check_import, import_people
from nastavnik.storage.models import AuditEntry, Person, db

BOSS_ATTRS = {"public_service_start": "2010-01-01",
              "last_assessment": {"year": 2025, "mark": "effective"}}


@pytest.fixture
def civil(app):
    services.create_tenant("cs", "Civil", "civil_service_2013", actor="test")
    with services.tenant("cs", "test") as t:
        services.add_person(t, number="M1", full_name="Boss", unit="HQ", attributes=BOSS_ATTRS)
    return "cs"


def write_csv(path, lines, delimiter=";", bom=True):
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def people(slug) -> dict:
    with services.tenant(slug, "test") as t:
        return {p.number: services.people.person_dict(t, p) for p in services.list_people(t)}


def audit_count(slug) -> int:
    with services.tenant(slug, "test"):
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))


def do_import(slug, source, **kw):
    with services.tenant(slug, "hr:import") as t:
        return import_people(t, source, **kw)


def test_csv_with_semicolons_bom_dotted_columns_and_types(civil, tmp_path):
    path = write_csv(tmp_path / "staff.csv", [
        ["number", "full_name", "unit", "manager", "hired_on", "corps", "category",
         "first_appointment", "prior_service_months", "last_assessment.year",
         "last_assessment.mark", "disciplinary_penalties"],
        ["S1", "Айгерим Сатпаева", "Отдел 1", "M1", "02.03.2026", "B", "C-5", "да", "", "", "",
         ""],
        ["S2", "Ivan Petrov", "", "", "2026-03-02", "", "", "no", "14", "2025", "effective",
         '"[{""kind"": ""reprimand"", ""imposed"": ""2024-05-01""}]"'],
    ])
    result = do_import(civil, path)
    assert (result.created, result.updated) == (2, 0)
    staff = people(civil)
    s1, s2 = staff["S1"], staff["S2"]
    assert s1["full_name"] == "Айгерим Сатпаева" and s1["unit"] == "Отдел 1"
    assert s1["manager"] == "M1" and s1["hired_on"] == dt.date(2026, 3, 2)
    # empty cells are left out, not stored as empty strings
    assert s1["attributes"] == {"corps": "B", "category": "C-5", "first_appointment": True}
    assert s2["unit"] is None and s2["manager"] is None
    assert s2["attributes"] == {
        "first_appointment": False, "prior_service_months": 14,
        "last_assessment": {"year": 2025, "mark": "effective"},
        "disciplinary_penalties": [{"kind": "reprimand", "imposed": "2024-05-01"}]}


def test_csv_with_commas_and_no_bom(civil, tmp_path):
    path = write_csv(tmp_path / "staff.csv", [["number", "full_name", "first_appointment"],
                                              ["S1", "New", "иә"], ["S2", "Other", "жоқ"]],
                     delimiter=",", bom=False)
    assert do_import(civil, path).created == 2
    staff = people(civil)
    assert staff["S1"]["attributes"] == {"first_appointment": True}
    assert staff["S2"]["attributes"] == {"first_appointment": False}


def test_xlsx_with_attributes_column(app, tmp_path):
    services.create_tenant("pr", "Prosecutors", "prosecutor_2022", actor="test")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["number", "full_name", "position", "manager", "hired_on", "attributes",
                  "prior_service_months", "head_or_deputy"])
    sheet.append([1001, "Chief", "District prosecutor", None, dt.date(2015, 9, 1),
                  json.dumps({"entry_route": "competition", "position_level": "district_prosecutor",
                              "awards": [{"name": "Medal", "date": "2020-12-16"}]}), 30, True])
    sheet.append([])  # an empty row is skipped, yet counts for the line numbers
    sheet.append([1002, "Trainee", None, 1001, dt.datetime(2026, 3, 2), None, None, "нет"])
    book.save(tmp_path / "staff.xlsx")

    result = do_import("pr", tmp_path / "staff.xlsx")
    assert (result.created, result.updated) == (2, 0)
    staff = people("pr")
    assert staff["1001"]["hired_on"] == dt.date(2015, 9, 1)
    assert staff["1001"]["attributes"] == {
        "entry_route": "competition", "position_level": "district_prosecutor",
        "awards": [{"name": "Medal", "date": "2020-12-16"}], "prior_service_months": 30,
        "head_or_deputy": True}
    assert staff["1002"]["manager"] == "1001" and staff["1002"]["attributes"] == {
        "head_or_deputy": False}


def test_xlsx_errors_carry_the_sheet_row_numbers(app, tmp_path):
    services.create_tenant("pr", "Prosecutors", "prosecutor_2022", actor="test")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["number", "full_name", "entry_route"])
    sheet.append(["1", "Good", "academy"])
    sheet.append([])
    sheet.append(["2", "Bad", "school"])
    book.save(tmp_path / "staff.xlsx")
    with pytest.raises(ImportRejected) as caught:
        do_import("pr", tmp_path / "staff.xlsx")
    [(line, field, message)] = caught.value.errors
    assert (line, field) == (4, "entry_route") and "'school' is not one of" in message


def test_bad_rows_are_all_reported_and_nothing_is_written(civil, tmp_path):
    path = write_csv(tmp_path / "staff.csv", [
        ["number", "full_name", "manager", "hired_on", "last_assessment.year",
         "last_assessment.mark", "first_appointment", "salary"],
        ["S1", "Fine", "M1", "", "", "", "yes", ""],
        ["S2", "Bad mark", "", "", "2025", "good", "", ""],
        ["S3", "Bad year", "", "", "twenty", "effective", "", ""],
        ["S1", "Twice", "", "", "", "", "", ""],
        ["S4", "", "", "", "", "", "", ""],
        ["S5", "Lost", "NOBODY", "", "", "", "", ""],
        ["S6", "Maybe", "", "2026-02-30", "", "", "maybe", ""],
        ["M1", "Boss updated", "", "", "2025", "", "", ""],
    ])
    before = people(civil), audit_count(civil)
    with pytest.raises(ImportRejected) as caught:
        do_import(civil, path)
    errors = {(line, field): message for line, field, message in caught.value.errors}
    assert set(errors) == {
        (1, "salary"), (3, "last_assessment.mark"), (4, "last_assessment.year"), (5, "number"),
        (6, "full_name"), (7, "manager"), (8, "hired_on"), (8, "first_appointment"),
        (9, "last_assessment")}
    assert "unknown column" in errors[1, "salary"]
    assert "'good' is not one of" in errors[3, "last_assessment.mark"]
    assert "'twenty' is not a number" in errors[4, "last_assessment.year"]
    assert "also on line 2" in errors[5, "number"]
    assert "'NOBODY'" in errors[7, "manager"]
    assert "'2026-02-30' is not a date" in errors[8, "hired_on"]
    assert "'mark' is a required property" in errors[9, "last_assessment"]
    assert [e[0] for e in caught.value.errors] == sorted(e[0] for e in caught.value.errors)
    assert (people(civil), audit_count(civil)) == before


def test_every_bad_cell_of_a_row_is_reported(civil, tmp_path):
    path = write_csv(tmp_path / "staff.csv", [
        ["number", "full_name", "first_appointment", "prior_service_months", ""],
        ["S1", "", "perhaps", "1.5", "stray"],
    ])
    with pytest.raises(ImportRejected) as caught:
        do_import(civil, path)
    assert [(line, field) for line, field, _ in caught.value.errors] == [
        (2, "first_appointment"), (2, "prior_service_months"), (2, "column 5"),
        (2, "full_name")]


def test_existing_people_are_updated(civil, tmp_path):
    path = write_csv(tmp_path / "staff.csv", [
        ["number", "full_name", "unit", "public_service_start", "last_assessment.year",
         "last_assessment.mark"],
        ["M1", "Boss", "Department 2", "2010-01-01", "2025", "effective"],
        ["S1", "New", "Department 2", "", "", ""],
    ])
    audits = audit_count(civil)
    result = do_import(civil, path)
    assert (result.created, result.updated) == (1, 1)
    staff = people(civil)
    assert staff["M1"]["unit"] == "Department 2" and staff["M1"]["attributes"] == BOSS_ATTRS
    assert len(staff) == 2
    with services.tenant(civil, "test"):
        entries = db.session.execute(sa.select(AuditEntry.action, AuditEntry.actor)
                                     .where(AuditEntry.entity == "person")).all()
    # the two people, and a version of each (M1's of today replaces the one he was
    # added with today)
    assert audit_count(civil) == audits + 4
    assert sorted(action for action, actor in entries if actor == "hr:import") == [
        "create", "update"]

    # the same file again changes nothing, so the audit trail gets nothing
    assert (do_import(civil, path).created, audit_count(civil)) == (0, audits + 4)


def test_check_import_previews_and_writes_nothing(civil, tmp_path):
    path = write_csv(tmp_path / "staff.csv", [
        ["number", "full_name", "unit"], ["S1", "New", "A"], ["", "", ""], ["M1", "Boss", "B"]])
    audits = audit_count(civil)
    with services.tenant(civil, "hr:import") as t:
        plan = check_import(t, path)
    assert [(line, p["number"], p["unit"], new) for line, p, new in plan] == [
        (2, "S1", "A", True), (4, "M1", "B", False)]
    assert set(people(civil)) == {"M1"} and audit_count(civil) == audits


def test_managers_may_be_defined_later_in_the_file(civil, tmp_path):
    path = write_csv(tmp_path / "staff.csv", [
        ["number", "full_name", "manager"],
        ["S1", "Subordinate", "H1"],  # manager defined below
        ["M1", "Boss", "H1"],  # an existing person under a new manager
        ["H1", "Head", ""],
        ["S2", "Other", "H1"],  # manager defined above
    ])
    assert do_import(civil, path).created == 3
    staff = people(civil)
    assert {n: p["manager"] for n, p in staff.items()} == {"S1": "H1", "M1": "H1", "H1": None,
                                                           "S2": "H1"}
    with services.tenant(civil, "test"):
        s1 = db.session.scalar(sa.select(Person.id).where(Person.number == "S1"))
        trail = db.session.execute(sa.select(AuditEntry.action, AuditEntry.after)
                                   .where(AuditEntry.entity_id == str(s1))).all()
    # the audit trail shows the manager set after everyone was created
    assert [action for action, _ in trail] == ["create", "update"]
    assert {after["manager_id"] for _, after in trail} == {None, trail[-1][1]["manager_id"]}


def test_progress_and_batched_queries(civil, tmp_path):
    """600 rows: more than one flush batch, yet a handful of SELECTs, not one per row."""
    rows = [["number", "full_name", "manager"]]
    rows += [[f"S{i:04d}", f"Person {i}", "M1" if i % 2 else f"S{i + 1:04d}"]
             for i in range(600)]
    rows[-1][2] = "M1"
    selects, steps = [], []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = do_import(civil, rows, progress=steps.append)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert result.created == 600
    assert sum(steps) == 2 * 600
    assert len(selects) < 10, selects
    assert sum(1 for p in people(civil).values() if p["manager"] == "M1") == 300


def test_empty_and_unknown_files(civil, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(services.people.InputError, match="empty"):
        do_import(civil, empty)
    with pytest.raises(services.people.InputError, match=r"\.csv or \.xlsx"):
        do_import(civil, tmp_path / "staff.ods")
    with pytest.raises(ImportRejected) as caught:
        do_import(civil, [["full_name", "unit"]])
    assert caught.value.errors == [(1, "number", "the column is missing")]


# --- the command line ------------------------------------------------------------------------

def run(app, *args):
    return CliRunner().invoke(main, list(args), obj={"lang": "en"})


def test_cli_import_and_rejection(civil, app, tmp_path):
    good = write_csv(tmp_path / "good.csv", [["number", "full_name", "manager"],
                                             ["S1", "New", "M1"], ["M1", "Boss", ""]])
    out = run(app, "person", "import", str(good), "--tenant", civil, "--actor", "hr:cli")
    assert out.exit_code == 0, out.output
    assert "1 created, 1 updated" in out.output
    with services.tenant(civil, "test"):
        assert db.session.scalar(sa.select(AuditEntry.actor).where(
            AuditEntry.entity == "person", AuditEntry.action == "create",
            AuditEntry.actor != "test")) == "hr:cli"

    bad = write_csv(tmp_path / "bad.csv", [
        ["number", "full_name", "last_assessment.year", "last_assessment.mark"],
        ["S2", "Other", "2025", "good"], ["S3", "", "", ""]])
    before = people(civil), audit_count(civil)
    out = run(app, "person", "import", str(bad), "--tenant", civil)
    assert out.exit_code == 2, out.output
    assert "line 2, last_assessment.mark: 'good' is not one of" in out.output
    assert "line 3, full_name: a full name is required" in out.output
    assert (people(civil), audit_count(civil)) == before

    out = run(app, "person", "import", str(bad), "--tenant", civil, "--json")
    assert out.exit_code == 2
    assert [(e["line"], e["field"]) for e in json.loads(out.stdout)["errors"]] == [
        (2, "last_assessment.mark"), (3, "full_name")]
    out = run(app, "person", "import", str(good), "--tenant", civil, "--json")
    assert json.loads(out.output) == {"created": 0, "updated": 2}


def test_cli_large_file_shows_progress(civil, app, tmp_path):
    rows = [["number", "full_name", "manager"]]
    rows += [[f"S{i:04d}", f"P {i}", "M1"] for i in range(250)]
    path = write_csv(tmp_path / "big.csv", rows, delimiter=",")
    out = run(app, "person", "import", str(path), "--tenant", civil)
    assert out.exit_code == 0, out.output
    assert "Importing" in out.stderr and "250 created, 0 updated" in out.stdout
