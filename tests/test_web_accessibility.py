"""What a keyboard or a weak eye needs of the admin (issue 14): text contrast of at least
4.5:1 (WCAG AA) for muted text and the status badges, a skip link past the bar, the login
form's first field focused, no empty table header, a favicon."""

import re
from pathlib import Path

import pytest

from nastavnik.web import create_app

WEB = Path(__file__).parent.parent / "nastavnik" / "web"
CSS = (WEB / "static" / "app.css").read_text(encoding="utf-8")


def _colour(value: str) -> str:
    value = value.strip()
    found = re.fullmatch(r"var\(--([\w-]+)\)", value)
    if found:
        value = re.search(rf"--{found.group(1)}:\s*(#[0-9a-fA-F]{{6}})", CSS).group(1)
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", value), value
    return value


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(_colour(foreground)), _luminance(_colour(background))),
                         reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _rule(selector: str) -> dict:
    body = re.search(rf"(?m)^{re.escape(selector)}\s*\{{([^}}]*)\}}", CSS).group(1)
    return dict((k.strip(), v.strip()) for k, v in
                (part.split(":", 1) for part in body.split(";") if ":" in part))


def test_contrast_formula_matches_known_pairs():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # just below AA, as WebAIM says


@pytest.mark.parametrize("background", ["#ffffff", "var(--bg)", "#e6ebf1", "#f6f8fa"])
def test_muted_text_is_readable_on_every_surface(background):
    assert contrast("var(--muted)", background) >= 4.5


@pytest.mark.parametrize("badge", ["due_soon", "overdue", "done", "done_late", "due", "closed",
                                   "exception"])
def test_status_badges_are_readable(badge):
    selector = ".badge.open, .badge.due" if badge == "due" else f".badge.{badge}"
    rule = _rule(selector)
    assert contrast(rule["color"], rule["background"]) >= 4.5, (badge, rule)


def test_no_table_has_an_empty_header():
    for template in (WEB / "templates").glob("*.html"):
        empty = re.findall(r"<th[^>]*>\s*</th>", template.read_text(encoding="utf-8"))
        assert not empty, template.name


@pytest.fixture
def client(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'a.sqlite3'}",
                      "TESTING": True, "SECRET_KEY": "test"})
    return app.test_client()


def test_the_skip_link_comes_first_and_the_login_focuses_the_e_mail(client):
    page = client.get("/login", headers={"Accept-Language": "kk"}).get_data(as_text=True)
    body = page.split("<body>", 1)[1]
    first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body).group(0)
    assert 'class="skip"' in first and 'href="#main"' in first
    assert re.search(r'<main id="main"', page)
    assert "Мазмұнға өту" in body  # in the page's language
    email = re.search(r'<input[^>]*name="email"[^>]*>', page).group(0)
    assert "autofocus" in email


def test_a_favicon_answers(client):
    redirect = client.get("/favicon.ico")
    assert redirect.status_code == 301 and redirect.location.endswith("/static/favicon.svg")
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_an_empty_tenant_says_what_to_do_next(app):
    from nastavnik import services

    services.create_tenant("new", "New body", "civil_service_2013", actor="test", locale="en")
    services.users.create_user("hr@new.kz", "HR", "correct horse 1")
    services.users.grant("hr@new.kz", "new", "hr_officer")
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"email": "hr@new.kz", "password": "correct horse 1"})
    people = client.get("/t/new/people").get_data(as_text=True)
    assert "No people yet." in people
    assert 'href="/t/new/people/import">Import the staff from a spreadsheet</a>' in people
    assert 'href="/t/new/people/new">Add a person</a>' in people
    listed = client.get("/t/new/mentorships").get_data(as_text=True)
    assert re.search(r'No mentorships\. <a href="/t/new/assign">Assign a mentor</a>', listed)
    assert re.search(r"<title>[^<]*New body · nastavnik</title>", listed)
