"""The audit trail: every change to an agency's records says who made it, when, and what
the record was before and after; nothing is changed without an author; the trail itself
cannot be rewritten.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from nastavnik import services
from nastavnik.core.errors import Refused
from nastavnik.storage import tenancy
from nastavnik.storage.audit import ActorRequired, AuditTrailImmutable
from nastavnik.storage.models import Assignment, AuditEntry, Mentorship, Person, Tenant, db

ON = dt.date(2026, 3, 2)
MENTOR = {"public_service_start": "2010-01-01",
          "last_assessment": {"year": 2025, "mark": "effective"}}
JUNIOR = {"public_service_start": "2025-06-01",
          "last_assessment": {"year": 2025, "mark": "effective"}}
MENTEE = {"corps": "B", "category": "C-5", "first_appointment": True}


def _tenant_id(slug="cs") -> int:
    return db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == slug))


def _trail(slug="cs") -> list[AuditEntry]:
    with services.tenant(slug, "auditor"):
        entries = list(db.session.scalars(sa.select(AuditEntry)))
        db.session.expunge_all()
    return entries


class Recorder:
    """Runs one step and returns the audit entries that step added."""

    def __init__(self, slug="cs"):
        self.slug = slug
        self.seen: set = set()

    def __call__(self, step) -> list[AuditEntry]:
        step()
        new = [e for e in _trail(self.slug) if e.id not in self.seen]
        self.seen |= {e.id for e in new}
        return sorted(new, key=lambda e: (e.entity, e.action, str(e.after or e.before)))


def _one(entries, entity, action):
    found = [e for e in entries if (e.entity, e.action) == (entity, action)]
    assert len(found) == 1, [(e.entity, e.action) for e in entries]
    return found[0]


def _changed(entry) -> dict:
    """The fields an update entry shows as changed: {field: (before, after)}."""
    return {k: (entry.before.get(k), v) for k, v in entry.after.items() if entry.before.get(k) != v}


def test_every_service_change_is_audited_with_actor_before_and_after(app):
    """Each change, from creating the agency to closing a mentorship, leaves an entry
    naming who did it, the kind of record and its id, and the record before and after;
    an update shows exactly the fields that changed, with their old and new values."""
    record = Recorder()

    def create():
        services.create_tenant("cs", "Civil service body", "civil_service_2013",
                               actor="admin:zhanna")
    [entry] = record(create)
    assert (entry.actor, entry.action, entry.entity) == ("admin:zhanna", "create", "tenant")
    assert entry.entity_id == str(_tenant_id()) and entry.tenant_id == _tenant_id()
    assert entry.before is None and entry.after["slug"] == "cs"
    assert entry.at is not None

    [entry] = record(lambda: services.update_tenant("cs", "admin:zhanna", name="Renamed body"))
    assert (entry.action, entry.entity) == ("update", "tenant")
    assert _changed(entry) == {"name": ("Civil service body", "Renamed body")}

    def people():
        with services.tenant("cs", "hr:aigerim") as t:
            services.add_person(t, number="M1", full_name="Serik", attributes=MENTOR)
            services.add_person(t, number="M2", full_name="Dana", attributes=MENTOR)
            services.add_person(t, number="S1", full_name="Nurlan", manager="M1",
                                attributes=MENTEE)
    entries = record(people)
    # each person, and the first version of their facts
    versions = [e for e in entries if e.entity == "person_version"]
    entries = [e for e in entries if e.entity != "person_version"]
    assert [(e.action, e.entity, e.after["number"]) for e in entries] == \
        [("create", "person", n) for n in ("M1", "M2", "S1")]
    assert sorted((e.action, e.after["person_id"]) for e in versions) == \
        sorted(("create", e.entity_id) for e in entries)
    assert {e.actor for e in entries + versions} == {"hr:aigerim"}
    assert all(e.before is None and e.entity_id == e.after["id"] for e in entries + versions)

    def update():
        with services.tenant("cs", "hr:bolat") as t:
            services.update_person(t, "M1", position="Head of division")
    entry, version = sorted(record(update), key=lambda e: e.entity)
    assert (entry.actor, entry.action, entry.entity) == ("hr:bolat", "update", "person")
    assert _changed(entry) == {"position": (None, "Head of division")}
    assert entry.before["full_name"] == entry.after["full_name"] == "Serik"
    # the change holds from today: a version of today's
    assert (version.actor, version.action, version.entity) == \
        ("hr:bolat", "create", "person_version")
    assert version.after["position"] == "Head of division"

    def assign():
        with services.tenant("cs", "hr:aigerim") as t:
            services.assign_mentor(t, "S1", "M1", ON, term_months=2)
    entries = record(assign)
    ms, a = _one(entries, "mentorship", "create"), _one(entries, "assignment", "create")
    assert ms.after["start"] == "2026-03-02" and ms.after["status"] == "open"
    assert a.after["mentorship_id"] == ms.entity_id and a.after["start"] == "2026-03-02"
    assert {ms.actor, a.actor} == {"hr:aigerim"}

    def absence():
        with services.tenant("cs", "hr:aigerim") as t:
            services.record_absence(t, "S1", "2026-03-10", "2026-03-12", reason="sick leave")
    [entry] = record(absence)
    assert (entry.action, entry.entity) == ("create", "absence")
    assert (entry.after["start"], entry.after["end"], entry.after["reason"]) == \
        ("2026-03-10", "2026-03-12", "sick leave")

    def paper():
        with services.tenant("cs", "hr:aigerim") as t:
            services.record_paper(t, "S1", "plan", "2026-03-06", approved_by="Head of unit")
    [entry] = record(paper)
    assert (entry.action, entry.entity, entry.after["done_on"]) == ("create", "paper", "2026-03-06")

    def paper_again():
        with services.tenant("cs", "hr:bolat") as t:
            services.record_paper(t, "S1", "plan", "2026-03-05", approved_by="Head of unit")
    [entry] = record(paper_again)
    assert (entry.actor, entry.action, entry.entity) == ("hr:bolat", "update", "paper")
    assert _changed(entry) == {"done_on": ("2026-03-06", "2026-03-05")}

    def replace():
        with services.tenant("cs", "hr:aigerim") as t:
            services.replace_mentor(t, "S1", "M2", "2026-03-20", "dismissal")
    entries = record(replace)
    ended, started = _one(entries, "assignment", "update"), _one(entries, "assignment", "create")
    assert ended.entity_id == a.entity_id
    assert _changed(ended) == {"end": (None, "2026-03-19"), "end_reason": (None, "dismissal")}
    assert started.after["start"] == "2026-03-20"

    def close():
        with services.tenant("cs", "hr:aigerim") as t:
            services.close_mentorship(t, "S1", "2026-04-30")
    entries = record(close)
    closed = _one(entries, "mentorship", "update")
    assert _changed(closed) == {"status": ("open", "closed"), "ended_on": (None, "2026-04-30")}
    last = _one(entries, "assignment", "update")
    assert last.entity_id == started.entity_id
    assert _changed(last) == {"end": (None, "2026-04-30"),
                              "end_reason": (None, "end_of_mentorship")}


def test_a_refused_assignment_writes_nothing_not_even_an_audit_entry(app):
    """When the rules refuse an assignment (here p.8: under two years of service), the
    refusal leaves no mentorship, no assignment and no audit entry behind."""
    services.create_tenant("cs", "Civil service body", "civil_service_2013", actor="admin")
    with services.tenant("cs", "hr") as t:
        services.add_person(t, number="M1", full_name="Senior", attributes=MENTOR)
        services.add_person(t, number="J1", full_name="Junior", attributes=JUNIOR)
        services.add_person(t, number="S1", full_name="New", manager="M1", attributes=MENTEE)
    before = _trail()
    with pytest.raises(Refused):
        with services.tenant("cs", "hr") as t:
            services.assign_mentor(t, "S1", "J1", ON)
    assert [e.id for e in _trail()] == [e.id for e in before]
    with services.tenant("cs", "hr"):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Mentorship)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Assignment)) == 0


def test_a_change_with_nobody_named_as_its_author_is_refused(app):
    """No anonymous changes: writing tenant data without an actor fails, and nothing is
    written; neither a unit of work nor an agency can be opened or created anonymously."""
    services.create_tenant("cs", "Civil service body", "civil_service_2013", actor="admin")
    tid = _tenant_id()
    with tenancy.tenant_scope(db.session, tid):
        db.session.add(Person(number="GHOST", full_name="Nobody's doing", attributes={}))
        with pytest.raises(ActorRequired):
            db.session.flush()
    db.session.rollback()
    with pytest.raises(ActorRequired):
        with services.tenant("cs", actor=""):
            pass
    with pytest.raises(ActorRequired):
        services.create_tenant("other", "Other body", "civil_service_2013", actor="")
    with pytest.raises(ActorRequired):
        services.update_tenant("cs", actor="", name="Renamed anonymously")
    assert [(t.slug, t.name) for t in services.list_tenants()] == [("cs", "Civil service body")]
    with services.tenant("cs", "hr") as t:
        assert services.list_people(t) == []


def test_the_audit_trail_cannot_be_rewritten_through_the_application(app):
    """The trail is append-only: changing or deleting an entry through the application's
    data layer is refused (on both databases), and the entry stays as written."""
    services.create_tenant("cs", "Civil service body", "civil_service_2013", actor="admin")
    with pytest.raises(AuditTrailImmutable):
        with services.tenant("cs", "intruder"):
            entry = db.session.scalars(sa.select(AuditEntry)).one()
            entry.actor = "someone else"
            db.session.flush()
    with pytest.raises(AuditTrailImmutable):
        with services.tenant("cs", "intruder"):
            db.session.delete(db.session.scalars(sa.select(AuditEntry)).one())
            db.session.flush()
    for statement in (sa.update(AuditEntry).values(actor="someone else"), sa.delete(AuditEntry)):
        with pytest.raises(AuditTrailImmutable):
            with services.tenant("cs", "intruder"):
                db.session.execute(statement)
    assert [e.actor for e in _trail()] == ["admin"]


@pytest.mark.parametrize("statement", [
    "update audit_entry set actor = 'someone else'",
    "delete from audit_entry",
])
def test_the_database_role_cannot_update_or_delete_audit_entries(app, backend, statement):
    """On PostgreSQL the application's role may only read and add audit entries: even
    hand-written SQL that tries to change or delete one is refused by the database."""
    if backend != "postgresql":
        pytest.skip("database roles and privileges are PostgreSQL's; SQLite has none")
    services.create_tenant("cs", "Civil service body", "civil_service_2013", actor="admin")
    with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
        with services.tenant("cs", "intruder"):
            db.session.execute(text(statement))
    assert [e.actor for e in _trail()] == ["admin"]


def test_change_to_a_never_loaded_column_is_audited_with_its_old_value(app):
    """A row flushed without a value for a column, then changed in the same session: the
    entry must still show the change (its old value is read from the database)."""
    import sqlalchemy as sa

    from nastavnik.storage.models import AuditEntry, Person, db

    services.create_tenant("gap", "Gap", "civil_service_2013", actor="test")
    with services.tenant("gap", "hr") as t:
        boss = services.add_person(t, number="B1", full_name="Boss")
        person = Person(number="P1", full_name="New")  # manager_id never set
        db.session.add(person)
        db.session.flush()
        person.manager_id = boss.id
        db.session.flush()
        entry = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.entity_id == str(person.id), AuditEntry.action == "update")).one()
        assert entry.before["manager_id"] is None
        assert entry.after["manager_id"] == str(boss.id)


def test_audit_times_are_the_tenants_local_time_and_days_are_its_days(app):
    """A civil-service body in Kazakhstan reads the trail at Almaty's time (UTC+5), and a
    day's entries are those of its own day, not of a UTC day."""
    from zoneinfo import ZoneInfo

    from nastavnik.services import audit_log

    services.create_tenant("cs", "Civil service body", "civil_service_2013", actor="test")
    with services.tenant("cs", "test") as t:
        services.add_person(t, number="P1", full_name="Aida")
    now = dt.datetime.now(dt.timezone.utc)
    with services.tenant("cs", "test") as t:
        zone = audit_log.time_zone(t)
        assert zone == ZoneInfo("Asia/Almaty")
        [entry] = audit_log.list_entries(t, entity="person").entries
        assert entry.at.utcoffset() == dt.timedelta(hours=5)
        assert abs(entry.at - now) < dt.timedelta(minutes=5)  # the same instant
        local_day = entry.at.date()
        assert len(audit_log.list_entries(t, entity="person", since=local_day,
                                          until=local_day).entries) == 1
        assert audit_log.list_entries(t, entity="person", until=local_day - dt.timedelta(days=1)
                                      ).entries == []
    # Almaty's 2 March begins at 19:00 UTC on 1 March
    assert audit_log._midnight(dt.date(2026, 3, 2), zone) == \
        dt.datetime(2026, 3, 1, 19, 0, tzinfo=dt.timezone.utc)
