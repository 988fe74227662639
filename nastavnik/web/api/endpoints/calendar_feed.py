"""The deadlines of a tenant as an iCalendar feed, to subscribe to from a calendar app:

    GET /api/v1/tenants/<slug>/deadlines.ics[?mentor=<number>][&token=<token>]

One all-day event per deadline not yet done (due, due soon or overdue today), on its due
date: the summary names the paper and the mentee, the description gives the message in
the tenant's language and the act's paragraph. Each event keeps its UID (rule, subject and
kind) from one fetch to the next, so a calendar updates an event rather than adding one.

Calendar apps cannot send an Authorization header, so this feed alone also takes the
token as ``?token=...``."""

from __future__ import annotations

import datetime as dt

import icalendar
from flask import Response, g, request
from flask_babel import force_locale
from flask_smorest import abort

from .... import services

from ....core.subjects import Subject
from ....services import compliance, views
from .. import API_PREFIX, ApiBlueprint, authenticate, tenant_work
from ..schemas import PlainText, RequestSchema, problems
from .people import input_errors, path_param, refuse_nul_in_path

OPEN = ("due", "due_soon", "overdue")
SECURITY_SCHEME = {
    "type": "apiKey", "in": "query", "name": "token",
    "description": "The API token as a query parameter, for the calendar feed only (calendar "
                   "apps cannot send headers). It ends up in the addresses apps and proxies "
                   "store and log: make a token for the feed alone, for a viewer, and revoke "
                   "it if the address leaks."}


class FeedBlueprint(ApiBlueprint):
    """A blueprint of the API whose OpenAPI document also names the query token."""

    def register_views_in_doc(self, api, app, spec, *, name, parameters):
        if "feed_token" not in spec.components.security_schemes:
            spec.components.security_scheme("feed_token", SECURITY_SCHEME)
        return super().register_views_in_doc(api, app, spec, name=name, parameters=parameters)


bp = FeedBlueprint("calendar_feed", __name__, url_prefix=API_PREFIX + "/tenants",
                   description="The deadlines as an iCalendar feed (token in the header, or "
                               "in the query for calendar apps)")


@bp.before_request
def authenticate_feed() -> None:
    """The token from the Authorization header, else from ``?token=``."""
    if "Authorization" in request.headers or "token" not in request.args:
        authenticate()
        return
    user = services.tokens.user_for_token(request.args["token"].strip())
    if user is None:
        abort(401, message="a valid API token is required (?token=<token>, or "
                           "Authorization: Bearer <token>)",
              headers={"WWW-Authenticate": 'Bearer realm="nastavnik"'})
    g.api_user = user


bp.before_request(refuse_nul_in_path)


class FeedArgs(RequestSchema):
    """Whose deadlines."""

    mentor = PlainText(max_length=63, load_default=None, metadata={
        "description": "Only the deadlines of this mentor's mentees (personnel number): the "
                       "mentorships they are the current mentor of, and the closed ones they "
                       "were the last mentor of.", "example": "S1"})
    token = PlainText(max_length=255, load_default=None, metadata={
        "description": "The API token, for calendar apps that cannot send an Authorization "
                       "header (this endpoint only). Prefer a token made for the feed alone.",
        "example": "nk_..."})


def _mentored_by(work, mentor: str) -> set[str]:
    """Ids of the mentorships whose deadlines are this mentor's to mind."""
    _as_mentee, as_mentor = services.directory.mentorships_of(work, mentor)
    return {row.id for row in as_mentor
            if (row.status == "open" and row.mentors[0].end is None)
            or (row.status == "closed" and row.mentors[0].end == row.ended_on)}


#: a paragraph cited in each language, as the rules cite it (core.findings.Rule.cite)
PARAGRAPH = {"ru": "п.{}", "kk": "{}-т.", "en": "p.{}"}


def _cite(deadline: dict, lang: str) -> str:
    """The paragraph and the act, e.g. "p.12 civil_service_2013", and the rule's id."""
    paragraph = PARAGRAPH.get(lang, PARAGRAPH["en"]).format(deadline["paragraph"])
    return f"{paragraph} {deadline['regime']} ({deadline['rule']})"


def _calendar(work, deadlines: list[dict], mentorships: dict[str, dict]) -> icalendar.Calendar:
    lang, slug = work.lang, work.tenant.slug
    cal = icalendar.Calendar()
    cal.add("prodid", "-//nastavnik//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{work.tenant.name}: nastavnik")
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    with force_locale(lang):
        for d in deadlines:
            row = mentorships.get(Subject(d["subject"]).owner)
            kind = work.regime.deadline_kinds.get(d["kind"])
            what = kind.localize(lang) if kind is not None else d["kind"]
            who = f"{row['mentee_name']} ({row['mentee']})" if row else d.get("mentee")
            due = dt.date.fromisoformat(d["due"])
            event = icalendar.Event()
            event.add("uid", f"{d['rule']}/{d['subject']}/{d['kind']}@{slug}.nastavnik")
            event.add("dtstamp", stamp)
            event.add("dtstart", due)
            event.add("dtend", due + dt.timedelta(days=1))
            event.add("summary", f"{what[:1].upper()}{what[1:]}: {who}" if who else what)
            event.add("description", f"{d['text']}\n{_cite(d, lang)}")
            event.add("categories", [d["status"]])
            cal.add_component(event)
    return cal


@bp.route("/<slug>/deadlines.ics", parameters=[path_param("slug")])
@bp.arguments(FeedArgs, location="query")
@bp.response(200, {"type": "string", "format": "binary"}, content_type="text/calendar",
             description="An iCalendar (RFC 5545) document: one all-day VEVENT per deadline "
                         "not yet done.")
@bp.doc(security=[{"bearer": []}, {"feed_token": []}])
@problems(bp, 401, 404, 422)
def deadlines_feed(args, slug):
    """Deadlines as an iCalendar feed

    Subscribe to this address from a calendar app. One all-day event per deadline not yet
    done (due, due soon or overdue today), on its due date: SUMMARY names the paper and the
    mentee, DESCRIPTION gives the message in the tenant's language and the paragraph of the
    act (e.g. "p.12 civil_service_2013"); the UID is stable (rule, subject, kind), so a
    refreshed feed updates events rather than duplicating them. ``mentor`` limits it to one
    mentor's mentees.

    Authentication: ``Authorization: Bearer <token>`` as everywhere, or, because calendar
    apps cannot send headers, ``?token=<token>`` - accepted by this endpoint only. A token
    in an address is stored and logged by apps and proxies: make one for the feed alone
    (``nastavnik token create EMAIL --name calendar``), for a viewer, and revoke it if the
    address leaks."""
    today = dt.date.today()
    with tenant_work(slug) as work:
        deadlines = compliance.report_deadlines(work, today, statuses=OPEN, limit=None)["items"]
        mentorships = {row["id"]: row for row in views.mentorship_rows(work)}
        if args["mentor"] is not None:
            with input_errors({"person": "mentor"}):
                mine = _mentored_by(work, args["mentor"])
            deadlines = [d for d in deadlines if Subject(d["subject"]).owner in mine]
        body = _calendar(work, deadlines, mentorships).to_ical()
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="{slug}-deadlines.ics"',
        "Cache-Control": "private, max-age=300"})

