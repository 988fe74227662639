"""Paper kinds, deadline kinds and end reasons come from the tenant's regime (its catalogue,
``documents/papers.yaml``), labelled in ru, kk and en: a municipal tenant (the third-party
example) is offered its own papers and only those, through the admin, the API and the CLI;
a civil-service tenant never sees the municipal commission's decision; no built-in regime's
paper kind is spelled outside its plugin; stored sections move to paper attributes."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from markupsafe import escape

from nastavnik import services
from nastavnik.cli import main
from nastavnik.core import registry
from nastavnik.core.errors import InputError
from nastavnik.core.i18n import LANGUAGES
from nastavnik.core.scenario import load_file, run_scenario
from nastavnik.storage.models import Paper, db
from nastavnik.web import create_app
from databases import empty_database, migrate  # noqa: F401 (a fixture)
from third_party import MUNICIPAL, REGIME, municipal  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent.parent
BUILT_IN = ("civil_service_2013", "prosecutor_2022", "education_reserve")
MUNI, CIVIL = "muni", "civil"
EFFECTIVE = {"year": 2025, "mark": "effective"}
SERVANT = {"corps": "B", "category": "C-5", "first_appointment": True}
START = dt.date(2026, 3, 20)
COMMISSION_EN = "Decision of the municipal commission on the mentorship's results"


@pytest.fixture
def app(municipal, database_url):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        services.create_tenant(MUNI, "Municipality", REGIME, actor="test", locale="en")
        services.create_tenant(CIVIL, "Agency", "civil_service_2013", actor="test", locale="en")
        with services.tenant(MUNI, "test") as t:
            services.add_person(t, number="M1", full_name="Marat Senior",
                                attributes={"service_start": "2015-09-01"})
            services.add_person(t, number="N1", full_name="Nazira New")
        with services.tenant(CIVIL, "test") as t:
            services.add_person(t, number="S1", full_name="Serik Senior", attributes={
                "public_service_start": "2015-09-01", "last_assessment": EFFECTIVE})
            services.add_person(t, number="A1", full_name="Aigerim New", attributes=SERVANT)
        services.users.create_user("hr@x.kz", "HR", "correct horse 1")
        for slug in (MUNI, CIVIL):
            services.users.grant("hr@x.kz", slug, "hr_officer")
        app.config["TOKEN"] = services.tokens.create_token("hr@x.kz", "tests")[1]
        app.config["MIDS"] = {slug: _assign(slug, mentee, mentor)
                              for slug, mentee, mentor in ((MUNI, "N1", "M1"), (CIVIL, "A1", "S1"))}
        yield app
        db.session.remove()
        db.engine.dispose()


def _assign(slug, mentee, mentor) -> str:
    with services.tenant(slug, "test") as t:
        m, _ = services.assign_mentor(t, mentee, mentor, START)
        return str(m.id)


def _login(app, lang="en"):
    client = app.test_client()
    response = client.post("/login", data={"email": "hr@x.kz", "password": "correct horse 1"})
    assert response.status_code == 302
    assert client.post(f"/language/{lang}").status_code == 302
    return client


def _papers(slug, mid) -> dict:
    with services.tenant(slug, "test:read"):
        return {p.kind: p.attributes for p in db.session.scalars(
            sa.select(Paper).where(Paper.mentorship_id == uuid.UUID(mid)))}


def _offered(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="kind"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"', select)


# --- the catalogue ---------------------------------------------------------------------------

def test_each_regime_declares_its_papers_and_deadline_words_in_three_languages(municipal):  # noqa: F811
    muni = registry.get(REGIME)
    assert list(muni.paper_kinds) == ["plan", "commission_decision"]
    assert "commission_decision" not in registry.get("civil_service_2013").paper_kinds
    for rid in (*BUILT_IN, REGIME):
        regime = registry.get(rid)
        for vocabulary in (regime.deadline_kinds, regime.deadline_events, regime.end_reasons):
            assert vocabulary
            for code, text in vocabulary.items():
                words = [text.localize(lang) for lang in LANGUAGES]
                assert all(words) and code not in words[:2], (rid, code)  # en may be the word


def test_every_deadline_and_end_reason_of_every_scenario_is_declared(municipal):  # noqa: F811
    """A deadline's kind and event, and an assignment's end reason, are always one the
    regime labels: none can show as a raw code."""
    folders = [ROOT / "nastavnik" / "plugins" / rid / "scenarios" for rid in BUILT_IN]
    folders.append(MUNICIPAL / "nastavnik_municipal" / "scenarios")
    seen = set()
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")):
            for scenario in load_file(path):
                regime = registry.get(scenario.regime, scenario.amendments)
                result = run_scenario(scenario)
                for d in result.evaluation.deadlines:
                    assert d.kind in regime.deadline_kinds, (path.name, d.kind)
                    assert d.event in regime.deadline_events, (path.name, d.event)
                    seen.add((regime.id, d.kind))
                for m in scenario.case.mentorships:
                    for a in m.assignments:
                        assert a.end_reason in (None, *regime.end_reasons), (path.name, a.end_reason)
    assert (REGIME, "commission_decision") in seen


def test_a_paper_without_fields_carries_none_and_fields_are_checked(municipal):  # noqa: F811
    muni = registry.get(REGIME)
    assert muni.validate_paper("commission_decision", {"outcome": "passed"}) == {"outcome": "passed"}
    with pytest.raises(InputError) as bad:
        muni.validate_paper("commission_decision", {"outcome": "maybe"})
    assert bad.value.field == "outcome"
    with pytest.raises(InputError) as bad:
        muni.validate_paper("plan", {"sections": ["a"]})
    assert bad.value.field == "attributes"
    with pytest.raises(InputError) as bad:
        registry.get("civil_service_2013").validate_paper("commission_decision", {})
    assert bad.value.field == "kind"
    assert "plan (" in str(bad.value) and "commission_decision (" not in str(bad.value)
    assert "Индивидуальный план" in bad.value.message("ru")


# --- the service -----------------------------------------------------------------------------

def test_recording_is_checked_against_the_tenant_s_regime(app):
    mids = app.config["MIDS"]
    with app.app_context():
        with services.tenant(MUNI, "test") as t:
            services.record_paper(t, mids[MUNI], "commission_decision", "2026-09-24",
                                  attributes={"outcome": "passed"})
        with pytest.raises(InputError) as bad:
            with services.tenant(CIVIL, "test") as t:
                services.record_paper(t, mids[CIVIL], "commission_decision", "2026-09-24")
        assert bad.value.field == "kind"
        with pytest.raises(InputError):
            with services.tenant(CIVIL, "test") as t:
                services.replace_mentor(t, mids[CIVIL], "A1", "2026-04-01", "retirement")
        assert _papers(MUNI, mids[MUNI]) == {"commission_decision": {"outcome": "passed"}}
        assert _papers(CIVIL, mids[CIVIL]) == {}


# --- the admin -------------------------------------------------------------------------------

def test_the_admin_offers_the_tenant_s_papers_and_only_those(app):
    mids, client = app.config["MIDS"], _login(app)
    page = client.get(f"/t/{MUNI}/mentorships/{mids[MUNI]}").get_data(as_text=True)
    assert _offered(page) == ["plan", "commission_decision"]
    assert str(escape(COMMISSION_EN)) in page
    civil = client.get(f"/t/{CIVIL}/mentorships/{mids[CIVIL]}").get_data(as_text=True)
    assert "commission_decision" not in _offered(civil) and "plan" in _offered(civil)
    assert "municipal commission" not in civil

    response = client.post(f"/t/{CIVIL}/mentorships/{mids[CIVIL]}/paper",
                           data={"kind": "commission_decision", "done_on": "2026-09-24"})
    assert response.status_code == 422 and _papers(CIVIL, mids[CIVIL]) == {}
    response = client.post(f"/t/{MUNI}/mentorships/{mids[MUNI]}/paper",
                           data={"kind": "commission_decision", "done_on": "2026-09-24"})
    assert response.status_code == 302
    assert _papers(MUNI, mids[MUNI]) == {"commission_decision": {}}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_commission_deadline_shows_labelled_in_every_language(app, lang):
    mid, client = app.config["MIDS"][MUNI], _login(app, lang)
    page = client.get(f"/t/{MUNI}/mentorships/{mid}?as_of=2026-10-01").get_data(as_text=True)
    label = str(escape(registry.get(REGIME).deadline_kinds["commission_decision"].localize(lang)))
    rows = re.findall(r"<tr class=\"[a-z_]+\">.*?</tr>", page, re.S)
    deadline = [r for r in rows if label in r]
    assert deadline, (lang, label)
    assert not re.search(r">\s*commission_decision\s*<", page)  # never the code as text


# --- the API ---------------------------------------------------------------------------------

def _api(app, method, path, body=None):
    headers = {"Authorization": f"Bearer {app.config['TOKEN']}"}
    return getattr(app.test_client(), method)(f"/api/v1/{path}", json=body, headers=headers)


def test_the_api_lists_validates_and_describes_the_regime_s_papers(app):
    mids = app.config["MIDS"]
    info = _api(app, "get", f"regimes/{REGIME}").get_json()
    assert set(info["paper_kinds"]) == {"plan", "commission_decision"}
    assert info["paper_kinds"]["commission_decision"]["fields"]["properties"]["outcome"]
    assert info["deadline_kinds"]["commission_decision"]["kk"].startswith("Тәлімгерлік")
    assert "end_of_mentorship" in info["end_reasons"]
    civil = _api(app, "get", "regimes/civil_service_2013").get_json()
    assert "commission_decision" not in civil["paper_kinds"]

    bad = _api(app, "post", f"tenants/{CIVIL}/mentorships/{mids[CIVIL]}/papers",
               {"kind": "commission_decision", "done_on": "2026-09-24"})
    assert bad.status_code == 422 and bad.get_json()["field"] == "kind"
    bad = _api(app, "post", f"tenants/{MUNI}/mentorships/{mids[MUNI]}/papers",
               {"kind": "commission_decision", "done_on": "2026-09-24",
                "attributes": {"outcome": "maybe"}})
    assert bad.status_code == 422 and _papers(MUNI, mids[MUNI]) == {}
    view = _api(app, "post", f"tenants/{MUNI}/mentorships/{mids[MUNI]}/papers",
                {"kind": "commission_decision", "done_on": "2026-09-24",
                 "attributes": {"outcome": "passed"}}).get_json()
    assert view["papers"] == [{"kind": "commission_decision", "done_on": "2026-09-24",
                               "approved_by": None, "attributes": {"outcome": "passed"}}]

    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    paper_in = next(s for name, s in spec["components"]["schemas"].items()
                    if name.startswith("PaperIn"))
    assert "enum" not in paper_in["properties"]["kind"]
    assert "GET /api/v1/regimes" in paper_in["properties"]["kind"]["description"]


# --- the CLI ---------------------------------------------------------------------------------

def _cli(app, *args, lang="en"):
    return CliRunner().invoke(main, ["--lang", lang, *args], obj={})


def test_the_cli_records_the_regime_s_papers_and_lists_them_on_a_wrong_one(app):
    mids = app.config["MIDS"]
    out = _cli(app, "paper", "done", "--tenant", CIVIL, mids[CIVIL], "commission_decision",
               "--on", "2026-09-24")
    assert out.exit_code == 2 and "mentor_reference (" in out.output, out.output
    assert "commission_decision (" not in out.output
    out = _cli(app, "paper", "done", "--tenant", CIVIL, mids[CIVIL], "memo", "--on",
               "2026-09-24", lang="kk")
    assert out.exit_code == 2 and "режимде қарастырылмаған" in out.output, out.output
    out = _cli(app, "paper", "done", "--tenant", MUNI, mids[MUNI], "commission_decision",
               "--on", "2026-09-24", "--attributes", json.dumps({"outcome": "not_passed"}))
    assert out.exit_code == 0, out.output
    with app.app_context():
        assert _papers(MUNI, mids[MUNI]) == {"commission_decision": {"outcome": "not_passed"}}
        assert _papers(CIVIL, mids[CIVIL]) == {}
    shown = _cli(app, "regime", "show", REGIME)
    assert "commission_decision (" + COMMISSION_EN + ")" in shown.output
    shown = _cli(app, "mentorship", "show", "--tenant", MUNI, mids[MUNI], "--as-of", "2026-10-01",
                 lang="kk")
    kk = registry.get(REGIME).deadline_kinds["commission_decision"].kk
    assert shown.exit_code == 0 and f"paper {kk}: done 2026-09-24" in shown.output, shown.output
    assert re.search(r"2026-09-25\s+done\s+" + re.escape(kk), shown.output)


# --- one definition --------------------------------------------------------------------------

def test_no_built_in_paper_kind_is_spelled_outside_the_plugins():
    """The platform (core, services, web, commands, storage, the CLI; templates included)
    takes paper kinds from the regime: none of a built-in regime's is a literal there."""
    kinds = {k for rid in BUILT_IN for k in registry.get(rid).paper_kinds}
    assert {"plan", "programme", "joint_report"} <= kinds
    literal = re.compile(r"""(["'])(%s)\1""" % "|".join(map(re.escape, sorted(kinds))))
    # the same word meaning something else: the rules' evaluation of a tenant
    other_meaning = {("services/compliance.py", '"evaluation"'),
                     ("web/templates/_evaluation_section.html", '"evaluation"')}
    package = ROOT / "nastavnik"
    files = [package / "cli.py"]
    for part in ("core", "services", "web", "commands", "storage"):
        files += [p for p in (package / part).rglob("*")
                  if p.suffix in (".py", ".html", ".yaml", ".txt", ".js") and p.is_file()]
    offending = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
                 for p in files for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
                 for found in literal.finditer(line)
                 if (str(p.relative_to(package)), found.group(0)) not in other_meaning]
    assert not offending, offending


# --- the migration ---------------------------------------------------------------------------

def test_0012_moves_stored_sections_to_attributes_and_back(backend, empty_database):
    url = empty_database
    areas = ["knowledge_skills", "legal_acts"]
    key = (lambda u: u.hex) if backend == "sqlite" else (lambda u: u)  # how sa.Uuid stores it
    migrate(url, "0009")
    engine = sa.create_engine(url)
    try:
        person, mentorship = uuid.uuid4(), uuid.uuid4()
        papers = {uuid.uuid4(): areas, uuid.uuid4(): []}
        with engine.begin() as c:
            c.execute(sa.text(
                "insert into tenant (id, slug, name, regime, settings, locale, extra_days_off,"
                " extra_working_days, created_at, revision) values (1, 't', 'T', "
                "'prosecutor_2022', '{}', 'ru', '[]', '[]', :now, 0)"),
                {"now": dt.datetime.now(dt.timezone.utc)})
            c.execute(sa.text("insert into person (tenant_id, id, number, full_name, "
                              "attributes) values (1, :id, 'P1', 'P', '{}')"),
                      {"id": key(person)})
            c.execute(sa.text("insert into mentorship (tenant_id, id, mentee_id, start, "
                              "status) values (1, :id, :p, :d, 'open')"),
                      {"id": key(mentorship), "p": key(person), "d": START})
            for (pid, sections), kind in zip(papers.items(), ("programme", "mentee_report")):
                c.execute(sa.text("insert into paper (tenant_id, id, mentorship_id, kind, "
                                  "sections) values (1, :id, :m, :k, :s)"),
                          {"id": key(pid), "m": key(mentorship), "k": kind,
                           "s": json.dumps(sections)})
        migrate(url, "0012")
        with engine.connect() as c:
            stored = {_uuid(i): _json(a) for i, a in c.execute(
                sa.text("select id, attributes from paper"))}
        assert stored == {pid: ({"sections": s} if s else {}) for pid, s in papers.items()}
        migrate(url, "0009", down=True)
        with engine.connect() as c:
            back = {_uuid(i): _json(s) for i, s in c.execute(
                sa.text("select id, sections from paper"))}
        assert back == papers
    finally:
        engine.dispose()


def _uuid(value):
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def test_no_built_in_regimes_fact_is_named_outside_the_plugins():
    """Every fact a built-in regime keeps on a mentorship, an assignment or a person is
    named only in its plugin (and in the migrations that moved stored values there): the
    core, the services, the web, the CLI and storage take them from the regime's schemas."""
    from nastavnik.core.schema_labels import properties

    names = set()
    for rid in BUILT_IN:
        regime = registry.get(rid)
        for schema in (regime.mentorship_schema, regime.assignment_schema, regime.person_schema):
            names |= {n for n in properties(schema) if "_" in n}  # not plain words
    assert {"manager_submission", "mentor_consent", "internship_end",
            "head_decision_number"} <= names
    word = re.compile(r"\b(%s)\b" % "|".join(map(re.escape, sorted(names, key=len,
                                                                      reverse=True))))
    package = ROOT / "nastavnik"
    files = [package / "cli.py"]
    for part in ("core", "services", "web", "commands", "storage"):
        files += [p for p in (package / part).rglob("*")
                  if p.suffix in (".py", ".html", ".yaml", ".txt", ".js") and p.is_file()
                  and "migrations" not in p.parts]
    offending = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
                 for p in files for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
                 if word.search(line)]
    assert not offending, offending
