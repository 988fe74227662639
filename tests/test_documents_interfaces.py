"""Each paper from the admin, the CLI and the API (issue 7), on SQLite and PostgreSQL, with
the demo tenants: the download links and files, another tenant's records 404, the
templates page for tenant admins only (a bad upload refused with nothing stored), and the
exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from openpyxl import load_workbook

from nastavnik import demo, services
from nastavnik.cli import main
from nastavnik.services import document_templates
from nastavnik.storage.models import DocumentTemplate, Meeting, Mentorship, Person, db
from nastavnik.web import create_app
from test_documents import _edited, docx_text, needs_libreoffice, pdf_text

AS_OF = dt.date(2026, 3, 16)
PASSWORD = "correct horse battery"
PROS, CIVIL = "demo-prosecutors", "demo-civil-service"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        demo.load(AS_OF)
        for email, slug, role in (("admin@pros.kz", PROS, "tenant_admin"),
                                  ("hr@pros.kz", PROS, "hr_officer"),
                                  ("viewer@pros.kz", PROS, "viewer"),
                                  ("admin@civil.kz", CIVIL, "tenant_admin")):
            services.users.create_user(email, email.split("@")[0], PASSWORD)
            services.users.grant(email, slug, role)
        app.tokens = {who: services.tokens.create_token(f"{who}@pros.kz", "t")[1]
                      for who in ("admin", "hr", "viewer")}
        ids = {}
        for slug in (PROS, CIVIL):
            with services.tenant(slug, "test") as t:
                m = t.session.scalars(sa.select(Mentorship).order_by(Mentorship.start)).first()
                mentee = t.session.get(Person, {"tenant_id": t.tenant.id, "id": m.mentee_id})
                meeting = t.session.scalars(sa.select(Meeting)).first()
                ids[slug] = {"mentorship": str(m.id), "mentee": mentee.full_name,
                             "number": mentee.number,
                             "meeting": str(meeting.id) if meeting else None}
        app.ids = ids
        yield app
        db.session.remove()
        db.engine.dispose()


def login(app, email):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    return client


def _stored():
    with services.tenant(PROS, "test") as t:
        return t.session.scalars(sa.select(DocumentTemplate.paper)).all()


# --- admin -------------------------------------------------------------------------------------

def test_admin_mentorship_page_links_each_paper_and_serves_it(web):
    client = login(web, "hr@pros.kz")
    ids = web.ids[PROS]
    page = client.get(f"/t/{PROS}/mentorships/{ids['mentorship']}").get_data(as_text=True)
    base = f"/t/{PROS}/mentorships/{ids['mentorship']}/paper"
    for paper in ("order", "programme", "mentee_report", "mentor_report"):
        assert f"{base}?paper={paper}&amp;format=docx" in page
        assert f"{base}?paper={paper}&amp;format=pdf" in page
        assert f"{base}?paper={paper}&amp;format=docx&amp;lang=ru" in page  # another language
    assert "council_minutes" not in page
    response = client.get(f"{base}?paper=programme&format=docx&lang=ru")
    assert response.status_code == 200 and response.mimetype == DOCX
    assert "attachment" in response.headers["Content-Disposition"]
    text = docx_text(response.data)
    assert ids["mentee"] in text and "ИНДИВИДУАЛЬНАЯ ПРОГРАММА НАСТАВНИЧЕСТВА" in text
    # the tenant's language (kk) by default
    text = docx_text(client.get(base).data)  # the order, by default
    assert "БҰЙРЫҚ" in text
    # a paper of another regime, or another tenant's mentorship: 404
    assert client.get(f"{base}?paper=plan").status_code == 404
    assert client.get(f"/t/{PROS}/mentorships/{web.ids[CIVIL]['mentorship']}/paper?paper=order"
                      ).status_code == 404


def test_admin_meeting_page_links_the_minutes(web):
    client = login(web, "viewer@pros.kz")  # reading is enough
    meeting = web.ids[PROS]["meeting"]
    page = client.get(f"/t/{PROS}/meetings/{meeting}").get_data(as_text=True)
    assert f"/t/{PROS}/meetings/{meeting}/paper?paper=council_minutes&amp;format=docx" in page
    response = client.get(f"/t/{PROS}/meetings/{meeting}/paper?lang=ru")
    assert response.status_code == 200
    text = docx_text(response.data)
    assert "ПРОТОКОЛ" in text and "пункт 21" in text and "Кворум имеется" in text


def test_admin_pdf(web):
    needs_libreoffice()
    client = login(web, "hr@pros.kz")
    ids = web.ids[PROS]
    response = client.get(f"/t/{PROS}/mentorships/{ids['mentorship']}/paper?format=pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "БҰЙРЫҚ" in pdf_text(response.data)


def test_admin_without_libreoffice_says_so(web, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_SOFFICE", "/nonexistent/soffice")
    client = login(web, "hr@pros.kz")
    ids = web.ids[PROS]
    response = client.get(f"/t/{PROS}/mentorships/{ids['mentorship']}/paper?format=pdf",
                          follow_redirects=True)
    assert response.status_code == 200
    assert "libreoffice-writer-nogui" in response.get_data(as_text=True)


def test_admin_exports(web):
    client = login(web, "viewer@pros.kz")
    assert f"/t/{PROS}/export?what=compliance&amp;format=xlsx" in \
        client.get(f"/t/{PROS}/").get_data(as_text=True)
    assert f"/t/{PROS}/export?what=people&amp;format=csv" in \
        client.get(f"/t/{PROS}/people").get_data(as_text=True)
    assert f"/t/{PROS}/export?what=mentorships&amp;format=csv" in \
        client.get(f"/t/{PROS}/mentorships").get_data(as_text=True)
    response = client.get(f"/t/{PROS}/export?what=people&format=csv")
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert web.ids[PROS]["mentee"] in {r[1] for r in rows[1:]}
    book = load_workbook(io.BytesIO(client.get(f"/t/{PROS}/export?what=mentorships").data))
    values = [c.value for row in book.active.iter_rows() for c in row]
    assert web.ids[PROS]["mentee"] in values
    assert client.get(f"/t/{PROS}/export?what=secrets&format=csv").status_code == 404


def test_admin_templates_page_for_tenant_admins(web):
    for who in ("hr@pros.kz", "viewer@pros.kz"):
        assert login(web, who).get(f"/t/{PROS}/settings/papers").status_code == 403
    client = login(web, "admin@pros.kz")
    page = client.get(f"/t/{PROS}/settings/papers").get_data(as_text=True)
    assert "/settings/papers/template?paper=council_minutes&amp;lang=ru" in page
    assert f"/t/{PROS}/settings/papers" in client.get(f"/t/{PROS}/settings").get_data(as_text=True)
    builtin = client.get(f"/t/{PROS}/settings/papers/template?paper=order&lang=ru").data
    assert "{{ mentor.name }}" in docx_text(builtin)
    bad = _edited(builtin, "ПРИКАЗЫВАЮ:", "{{ mentor.nmae }}")
    response = client.post(f"/t/{PROS}/settings/papers/upload",
                           data={"paper": "order", "lang": "ru",
                                 "file": (io.BytesIO(bad), "bad.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "nmae" in response.get_data(as_text=True)
    assert _stored() == []
    good = _edited(builtin, "ПРИКАЗЫВАЮ:", "ПРИКАЗЫВАЮ (форма области):")
    response = client.post(f"/t/{PROS}/settings/papers/upload",
                           data={"paper": "order", "lang": "ru",
                                 "file": (io.BytesIO(good), "ours.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302 and _stored() == ["order"]
    ids = web.ids[PROS]
    text = docx_text(client.get(f"/t/{PROS}/mentorships/{ids['mentorship']}/paper"
                                "?paper=order&lang=ru").data)
    assert "ПРИКАЗЫВАЮ (форма области):" in text and ids["mentee"] in text
    assert "ours.docx" in client.get(f"/t/{PROS}/settings/papers").get_data(as_text=True)
    assert client.post(f"/t/{PROS}/settings/papers/reset",
                       data={"paper": "order", "lang": "ru"}).status_code == 302
    assert _stored() == []
    # another tenant's admin cannot reach these pages
    other = login(web, "admin@civil.kz")
    assert other.get(f"/t/{PROS}/settings/papers").status_code == 403


# --- API ---------------------------------------------------------------------------------------

def api(web, who="admin"):
    client = web.test_client()
    headers = {"Authorization": f"Bearer {web.tokens[who]}"}
    return client, headers


def test_api_papers_templates_and_exports(web):
    client, headers = api(web, "viewer")
    ids = web.ids[PROS]
    listed = client.get(f"/api/v1/tenants/{PROS}/papers", headers=headers).get_json()
    assert [p["paper"] for p in listed] == ["order", "programme", "mentee_report",
                                            "mentor_report", "council_minutes"]
    assert {p["paper"]: p["paragraph"] for p in listed}["council_minutes"] == "21"
    response = client.get(f"/api/v1/tenants/{PROS}/mentorships/{ids['mentorship']}/paper",
                          headers=headers, query_string={"paper": "mentor_report", "lang": "ru"})
    assert response.status_code == 200 and response.mimetype == DOCX
    assert ids["mentee"] in docx_text(response.data)
    response = client.get(f"/api/v1/tenants/{PROS}/meetings/{ids['meeting']}/paper",
                          headers=headers, query_string={"lang": "kk"})
    assert "ХАТТАМАСЫ" in docx_text(response.data)
    response = client.get(f"/api/v1/tenants/{PROS}/mentorships/{ids['mentorship']}/paper",
                          headers=headers, query_string={"paper": "plan"})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    response = client.get(f"/api/v1/tenants/{PROS}/exports/compliance", headers=headers,
                          query_string={"format": "csv", "as_of": "2026-03-16", "lang": "ru"})
    assert response.status_code == 200 and response.data.startswith(b"\xef\xbb\xbf")
    assert "Правило" in response.data.decode("utf-8-sig").splitlines()[0]
    # a viewer may not upload
    response = client.put(f"/api/v1/tenants/{PROS}/paper-templates/file", headers=headers,
                          query_string={"paper": "order", "lang": "ru"},
                          data={"file": (io.BytesIO(b"x"), "x.docx")})
    assert response.status_code == 403
    # nor an HR officer: templates are the tenant admin's
    client, headers = api(web, "hr")
    response = client.put(f"/api/v1/tenants/{PROS}/paper-templates/file", headers=headers,
                          query_string={"paper": "order", "lang": "ru"},
                          data={"file": (io.BytesIO(b"x"), "x.docx")})
    assert response.status_code == 403


def test_api_template_upload_download_reset(web):
    client, headers = api(web, "admin")
    base = f"/api/v1/tenants/{PROS}/paper-templates/file"
    q = {"paper": "programme", "lang": "kk"}
    builtin = client.get(base, headers=headers, query_string=q).data
    bad = client.put(base, headers=headers, query_string=q,
                     data={"file": (io.BytesIO(b"not a word file"), "x.docx")})
    assert bad.status_code == 422 and bad.get_json()["field"] == "file"
    assert bad.mimetype == "application/problem+json" and _stored() == []
    missing = client.put(base, headers=headers, query_string=q)
    assert missing.status_code == 422 and _stored() == []
    own = _edited(builtin, "БЕКІТЕМІН", "БЕКІТЕМІН (облыс прокуроры)")
    response = client.put(base, headers=headers, query_string=q,
                          data={"file": (io.BytesIO(own), "programme-kk.docx")})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["custom"] is True and _stored() == ["programme"]
    assert client.get(base, headers=headers, query_string=q).data == own
    assert client.get(base, headers=headers, query_string={**q, "builtin": "true"}).data == builtin
    listed = client.get(f"/api/v1/tenants/{PROS}/paper-templates", headers=headers).get_json()
    assert [r["filename"] for r in listed if r["custom"]] == ["programme-kk.docx"]
    assert client.delete(base, headers=headers, query_string=q).status_code == 204
    assert _stored() == []


def test_api_pdf(web):
    needs_libreoffice()
    client, headers = api(web, "viewer")
    ids = web.ids[PROS]
    response = client.get(f"/api/v1/tenants/{PROS}/meetings/{ids['meeting']}/paper",
                          headers=headers, query_string={"format": "pdf", "lang": "ru"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "ПРОТОКОЛ" in pdf_text(response.data)


# --- CLI ---------------------------------------------------------------------------------------

def cli(app, *args):
    result = CliRunner().invoke(main, list(args), obj={"lang": "en"})
    return result


def test_cli_prints_papers_exports_and_manages_templates(web, tmp_path):
    ids = web.ids[CIVIL]
    result = cli(web, "paper", "kinds", "--tenant", CIVIL)
    assert result.exit_code == 0 and re.search(r"mentor_reference\s+mentorship\s+p\.16", result.output)
    result = cli(web, "paper", "print", "--tenant", CIVIL, "mentor_reference",
                 "--mentorship", ids["number"], "--lang", "kk", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / f"mentor_reference-{ids['number']}-kk.docx"
    assert result.output.strip() == str(path)
    text = docx_text(path.read_bytes())
    assert "ПІКІРІ" in text and "16-тармақ" in text and ids["mentee"] in text
    result = cli(web, "paper", "print", "--tenant", CIVIL, "council_minutes", "--mentorship",
                 ids["number"])
    assert result.exit_code == 2 and "no paper 'council_minutes'" in result.output
    out = tmp_path / "people.csv"
    result = cli(web, "export", "--tenant", CIVIL, "people", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0 and out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert ids["mentee"] in out.read_text(encoding="utf-8-sig")
    # templates: download, upload a bad one (refused), a good one, list, reset
    builtin = tmp_path / "plan.docx"
    assert cli(web, "paper", "template", "download", "--tenant", CIVIL, "plan", "--lang", "ru",
               "-o", str(builtin)).exit_code == 0
    bad = tmp_path / "bad.docx"
    bad.write_bytes(_edited(builtin.read_bytes(), "СОГЛАСОВАНО", "{% for %}"))
    result = cli(web, "paper", "template", "upload", "--tenant", CIVIL, "plan", str(bad),
                 "--lang", "ru")
    assert result.exit_code == 2 and "cannot be filled" in result.output
    good = tmp_path / "good.docx"
    good.write_bytes(_edited(builtin.read_bytes(), "СОГЛАСОВАНО", "СОГЛАСОВАНО (наша форма)"))
    result = cli(web, "paper", "template", "upload", "--tenant", CIVIL, "plan", str(good),
                 "--lang", "ru")
    assert result.exit_code == 0, result.output
    result = cli(web, "paper", "template", "list", "--tenant", CIVIL)
    assert re.search(r"plan\s+ru\s+own: good.docx", result.output)
    printed = tmp_path / "plan-printed.docx"
    cli(web, "paper", "print", "--tenant", CIVIL, "plan", "--mentorship", ids["mentorship"],
        "--lang", "ru", "-o", str(printed))
    assert "СОГЛАСОВАНО (наша форма)" in docx_text(printed.read_bytes())
    result = cli(web, "paper", "template", "reset", "--tenant", CIVIL, "plan", "--lang", "ru")
    assert result.exit_code == 0 and "back to the built-in" in result.output
    with services.tenant(CIVIL, "test") as t:
        assert not any(r["custom"] for r in document_templates.list_templates(t))
