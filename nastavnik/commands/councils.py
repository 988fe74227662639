"""nastavnik council create|list|show|member add|meeting add|attendance|item add|vote|outcome.

The council of mentors of a regime that has one (prosecutor_2022 p.17-22). Councils,
meetings and agenda items are named by their id or a unique prefix of it (4+ characters,
as ``list`` and ``show`` print them); people by their personnel number."""

from __future__ import annotations

import datetime as dt
import json

import click

from .. import services
from ..core.model import VOTES
from ..services import councils as council_services
from ..services.councils import ROLES
from . import DATE, actor_option, dump, json_option, lang, tenant_option, with_database, work_on

VERDICT = {True: "adopted", False: "not adopted", None: "no decision"}


@click.group("council")
def council_group():
    """The council of mentors: members, meetings, attendance, agenda, votes, outcomes."""


@council_group.command("create")
@tenant_option
@click.argument("name")
@click.option("--created", type=DATE, required=True, help="The day the council was created.")
@click.option("--order", "order_number", help="Number of the head's order approving it.")
@click.option("--order-date", type=DATE, help="Date of that order.")
@actor_option
@json_option
@with_database
def create(tenant_slug, name, created, order_number, order_date, actor, as_json):
    """Create a council named NAME and say so with its id (--json: the id and what was
    recorded, as JSON, for scripts)."""
    with work_on(tenant_slug, actor) as work:
        c = services.create_council(work, name, created, order_number, order_date)
        if as_json:
            dump({"id": str(c.id), "name": c.name, "created_on": c.created_on,
                  "order_number": c.order_number, "order_date": c.order_date})
            return
        click.echo(f"council {c.id} created: {c.name}, {c.created_on}"
                   + (f", order No. {c.order_number} of {c.order_date or '-'}" if c.order_number else ""))


@council_group.command("list")
@tenant_option
@json_option
@with_database
def list_(tenant_slug, as_json):
    """List the councils."""
    with work_on(tenant_slug, "cli:read") as work:
        rows = [{"id": str(c.id), "name": c.name, "created_on": c.created_on.isoformat(),
                 "order": {"number": c.order_number,
                           "date": c.order_date.isoformat() if c.order_date else None}}
                for c in services.list_councils(work)]
    if as_json:
        return dump(rows)
    for r in rows:
        order = f"  order No. {r['order']['number']}" if r["order"]["number"] else ""
        click.echo(f"{r['id'][:8]}  {r['created_on']}  {r['name']}{order}")
    click.echo(f"{len(rows)} council(s)")


@council_group.command("show")
@tenant_option
@click.argument("council")
@click.option("--as-of", type=DATE, default=lambda: dt.date.today(), show_default="today",
              help="Date for the deadlines' status.")
@json_option
@with_database
def show(tenant_slug, council, as_of, as_json):
    """A council: members with roles, meetings and outcomes, findings and deadlines."""
    language = lang()
    with work_on(tenant_slug, "cli:read") as work:
        view = services.council_view(work, council, as_of, language)
    if as_json:
        return dump(view)
    order = view["order"]
    click.echo(f"council {view['id']}  {view['name']}, created {view['created_on']}, "
               + (f"order No. {order['number']} of {order['date'] or '-'}" if order["number"]
                  else "no order recorded"))
    click.echo(f"  members ({len(view['members'])}):")
    for m in view["members"]:
        basis = f"  basis: {m['basis']}" if m["basis"] else ""
        click.echo(f"    {m['role']:<13} {m['person']:<12} {m['name']}{basis}")
    click.echo(f"  meetings ({len(view['meetings'])}):")
    for m in view["meetings"]:
        _echo_outcome(m["outcome"], indent="    ")
    click.echo(f"  deadlines (as of {view['as_of']}):")
    for d in view["deadlines"]:
        click.echo(f"    {d['due']}  {d['status']:<9} {d['kind']:<14} p.{d['paragraph']}  {d['text']}")
    council_findings = [f for f in view["findings"] if f["subject"] == view["id"]]
    click.echo("  findings:" + ("" if council_findings else " none"))
    for f in council_findings:
        click.echo(f"    {f['severity']:<9} {f['rule']} (p.{f['paragraph']}): {f['text']}")


def _echo_outcome(o, indent: str = "") -> None:
    quorum = o["facts"].get("quorum")
    required = o["facts"].get("required")
    click.echo(f"{indent}meeting {o['meeting']} on {o['date']}")
    click.echo(f"{indent}  quorum (p.{o['paragraph']}"
               + (f", at least {quorum} of the members" if quorum else "") + "): "
               + ("yes" if o["quorate"] else "no")
               + f", {o['present']} present of {o['members']} members"
               + (f" (at least {required} required)" if required is not None else "")
               + (f": {', '.join(o['present_members'])}" if o["present_members"] else ""))
    for it in o["items"]:
        tie = " (tie broken by the chair)" if it.get("tie_broken_by_chair") else ""
        hearing = f" [hearing {it['hearing']}]" if it["hearing"] else ""
        click.echo(f"{indent}  {it['position']}. {it['title']}{hearing}  (item {it['id']})")
        click.echo(f"{indent}     {it.get('for', 0)} for, {it.get('against', 0)} against, "
                   f"{it.get('abstained', 0)} abstained: {VERDICT[it.get('adopted')]}{tie}")
        if it["votes"]:
            click.echo(f"{indent}     votes: " + ", ".join(f"{p} {v}" for p, v in it["votes"].items()))
    for f in o["findings"]:
        click.echo(f"{indent}  {f['severity']:<9} {f['rule']} (p.{f['paragraph']}): {f['text']}")
    click.echo(f"{indent}  {o['explanation']}")


@council_group.command("outcome")
@tenant_option
@click.argument("meeting")
@json_option
@with_database
def outcome(tenant_slug, meeting, as_json):
    """A meeting's outcome: quorum, each item's votes and decision, findings."""
    with work_on(tenant_slug, "cli:read") as work:
        view = council_services.meeting_view(work, meeting, lang())
    if as_json:
        return dump(view)
    _echo_outcome(view)


# --- members ---------------------------------------------------------------------------------

@council_group.group("member")
def member_group():
    """Members of a council."""


@member_group.command("add")
@tenant_option
@click.argument("council")
@click.argument("person")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--basis", help="Ground of membership: one of the regime's council bases "
                              "(`nastavnik regime show <id> --json`: council_bases).")
@click.option("--attributes", default="{}", help="Membership attributes as a JSON object.")
@actor_option
@with_database
def member_add(tenant_slug, council, person, role, basis, attributes, actor):
    """Add PERSON (personnel number) to COUNCIL with a role."""
    try:
        attrs = json.loads(attributes)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc.msg}", param_hint="--attributes") from None
    if not isinstance(attrs, dict):
        raise click.BadParameter("must be a JSON object", param_hint="--attributes")
    with work_on(tenant_slug, actor) as work:
        m = services.add_member(work, council, person, role, basis, attrs)
        click.echo(f"{person} added to council {m.council_id} as {role}"
                   + (f" (basis: {basis})" if basis else ""))


# --- meetings, attendance, agenda, votes -----------------------------------------------------

@council_group.group("meeting")
def meeting_group():
    """Meetings of a council."""


present_option = click.option("--present", "present", multiple=True, metavar="PERSON",
                              help="A member present (personnel number; repeat).")


@meeting_group.command("add")
@tenant_option
@click.argument("council")
@click.option("--date", type=DATE, required=True)
@present_option
@actor_option
@json_option
@with_database
def meeting_add(tenant_slug, council, date, present, actor, as_json):
    """Record a meeting of COUNCIL and who was present, and say so with its id (--json: as
    JSON, for scripts)."""
    with work_on(tenant_slug, actor) as work:
        m = services.add_meeting(work, council, date, present)
        if as_json:
            dump({"id": str(m.id), "council": str(m.council_id), "date": m.date,
                  "present": list(dict.fromkeys(present))})
            return
        click.echo(f"meeting {m.id} of council {m.council_id} on {m.date}: "
                   f"{len(dict.fromkeys(present))} present")


@council_group.command("attendance")
@tenant_option
@click.argument("meeting")
@present_option
@actor_option
@with_database
def attendance(tenant_slug, meeting, present, actor):
    """Record who was present at MEETING (replaces the earlier record)."""
    with work_on(tenant_slug, actor) as work:
        change = council_services.change_attendance(work, meeting, present)
        click.echo(f"meeting {change['meeting'].id}: {len(dict.fromkeys(present))} present"
                   + (f" ({', '.join(dict.fromkeys(present))})" if present else ""))
        for d in change["dropped"]:  # recorded absent: their votes go (p.21)
            click.echo(f"vote of {d['person']} on {d['item']!r} dropped: recorded absent")


@council_group.group("item")
def item_group():
    """Agenda items of a meeting."""


@item_group.command("add")
@tenant_option
@click.argument("meeting")
@click.argument("title")
@click.option("--hearing", metavar="MENTORSHIP",
              help="The mentorship whose reports the item hears (id, prefix or mentee).")
@actor_option
@json_option
@with_database
def item_add(tenant_slug, meeting, title, hearing, actor, as_json):
    """Add an item to the agenda of MEETING and say so with its id (--json: as JSON, for
    scripts)."""
    with work_on(tenant_slug, actor) as work:
        it = services.add_item(work, meeting, title, hearing)
        if as_json:
            dump({"id": str(it.id), "meeting": str(it.meeting_id), "position": it.position,
                  "title": it.title})
            return
        click.echo(f"item {it.id} (No. {it.position}) on meeting {it.meeting_id}: {it.title}")


def _parse_votes(values) -> dict:
    votes = {}
    for value in values:
        person, sep, vote = value.partition("=")
        person, vote = person.strip(), vote.strip().lower()
        if not sep or not person or vote not in VOTES:
            raise click.BadParameter(f"{value!r}: give PERSON={'|'.join(VOTES)}",
                                     param_hint="VOTES")
        if person in votes:
            raise click.BadParameter(f"{person} is given twice", param_hint="VOTES")
        votes[person] = vote
    return votes


@council_group.command("vote")
@tenant_option
@click.argument("item")
@click.argument("votes", nargs=-1, required=True)
@actor_option
@with_database
def vote(tenant_slug, item, votes, actor):
    """Record votes on ITEM: PERSON=for, PERSON=against or PERSON=abstain (members present)."""
    parsed = _parse_votes(votes)
    with work_on(tenant_slug, actor) as work:
        it = services.record_votes(work, item, parsed)
        click.echo(f"{len(parsed)} vote(s) recorded on item {it.id}")
