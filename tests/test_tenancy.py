"""Tenant isolation: one agency never sees or changes another agency's data.

Two agencies (tenants) A and B use the platform under the civil service rules. Both have
staff with the same personnel numbers ("M1", "S1"), as real agencies would, and B has
people and mentorships that A does not. Every test serves A and tries to reach B.

The first group runs on both databases and shows the guarantees of the application layer
(``nastavnik.storage.tenancy``); the second runs on PostgreSQL only and shows that the
database itself enforces the same boundary (row-level security), even for hand-written SQL.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from nastavnik import services
from nastavnik.core.errors import NotFound
from nastavnik.storage import tenancy
from nastavnik.storage.models import (TENANT_TABLES, Absence, Assignment, AuditEntry, Mentorship,
                                      Person, Tenant, db)
from nastavnik.storage.tenancy import CrossTenantWrite, TenantRequired

from databases import APP_ROLE

ON = dt.date(2026, 3, 2)
MENTOR = {"public_service_start": "2010-01-01",
          "last_assessment": {"year": 2025, "mark": "effective"}}
MENTEE = {"corps": "B", "category": "C-5", "first_appointment": True}


def _seed(slug: str, mentees: list[str], extra: list[str] = ()) -> None:
    services.create_tenant(slug, f"Agency {slug}", "civil_service_2013", actor="admin")
    with services.tenant(slug, "hr") as t:
        services.add_person(t, number="M1", full_name=f"Mentor of {slug}", attributes=MENTOR)
        for number in [*mentees, *extra]:
            services.add_person(t, number=number, full_name=f"{number} of {slug}",
                                manager="M1", attributes=MENTEE)
        for number in mentees:
            services.assign_mentor(t, number, "M1", ON)
        services.record_absence(t, "M1", dt.date(2026, 3, 10), dt.date(2026, 3, 11))


@pytest.fixture
def two_tenants(app):
    """A: mentor M1, mentee S1. B: mentor M1, mentees S1 and S2, and X9 whom A lacks."""
    _seed("agency-a", ["S1"])
    _seed("agency-b", ["S1", "S2"], extra=["X9"])
    ids = {t.slug: t.id for t in db.session.scalars(sa.select(Tenant))}
    a, b = ids["agency-a"], ids["agency-b"]
    with services.tenant("agency-b", "hr"):
        b_people = {p.number: p.id for p in db.session.scalars(sa.select(Person))}
        b_mentorships = list(db.session.scalars(sa.select(Mentorship.id)))
    db.session.remove()  # nothing of B stays in the session: each test reaches for B itself
    return {"a": a, "b": b, "b_people": b_people, "b_mentorships": b_mentorships}


@pytest.fixture
def pg(backend):
    if backend != "postgresql":
        pytest.skip("row-level security and database roles are PostgreSQL's; "
                    "SQLite has neither, so only the application layer guards it")


def _b_snapshot():
    """B's people and mentorships as B itself sees them."""
    with services.tenant("agency-b", "hr"):
        people = sorted((p.number, p.full_name, p.unit) for p in db.session.scalars(sa.select(Person)))
        mentorships = db.session.scalar(sa.select(sa.func.count()).select_from(Mentorship))
        audit = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry))
    return people, mentorships, audit


# --- the application layer (both databases) ---------------------------------------------------

def test_queries_while_serving_a_tenant_see_only_its_rows(two_tenants):
    """Whatever the form of the question (a list, a count, a join, an EXISTS, a look-up by
    primary key), an agency's staff only ever see their own agency's records."""
    b, b_people, b_ms = two_tenants["b"], two_tenants["b_people"], two_tenants["b_mentorships"]
    with services.tenant("agency-a", "hr"):
        s = db.session
        assert sorted((p.number, p.full_name) for p in s.scalars(sa.select(Person))) == \
            [("M1", "Mentor of agency-a"), ("S1", "S1 of agency-a")]
        assert s.scalar(sa.select(sa.func.count()).select_from(Person)) == 2
        assert s.scalar(sa.select(sa.func.count(Mentorship.id))) == 1
        assert s.scalar(sa.select(sa.func.count()).select_from(Assignment)) == 1
        assert s.scalar(sa.select(sa.func.count()).select_from(Absence)) == 1
        joined = s.execute(sa.select(Person.full_name, Mentorship.start)
                           .join(Mentorship, Mentorship.mentee_id == Person.id)
                           .join(Assignment, Assignment.mentorship_id == Mentorship.id)).all()
        assert joined == [("S1 of agency-a", ON)]
        assert not s.scalar(sa.select(sa.exists().where(Person.number == "X9")))
        in_subquery = s.scalars(sa.select(Person.number).where(
            Person.id.in_(sa.select(Mentorship.mentee_id)))).all()
        assert in_subquery == ["S1"]
        assert s.get(Person, {"tenant_id": b, "id": b_people["X9"]}) is None
        assert s.get(Person, {"tenant_id": b, "id": b_people["M1"]}) is None
        for mid in b_ms:
            assert s.get(Mentorship, {"tenant_id": b, "id": mid}) is None
        assert {e.tenant_id for e in s.scalars(sa.select(AuditEntry))} == {two_tenants["a"]}


def test_rows_of_another_tenant_loaded_earlier_in_the_session_stay_hidden(two_tenants):
    """Even when one transaction serves B and then A, what was read for B cannot be
    looked up, listed or read while serving A (reading it fails: the record is not there
    for A), and is B's again once B is served."""
    b, b_people = two_tenants["b"], two_tenants["b_people"]
    session = db.session()
    with tenancy.tenant_scope(session, b):
        b_person = session.get(Person, {"tenant_id": b, "id": b_people["X9"]})
        b_mentor = session.get(Person, {"tenant_id": b, "id": b_people["M1"]})
        assert (b_person.number, b_mentor.full_name) == ("X9", "Mentor of agency-b")
        with tenancy.tenant_scope(session, two_tenants["a"]):
            assert session.get(Person, {"tenant_id": b, "id": b_people["X9"]}) is None
            assert "X9" not in session.scalars(sa.select(Person.number)).all()
            with pytest.raises(sa.orm.exc.ObjectDeletedError):
                b_mentor.full_name  # noqa: B018 - reading is the point
        assert b_mentor.full_name == "Mentor of agency-b"
    session.rollback()


def test_a_query_with_no_tenant_selected_is_refused(two_tenants):
    """Fail closed: asking for tenant data without saying whose is an error, not an answer
    drawn from every agency. The platform's own list of agencies needs no tenant."""
    s = db.session
    with pytest.raises(TenantRequired):
        s.scalars(sa.select(Person)).all()
    with pytest.raises(TenantRequired):
        s.scalar(sa.select(sa.func.count()).select_from(Mentorship))
    with pytest.raises(TenantRequired):
        s.scalar(sa.select(sa.exists().where(Person.number == "X9")))
    with pytest.raises(TenantRequired):
        s.get(Person, {"tenant_id": two_tenants["b"], "id": two_tenants["b_people"]["X9"]})
    with pytest.raises(TenantRequired):
        s.execute(sa.update(Person).values(unit="x"))
    s.rollback()
    assert [t.slug for t in services.list_tenants()] == ["agency-a", "agency-b"]


def test_adding_a_row_for_another_tenant_is_refused_and_writes_nothing(two_tenants):
    """A record created while serving A can only belong to A; one labelled as B's is
    refused, and the whole unit of work is rolled back."""
    before = _b_snapshot()
    with pytest.raises(CrossTenantWrite):
        with services.tenant("agency-a", "hr") as t:
            services.add_person(t, number="A2", full_name="legit", attributes=MENTOR)
            db.session.add(Person(tenant_id=two_tenants["b"], number="INTRUDER",
                                  full_name="planted in B", attributes={}))
            db.session.flush()
    assert _b_snapshot() == before
    with services.tenant("agency-a", "hr") as t:
        assert [p.number for p in services.list_people(t)] == ["M1", "S1"]


def test_changing_or_deleting_a_row_of_another_tenant_is_refused_and_writes_nothing(two_tenants):
    """A record of B held in memory (read earlier, while serving B) cannot be changed,
    deleted or moved while serving A; nor can A's own record be handed over to B."""
    b = two_tenants["b"]
    with services.tenant("agency-b", "hr") as t:
        b_person = services.find_person(t, "X9")
        b_mentor = services.find_person(t, "M1")
    before = _b_snapshot()

    with pytest.raises(CrossTenantWrite):
        with services.tenant("agency-a", "hr"):
            b_person.full_name = "renamed from A"
            db.session.flush()
    with pytest.raises(CrossTenantWrite):
        with services.tenant("agency-a", "hr"):
            db.session.delete(b_mentor)
            db.session.flush()
    with pytest.raises(CrossTenantWrite):
        with services.tenant("agency-a", "hr") as t:
            mine = services.find_person(t, "S1")
            mine.tenant_id = b
            db.session.flush()

    assert _b_snapshot() == before
    with services.tenant("agency-a", "hr") as t:
        assert [p.number for p in services.list_people(t)] == ["M1", "S1"]


def test_bulk_updates_and_deletes_only_touch_the_served_tenant(two_tenants):
    """A change made to "all" records while serving A means all of A's records."""
    before = _b_snapshot()
    with services.tenant("agency-a", "hr"):
        changed = db.session.execute(sa.update(Person).values(unit="Unit A"))
        assert changed.rowcount == 2
        gone = db.session.execute(sa.delete(Absence))
        assert gone.rowcount == 1
    assert _b_snapshot() == before
    with services.tenant("agency-b", "hr"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Absence)) == 1


def test_looking_up_another_tenants_people_or_mentorships_finds_nothing(two_tenants):
    """Personnel numbers and mentorship ids are resolved within the served agency only:
    B's are unknown to A, and a number both agencies use means A's own person."""
    with services.tenant("agency-a", "hr") as t:
        with pytest.raises(NotFound):
            services.find_person(t, "X9")
        with pytest.raises(NotFound):
            services.find_person(t, "S2")
        for mid in two_tenants["b_mentorships"]:
            with pytest.raises(NotFound):
                services.find_mentorship(t, str(mid))
            with pytest.raises(NotFound):
                services.find_mentorship(t, str(mid)[:8])
        with pytest.raises(NotFound):
            services.find_mentorship(t, "S2")  # B's mentee's number
        with pytest.raises(NotFound):
            services.assign_mentor(t, "X9", "M1", ON)
        mine = services.find_person(t, "M1")
        assert mine.full_name == "Mentor of agency-a"
        assert services.find_mentorship(t, "S1").mentee_id == services.find_person(t, "S1").id


# --- the database itself (PostgreSQL) ---------------------------------------------------------

def test_raw_sql_sees_only_the_served_tenants_rows(two_tenants, pg):
    """Row-level security: even SQL written by hand, which the application's filters never
    see, returns only the served agency's rows."""
    with services.tenant("agency-a", "hr"):
        run = db.session.execute
        assert run(text("select current_setting('app.tenant_id')")).scalar() == str(two_tenants["a"])
        assert run(text("select count(*) from person")).scalar() == 2
        assert run(text("select count(*) from mentorship")).scalar() == 1
        assert run(text("select count(*) from assignment")).scalar() == 1
        assert run(text("select distinct tenant_id from audit_entry")).scalars().all() == \
            [two_tenants["a"]]
        assert run(text("select count(*) from person where number = 'X9'")).scalar() == 0
        touched = run(text("update person set unit = 'taken over' where tenant_id = :b"),
                      {"b": two_tenants["b"]})
        assert touched.rowcount == 0


def test_raw_insert_of_another_tenants_row_is_rejected_by_the_database(two_tenants, pg):
    """Row-level security's WITH CHECK: the database refuses to store a row for B in a
    transaction serving A, and the error reported is that refusal."""
    before = _b_snapshot()
    with pytest.raises(sa.exc.DBAPIError, match="row-level security"):
        with services.tenant("agency-a", "hr"):
            db.session.execute(text(
                "insert into person (tenant_id, id, number, full_name, attributes) "
                "values (:b, :id, 'INTRUDER', 'planted in B', '{}')"),
                {"b": two_tenants["b"], "id": uuid.uuid4()})
    assert _b_snapshot() == before


def test_the_application_role_is_bound_by_row_level_security(app, pg):
    """Policies do not bind superusers, roles that bypass RLS, or a table's owner. The
    role the application connects as is none of these, and every tenant table has row-
    level security switched on with a policy, so the policies really bind it."""
    run = db.session.execute
    role = run(text("select rolname, rolsuper, rolbypassrls from pg_roles "
                    "where rolname = current_user")).one()
    assert role == (APP_ROLE, False, False)
    owned = run(text("select tablename from pg_tables where schemaname = 'public' "
                     "and tableowner = current_user")).scalars().all()
    assert owned == []
    secured = dict(run(text("select relname, relrowsecurity from pg_class "
                            "where relname = any(:t) and relkind = 'r'"),
                        {"t": list(TENANT_TABLES)}).all())
    assert secured == {t: True for t in TENANT_TABLES}
    policies = run(text("select tablename from pg_policies where schemaname = 'public'")
                   ).scalars().all()
    assert set(TENANT_TABLES) <= set(policies)
    db.session.rollback()


def test_with_no_tenant_selected_raw_sql_sees_nothing(two_tenants, pg):
    """Outside any agency's unit of work, hand-written SQL finds no tenant rows at all,
    including right after a unit of work for A has ended on the same pooled connection."""
    with services.tenant("agency-a", "hr"):
        assert db.session.execute(text("select count(*) from person")).scalar() == 2
    run = db.session.execute
    assert run(text("select current_setting('app.tenant_id', true)")).scalar() in ("", None)
    for table in TENANT_TABLES:
        assert run(text(f"select count(*) from {table}")).scalar() == 0, table
    db.session.rollback()
