"""Logging in: the password check, throttled per account and per client address.

Every password check is a row of ``login_attempt`` in the database, which every worker of
every application server shares (no other service to run, and the counts are as
transactional as the login itself); the state of an e-mail or an address is computed from
its recent rows:

- an e-mail (known or not: a lockout must not tell which e-mails have accounts) with
  ``ACCOUNT.threshold`` failed checks since its last successful login, within
  ``ACCOUNT.lookback``, is locked from its last failure for ``ACCOUNT.base``, doubled for
  every failure past the threshold, at most ``ACCOUNT.cap``;
- an address is throttled the same way for failures of any e-mails (``ADDRESS``): many
  accounts tried from one place. A successful login does not clear an address.

While locked, no password is checked, not even the right one: the answer says until when,
at once (not at scrypt's pace). An attempt is written (``pending``) and committed before
its password is checked, and the state looked at again, so that guesses sent at once are
counted at once rather than all checked against the count before any of them.

An unknown or inactive e-mail costs one password check too (a dummy hash), so that the
time taken does not tell which e-mails have accounts.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

import sqlalchemy as sa

from ..core.errors import NastavnikError
from ..storage import security
from ..storage.accounts import LoginAttempt, User, check_dummy_password, dummy_hash
from ..storage.models import db

FAILED = ("pending", "failed")  # a pending attempt counts as failed until it is known
ANONYMOUS = "anonymous"
KEEP = dt.timedelta(days=2)  # attempts older than this are pruned (longer than any lookback)


@dataclass(frozen=True)
class Backoff:
    threshold: int  # failures within the lookback that lock
    base: dt.timedelta  # the first lock's length, doubled by every further failure
    cap: dt.timedelta  # the longest lock
    lookback: dt.timedelta  # failures older than this are forgotten

    def locked_until(self, failures: list[dt.datetime]) -> dt.datetime | None:
        over = len(failures) - self.threshold
        if over < 0:
            return None
        return max(failures) + min(self.base * 2 ** min(over, 20), self.cap)


ACCOUNT = Backoff(threshold=5, base=dt.timedelta(minutes=15), cap=dt.timedelta(hours=24),
                  lookback=dt.timedelta(hours=24))
ADDRESS = Backoff(threshold=30, base=dt.timedelta(minutes=1), cap=dt.timedelta(hours=1),
                  lookback=dt.timedelta(hours=1))


class Throttled(NastavnikError):
    """No password is checked until ``until`` (UTC)."""

    def __init__(self, message: str, until: dt.datetime):
        self.until = until
        #: whole seconds until then (an HTTP Retry-After)
        self.retry_after = max(1, math.ceil((until - _now()).total_seconds()))
        super().__init__(f"{message} until {until:%Y-%m-%d %H:%M} UTC")


class AccountLocked(Throttled):
    """Too many failed logins to this e-mail."""

    def __init__(self, until: dt.datetime):
        super().__init__("this account is locked after too many failed logins", until)


class AddressThrottled(Throttled):
    """Too many failed logins from this client address."""

    def __init__(self, until: dt.datetime):
        super().__init__("too many failed logins from this address", until)


def prepare() -> None:
    """Make the dummy hash now (at the start of a worker), not in the first request for an
    unknown e-mail, which would take twice as long as any other and so stand out."""
    dummy_hash()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)  # SQLite: naive UTC


def normal_email(email: str | None) -> str:
    return (email or "").strip().lower()[:255]


def _address(address: str | None) -> str:
    """What an address is counted as: an IPv4 address as it is; an IPv6 one by its /64,
    which one subscriber usually has whole (counting each of its addresses apart would let
    one client try from 2**64 of them)."""
    address = (address or "unknown").strip()
    if ":" in address:
        try:
            return str(ipaddress.ip_network(f"{address}/64", strict=False))
        except ValueError:
            pass
    return address[:45]


def _failures(where, rule: Backoff, now: dt.datetime, besides: int | None) -> list[dt.datetime]:
    q = sa.select(LoginAttempt.at).where(where, LoginAttempt.at > now - rule.lookback,
                                         LoginAttempt.outcome.in_(FAILED))
    if besides is not None:
        q = q.where(LoginAttempt.id != besides)
    return [_utc(at) for at in db.session.scalars(q)]


def account_locked_until(email: str, now: dt.datetime | None = None,
                         besides: int | None = None) -> dt.datetime | None:
    now = now or _now()
    email = normal_email(email)
    last_ok = db.session.scalar(sa.select(sa.func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email, LoginAttempt.outcome == "ok"))
    where = LoginAttempt.email == email
    if last_ok is not None:
        where = sa.and_(where, LoginAttempt.at > last_ok)
    until = ACCOUNT.locked_until(_failures(where, ACCOUNT, now, besides))
    return until if until is not None and until > now else None


def address_throttled_until(address: str | None, now: dt.datetime | None = None,
                            besides: int | None = None) -> dt.datetime | None:
    now = now or _now()
    until = ADDRESS.locked_until(_failures(LoginAttempt.address == _address(address),
                                           ADDRESS, now, besides))
    return until if until is not None and until > now else None


def _check_throttles(email: str, address: str, now: dt.datetime, besides: int | None = None) -> None:
    until = address_throttled_until(address, now, besides)
    if until is not None:
        raise AddressThrottled(until)
    until = account_locked_until(email, now, besides)
    if until is not None:
        raise AccountLocked(until)


def check_password(email: str | None, password: str | None, address: str | None, *,
                   purpose: str = "login") -> User | None:
    """The active user with this e-mail and password, or None (a wrong password, an
    unknown or inactive e-mail: which, it does not say). Raises ``AddressThrottled`` or
    ``AccountLocked`` while either is throttled, without checking the password, and when
    this failure starts a lock. Every check is recorded (``login_attempt``, and failures
    in the security log); the caller records the success as it sees fit."""
    email, password = normal_email(email), password or ""
    seen_from, address = (address or None) and address[:45], _address(address)
    now = _now()
    _check_throttles(email, address, now)
    attempt = LoginAttempt(email=email, address=address, at=now, outcome="pending")
    db.session.add(attempt)
    db.session.commit()
    try:
        _check_throttles(email, address, now, besides=attempt.id)  # guesses sent alongside
    except Throttled:
        attempt.outcome = "refused"
        db.session.commit()
        raise
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is not None and user.active:
        ok = user.check_password(password)
    else:
        ok = check_dummy_password(password)
    if ok:
        attempt.outcome = "ok"
        db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < now - KEEP),
                           execution_options={"synchronize_session": False})
        db.session.flush()
        return user
    attempt.outcome = "failed"
    security.record(db.session, "login_failed", actor=ANONYMOUS, address=seen_from,
                    subject_email=email, details={"purpose": purpose} if purpose != "login" else None)
    later = _now()
    account, place = account_locked_until(email, later), address_throttled_until(address, later)
    if account is not None:
        security.record(db.session, "account_locked", actor=ANONYMOUS, address=seen_from,
                        subject_email=email, details={"until": account.isoformat()})
    if place is not None:
        security.record(db.session, "address_throttled", actor=ANONYMOUS, address=seen_from,
                        subject_email=email, details={"until": place.isoformat()})
    db.session.commit()
    if place is not None:
        raise AddressThrottled(place)
    if account is not None:
        raise AccountLocked(account)
    return None


def authenticate(email: str | None, password: str | None, address: str | None = None) -> User | None:
    """Log in: ``check_password``, and a successful login recorded in the security log."""
    user = check_password(email, password, address)
    if user is not None:
        security.record(db.session, "login", actor=f"web:{user.email}", address=address,
                        subject_email=user.email)
        db.session.commit()
    return user
