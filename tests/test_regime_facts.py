"""Regime-owned facts on mentorships and assignments (issue 13): the regimes' schemas and
their words, the scenario loader's reading of older files and their upgrade, the services'
validation, migration 0010, and a third-party regime's own fact (the municipal example's
p.7 track) through the services, the API, the CLI and the admin."""

import datetime as dt
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main
from nastavnik.core import registry, schema_labels
from nastavnik.core.errors import InputError
from nastavnik.core.scenario import load_file, run_scenario
from nastavnik.core.scenario.loader import load_scenarios
from nastavnik.core.scenario.upgrade import upgrade_text
from nastavnik.storage.models import Assignment, Mentorship, db
from nastavnik.web import create_app

from databases import empty_database, migrate as _migrate  # noqa: F401  (a fixture)
from third_party import MUNICIPAL, REGIME, municipal, subprocess_env  # noqa: F401

PLUGINS = MUNICIPAL.parent.parent / "nastavnik" / "plugins"


# --- the words of a schema ---------------------------------------------------------------------

SCHEMA = {"allOf": [
    {"properties": {"track": {
        "enum": ["office", "field"], "title": "Track",
        "x-title": {"ru": "Направление", "kk": "Бағыт"},
        "x-help": {"kk": "Далалық бағыт"}, "description": "Office or field",
        "x-enum-titles": {"field": {"ru": "полевое", "kk": "далалық", "en": "field"}}}}},
    {"properties": {"plain_key": {"type": "boolean"}}},
]}


def test_labels_in_the_language_with_fallbacks():
    assert schema_labels.field_title(SCHEMA, "track", "kk") == "Бағыт"
    assert schema_labels.field_title(SCHEMA, "track", "en") == "Track"  # no x-title en: title
    assert schema_labels.field_title(SCHEMA, "plain_key", "ru") == "Plain key"  # the key
    assert schema_labels.field_help(SCHEMA, "track", "kk") == "Далалық бағыт"
    assert schema_labels.field_help(SCHEMA, "track", "ru") == "Office or field"
    assert schema_labels.field_help(SCHEMA, "plain_key", "ru") == ""
    assert schema_labels.enum_title(SCHEMA, "track", "field", "kk") == "далалық"
    assert schema_labels.enum_title(SCHEMA, "track", "office", "kk") == "office"
    assert schema_labels.field_title(SCHEMA, "missing", "en") == "Missing"


@pytest.mark.parametrize("regime", ["civil_service_2013", "prosecutor_2022"])
def test_the_built_in_facts_have_titles_and_help_in_three_languages(regime):
    r = registry.get(regime)
    schemas = [r.mentorship_schema, r.assignment_schema]
    props = {k: v for s in schemas for k, v in schema_labels.properties(s).items()}
    assert props
    for key, node in props.items():
        assert set(node["x-title"]) == {"ru", "kk", "en"}, key
        assert all(node["x-title"].values()), key


def test_the_core_keeps_no_regulation_s_field():
    from nastavnik.core import model
    for cls in (model.Mentorship, model.Assignment):
        fields = set(cls.__dataclass_fields__)
        assert "attributes" in fields
        assert not fields & {"internship_end", "head_decision", "manager_submission",
                             "mentor_consent"}
    assert not hasattr(model, "HeadDecision")


def test_a_regime_without_a_schema_keeps_no_facts():
    education = registry.get("education_reserve")
    education.validate_mentorship({})
    with pytest.raises(InputError, match="keeps no fact 'track'"):
        education.validate_mentorship({"track": "field"})


def test_a_bad_fact_is_named_by_its_title():
    civil = registry.get("civil_service_2013")
    with pytest.raises(InputError) as caught:
        civil.validate_assignment({"mentor_consent": "yes"})
    assert caught.value.field == "mentor_consent"
    assert "Mentor's consent received" in str(caught.value)
    with pytest.raises(InputError) as caught:  # a decision needs its date
        civil.validate_mentorship({"head_decision_number": "12"})
    assert caught.value.field == "head_decision_date"


# --- scenarios: older files, explicit attributes, upgrade --------------------------------------

OLD = """\
scenario: A head's decision, the older way
regime: civil_service_2013
as_of: 2026-04-10
people:
  - {id: timur, attributes: {corps: B, category: C-4, first_appointment: true}}
  - id: serik
    attributes: {public_service_start: 2015-09-01, last_assessment: {year: 2025, mark: effective}}
mentorships:
  - id: m1
    mentee: timur
    start: 2026-04-01
    # the decision that covers category C-4 (p.5)
    head_decision: {number: 45, date: 2026-03-30}
    assignments:
      - {mentor: serik, from: 2026-04-01, submission: true,
         consent: false}   # refused consent
expect:
  findings:
    - {rule: civil_service_2013.p5.head_decision, subject: m1, severity: info}
    - {rule: civil_service_2013.p7.consent, subject: m1/a1, severity: violation}
  no_findings: [civil_service_2013.p7.submission]
"""


def test_an_older_file_reads_its_keys_as_the_regime_s_facts():
    [scenario] = load_scenarios(OLD, "old.yaml")
    m = scenario.case.mentorships[0]
    assert m.attributes == {"head_decision_number": "45", "head_decision_date": "2026-03-30"}
    assert m.assignments[0].attributes == {"manager_submission": True, "mentor_consent": False}
    assert run_scenario(scenario).ok


def test_an_unknown_key_names_the_file_and_the_key():
    text = OLD.replace("head_decision:", "head_desicion:")
    with pytest.raises(InputError) as caught:
        load_scenarios(text, "typo.yaml")
    assert caught.value.source == "typo.yaml"
    assert caught.value.field == "mentorships[0].head_desicion"
    text = OLD.replace("    head_decision:", "    attributes: {internship_end: 2026-06-30}\n"
                                             "    old_decision:")
    with pytest.raises(InputError, match="internship_end"):  # not a civil service fact
        load_scenarios(text.replace("    old_decision: {number: 45, date: 2026-03-30}\n", ""),
                       "wrong.yaml")


def test_upgrade_keeps_comments_and_the_result():
    done = upgrade_text(OLD, "old.yaml")
    assert done.changed and done.kept_layout
    assert "# the decision that covers category C-4 (p.5)" in done.text
    assert "# refused consent" in done.text
    assert ('attributes: {head_decision_number: "45", head_decision_date: 2026-03-30}'
            in done.text)
    assert "submission: true" not in done.text.replace("manager_submission: true", "")
    [scenario] = load_scenarios(done.text, "new.yaml")
    assert run_scenario(scenario).ok
    assert upgrade_text(done.text, "new.yaml").changed is False


def _outcome(path):
    return [run_scenario(s).to_json() for s in load_file(path)]


@pytest.mark.parametrize("name", [
    "civil_service_2013/scenarios/p5_coverage.yaml",
    "civil_service_2013/scenarios/p7_submission_consent.yaml",
    "civil_service_2013/scenarios/p8_fallback.yaml",
    "prosecutor_2022/scenarios/p13_capacity.yaml",
    "prosecutor_2022/scenarios/p6_p10_p11_p14_hearing_reports.yaml",
])
def test_an_upgraded_built_in_file_runs_with_the_same_result(name, tmp_path):
    original = PLUGINS / name
    copy = tmp_path / original.name
    copy.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
    out = CliRunner().invoke(main, ["scenario", "upgrade", "--check", str(copy)])
    assert out.exit_code == 1 and "would upgrade" in out.output
    out = CliRunner().invoke(main, ["scenario", "upgrade", str(copy)])
    assert out.exit_code == 0 and "upgraded" in out.output and "lost" not in out.output
    assert "attributes: {" in copy.read_text(encoding="utf-8")
    before, after = _outcome(original), _outcome(copy)
    for b, a in zip(before, after, strict=True):
        b.pop("source"), a.pop("source")
        assert a == b
    assert all(r["ok"] for r in after)


# --- services and storage ----------------------------------------------------------------------

SERVANT = {"corps": "B", "category": "C-4", "first_appointment": True}


def _web_app(database_url):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                       "SESSION_COOKIE_SECURE": False, "TESTING": True, "SECRET_KEY": "test"})


@pytest.fixture
def civil(database_url):
    app = _web_app(database_url)
    with app.app_context():
        services.create_tenant("cs", "Civil agency", "civil_service_2013", actor="test",
                               locale="en")
        with services.tenant("cs", "test") as t:
            services.add_person(t, number="S1", full_name="Serik", attributes={
                "public_service_start": "2015-09-01",
                "last_assessment": {"year": 2025, "mark": "effective"}})
            services.add_person(t, number="A1", full_name="Aigerim", attributes=SERVANT)
        yield app
        db.session.remove()
        db.engine.dispose()


def _count(slug):
    with services.tenant(slug, "test:read"):
        return (db.session.scalar(sa.select(sa.func.count()).select_from(Mentorship)),
                db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)))


def test_the_service_keeps_facts_and_the_rules_read_them(civil):
    with services.tenant("cs", "test") as t:
        m, check = services.assign_mentor(
            t, "A1", "S1", dt.date(2026, 4, 1),
            attributes={"head_decision_number": "45-р", "head_decision_date": "2026-03-30"},
            assignment_attributes={"manager_submission": True, "mentor_consent": True})
        assert check.allowed and check.kind == "servant_by_decision"
        view = services.views.mentorship_view(t, m, dt.date(2026, 4, 10))
    assert view["attributes"] == {"head_decision_number": "45-р",
                                  "head_decision_date": "2026-03-30"}
    assert view["assignments"][0]["attributes"] == {"manager_submission": True,
                                                    "mentor_consent": True}
    decision = [f for f in view["findings"] if f["rule"] == "civil_service_2013.p5.head_decision"]
    assert decision and "45-р" in decision[0]["message"]["en"]
    assert not [f for f in view["findings"] if f["rule"].startswith("civil_service_2013.p7")]


def test_the_admin_forms_show_the_tenant_regime_s_facts_only(civil):
    services.create_tenant("pr", "Prosecutors", "prosecutor_2022", actor="test", locale="ru")
    services.users.create_user("hr@cs.kz", "HR", "correct horse 1")
    for slug in ("cs", "pr"):
        services.users.grant("hr@cs.kz", slug, "hr_officer")
    with services.tenant("cs", "test") as t:
        m, _ = services.assign_mentor(
            t, "A1", "S1", dt.date(2026, 4, 1),
            attributes={"head_decision_number": "45-р", "head_decision_date": "2026-03-30"},
            assignment_attributes={"mentor_consent": False})
        mid = str(m.id)
    client = civil.test_client()
    assert client.post("/login", data={"email": "hr@cs.kz",
                                       "password": "correct horse 1"}).status_code == 302
    client.post("/language/ru")
    page = client.get(f"/t/cs/mentorships/{mid}").get_data(as_text=True)
    assert "Номер решения руководителя</dt><dd>45-р</dd>" in page
    assert "Согласие наставника получено</dt><dd>нет</dd>" in page
    assert 'name="a__mentor_consent"' in page  # the replace form asks for them
    page = client.get("/t/pr/assign").get_data(as_text=True)
    assert "mentor_consent" not in page and "Согласие наставника" not in page


def test_a_bad_fact_writes_nothing(civil):
    for kwargs, field in [({"attributes": {"internship_end": "2026-06-30"}}, "internship_end"),
                          ({"assignment_attributes": {"mentor_consent": "yes"}}, "mentor_consent"),
                          ({"attributes": {"head_decision_date": "2026-03-30"}},
                           "head_decision_number")]:
        with pytest.raises(InputError) as caught, services.tenant("cs", "test") as t:
            services.assign_mentor(t, "A1", "S1", dt.date(2026, 4, 1), **kwargs)
        assert caught.value.field == field
    assert _count("cs") == (0, 0)


# --- migration 0010 ----------------------------------------------------------------------------

def _table(name, **columns):
    return sa.table(name, sa.column("tenant_id", sa.Integer), sa.column("id", sa.Uuid),
                    *(sa.column(k, t) for k, t in columns.items()))


def test_migration_0010_moves_every_value_and_back(empty_database):
    _migrate(empty_database, "0009")
    engine = sa.create_engine(empty_database)
    ids = {k: uuid.uuid4() for k in ("p1", "p2", "m1", "m2", "a1", "a2")}
    with engine.begin() as c:
        c.execute(sa.text("insert into tenant (id, slug, name, regime, settings, locale, "
                          "extra_days_off, extra_working_days, created_at, revision) values "
                          "(1, 't', 'T', 'civil_service_2013', '{}', 'en', '[]', '[]', "
                          ":now, 0)"), {"now": dt.datetime(2026, 1, 1)})
        for key in ("p1", "p2"):
            c.execute(_table("person", number=sa.String, full_name=sa.String,
                             attributes=sa.JSON).insert(),
                      {"tenant_id": 1, "id": ids[key], "number": key, "full_name": key,
                       "attributes": {}})
        mentorship = _table("mentorship", mentee_id=sa.Uuid, start=sa.Date, status=sa.String,
                            internship_end=sa.Date, head_decision_number=sa.String,
                            head_decision_date=sa.Date)
        c.execute(mentorship.insert(), [
            {"tenant_id": 1, "id": ids["m1"], "mentee_id": ids["p2"],
             "start": dt.date(2026, 4, 1), "status": "open",
             "internship_end": dt.date(2026, 6, 30), "head_decision_number": "45-р",
             "head_decision_date": dt.date(2026, 3, 30)},
            {"tenant_id": 1, "id": ids["m2"], "mentee_id": ids["p2"],
             "start": dt.date(2025, 4, 1), "status": "closed", "internship_end": None,
             "head_decision_number": None, "head_decision_date": None}])
        assignment = _table("assignment", mentorship_id=sa.Uuid, mentor_id=sa.Uuid,
                            start=sa.Date, fallback=sa.Boolean, manager_submission=sa.Boolean,
                            mentor_consent=sa.Boolean)
        c.execute(assignment.insert(), [
            {"tenant_id": 1, "id": ids["a1"], "mentorship_id": ids["m1"], "mentor_id": ids["p1"],
             "start": dt.date(2026, 4, 1), "fallback": False, "manager_submission": True,
             "mentor_consent": False},
            {"tenant_id": 1, "id": ids["a2"], "mentorship_id": ids["m2"], "mentor_id": ids["p1"],
             "start": dt.date(2025, 4, 1), "fallback": False, "manager_submission": None,
             "mentor_consent": None}])
    _migrate(empty_database, "0010")

    def attributes(name):
        table = _table(name, attributes=sa.JSON)
        with engine.connect() as c:
            return dict(c.execute(sa.select(table.c.id, table.c.attributes)).all())

    assert attributes("mentorship") == {
        ids["m1"]: {"internship_end": "2026-06-30", "head_decision_number": "45-р",
                    "head_decision_date": "2026-03-30"},
        ids["m2"]: {}}
    assert attributes("assignment") == {
        ids["a1"]: {"manager_submission": True, "mentor_consent": False}, ids["a2"]: {}}
    columns = {c["name"] for c in sa.inspect(engine).get_columns("mentorship")}
    assert "internship_end" not in columns and "attributes" in columns

    _migrate(empty_database, "0009", down=True)
    with engine.connect() as c:
        back = c.execute(sa.select(mentorship.c.internship_end, mentorship.c.head_decision_number,
                                   mentorship.c.head_decision_date)
                         .where(mentorship.c.id == ids["m1"])).one()
        consent = c.execute(sa.select(assignment.c.manager_submission,
                                      assignment.c.mentor_consent)
                            .where(assignment.c.id == ids["a1"])).one()
    assert tuple(back) == (dt.date(2026, 6, 30), "45-р", dt.date(2026, 3, 30))
    assert tuple(consent) == (True, False)
    engine.dispose()


# --- a third-party regime's own fact: the municipal example's p.7 track ------------------------

@pytest.fixture
def town(municipal, database_url, tmp_path):
    app = _web_app(database_url)
    with app.app_context():
        services.create_tenant("town", "Town hall", REGIME, actor="test", locale="kk")
        with services.tenant("town", "test") as t:
            services.add_person(t, number="S1", full_name="Senior",
                                attributes={"service_start": "2015-09-01"})
            for n in ("N1", "N2", "N3"):
                services.add_person(t, number=n, full_name=f"New {n}")
        services.users.create_user("hr@town.kz", "HR", "correct horse 1")
        services.users.grant("hr@town.kz", "town", "hr_officer")
        token = services.tokens.create_token("hr@town.kz", "tests")[1]
    yield app, token, municipal
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _planned_end(app, number):
    with app.app_context(), services.tenant("town", "test") as t:
        m = services.find_mentorship(t, number)
        return services.views.mentorship_view(t, m, dt.date(2026, 4, 1))["term"]["planned_end"]


def test_the_municipal_track_through_service_api_cli_and_admin(town, database_url, tmp_path):
    app, token, paths = town
    start = dt.date(2026, 3, 20)

    # the service: a field-track mentorship lasts nine months (p.7)
    with app.app_context(), services.tenant("town", "test") as t:
        services.assign_mentor(t, "N1", "S1", start, attributes={"track": "field"})
        with pytest.raises(InputError, match="Track"):
            services.assign_mentor(t, "N2", "S1", start, attributes={"track": "mountain"})
    assert _planned_end(app, "N1") == "2026-12-19"

    # the API: an attributes object in and out
    response = app.test_client().post(
        "/api/v1/tenants/town/mentorships", headers={"Authorization": f"Bearer {token}"},
        json={"mentee": "N2", "mentor": "S1", "on": "2026-03-20",
              "attributes": {"track": "office"}})
    assert response.status_code == 201, response.get_data(as_text=True)
    view = response.get_json()
    assert view["attributes"] == {"track": "office"}
    assert view["term"]["planned_end"] == "2026-09-19"
    regime = app.test_client().get(f"/api/v1/regimes/{REGIME}",
                                   headers={"Authorization": f"Bearer {token}"}).get_json()
    assert "track" in regime["mentorship_schema"]["properties"]

    # the CLI, in a child process that sees the regime as an installed distribution would
    # (S1 has the two mentees p.4 allows: a second mentor for the others)
    with app.app_context(), services.tenant("town", "test") as t:
        services.add_person(t, number="S2", full_name="Second",
                            attributes={"service_start": "2014-09-01"})
        services.add_person(t, number="N4", full_name="New N4")
    env = {**subprocess_env(paths), "DATABASE_URL": database_url, "SECRET_KEY": "test",
           "NASTAVNIK_INSTANCE": str(tmp_path / "instance")}
    command = [sys.executable, "-c", "from nastavnik.cli import main; main()",
               "mentorship", "assign", "--tenant", "town", "N3", "S2", "--on", "2026-03-20",
               "--attribute", "track=field"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _planned_end(app, "N3") == "2026-12-19"
    shown = subprocess.run(
        [*command[:3], "--lang", "kk", "mentorship", "show", "--tenant", "town", "N3",
         "--as-of", "2026-04-01"], env=env, capture_output=True, text=True, timeout=120)
    assert "Жұмыс бағыты: далалық" in shown.stdout, shown.stdout + shown.stderr
    bad = subprocess.run(command[:-1] + ["colour=red"], env=env, capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode != 0 and "colour" in bad.stdout + bad.stderr

    # the admin's assign form, in Kazakh: the fact's title and its choices in kk, and no
    # civil-service checkbox
    client = app.test_client()
    assert client.post("/login", data={"email": "hr@town.kz",
                                       "password": "correct horse 1"}).status_code == 302
    client.post("/language/kk")
    page = client.get("/t/town/assign?mentee=N4&on=2026-03-20").get_data(as_text=True)
    assert "Жұмыс бағыты" in page and "далалық" in page
    assert 'name="m__track"' in page
    assert "manager_submission" not in page and "Тікелей басшының" not in page
    response = client.post("/t/town/assign", data={"mentee": "N4", "on": "2026-03-20",
                                                    "mentor": "S2", "m__track": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _planned_end(app, "N4") == "2026-12-19"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Жұмыс бағыты</dt><dd>далалық</dd>" in page
