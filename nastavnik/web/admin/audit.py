"""The audit trail: who changed what and when, filtered, newest first, each entry as the
fields it changed (before → after)."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from ... import services
from ...core.errors import InputError
from . import bp, nav, work
from .forms import ANY, date_arg, page_arg, text_arg
from .people import mentorship_link

PER_PAGE = 50
ACTIONS = ("create", "update", "delete")
FILTERS = ("entity", "entity_id", "actor", "action", "since", "until")
#: the words the filters are labelled with on the page
FILTER_LABELS = {"entity": _l("Kind of record"), "entity_id": _l("Kind of record"),
                 "actor": _l("Who"), "action": _l("Action")}

nav("admin.audit", _l("Audit log"))


@bp.route("/audit")
def audit():
    filters = {name: text_arg(name, FILTER_LABELS[name]) for name in FILTER_LABELS}
    filters.update(since=request.args.get("since", "").strip(),
                   until=request.args.get("until", "").strip())
    if filters["action"] not in ACTIONS:
        filters["action"] = ""
    page = page_arg(PER_PAGE)
    days = {"since": date_arg("since", _l("From"), span=ANY),
            "until": date_arg("until", _l("To"), span=ANY)}
    problem, found = None, None
    with work() as w:
        entities = services.audit_log.entities(w)
        try:
            found = services.audit_log.list_entries(
                w, **{k: v or None for k, v in filters.items() if k not in days}, **days,
                limit=PER_PAGE,
                offset=(page - 1) * PER_PAGE)
        except InputError as exc:
            problem = exc
    return render_template("audit.html", found=found, filters=filters, entities=entities,
                           actions=ACTIONS, page=page, problem=problem,
                           query={k: v for k, v in filters.items() if v},
                           show=services.audit_log.show, link=mentorship_link), \
        400 if problem else 200
