"""A whole re-evaluation on the queue (RQ on Redis), the CLI's `evaluate`, and reads that
answer from the kept results while it is under way, the same on every app server."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main
from nastavnik.services import jobs, results
from nastavnik.storage.models import KeptDeadline, KeptFinding, db
from nastavnik.synthetic import generate, profile_for

REDIS = "redis://127.0.0.1:6379/15"
AS_OF = dt.date.today()


def _redis_or_skip():
    from redis import Redis
    from redis.exceptions import ConnectionError as Unreachable

    try:
        Redis.from_url(REDIS).ping()
    except Unreachable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Redis at {REDIS}: {exc}")
        pytest.skip(f"no Redis reachable at {REDIS} ({exc}); CI runs this")
    return Redis.from_url(REDIS)


@pytest.fixture
def body(app):
    slug = "body-" + uuid.uuid4().hex[:6]
    services.create_tenant(slug, "Body", "civil_service_2013", "admin",
                           settings=profile_for("civil_service_2013").settings)
    with services.tenant(slug, "generator") as work:
        generate(work, 200, 150, seed=5, as_of=AS_OF)
    return slug


def _report(slug):
    with services.tenant(slug, "reader") as work:
        return services.compliance_report(work, AS_OF)


def test_a_settings_change_is_worked_out_by_a_worker_and_reads_answer_meanwhile(body, monkeypatch):
    redis = _redis_or_skip()
    before = _report(body)  # no queue: worked out at once
    assert before["up_to_date"] and before["deadlines"]
    monkeypatch.setenv("REDIS_URL", REDIS)
    from rq import Queue, SimpleWorker

    queue = Queue(jobs.QUEUE, connection=redis)
    queue.empty()
    services.update_tenant(body, "admin", settings={"default_term_months": 1})
    with services.tenant(body, "vandal") as work:  # what only a whole re-evaluation mends
        db.session.execute(sa.delete(KeptDeadline))
        assert work
    meanwhile = _report(body)
    assert not meanwhile["up_to_date"]
    assert meanwhile["progress"]["state"] == "queued"
    assert meanwhile["deadlines"] == []
    again = _report(body)  # a second reader does not queue it twice
    assert again["progress"]["state"] == "queued" and len(queue) == 1

    SimpleWorker([queue], connection=redis).work(burst=True)

    after = _report(body)
    assert after["up_to_date"] and "progress" not in after
    assert after["deadlines"] == before["deadlines"]
    with services.tenant(body, "checker") as work:
        assert results.differences(work) == []


def test_evaluate_by_hand_and_its_check(body):
    runner = CliRunner()
    done = runner.invoke(main, ["evaluate", "--tenant", body])
    assert done.exit_code == 0, done.output
    assert "mentorships and councils evaluated" in done.output
    check = runner.invoke(main, ["evaluate", "--tenant", body, "--check"])
    assert check.exit_code == 0 and "agree" in check.output
    with services.tenant(body, "vandal") as work:  # a kept finding lost
        victim = db.session.scalar(sa.select(KeptFinding.id).limit(1))
        db.session.execute(sa.delete(KeptFinding).where(KeptFinding.id == victim))
        assert work
    check = runner.invoke(main, ["evaluate", "--tenant", body, "--check"])
    assert check.exit_code == 1 and "worked out now, not kept" in check.output
    assert runner.invoke(main, ["evaluate", "--tenant", body]).exit_code == 0
    assert runner.invoke(main, ["evaluate", "--tenant", body, "--check"]).exit_code == 0


def test_two_app_servers_on_one_database_answer_alike_at_once_after_a_write(database_url, body):
    from nastavnik.web import create_app

    servers = [create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                           "SECRET_KEY": "test"}) for _ in range(2)]

    def overdue(server):
        with server.app_context():
            with services.tenant(body, "reader") as work:
                return services.dashboard(work, AS_OF)["report"]["summary"]

    first = [overdue(s) for s in servers]
    assert first[0] == first[1]
    with servers[0].app_context():
        with services.tenant(body, "hr") as work:
            row = services.deadlines_within(work, AS_OF, 5)
            late = next(d for d in row if d["status"] == "overdue" and d["kind"] != "hearing")
            services.record_paper(work, late["subject"].split("/")[0], late["kind"], AS_OF,
                                  approved_by="Head of unit")
    second = [overdue(s) for s in servers]
    assert second[0] == second[1] != first[0]
    assert second[1]["overdue"] == first[1]["overdue"] - 1
    for server in servers:
        with server.app_context():
            db.session.remove()
            db.engine.dispose()
