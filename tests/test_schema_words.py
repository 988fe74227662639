"""The words of the built-in regimes' JSON Schemas: every field of a settings form or a
person's, mentorship's or assignment's facts has a title (and every enum value a title) in
ru, kk and en, and the settings page shows them, not the schema's English keys."""

import html
import re

import pytest

from nastavnik import services
from nastavnik.core import registry, schema_labels
from nastavnik.storage.models import db
from nastavnik.web import create_app

BUILT_IN = ("civil_service_2013", "education_reserve", "prosecutor_2022")
SCHEMAS = ("settings_schema", "person_schema", "mentorship_schema", "assignment_schema")


def _fields(schema, path=()):
    for key, node in schema_labels.properties(schema).items():
        yield (*path, key), node
        if node.get("type") == "object":
            yield from _fields(node, (*path, key))


@pytest.mark.parametrize("regime_id", BUILT_IN)
def test_every_field_and_choice_has_its_words_in_every_language(regime_id):
    regime = registry.get(regime_id)
    missing = []
    for which in SCHEMAS:
        for path, node in _fields(getattr(regime, which)):
            for lang in ("ru", "kk", "en"):
                if not (node.get("x-title") or {}).get(lang):
                    missing.append(f"{which} {'.'.join(path)} title {lang}")
                if node.get("description") and not (node.get("x-help") or {}).get(lang):
                    missing.append(f"{which} {'.'.join(path)} help {lang}")
                for value in node.get("enum") or ():
                    if not (node.get("x-enum-titles", {}).get(str(value)) or {}).get(lang):
                        missing.append(f"{which} {'.'.join(path)}={value} {lang}")
    assert not missing


def test_labelled_refuses_a_path_the_schema_lacks():
    with pytest.raises(KeyError):
        schema_labels.labelled({"properties": {"a": {}}}, {"b": {"title": {"en": "B"}}})


@pytest.fixture
def web(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        for slug, regime, settings in (("cs", "civil_service_2013", {}),
                                       ("edu", "education_reserve", {"min_experience_years": 3}),
                                       ("pros", "prosecutor_2022", {})):
            services.create_tenant(slug, slug, regime, actor="test", settings=settings,
                                   locale="kk")
        services.users.create_user("admin@x.kz", "Admin", "correct horse 1")
        for slug in ("cs", "edu", "pros"):
            services.users.grant("admin@x.kz", slug, "tenant_admin")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("lang, shown", [
    ("kk", ["Әдепкі тәлімгерлік мерзімі, ай", "Тәлімгердің ең аз кәсіби өтілі, жыл",
            "Жұмыс күнінің ұзақтығы, сағат"]),
    ("ru", ["Срок наставничества по умолчанию, месяцев",
            "Наименьший профессиональный стаж наставника, лет",
            "Продолжительность рабочего дня, часов"]),
])
def test_the_settings_form_speaks_the_page_language(web, lang, shown):
    client = web.test_client()
    assert client.post("/login", data={"email": "admin@x.kz",
                                       "password": "correct horse 1"}).status_code == 302
    client.post(f"/language/{lang}", data={"next": "/"})
    pages = [html.unescape(client.get(f"/t/{slug}/settings").get_data(as_text=True))
             for slug in ("cs", "edu", "pros")]
    for page, words in zip(pages, shown):
        assert words in page
    english = ("Default term months", "Min experience years", "Max mentees", "Term months",
               "Plan due", "Working day hours", "Days", "Working")
    for page in pages:
        labels = re.findall(r"<label[^>]*>([^<]*)", page) + re.findall(r"<h3[^>]*>([^<]*)", page)
        assert not [label for label in labels if label.strip() in english]


@pytest.mark.parametrize("lang, headings", [
    ("ru", ["Правила:", "Параметры:", "Настройки организации:", "Сведения о сотруднике:",
            "default_term_months: Срок наставничества по умолчанию, месяцев",
            "1 = 1 месяц", "Виды сроков"]),
    ("kk", ["Қағидалар:", "Параметрлер:", "Ұйымның баптаулары:",
            "Қызметкер туралы мәліметтер:", "corps: Корпус [A = «А» корпусы; B = «Б» корпусы]"]),
])
def test_regime_show_speaks_the_language_asked(lang, headings):
    from click.testing import CliRunner

    from nastavnik.cli import main
    out = CliRunner().invoke(main, ["--lang", lang, "regime", "show", "civil_service_2013"])
    assert out.exit_code == 0, out.output
    for heading in headings:
        assert heading in out.output
    for english in ("Rules:", "Parameters:", "schema:", "Deadline kinds", "in force from",
                    "Default term"):
        assert english not in out.output
