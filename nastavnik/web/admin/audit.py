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

#: a changed column as the forms label it (its key stays as the tooltip)
FIELD_LABELS = {
    "number": _l("Personnel number"), "full_name": _l("Full name"), "unit": _l("Unit"),
    "position": _l("Position"), "manager": _l("Manager"), "manager_id": _l("Manager"),
    "hired_on": _l("Hired on"), "valid_from": _l("Holds from"), "done_on": _l("Done on"),
    "approved_by": _l("Approved by"), "kind": _l("Paper"), "locale": _l("Language"),
    "regime": _l("Regime"), "order_number": _l("Order No."), "order_date": _l("Order date"),
    "start": _l("First day"), "status": _l("Status"), "mentor": _l("Mentor"),
    "mentor_id": _l("Mentor"), "mentee": _l("Mentee"), "mentee_id": _l("Mentee"),
    "reason": _l("Reason"), "settings": _l("Settings"),
}
#: where a record's regime facts are described: the entity -> the regime's schema
FACT_SCHEMAS = {"person": "person_schema", "mentorship": "mentorship_schema",
                "assignment": "assignment_schema"}


def _field_words(regime):
    """``field_words(field, entity)``: a changed field as a person reads it: a column by its
    form label, a regime's setting or fact by its schema title in the page's language."""
    from ...core import schema_labels
    from ..i18n import current_language

    def field_words(field: str, entity: str) -> str:
        head, _, rest = field.partition(".")
        if head == "settings" and rest:
            schema = regime.settings_schema
        elif head == "attributes" and rest and entity in FACT_SCHEMAS:
            schema = getattr(regime, FACT_SCHEMAS[entity])
        else:
            return str(FIELD_LABELS.get(field, field))
        key = rest.split(".")[0].split("[")[0]
        if key not in schema_labels.properties(schema):
            return field
        return schema_labels.field_title(schema, key, current_language())
    return field_words


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
        field_words = _field_words(w.regime)
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
                           show=services.audit_log.show, link=mentorship_link,
                           field_words=field_words), \
        400 if problem else 200
