"""The web admin's council pages (prosecutor_2022 p.17-22) on SQLite and PostgreSQL: the
composition check, meetings with attendance, agenda and votes, the decision with its
explanation (quorum of 2/3, simple majority, the chair breaking a tie), viewers, tenants,
and regimes without a council."""

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from nastavnik import services
from nastavnik.storage.models import Attendance, Meeting, Vote, db
from nastavnik.web import create_app

AWARD = [{"name": "Медаль «Мінсіз қызметі үшін»", "date": "2019-06-05", "kind": "state"}]
MEMBERS = [
    ("P01", "Nurlan Chair", "chair", None, {"head_or_deputy": True}),
    ("P02", "Gulmira Deputy", "deputy_chair", "service_awards", {"awards": AWARD}),
    ("P03", "Erbol Secretary", "secretary", "service_awards", {"awards": AWARD}),
    ("P04", "Saule Psychologist", "member", "psychologist_polygraphologist",
     {"psychologist_polygraphologist": True}),
    ("P05", "Kairat Veteran", "member", "veteran", {"veteran_retired_reason": "age_limit"}),
]
ALL = [number for number, *_ in MEMBERS]
CREATED = dt.date(2026, 1, 12)


def _council(slug, members=MEMBERS, order=True) -> str:
    with services.tenant(slug, "test") as t:
        for number, name, _, _, attributes in members:
            services.add_person(t, number=number, full_name=name, attributes=attributes)
        c = services.create_council(t, "Council of mentors", CREATED,
                                    "3-о" if order else None, CREATED if order else None)
        for number, _, role, basis, _ in members:
            services.add_member(t, str(c.id), number, role, basis)
        return str(c.id)


@pytest.fixture
def web(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": False,
                      "SESSION_COOKIE_SECURE": False, "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        services.create_tenant("akmola", "Akmola prosecutors", "prosecutor_2022", actor="test",
                               locale="en")
        services.create_tenant("astana", "Astana prosecutors", "prosecutor_2022", actor="test",
                               locale="en")
        services.create_tenant("civil", "Civil agency", "civil_service_2013", actor="test",
                               locale="en")
        services.users.create_user("hr@akmola.kz", "HR Akmola", "correct horse 1")
        for slug in ("akmola", "astana", "civil"):
            services.users.grant("hr@akmola.kz", slug, "hr_officer")
        services.users.create_user("viewer@akmola.kz", "Viewer", "correct horse 2")
        services.users.grant("viewer@akmola.kz", "akmola", "viewer")
        yield app
        db.session.remove()
        db.engine.dispose()


def login(app, email="hr@akmola.kz", password="correct horse 1"):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": password}).status_code == 302
    return client


def text(response):
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def _meeting(slug, council_id, present=ALL, title="Report of mentee Y01", votes=None):
    with services.tenant(slug, "test") as t:
        meeting = services.add_meeting(t, council_id, dt.date(2026, 2, 5), present)
        item = services.add_item(t, str(meeting.id), title)
        if votes:
            services.record_votes(t, str(item.id), votes)
        return str(meeting.id), str(item.id)


def _counts(slug):
    with services.tenant(slug, "test:read"):
        return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                     for model in (Meeting, Attendance, Vote))


def test_council_list_and_page_with_composition_members_and_meetings(web):
    cid = _council("akmola")
    _meeting("akmola", cid)
    client = login(web)
    assert "/t/akmola/councils" in text(client.get("/t/akmola/"))
    listing = text(client.get("/t/akmola/councils"))
    assert f"/t/akmola/councils/{cid}" in listing and "3-о" in listing
    page = text(client.get(f"/t/akmola/councils/{cid}?as_of=2026-02-16"))
    assert "The composition meets the regime's rules: 5 members." in page
    assert re.search(r"Nurlan Chair.*?chair.*?Gulmira Deputy.*?deputy chair.*?employee awarded state or departmental awards", page)
    assert ">service_awards<" not in page  # the ground in words, never its code
    assert "psychologist-polygraphologist" in page and "veteran of the prosecutor bodies" in page
    assert "5 / 5" in page and "quorate" in page
    # p.20: the first meeting within a month of creation, done
    assert re.search(r"2026-02-12</td><td><span class=\"badge done\">done</span></td><td class=\"para\">p.20", page)


def test_composition_findings_are_shown_with_their_paragraph(web):
    cid = _council("akmola", MEMBERS[:4], order=False)  # four members, no order
    client = login(web)
    page = text(client.get(f"/t/akmola/councils/{cid}"))
    composition = page.split("Composition check")[1].split("</section>")[0]
    assert "prosecutor_2022.p18.size" in composition and "p.18" in composition
    assert "prosecutor_2022.p17.order" in composition and "p.17" in composition


def test_add_meeting_attendance_item_and_votes_through_the_forms(web):
    cid = _council("akmola")
    client = login(web)
    response = client.post(f"/t/akmola/councils/{cid}/meetings",
                           data={"date": "2026-02-05", "present": ALL[:3]})
    assert response.status_code == 302
    meeting_url = response.headers["Location"]
    page = text(client.get(meeting_url))
    # 3 of 5 present: below 2/3 (at least 4), p.21
    assert "Not quorate" in page and "3 of 5 members present; at least 4 (2/3 of the members) required" in page
    assert client.post(meeting_url + "/attendance", data={"present": ALL}).status_code == 302
    page = text(client.get(meeting_url))
    assert "Quorate" in page and "5 of 5 members present" in page
    assert client.post(meeting_url + "/items", data={"title": "Report of mentee Y01"}).status_code == 302
    page = text(client.get(meeting_url))
    item_id = re.search(r'/items/([0-9a-f-]{36})/votes', page).group(1)
    response = client.post(f"{meeting_url}/items/{item_id}/votes",
                           data={"vote-P01": "for", "vote-P02": "for", "vote-P03": "for",
                                 "vote-P04": "against", "vote-P05": ""}, follow_redirects=True)
    page = text(response)
    assert "The votes are recorded." in page
    row = page.split('class="item-1"')[1].split("</tr>")[0]
    assert re.search(r"<td>3</td><td>1</td><td>1</td> <td>3</td>.*>adopted<", row), row
    assert 'value="for" selected' in page
    # a vote from a member recorded absent is refused with the reason, nothing written
    client.post(meeting_url + "/attendance", data={"present": ALL[:4]})
    before = _counts("akmola")
    response = client.post(f"{meeting_url}/items/{item_id}/votes", data={"vote-P05": "for"})
    assert response.status_code == 422 and "not recorded as present" in text(response)
    assert _counts("akmola") == before


def test_tie_is_broken_by_the_chair_and_explained(web):
    cid = _council("akmola")
    meeting_id, item_id = _meeting("akmola", cid)
    client = login(web)
    response = client.post(f"/t/akmola/meetings/{meeting_id}/items/{item_id}/votes",
                           data={"vote-P01": "for", "vote-P02": "for", "vote-P03": "against",
                                 "vote-P04": "against", "vote-P05": "abstain"},
                           follow_redirects=True)
    page = text(response)
    row = page.split('class="item-1"')[1].split("</tr>")[0]
    assert re.search(r"<td>2</td><td>2</td><td>1</td> <td>3</td>", row), row
    assert "tie broken by the chair" in row and ">adopted<" in row
    assert "when votes are equally divided, the side the chair voted for wins" in page
    assert "Quorate" in page and "5 of 5 members present" in page and "p.21" in page
    # the chair voting against turns the same tie the other way
    client.post(f"/t/akmola/meetings/{meeting_id}/items/{item_id}/votes",
                data={"vote-P01": "against", "vote-P03": "for"})
    row = text(client.get(f"/t/akmola/meetings/{meeting_id}")).split('class="item-1"')[1].split("</tr>")[0]
    assert "tie broken by the chair" in row and ">not adopted<" in row


def test_unticking_a_voter_drops_their_vote_and_says_so(web):
    cid = _council("akmola")
    meeting_id, item_id = _meeting("akmola", cid, votes={"P01": "for", "P02": "for",
                                                         "P05": "against"})
    client = login(web)
    response = client.post(f"/t/akmola/meetings/{meeting_id}/attendance",
                           data={"present": ALL[:4]}, follow_redirects=True)
    page = text(response)
    assert "Attendance is recorded." in page
    assert "Votes of members now recorded absent are dropped: Kairat Veteran — Report of mentee Y01." in page
    row = page.split('class="item-1"')[1].split("</tr>")[0]
    assert re.search(r"<td>2</td><td>0</td><td>2</td> <td>3</td>", row), row
    assert _counts("akmola")[2] == 2
    assert "absent: not counted" not in page


def test_each_result_says_why_in_words(web):
    cid = _council("akmola")
    meeting_id, _item = _meeting("akmola", cid, votes={"P01": "for", "P02": "for",
                                                       "P03": "against", "P04": "against"})
    client = login(web)
    page = text(client.get(f"/t/akmola/meetings/{meeting_id}"))
    why = page.split('class="why item-1-why"')[1].split("</tr>")[0]
    assert ("Votes were split equally (2 for, 2 against); the chair voted for, so the item is "
            "adopted.") in why
    with services.tenant("akmola", "test") as t:
        item = services.add_item(t, meeting_id, "Second")
        services.record_votes(t, str(item.id), {"P01": "for", "P02": "for", "P03": "against"})
    page = text(client.get(f"/t/akmola/meetings/{meeting_id}"))
    why = page.split('class="why item-2-why"')[1].split("</tr>")[0]
    assert "Not adopted: 2 of the 5 present voted for; a simple majority needs at least 3." in why


def test_results_in_words_in_russian(web):
    """(A fresh test: the locale is settled by a request's first words.)"""
    cid = _council("akmola")
    meeting_id, _item = _meeting("akmola", cid, votes={"P01": "for", "P02": "for",
                                                       "P03": "against"})
    client = login(web)
    client.post("/language/ru")
    page = text(client.get(f"/t/akmola/meetings/{meeting_id}"))
    why = page.split('class="why item-1-why"')[1].split("</tr>")[0]
    assert ("Не принято: из 5 присутствующих за проголосовали 2; для простого большинства "
            "нужно не менее 3.") in why


def test_viewer_sees_votes_but_no_forms_and_gets_403_on_post(web):
    cid = _council("akmola")
    meeting_id, item_id = _meeting("akmola", cid, votes={"P01": "for", "P02": "against"})
    client = login(web, "viewer@akmola.kz", "correct horse 2")
    page = text(client.get(f"/t/akmola/meetings/{meeting_id}"))
    assert "tie broken by the chair" in page
    assert 'method="post" action="/t/akmola/meetings' not in page
    assert 'method="post" action="/t/akmola/councils' not in text(client.get(f"/t/akmola/councils/{cid}"))
    before = _counts("akmola")
    for path, data in ((f"/t/akmola/councils/{cid}/meetings", {"date": "2026-03-01"}),
                       (f"/t/akmola/meetings/{meeting_id}/attendance", {"present": ALL[:2]}),
                       (f"/t/akmola/meetings/{meeting_id}/items", {"title": "More"}),
                       (f"/t/akmola/meetings/{meeting_id}/items/{item_id}/votes", {"vote-P01": "against"})):
        assert client.post(path, data=data).status_code == 403, path
    assert _counts("akmola") == before


def test_another_tenants_council_meeting_and_item_are_404(web):
    cid = _council("akmola")
    meeting_id, item_id = _meeting("akmola", cid)
    other_cid = _council("astana")
    other_meeting, other_item = _meeting("astana", other_cid)
    client = login(web)
    assert client.get(f"/t/astana/councils/{other_cid}").status_code == 200
    assert client.get(f"/t/akmola/councils/{other_cid}").status_code == 404
    assert client.get(f"/t/akmola/meetings/{other_meeting}").status_code == 404
    before = _counts("astana")
    assert client.post(f"/t/akmola/meetings/{other_meeting}/attendance",
                       data={"present": ALL[:1]}).status_code == 404
    assert client.post(f"/t/akmola/meetings/{meeting_id}/items/{other_item}/votes",
                       data={"vote-P01": "for"}).status_code == 404
    assert client.post(f"/t/akmola/councils/{other_cid}/meetings",
                       data={"date": "2026-03-01"}).status_code == 404
    assert _counts("astana") == before


def test_regime_without_a_council_has_no_link_and_404(web):
    client = login(web)
    page = text(client.get("/t/civil/"))
    assert "/t/civil/mentorships" in page and "/t/civil/councils" not in page
    assert client.get("/t/civil/councils").status_code == 404
    cid = _council("akmola")
    assert client.get(f"/t/civil/councils/{cid}").status_code == 404
    assert client.post(f"/t/civil/councils/{cid}/meetings", data={"date": "2026-03-01"}).status_code == 404
