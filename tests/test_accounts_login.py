"""The login form against password guessing and its other tricks: per-account lockout with
backoff (the right password does not open a locked account), per-address throttling, an
unknown e-mail costing what a known one costs, and redirects only to this site."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.services import logins
from nastavnik.storage import accounts
from nastavnik.storage.accounts import LoginAttempt
from nastavnik.storage.models import db
from nastavnik.storage.security import SecurityEvent

from accounts_web import PASSWORD, client_for, csrf, login, make_app, text
from accounts_web import web  # noqa: F401  (a fixture)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


class Clock:
    """The time services.logins reads, moved by the test."""

    def __init__(self, monkeypatch, start=T0):
        self.now = start
        monkeypatch.setattr(logins, "_now", lambda: self.now)

    def advance(self, **delta):
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def hashes(monkeypatch):
    """How many password hashes were checked (each is scrypt's work)."""
    calls = []
    real = accounts.check_password_hash

    def counting(pwhash, password):
        calls.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    return calls


# --- per account ---------------------------------------------------------------------------

def test_five_failures_lock_the_account_and_the_right_password_does_not_open_it(web, clock, hashes):
    client = client_for(web)
    for _ in range(4):
        assert login(client, "hr@alpha.kz", "wrong guess").status_code == 401
    fifth = login(client, "hr@alpha.kz", "wrong guess")
    assert fifth.status_code == 429  # this failure starts the lock, and says so at once
    assert len(hashes) == 5
    locked = login(client, "hr@alpha.kz", PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) == 15 * 60
    page = text(locked)
    assert "This account is locked after too many failed logins." in page
    assert "09:15 UTC" in page  # when it opens: 15 minutes after the fifth failure
    assert client.get("/t/alpha/").status_code == 302  # not logged in
    # 200 more guesses, and the right one among them: not one password is checked
    for _ in range(200):
        assert login(client, "hr@alpha.kz", "wrong guess").status_code == 429
    assert login(client, "hr@alpha.kz", PASSWORD).status_code == 429
    assert len(hashes) == 5
    clock.advance(minutes=15, seconds=1)
    assert login(client, "hr@alpha.kz", PASSWORD).status_code == 302
    assert client.get("/t/alpha/").status_code == 200


def test_the_lock_doubles_with_each_failure_after_it_and_a_login_clears_it(web, clock):
    client = client_for(web)
    for _ in range(5):
        login(client, "hr@alpha.kz", "wrong guess")
    expected = 15
    for _ in range(3):
        clock.advance(minutes=expected, seconds=1)
        failed = login(client, "hr@alpha.kz", "wrong guess")  # one more guess after it opens
        assert failed.status_code == 429
        expected *= 2
        assert int(failed.headers["Retry-After"]) == expected * 60
    clock.advance(minutes=expected, seconds=1)
    assert login(client, "hr@alpha.kz", PASSWORD).status_code == 302
    # the streak is over: four failures do not lock
    other = client_for(web)
    for _ in range(4):
        assert login(other, "hr@alpha.kz", "wrong guess").status_code == 401
    assert login(other, "hr@alpha.kz", PASSWORD).status_code == 302


def test_an_unknown_email_is_locked_the_same_way(web, clock):
    client = client_for(web)
    answers = [login(client, "nobody@alpha.kz", "wrong guess").status_code for _ in range(6)]
    known = client_for(web, address="10.9.9.9")
    answers_known = [login(known, "hr@alpha.kz", "wrong guess").status_code for _ in range(6)]
    assert answers == answers_known == [401, 401, 401, 401, 429, 429]


def test_the_lock_is_said_in_the_users_language(web, clock):
    for _ in range(5):
        login(client_for(web), "hr@alpha.kz", "wrong guess")
    ru = text(login(client_for(web, lang="ru"), "hr@alpha.kz", PASSWORD))
    assert "Учетная запись заблокирована после слишком многих неудачных попыток входа." in ru
    assert "09:15 UTC" in ru
    kk = text(login(client_for(web, lang="kk"), "hr@alpha.kz", PASSWORD))
    assert "Бұл тіркелгі тым көп сәтсіз кіру әрекетінен кейін бұғатталды." in kk


def test_guesses_sent_at_once_are_counted_at_once(web, clock, hashes):
    """An attempt is counted before its password is checked: five attempts still being
    checked (pending) lock the account for the sixth, which checks nothing."""
    with web.app_context():
        for _ in range(5):
            db.session.add(LoginAttempt(email="hr@alpha.kz", address="10.1.1.1", at=T0,
                                        outcome="pending"))
        db.session.commit()
    assert login(client_for(web), "hr@alpha.kz", PASSWORD).status_code == 429
    assert hashes == []


def test_concurrent_guesses_do_not_all_get_checked(web, clock, hashes):
    """Twenty guesses at the same moment from twenty threads: no more than the threshold
    are checked, not all twenty. Each attempt is committed before its count is looked at
    again, so the k-th to commit sees the k-1 before it (pending or failed): from the
    sixth on, none is checked."""
    barrier = threading.Barrier(20)
    outcomes = []

    def guess():
        with web.app_context():
            barrier.wait()
            try:
                outcomes.append(services.users.authenticate("hr@alpha.kz", "wrong guess",
                                                            "10.2.2.2"))
            except logins.Throttled:
                outcomes.append("throttled")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 20 and outcomes.count("throttled") >= 20 - logins.ACCOUNT.threshold
    assert len(hashes) <= logins.ACCOUNT.threshold


# --- per address ---------------------------------------------------------------------------

def test_many_accounts_from_one_address_are_throttled(web, clock, hashes):
    attacker = client_for(web, address="203.0.113.9")
    for i in range(logins.ADDRESS.threshold - 1):
        assert login(attacker, f"user{i}@alpha.kz", "wrong guess").status_code == 401
    last = login(attacker, "someone@alpha.kz", "wrong guess")
    assert last.status_code == 429
    assert "Too many failed logins from your network address." in text(last)
    checked = len(hashes)
    # from there even a real account with its right password waits; nothing is checked
    paused = login(attacker, "hr@alpha.kz", PASSWORD)
    assert paused.status_code == 429 and "09:01 UTC" in text(paused)
    assert len(hashes) == checked
    # another address is not affected, and neither is the account itself
    assert login(client_for(web, address="198.51.100.1"), "hr@alpha.kz", PASSWORD).status_code == 302
    clock.advance(minutes=1, seconds=1)
    assert login(attacker, "hr@alpha.kz", PASSWORD).status_code == 302


def test_the_addresses_of_one_ipv6_subscriber_count_as_one(web, clock, monkeypatch):
    """An IPv6 client usually has a whole /64: trying from a new address of it each time
    does not escape the throttle; another /64 is another client."""
    monkeypatch.setattr(logins, "ADDRESS", logins.Backoff(
        threshold=3, base=dt.timedelta(minutes=1), cap=dt.timedelta(hours=1),
        lookback=dt.timedelta(hours=1)))
    for i in range(3):
        login(client_for(web, address=f"2001:db8:1:2::{i + 1:x}"), f"u{i}@alpha.kz", "wrong guess")
    assert login(client_for(web, address="2001:db8:1:2:ffff::9"), "hr@alpha.kz",
                 PASSWORD).status_code == 429
    assert login(client_for(web, address="2001:db8:1:3::1"), "hr@alpha.kz",
                 PASSWORD).status_code == 302
    with web.app_context():  # the log keeps each address as it was
        addresses = set(db.session.scalars(sa.select(SecurityEvent.address).where(
            SecurityEvent.kind == "login_failed")))
    assert addresses == {"2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2::3"}


def test_behind_a_proxy_the_clients_address_is_the_one_throttled(database_url, clock, monkeypatch):
    monkeypatch.setattr(logins, "ADDRESS", logins.Backoff(
        threshold=3, base=dt.timedelta(minutes=1), cap=dt.timedelta(hours=1),
        lookback=dt.timedelta(hours=1)))
    app = make_app(database_url, NASTAVNIK_PROXIES=1)
    try:
        attacker = client_for(app, address="10.0.0.1")  # the proxy
        attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.9"
        for i in range(logins.ADDRESS.threshold):
            login(attacker, f"user{i}@alpha.kz", "wrong guess")
        assert login(attacker, "hr@alpha.kz", PASSWORD).status_code == 429
        colleague = client_for(app, address="10.0.0.1")  # the same proxy, another client
        colleague.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.1"
        assert login(colleague, "hr@alpha.kz", PASSWORD).status_code == 302
    finally:
        with app.app_context():
            db.engine.dispose()


# --- an unknown e-mail costs what a known one costs ---------------------------------------

def test_unknown_and_inactive_emails_check_one_hash_as_a_known_one_does(web, hashes):
    with web.app_context():
        services.users.create_user("gone@alpha.kz", "Gone", PASSWORD)
        services.users.deactivate("gone@alpha.kz")
    counts = {}
    for email in ("hr@alpha.kz", "nobody@alpha.kz", "gone@alpha.kz"):
        before = len(hashes)
        assert login(client_for(web), email, "wrong guess").status_code == 401
        counts[email] = len(hashes) - before
    assert counts == {"hr@alpha.kz": 1, "nobody@alpha.kz": 1, "gone@alpha.kz": 1}
    # the dummy hash is made as real ones are: the same method and cost
    with web.app_context():
        real = services.users.find_user("hr@alpha.kz").password_hash
    assert hashes[-2].rsplit("$", 2)[0] == real.rsplit("$", 2)[0]
    # and an inactive user's right password opens nothing
    assert login(client_for(web), "gone@alpha.kz", PASSWORD).status_code == 401


def test_the_attempts_are_kept_two_days_at_most(web, clock):
    with web.app_context():
        db.session.add(LoginAttempt(email="old@alpha.kz", address="10.3.3.3",
                                    at=T0 - dt.timedelta(days=3), outcome="failed"))
        db.session.commit()
    assert login(client_for(web), "hr@alpha.kz", PASSWORD).status_code == 302
    with web.app_context():
        emails = set(db.session.scalars(sa.select(LoginAttempt.email)))
    assert emails == {"hr@alpha.kz"}


# --- redirects only to this site -----------------------------------------------------------
# (the web layer's check, the same on any database: one SQLite app for all the variants)

@pytest.fixture(scope="module")
def site(sqlite_template, tmp_path_factory):
    app = make_app(sqlite_template.fresh(str(tmp_path_factory.mktemp("redirects"))))
    yield app
    with app.app_context():
        db.engine.dispose()


ELSEWHERE = [
    "//evil.example", "////evil.example/", "/\\evil.example", "\\\\evil.example",
    "https:evil.example", "https://evil.example/", "/%2F%2Fevil.example", "/%2f/evil.example",
    "/%5Cevil.example", "/%252F%252Fevil.example", "/\t/evil.example", "/\n/evil.example",
    "/%09/evil.example", "/%0A/evil.example", "/\r\n/evil.example", " //evil.example",
    "/ /evil.example", "evil.example", "javascript:alert(1)", "/%0d%0aSet-Cookie:%20a=b",
]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_login_redirects_only_to_this_site(site, target):
    client = client_for(site)
    response = client.post("/login", query_string={"next": target},
                           data={"email": "hr@alpha.kz", "password": PASSWORD,
                                 "csrf_token": csrf(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/", (target, response.headers["Location"])


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_language_switch_redirects_only_to_this_site(site, target):
    client = client_for(site)
    response = client.post("/language/kk", data={"next": target, "csrf_token": csrf(client)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/", (target, response.headers["Location"])


@pytest.mark.parametrize("target", ["/t/alpha/", "/t/alpha/people?q=%D0%90%20b&page=2",
                                    "/login?next=%2Ft%2Falpha%2F"])
def test_paths_of_this_site_are_followed(site, target):
    client = client_for(site)
    response = client.post("/login", query_string={"next": target},
                           data={"email": "hr@alpha.kz", "password": PASSWORD,
                                 "csrf_token": csrf(client)})
    assert response.headers["Location"] == target
    response = client.post("/language/ru", data={"next": target, "csrf_token": csrf(client)})
    assert response.headers["Location"] == target
