"""Suggestions rank the mentee's unit on its own (services.ranking.ranked_in_unit) and the
whole staff only when the unit has not enough eligible people: the unit's order must be
exactly the first of the whole ranking, whatever the people's history, on any day."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.services import ranking, results
from nastavnik.storage.models import Mentorship, Person, PersonVersion, db
from nastavnik.synthetic import generate, profile_for

AS_OF = dt.date.today()


def _tenant(slug, regime, seed):
    services.create_tenant(slug, "Generated body", regime, "admin",
                           settings=profile_for(regime).settings)
    with services.tenant(slug, "generator") as work:
        generate(work, 150, 60, seed=seed, as_of=AS_OF)


def _history(rng):
    """People moved between units and managers over time, and a loop of managers."""
    people = db.session.scalars(sa.select(Person).order_by(Person.number)).all()
    for person in rng.sample(people, 25):
        day = AS_OF - dt.timedelta(days=rng.randint(-30, 500))
        if db.session.scalar(sa.select(PersonVersion.id).where(
                PersonVersion.person_id == person.id, PersonVersion.valid_from == day)):
            continue
        other = rng.choice(people)
        db.session.add(PersonVersion(person_id=person.id, valid_from=day,
                                     unit=rng.choice([other.unit, person.unit, None]),
                                     position=person.position,
                                     manager_id=rng.choice([other.id, None, person.manager_id]),
                                     attributes=person.attributes))
    a, b = people[3], people[4]  # each the other's manager from a day on
    for who, manager in ((a, b), (b, a)):
        db.session.add(PersonVersion(person_id=who.id, valid_from=AS_OF - dt.timedelta(days=40),
                                     unit=who.unit, position=who.position,
                                     manager_id=manager.id, attributes=who.attributes))


@pytest.mark.parametrize("regime", ["civil_service_2013", "prosecutor_2022"])
def test_the_units_order_is_the_first_of_the_whole_ranking(app, regime):
    rng = random.Random(regime)
    _tenant("rank", regime, seed=11)
    with services.tenant("rank", "hr") as work:
        _history(rng)
    compared = 0
    with services.tenant("rank", "hr") as work:
        results.up_to_date(work)
        tid = work.tenant.id
        mentees = db.session.scalars(sa.select(Mentorship.mentee_id)).all()
        others = db.session.scalars(sa.select(Person.id)).all()
        numbers = db.session.scalars(sa.select(Person.number)).all()
        for mentee in rng.sample(mentees, 8) + rng.sample(others, 4):
            for day in (AS_OF, AS_OF - dt.timedelta(days=60), AS_OF - dt.timedelta(days=400)):
                for capacity in (None, 1, 3):
                    leave_out = set(rng.sample(numbers, 3))
                    unit = ranking.ranked_in_unit(tid, mentee, day, capacity, leave_out)
                    whole = ranking.ranked(tid, mentee, day, capacity, leave_out)
                    assert unit == whole[:len(unit)], (mentee, day, capacity)
                    # and the unit's people are all there: whoever comes next is not of it
                    if len(whole) > len(unit):
                        after = ranking.ranked_in_unit(tid, mentee, day, capacity,
                                                       leave_out | {whole[len(unit)]})
                        assert after == unit
                    compared += len(unit)
    assert compared > 50
