"""The admin in a real browser (Playwright, Debian's chromium), CSRF on, against a live
server: log in, switch tenants in the bar, have an over-capacity assignment refused with
its paragraph, record a council's votes and see the chair break the tie, switch to Kazakh.
A screenshot of each page goes to the test artifacts.

SQLite only: the pages are the same on PostgreSQL (tests/test_web_*.py run both), and a
browser run is slow."""

import datetime as dt
import re

import pytest

from nastavnik import services
from nastavnik.storage.models import db
from nastavnik.web import create_app

from browser import CHROMIUM, LiveServer, require_chromium, screenshot

playwright_sync = pytest.importorskip("playwright.sync_api")

EFFECTIVE = {"year": 2025, "mark": "effective"}
SERVANT = {"corps": "B", "category": "C-5", "first_appointment": True}
AWARD = [{"name": "Медаль «Мінсіз қызметі үшін»", "date": "2019-06-05", "kind": "state"}]
COUNCIL = [
    ("P01", "Nurlan Chair", "chair", None, {"head_or_deputy": True}),
    ("P02", "Gulmira Deputy", "deputy_chair", "service_awards", {"awards": AWARD}),
    ("P03", "Erbol Secretary", "secretary", "service_awards", {"awards": AWARD}),
    ("P04", "Saule Psychologist", "member", "psychologist_polygraphologist",
     {"psychologist_polygraphologist": True}),
    ("P05", "Kairat Veteran", "member", "veteran", {"veteran_retired_reason": "age_limit"}),
]


def _civil_service():
    services.create_tenant("alpha", "Alpha agency", "civil_service_2013", actor="test",
                           locale="en")
    with services.tenant("alpha", "test") as t:
        services.add_person(t, number="D1", full_name="Daniyar Manager", unit="Legal",
                            attributes={"public_service_start": "2024-09-01",
                                        "last_assessment": EFFECTIVE})
        services.add_person(t, number="S1", full_name="Serik Senior", unit="Legal",
                            attributes={"public_service_start": "2015-09-01",
                                        "last_assessment": EFFECTIVE})
        for number, name, category in (("A1", "Aigerim New", "C-5"), ("N1", "Nurlan New", "D-5"),
                                       ("E1", "Dana New", "E-5")):
            services.add_person(t, number=number, full_name=name, unit="Legal", manager="D1",
                                attributes={**SERVANT, "category": category})
        # Serik already has two servants over the whole of March (p.10: at most two)
        services.assign_mentor(t, "N1", "S1", dt.date(2026, 3, 2), term_months=2)
        services.assign_mentor(t, "E1", "S1", dt.date(2026, 3, 10), term_months=2)


def _prosecutors():
    services.create_tenant("akmola", "Akmola prosecutors", "prosecutor_2022", actor="test",
                           locale="en")
    with services.tenant("akmola", "test") as t:
        for number, name, _, _, attributes in COUNCIL:
            services.add_person(t, number=number, full_name=name, attributes=attributes)
        c = services.create_council(t, "Council of mentors", dt.date(2026, 1, 12), "3-о",
                                    dt.date(2026, 1, 12))
        for number, _, role, basis, _ in COUNCIL:
            services.add_member(t, str(c.id), number, role, basis)
        meeting = services.add_meeting(t, str(c.id), dt.date(2026, 2, 5),
                                       [n for n, *_ in COUNCIL])
        services.add_item(t, str(meeting.id), "Report of young employee Y01")


@pytest.fixture
def live(database_url):
    require_chromium()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "browser",
                      "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
    assert app.config.get("WTF_CSRF_ENABLED", True)  # the browser goes through CSRF
    with app.app_context():
        _civil_service()
        _prosecutors()
        services.users.create_user("hr@example.kz", "HR Officer", "correct horse 1")
        services.users.grant("hr@example.kz", "alpha", "hr_officer")
        services.users.grant("hr@example.kz", "akmola", "hr_officer")
        db.session.remove()
        with LiveServer(app) as server:
            yield server
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
def test_admin_in_a_browser(live):
    expect = playwright_sync.expect
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
            # script errors and CSP violations (inline script or style) fail the test; a
            # refusal's 422 and the missing favicon are expected
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error"
                    and not m.text.startswith("Failed to load resource") else None)

            # log in: two tenants, so the list of tenants
            page.goto(live.url + "/login")
            screenshot(page, "01-login")
            page.fill("input[name=email]", "hr@example.kz")
            page.fill("input[name=password]", "correct horse 1")
            page.click("button[type=submit]")
            expect(page.get_by_role("link", name="Akmola prosecutors")).to_be_visible()
            screenshot(page, "02-tenants")
            page.get_by_role("link", name="Akmola prosecutors").click()
            expect(page).to_have_url(re.compile(r"/t/akmola/$"))
            screenshot(page, "03-dashboard-akmola")

            # switch tenant with the bar's switcher
            page.select_option("#tenant-switch", label="Alpha agency")
            expect(page).to_have_url(re.compile(r"/t/alpha/$"))
            expect(page.locator("header.bar")).to_contain_text(
                "Mentorship in the administrative civil service (2013)")  # its title, not its id
            expect(page.locator("header.bar nav")).not_to_contain_text("Council of mentors")
            screenshot(page, "04-dashboard-alpha")

            # assign: suggestions, then a mentor over capacity is refused with p.10
            page.get_by_role("link", name="Assign a mentor").first.click()
            page.select_option("select[name=mentee]", "A1")
            page.fill("input[name=on]", "2026-03-16")
            page.get_by_role("button", name="Show suggested mentors").click()
            excluded = page.locator("details.excluded")
            expect(excluded).to_contain_text("Serik Senior")
            # the rule's id only as the tooltip of its paragraph
            expect(excluded.locator('[title="civil_service_2013.p10.capacity"]').first) \
                .to_contain_text("p.10")
            screenshot(page, "05-assign-suggestions")
            page.select_option("select[name=mentor]", "S1")
            page.fill("input[name=order_number]", "31-л")
            page.get_by_role("button", name="Assign", exact=True).click()
            refusal = page.locator("section.refusal")
            expect(refusal.locator('[title="civil_service_2013.p10.capacity"]').first) \
                .to_contain_text("p.10")
            expect(refusal).not_to_contain_text("civil_service_2013.p10.capacity")
            expect(refusal).to_contain_text("nothing was saved")
            screenshot(page, "06-assign-refused")
            page.get_by_role("link", name="Mentorships").first.click()
            expect(page.locator("main table")).not_to_contain_text("Aigerim New")
            page.get_by_role("link", name="Nurlan New").click()
            expect(page.locator("table.deadlines")).to_contain_text("p.12")
            screenshot(page, "07-mentorship")

            # back to the prosecutors: record votes, the chair breaks the tie
            page.select_option("#tenant-switch", label="Akmola prosecutors")
            expect(page).to_have_url(re.compile(r"/t/akmola/$"))
            page.get_by_role("link", name="Council of mentors").click()
            screenshot(page, "08-councils")
            page.locator("main").get_by_role("link", name="Council of mentors").click()
            expect(page.locator("main")).to_contain_text("The composition meets the regime's rules")
            screenshot(page, "09-council")
            page.get_by_role("link", name="2026-02-05").click()
            votes = {"P01": "for", "P02": "for", "P03": "against", "P04": "against",
                     "P05": "abstain"}
            for number, vote in votes.items():
                page.select_option(f"select[name=vote-{number}]", vote)
            page.get_by_role("button", name="Record votes").click()
            item = page.locator("tr.item-1")
            expect(item).to_contain_text("tie broken by the chair")
            expect(item).to_contain_text("adopted")
            expect(page.locator("p.quorum")).to_contain_text("5 of 5 members present")
            screenshot(page, "10-meeting-votes")

            # Kazakh
            page.click("button[data-lang=kk]")
            expect(page.locator("html")).to_have_attribute("lang", "kk")
            expect(page.locator("p.explanation")).to_contain_text("отырыс заңды")
            expect(page.locator("p.explanation")).to_contain_text("төраға дауыс берген шешім")
            screenshot(page, "11-meeting-kazakh")
            assert not errors, errors
        finally:
            browser.close()
