"""The deadlines as an iCalendar feed, on SQLite and PostgreSQL: it parses, one all-day event
per deadline not done, the paragraph in the description, stable UIDs, one mentor's
mentees, the token in the query for this feed alone, tenants."""

import datetime as dt

import icalendar

from nastavnik import services
from test_api_mentorships import api, ok, problem  # noqa: F401  (api: the fixture)

FEED = "alpha/deadlines.ics"


def events(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.get_data())
    assert str(calendar["version"]) == "2.0" and calendar["prodid"]
    found = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event["uid"])
        assert uid not in found
        found[uid] = event
    return found


def test_the_feed_has_an_all_day_event_per_deadline_not_done(api):
    mid = api.assign("A1", "S1", dt.date(2026, 3, 2))
    with api.work() as t:
        services.record_paper(t, mid, "mentee_report", dt.date(2026, 4, 30))
    first = events(api.get(FEED))
    # every deadline not done as of today, nothing else
    with api.work() as t:
        report = services.compliance_report(t, dt.date.today())
    expected = [d for d in report["deadlines"] if d["status"] in ("due", "due_soon", "overdue")]
    assert len(first) == len(expected) > 0
    assert not any("mentee_report" in uid for uid in first)

    plan = next(e for uid, e in first.items() if uid.startswith("civil_service_2013.p12.plan/"))
    assert plan["dtstart"].dt == dt.date(2026, 3, 5)  # all day: a date, not a datetime
    assert not isinstance(plan["dtstart"].dt, dt.datetime)
    assert plan["dtend"].dt == dt.date(2026, 3, 6)
    assert isinstance(plan["dtstamp"].dt, dt.datetime) and plan["dtstamp"].dt.tzinfo
    summary, description = str(plan["summary"]), str(plan["description"])
    assert "Individual plan" in summary and "Aigerim New" in summary and "A1" in summary
    assert "p.12 civil_service_2013" in description
    assert "The individual plan of adaptation and training is due by 2026-03-05" in description
    assert str(plan["uid"]) == f"civil_service_2013.p12.plan/{mid}/plan@alpha.nastavnik"

    # UIDs are stable from one fetch to the next; an event goes once its paper is done
    assert set(events(api.get(FEED))) == set(first)
    with api.work() as t:
        services.record_paper(t, mid, "plan", dt.date(2026, 3, 4))
    assert set(events(api.get(FEED))) == set(first) - {str(plan["uid"])}


def test_the_description_is_in_the_tenants_language(api):
    api.assign("A1", "S1", dt.date(2026, 3, 2))
    with api.app.app_context():
        services.update_tenant("alpha", "test", locale="ru")
    plan = next(e for uid, e in events(api.get(FEED)).items() if ".p12.plan/" in uid)
    assert "п.12 civil_service_2013" in str(plan["description"])
    assert "Индивидуальный план" in str(plan["description"])


def test_one_mentors_mentees(api):
    api.assign("A1", "S1", dt.date(2026, 3, 2))
    replaced = api.assign("N1", "S1", dt.date(2026, 3, 2))
    other = api.assign("E1", "S2", dt.date(2026, 3, 2))
    with api.work() as t:
        services.replace_mentor(t, replaced, "S2", dt.date(2026, 3, 16), "transfer")
    everything = events(api.get(FEED))
    s1 = events(api.get(f"{FEED}?mentor=S1"))
    s2 = events(api.get(f"{FEED}?mentor=S2"))
    assert s1 and s2 and set(s1) | set(s2) == set(everything) and not set(s1) & set(s2)
    assert all("Aigerim New" in str(e["summary"]) for e in s1.values())
    assert any(other in uid for uid in s2) and any(replaced in uid for uid in s2)
    assert events(api.get(f"{FEED}?mentor=D1")) == {}
    assert problem(api.get(f"{FEED}?mentor=NOBODY"), 422)["field"] == "mentor"


def test_the_token_may_come_in_the_query(api):
    api.assign("A1", "S1", dt.date(2026, 3, 2))
    by_header = events(api.get(FEED))
    by_query = events(api.get(f"{FEED}?token={api.tokens['viewer']}", token=None))
    assert set(by_query) == set(by_header)
    assert problem(api.get(FEED, token=None), 401)
    assert problem(api.get(f"{FEED}?token=nk_wrong", token=None), 401)
    assert problem(api.get(f"{FEED}?token=", token=None), 401)
    # the header wins when both are given
    assert problem(api.get(f"{FEED}?token={api.tokens['hr']}", token=None,
                           headers={"Authorization": "Bearer nk_wrong"}), 401)
    with api.app.app_context():
        row = services.tokens.list_tokens("viewer@alpha.kz")[0]
        services.tokens.revoke_token("viewer@alpha.kz", row.id)
    problem(api.get(f"{FEED}?token={api.tokens['viewer']}", token=None), 401)


def test_other_tenants(api):
    api.assign("A1", "S1", dt.date(2026, 3, 2), slug="beta")
    assert events(api.get(FEED)) == {}
    assert events(api.get("beta/deadlines.ics"))
    problem(api.get(FEED, token="beta"), 404)
    problem(api.get(f"{FEED}?token={api.tokens['beta']}", token=None), 404)
    problem(api.get("nowhere/deadlines.ics"), 404)


def test_the_openapi_document_describes_the_feed_and_its_query_token(api):
    spec = api.app.test_client().get("/api/v1/openapi.json").get_json()
    feed = spec["paths"]["/api/v1/tenants/{slug}/deadlines.ics"]["get"]
    assert "?token=" in feed["description"]
    assert {"feed_token": []} in feed["security"]
    assert "text/calendar" in feed["responses"]["200"]["content"]
    assert spec["components"]["securitySchemes"]["feed_token"]["in"] == "query"
