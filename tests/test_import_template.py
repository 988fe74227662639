"""The staff import lists every error of a row (a bad date no longer hides the rest), and
gives a file to fill in per regime (XLSX with labelled columns, CSV) whose example row
imports as it is. Through the services and the admin."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest

from nastavnik import services
from nastavnik.core import registry
from nastavnik.services import import_template
from nastavnik.services.importing import ImportRejected, check_import
from nastavnik.synthetic import profile_for

from test_web_people import client_of, text, upload, web  # noqa: F401  (the fixture)

REGIMES = registry.available()


def _errors(slug, rows):
    with services.tenant(slug, "hr") as t:
        with pytest.raises(ImportRejected) as rejected:
            check_import(t, rows)
    return [(line, field) for line, field, _message in rejected.value.errors]


def test_every_error_of_a_row_is_listed(app):
    services.create_tenant("cs", "Civil", "civil_service_2013", actor="test")
    rows = [["number", "full_name", "manager", "hired_on", "corps", "last_assessment.year",
             "prior_service_months"],
            ["N1", "", "N1", "31.02.2026", "Z", "1800", "many"]]
    errors = _errors("cs", rows)
    # the date and the number that cannot be read, and everything else wrong with the row
    for expected in ((2, "hired_on"), (2, "prior_service_months"), (2, "full_name"),
                     (2, "manager"), (2, "corps")):
        assert expected in errors, errors
    assert any(line == 2 and field.startswith("last_assessment") for line, field in errors)
    # a cell that cannot be read is said once, not again as left out
    assert errors.count((2, "prior_service_months")) == 1


def test_an_unreadable_attribute_is_not_reported_again_as_missing(app):
    services.create_tenant("cs", "Civil", "civil_service_2013", actor="test")
    errors = _errors("cs", [["number", "full_name", "last_assessment.year", "last_assessment.mark"],
                            ["N1", "One", "soon", "effective"]])
    assert errors == [(2, "last_assessment.year")]


@pytest.mark.parametrize("regime", REGIMES)
def test_the_template_s_example_row_imports_as_it_is(app, regime, tmp_path):
    services.create_tenant("body", "Body", regime, actor="test",
                           settings=profile_for(regime).settings)
    with services.tenant("body", "hr") as t:
        for fmt in ("xlsx", "csv"):
            doc = import_template.import_template(t, fmt, "ru")
            path = tmp_path / doc.filename
            path.write_bytes(doc.content)
            [(line, clean, new)] = check_import(t, str(path))
            assert line == 2 and new and clean["number"] == "T-0001"
            assert clean["full_name"] == "Иванов Иван Иванович"
        columns, example, labels = import_template.template_table(t, "kk")
    attributes = [c for c in columns if c not in import_template.BASE]
    assert attributes and any(v not in ("", None) for c, v in zip(columns, example)
                              if c in attributes)
    assert [c for c, *_ in labels] == columns
    assert all(title for _c, title, _h, _r in labels)


def test_the_xlsx_template_labels_its_columns(app):
    services.create_tenant("cs", "Civil", "civil_service_2013", actor="test")
    with services.tenant("cs", "hr") as t:
        doc = import_template.import_template(t, "xlsx", "ru")
    book = openpyxl.load_workbook(io.BytesIO(doc.content))
    people, listing = book.worksheets
    header = [c.value for c in people[1]]
    assert header[:2] == ["number", "full_name"] and "last_assessment.year" in header
    assert people["A1"].comment.text.startswith("Табельный номер")
    rows = {r[0]: r for r in listing.iter_rows(min_row=2, values_only=True)}
    assert rows["number"][1] == "Табельный номер" and rows["number"][3] == "да"
    assert rows["hired_on"][2] == "ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"
    assert set(rows) == set(header)
    with pytest.raises(Exception):
        with services.tenant("cs", "hr") as t:
            import_template.import_template(t, "pdf")


def test_the_import_page_offers_the_template_and_lists_every_error(web):  # noqa: F811
    client = client_of(web, "hr@alpha.kz")
    page = text(client.get("/t/alpha/people/import"))
    assert "/t/alpha/people/import/template?format=xlsx" in page
    assert "/t/alpha/people/import/template?format=csv" in page
    response = client.get("/t/alpha/people/import/template?format=csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:2] == ["number", "full_name"] and rows[1][:2] == ["T-0001", "Ivan Ivanov"]
    assert client.get("/t/alpha/people/import/template?format=pdf").status_code == 404
    # the example imports: sent back as it is, it is previewed with no error
    preview = upload(client, response.get_data(), "template.csv")
    assert preview.status_code == 200 and "has no errors" in text(preview)
    bad = ("number;full_name;hired_on;corps;prior_service_months\n"
           "N9;;31.02.2026;Z;many\n").encode()
    page = text(upload(client, bad))
    # each error names its column as the form labels it, with the file's heading beside it
    found = {heading or label for label, heading in re.findall(
        r'<tr class="violation"><td>2</td><td>([^<]*?)(?: <code class="muted">([^<]+)</code>)?</td>',
        page)}
    assert {"full_name", "hired_on", "corps", "prior_service_months"} <= found, found
