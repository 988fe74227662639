"""An HR officer's working day in the admin, in a real browser, in Russian and in Kazakh
(issue 14).

On the demo tenants (loaded as of today), the officer: finds an overdue paper from the
dashboard, opens the mentorship and records the paper done with its fields; records a
mentor's release and then a successor; assigns a new hire a mentor from the suggestions; is
refused with a Kazakh message next to the field; imports a staff file with a bad row and
sees every error of it. Each page is looked at 1280 px wide and 375 px wide: no English
word of the catalogue on the page, no UUID, no rule id outside a <details>, no
sideways scrolling on the phone. Screenshots go to the test artifacts."""

import datetime as dt
import re

import pytest

from nastavnik import demo, services
from nastavnik.services.deadlines import deadline_rows
from nastavnik.storage import upgrade_database
from nastavnik.storage.models import db
from nastavnik.web import create_app

from browser import (CHROMIUM, LiveServer, page_defects, require_chromium, screenshot,
                     scrolls_sideways)

playwright_sync = pytest.importorskip("playwright.sync_api")

TODAY = dt.date.today()
RELEASED = TODAY - dt.timedelta(days=3)  # the mentor's last day; the successor's first is today
SLUG = "demo-civil-service"
PASSWORD = "correct horse 1"


def _story():
    """What the walk will act on, read from the demo tenant through the services."""
    with services.tenant(SLUG, "test") as work:
        rows, _ = deadline_rows(work, TODAY, 5)
        papers = work.regime.paper_kinds
        overdue = next(r for r in rows if r["status"] == "overdue" and r["mentorship"]
                       and r["kind"] in papers and papers[r["kind"]].recorded)
        listed = services.views.mentorships_page(work, "open", None, None, limit=100)
        released = next(m for m in listed["items"]
                        if m["id"] != overdue["mentorship"] and m["mentor"]
                        and m["start"] < TODAY - dt.timedelta(days=7))
    return {"overdue": overdue, "released": released}


@pytest.fixture
def live(tmp_path):
    require_chromium()
    url = f"sqlite:///{tmp_path / 'day.sqlite3'}"
    upgrade_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "browser",
                      "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
    with app.app_context():
        demo.load(TODAY, regimes=["civil_service_2013"])
        services.users.create_user("officer@example.kz", "Officer", PASSWORD)
        services.users.grant("officer@example.kz", SLUG, "hr_officer")
        story = _story()
        db.session.remove()
        with LiveServer(app) as server:
            server.story = story
            yield server
        db.session.remove()
        db.engine.dispose()


class Walk:
    """The officer's browser, and what each page must be."""

    def __init__(self, page, lang):
        self.page, self.lang, self.step = page, lang, 0
        self.defects = []  # the whole walk's, so one run shows them all

    def look(self, name: str) -> None:
        """Check the page as it is at 1280 px and at 375 px, with a screenshot of each."""
        self.step += 1
        page = self.page
        page.wait_for_load_state("networkidle")
        self.defects += [f"{name}: {d}" for d in page_defects(page, self.lang)]
        screenshot(page, f"day-{self.lang}-{self.step:02d}-{name}-1280")
        page.set_viewport_size({"width": 375, "height": 800})
        try:
            if scrolls_sideways(page):
                self.defects.append(f"{name}: scrolls sideways at 375 px")
            screenshot(page, f"day-{self.lang}-{self.step:02d}-{name}-375")
        finally:
            page.set_viewport_size({"width": 1280, "height": 900})


DONE_LATE = {"ru": "выполнено с опозданием", "kk": "кешігіп орындалды"}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_an_hr_officers_day(live, lang):
    expect = playwright_sync.expect
    story = live.story
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            walk = Walk(page, lang)
            page.goto(live.url + "/login")
            page.click(f"button[data-lang={lang}]")
            expect(page.locator("html")).to_have_attribute("lang", lang)
            walk.look("login")
            page.fill("input[name=email]", "officer@example.kz")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            expect(page).to_have_url(re.compile(rf"/t/{SLUG}/$"))
            walk.look("dashboard")
            # the keyboard: the first Tab reaches the skip link, which lands in the page
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.className") == "skip"
            page.keyboard.press("Enter")
            assert page.evaluate("document.activeElement.id") == "main"

            # an overdue paper, one click from the dashboard
            overdue = story["overdue"]
            page.locator("main").get_by_role("link", name=overdue["mentee_name"]).first.click()
            expect(page).to_have_url(re.compile(rf"/mentorships/{overdue['mentorship']}"))
            walk.look("overdue-mentorship")
            # its actions are a few Tabs away, each link leading to its form
            jumps = page.evaluate("""() => {
              const focusable = [...document.querySelectorAll('a[href], button, input, select, textarea')]
                .filter(e => e.offsetParent !== null && e.type !== 'hidden');
              return [...document.querySelectorAll('nav.jump a')].map(a => [
                focusable.indexOf(a), !!document.querySelector(a.getAttribute('href') + ' form')]);
            }""")
            assert len(jumps) >= 4 and all(0 <= at < 30 and form for at, form in jumps), jumps
            form = page.locator(f"form[action$='/mentorships/{overdue['mentorship']}/paper']")
            form.locator("select[name=kind]").select_option(overdue["kind"])
            form.locator("input[name=done_on]").fill(TODAY.isoformat())
            form.locator("input[name=approved_by]").fill("Ахметова Г. С.")
            form.locator("button[type=submit]").click()
            expect(page.locator("table.deadlines")).to_contain_text(DONE_LATE[lang])
            walk.look("paper-done")

            # a mentor released on their own day, then a successor
            released = story["released"]
            page.goto(f"{live.url}/t/{SLUG}/mentorships/{released['id']}")
            release = page.locator("section#release form")
            release.locator("input[name=released_on]").fill(RELEASED.isoformat())
            release.locator("select[name=release_reason]").select_option("dismissal")
            release.locator("button[type=submit]").click()
            expect(page.locator("table.deadlines")).to_contain_text("11")
            walk.look("released")
            replace = page.locator("section#replace form[method=post]")
            successor = next(v for v in replace.locator("select[name=mentor] option").evaluate_all(
                "os => os.map(o => o.value)") if v and v != released["mentor"])
            replace.locator("select[name=mentor]").select_option(successor)
            replace.locator("input[name=replace_on]").fill(TODAY.isoformat())
            replace.locator("button[type=submit]").click()
            expect(page.locator("section#release")).to_have_count(1)  # a current mentor again
            expect(page.locator(".refusal, .flash.error")).to_have_count(0)
            walk.look("successor")

            # a new hire: a mentor from the suggestions
            page.goto(f"{live.url}/t/{SLUG}/assign")
            mentee = page.locator("select[name=mentee] option:not([value=''])").first
            page.select_option("select[name=mentee]", mentee.get_attribute("value"))
            page.fill("input[name=on]", TODAY.isoformat())
            page.locator("form[method=get] button[type=submit]").click()
            walk.look("suggestions")
            chosen = page.locator("select[name=mentor] option:not([value=''])").first
            page.select_option("select[name=mentor]", chosen.get_attribute("value"))
            page.fill("input[name=order_number]", "77-л/с")
            page.locator("form[method=post] button.primary").click()
            expect(page).to_have_url(re.compile(r"/mentorships/[0-9a-f-]{36}"))
            walk.look("assigned")

            # refused, in Kazakh, next to the field, with what was typed kept
            absence = page.locator("form[action$='/absence']")
            absence.locator("input[name=absent_from]").fill(TODAY.isoformat())
            absence.locator("input[name=absent_to]").fill((TODAY - dt.timedelta(days=3)).isoformat())
            absence.locator("button[type=submit]").click()
            invalid = page.locator("[aria-invalid=true]").first
            expect(invalid).to_be_visible()
            described = invalid.get_attribute("aria-describedby")
            message = page.locator(f"#{described}").inner_text()
            assert re.search(r"[әғқңөұүһіА-Яа-я]", message) and not re.search(r"[A-Za-z]{3}", message), message
            walk.look("refused")

            # a staff file with a bad row: every error of the row
            page.goto(f"{live.url}/t/{SLUG}/people/import")
            staff = ("number,full_name,hired_on,public_service_start\n"
                     "N-1,Жаңа Қызметкер,2026-11-02,2026-11-02\n"
                     "N-2,,31.02.2026,not a date\n")
            page.set_input_files("input[type=file]", files=[{
                "name": "staff.csv", "mimeType": "text/csv", "buffer": staff.encode()}])
            page.locator("form[enctype] button.primary").click()
            rows = page.locator("table.errors tbody tr").all_inner_texts()
            third = [r for r in rows if r.split()[0] == "3"]
            assert len(third) >= 3, rows  # the missing name and both bad dates of line 3
            walk.look("import-errors")
            assert walk.defects == [], "\n".join(walk.defects)
        finally:
            browser.close()
