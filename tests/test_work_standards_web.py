"""The admin's work-standards pages on SQLite and PostgreSQL: the schemes list and a
version's detail, the XLSX upload with its error preview (line and cell), confirmation,
approval, recording work, a person's workload (the hand-computed case of
tests/test_work_standards.py: 68 h / 120 h = 56.7 %, 48 / 54 = 88.9 %), the unit's staff
number (0.89), the evaluation page and the stage-3 section of the mentorship page; the bar's
link only for regimes with work standards, viewers may not write."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

from test_work_standards import HEADER, ROWS, prosecutors

import openpyxl

PASSWORD = "correct horse 1"


@pytest.fixture
def web(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "UPLOAD_FOLDER": str(tmp_path / "up")})
    with app.app_context():
        prosecutors()
        services.update_tenant("pros", "test", locale="en")
        services.create_tenant("cs", "Civil service body", "civil_service_2013", actor="test",
                               locale="en")
        for email, tenant, role in (("hr@pros.kz", "pros", "hr_officer"),
                                    ("view@pros.kz", "pros", "viewer"),
                                    ("hr@cs.kz", "cs", "hr_officer")):
            services.users.create_user(email, email.split("@")[0], PASSWORD)
            services.users.grant(email, tenant, role)
        with services.tenant("pros", "test") as t:
            services.add_person(t, number="M-1", full_name="Mentor", attributes={
                "prosecution_service_start": "2010-01-01", "position_level": "district_prosecutor"})
            services.save_person(t, {"number": "P-1", "full_name": "Aigerim", "unit": "Appeals unit",
                                     "position": "assistant prosecutor",
                                     "attributes": {"entry_route": "competition",
                                                    "first_entry": True},
                                     "valid_from": "2026-03-01"})  # recorded from 1 March
            app.mid = str(services.assign_mentor(t, "P-1", "M-1", dt.date(2026, 3, 2),
                                                 order_number="15",
                                                 order_date=dt.date(2026, 3, 2))[0].id)
    yield app
    with app.app_context():
        db.engine.dispose()


def client_of(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def workbook(rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def test_upload_preview_confirm_approve_record_and_workload(web):
    c = client_of(web, "hr@pros.kz")
    page = c.get("/t/pros/work-standards")
    assert page.status_code == 200 and "No scheme yet." in text(page)
    assert 'href="/t/pros/work-standards"' in page.get_data(as_text=True)  # the bar's link
    bad = workbook([HEADER, ROWS[0], ["Appeals", "A2", "Draft", "two hours", "Reasoned"]])
    r = c.post("/t/pros/work-standards/import", content_type="multipart/form-data", data={
        "file": (bad, "scheme.xlsx"), "position": "assistant prosecutor", "direction": "appeals"})
    assert r.status_code == 422
    assert "The file has 1 error(s)" in text(r) and "D3" in text(r) and "'two hours'" in text(r)
    r = c.post("/t/pros/work-standards/import", content_type="multipart/form-data", data={
        "file": (workbook([HEADER, *ROWS]), "scheme.xlsx"), "position": "assistant prosecutor",
        "direction": "appeals"})
    assert r.status_code == 200 and "scheme.xlsx has no errors" in text(r)
    assert "Review a citizen's appeal" in text(r)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', r.get_data(as_text=True))[1]
    r = c.post("/t/pros/work-standards/import/confirm", data={
        "token": token, "position": "assistant prosecutor", "direction": "appeals",
        "filename": "scheme.xlsx"})
    assert r.status_code == 302
    scheme = re.search(r"scheme=([0-9a-f-]{36})", r.headers["Location"])[1]
    r = c.get(f"/t/pros/work-standards?scheme={scheme}")
    assert "a draft, not approved" in text(r) and "Approve this version" in text(r)
    r = c.post("/t/pros/work-standards/approve", data={
        "scheme": scheme, "approved_by": "Head of department", "approved_on": "2026-02-20",
        "in_force_from": "2026-03-01", "hr_coordinated_by": "HR department"})
    assert r.status_code == 302
    r = c.get(f"/t/pros/work-standards?scheme={scheme}")
    assert "approved by Head of department on 2026-02-20, in force from 2026-03-01" in text(r)
    for action, count, met in (("A1", 20, 18), ("A2", 10, ""), ("A3", 24, 20)):
        r = c.post("/t/pros/work-standards/records", data={
            "person": "P-1", "action": action, "start": "2026-03-02", "end": "2026-03-31",
            "count": count, "results_met": met})
        assert r.status_code == 302, text(r)[-600:]
    r = c.post("/t/pros/work-standards/records", data={
        "person": "P-1", "action": "A9", "start": "2026-03-02", "end": "2026-03-31", "count": 1})
    assert r.status_code == 422 and "no action 'A9' in an approved scheme" in text(r)
    # the list of work recorded is paged (two a page here, a hundred in use)
    from nastavnik.web.admin import work_standards as pages
    per_page, pages.RECORDS_PER_PAGE = pages.RECORDS_PER_PAGE, 2
    try:
        first, second = text(c.get("/t/pros/work-standards/records")), \
            text(c.get("/t/pros/work-standards/records?page=2"))
    finally:
        pages.RECORDS_PER_PAGE = per_page
    assert first.count("Aigerim (P-1)") == 2 and 'rel="next"' in first
    assert second.count("Aigerim (P-1)") == 1 and 'rel="prev"' in second and 'rel="next"' not in second
    r = c.get("/t/pros/work-standards/workload?person=P-1&from=2026-03-02&to=2026-03-31")
    assert r.status_code == 200
    page = text(r)
    assert "56.7%" in page and "88.9%" in page and "(48 / 54)" in page
    assert "20×90 + 10×120 + 24×45 = 4080 min = 68 h" in page
    r = c.get("/t/pros/work-standards/workload?unit=Appeals+unit&from=2026-03-02&to=2026-03-31")
    assert "= 0.47 staff units" in text(r)  # 68 h / (18 x 8 = 144 h) = 0.472...
    r = c.get(f"/t/pros/mentorships/{web.mid}?as_of=2026-03-31")
    assert "Evaluation of the mentee" in text(r) and "56.7%" in text(r)
    r = c.post(f"/t/pros/mentorships/{web.mid}/assessment", data={
        "role": "manager", "assessed_on": "2026-03-31", "conclusion": "Meets the position"})
    assert r.status_code == 302
    r = c.get(f"/t/pros/mentorships/{web.mid}/evaluation?as_of=2026-03-31")
    page = text(r)
    assert "Meets the position" in page and "56.7%" in page and "Not recorded yet." in page


def test_viewers_read_and_other_regimes_have_no_pages(web):
    viewer = client_of(web, "view@pros.kz")
    assert viewer.get("/t/pros/work-standards").status_code == 200
    assert viewer.post("/t/pros/work-standards/records", data={}).status_code == 403
    assert viewer.post(f"/t/pros/mentorships/{web.mid}/assessment", data={}).status_code == 403
    other = client_of(web, "hr@cs.kz")
    page = other.get("/t/cs/")
    assert "/t/cs/work-standards" not in page.get_data(as_text=True)
    for url in ("/t/cs/work-standards", "/t/cs/work-standards/records", "/t/cs/work-standards/workload"):
        assert other.get(url).status_code == 404, url
    hr = client_of(web, "hr@pros.kz")
    assert hr.get("/t/pros/work-standards?scheme=00000000-0000-0000-0000-000000000000").status_code == 404
