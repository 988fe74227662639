"""Labels of the codes the admin shows: a deadline's status, a user's role, an audit
entry's action and record; and, from the tenant's regime (its catalogue), a paper's or
deadline's kind, what a deadline counts from and why a mentor's assignment ended. The
codes stay in the data and in CSS classes; people read these labels, in their language.

In templates: ``{{ d.status|label("status") }}``, ``{{ g.role|label("role") }}``, and
``{{ m.kind|mentee_kind }}`` for the kind of mentee, which the regime names itself (in
its three languages, not in the catalogues). A code without a label is shown as it is."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from ..core.vocabulary import MENTORSHIP_STATUSES

from ..storage.accounts import ROLES

class Words:
    """A code's words from a vocabulary of the core or the regime (a ``Text``), shown in
    the current language, as a lazy translation is."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def __str__(self) -> str:
        from .i18n import current_language
        return self.text.localize(current_language())

    def __html__(self) -> str:
        return str(escape(str(self)))


#: a deadline's status, and a mentorship's (core.vocabulary)
STATUS = {
    "done": _l("done"), "done_late": _l("done late"), "due": _l("due"),
    "due_soon": _l("due soon"), "overdue": _l("overdue"),
    **{code: Words(text) for code, text in MENTORSHIP_STATUSES.items()},
}
#: a user's role in a tenant (storage.accounts.ROLES), and the platform administrator's
ROLE = {
    "tenant_admin": _l("tenant administrator"), "hr_officer": _l("HR officer"),
    "viewer": _l("viewer"), "platform_admin": _l("platform administrator"),
}
#: what an audit entry did
ACTION = {"create": _l("created"), "update": _l("changed"), "delete": _l("deleted")}
#: the record an audit entry is about (its table)
ENTITY = {
    "tenant": _l("tenant"), "person": _l("person"), "mentorship": _l("mentorship"),
    "person_version": _l("person's facts from a date"),
    "assignment": _l("mentor's assignment"), "absence": _l("absence"), "paper": _l("paper"),
    "council": _l("council of mentors"), "council_member": _l("council member"),
    "meeting": _l("council meeting"), "attendance": _l("attendance"),
    "agenda_item": _l("agenda item"), "vote": _l("vote"),
}
#: a finding's severity
SEVERITY = {"violation": _l("violation"), "warning": _l("warning"), "info": _l("info")}

LABELS = {"status": STATUS, "role": ROLE, "action": ACTION, "entity": ENTITY,
          "severity": SEVERITY}
assert set(ROLES) <= set(ROLE)

#: codes the tenant's regime names (its catalogue): a deadline's or paper's kind, what a
#: deadline counts from, why an assignment ended -> the Regime's mapping of them
REGIME_LABELS = {"paper": "deadline_kinds", "event": "deadline_events",
                 "end_reason": "end_reasons", "basis": "council_bases"}


def regime_labels(kind: str, regime=None) -> dict:
    """The tenant's regime's codes of ``kind`` (a key of REGIME_LABELS) with their labels
    in the current language; none without a tenant."""
    from ..core.errors import NastavnikError
    from ..services.unit import regime_of
    from .i18n import current_language

    if regime is None:
        tenant = getattr(g, "tenant", None)
        if tenant is None:
            return {}
        try:
            regime = regime_of(tenant)
        except NastavnikError:
            return {}
    lang = current_language()
    return {code: text.localize(lang)
            for code, text in getattr(regime, REGIME_LABELS[kind]).items()}


def label(code, kind: str):
    """The label of ``code``, a code of ``kind`` (a key of LABELS or REGIME_LABELS); the
    code itself if it has none (a code since dropped), nothing for no code."""
    if code is None or code == "":
        return ""
    if kind in REGIME_LABELS:
        return regime_labels(kind).get(code, code)
    return LABELS[kind].get(code, code)


def mentee_kind(code) -> str:
    """The kind of mentee as the tenant's regime names it, in the current language."""
    from ..core.errors import NastavnikError
    from ..services.unit import regime_of
    from .i18n import current_language

    if not code:
        return ""
    tenant = getattr(g, "tenant", None)
    if tenant is None:
        return code
    try:
        names = regime_of(tenant).info.mentee_kinds.get(code) or {}
    except NastavnikError:
        return code
    return names.get(current_language()) or names.get("en") or code


def init_app(app) -> None:
    app.add_template_filter(label, "label")
    app.add_template_filter(mentee_kind, "mentee_kind")
