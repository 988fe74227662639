"""The admin's Russian and Kazakh catalogues: complete (every string the code has, each
translated, none fuzzy), with the placeholders of their English strings, and in use (the
login page and the dashboard in Kazakh).

A string added to a template or a view without its translations fails here: extract,
update and translate (see babel.cfg and the head of each messages.po)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import flask
import pytest
from babel.messages import frontend
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app, labels

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "nastavnik" / "web"
TRANSLATIONS = WEB / "translations"
LANGUAGES = {"ru": 3, "kk": 2}  # plural forms by CLDR
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None}  # pybabel extract -k _l
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def catalogue(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return read_po(fh, locale=lang)


def strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def ids(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def code_messages() -> dict[str, list[str]]:
    """msgid -> where: every string the web code marks for translation, extracted as
    `pybabel extract -F babel.cfg -k _l nastavnik/web` does."""
    parse = getattr(frontend, "parse_mapping_cfg", None) or frontend.parse_mapping
    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse(fh)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(WEB), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_entry_is_translated_and_none_is_fuzzy(lang):
    cat = catalogue(lang)
    assert not cat.fuzzy, f"{lang}: the header is fuzzy; compiling would skip the catalogue"
    assert cat.num_plurals == LANGUAGES[lang]
    entries = [m for m in cat if m.id]
    assert entries
    fuzzy = [m.id for m in entries if m.fuzzy]
    empty = [m.id for m in entries if not all(s.strip() for s in strings(m))]
    assert not fuzzy, f"{lang}: fuzzy entries {fuzzy}"
    assert not empty, f"{lang}: untranslated entries {empty}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in cat.check()]
    assert not problems, f"{lang}: {problems}"


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_translations_keep_the_placeholders(lang):
    wrong = []
    for m in catalogue(lang):
        if not m.id:
            continue
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids(m)))
        for s in strings(m):
            if set(PLACEHOLDER.findall(s)) != wanted:
                wrong.append((m.id, s))
    assert not wrong, f"{lang}: placeholders lost or added: {wrong}"


def test_catalogues_have_every_string_of_the_code():
    found = code_messages()
    assert "Log in" in found and "p.%(n)s" in found  # a template's and a view's strings
    assert "Please log in." in found  # _l() in a view
    for lang in LANGUAGES:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(lang) if m.id}
        missing = {msgid: where for msgid, where in found.items() if msgid not in have}
        assert not missing, (
            f"{lang}: strings not in nastavnik/web/translations/{lang}: {missing}; run "
            "pybabel extract -F babel.cfg -k _l -o /tmp/messages.pot nastavnik/web && "
            "pybabel update -i /tmp/messages.pot -d nastavnik/web/translations, then "
            "translate them")


def test_no_string_is_translated_by_a_variable():
    """`_(code)` cannot be extracted, so it is never translated: codes go through
    `|label` (nastavnik/web/labels.py), text through a literal."""
    call = re.compile(r"""\b(?:_|_l|gettext|lazy_gettext|ngettext)\(\s*(?!["'])""")
    offending = []
    for path in sorted(WEB.rglob("*.py")) + sorted((WEB / "templates").glob("*.html")):
        source = path.read_text(encoding="utf-8")
        for found in call.finditer(source):
            lineno = source.count("\n", 0, found.start()) + 1
            line = source.splitlines()[lineno - 1].strip()
            offending.append(f"{path.relative_to(ROOT)}:{lineno}: {line}")
    assert not offending, offending


def test_every_code_shown_has_a_label():
    from nastavnik.storage.accounts import ROLES
    from nastavnik.web.admin.timeline import STATUS_CLASS

    assert {*ROLES, "platform_admin"} <= set(labels.ROLE)
    assert set(STATUS_CLASS) <= set(labels.STATUS)
    assert labels.label("hr_officer", "role") != "hr_officer"
    assert labels.label("something_new", "status") == "something_new"  # shown as it is
    assert labels.label(None, "status") == ""


def test_mentee_kind_in_the_regime_s_words():
    from nastavnik.core import registry

    kinds = registry.get("prosecutor_2022").info.mentee_kinds
    code = next(iter(kinds))
    app = flask.Flask(__name__)
    with app.test_request_context("/"):
        flask.g.tenant = SimpleNamespace(regime="prosecutor_2022", locale="kk")
        assert labels.mentee_kind(code) == kinds[code]["kk"]
        assert labels.mentee_kind("no_such_kind") == "no_such_kind"


# --- the pages in Kazakh ------------------------------------------------------------------

EFFECTIVE = {"year": 2025, "mark": "effective"}
PEOPLE = [
    ("D1", "Daniyar Direct-Manager", None,
     {"public_service_start": "2024-09-01", "last_assessment": EFFECTIVE}),
    ("S1", "Serik Senior", None,
     {"public_service_start": "2015-09-01", "last_assessment": EFFECTIVE}),
    ("A1", "Aigerim New", "D1", {"corps": "B", "category": "C-5", "first_appointment": True}),
]


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        services.create_tenant("alpha", "Alpha agency", "civil_service_2013", actor="test",
                               locale="kk")
        with services.tenant("alpha", "test") as t:
            for number, name, manager, attributes in PEOPLE:
                services.add_person(t, number=number, full_name=name, unit="Legal",
                                    manager=manager, attributes=attributes)
            services.assign_mentor(t, "A1", "S1", dt.date(2026, 3, 2))
        services.users.create_user("hr@alpha.kz", "HR Alpha", "correct horse 1")
        services.users.grant("hr@alpha.kz", "alpha", "hr_officer")
    # requests get their own app context, as in production: none is kept pushed here
    yield app
    with app.app_context():
        db.engine.dispose()


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_login_page_in_kazakh_and_russian(web):
    client = web.test_client()
    page = text(client.get("/login", headers={"Accept-Language": "kk"}))
    assert '<html lang="kk">' in page
    for label in ("Кіру", "Электрондық пошта", "Құпиясөз"):
        assert label in page, label
    for english in (">Log in<", "Password", "E-mail"):
        assert english not in page, english
    wrong = client.post("/login", headers={"Accept-Language": "kk"},
                        data={"email": "hr@alpha.kz", "password": "wrong",
                              "csrf_token": csrf(page)})
    assert wrong.status_code == 401
    assert "Электрондық пошта немесе құпиясөз қате." in text(wrong)
    russian = text(web.test_client().get("/login", headers={"Accept-Language": "ru"}))
    assert "Войти" in russian and "Пароль" in russian and "Password" not in russian


def test_dashboard_in_kazakh(web):
    client = web.test_client()
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    response = client.post("/login", data={"email": "hr@alpha.kz", "password": "correct horse 1",
                                           "csrf_token": csrf(page)})
    assert response.status_code == 302
    # the tenant's language, Kazakh, over the browser's
    page = text(client.get("/t/alpha/?as_of=2026-03-20", headers={"Accept-Language": "en"}))
    assert '<html lang="kk">' in page
    for label in ("Жиынтық", "Уақыт шкаласы", "Тәлімгерлердің жүктемесі", "Бұзушылықтар",
                  "Қызметкерлер", "Өзгерістер журналы", "Шығу",
                  "кадр қызметінің қызметкері",  # the role, not hr_officer
                  'aria-label="Уақыт шкаласы"'):  # inside the drawn timeline
        assert label in page, label
    # an overdue deadline's row in the pending table: its status and paragraph in Kazakh
    # words and order ("12-т.", not "p.12")
    rows = re.findall(r'<tr class="overdue">(.*?)</tr>', page)
    assert any("<td>мерзімі өтті</td>" in row and re.search(r"<td>\d+-т\.</td>", row)
               for row in rows), rows
    for english in ("Dashboard", "Mentors' load", "Log out", "hr_officer", ">overdue<", "p.12"):
        assert english not in page, english


def test_the_language_chosen_on_the_login_page_holds_after_logging_in(web):
    client = web.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/language/en", data={"csrf_token": csrf(page), "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page
    response = client.post("/login", data={"email": "hr@alpha.kz", "password": "correct horse 1",
                                           "csrf_token": csrf(page)})
    assert response.status_code == 302
    # English as chosen, over the tenant's Kazakh (the user has no language of their own)
    assert '<html lang="en">' in text(client.get("/t/alpha/?as_of=2026-03-20"))
