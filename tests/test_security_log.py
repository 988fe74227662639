"""The security log: what happens to accounts (logins, failed ones and lockouts, users,
roles, passwords, API tokens) is recorded with who, when and from where; and on
PostgreSQL the database itself stamps each audit entry and security event with the
transaction's actor and its own clock, so that the application's role cannot write one
in another's name or backdate it."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main
from nastavnik.services import logins
from nastavnik.storage import audit
from nastavnik.storage.models import AuditEntry, Person, Tenant, db
from nastavnik.storage.security import SecurityEvent

from accounts_web import PASSWORD, client_for, csrf, login
from accounts_web import web  # noqa: F401  (a fixture)


def events(app=None, **where) -> list[tuple]:
    def read():
        q = sa.select(SecurityEvent).order_by(SecurityEvent.id)
        for key, value in where.items():
            q = q.where(getattr(SecurityEvent, key) == value)
        rows = [(e.kind, e.actor, e.subject_email, e.address, e.tenant_id, e.details)
                for e in db.session.scalars(q)]
        db.session.remove()
        return rows
    if app is None:
        return read()
    with app.app_context():
        return read()


def test_account_changes_are_recorded_with_their_actor(app):
    services.create_tenant("alpha", "Alpha agency", "civil_service_2013", actor="test")
    alpha = db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == "alpha"))
    services.users.create_user("a@alpha.kz", "A", PASSWORD, actor="cli:root")
    services.users.grant("a@alpha.kz", "alpha", "viewer", actor="cli:root")
    services.users.grant("a@alpha.kz", "alpha", "hr_officer", actor="cli:root")
    services.users.grant("a@alpha.kz", "alpha", "hr_officer", actor="cli:root")  # no change
    row, _token = services.tokens.create_token("a@alpha.kz", "hr system", actor="cli:root")
    services.tokens.revoke_token("a@alpha.kz", row.id, actor="cli:root")
    services.users.set_password("a@alpha.kz", "plum orchard kettle", actor="cli:root")
    services.users.revoke("a@alpha.kz", "alpha", actor="cli:root")
    services.users.deactivate("a@alpha.kz", actor="cli:root")
    services.users.activate("a@alpha.kz", actor="cli:root")
    token = {"token": row.id, "name": "hr system", "prefix": row.prefix}
    assert events(subject_email="a@alpha.kz") == [
        ("user_created", "cli:root", "a@alpha.kz", None, None, None),
        ("role_granted", "cli:root", "a@alpha.kz", None, alpha,
         {"tenant": "alpha", "role": "viewer", "before": None}),
        ("role_granted", "cli:root", "a@alpha.kz", None, alpha,
         {"tenant": "alpha", "role": "hr_officer", "before": "viewer"}),
        ("token_created", "cli:root", "a@alpha.kz", None, None, token),
        ("token_revoked", "cli:root", "a@alpha.kz", None, None, token),
        ("password_changed", "cli:root", "a@alpha.kz", None, None, {"sessions_ended": 0}),
        ("role_revoked", "cli:root", "a@alpha.kz", None, alpha,
         {"tenant": "alpha", "role": "hr_officer", "sessions_ended": 0}),
        ("user_deactivated", "cli:root", "a@alpha.kz", None, None, {"sessions_ended": 0}),
        ("user_activated", "cli:root", "a@alpha.kz", None, None, None),
    ]


def test_logins_failures_lockouts_and_the_web_are_recorded_with_the_address(web):
    client = client_for(web, address="198.51.100.7")
    assert login(client, "hr@alpha.kz").status_code == 302
    page = client.get("/account/tokens").get_data(as_text=True)
    import re
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    assert client.post("/account/tokens", data={"name": "reports", "csrf_token": token}).status_code == 201
    client.post("/logout", data={"csrf_token": csrf(client, "/t/alpha/")})
    guesser = client_for(web, address="203.0.113.5")
    for _ in range(logins.ACCOUNT.threshold):
        login(guesser, "hr@alpha.kz", "wrong guess")
    login(guesser, "nobody@alpha.kz", "wrong guess")
    recorded = [(kind, actor, subject, address) for kind, actor, subject, address, _t, _d
                in events(web) if kind not in ("user_created", "role_granted")]
    assert recorded == [
        ("login", "web:hr@alpha.kz", "hr@alpha.kz", "198.51.100.7"),
        ("token_created", "web:hr@alpha.kz", "hr@alpha.kz", "198.51.100.7"),
        ("logout", "web:hr@alpha.kz", "hr@alpha.kz", "198.51.100.7"),
        *[("login_failed", "anonymous", "hr@alpha.kz", "203.0.113.5")] * logins.ACCOUNT.threshold,
        ("account_locked", "anonymous", "hr@alpha.kz", "203.0.113.5"),
        ("login_failed", "anonymous", "nobody@alpha.kz", "203.0.113.5"),
    ]
    # the lock's end is in the log, and refused attempts while locked add nothing
    locked = events(web, kind="account_locked")[0]
    assert dt.datetime.fromisoformat(locked[5]["until"]) > dt.datetime.now(dt.timezone.utc)
    before = len(events(web))
    for _ in range(20):
        assert login(guesser, "hr@alpha.kz", PASSWORD).status_code == 429
    assert len(events(web)) == before


def test_the_cli_shows_the_log_to_the_platforms_admins(web, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url)  # the CLI, as run beside the app
    login(client_for(web, address="203.0.113.5"), "hr@alpha.kz", "wrong guess")
    runner = CliRunner()
    out = runner.invoke(main, ["security-log", "--json"], obj={})
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert rows[0]["kind"] == "login_failed" and rows[0]["address"] == "203.0.113.5"
    assert rows[0]["subject"] == "hr@alpha.kz" and rows[0]["actor"] == "anonymous"
    assert {r["kind"] for r in rows} == {"login_failed", "user_created", "role_granted"}
    at = dt.datetime.fromisoformat(rows[0]["at"])
    assert abs(at - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)
    only = json.loads(runner.invoke(main, ["security-log", "--json", "--kind", "role_granted"],
                                    obj={}).output)
    assert [r["subject"] for r in only] == ["viewer@alpha.kz", "hr@alpha.kz"]
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert json.loads(runner.invoke(main, ["security-log", "--json", "--since", tomorrow],
                                    obj={}).output) == []
    text = runner.invoke(main, ["security-log", "--limit", "1"], obj={}).output
    assert "login_failed" in text and "hr@alpha.kz" in text and "from 203.0.113.5" in text
    bad = runner.invoke(main, ["security-log", "--kind", "nonsense"], obj={})
    assert bad.exit_code == 2 and "one of login" in bad.output
    # the CLI names its user as the actor of what it changes
    runner.invoke(main, ["user", "deactivate", "viewer@alpha.kz", "--actor", "cli:ops"],
                  obj={})
    assert events(web, kind="user_deactivated")[0][1] == "cli:ops"


# --- PostgreSQL: the database stamps who and when -----------------------------------------

@pytest.fixture
def pg(backend):
    if backend != "postgresql":
        pytest.skip("database roles and triggers bind the application's role on PostgreSQL; "
                    "on SQLite whoever runs the application owns the file (storage.audit)")


def _tenant(slug="cs") -> int:
    services.create_tenant(slug, "Civil service body", "civil_service_2013", actor="admin")
    return db.session.scalar(sa.select(Tenant.id).where(Tenant.slug == slug))


def _raw_insert(connection, tenant_id, actor_setting):
    connection.execute(sa.text("select set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
    if actor_setting is not None:
        connection.execute(sa.text("select set_config('app.actor', :a, true)"), {"a": actor_setting})
    entry = uuid.uuid4()
    connection.execute(sa.text(
        "insert into audit_entry (tenant_id, id, at, actor, action, entity, entity_id) "
        "values (:t, :id, '2001-01-01 00:00:00+00', 'someone-else', 'update', 'person', 'x')"),
        {"t": tenant_id, "id": entry})
    return entry


def test_the_database_stamps_an_audit_entry_with_the_transactions_actor_and_its_clock(pg, app, database_url):
    tenant_id = _tenant()
    db.session.remove()
    engine = sa.create_engine(database_url)  # the application's role, as raw SQL
    try:
        with engine.begin() as c:
            assert c.execute(sa.text("select current_user")).scalar() == "nastavnik_app"
            entry = _raw_insert(c, tenant_id, "cli:real")
            now = c.execute(sa.text("select now()")).scalar()
        with engine.begin() as c:
            c.execute(sa.text("select set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)})
            actor, at = c.execute(sa.text("select actor, at from audit_entry where id = :id"),
                                  {"id": entry}).one()
        assert actor == "cli:real"
        assert abs(at - now) < dt.timedelta(minutes=1)
        for setting in (None, ""):
            with pytest.raises(sa.exc.DBAPIError, match="no actor for audit_entry"):
                with engine.begin() as c:
                    _raw_insert(c, tenant_id, setting)
    finally:
        engine.dispose()


def test_the_database_stamps_a_security_event_and_refuses_one_with_no_actor(pg, app, database_url):
    engine = sa.create_engine(database_url)
    try:
        insert = sa.text("insert into security_event (at, actor, kind) "
                         "values ('2001-01-01 00:00:00+00', 'someone-else', 'login')")
        with engine.begin() as c:
            c.execute(sa.text("select set_config('app.actor', 'web:real@alpha.kz', true)"))
            c.execute(insert)
        with engine.begin() as c:
            actor, at = c.execute(sa.text("select actor, at from security_event")).one()
        assert actor == "web:real@alpha.kz" and at.year >= 2026
        with pytest.raises(sa.exc.DBAPIError, match="no actor for security_event"):
            with engine.begin() as c:
                c.execute(insert)
    finally:
        engine.dispose()


@pytest.mark.parametrize("statement", [
    "update security_event set actor = 'someone-else'",
    "delete from security_event",
    "truncate security_event",
    "truncate audit_entry",
    "alter table audit_entry disable trigger stamp_actor_and_time",
    "alter table security_event disable trigger stamp_actor_and_time",
    "drop trigger stamp_actor_and_time on audit_entry",
    "create or replace function stamp_actor_and_time() returns trigger language plpgsql "
    "as $$ begin return new; end $$",
    "set session_replication_role = replica",
])
def test_the_application_role_cannot_rewrite_the_log_nor_turn_the_stamp_off(pg, app, database_url,
                                                                             statement):
    services.users.create_user("a@alpha.kz", "A", PASSWORD, actor="cli:root")
    db.session.remove()
    engine = sa.create_engine(database_url)
    try:
        with pytest.raises(sa.exc.DBAPIError, match="permission denied|must be owner"):
            with engine.begin() as c:
                c.execute(sa.text(statement))
    finally:
        engine.dispose()
    assert events(kind="user_created") == [("user_created", "cli:root", "a@alpha.kz", None, None, None)]


def test_entries_written_in_bulk_get_the_databases_clock_not_the_one_passed(pg, app):
    tenant_id = _tenant()
    with services.tenant("cs", "import:hr") as work:
        row = {"tenant_id": tenant_id, "id": str(uuid.uuid4()), "number": "P1"}
        audit.record_rows(work.session, "person", [("create", None, row)],
                          at=dt.datetime(2001, 1, 1, tzinfo=dt.timezone.utc))
    with services.tenant("cs", "auditor") as work:
        entry = work.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "person")).one()
        assert entry.actor == "import:hr" and entry.at.year >= 2026


def test_the_orm_writes_the_sessions_actor_through_the_trigger(pg, app):
    _tenant()
    with services.tenant("cs", "hr:aigerim") as work:
        work.session.add(Person(number="P1", full_name="Someone"))
    with services.tenant("cs", "auditor") as work:
        actors = [e.actor for e in work.session.scalars(
            sa.select(AuditEntry).where(AuditEntry.entity == "person"))]
    assert actors == ["hr:aigerim"]
    # an entry flushed with no actor named is refused by the application first
    with pytest.raises(audit.ActorRequired):
        with services.tenant("cs", "x") as work:
            work.session.info.pop(audit.ACTOR_KEY)
            work.session.add(Person(number="P2", full_name="Nobody's"))
            work.session.flush()


def test_the_platforms_admins_read_the_log_in_the_admin(web):
    login(client_for(web, address="203.0.113.5"), "hr@alpha.kz", "wrong guess")
    with web.app_context():
        row, _token = services.tokens.create_token("hr@alpha.kz", "hr system", actor="cli:root")
        prefix = row.prefix
    hr = client_for(web)
    login(hr, "hr@alpha.kz")
    assert hr.get("/account/security-log").status_code == 403
    assert 'href="/account/security-log"' not in hr.get("/t/alpha/").get_data(as_text=True)
    root = client_for(web, lang="ru")
    assert login(root, "root@platform.kz", "correct horse 2").status_code == 302
    assert 'href="/account/security-log"' in root.get("/t/alpha/").get_data(as_text=True)
    page = root.get("/account/security-log").get_data(as_text=True)
    assert "Журнал безопасности" in page and "неудачная попытка входа" in page
    assert "203.0.113.5" in page and "токен API создан" in page
    assert f"hr system ({prefix}…)" in page
    assert "роль назначена" in page and "сотрудник кадровой службы в alpha" in page
    only = root.get("/account/security-log", query_string={"kind": "login_failed"}).get_data(
        as_text=True).split("<tbody>")[1]
    assert "неудачная попытка входа" in only and "токен API создан" not in only
    bad = root.get("/account/security-log", query_string={"kind": "nonsense"})
    assert bad.status_code == 422 and "Выберите вид события из списка." in bad.get_data(as_text=True)
