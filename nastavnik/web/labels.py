"""Labels of the codes the admin shows: a deadline's status, a user's role, an audit
entry's action and record, why a mentor's assignment ended, a paper's kind. The codes
stay in the data and in CSS classes; people read these labels, in their language.

In templates: ``{{ d.status|label("status") }}``, ``{{ g.role|label("role") }}``, and
``{{ m.kind|mentee_kind }}`` for the kind of mentee, which the regime names itself (in
its three languages, not in the catalogues). A code without a label is shown as it is."""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l

from ..core.model import END_REASONS, PAPER_KINDS
from ..storage.accounts import ROLES

#: a deadline's status, and a mentorship's
STATUS = {
    "done": _l("done"), "done_late": _l("done late"), "due": _l("due"),
    "due_soon": _l("due soon"), "overdue": _l("overdue"),
    "open": _l("open"), "closed": _l("closed"),
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
#: why a mentor's assignment ended (core.model.END_REASONS)
END_REASON = {
    "dismissal": _l("dismissal"), "transfer": _l("transfer to other work"),
    "written_request": _l("written request"), "absence": _l("absence"),
    "end_of_mentorship": _l("end of the mentorship"), "other": _l("other"),
}
#: a paper of the mentorship, or the decision a deadline is for (core.model.PAPER_KINDS)
PAPER = {
    "programme": _l("individual programme"), "plan": _l("individual plan"),
    "mentee_report": _l("mentee's report"), "mentor_report": _l("mentor's report"),
    "mentor_reference": _l("mentor's reference"), "evaluation": _l("evaluation"),
    "hr_submission": _l("submission to HR"), "council_hearing": _l("hearing at the council"),
    "joint_report": _l("joint report"),
}
#: a finding's severity
SEVERITY = {"violation": _l("violation"), "warning": _l("warning"), "info": _l("info")}

LABELS = {"status": STATUS, "role": ROLE, "action": ACTION, "entity": ENTITY,
          "end_reason": END_REASON, "paper": PAPER, "severity": SEVERITY}
assert set(END_REASON) == set(END_REASONS) and set(PAPER) == set(PAPER_KINDS)
assert set(ROLES) <= set(ROLE)


def label(code, kind: str):
    """The label of ``code``, a code of ``kind`` (a key of LABELS); the code itself if it
    has none (a code added since, or one a plugin brings), nothing for no code."""
    if code is None or code == "":
        return ""
    return LABELS[kind].get(code, code)


def mentee_kind(code) -> str:
    """The kind of mentee as the tenant's regime names it, in the current language."""
    from ..core import registry
    from ..core.errors import NastavnikError
    from .i18n import current_language

    if not code:
        return ""
    tenant = getattr(g, "tenant", None)
    if tenant is None:
        return code
    try:
        names = registry.get(tenant.regime).info.mentee_kinds.get(code) or {}
    except NastavnikError:
        return code
    return names.get(current_language()) or names.get("en") or code


def init_app(app) -> None:
    app.add_template_filter(label, "label")
    app.add_template_filter(mentee_kind, "mentee_kind")
