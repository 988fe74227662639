"""The deadlines page and its service (services.deadlines): every deadline with its status,
mentee (named and linked) and mentor; horizon, filters, order, pages and exports; the
dashboard's lists lead there."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from nastavnik import services
from nastavnik.core.errors import InputError
from nastavnik.services import deadlines, exports

from test_web_mentorships import assign, login, text, web  # noqa: F401  (the fixture)

AS_OF = dt.date(2026, 3, 10)


@pytest.fixture
def two(web):  # noqa: F811
    """Aigerim with Serik from 2 March, Nurlan with Daniyar from 9 March."""
    a = assign("alpha", "A1", "S1", dt.date(2026, 3, 2))
    n = assign("alpha", "N1", "S1", dt.date(2026, 3, 9))
    return web, a, n


def test_service_rows_have_names_mentors_and_statuses(two):
    _web, a, n = two
    with services.tenant("alpha", "test:read") as t:
        rows, soon = deadlines.deadline_rows(t, AS_OF, 5)
        page = deadlines.deadlines_page(t, AS_OF, 5, {"status": "overdue"})
    plan = next(r for r in rows if r["mentorship"] == a and r["kind"] == "plan")
    assert plan["status"] == "overdue" and plan["mentee_name"] == "Aigerim New"
    assert plan["mentor"] == "S1" and plan["mentor_name"] == "Serik Senior"
    assert plan["unit"] == "Legal" and plan["paragraph"] == "12"
    assert {r["mentorship"] for r in rows} == {a, n}
    assert page["items"] and all(r["status"] == "overdue" for r in page["items"])
    assert page["total"] == page["counts"]["overdue"] == len(page["items"])
    assert sum(page["counts"].values()) == len(rows)
    assert soon == "2026-03-17"  # 5 working days after Tuesday 10 March


def test_service_horizon_sort_paging_and_bad_input(two):
    _web, a, n = two
    with services.tenant("alpha", "test:read") as t:
        narrow = deadlines.deadlines_page(t, AS_OF, 0)
        wide = deadlines.deadlines_page(t, AS_OF, 40)
        assert wide["counts"]["due_soon"] > narrow["counts"]["due_soon"]
        by_mentee = deadlines.deadlines_page(t, AS_OF, sort="mentee", descending=True)["items"]
        names = [r["mentee_name"] for r in by_mentee]
        assert names == sorted(names, reverse=True) and names[0] == "Nurlan New"
        first = deadlines.deadlines_page(t, AS_OF, limit=2, offset=0)
        second = deadlines.deadlines_page(t, AS_OF, limit=2, offset=2)
        assert len(first["items"]) == 2 and first["items"] != second["items"]
        assert first["total"] == second["total"] > 2
        by_due = [r["due"] for r in deadlines.deadlines_page(t, AS_OF)["items"]]
        assert by_due == sorted(by_due)
        only = deadlines.deadlines_page(t, AS_OF, filters={"paragraph": "12", "unit": "Legal"})
        assert only["items"] and {r["paragraph"] for r in only["items"]} == {"12"}
        assert deadlines.deadlines_page(t, AS_OF, filters={"unit": "Nowhere"})["total"] == 0
        for bad in ({"within": -1}, {"within": 1000}, {"within": "x"}, {"sort": "rule"},
                    {"filters": {"status": "late"}}, {"filters": {"rule": "x"}}):
            with pytest.raises(InputError):
                deadlines.deadlines_page(t, AS_OF, **bad)


def test_page_lists_links_filters_and_sorts(two):
    web, a, n = two
    client = login(web)
    page = text(client.get("/t/alpha/deadlines?as_of=2026-03-10"))
    assert f'href="/t/alpha/mentorships/{a}">Aigerim New</a>' in page
    assert f'href="/t/alpha/mentorships/{n}">Nurlan New</a>' in page
    assert "Serik Senior" in page and 'class="badge overdue"' in page
    assert '<a href="/t/alpha/deadlines">Deadlines</a>' in page  # in the bar
    overdue = text(client.get("/t/alpha/deadlines?as_of=2026-03-10&status=overdue"))
    rows = overdue.split("<tbody>")[1].split("</tbody>")[0]
    assert 'class="badge overdue"' in rows and 'class="badge due"' not in rows
    assert "Nurlan New" not in rows  # his plan is due on 12 March
    # a horizon of 2 working days makes 12 March due soon, of 0 merely due
    soon = text(client.get("/t/alpha/deadlines?as_of=2026-03-10&within=2&status=due_soon"))
    assert "Nurlan New" in soon.split("<tbody>")[1]
    none = text(client.get("/t/alpha/deadlines?as_of=2026-03-10&within=0&status=due_soon"))
    assert "Nurlan New" not in none.split("<tbody>")[1] and "No deadlines match." in none
    # sorted by mentee, descending: Nurlan first
    by_name = text(client.get("/t/alpha/deadlines?as_of=2026-03-10&sort=mentee&desc=1"))
    body = by_name.split("<tbody>")[1]
    assert body.index("Nurlan New") < body.index("Aigerim New")
    assert 'aria-sort="descending"' in by_name
    assert client.get("/t/alpha/deadlines?within=-3").status_code == 400
    assert "Horizon" in text(client.get("/t/alpha/deadlines?within=abc"))


def test_page_is_paged(two):
    web, _a, _n = two
    client = login(web)
    from nastavnik.web.admin import deadlines as view
    total = len(deadlines.filter_deadlines(_rows()))
    assert total > 2
    old, view.PER_PAGE = view.PER_PAGE, 2
    try:
        first = text(client.get("/t/alpha/deadlines?as_of=2026-03-10"))
        assert first.split("<tbody>")[1].count("<tr ") == 2 and 'rel="next"' in first
        last = text(client.get(f"/t/alpha/deadlines?as_of=2026-03-10&page={(total + 1) // 2}"))
        assert 'rel="next"' not in last and 'rel="prev"' in last
    finally:
        view.PER_PAGE = old


def _rows():
    with services.tenant("alpha", "test:read") as t:
        return deadlines.deadline_rows(t, AS_OF)[0]


def test_export_as_filtered(two):
    web, _a, _n = two
    client = login(web)
    response = client.get("/t/alpha/deadlines/export?format=csv&as_of=2026-03-10&status=overdue")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:4] == ["Due", "Severity / status", "Mentee (number)", "Mentee"]
    assert len(rows) > 1 and all(r[1] == "overdue" for r in rows[1:])
    assert any(r[3] == "Aigerim New" and r[6] == "Serik Senior" for r in rows[1:])
    response = client.get("/t/alpha/deadlines/export?format=xlsx&as_of=2026-03-10")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet.title == "Deadlines" and sheet.max_row == len(_rows()) + 1
    with services.tenant("alpha", "test:read") as t:
        ru = exports.table(t, "deadlines", AS_OF, "ru", filters={"status": "overdue"})
    assert ru[0][0] == "Срок" and len(ru[1]) == len(rows) - 1


def test_dashboard_links_overdue_rows_and_tiles(two):
    web, a, _n = two
    client = login(web)
    page = text(client.get("/t/alpha/?as_of=2026-03-10"))
    pending = page.split("Overdue and due soon")[1].split("</table>")[0]
    assert f'<a href="/t/alpha/mentorships/{a}">Aigerim New</a>' in pending
    assert "/t/alpha/deadlines?status=overdue&amp;as_of=2026-03-10" in page
    assert "/t/alpha/deadlines?as_of=2026-03-10" in page


def test_kazakh_page(two):
    web, _a, _n = two
    services.update_tenant("alpha", "test", locale="kk")
    client = login(web)
    page = text(client.get("/t/alpha/deadlines?as_of=2026-03-10"))
    assert '<html lang="kk">' in page and "Мерзімдер" in page
    for english in ("Deadlines", "Horizon", ">overdue<", "Paper or decision", "No deadlines"):
        assert english not in page, english


def test_dashboard_violations_name_and_link_the_mentee(two):
    web, a, _n = two
    client = login(web)
    page = text(client.get("/t/alpha/?as_of=2026-03-10"))
    violations = page.split("<h2>Violations</h2>")[1].split("</table>")[0]
    assert f'<a href="/t/alpha/mentorships/{a}">Aigerim New</a>' in violations


def test_pages_say_while_the_results_are_worked_out_again(two, monkeypatch):
    """A settings change with a queue: the dashboard and the deadlines page show the
    results kept before, and say they are being worked out again, in the officer's
    language."""
    from test_results_queue import REDIS, _redis_or_skip

    web_app, _a, _n = two
    redis = _redis_or_skip()
    services.update_tenant("alpha", "admin", locale="ru")
    client = login(web_app)
    before = text(client.get("/t/alpha/deadlines?as_of=2026-03-10"))
    monkeypatch.setenv("REDIS_URL", REDIS)
    from rq import Queue

    Queue("nastavnik", connection=redis).empty()
    services.update_tenant("alpha", "admin", settings={"default_term_months": 1})
    for address in ("/t/alpha/?as_of=2026-03-10", "/t/alpha/deadlines?as_of=2026-03-10"):
        page = text(client.get(address))
        assert "пересчитываются после изменения правил" in page, address
    assert "Serik Senior" in before
    Queue("nastavnik", connection=redis).empty()
