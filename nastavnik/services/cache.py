"""Reads of a whole tenant kept in this process, keyed by the tenant's data revision.

A sweep of a large tenant loads every person, mentorship, assignment, paper and absence
and runs every rule over them: seconds for tens of thousands of mentorships. The
dashboard, the compliance report, suggestions and the mentorship pages ask for the same
answer again and again while nothing changes; here they get it from memory until a
transaction changes the tenant's data (storage.revision raises the revision in that same
transaction, so a key seen is never stale).

Only reads use it: a transaction that has written (or will write on what it reads, as an
assignment does after locking its mentor) loads afresh. Cached values are shared between
requests and threads and must not be changed by callers.

``NASTAVNIK_CACHE_ENTRIES`` sets how many entries a process keeps (0 turns caching off).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict

from ..storage import revision
from ..storage.case import load_case
from .unit import TenantWork

_MISSING = object()


class Lru:
    """A small thread-safe least-recently-used map."""

    def __init__(self, size: int):
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key):
        with self._lock:
            value = self._entries.get(key, _MISSING)
            if value is _MISSING:
                self.misses += 1
                return _MISSING
            self._entries.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key, value) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0


def _size() -> int:
    try:
        return max(0, int(os.environ.get("NASTAVNIK_CACHE_ENTRIES", "8")))
    except ValueError:
        return 8


ENTRIES = Lru(_size())  # whole cases, sweeps, reports
SMALL = Lru(256 if _size() else 0)  # counts and the like, which must not push those out


def remembered(work: TenantWork, what: tuple, compute, store: Lru | None = None):
    """``compute()``, or its value from an earlier call with the same ``what`` on the same
    tenant at the same data revision and settings (in ``store``, by default ENTRIES)."""
    store = ENTRIES if store is None else store
    if store.size <= 0 or revision.written(work.session):
        return compute()
    t = work.tenant
    # the database and the tenant's creation too: a tenant id and revision 0 recur in
    # another database, or after a tenant is recreated
    key = (work.session.get_bind().url.render_as_string(), t.id, t.created_at, t.revision,
           t.regime, tuple(getattr(t, "amendments", None) or ()), repr(t.settings),
           tuple(t.extra_days_off), tuple(t.extra_working_days), what)
    value = store.get(key)
    if value is not _MISSING:
        return value
    # one computation per key: threads of a worker missing at once wait for the first
    # (a sweep of a large tenant takes seconds; a second one at the same time only slows both)
    with _KeyLock(key):
        value = store.get(key)
        if value is _MISSING:
            value = compute()
            store.put(key, value)
    return value


_computing: dict = {}
_computing_lock = threading.Lock()


class _KeyLock:
    def __init__(self, key):
        self.key = key

    def __enter__(self):
        with _computing_lock:
            lock, users = _computing.get(self.key, (None, 0))
            lock = lock or threading.Lock()
            _computing[self.key] = (lock, users + 1)
        lock.acquire()
        self.lock = lock

    def __exit__(self, *exc):
        self.lock.release()
        with _computing_lock:
            lock, users = _computing[self.key]
            if users <= 1:
                del _computing[self.key]
            else:
                _computing[self.key] = (lock, users - 1)


def case_of(work: TenantWork, with_councils: bool = True):
    """The tenant's ``Case`` (see storage.case), shared while the data is unchanged."""
    return remembered(work, ("case", with_councils), lambda: load_case(with_councils)[0])
