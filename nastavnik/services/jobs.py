"""Whole re-evaluations of a tenant's kept results (services.results): on a queue when
``REDIS_URL`` is set (RQ on Redis, run by ``nastavnik worker``), so that every app server
hands the work to the same workers and reads the same progress; otherwise, with the
embedded default, at once in the caller's transaction.

While a job is queued or running, reads answer from the results kept before it, marked as
being brought up to date with its progress (``{"state", "done", "total"}``)."""

from __future__ import annotations

import hashlib
import os
import time

from .unit import TenantWork

QUEUE = "nastavnik"
#: a job not heard of for this long is taken for lost (a worker killed), and queued again
STALLED_SECONDS = 600


def queue_url() -> str | None:
    return os.environ.get("REDIS_URL") or None


def request_evaluation(work: TenantWork) -> dict | None:
    """Have the tenant's results worked out again. None when done now (no queue);
    else the progress of the job queued or already under way."""
    from . import results

    url = queue_url()
    if url is None:
        results.evaluate_all(work)
        return None
    redis = _redis(url)
    key = _key(work)
    progress = _read(redis, key)
    if progress and time.time() - progress["at"] < STALLED_SECONDS:
        return progress
    # one enqueue for all the readers that find the results out of date at once
    if redis.set(key + ":enqueue", "1", nx=True, ex=30):
        _write(redis, key, "queued", 0, 0)
        from rq import Queue

        Queue(QUEUE, connection=redis).enqueue(run_evaluation, work.tenant.slug,
                                               job_timeout=3600, result_ttl=600)
    return _read(redis, key) or {"state": "queued", "done": 0, "total": 0, "at": time.time()}


def progress_of(work: TenantWork) -> dict | None:
    """The progress of the tenant's re-evaluation on the queue, if one is under way."""
    url = queue_url()
    return _read(_redis(url), _key(work)) if url else None


def run_evaluation(tenant_slug: str) -> dict:
    """The job: re-evaluate the tenant on the database the worker is bound to."""
    from . import results
    from .unit import tenant

    redis = _redis(queue_url())
    with tenant(tenant_slug, actor="results") as work:
        key = _key(work)
        _write(redis, key, "running", 0, 0)

        def progress(done, total):
            _write(redis, key, "running", done, total)
        try:
            figures = results.evaluate_all(work, progress)
        except BaseException:
            redis.delete(key, key + ":enqueue")
            raise
    redis.delete(key, key + ":enqueue")
    return figures


def _redis(url):
    from redis import Redis

    return Redis.from_url(url)


def _key(work: TenantWork) -> str:
    """The tenant's key on the queue's Redis, which several databases may share."""
    bind = work.session.get_bind().url.render_as_string(hide_password=True)
    where = hashlib.sha256(f"{bind}|{work.tenant.created_at}".encode()).hexdigest()[:16]
    return f"nastavnik:evaluation:{where}:{work.tenant.id}"


def _write(redis, key, state, done, total) -> None:
    redis.hset(key, mapping={"state": state, "done": done, "total": total, "at": time.time()})
    redis.expire(key, STALLED_SECONDS * 2)


def _read(redis, key) -> dict | None:
    raw = redis.hgetall(key)
    if not raw:
        return None
    value = {k.decode(): v.decode() for k, v in raw.items()}
    return {"state": value["state"], "done": int(value["done"]), "total": int(value["total"]),
            "at": float(value["at"])}
