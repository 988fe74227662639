"""The mentorships list: search by the mentee's and the mentor's name or number, the
mentee's unit, status, only those with an overdue deadline; a status and next-deadline
column; the bar's search for a person or mentorship; the 'Assign a mentor' button's style.
Through the admin and the service (services.views.mentorship_list, find_anything)."""

import datetime as dt
import re
from pathlib import Path

from nastavnik import services
from nastavnik.services import views

from test_web_mentorships import EFFECTIVE, assign, login, text, web  # noqa: F401  (the fixture)

AS_OF = dt.date(2026, 3, 10)


def _two():
    with services.tenant("alpha", "test") as t:
        services.add_person(t, number="T9", full_name="Тимур Жаңа", unit="Кадры")
        services.add_person(t, number="K1", full_name="Kairat Colleague", unit="Legal",
                            attributes={"public_service_start": "2010-01-01",
                                        "last_assessment": EFFECTIVE})
    a = assign("alpha", "A1", "S1", dt.date(2026, 3, 2))  # plan due 5 March: overdue on the 10th
    n = assign("alpha", "N1", "K1", dt.date(2026, 3, 9))  # plan due 12 March
    return a, n


def _body(page):
    return page.split("<tbody>")[1].split("</tbody>")[0]


def test_service_filters_and_next_deadline(web):  # noqa: F811
    a, n = _two()
    with services.tenant("alpha", "test:read") as t:
        every = views.mentorship_list(t, AS_OF, "open")["items"]
        assert [r["id"] for r in every] == [a, n]
        nxt = {r["id"]: r["next"] for r in every}
        assert nxt[a]["status"] == "overdue" and nxt[a]["due"] == "2026-03-05"
        assert nxt[n]["status"] == "due_soon"
        late = views.mentorship_list(t, AS_OF, "open", overdue=True)["items"]
        assert [r["id"] for r in late] == [a]
        assert [r["id"] for r in views.mentorship_list(t, AS_OF, search="nurlan")["items"]] == [n]
        assert [r["id"] for r in views.mentorship_list(t, AS_OF, search="A1")["items"]] == [a]
        assert [r["id"] for r in views.mentorship_list(t, AS_OF, mentor="kairat")["items"]] == [n]
        assert views.mentorship_list(t, AS_OF, unit="Legal")["items"]
        assert views.mentorship_list(t, AS_OF, unit="Nowhere")["items"] == []
        assert views.mentorship_list(t, AS_OF, "closed")["items"] == []
        assert views.mentorship_list(t, AS_OF, search="%")["items"] == []  # no wildcard
        page = views.mentorship_list(t, AS_OF, limit=1)
        assert len(page["items"]) == 1 and page["has_next"]
        found = views.find_anything(t, "тимур")
        assert [p["number"] for p in found["people"]] == ["T9"]
        found = views.find_anything(t, "new")
        assert {p["number"] for p in found["people"]} == {"A1", "N1", "E1"}
        assert {r["id"] for r in found["mentorships"]} == {a, n}
        assert views.find_anything(t, "  ") == {"people": [], "mentorships": [], "text": ""}


def test_list_page_searches_filters_and_shows_next_deadline(web):  # noqa: F811
    a, n = _two()
    client = login(web)
    page = text(client.get("/t/alpha/mentorships?as_of=2026-03-10"))
    assert "Next deadline" in page and 'role="search"' in page
    row = re.search(rf'<tr>\s*<td><a href="/t/alpha/mentorships/{a}">.*?</tr>', page).group(0)
    assert 'class="badge overdue"' in row and 'class="badge open"' in row
    body = _body(text(client.get("/t/alpha/mentorships?as_of=2026-03-10&overdue=1")))
    assert "Aigerim New" in body and "Nurlan New" not in body
    body = _body(text(client.get("/t/alpha/mentorships?q=nurl")))
    assert "Nurlan New" in body and "Aigerim New" not in body
    body = _body(text(client.get("/t/alpha/mentorships?mentor=S1")))
    assert "Aigerim New" in body and "Nurlan New" not in body
    body = _body(text(client.get("/t/alpha/mentorships?unit=Nowhere")))
    assert "No mentorships." in body
    # the filters stay when the status tab changes
    page = text(client.get("/t/alpha/mentorships?q=nurl&status=open"))
    assert "status=closed" in page and re.search(r"q=nurl[^\"]*status=closed|status=closed[^\"]*q=nurl", page)
    assert client.get("/t/alpha/mentorships?q=" + "x" * 300).status_code == 400


def test_bar_search_finds_people_and_mentorships(web):  # noqa: F811
    a, _n = _two()
    client = login(web)
    dashboard = text(client.get("/t/alpha/"))
    assert 'action="/t/alpha/search"' in dashboard
    page = text(client.get("/t/alpha/search?q=aigerim"))
    people = page.split('class="found-people"')[1].split("</table>")[0]
    assert '<a href="/t/alpha/people/A1">Aigerim New</a>' in people
    found = page.split('class="found-mentorships"')[1].split("</table>")[0]
    assert f'href="/t/alpha/mentorships/{a}"' in found
    page = text(client.get("/t/alpha/search?q=T9"))
    assert "Тимур Жаңа" in page and "Aigerim" not in page
    assert "Nobody matches." in text(client.get("/t/alpha/search?q=zzz"))
    assert client.get("/t/alpha/search?q=" + "x" * 300).status_code == 400
    other = login(web, "viewer@alpha.kz", "correct horse 2")
    assert other.get("/t/beta/search?q=a").status_code == 403


def test_assign_button_is_not_white_on_white():
    css = (Path(__file__).resolve().parents[1] / "nastavnik/web/static/app.css").read_text()
    rule = re.search(r"\.tabs a\.button \{([^}]*)\}", css).group(1)
    assert "background:var(--accent)" in rule and "color:#fff" in rule


def test_the_list_and_the_search_in_kazakh(web):  # noqa: F811
    _two()
    services.update_tenant("alpha", "test", locale="kk")
    client = login(web)
    page = text(client.get("/t/alpha/mentorships?as_of=2026-03-10"))
    assert '<html lang="kk">' in page
    for word in ("Жақын мерзім", "Тек мерзімі өткендер", "Тәлімгер: аты-жөні немесе табель нөмірі",
                 "Қызметкерді немесе тәлімгерлікті табу"):
        assert word in page, word
    for english in ("Next deadline", "Only with an overdue deadline", "Find a person",
                    "name or personnel number", ">overdue<"):
        assert english not in page, english
    found = text(client.get("/t/alpha/search?q=new"))
    assert "Aigerim New" in found and "Search" not in found.split("<main id=\"main\" tabindex=\"-1\">")[1]
