"""The council of mentors (prosecutor_2022 p.17-22) through the services and the CLI, on
SQLite and PostgreSQL: composition, quorum of 2/3, simple majority, the chair's vote on a
tie, and refusals that leave the data as it was."""

import datetime as dt
import json
import re

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main
from nastavnik.core.errors import InputError, NotFound
from nastavnik.core.findings import MeetingOutcome
from nastavnik.services import councils as council_services
from nastavnik.storage.models import (AgendaItem, Attendance, Council, CouncilMember, Meeting,
                                      Vote, db)

SLUG = "akmola"
CREATED = dt.date(2026, 1, 12)
AWARD = [{"name": "Медаль «Мінсіз қызметі үшін»", "date": "2019-06-05", "kind": "state"}]

#: nine members: 2/3 of them is exactly six
MEMBERS = [
    ("P01", "chair", None, {"head_or_deputy": True, "position_level": "deputy_regional_prosecutor",
                            "prosecution_service_start": "2005-09-01"}),
    ("P02", "deputy_chair", "service_awards", {"awards": AWARD}),
    ("P03", "secretary", "service_awards", {"awards": AWARD}),
    ("P04", "member", "service_awards", {"awards": AWARD}),
    ("P05", "member", "psychologist_polygraphologist", {"psychologist_polygraphologist": True}),
    ("P06", "member", "psychologist_polygraphologist", {"psychologist_polygraphologist": True}),
    ("P07", "member", "veteran", {"veteran_retired_reason": "age_limit"}),
    ("P08", "member", "veteran", {"veteran_retired_reason": "length_of_service"}),
    ("P09", "member", "service_awards", {"awards": AWARD}),
]
SIX = ["P01", "P02", "P03", "P04", "P05", "P06"]  # exactly 2/3 of nine
FIVE = SIX[:5]  # below 2/3


def _people(t):
    for number, _, _, attrs in MEMBERS:
        services.add_person(t, number=number, full_name=f"Member {number}", attributes=attrs)
    services.add_person(t, number="X01", full_name="Not a member",
                        attributes={"awards": AWARD, "head_or_deputy": True})
    services.add_person(t, number="M01", full_name="A mentor", attributes={
        "position_level": "district_prosecutor", "prosecution_service_start": "2012-03-01"})
    services.add_person(t, number="Y01", full_name="A young employee",
                        attributes={"entry_route": "competition", "first_entry": True})


def _tenant():
    services.create_tenant(SLUG, "Akmola prosecutors", "prosecutor_2022", actor="test",
                           locale="en")
    with services.tenant(SLUG, "test") as t:
        _people(t)


def _council(members=MEMBERS) -> str:
    with services.tenant(SLUG, "test") as t:
        c = services.create_council(t, "Council of mentors", CREATED, "3-о", CREATED)
        for number, role, basis, _ in members:
            services.add_member(t, str(c.id), number, role, basis)
        return str(c.id)


@pytest.fixture
def council(app):
    _tenant()
    return _council()


def snapshot():
    """Every council row of the tenant, as comparable tuples."""
    with services.tenant(SLUG, "test:read"):
        out = {}
        for model in (Council, CouncilMember, Meeting, Attendance, AgendaItem, Vote):
            cols = [c for c in model.__table__.columns if c.name != "tenant_id"]
            out[model.__tablename__] = sorted(
                tuple(str(v) for v in row) for row in db.session.execute(sa.select(*cols)))
        return out


def _meeting(council_id, present, day=dt.date(2026, 2, 5)) -> str:
    with services.tenant(SLUG, "test") as t:
        return str(services.add_meeting(t, council_id, day, present).id)


def _item(meeting_id, title="Report", votes=None, hearing=None) -> str:
    with services.tenant(SLUG, "test") as t:
        item = services.add_item(t, meeting_id, title, hearing)
        if votes:
            services.record_votes(t, str(item.id), votes)
        return str(item.id)


def _outcome(meeting_id) -> MeetingOutcome:
    with services.tenant(SLUG, "test:read") as t:
        return services.meeting_outcome(t, meeting_id)


# --- composition ---------------------------------------------------------------------------

def test_council_in_order_has_no_composition_findings(council):
    _meeting(council, SIX)
    with services.tenant(SLUG, "test:read") as t:
        view = services.council_view(t, council, dt.date(2026, 2, 16))
        listed = [str(c.id) for c in services.list_councils(t)]
    assert listed == [council]
    assert view["order"] == {"number": "3-о", "date": "2026-01-12"}
    assert view["members"][0] == {"person": "P01", "name": "Member P01", "role": "chair",
                                  "basis": None, "attributes": {}}
    assert {m["person"]: m["basis"] for m in view["members"]}["P07"] == "veteran"
    assert {f["rule"] for f in view["findings"]}.isdisjoint({
        "prosecutor_2022.p17.order", "prosecutor_2022.p18.size", "prosecutor_2022.p18.chair",
        "prosecutor_2022.p19.member_basis"}), view["findings"]
    # p.20: the first meeting within a month of creation (12 Feb 2026), held on 5 Feb
    [deadline] = view["deadlines"]
    assert (deadline["kind"], deadline["due"], deadline["status"], deadline["paragraph"]) == \
        ("first_meeting", "2026-02-12", "done", "20")
    [meeting] = view["meetings"]
    assert meeting["present"] == SIX and meeting["outcome"]["quorate"] is True


def test_member_basis_and_attributes_reach_the_regime(app):
    _tenant()
    members = [m if m[0] != "P07" else ("P07", "member", "friend_of_the_chair", {})
               for m in MEMBERS]
    with services.tenant(SLUG, "test") as t:
        c = services.create_council(t, "Without an order", CREATED)
        for number, role, basis, _ in members:
            services.add_member(t, str(c.id), number, role, basis,
                                {"since": "2026-01-12"} if number == "P08" else None)
        cid = str(c.id)
    with services.tenant(SLUG, "test:read") as t:
        view = services.council_view(t, cid, dt.date(2026, 3, 16))
    rules = [(f["rule"], f["facts"].get("member")) for f in view["findings"]]
    assert ("prosecutor_2022.p17.order", None) in rules
    assert ("prosecutor_2022.p19.member_basis", "P07") in rules
    assert {m["person"]: m["attributes"] for m in view["members"]}["P08"] == {"since": "2026-01-12"}
    assert view["deadlines"][0]["status"] == "overdue"  # no meeting by 12 Feb


# --- p.21: quorum and decisions ------------------------------------------------------------

def test_exactly_two_thirds_is_quorate(council):
    mid = _meeting(council, SIX)
    item = _item(mid, "Hear the reports", {"P01": "for", "P02": "for", "P03": "for",
                                           "P04": "for", "P05": "against"})
    o = _outcome(mid)
    assert (o.members, o.present, o.quorate) == (9, 6, True)
    assert o.facts["required"] == 6 and o.facts["quorum"] == "2/3"
    assert o.rule.paragraph == "21"
    d = o.decisions[item]  # agenda items are known to the rules by their uuid
    assert (d.votes_for, d.votes_against, d.abstained, d.adopted) == (4, 1, 1, True)
    assert not [f for f in o.findings if f.rule.id == "prosecutor_2022.p21.quorum"]


def test_below_two_thirds_is_not_quorate(council):
    mid = _meeting(council, FIVE)
    item = _item(mid, "Hear the reports", {p: "for" for p in FIVE})
    o = _outcome(mid)
    assert (o.members, o.present, o.quorate) == (9, 5, False)
    assert o.decisions[item].adopted is None
    [quorum] = [f for f in o.findings if f.rule.id == "prosecutor_2022.p21.quorum"]
    assert "5 of the 9 members" in quorum.message("en") and "at least 6" in quorum.message("en")
    # more members present later: the same meeting becomes quorate
    with services.tenant(SLUG, "test") as t:
        services.set_attendance(t, mid, SIX)
    assert _outcome(mid).quorate is True


def test_tie_is_broken_by_the_chair(council):
    mid = _meeting(council, SIX)
    chair_for = _item(mid, "Petition to reward mentor M01", {
        "P01": "for", "P02": "for", "P03": "for", "P04": "against", "P05": "against",
        "P06": "against"})
    chair_against = _item(mid, "Extend the programme", {
        "P01": "against", "P02": "for", "P03": "for", "P04": "against", "P05": "for",
        "P06": "against"})
    chair_abstains = _item(mid, "Adopt the regulation", {
        "P01": "abstain", "P02": "for", "P03": "for", "P04": "against", "P05": "against"})
    o = _outcome(mid)
    d = o.decisions[chair_for]
    assert (d.votes_for, d.votes_against, d.adopted, d.tie_broken_by_chair) == (3, 3, True, True)
    d = o.decisions[chair_against]
    assert (d.votes_for, d.votes_against, d.adopted, d.tie_broken_by_chair) == (3, 3, False, True)
    d = o.decisions[chair_abstains]
    assert (d.votes_for, d.votes_against, d.abstained, d.adopted) == (2, 2, 2, None)
    [tie] = [f for f in o.findings if f.rule.id == "prosecutor_2022.p21.tie_unresolved"]
    assert tie.facts["item"] == chair_abstains and "abstained" in tie.message("en")


def test_majority_of_the_members_present(council):
    mid = _meeting(council, SIX)
    # 3 for of 6 present is not more than half; a vote given again replaces the first
    item = _item(mid, "Report", {"P02": "for", "P03": "for", "P04": "for", "P05": "against"})
    assert _outcome(mid).decisions[item].adopted is False
    with services.tenant(SLUG, "test") as t:
        services.record_votes(t, item[:8], {"P05": "for"})  # by id prefix
    assert _outcome(mid).decisions[item].adopted is True


def test_hearing_item_names_the_mentorship(council):
    with services.tenant(SLUG, "test") as t:
        m, check = services.assign_mentor(t, "Y01", "M01", dt.date(2025, 3, 3),
                                          order_number="12", order_date=dt.date(2025, 3, 3))
        assert check.allowed
        mentorship = str(m.id)
    mid = _meeting(council, SIX, dt.date(2026, 2, 18))
    item = _item(mid, "Reports of M01 and Y01", {p: "for" for p in SIX}, hearing="Y01")
    with services.tenant(SLUG, "test:read") as t:
        view = council_services.meeting_view(t, mid, "en")
    [it] = view["items"]
    assert (it["id"], it["hearing"], it["adopted"], it["for"]) == (item, mentorship, True, 6)


# --- refusals leave the data unchanged -----------------------------------------------------

def _refused(call, field=None, error=InputError):
    before = snapshot()
    with pytest.raises(error) as exc:
        with services.tenant(SLUG, "test") as t:
            call(t)
    assert snapshot() == before
    if field:
        assert exc.value.field == field, exc.value
    return exc.value


def test_refusals_change_nothing(council):
    mid = _meeting(council, SIX)
    item = _item(mid, "Report", {"P01": "for"})
    # a second chair
    with services.tenant(SLUG, "test") as t:
        services.add_person(t, number="P10", full_name="Another deputy",
                            attributes={"head_or_deputy": True})
    err = _refused(lambda t: services.add_member(t, council, "P10", "chair"), "role")
    assert "already has a chair (P01)" in str(err)
    _refused(lambda t: services.add_member(t, council, "P02", "member"), "person")
    _refused(lambda t: services.add_member(t, council, "P10", "president"), "role")
    _refused(lambda t: services.add_member(t, council, "P10", "member", attributes=[1]),
             "attributes")
    _refused(lambda t: services.add_member(t, council, "NOBODY", "member"), "person", NotFound)
    # a non-member in attendance, at a new meeting and at an existing one
    _refused(lambda t: services.add_meeting(t, council, dt.date(2026, 3, 5), ["P01", "X01"]),
             "present")
    _refused(lambda t: services.set_attendance(t, mid, SIX + ["X01"]), "present")
    _refused(lambda t: services.add_meeting(t, council, dt.date(2026, 1, 5), SIX), "date")
    # a vote by a member not present, by a non-member, an unknown vote
    err = _refused(lambda t: services.record_votes(t, item, {"P02": "for", "P09": "for"}),
                   "votes.P09")
    assert "not recorded as present" in str(err)
    _refused(lambda t: services.record_votes(t, item, {"X01": "for"}), "votes.X01")
    _refused(lambda t: services.record_votes(t, item, {"P02": "yes"}), "votes.P02")
    _refused(lambda t: services.record_votes(t, item, {}), "votes")
    _refused(lambda t: services.add_item(t, mid, "  "), "title")
    _refused(lambda t: services.create_council(t, "x" * 300, CREATED), "name")
    _refused(lambda t: services.record_votes(t, "0000", {"P02": "for"}), "agenda_item", NotFound)


def test_a_refused_call_writes_nothing_even_if_the_block_goes_on(council):
    """Each service checks all of its input before writing: a caller that catches the
    error and commits the rest of its block does not commit half a call."""
    mid = _meeting(council, SIX)
    item = _item(mid, "Report")
    with services.tenant(SLUG, "test") as t:
        with pytest.raises(InputError):
            services.record_votes(t, item, {"P02": "for", "P09": "for"})
        with pytest.raises(InputError):
            services.set_attendance(t, mid, ["P01", "X01"])
        with pytest.raises(InputError):
            services.add_meeting(t, council, dt.date(2026, 3, 5), ["P01", "X01"])
    view = snapshot()
    assert view["vote"] == [] and len(view["attendance"]) == 6 and len(view["meeting"]) == 1


def test_regime_without_a_council_refuses(app):
    services.create_tenant("cs", "Civil service", "civil_service_2013", actor="test")
    for call in (lambda t: services.create_council(t, "Council", CREATED),
                 lambda t: services.list_councils(t),
                 lambda t: services.add_member(t, "abcd", "P01", "chair"),
                 lambda t: services.add_meeting(t, "abcd", CREATED),
                 lambda t: services.meeting_outcome(t, "abcd"),
                 lambda t: services.council_view(t, "abcd", CREATED)):
        with pytest.raises(InputError) as exc:
            with services.tenant("cs", "test") as t:
                call(t)
        assert exc.value.field == "council" and "has no council of mentors" in str(exc.value)


# --- the command line ----------------------------------------------------------------------

def cli(app, *args):
    result = CliRunner().invoke(main, list(args), obj={"lang": "en"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def _id(output, what):
    match = re.search(rf"{what} ([0-9a-f-]{{36}})", output)
    assert match, output
    return match.group(1)


def test_cli_council_from_creation_to_outcome(app):
    _tenant()
    t = ("--tenant", SLUG)
    out = cli(app, "council", "create", "Council of mentors", "--created", "2026-01-12",
              "--order", "3-о", "--order-date", "2026-01-12", *t, "--actor", "hr:aigerim")
    assert out.exit_code == 0, out.output
    council = _id(out.output, "council")
    for number, role, basis, _ in MEMBERS:
        args = ["council", "member", "add", council[:8], number, "--role", role, *t]
        out = cli(app, *args, *(["--basis", basis] if basis else []))
        assert out.exit_code == 0 and f"{number} added to council {council} as {role}" in out.output
    out = cli(app, "council", "meeting", "add", council, "--date", "2026-02-05",
              *[x for p in FIVE for x in ("--present", p)], *t)
    assert out.exit_code == 0 and "5 present" in out.output, out.output
    meeting = _id(out.output, "meeting")
    out = cli(app, "council", "item", "add", meeting[:8], "Petition to reward mentor M01", *t)
    item = _id(out.output, "item")
    assert "(No. 1)" in out.output
    out = cli(app, "council", "vote", item, "P01=for", "P02=for", "P03=against", "P04=against", *t)
    assert out.exit_code == 0 and "4 vote(s)" in out.output, out.output

    out = cli(app, "council", "outcome", meeting, *t)  # 5 of 9: not quorate
    assert out.exit_code == 0, out.output
    assert "quorum (p.21, at least 2/3 of the members): no, 5 present of 9 members" in out.output
    assert "prosecutor_2022.p21.quorum (p.21): The meeting of 2026-02-05 is not quorate" in out.output
    assert "no decision" in out.output

    out = cli(app, "council", "attendance", meeting, *[x for p in SIX for x in ("--present", p)], *t)
    assert out.exit_code == 0 and "6 present" in out.output
    assert "dropped" not in out.output
    out = cli(app, "council", "vote", item, "P05=against", *t)
    out = cli(app, "council", "outcome", meeting, *t)
    assert "quorum (p.21, at least 2/3 of the members): yes, 6 present of 9 members" in out.output
    assert "2 for, 3 against, 1 abstained: not adopted" in out.output
    out = cli(app, "council", "vote", item, "P06=for", *t)
    out = cli(app, "council", "outcome", meeting, "--json", *t)
    data = json.loads(out.output)
    assert data["quorate"] is True and (data["members"], data["present"]) == (9, 6)
    [it] = data["items"]
    assert (it["id"], it["for"], it["against"], it["adopted"], it["tie_broken_by_chair"]) == \
        (item, 3, 3, True, True)
    assert it["votes"]["P01"] == "for" and it["decided_by"] == "tie_broken_by_chair"
    out = cli(app, "council", "outcome", meeting, *t)
    assert "3 for, 3 against, 0 abstained: adopted (tie broken by the chair)" in out.output

    out = cli(app, "council", "list", *t)
    assert out.exit_code == 0 and council[:8] in out.output and "order No. 3-о" in out.output
    out = cli(app, "council", "show", council[:6], "--as-of", "2026-02-16", *t)
    assert out.exit_code == 0, out.output
    assert "chair         P01" in out.output and "basis: veteran" in out.output
    assert "2026-02-12  done      first_meeting  p.20" in out.output
    assert "findings: none" in out.output
    data = json.loads(cli(app, "council", "show", council, "--as-of", "2026-02-16", "--json",
                          *t).output)
    assert data["meetings"][0]["outcome"]["items"][0]["adopted"] is True
    assert data["deadlines"][0]["paragraph"] == "20"

    # P06 recorded absent after voting: the vote is dropped, and said
    out = cli(app, "council", "attendance", meeting, *[x for p in FIVE for x in ("--present", p)], *t)
    assert out.exit_code == 0 and re.search(r"vote of P06 on '.+' dropped: recorded absent", out.output)


def test_cli_findings_in_the_chosen_language(app):
    _tenant()
    council = _council(MEMBERS[:4])  # four members: too few and even (p.18)
    meeting = _meeting(council, ["P01", "P02"])
    result = CliRunner().invoke(main, ["--lang", "ru", "council", "outcome", meeting, "--tenant",
                                       SLUG], obj={})
    assert result.exit_code == 0, result.output
    assert "неправомочно" in result.output and "(p.21)" in result.output
    result = CliRunner().invoke(main, ["--lang", "kk", "council", "show", council, "--tenant",
                                       SLUG, "--as-of", "2026-02-16"], obj={})
    assert result.exit_code == 0, result.output
    assert "prosecutor_2022.p18.size (p.18): Тәлімгерлер кеңесінің құрамында 4 адам" in result.output


def test_cli_refusals_exit_2_without_a_traceback(app):
    _tenant()
    council = _council()
    meeting = _meeting(council, SIX)
    item = _item(meeting)
    t = ("--tenant", SLUG)
    before = snapshot()
    cases = [
        (("council", "member", "add", council, "X01", "--role", "chair"), "already has a chair"),
        (("council", "member", "add", council, "X01", "--role", "member", "--attributes", "[1"),
         "not JSON"),
        (("council", "attendance", meeting, "--present", "P01", "--present", "X01"),
         "X01 is not a member of the council"),
        (("council", "meeting", "add", council, "--date", "2026-03-05", "--present", "X01"),
         "X01 is not a member of the council"),
        (("council", "vote", item, "P01=for", "P09=for"), "P09 is not recorded as present"),
        (("council", "vote", item, "P01=maybe"), "PERSON=for|against|abstain"),
        (("council", "vote", item, "P01=for", "P01=against"), "P01 is given twice"),
        (("council", "outcome", "ffffffff"), "no meeting 'ffffffff'"),
        (("council", "show", "zz"), "no council 'zz'"),
    ]
    for args, message in cases:
        out = cli(app, *args, *t)
        assert out.exit_code == 2, (args, out.output)
        assert message in out.output, (args, out.output)
        assert "Traceback" not in out.output
    assert snapshot() == before


def test_cli_regime_without_a_council(app):
    services.create_tenant("cs", "Civil service", "civil_service_2013", actor="test")
    for args in (("council", "create", "Council", "--created", "2026-01-12"),
                 ("council", "list"), ("council", "show", "abcd"),
                 ("council", "member", "add", "abcd", "P01", "--role", "chair"),
                 ("council", "outcome", "abcd")):
        out = cli(app, *args, "--tenant", "cs")
        assert out.exit_code == 2, out.output
        assert "error: at council: regime civil_service_2013 has no council of mentors" in out.output
        assert "Traceback" not in out.output


def test_unticking_attendance_drops_that_member_s_votes(council):
    """A member recorded absent cannot have voted (p.21): setting attendance without them
    drops their votes at the meeting (and says whose), and the decision is counted again."""
    mid = _meeting(council, SIX + ["P07"])
    first = _item(mid, "Report", {"P01": "for", "P02": "for", "P07": "against"})
    second = _item(mid, "Plan", {"P07": "for", "P03": "against"})
    with services.tenant(SLUG, "test") as t:
        change = services.councils.change_attendance(t, mid, SIX)
    assert [(d["person"], d["item"]) for d in change["dropped"]] == [("P07", "Report"), ("P07", "Plan")]
    assert change["dropped"][0]["name"] == "Member P07"
    o = _outcome(mid)
    assert (o.decisions[first].votes_against, o.decisions[second].votes_for) == (0, 0)
    assert not [f for f in o.findings if f.rule.id == "prosecutor_2022.p21.vote_not_counted"]
    votes = snapshot()["vote"]
    assert len(votes) == 3  # P01 and P02 on the first item, P03 on the second
    # attendance unchanged for those who voted: nothing dropped
    with services.tenant(SLUG, "test") as t:
        assert services.councils.change_attendance(t, mid, SIX)["dropped"] == []
    assert len(snapshot()["vote"]) == 3


def test_cli_council_commands_give_their_ids_as_json_for_scripts(app):
    _tenant()
    t = ("--tenant", SLUG)
    out = cli(app, "council", "create", "Council of mentors", "--created", "2026-01-12", *t, "--json")
    assert out.exit_code == 0, out.output
    council = json.loads(out.output)
    assert council["name"] == "Council of mentors" and council["created_on"] == "2026-01-12"
    out = cli(app, "council", "member", "add", council["id"], "P01", "--role", "chair", *t)
    assert out.exit_code == 0, out.output
    out = cli(app, "council", "meeting", "add", council["id"], "--date", "2026-02-05",
              "--present", "P01", *t, "--json")
    assert out.exit_code == 0, out.output
    meeting = json.loads(out.output)
    assert meeting["council"] == council["id"] and meeting["present"] == ["P01"]
    out = cli(app, "council", "item", "add", meeting["id"], "Petition", *t, "--json")
    item = json.loads(out.output)
    assert (item["meeting"], item["position"], item["title"]) == (meeting["id"], 1, "Petition")
    assert re.fullmatch(r"[0-9a-f-]{36}", item["id"])
