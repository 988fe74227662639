"""A limit per mentor (mentor_capacity receives the mentor as they stood on the day): the
municipal example's head of unit mentors one (p.4(2)), others two (p.4); the checks, the
dashboard's loads and the suggestions' free places all use it."""

import datetime as dt

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

from third_party import REGIME, municipal  # noqa: F401

ON = dt.date(2026, 6, 1)


@pytest.fixture
def town(municipal, database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "TESTING": True,
                      "SECRET_KEY": "test"})
    with app.app_context():
        services.create_tenant("town", "Town hall", REGIME, actor="test", locale="en")
        with services.tenant("town", "test") as t:
            services.add_person(t, number="H1", full_name="Head of unit", valid_from="2010-01-01",
                                attributes={"service_start": "2010-01-01", "heads_unit": True})
            services.add_person(t, number="S1", full_name="Senior", valid_from="2010-01-01",
                                attributes={"service_start": "2012-01-01"})
            for n in ("N1", "N2", "N3"):
                services.add_person(t, number=n, full_name=f"New {n}", valid_from="2026-01-01")
            services.assign_mentor(t, "N1", "H1", dt.date(2026, 5, 4))
            services.assign_mentor(t, "N2", "S1", dt.date(2026, 5, 4))
        yield app
        db.session.remove()
        db.engine.dispose()


def test_the_head_of_unit_may_not_take_a_second_mentee(town):
    with services.tenant("town", "test") as t:
        shown = services.suggest_mentors(t, "N3", ON)
    eligible = {e["number"]: e for e in shown["eligible"]}
    excluded = {e["number"]: e for e in shown["excluded"]}
    assert eligible["S1"]["capacity"] == 2 and eligible["S1"]["free"] == 1
    assert "H1" in excluded
    assert [f.rule.id for f in excluded["H1"]["findings"]] == [f"{REGIME}.p4.head_of_unit"]


def test_the_dashboard_shows_each_mentors_own_limit(town):
    with services.tenant("town", "test") as t:
        rows = {r["number"]: r for r in services.dashboard(t, ON)["mentors"]}
    assert (rows["H1"]["load"], rows["H1"]["capacity"]) == (1, 1)
    assert (rows["S1"]["load"], rows["S1"]["capacity"]) == (1, 2)
