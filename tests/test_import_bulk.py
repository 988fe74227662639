"""The import writes people and their audit trail in bulk, past the ORM's unit of work:
the trail must be the one the flush listener records for the same changes, a re-import
audits only the people it changes, one bad row anywhere rejects everything, and no row
goes into another tenant."""

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.services.importing import ImportRejected, check_import, import_people
from nastavnik.storage import tenancy
from nastavnik.storage.models import AuditEntry, Person, Tenant, db

BOSS = {"public_service_start": "2010-01-01", "last_assessment": {"year": 2025, "mark": "effective"}}
HEADER = ["number", "full_name", "unit", "position", "manager", "hired_on", "corps",
          "first_appointment", "last_assessment.year", "last_assessment.mark"]


def _staff(slug):
    """The same stored people in each tenant the test compares."""
    services.create_tenant(slug, slug, "civil_service_2013", actor="setup")
    with services.tenant(slug, "setup") as t:
        services.add_person(t, number="M1", full_name="Boss", unit="HQ", attributes=BOSS)
        services.add_person(t, number="E1", full_name="Aigerim", unit="A", manager="M1")
        services.add_person(t, number="E2", full_name="Bolat", unit="A", manager="M1",
                            hired_on="2020-02-03", attributes={"corps": "B"})
        services.add_person(t, number="E3", full_name="Dana", unit="B", manager="M1")
        services.add_person(t, number="E4", full_name="Erlan", unit="B",
                            attributes={"first_appointment": True})


# Every kind of change the import makes: new people whose manager is stored, earlier in
# the file, later in the file, or one of a cycle of new people; stored people changed,
# unchanged, given a new person as manager, or given other attributes.
FILE = [HEADER,
        ["N1", "Gulnara", "A", "Expert", "N2", "02.03.2026", "B", "да", "", ""],
        ["E1", "Aigerim", "C", "", "M1", "", "", "", "", ""],
        ["N2", "Kairat", "A", "Head", "M1", "2015-09-01", "A", "нет", "2025", "effective"],
        ["E2", "Bolat", "A", "", "M1", "2020-02-03", "B", "", "", ""],
        ["N3", "Madina", "A", "", "N1", "", "", "", "", ""],
        ["E3", "Dana", "B", "Chief expert", "N4", "", "", "", "", ""],
        ["E4", "Erlan", "B", "", "", "", "", "нет", "", ""],
        ["N4", "Nurlan", "B", "Head", "", "", "", "", "", ""],
        ["N5", "Olga", "D", "", "N6", "", "", "", "", ""],
        ["N6", "Pavel", "D", "", "N5", "", "", "", "", ""],
        ["M1", "Boss", "HQ", "", "", "", "", "", "2025", "effective"]]


def _import_through_the_orm(t, rows):
    """The same changes made with ORM objects, as the import made them before it wrote
    in bulk (managers set on creation when already stored or added earlier, else once
    everyone exists): the flush listener records their trail."""
    plan = check_import(t, rows)
    existing = {p.number: p for p in db.session.scalars(sa.select(Person))}
    ids = {number: p.id for number, p in existing.items()}
    new, later = set(), []
    for _, clean, _ in plan:
        person = existing.get(clean["number"])
        created = person is None
        if created:
            person = Person(id=uuid.uuid4(), number=clean["number"])
            db.session.add(person)
            ids[person.number] = person.id
            new.add(person.number)
        person.full_name, person.unit, person.position = (clean["full_name"], clean["unit"],
                                                          clean["position"])
        person.hired_on, person.attributes = clean["hired_on"], clean["attributes"]
        manager = clean["manager"]
        if manager is None or manager in existing or (created and manager in new):
            person.manager_id = ids[manager] if manager else None
        else:
            if created:
                person.manager_id = None
            later.append((person, manager))
    db.session.flush()
    for person, manager in later:
        person.manager_id = ids[manager]
    db.session.flush()


def _trail(slug, actor) -> dict:
    """The actor's person entries by personnel number, in order, with every id and the
    tenant replaced by what they name, so that two tenants' trails compare."""
    with services.tenant(slug, "test"):
        names = {str(i): n for i, n in db.session.execute(sa.select(Person.id, Person.number))}
        entries = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.actor == actor, AuditEntry.entity == "person").order_by(AuditEntry.at))

        def plain(row):
            if row is None:
                return None
            return {**row, "tenant_id": "tenant", "id": names[row["id"]],
                    "manager_id": names.get(row["manager_id"], row["manager_id"])}
        trail = {}
        for e in entries:
            trail.setdefault(names[e.entity_id], []).append(
                (e.action, e.actor, plain(e.before), plain(e.after)))
        db.session.rollback()
    return trail


def test_the_bulk_trail_is_the_one_the_flush_listener_records(app):
    _staff("bulk")
    _staff("orm")
    with services.tenant("bulk", "hr:import") as t:
        result = import_people(t, FILE)
    assert (result.created, result.updated) == (6, 5)
    with services.tenant("orm", "hr:import") as t:
        _import_through_the_orm(t, FILE)

    bulk, orm = _trail("bulk", "hr:import"), _trail("orm", "hr:import")
    assert bulk == orm
    # what that trail is: a create for each new person, and a second entry for those whose
    # manager came later; an update for each stored person changed (M1 lost a public
    # service start the file does not give), none for E2, whose row is as stored
    assert {n: [a for a, *_ in entries] for n, entries in bulk.items()} == {
        "N1": ["create", "update"], "N2": ["create"], "N3": ["create"],
        "N4": ["create"], "N5": ["create", "update"], "N6": ["create"],
        "E1": ["update"], "E3": ["update", "update"], "E4": ["update"], "M1": ["update"]}
    (_, _, before, after), = bulk["E1"]
    assert {k for k in after if before[k] != after[k]} == {"unit"}
    assert (before["unit"], after["unit"]) == ("A", "C")
    (_, _, b1, a1), (_, _, b2, a2) = bulk["E3"]
    assert {k for k in a1 if b1[k] != a1[k]} == {"position"}
    assert (b2["manager_id"], a2["manager_id"]) == ("M1", "N4")
    (_, _, none, created), (_, _, b, a) = bulk["N1"]
    assert none is None and created["manager_id"] is None and a["manager_id"] == "N2"
    assert created["hired_on"] == "2026-03-02" and created["attributes"] == {
        "corps": "B", "first_appointment": True}
    assert bulk["N3"][0][3]["manager_id"] == "N1"

    # and the rows themselves are the same in both tenants
    assert _people("bulk") == _people("orm")


def _people(slug) -> dict:
    with services.tenant(slug, "test") as t:
        return {p.number: services.people.person_dict(t, p) for p in services.list_people(t)}


def _rows(n, unit="A", changed=(), new=0):
    rows = [["number", "full_name", "unit", "manager", "last_assessment.year",
             "last_assessment.mark"]]
    for i in range(n):
        number = f"P{i:03d}"
        rows.append([number, f"Person {i}", "B" if number in changed else unit,
                     "P000" if i else "", "2025", "effective"])
    rows += [[f"Q{i}", f"Newcomer {i}", unit, "P000", "", ""] for i in range(new)]
    return rows


def test_a_reimport_audits_only_the_people_it_changes(app):
    services.create_tenant("cs", "Civil", "civil_service_2013", actor="setup")
    with services.tenant("cs", "hr:import") as t:
        assert import_people(t, _rows(60)).created == 60
    with services.tenant("cs", "hr:again") as t:
        result = import_people(t, _rows(60))
    assert (result.created, result.updated) == (0, 60)
    with services.tenant("cs", "hr:monthly") as t:
        result = import_people(t, _rows(60, changed={"P007", "P042"}, new=1))
    assert (result.created, result.updated) == (1, 60)
    with services.tenant("cs", "test"):
        names = {str(i): n for i, n in db.session.execute(sa.select(Person.id, Person.number))}
        entries = list(db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.actor.in_(["hr:again", "hr:monthly"]))))
        changes = sorted((e.actor, e.action, names[e.entity_id],
                          sorted(k for k in e.after if (e.before or {}).get(k) != e.after[k]))
                         for e in entries if e.entity == "person")
        # and a version for each person whose facts changed (from today), or who is new
        # (from the first record: no hiring date)
        versions = sorted((e.actor, e.action, names[e.after["person_id"]], e.after["unit"],
                           e.after["valid_from"]) for e in entries if e.entity == "person_version")
        today = dt.date.today().isoformat()
        db.session.rollback()
    assert versions == [("hr:monthly", "create", "P007", "B", today),
                        ("hr:monthly", "create", "P042", "B", today),
                        ("hr:monthly", "create", "Q0", "A", "1900-01-01")]
    assert changes == [
        ("hr:monthly", "create", "Q0", ["attributes", "full_name", "id", "manager_id",
                                        "number", "tenant_id", "unit"]),
        ("hr:monthly", "update", "P007", ["unit"]),
        ("hr:monthly", "update", "P042", ["unit"])]
    assert _people("cs")["P042"]["unit"] == "B" and _people("cs")["P041"]["unit"] == "A"


def test_a_bad_row_on_line_99999_rejects_the_whole_file(app):
    services.create_tenant("cs", "Civil", "civil_service_2013", actor="setup")
    with services.tenant("cs", "setup") as t:
        services.add_person(t, number="M1", full_name="Boss")
    rows = [["number", "full_name", "manager", "first_appointment"]]
    rows += [[f"S{i:06d}", f"Person {i}", "M1", "да"] for i in range(2, 100_001)]
    rows[99_998][3] = "perhaps"  # line 99,999 of the file (the header is line 1)
    assert rows[99_998][0] == "S099999"
    with pytest.raises(ImportRejected) as caught:
        with services.tenant("cs", "hr:import") as t:
            import_people(t, rows)
    assert [(line, field) for line, field, _ in caught.value.errors] == [
        (99_999, "first_appointment")]
    with services.tenant("cs", "test"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.actor == "hr:import")) == 0
        db.session.rollback()


def test_the_import_writes_only_into_its_own_tenant(app):
    """Two tenants with the same personnel numbers: an import into one updates and
    refers to its own people only, and its rows and entries carry its tenant."""
    _staff("one")
    _staff("two")
    before = _people("two"), len(_trail("two", "setup"))
    with services.tenant("one", "hr:import") as t:
        import_people(t, FILE)
        one = t.tenant.id
    assert _people("two") == before[0] and len(_trail("two", "setup")) == before[1]
    assert not _trail("two", "hr:import")
    with services.tenant("one", "test"):
        ids = set(db.session.scalars(sa.select(Person.id)))
        tenants = set(db.session.scalars(
            sa.select(Person.tenant_id).execution_options(skip_tenant_scope=True)
            .where(Person.id.in_(ids))))
        audited = set(db.session.scalars(
            sa.select(AuditEntry.tenant_id).execution_options(skip_tenant_scope=True)
            .where(AuditEntry.actor == "hr:import")))
        db.session.rollback()
    # on PostgreSQL row-level security hides the other tenant even unscoped: still one
    assert tenants == {one} and audited == {one}
    assert {p["manager"] for p in _people("one").values()} >= {"M1", "N1", "N2", "N4"}


def test_an_import_for_one_tenant_while_serving_another_is_refused(app):
    _staff("one")
    _staff("two")
    other = db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == "two"))
    with pytest.raises(tenancy.CrossTenantWrite):
        with services.tenant("one", "hr:import") as t:
            with tenancy.tenant_scope(db.session, other):
                import_people(t, FILE)
    assert set(_people("two")) == {"M1", "E1", "E2", "E3", "E4"}
    assert set(_people("one")) == {"M1", "E1", "E2", "E3", "E4"}


# --- the compiled person schema ----------------------------------------------------------------

TRICKY = [
    {}, {"public_service_start": "2026-02-28"}, {"public_service_start": "2026-02-30"},
    {"public_service_start": "2026-2-3"}, {"public_service_start": "20260302"},
    {"public_service_start": "2026-03-02T00:00:00"}, {"public_service_start": "2026-03-02\n"},
    {"public_service_start": "２０２６-03-02"}, {"public_service_start": None},
    {"prior_service_months": 14}, {"prior_service_months": 14.0}, {"prior_service_months": 14.5},
    {"prior_service_months": True}, {"prior_service_months": "14"}, {"prior_service_months": -1},
    {"prior_service_months": 10 ** 30},
    {"category": "C-5"}, {"category": "С-5"}, {"category": "C-5\n"}, {"category": "C-O-3"},
    {"category": "c-5"}, {"category": "C-"}, {"corps": "B"}, {"corps": "b"}, {"corps": None},
    {"first_appointment": 1}, {"first_appointment": "true"}, {"salary": 1},
    {"last_assessment": {"year": 2025}}, {"last_assessment": {"year": 2025, "mark": "good"}},
    {"last_assessment": {"year": 1989, "mark": "effective"}},
    {"last_assessment": {"year": 2025.0, "mark": "effective"}},
    {"last_assessment": {"year": 2025, "mark": "effective", "by": "x"}},
    {"disciplinary_penalties": [{"imposed": "2024-05-01"}, {"kind": "reprimand"}]},
    {"disciplinary_penalties": [{"imposed": "2024-05-01", "until": "2024-13-01"}]},
    {"disciplinary_penalties": {}},
    {"entry_route": "academy"}, {"entry_route": "school"}, {"awards": [{"name": "", "date": "2020-01-01"}]},
    {"awards": [{"name": "Medal", "date": "2020-01-01", "kind": "state"}]},
    {"position_level": "district_prosecutor"}, {"head_or_deputy": "да"},
    {"in_management_reserve": True, "reserve_included_on": "2025-09-01"},
    {"experience_start": "2025-09-31"}, {"prior_experience_months": 0}, {"organisation": 5},
]


@pytest.mark.parametrize("regime", ["civil_service_2013", "prosecutor_2022", "education_reserve"])
def test_the_compiled_schema_judges_as_the_regime_does(regime):
    """The import checks attributes with jsonschema-rs, compiled once; it must accept and
    refuse exactly what the regime's own validation does, with the same error."""
    from nastavnik.core import registry
    from nastavnik.core.errors import InputError
    from nastavnik.services.importing import _CompiledPersonSchema

    own = registry.get(regime)
    compiled = _CompiledPersonSchema(own)

    def verdict(check, attributes):
        try:
            check(attributes, source="attributes")
            return "valid"
        except InputError as exc:
            return (str(exc), exc.field)

    verdicts = [(a, verdict(own.validate_person, a)) for a in TRICKY]
    assert [(a, verdict(compiled.validate_person, a)) for a in TRICKY] == verdicts
    assert {v == "valid" for _, v in verdicts} == {True, False}  # both kinds were tried
