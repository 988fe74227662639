"""The dashboard's mentors' loads and first deadlines, read by index ranges, equal what
counting every assignment and every kept deadline gives, on any day."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.services import results
from nastavnik.storage.models import Assignment, KeptDeadline, KeptOwner, Person, db
from nastavnik.synthetic import generate, profile_for

dashboard = importlib.import_module("nastavnik.services.dashboard")
AS_OF = dt.date.today()
DAYS = [AS_OF + dt.timedelta(days=d) for d in (-700, -300, -90, -10, 0, 45)]


def _loads_by_counting(day):
    """Every assignment, its end or else its mentorship's kept last day."""
    last = dict(db.session.execute(sa.select(KeptOwner.id, KeptOwner.last_day)).all())
    numbers = dict(db.session.execute(sa.select(Person.id, Person.number)).all())
    out: dict = {}
    for a in db.session.scalars(sa.select(Assignment)):
        end = a.end or last.get(a.mentorship_id) or dt.date.max
        if a.mentorship_id in last and a.start <= day <= end:
            out[numbers[a.mentor_id]] = out.get(numbers[a.mentor_id], 0) + 1
    return out


@pytest.mark.parametrize("listed", [dashboard.RUNNING_LISTED, 0])
def test_mentors_loads_equal_counting_every_assignment(app, monkeypatch, listed):
    monkeypatch.setattr(dashboard, "RUNNING_LISTED", listed)  # 0: by a subquery
    services.create_tenant("loads", "Generated body", "civil_service_2013", "admin",
                           settings=profile_for("civil_service_2013").settings)
    with services.tenant("loads", "generator") as work:
        generate(work, 120, 90, seed=5, as_of=AS_OF)
    with services.tenant("loads", "hr") as work:
        results.up_to_date(work)
        # the last days of ended assignments: only an assignment's own end says it runs
        ended = sorted(db.session.scalars(sa.select(Assignment.end)
                                          .where(Assignment.end.is_not(None))).all())[:6]
        assert ended
        seen = 0
        for day in DAYS + ended:
            rows, total = dashboard._mentors(work.rules(), day, 1000)
            expected = _loads_by_counting(day)
            assert {r["number"]: r["load"] for r in rows} == expected, day
            assert total == len(expected)
            seen += len(expected)
        assert seen  # some days had mentors at work


def test_first_overdue_and_due_soon_equal_filtering_every_deadline(app):
    services.create_tenant("first", "Generated body", "civil_service_2013", "admin",
                           settings=profile_for("civil_service_2013").settings)
    with services.tenant("first", "generator") as work:
        generate(work, 120, 90, seed=6, as_of=AS_OF)
    deadlines = importlib.import_module("nastavnik.services.deadlines")
    with services.tenant("first", "hr") as work:
        results.up_to_date(work)
        latest = db.session.scalar(sa.select(sa.func.max(KeptDeadline.done_on)))
        fast = 0
        for day in DAYS + [latest]:
            for statuses in (("overdue", "due_soon"), ("due",), ("overdue",), ("due_soon", "due"),
                             ("overdue", "due"), ("overdue", "due_soon", "due")):
                got = deadlines.deadline_rows(work, day, 5, statuses=statuses, limit=40)[0]
                every = [r for r in deadlines.deadline_rows(work, day, 5)[0]
                         if r["status"] in statuses][:40]
                assert [(r["due"], r["mentorship"], r["kind"], r["status"]) for r in got] == \
                    [(r["due"], r["mentorship"], r["kind"], r["status"]) for r in every]
                fast += day >= latest
        assert fast  # the index of what is not done was read
