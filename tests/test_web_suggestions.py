"""Suggestions on the assign and replace forms: the count in the heading is the rows',
every eligible person can be chosen, the ranking (the mentee's unit, a position close
above the mentee's, the head of the body last), the mentee list (covered by the regime,
no mentorship yet) and the replacement's end reason without a default. Through the
admin and the services."""

import datetime as dt
import re

from nastavnik import services
from nastavnik.services import views

from test_web_mentorships import (EFFECTIVE, SERVANT, assign, count_rows, login, text,  # noqa: F401
                                  web)

ON = dt.date(2026, 3, 2)
SENIOR = {"public_service_start": "2010-01-01", "last_assessment": EFFECTIVE}


def _staff():
    """A head of the body (H0) over D1; under D1, a deputy (U1) over the new hire's
    colleagues, and many seniors: in the mentee's unit and outside it."""
    with services.tenant("alpha", "test") as t:
        services.add_person(t, number="H0", full_name="Head Of-Body", unit="Legal",
                            attributes=SENIOR, hired_on="2000-01-01")
        services.update_person(t, "D1", manager="H0", valid_from="2026-01-01")
        services.add_person(t, number="U1", full_name="Ulan Deputy", unit="Legal",
                            manager="D1", attributes=SENIOR, hired_on="2012-01-01")
        for n in range(12):
            services.add_person(t, number=f"X{n:02d}", full_name=f"Other Unit {n:02d}",
                                unit="Finance", attributes=SENIOR, hired_on="2005-01-01")
        services.update_person(t, "A1", manager="U1", valid_from="2026-01-01")


def _numbers(found):
    return [e["number"] for e in found["eligible"]]


def test_ranking_puts_the_unit_and_the_level_above_first_the_head_last(web):
    _staff()
    with services.tenant("alpha", "test:read") as t:
        found = views.suggestions(t, "A1", ON, whole=True)
    ranked = _numbers(found)
    legal = [n for n in ranked if not n.startswith("X")]
    # every Legal person before every Finance one; U1 (A1's manager, one level up)
    # first; the head of the body last in the unit, though longest with the body
    assert ranked[:len(legal)] == legal, ranked
    assert legal[0] == "U1" and legal[-1] == "H0", legal
    assert len(ranked) == found["eligible_count"] > 10  # every eligible one, not 10


def test_assign_heading_counts_the_rows_and_every_eligible_is_in_the_select(web):
    _staff()
    client = login(web)
    page = text(client.get("/t/alpha/assign?mentee=A1&on=2026-03-02"))
    heading = re.search(r"2\. Suggested mentors <span class=\"muted\">\((\d+)\)", page)
    table = page.split('class="suggested"')[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].count("<tr>")
    assert heading and int(heading.group(1)) == rows > 10
    select = page.split('name="mentor"')[1].split("</select>")[0]
    suggested = select.split("</optgroup>")[0]
    assert suggested.count("<option") == rows
    assert "Head Of-Body" in suggested and "Other Unit 11" in suggested
    assert page.index("Ulan Deputy") < page.index("Head Of-Body")


def test_mentee_list_offers_only_covered_people_without_a_mentorship(web):
    _staff()
    mid = assign("alpha", "N1", "S1", ON)
    with services.tenant("alpha", "test") as t:
        services.close_mentorship(t, mid, dt.date(2026, 4, 30))
    with services.tenant("alpha", "test:read") as t:
        offered = {p["number"] for p in views.mentees_without_mentorship(t, ON)}
    # A1 and E1 are first appointments (covered); N1 has had a mentorship; the seniors,
    # the managers and the head are not covered by the regime
    assert offered == {"A1", "E1"}
    page = text(login(web).get("/t/alpha/assign"))
    mentees = page.split('name="mentee"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\w+)"', mentees) == ["A1", "E1"] or \
        set(re.findall(r'<option value="(\w+)"', mentees)) == {"A1", "E1"}
    assert "Serik Senior" not in mentees and "Nurlan New" not in mentees


def test_replacement_end_reason_has_no_default_and_must_be_chosen(web):
    mid = assign("alpha", "A1", "S1", ON)
    with services.tenant("alpha", "test") as t:
        services.add_person(t, number="K1", full_name="Kairat Colleague", unit="Legal",
                            attributes=SENIOR)
    client = login(web)
    page = text(client.get(f"/t/alpha/mentorships/{mid}?on=2026-03-20"))
    reason = page.split('id="replace"')[1].split('name="reason"')[1].split("</select>")[0]
    assert re.match(r'[^>]*>\s*<option selected value="">—</option>|[^>]*>\s*<option value="">—</option>', reason), reason
    assert "selected" not in reason.split("</option>", 1)[1]
    before = count_rows("alpha")
    response = client.post(f"/t/alpha/mentorships/{mid}/replace", data={
        "mentor": "K1", "replace_on": "2026-03-20", "reason": ""})
    assert response.status_code == 422
    assert "why the current mentor&#39;s assignment ends is required" in text(response).lower() \
        or "why the current mentor's assignment ends is required" in text(response).lower()
    assert count_rows("alpha") == before
