"""Exports of the compliance report and the lists (issue 7), on SQLite and PostgreSQL: the
same rows as the services return, headings in the language asked, CSV in UTF-8 with a BOM
(Excel reads Cyrillic and Kazakh right), XLSX that openpyxl reads back."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from nastavnik import demo, services
from nastavnik.core.errors import InputError
from nastavnik.services import exports
from nastavnik.services.views import mentorship_rows

AS_OF = dt.date(2026, 3, 16)


@pytest.fixture
def demo_data(app):
    demo.load(AS_OF)
    return app


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_compliance_export_is_the_report(demo_data):
    slug = "demo-prosecutors"
    with services.tenant(slug, "test") as t:
        report = services.compliance_report(t, AS_OF)
        csv_doc = exports.export(t, "compliance", "csv", AS_OF, "kk")
        xlsx_doc = exports.export(t, "compliance", "xlsx", AS_OF, "ru")
    assert csv_doc.filename == f"{slug}-compliance-2026-03-16.csv"
    rows = read_csv(csv_doc.content)
    assert rows[0][:3] == ["Түрі", "Қағида", "Тармақ"]
    body = rows[1:]
    assert len(body) == len(report["findings"]) + len(report["deadlines"]) > 0
    findings = [r for r in body if r[0] == "бұзушылық/ескерту"]
    assert [(r[1], r[2], r[3], r[8]) for r in findings] == \
        [(f["rule"], f["paragraph"], f["severity"], f["message"]["kk"]) for f in report["findings"]]
    deadlines = [r for r in body if r[0] == "мерзім"]
    assert [(r[1], r[5], r[6], r[3]) for r in deadlines] == \
        [(d["rule"], d["kind"], d["due"], d["status"]) for d in report["deadlines"]]
    sheet = read_xlsx(xlsx_doc.content)
    assert sheet[0][:3] == ["Вид", "Правило", "Пункт"] and len(sheet) == len(rows)
    assert [r[8] for r in sheet[1:] if r[0] == "срок"] == \
        [d["message"]["ru"] for d in report["deadlines"]]


def test_people_and_mentorships_exports_are_the_lists(demo_data):
    slug = "demo-civil-service"
    with services.tenant(slug, "test") as t:
        people = [(p.number, p.full_name) for p in services.list_people(t)]
        mentorships = mentorship_rows(t)
        p_rows = read_csv(exports.export(t, "people", "csv", AS_OF, "ru").content)
        m_rows = read_xlsx(exports.export(t, "mentorships", "xlsx", AS_OF, "en").content)
    assert p_rows[0] == ["Таб. №", "ФИО", "Подразделение", "Должность",
                         "Руководитель (таб. №)", "Принят"]
    assert [(r[0], r[1]) for r in p_rows[1:]] == people
    assert any(any(ord(ch) > 0x400 for ch in r[1]) for r in p_rows[1:])  # Cyrillic kept
    assert m_rows[0][:3] == ["Id", "Mentee (number)", "Mentee"]
    assert [(r[0], r[1], r[7]) for r in m_rows[1:]] == \
        [(r["id"], r["mentee"], r["mentor"]) for r in mentorships]


def test_bad_export_requests_are_refused(app):
    services.create_tenant("pros-x", "X", "prosecutor_2022", actor="test")
    with services.tenant("pros-x", "test") as t:
        with pytest.raises(InputError) as e:
            exports.export(t, "salaries", "csv")
        assert e.value.field == "what"
        with pytest.raises(InputError) as e:
            exports.export(t, "people", "ods")
        assert e.value.field == "format"
        # an empty tenant exports its headings only
        assert read_csv(exports.export(t, "people", "csv", lang="en").content) == \
            [["Number", "Full name", "Unit", "Position", "Manager (number)", "Hired on"]]


def test_control_characters_do_not_break_the_xlsx(app):
    """A name with a control character (stored before names refused them) exports; XLSX
    cannot hold the character, so it shows as U+FFFD; CSV keeps it."""
    from nastavnik.services.people import find_person

    services.create_tenant("pros-y", "Y", "prosecutor_2022", actor="test")
    with services.tenant("pros-y", "test") as t:
        services.add_person(t, number="C1", full_name="Ким Ли")
        find_person(t, "C1").full_name = "Ким\x01Ли"  # past the check, as older data is
        t.session.flush()
        sheet = read_xlsx(exports.export(t, "people", "xlsx", lang="ru").content)
        rows = read_csv(exports.export(t, "people", "csv", lang="ru").content)
    assert sheet[1][1] == "Ким\ufffdЛи" and rows[1][1] == "Ким\x01Ли"
