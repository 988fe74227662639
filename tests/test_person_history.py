"""Facts in time (issue 13): a person's unit, position, manager and attributes are kept
with the day they hold from, and the rules read each person as they stood on the day
they judge, so that a fact recorded later leaves earlier verdicts as they were.

Civil service (order No. 06-7/148 of 18 October 2013), p.8(2): a mentor has "effective"
at the last annual assessment."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.core.errors import InputError, Refused
from nastavnik.core.model import Case, Person, PersonVersion
from nastavnik.services import person_history
from nastavnik.services.importing import import_people
from nastavnik.storage.models import AuditEntry, db
from nastavnik.storage.models import Person as PersonRow, PersonVersion as VersionRow

from databases import empty_database, migrate as _migrate  # noqa: F401  (a fixture)

ASSIGNED = dt.date(2026, 3, 2)
MARKED = dt.date(2026, 6, 1)
EFFECTIVE = {"public_service_start": "2010-01-01",
             "last_assessment": {"year": 2025, "mark": "effective"}}
MENTEE = {"corps": "B", "category": "C-5", "first_appointment": True}
P82 = "civil_service_2013.p8.assessment"


# --- the core: a person as they stood on a day ------------------------------------------

def _dated() -> Person:
    history = (PersonVersion(dt.date(2025, 1, 1), "A", None, "expert", {"mark": 1}),
               PersonVersion(dt.date(2026, 1, 1), "B", None, "expert", {"mark": 2}),
               PersonVersion(dt.date(2026, 6, 1), "B", "M1", "head", {"mark": 3}))
    return Person("P1", "Name", "B", "M1", "head", {"mark": 3}, history)


def test_a_person_on_a_day_is_the_version_holding_then():
    p = _dated()
    assert p.on(dt.date(2025, 1, 1)).unit == "A"
    assert p.on(dt.date(2025, 12, 31)).attributes == {"mark": 1}
    assert p.on(dt.date(2026, 1, 1)).attributes == {"mark": 2}
    assert p.on(dt.date(2026, 5, 31)).position == "expert"
    assert (p.on(dt.date(2026, 6, 1)).manager, p.on(dt.date(2030, 1, 1)).position) == ("M1", "head")
    # before the first version: the first one, the nearest evidence of those days
    assert p.on(dt.date(2000, 1, 1)).attributes == {"mark": 1}
    # a dated person dated again is dated right; the same day gives the same object
    assert p.on(dt.date(2025, 6, 1)).on(dt.date(2026, 7, 1)).attributes == {"mark": 3}
    assert p.on(dt.date(2026, 2, 1)) is p.on(dt.date(2026, 3, 1))
    assert Case(people={"P1": p}).person_on("P1", dt.date(2026, 2, 1)).unit == "B"


def test_a_person_without_history_is_themselves_on_any_day():
    p = Person("P1", unit="A")
    assert p.on(dt.date(1990, 1, 1)) is p


def test_a_scenario_states_facts_with_the_day_they_hold_from():
    from nastavnik.core.scenario.loader import load_scenarios

    text = """
scenario: dated facts
regime: civil_service_2013
as_of: 2026-07-01
expect: {findings: []}
people:
  - {id: boss}
  - id: serik
    unit: North
    manager: boss
    attributes: {public_service_start: 2015-09-01, last_assessment: {year: 2025, mark: effective}}
    history:
      - {from: 2026-06-01, manager: null, attributes: {last_assessment: null}}
      - {from: 2026-03-01, unit: South}
"""
    serik = load_scenarios(text, "t.yaml")[0].case.people["serik"]
    assert [v.valid_from for v in serik.history[1:]] == [dt.date(2026, 3, 1), dt.date(2026, 6, 1)]
    march, june = serik.on(dt.date(2026, 3, 1)), serik.on(dt.date(2026, 6, 1))
    assert (march.unit, march.manager, march.attributes["last_assessment"]["year"]) == (
        "South", "boss", 2025)
    assert (june.unit, june.manager, june.attributes) == (
        "South", None, {"public_service_start": "2015-09-01"})
    assert (serik.unit, serik.manager) == ("South", None)  # the current facts: the latest
    for bad, field in (("{from: 2026-03-01, unit: East}", "history[2].from"),
                       ("{from: 2026-04-01, manager: nobody}", "history[2].manager"),
                       ("{from: 2026-04-01, attributes: {corps: Z}}", "history")):
        with pytest.raises(InputError) as caught:
            load_scenarios(text + f"      - {bad}\n", "t.yaml")
        assert field in (caught.value.field or "") + str(caught.value)


# --- the services and the database ------------------------------------------------------

def _body():
    services.create_tenant("cs", "Civil service body", "civil_service_2013", actor="admin")
    with services.tenant("cs", "hr") as t:
        services.add_person(t, number="D1", full_name="Daniyar", attributes=EFFECTIVE,
                            valid_from="2025-01-01")
        services.add_person(t, number="S1", full_name="Serik", attributes=EFFECTIVE,
                            valid_from="2025-01-01")
        for number in ("A1", "B1"):
            services.add_person(t, number=number, full_name=f"Mentee {number}", manager="D1",
                                attributes=MENTEE, valid_from="2025-01-01")


def _findings(subject_prefix: str) -> list[tuple]:
    with services.tenant("cs", "auditor") as t:
        evaluation, case = services.sweep(t, dt.date(2026, 7, 1))
        ids = {str(m.id) for m in services.list_mentorships(t)}
    return sorted((f.rule.id, f.subject.split("/", 1)[-1]) for f in evaluation.findings
                  if f.subject.split("/", 1)[0] in ids and f.subject.startswith(subject_prefix))


def test_a_mark_imported_after_an_assignment_leaves_its_verdict_unchanged(app, tmp_path):
    _body()
    with services.tenant("cs", "hr") as t:
        mentorship, check = services.assign_mentor(t, "A1", "S1", ASSIGNED)
        mid = str(mentorship.id)
    assert check.allowed and P82 not in {f.rule.id for f in check.findings}
    before = _findings(mid)

    # the 2026 mark, "unsatisfactory", holds from 1 June 2026
    with services.tenant("cs", "hr:import") as t:
        import_people(t, [["number", "full_name", "public_service_start",
                           "last_assessment.year", "last_assessment.mark"],
                          ["S1", "Serik", "2010-01-01", "2026", "unsatisfactory"]],
                      valid_from=MARKED)

    assert _findings(mid) == before
    assert P82 not in {rule for rule, _ in before}
    with services.tenant("cs", "hr") as t:
        mark = services.find_person(t, "S1").attributes["last_assessment"]["mark"]
        assert mark == "unsatisfactory"
        # the day before the mark, he may still be assigned; from its day, not (p.8(2))
        with pytest.raises(Refused) as refused:
            services.assign_mentor(t, "B1", "S1", MARKED + dt.timedelta(days=14))
        assert P82 in {f.rule.id for f in refused.value.findings}
    with services.tenant("cs", "hr") as t:
        _, check = services.assign_mentor(t, "B1", "S1", MARKED - dt.timedelta(days=1))
        assert check.allowed


def test_the_same_mark_holding_before_the_assignment_is_held_against_it(app):
    """The counterpart: dated before the assignment, the mark is a breach of p.8(2)."""
    _body()
    with services.tenant("cs", "hr") as t:
        mentorship, _ = services.assign_mentor(t, "A1", "S1", ASSIGNED)
        mid = str(mentorship.id)
        services.update_person(t, "S1", valid_from="2026-02-01", attributes={
            **EFFECTIVE, "last_assessment": {"year": 2026, "mark": "unsatisfactory"}})
    assert (P82, "a1") in _findings(mid)


def _versions(number: str) -> list[tuple]:
    with services.tenant("cs", "auditor") as t:
        person = services.find_person(t, number)
        return [(v["valid_from"], v["unit"], v["changed"]) for v in person_history.history(person)]


def test_changes_are_versions_in_date_order_and_the_person_row_is_the_latest(app):
    _body()
    with services.tenant("cs", "hr") as t:
        services.update_person(t, "A1", unit="North", valid_from="2026-05-01")
        services.update_person(t, "A1", unit="South", valid_from="2026-05-01")  # same day: replaced
        services.update_person(t, "A1", position="Expert", valid_from="2026-02-01")  # earlier
        services.update_person(t, "A1", full_name="Mentee A1", valid_from="2026-07-01")  # no fact
    assert _versions("A1") == [
        (dt.date(2025, 1, 1), None, ["manager", "attributes"]),
        (dt.date(2026, 2, 1), None, ["position"]),
        # recorded before the earlier change was: it holds no position (later versions
        # stay as they were recorded)
        (dt.date(2026, 5, 1), "South", ["unit", "position"])]
    with services.tenant("cs", "auditor") as t:
        row = services.find_person(t, "A1")
        # the latest version's facts; the earlier change stays in its own time
        assert (row.unit, row.position) == ("South", None)
        case, _ = services.sweep(t, dt.date(2026, 7, 1))[1], None
        assert case.person_on("A1", dt.date(2026, 3, 1)).position == "Expert"
        assert case.person_on("A1", dt.date(2026, 6, 1)).unit == "South"


def test_a_bad_date_or_fact_changes_nothing(app):
    _body()
    with services.tenant("cs", "auditor"):
        entries = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    with services.tenant("cs", "hr") as t:
        with pytest.raises(InputError) as caught:
            services.update_person(t, "A1", unit="X", valid_from="1 May")
        assert caught.value.field == "valid_from"
    with pytest.raises(InputError):
        with services.tenant("cs", "hr") as t:
            services.update_person(t, "A1", unit="X", valid_from="2026-05-01")
            services.update_person(t, "A1", attributes={"corps": "Z"}, valid_from="2026-06-01")
    with services.tenant("cs", "auditor"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VersionRow)) == 4
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)) == entries
        assert db.session.scalar(sa.select(PersonRow.unit).where(PersonRow.number == "A1")) is None


def test_an_import_row_dates_its_own_facts_and_an_earlier_one_keeps_the_latest(app):
    _body()
    with services.tenant("cs", "hr:import") as t:
        import_people(t, [["number", "full_name", "unit", "manager", "corps", "category",
                           "first_appointment", "valid_from"],
                          ["A1", "Mentee A1", "North", "D1", "B", "C-5", "да", "2026-04-01"],
                          ["B1", "Mentee B1", "West", "D1", "B", "C-5", "да", ""]],
                      valid_from="2026-05-01")
        import_people(t, [["number", "full_name", "unit", "manager", "corps", "category",
                           "first_appointment"],
                          ["A1", "Mentee A1", "East", "D1", "B", "C-5", "да"]],
                      valid_from="2026-03-01")
    assert [(d, u) for d, u, _ in _versions("A1")] == [
        (dt.date(2025, 1, 1), None), (dt.date(2026, 3, 1), "East"), (dt.date(2026, 4, 1), "North")]
    assert [(d, u) for d, u, _ in _versions("B1")] == [
        (dt.date(2025, 1, 1), None), (dt.date(2026, 5, 1), "West")]
    with services.tenant("cs", "auditor") as t:
        assert services.find_person(t, "A1").unit == "North"  # still the latest


def test_an_import_dated_earlier_records_the_latest_facts_from_its_day(app):
    """A row whose facts are the person's latest, dated before that latest version, says
    they held from its day: recorded as the services record it (not taken for "nothing
    changed")."""
    _body()
    header = ["number", "full_name", "public_service_start", "last_assessment.year",
              "last_assessment.mark"]
    row = ["S1", "Serik", "2010-01-01", "2026", "unsatisfactory"]
    with services.tenant("cs", "hr:import") as t:
        import_people(t, [header, row], valid_from=MARKED)
        import_people(t, [header, row], valid_from=MARKED)  # the same again: nothing
        import_people(t, [header, row], valid_from="2026-02-01")
    assert [d for d, _, _ in _versions("S1")] == [dt.date(2025, 1, 1), dt.date(2026, 2, 1),
                                                  MARKED]
    with services.tenant("cs", "auditor") as t:
        case = services.sweep(t, dt.date(2026, 7, 1))[1]
        assert case.person_on("S1", ASSIGNED).attributes["last_assessment"]["year"] == 2026


def test_the_cli_import_takes_the_day_its_facts_hold_from(app, tmp_path):
    from click.testing import CliRunner

    from nastavnik.cli import main

    _body()
    path = tmp_path / "staff.csv"
    path.write_text("number;full_name;public_service_start;last_assessment.year;"
                    "last_assessment.mark\nS1;Serik;2010-01-01;2026;unsatisfactory\n",
                    encoding="utf-8")
    run = lambda *extra: CliRunner().invoke(  # noqa: E731
        main, ["person", "import", str(path), "--tenant", "cs", *extra],
        obj={"lang": "en"})
    bad = run("--valid-from", "June")
    assert bad.exit_code == 2 and "not a date" in bad.output
    out = run("--valid-from", "2026-06-01")
    assert out.exit_code == 0, out.output
    assert [d for d, _, _ in _versions("S1")] == [dt.date(2025, 1, 1), MARKED]
    show = lambda *extra: CliRunner().invoke(  # noqa: E731
        main, ["person", "show", "S1", "--tenant", "cs", *extra], obj={"lang": "en"})
    lines = show().output.split("history\n")[1].splitlines()
    assert lines[0] == ('  2026-06-01  attributes.last_assessment={"year": 2026, '
                        '"mark": "unsatisfactory"}')
    assert lines[1].startswith("  2025-01-01  attributes=")
    history = json.loads(show("--json").output)["history"]
    assert [(v["valid_from"], v["changed"]) for v in history] == [
        ("2025-01-01", ["attributes"]), ("2026-06-01", ["attributes.last_assessment"])]


def test_a_person_stored_without_history_keeps_what_they_were(app):
    """People written before there were versions (or past the services): their first
    change keeps their stored facts as the version before it, through a form or an import."""
    _body()
    with services.tenant("cs", "setup"):
        for version in db.session.scalars(sa.select(VersionRow)):
            db.session.delete(version)
    with services.tenant("cs", "auditor") as t:  # shown as one version: their row
        assert person_history.history(services.find_person(t, "S1")) == [
            {"valid_from": person_history.FIRST_DAY, "unit": None, "position": None,
             "manager": None, "attributes": EFFECTIVE, "changed": ["attributes"]}]
    with services.tenant("cs", "hr") as t:
        services.update_person(t, "S1", valid_from="2026-06-01", attributes={
            **EFFECTIVE, "last_assessment": {"year": 2026, "mark": "unsatisfactory"}})
    with services.tenant("cs", "hr:import") as t:
        import_people(t, [["number", "full_name", "unit", "manager", "corps", "category",
                           "first_appointment"],
                          ["A1", "Mentee A1", "North", "D1", "B", "C-5", "да"]],
                      valid_from="2026-05-01")
    assert [(d, c) for d, _, c in _versions("S1")] == [
        (person_history.FIRST_DAY, ["attributes"]), (MARKED, ["attributes.last_assessment"])]
    assert [(d, u) for d, u, _ in _versions("A1")] == [
        (person_history.FIRST_DAY, None), (dt.date(2026, 5, 1), "North")]
    with services.tenant("cs", "auditor") as t:
        case = services.sweep(t, dt.date(2026, 7, 1))[1]
        assert case.person_on("S1", ASSIGNED).attributes["last_assessment"]["year"] == 2025


def test_suggestions_rank_by_the_units_people_were_in_on_the_day(app):
    _body()
    with services.tenant("cs", "hr") as t:
        services.update_person(t, "D1", unit="South", valid_from="2025-01-01")
        services.update_person(t, "S1", unit="North", valid_from="2025-01-01")
        services.update_person(t, "A1", unit="South", valid_from="2025-01-01")
        services.update_person(t, "A1", unit="North", valid_from="2026-05-01")
    with services.tenant("cs", "auditor") as t:
        before = services.suggest_mentors(t, "A1", ASSIGNED)["eligible"]
        after = services.suggest_mentors(t, "A1", MARKED)["eligible"]
    assert [(e["number"], e["unit"], e["same_unit"]) for e in before] == [
        ("D1", "South", True), ("S1", "North", False)]
    assert [(e["number"], e["same_unit"]) for e in after] == [("S1", True), ("D1", False)]


# --- migration 0011 -------------------------------------------------------------------------

def test_migration_0011_keeps_each_persons_facts_as_their_first_version(empty_database, backend):
    from test_regime_facts import _table

    _migrate(empty_database, "0010")
    engine = sa.create_engine(empty_database)
    ids = {k: uuid.uuid4() for k in ("boss", "hired", "other")}
    person = _table("person", number=sa.String, full_name=sa.String, unit=sa.String,
                    position=sa.String, manager_id=sa.Uuid, hired_on=sa.Date, attributes=sa.JSON)
    rows = [{"id": ids["boss"], "number": "B", "unit": None, "position": None, "manager_id": None,
             "hired_on": None, "attributes": {}},
            {"id": ids["hired"], "number": "H", "unit": "Legal", "position": "Expert",
             "manager_id": ids["boss"], "hired_on": dt.date(2024, 9, 2), "attributes": EFFECTIVE}]
    with engine.begin() as c:
        for slug, tenant in (("t", 1), ("u", 2)):
            c.execute(sa.text("insert into tenant (id, slug, name, regime, settings, locale, "
                              "extra_days_off, extra_working_days, created_at, revision) values "
                              "(:id, :slug, 'T', 'civil_service_2013', '{}', 'en', '[]', '[]', "
                              ":now, 0)"),
                      {"id": tenant, "slug": slug, "now": dt.datetime(2026, 1, 1)})
        c.execute(person.insert(), [{**r, "tenant_id": 1, "full_name": r["number"]} for r in rows])
        c.execute(person.insert(), {**rows[0], "id": ids["other"], "tenant_id": 2,
                                    "full_name": "O", "attributes": {"corps": "B"}})
    _migrate(empty_database, "0011")
    version = _table("person_version", person_id=sa.Uuid, valid_from=sa.Date, unit=sa.String,
                     position=sa.String, manager_id=sa.Uuid, attributes=sa.JSON)
    facts = (version.c.tenant_id, version.c.person_id, version.c.valid_from, version.c.unit,
             version.c.position, version.c.manager_id, version.c.attributes)
    with engine.connect() as c:
        stored = {(r[0], r[1]): tuple(r[2:]) for r in c.execute(sa.select(*facts))}
    assert stored == {
        (1, ids["boss"]): (person_history.FIRST_DAY, None, None, None, {}),
        (1, ids["hired"]): (dt.date(2024, 9, 2), "Legal", "Expert", ids["boss"], EFFECTIVE),
        (2, ids["other"]): (person_history.FIRST_DAY, None, None, None, {"corps": "B"})}
    if backend == "postgresql":  # tenant-owned: row-level security as the other tables
        with engine.connect() as c:
            assert c.execute(sa.text("select relrowsecurity from pg_class "
                                     "where relname = 'person_version'")).scalar() is True
            assert c.execute(sa.text("select count(*) from pg_policies "
                                     "where tablename = 'person_version'")).scalar() == 1

    # one version each: the person rows hold it all, and the table goes
    _migrate(empty_database, "0010", down=True)
    assert "person_version" not in sa.inspect(engine).get_table_names()
    with engine.connect() as c:
        assert c.execute(sa.select(person.c.unit, person.c.attributes)
                         .where(person.c.id == ids["hired"])).one() == ("Legal", EFFECTIVE)
    # a history of several versions cannot go back: refused, nothing dropped
    _migrate(empty_database, "0011")
    with engine.begin() as c:
        c.execute(version.insert(), {"tenant_id": 1, "id": ids["other"], "person_id": ids["hired"],
                                     "valid_from": MARKED, "unit": "Audit", "attributes": {}})
    with pytest.raises(RuntimeError, match="several versions"):  # the migration refuses
        _migrate(empty_database, "0010", down=True)
    engine.dispose()
    assert "person_version" in sa.inspect(sa.create_engine(empty_database)).get_table_names()
