"""A tenant chooses its regime's amendments; a mentor's own capacity; what-if before a change.

Two municipal tenants (the third-party example): ``muni-a`` follows the amendment of 2027
(three mentees per mentor from 1 January 2027), ``muni-b`` does not. A third mentee is
allowed from 2027-01-01 in muni-a only, through the service, the CLI and the API; a head of
a unit may mentor one (p.4(2), a limit per mentor); the what-if preview of adding or
removing the amendment names what would appear or disappear, and applying it is audited."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main
from nastavnik.core import hookimpl, registry
from nastavnik.core.engine import Engine
from nastavnik.core.errors import InputError, Refused
from nastavnik.core.findings import CapacityLimit
from nastavnik.core.model import Assignment, Case, Mentorship, Person, PersonVersion
from nastavnik.services.what_if import what_if
from nastavnik.storage.models import AuditEntry, Tenant, db
from nastavnik.web import create_app
from databases import empty_database, migrate  # noqa: F401 (a fixture)
from plugin_fixtures import LocalCapacityAmendment
from third_party import AMENDMENT, REGIME, municipal, subprocess_env  # noqa: F401 (a fixture)

A, B = "muni-a", "muni-b"
DEC, JAN = dt.date(2026, 12, 1), dt.date(2027, 1, 15)
AS_OF = dt.date(2027, 1, 20)
SENIOR = {"service_start": "2015-09-01"}
HEAD = {"service_start": "2012-01-10", "heads_unit": True}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-")


@pytest.fixture
def app(municipal, database_url):  # noqa: F811
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "TESTING": True, "SECRET_KEY": "test"})
    app.config["DB_URL"] = database_url
    with app.app_context():
        services.create_tenant(A, "City A", REGIME, actor="test", locale="en",
                               amendments=[AMENDMENT])
        services.create_tenant(B, "City B", REGIME, actor="test", locale="en")
        for slug in (A, B):
            with services.tenant(slug, "test") as t:
                services.add_person(t, number="M1", full_name="Marat Senior", attributes=SENIOR)
                services.add_person(t, number="H1", full_name="Halima Head", attributes=HEAD)
                for n, name in enumerate(("Nazira", "Nurlan", "Nurbol", "Nurgul", "Nurai"), 1):
                    services.add_person(t, number=f"N{n}", full_name=f"{name} New")
            with services.tenant(slug, "test") as t:
                services.assign_mentor(t, "N1", "M1", DEC)
                services.assign_mentor(t, "N2", "M1", DEC)
                services.assign_mentor(t, "N4", "H1", DEC)
        services.users.create_user("admin@x.kz", "Admin", "correct horse 1")
        for slug in (A, B):
            services.users.grant("admin@x.kz", slug, "tenant_admin")
        app.config["TOKEN"] = services.tokens.create_token("admin@x.kz", "tests")[1]
        yield app
        db.session.remove()
        db.engine.dispose()


def _tenant(slug) -> Tenant:
    """The tenant row as stored, read in a transaction of its own (ended at once: on SQLite
    a transaction left open would lock out the next request's)."""
    db.session.expire_all()
    tenant = services.get_tenant(slug)
    tenant.amendments, tenant.regime  # noqa: B018 (loaded before the transaction ends)
    db.session.commit()
    return tenant


def _api(app, method, path, body=None):
    headers = {"Authorization": f"Bearer {app.config['TOKEN']}"}
    return getattr(app.test_client(), method)(f"/api/v1/{path}", json=body, headers=headers)


def _cli(app, *args, lang="en"):
    return CliRunner().invoke(main, ["--lang", lang, *args], obj={})


def _rules(check) -> list[str]:
    return [f.rule.id for f in check.findings]


# --- the service --------------------------------------------------------------------------

def test_a_third_mentee_from_2027_in_the_amended_tenant_only(app):
    with services.tenant(B, "test") as t:
        with pytest.raises(Refused) as refused:
            services.assign_mentor(t, "N3", "M1", JAN)
    assert _rules(refused.value) == [f"{REGIME}.p4.capacity"]
    with services.tenant(A, "test") as t:
        with pytest.raises(Refused):  # before the amendment takes effect: two
            services.assign_mentor(t, "N3", "M1", dt.date(2026, 12, 20))
    with services.tenant(A, "test") as t:
        m, check = services.assign_mentor(t, "N3", "M1", JAN)
        assert check.allowed and t.regime.amendments == (AMENDMENT,)
        report = services.compliance_report(t, AS_OF)
    assert not [f for f in report["findings"] if f["rule"].endswith("capacity")]


def test_a_head_of_a_unit_mentors_one_and_the_loads_say_so(app):
    """p.4(2): the limit is the mentor's own; the dashboard and suggestions show it."""
    with services.tenant(B, "test") as t:
        with pytest.raises(Refused) as refused:
            services.assign_mentor(t, "N5", "H1", JAN)
        assert _rules(refused.value) == [f"{REGIME}.p4.head_of_unit"]
        rows = {r["number"]: (r["load"], r["capacity"])
                for r in services.dashboard(t, AS_OF)["mentors"]}
        assert rows == {"M1": (2, 2), "H1": (1, 1)}
        suggested = services.suggest_mentors(t, "N5", AS_OF, exhaustive=True)
    assert [e["number"] for e in suggested["eligible"]] == []  # both are full
    excluded = {e["number"]: [f.rule.id for f in e["findings"]] for e in suggested["excluded"]}
    assert excluded["H1"] == [f"{REGIME}.p4.head_of_unit"]
    with services.tenant(A, "test") as t:  # from 2027 the amended p.4 gives M1 a third place
        rows = {r["number"]: (r["load"], r["capacity"], r["number"])
                for r in services.dashboard(t, AS_OF)["mentors"]}
        assert rows["M1"][:2] == (2, 3) and rows["H1"][:2] == (1, 1)
        suggested = services.suggest_mentors(t, "N5", AS_OF, exhaustive=True)
    assert [(e["number"], e["capacity"], e["free"]) for e in suggested["eligible"]] == [("M1", 3, 1)]


def test_amendments_are_checked_against_the_tenant_s_regime(app):
    services.create_tenant("civil", "Agency", "civil_service_2013", actor="test")
    with pytest.raises(InputError, match=f"amends {REGIME}, not civil_service_2013") as bad:
        services.set_amendments("civil", [AMENDMENT], actor="test")
    assert bad.value.field == "amendments"
    with pytest.raises(InputError, match="no amendment 'nope'"):
        services.set_amendments(B, ["nope"], actor="test")
    with pytest.raises(InputError, match="list of amendment names"):
        services.set_amendments(B, AMENDMENT, actor="test")
    with pytest.raises(InputError):
        services.create_tenant("civil2", "Agency", "civil_service_2013", actor="test",
                               amendments=[AMENDMENT])
    assert _tenant("civil").amendments == [] and _tenant(B).amendments == []
    assert registry.amendments_of(REGIME)[AMENDMENT].effective_from == dt.date(2027, 1, 1)
    assert registry.amendments_of("civil_service_2013") == {}
    with pytest.raises(Exception, match="amends municipal_2025, not civil_service_2013"):
        registry.get("civil_service_2013", (AMENDMENT,))
    # switching regime drops the amendments of the old one
    services.set_regime(A, "civil_service_2013", actor="test")
    assert _tenant(A).amendments == [] and _tenant(A).regime == "civil_service_2013"


def test_a_tenant_with_councils_cannot_move_to_a_regime_without_one(app):
    services.create_tenant("prosecutors", "Office", "prosecutor_2022", actor="test")
    with services.tenant("prosecutors", "test") as t:
        services.councils.create_council(t, "Council of mentors", dt.date(2026, 3, 2))
    for attempt in (lambda: services.set_regime("prosecutors", REGIME, actor="test"),
                    lambda: _preview("prosecutors", regime=REGIME)):
        with pytest.raises(InputError, match="council") as refused:
            attempt()
        assert refused.value.field == "regime"
    assert _tenant("prosecutors").regime == "prosecutor_2022"


def _preview(slug, lang="en", **change):
    with services.tenant(slug, "test:preview") as t:
        return what_if(t, AS_OF, lang=lang, **change)


def test_what_if_before_removing_and_adding_the_amendment(app):
    with services.tenant(A, "test") as t:
        services.assign_mentor(t, "N3", "M1", JAN)
    diff = _preview(A, amendments=[])
    assert diff["changed"] == ["amendments"] and diff["counts"] == {
        "appears": 1, "disappears": 0, "moves": 0}
    (item,) = diff["changes"]
    assert (item["change"], item["what"], item["paragraph_label"], item["person"],
            item["number"], item["mentor"]) == ("appears", "finding", "p.4", "Nurbol New",
                                                "N3", "Marat Senior")
    assert "the limit is 2" in item["text"]
    assert [a["title"] for a in diff["current"]["amendments"]] == [
        "Three mentees per mentor from 2027"]
    assert diff["proposed"]["amendments"] == []
    assert not UUID.search(json.dumps(diff, ensure_ascii=False))
    kk = _preview(A, lang="kk", amendments=[])["changes"][0]
    assert (kk["change_label"], kk["paragraph_label"]) == ("пайда болады", "4-т.")
    assert kk["title"] == registry.get(REGIME).rules[f"{REGIME}.p4.capacity"].title["kk"]
    assert _tenant(A).amendments == [AMENDMENT]  # a preview changes nothing

    services.set_amendments(A, [], actor="admin:test")
    with services.tenant(A, "test") as t:
        entry = t.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "tenant")
                                  .order_by(AuditEntry.at.desc())).first()
        assert (entry.actor, entry.before["amendments"], entry.after["amendments"]) == (
            "admin:test", [AMENDMENT], [])
    back = _preview(A, amendments=[AMENDMENT])
    assert [(c["change"], c["person"]) for c in back["changes"]] == [("disappears", "Nurbol New")]
    assert _preview(A)["changes"] == []  # no change proposed: nothing moves


def test_what_if_a_regime_switch_moves_and_drops_deadlines(app):
    """A regime with other deadlines: the municipal plan and commission decision disappear,
    the civil service's papers appear; each named by the mentee."""
    diff = _preview(B, regime="civil_service_2013")
    assert diff["changed"] == ["regime"]
    by = {(c["change"], c["what"], c["paragraph"], c["person"]): c for c in diff["changes"]}
    assert ("disappears", "deadline", "8", "Nazira New") in by  # the municipal commission
    assert ("appears", "deadline", "15", "Nazira New") in by  # the servant's report
    plan = by["moves", "deadline", "12", "Nazira New"]  # the plan: 10 working days -> 3 days
    assert (plan["due_before"], plan["due"], plan["due_before_label"]) == (
        "2026-12-15", "2026-12-04", "2026-12-15")
    assert all(c["title"] and c["text"] for c in diff["changes"])
    assert not UUID.search(json.dumps(diff, ensure_ascii=False))


# --- the CLI, as a separate process sees the installed regime ------------------------------

def _run(paths, app, *args):
    env = {**subprocess_env(paths), "DATABASE_URL": app.config["DB_URL"]}
    return subprocess.run([str(Path(sys.executable).parent / "nastavnik"), "--lang", "en", *args],
                          capture_output=True, text=True, env=env, timeout=300)


def test_the_cli_sets_amendments_after_a_dry_run(municipal, app):  # noqa: F811
    db.session.remove()
    out = _run(municipal, app, "mentorship", "assign", "--tenant", B, "N3", "M1", "--on",
               JAN.isoformat())
    assert out.returncode == 1 and f"{REGIME}.p4.capacity" in out.stderr, out.stderr
    out = _run(municipal, app, "mentorship", "assign", "--tenant", A, "N3", "M1", "--on",
               JAN.isoformat())
    assert out.returncode == 0, out.stderr
    out = _run(municipal, app, "tenant", "amendments", A)
    assert out.stdout.startswith(f"[x] {AMENDMENT}: Three mentees per mentor from 2027"), out.stdout
    out = _run(municipal, app, "tenant", "set-amendments", A, "--dry-run", "--as-of",
               AS_OF.isoformat())
    assert out.returncode == 0, out.stderr
    assert "1 appear, 0 disappear, 0 move (dry run: nothing changed)" in out.stdout
    assert re.search(r"appears\s+p\.4\s+Nurbol New \(N3\) <- Marat Senior:", out.stdout), out.stdout
    shown = json.loads(_run(municipal, app, "tenant", "show", A, "--json").stdout)
    assert shown["amendments"] == [AMENDMENT]
    out = _run(municipal, app, "tenant", "set-amendments", B, AMENDMENT)
    assert out.returncode == 0 and f"amendments {AMENDMENT}" in out.stdout, out.stderr
    out = _run(municipal, app, "mentorship", "assign", "--tenant", B, "N3", "M1", "--on",
               JAN.isoformat())
    assert out.returncode == 0, out.stderr
    out = _run(municipal, app, "tenant", "set-amendments", B, "civil_thing")
    assert out.returncode == 2 and "no amendment 'civil_thing'" in out.stderr
    out = _run(municipal, app, "tenant", "set-regime", B, "civil_service_2013", "--dry-run",
               "--json", "--as-of", AS_OF.isoformat())
    assert json.loads(out.stdout)["proposed"]["regime"] == "civil_service_2013", out.stderr
    shown = json.loads(_run(municipal, app, "tenant", "show", B, "--json").stdout)
    assert (shown["regime"], shown["amendments"]) == (REGIME, [AMENDMENT])


# --- the API -------------------------------------------------------------------------------

def test_the_api_previews_and_sets_a_tenant_s_amendments(app):
    listed = _api(app, "get", f"tenants/{B}/amendments").get_json()
    assert [(a["name"], a["chosen"], a["title"]["kk"]) for a in listed] == [
        (AMENDMENT, False, "2027 жылдан бастап тәлімгерге үш қызметші")]
    third = {"mentee": "N3", "mentor": "M1", "on": JAN.isoformat()}
    refused = _api(app, "post", f"tenants/{B}/mentorships", third)
    assert refused.status_code == 422 and "refused" in refused.get_json()["type"]
    assert _api(app, "post", f"tenants/{A}/mentorships", third).status_code == 201

    preview = _api(app, "post", f"tenants/{A}/preview",
                   {"amendments": [], "as_of": AS_OF.isoformat(), "lang": "ru"})
    assert preview.status_code == 200, preview.get_json()
    (item,) = preview.get_json()["changes"]
    assert (item["change_label"], item["paragraph_label"], item["person"]) == (
        "появится", "п. 4", "Nurbol New")
    assert _api(app, "get", f"tenants/{A}").get_json()["amendments"] == [AMENDMENT]

    bad = _api(app, "put", f"tenants/{B}/amendments", {"amendments": ["nope"]})
    assert bad.status_code == 422
    done = _api(app, "put", f"tenants/{B}/amendments", {"amendments": [AMENDMENT]})
    assert done.status_code == 200 and done.get_json()["amendments"] == [AMENDMENT]
    assert _api(app, "post", f"tenants/{B}/mentorships", third).status_code == 201
    switched = _api(app, "put", f"tenants/{B}/regime", {"regime": REGIME, "amendments": []})
    assert switched.status_code == 200 and switched.get_json()["amendments"] == []

    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert "post" in spec["paths"]["/api/v1/tenants/{slug}/preview"]
    assert "put" in spec["paths"]["/api/v1/tenants/{slug}/regime"]


# --- the admin -------------------------------------------------------------------------------

def _login(app, lang="en"):
    client = app.test_client()
    response = client.post("/login", data={"email": "admin@x.kz", "password": "correct horse 1"})
    assert response.status_code == 302
    assert client.post(f"/language/{lang}").status_code == 302
    return client


def test_the_admin_lists_the_amendments_in_the_page_s_language(app):
    page = _login(app, "kk").get(f"/t/{B}/settings").get_data(as_text=True)
    assert "2027 жылдан бастап тәлімгерге үш қызметші" in page
    assert "01.01.2027 бастап қолданылады" in page
    assert AMENDMENT not in page.replace(f'value="{AMENDMENT}"', "")


def test_the_admin_previews_then_applies_an_amendment(app):
    with services.tenant(A, "test") as t:
        services.assign_mentor(t, "N3", "M1", JAN)
    client = _login(app, "en")
    preview = client.post(f"/t/{A}/settings/amendments", data={"preview": "1"})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "What the change would do" in text
    assert "Nurbol New" in text and "appears" in text and "Apply the change" in text
    assert not UUID.search(text.split("<main", 1)[-1])
    assert _tenant(A).amendments == [AMENDMENT]
    applied = client.post(f"/t/{A}/settings/amendments", data={})  # Apply: what was sent
    assert applied.status_code == 302
    assert _tenant(A).amendments == []
    applied = client.post(f"/t/{B}/settings/amendments", data={"amendment": AMENDMENT})
    assert applied.status_code == 302
    assert _tenant(B).amendments == [AMENDMENT]


def test_the_admin_previews_a_change_of_regime_and_keeps_the_tenant_as_it_was(app):
    client = _login(app, "en")
    preview = client.post(f"/t/{B}/settings/regime",
                          data={"regime": "civil_service_2013", "preview": "1"})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200, text
    assert "What the change would do" in text and "Nazira New" in text
    assert "2026-12-15" in text and "2026-12-04" in text  # the plan's due date moves
    assert 'name="regime" value="civil_service_2013"' in text and 'name="preview"' not in text
    assert _tenant(B).regime == REGIME
    applied = client.post(f"/t/{B}/settings/regime", data={"regime": "civil_service_2013"})
    assert applied.status_code == 302
    assert _tenant(B).regime == "civil_service_2013"


# --- the hook: old implementations, and asking once per mentor --------------------------------

def _three_mentees_case():
    people = {"boss": Person("boss", attributes={"public_service_start": "2010-01-01",
                                                 "last_assessment": {"year": 2025,
                                                                     "mark": "effective"}})}
    mentorships = []
    for i in range(3):
        pid = f"s{i}"
        people[pid] = Person(pid, attributes={"corps": "B", "category": "C-5"})
        mentorships.append(Mentorship(f"m{i}", pid, None, dt.date(2026, 3, 2), term_months=2,
                                      assignments=[Assignment("boss", dt.date(2026, 3, 2 + i))]))
    return Case(people=people, mentorships=mentorships)


def test_an_old_two_argument_capacity_hook_still_works(fresh_registry):
    regime = registry.get("civil_service_2013", (LocalCapacityAmendment(),))
    engine = Engine(regime, regime.context())
    case = _three_mentees_case()
    assert engine.capacity_limit(dt.date(2026, 3, 4), "boss", case).limit == 3
    assert engine.capacity_limit(dt.date(2026, 3, 4)).limit == 3
    assert not [f for f in engine.evaluate(case, dt.date(2026, 3, 10)).findings
                if "capacity" in f.rule.id]


class CountingHeadLimit:
    """A limit per mentor (one for a person marked as head), counting its calls."""

    def __init__(self):
        self.calls = []

    @hookimpl
    def regime_rules(self):
        from plugin_fixtures import HERE
        return HERE / "amendment_rules.yaml"

    @hookimpl
    def mentor_capacity(self, ctx, on, mentor, case):
        self.calls.append((mentor and mentor.id, on))
        head = mentor is not None and mentor.attributes.get("head")
        return CapacityLimit(ctx.rule("local_amendment.p10.capacity"), 1 if head else 3)


def test_a_per_mentor_hook_is_asked_once_per_mentor_version_and_period(fresh_registry):
    plugin = CountingHeadLimit()
    regime = registry.get("civil_service_2013", (plugin,))
    case = _three_mentees_case()
    boss = case.people["boss"]
    # made head from the third assignment's day: its excess is judged by the head's limit
    case.people["boss"] = Person("boss", attributes=boss.attributes, history=(
        PersonVersion(dt.date(2020, 1, 1), attributes=boss.attributes),
        PersonVersion(dt.date(2026, 3, 4), attributes={**boss.attributes, "head": True})))
    engine = Engine(regime, regime.context())
    found = [f for f in engine.evaluate(case, dt.date(2026, 3, 10)).findings
             if "capacity" in f.rule.id]
    assert [(f.subject, f.facts["limit"], f.facts["load"]) for f in found] == [("m2/a1", 1, 3)]
    asked = [c for c in plugin.calls if c[0] == "boss"]
    assert len(asked) == 2  # the boss before and after becoming head, not once per day
    for day in (dt.date(2026, 3, 5), dt.date(2026, 3, 6)):
        assert engine.capacity_limit(day, "boss", case).limit == 1
    assert len([c for c in plugin.calls if c[0] == "boss"]) == 2


# --- the migration ---------------------------------------------------------------------------

def test_migration_0013_adds_and_drops_tenant_amendments(empty_database):
    url = empty_database
    migrate(url, "0012")
    engine = sa.create_engine(url)
    try:
        with engine.begin() as c:
            c.execute(sa.text(
                "insert into tenant (id, slug, name, regime, settings, locale, extra_days_off,"
                " extra_working_days, created_at, revision) values (1, 't', 'T', "
                "'civil_service_2013', '{\"x\": 1}', 'ru', '[]', '[]', :now, 0)"),
                {"now": dt.datetime.now(dt.timezone.utc)})
        migrate(url, "0013")
        with engine.begin() as c:
            row = c.execute(sa.text("select amendments, settings from tenant")).one()
            assert [_json(v) for v in row] == [[], {"x": 1}]
            c.execute(sa.text("update tenant set amendments = :a"), {"a": '["some"]'})
        migrate(url, "0012", down=True)
        with engine.connect() as c:
            columns = [col["name"] for col in sa.inspect(c).get_columns("tenant")]
            assert "amendments" not in columns
            assert _json(c.execute(sa.text("select settings from tenant")).scalar()) == {"x": 1}
    finally:
        engine.dispose()


def _json(value):
    return json.loads(value) if isinstance(value, str) else value



def test_the_capacity_rules_are_shown_failing_and_passing(municipal):  # noqa: F811
    """p.4(2)'s rule too: its scenario shows the head's excess and the head within it."""
    from nastavnik.core.scenario import load_file
    from nastavnik.core.scenario.discovery import scenario_files
    from nastavnik.testing import uncovered

    files = scenario_files([REGIME])
    no_failing, no_passing = uncovered(REGIME, [s for f in files for s in load_file(f)])
    for rule in (f"{REGIME}.p4.head_of_unit", f"{REGIME}.p4.capacity"):
        assert rule not in no_failing and rule not in no_passing
