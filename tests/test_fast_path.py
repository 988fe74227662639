"""The fast paths give the plain paths' answers, on generated tenants of every regime.

Fast paths: the compliance report read from the kept results (issue 15, services.results);
suggestions that ask the rules in rank order until enough are eligible, on the part of the
tenant they need; the exception's search of the staff that stops at the first 20 eligible.
Plain paths: a whole evaluation from scratch, every person checked, the whole staff
searched.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.core.regime_info import Candidacy
from nastavnik.services import results
from nastavnik.storage.case import load_case
from nastavnik.storage.models import Person, Tenant, db
from nastavnik.core import registry
from nastavnik.synthetic import generate, profile_for

AS_OF = dt.date(2026, 11, 23)
REGIMES = [r for r in registry.available() if any(registry.get(r).hook.synthetic_profile())]


def _generated(regime: str, people: int = 500, mentorships: int = 400, slug: str = "gen") -> dict:
    services.create_tenant(slug, "Generated body", regime, "admin", settings=profile_for(regime).settings)
    with services.tenant(slug, "generator") as work:
        return generate(work, people, mentorships, seed=3, as_of=AS_OF)


#: civil service p.7's facts of an assignment (other regimes keep none)
P7 = {"manager_submission": True, "mentor_consent": True}


def _report(slug="gen", as_of=AS_OF):
    with services.tenant(slug, "reader") as work:
        return json.dumps(services.compliance_report(work, as_of), sort_keys=True, default=str)


@pytest.mark.parametrize("regime", REGIMES)
def test_the_kept_report_is_a_whole_evaluations_and_follows_every_change(app, regime):
    _generated(regime)
    before = _report()
    assert _report() == before
    _agrees()
    with services.tenant("gen", "hr") as work:
        mentee = services.suggest_mentors(work, _newest_free(work), AS_OF, limit=1)
        services.assign_mentor(work, mentee["mentee"], mentee["eligible"][0]["number"], AS_OF,
                               order_number="1", order_date=AS_OF,
                               assignment_attributes=P7 if regime == "civil_service_2013" else {})
    assert _report() != before
    _agrees()


def _agrees():
    with services.tenant("gen", "checker") as work:
        assert results.differences(work) == []


def test_a_rolled_back_change_leaves_the_revision_and_the_kept_report(app):
    _generated("civil_service_2013")
    before = _report()
    revision = _revision()
    with pytest.raises(RuntimeError):
        with services.tenant("gen", "hr") as work:
            services.record_absence(work, _newest_free(work), "2026-11-02", "2026-11-06",
                                    reason="sick leave")
            raise RuntimeError("the request failed after the write")
    assert _revision() == revision and _report() == before


def test_a_change_by_sql_past_the_application_is_seen(app):
    """Another program writes by bare SQL and raises the revision, as it must: the kept
    results have not followed that revision, so the next read works them out again."""
    _generated("civil_service_2013")
    before = _report()
    with services.tenant("gen", "hr") as work:
        number = _newest_free(work)
        mid = str(services.list_mentorships(work, "open")[0].id)
    other = sa.create_engine(db.engine.url)
    with other.begin() as c:  # a bare write, as another program's transaction commits it
        if other.dialect.name == "postgresql":
            c.execute(sa.text("select set_config('app.tenant_id', :t, true)"),
                      {"t": str(_tenant_id())})
        person = c.execute(sa.text("select id from person where number = :n"), {"n": number}).scalar()
        mentorship = c.execute(sa.text("select id from mentorship where id = :m or id = :h"),
                               {"m": mid, "h": mid.replace("-", "")}).scalar()
        c.execute(sa.text("update mentorship set mentee_id = :p where id = :m"),
                  {"p": person, "m": mentorship})
        c.execute(sa.text("update tenant set revision = revision + 1 where slug = 'gen'"))
    other.dispose()
    assert _report() != before
    _agrees()


@pytest.mark.parametrize("regime", REGIMES)
def test_suggestions_in_rank_order_are_the_best_of_everyone_checked(app, regime):
    _generated(regime)
    with services.tenant("gen", "reader") as work:
        mentees = _free_people(work)[:3]
        assert mentees
        for mentee in mentees:
            fast = services.suggest_mentors(work, mentee, AS_OF, limit=5, exhaustive=False)
            full = services.suggest_mentors(work, mentee, AS_OF, limit=5, exhaustive=True)
            assert [e["number"] for e in fast["eligible"]] == [e["number"] for e in full["eligible"]]
            assert fast["checked"] < full["checked"] == full["staff"]
            excluded = {e["number"]: e for e in full["excluded"]}
            for e in fast["excluded"]:
                assert _json(e["findings"]) == _json(excluded[e["number"]]["findings"])
            for a, b in zip(fast["eligible"], full["eligible"]):
                assert {**a, "findings": _json(a["findings"])} == {**b, "findings": _json(b["findings"])}


def test_the_exceptions_search_of_the_staff_stops_at_the_first_twenty_eligible(app):
    """CS p.8, last sentence: the direct manager stands only if nobody else could mentor.
    The search asks the staff in order and stops at 20 eligible; those are the first 20
    of asking everyone."""
    _generated("civil_service_2013")
    with services.tenant("gen", "reader") as work:
        case, _ = load_case(with_councils=False)
        engine = work.rules()
        mentee = case.people[_newest_free(work)]
        intervals = engine._intervals(case, exclude_mentee=mentee.id)
        found = engine._eligible_exists(case, mentee, None, AS_OF, intervals, AS_OF + dt.timedelta(days=60))
        everyone = [p for pid, p in case.people.items() if pid != mentee.id]
        verdicts = engine.eligibility(case, [Candidacy(f"pool/{p.id}", p, mentee, None, AS_OF)
                                             for p in everyone])
        eligible = [p.id for p in everyone
                    if not engine._has_violation(verdicts[f"pool/{p.id}"])
                    and engine._load_excess(intervals.get(p.id, ()), AS_OF,
                                            AS_OF + dt.timedelta(days=60)) is None]
        assert len(eligible) > 20 and found == eligible[:20]


# --- helpers ---------------------------------------------------------------------------------

def _json(findings):
    return [f.to_json() for f in findings]


def _free_people(work) -> list[str]:
    """People with no mentorship at all, newest hires first."""
    case = load_case(with_councils=False)[0]
    mentees = {m.mentee for m in case.mentorships}
    return sorted((n for n in case.people if n not in mentees), reverse=True)


def _numbers() -> set:
    return set(db.session.scalars(sa.select(Person.number)))


def _newest_free(work) -> str:
    return _free_people(work)[0]


def _revision() -> int:
    with services.tenant("gen", "reader"):
        return db.session.scalar(sa.select(Tenant.revision).where(Tenant.slug == "gen"))


def _tenant_id() -> int:
    return services.get_tenant("gen").id


def test_an_import_of_people_is_a_change_the_kept_results_follow(app):
    """The import writes in bulk (COPY on PostgreSQL), past the ORM's listeners: the
    revision still rises, and the kept results follow it."""

    _generated("civil_service_2013")
    _report()
    with services.tenant("gen", "reader") as work:
        assert "NEW-1" not in _numbers()
    rows = [["number", "full_name", "unit"], ["NEW-1", "Imported Person", "Подразделение 0001"]]
    revision = _revision()
    with services.tenant("gen", "hr") as work:
        services.import_people(work, rows)
    assert _revision() == revision + 1
    with services.tenant("gen", "reader") as work:
        assert "NEW-1" in _numbers()
    _report()
    _agrees()
    with services.tenant("gen", "hr") as work:  # the same file again changes nothing
        services.import_people(work, rows)
    assert _revision() == revision + 1


def test_the_mentorships_list_pages_in_the_database(app):
    """The admin's list shows 100 mentorships a page; the pages together are the list."""
    from nastavnik.services import views
    _generated("civil_service_2013", people=400, mentorships=250)
    with services.tenant("gen", "reader") as work:
        everything = views.mentorship_rows(work)
        pages = [views.mentorship_rows(work, limit=100, offset=o) for o in (0, 100, 200)]
        assert [r["id"] for p in pages for r in p] == [r["id"] for r in everything]
        page = views.mentorships_page(work, "open", limit=10)
        assert page["total"] == sum(1 for r in everything if r["status"] == "open")
        assert all(r["mentor"] for r in page["items"])


def test_the_synthetic_prosecutors_have_councils_that_hear_most_reports_on_time(app):
    """p.6: a body's reports are heard by its Council of mentors; a synthetic body has
    councils meeting monthly, so that most hearings are done, not all overdue."""
    from collections import Counter

    summary = _generated("prosecutor_2022", people=1200, mentorships=1000)
    assert summary["councils"] >= 1 and summary["meetings"] > 12
    # most mentorships whose hearing has come are heard; those not yet near it are not
    assert 0.7 * 1000 < summary["hearings"] < 0.9 * 1000
    with services.tenant("gen", "reader") as work:
        report = services.compliance_report(work, AS_OF)
    hearings = Counter(d["status"] for d in report["deadlines"] if d["kind"] == "council_hearing")
    # every hearing was overdue before councils were generated; now the few never held
    assert hearings["overdue"] < 0.08 * 1000
    assert hearings["due"] > hearings["done"]  # most open mentorships still await theirs
    assert not [f for f in report["findings"] if f["rule"].startswith(("prosecutor_2022.p17",
                                                                       "prosecutor_2022.p18",
                                                                       "prosecutor_2022.p19"))]
