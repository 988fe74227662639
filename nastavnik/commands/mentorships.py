"""nastavnik mentorship assign|release|replace|close|show|list, absence add, paper done."""

from __future__ import annotations

import contextlib
import datetime as dt
import json

import click

from .. import services
from ..core.errors import UnknownCode
from ..core.schema_labels import enum_title, field_title
from ..core.vocabulary import MENTORSHIP_STATUSES
from ..services.facts import typed_facts
from ..services.views import mentorship_view
from ..storage.models import Person
from . import DATE, actor_option, dump, echo_findings, json_option, lang, show_date, tenant_option, with_database, work_on


@contextlib.contextmanager
def _known(hint: str):
    """A code the tenant's regime does not name: a usage error listing the ones it does,
    in the user's language."""
    try:
        yield
    except UnknownCode as exc:
        raise click.BadParameter(exc.message(lang()), param_hint=hint) from None


def _number(work, person_id):
    p = work.session.get(Person, {"tenant_id": work.tenant.id, "id": person_id})
    return p.number if p else None


def _refusal_or_result(m, check, language):
    click.echo(f"mentorship {m.id}: {check.mentor} mentors {check.mentee} from {check.on}"
               + (" (exception: no eligible candidate)" if check.fallback else ""))
    echo_findings(check.findings, language)


@click.group("mentorship")
def mentorship_group():
    """Mentorships: assign, release, replace, close, show."""


@mentorship_group.command("assign")
@tenant_option
@click.argument("mentee")
@click.argument("mentor")
@click.option("--on", type=DATE, required=True, help="First day of the assignment.")
@click.option("--order", "order_number", help="Number of the head's order.")
@click.option("--order-date", type=DATE)
@click.option("--joined", type=DATE, help="The day the mentee joined the body.")
@click.option("--term-months", type=int, help="The term the order states, in months.")
@click.option("--until", "planned_end", type=DATE, help="The last day the order states.")
@click.option("--kind", help="Kind of mentee, as the regime names it.")
@click.option("--attribute", "attributes", multiple=True, metavar="KEY=VALUE",
              help="A fact the regime keeps on the mentorship or the assignment, read as its "
                   "schema says (e.g. consent=true); repeatable.")
@actor_option
@with_database
def assign(tenant_slug, mentee, mentor, on, order_number, order_date, joined, term_months,
           planned_end, kind, attributes, actor):
    """Assign MENTOR to MENTEE (personnel numbers); refused with the findings if a rule forbids it."""
    with work_on(tenant_slug, actor) as work:
        facts = typed_facts(attributes, {"mentorship": work.regime.mentorship_schema,
                                         "assignment": work.regime.assignment_schema})
        m, check = services.assign_mentor(
            work, mentee, mentor, on, order_number=order_number, order_date=order_date,
            joined_on=joined, term_months=term_months, planned_end=planned_end, kind=kind,
            attributes=facts["mentorship"], assignment_attributes=facts["assignment"])
        _refusal_or_result(m, check, lang())


REASON_HELP = ("Why the current mentor's assignment ends: one of the tenant's regime's end "
               "reasons (`nastavnik regime show <id>`).")


@mentorship_group.command("release")
@tenant_option
@click.argument("mentorship")
@click.option("--on", type=DATE, required=True,
              help="The mentor's last day (dismissed, transferred, gone absent...).")
@click.option("--reason", required=True, help=REASON_HELP)
@actor_option
@with_database
def release(tenant_slug, mentorship, on, reason, actor):
    """Release the current mentor of MENTORSHIP on their own day, before a successor is
    named: the replacement deadline runs from that day until `mentorship replace`."""
    with work_on(tenant_slug, actor) as work, _known("--reason"):
        m = services.release_mentor(work, mentorship, on, reason)
        click.echo(f"mentorship {m.id}: mentor released on {on}")


@mentorship_group.command("replace")
@tenant_option
@click.argument("mentorship")
@click.argument("mentor")
@click.option("--on", type=DATE, required=True, help="First day of the new mentor.")
@click.option("--reason", help=REASON_HELP + " Required unless the mentor was released "
                               "(`mentorship release`).")
@click.option("--released-on", type=DATE,
              help="The current mentor's last day; the day before --on by default.")
@click.option("--order", "order_number")
@click.option("--order-date", type=DATE)
@click.option("--attribute", "attributes", multiple=True, metavar="KEY=VALUE",
              help="A fact the regime keeps on the assignment (e.g. the new mentor's consent), "
                   "read as its schema says; repeatable.")
@actor_option
@with_database
def replace(tenant_slug, mentorship, mentor, on, reason, released_on, order_number, order_date,
            attributes, actor):
    """Replace the mentor of MENTORSHIP (id, id prefix or mentee's number) by MENTOR."""
    with work_on(tenant_slug, actor) as work, _known("--reason"):
        facts = typed_facts(attributes, {"assignment": work.regime.assignment_schema})
        m, check = services.replace_mentor(work, mentorship, mentor, on, reason,
                                           released_on=released_on, order_number=order_number,
                                           order_date=order_date, attributes=facts["assignment"])
        _refusal_or_result(m, check, lang())


@mentorship_group.command("close")
@tenant_option
@click.argument("mentorship")
@click.option("--on", type=DATE, required=True, help="The last day of the mentorship.")
@actor_option
@with_database
def close(tenant_slug, mentorship, on, actor):
    """Close a mentorship on its last day."""
    with work_on(tenant_slug, actor) as work:
        m = services.close_mentorship(work, mentorship, on)
        click.echo(f"mentorship {m.id} closed on {m.ended_on}")


def _echo_facts(schema: dict, facts: dict, language: str, indent: str) -> None:
    """The regime's facts, titled in the user's language."""
    for key, value in facts.items():
        shown = enum_title(schema, key, value, language) if isinstance(value, str) else value
        click.echo(f"{indent}{field_title(schema, key, language)}: {shown}")


@mentorship_group.command("show")
@tenant_option
@click.argument("mentorship")
@click.option("--as-of", type=DATE, default=lambda: dt.date.today(), show_default="today")
@json_option
@with_database
def show(tenant_slug, mentorship, as_of, as_json):
    """A mentorship's timeline: assignments, papers, term, findings, deadlines."""
    language = lang()
    with work_on(tenant_slug, "cli:read") as work:
        view = mentorship_view(work, services.find_mentorship(work, mentorship), as_of)
        regime = work.regime
        schemas = regime.mentorship_schema, regime.assignment_schema
    if as_json:
        return dump(view)

    def words(vocabulary: dict, code) -> str:  # the regime's words for its code
        return vocabulary[code].localize(language) if code in vocabulary else str(code)
    click.echo(f"mentorship {view['id']}  mentee {view['mentee']} ({view['kind']}), {view['status']}")
    if view["term"]:
        t = view["term"]
        click.echo(f"  term {t['start']} .. {t['planned_end']}  ({t['rule']}, p.{t['paragraph']})")
    _echo_facts(schemas[0], view["attributes"], language, "  ")
    for a in view["assignments"]:
        order = f" order No. {a['order']['number']} of {a['order']['date']}" if a["order"]["number"] else ""
        click.echo(f"  mentor {a['mentor']} from {a['from']} to {a['to'] or '...'}"
                   f"{' (' + words(regime.end_reasons, a['end_reason']) + ')' if a['end_reason'] else ''}"
                   f"{order}"
                   f"{' [exception]' if a['fallback'] else ''}")
        _echo_facts(schemas[1], a["attributes"], language, "    ")
    for p in view["papers"]:
        click.echo(f"  paper {words(regime.deadline_kinds, p['kind'])}: done {p['done_on'] or '-'}")
    click.echo("  deadlines:")
    for d in view["deadlines"]:
        click.echo(f"    {d['due']}  {d['status']:<9} {words(regime.deadline_kinds, d['kind'])}, "
                   f"p.{d['paragraph']}: {d['message'][language]}")
    click.echo("  findings:")
    for f in view["findings"]:
        click.echo(f"    {f['severity']:<9} {f['rule']} (p.{f['paragraph']}): {f['message'][language]}")


@mentorship_group.command("list")
@tenant_option
@click.option("--status", type=click.Choice(list(MENTORSHIP_STATUSES)))
@json_option
@with_database
def list_(tenant_slug, status, as_json):
    """List mentorships."""
    with work_on(tenant_slug, "cli:read") as work:
        rows = [{"id": str(m.id), "mentee": _number(work, m.mentee_id), "kind": m.kind,
                 "start": m.start.isoformat(), "status": m.status,
                 "ended_on": m.ended_on.isoformat() if m.ended_on else None}
                for m in services.list_mentorships(work, status)]
    if as_json:
        return dump(rows)
    for r in rows:
        click.echo(f"{r['id'][:8]}  {r['mentee']:<12} {r['kind'] or '-':<20} {r['start']}  {r['status']}")


@click.group("absence")
def absence_group():
    """Absences (extend terms; a mentor's long absence calls for a replacement)."""


@absence_group.command("add")
@tenant_option
@click.argument("person")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--valid/--not-valid", default=True, show_default=True,
              help="Absent for a valid reason (illness, leave, ...).")
@click.option("--reason", default="")
@actor_option
@with_database
def absence_add(tenant_slug, person, start, end, valid, reason, actor):
    """Record an absence of PERSON."""
    with work_on(tenant_slug, actor) as work:
        services.record_absence(work, person, start, end, valid, reason)
        click.echo(f"absence of {person} from {start} to {end} recorded")


@click.group("paper")
def paper_group():
    """Papers the tenant's regime requires: record them done, print them, their templates."""


@paper_group.command("done")
@tenant_option
@click.argument("mentorship")
@click.argument("kind")
@click.option("--on", type=DATE, required=True, help="The day the paper was done.")
@click.option("--approved-by")
@click.option("--attributes", default="{}",
              help="What the paper carries, as a JSON object (its kind's fields).")
@actor_option
@with_database
def paper_done(tenant_slug, mentorship, kind, on, approved_by, attributes, actor):
    """Record that a paper of MENTORSHIP was done; KIND is one of the papers the tenant's
    regime records (a wrong one is answered with the list)."""
    try:
        attrs = json.loads(attributes)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not JSON: {exc.msg}", param_hint="--attributes") from None
    if not isinstance(attrs, dict):
        raise click.BadParameter("must be a JSON object", param_hint="--attributes")
    with work_on(tenant_slug, actor) as work, _known("KIND"):
        services.record_paper(work, mentorship, kind, on, approved_by, attrs)
        click.echo(f"{kind} done on {on}")


# printing a paper and the tenant's templates (commands/documents.py) belong to this group
from .documents import kinds, print_paper, template_group  # noqa: E402

for _command in (print_paper, kinds, template_group):
    paper_group.add_command(_command)
