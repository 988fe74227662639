"""What-if before a change of a tenant's rules: its real data evaluated under its current
composition (regime, amendments, settings) and under a proposed one, and the difference:
which findings and deadlines appear, disappear or move (their due date changes).

Nothing is saved here; applying the change is ``tenants.set_regime``/``set_amendments``/
``update_tenant`` (audited there). Each item is worded in the user's language with its
paragraph and the person it concerns, never an internal id."""

from __future__ import annotations

import datetime as dt

from ..core.engine import Engine
from ..core.errors import InputError, NastavnikError
from ..core.i18n import LANGUAGES, format_date
from ..core.subjects import Subject
from ..core import registry
from .compliance import OPEN_STATUSES, sweep
from .tenants import Composition, composition_of, propose
from .unit import TenantWork, regime_of

CHANGES = {
    "appears": {"ru": "появится", "kk": "пайда болады", "en": "appears"},
    "disappears": {"ru": "исчезнет", "kk": "жойылады", "en": "disappears"},
    "moves": {"ru": "срок изменится", "kk": "мерзімі өзгереді", "en": "due date moves"},
}
PARAGRAPH = {"ru": "п. {}", "kk": "{}-т.", "en": "p.{}"}


def what_if(work: TenantWork, as_of: dt.date, regime: str | None = None, amendments=None,
            settings: dict | None = None, lang: str | None = None) -> dict:
    """The findings and deadlines of the tenant's data as of ``as_of`` that would appear,
    disappear or move if its regime, amendments or settings were changed so (checked as
    saving them would be; ``None`` keeps what the tenant has)."""
    lang = lang or work.lang
    if lang not in LANGUAGES:
        raise InputError(f"one of {', '.join(LANGUAGES)}", field="lang")
    tenant = work.tenant
    current = composition_of(tenant)
    proposed = propose(tenant, regime, amendments, settings)
    before, case = sweep(work, as_of)
    try:
        after = _engine(work, proposed).evaluate(case, as_of)
    except NastavnikError as exc:
        raise InputError(f"the tenant's records cannot be judged under the proposed rules: "
                         f"{exc}", field="regime") from exc
    closed = {m.id for m in case.mentorships if m.status == "closed"}
    old, new = _items(before, as_of, closed), _items(after, as_of, closed)
    words = _Words(case, lang)
    titles = {"before": _title(work.regime.info, lang),
              "after": _title(regime_of(tenant, proposed.regime, proposed.amendments).info, lang)}
    changes = []
    for key in old.keys() | new.keys():
        was, now = old.get(key, []), new.get(key, [])
        for i in range(max(len(was), len(now))):
            a, b = (was[i] if i < len(was) else None), (now[i] if i < len(now) else None)
            if a is None:
                changes.append(words.item("appears", b, titles["after"]))
            elif b is None:
                changes.append(words.item("disappears", a, titles["before"]))
            elif key[0] == "deadline" and a.due != b.due:
                changes.append(words.item("moves", b, titles["after"], due_before=a.due))
    changes.sort(key=lambda c: (c["sort"], c["person"] or "", c["title"]))
    for c in changes:
        del c["sort"]
    return {"as_of": as_of.isoformat(), "lang": lang,
            "current": _composition_json(work, current, lang),
            "proposed": _composition_json(work, proposed, lang),
            "changed": _composition_changed(current, proposed),
            "changes": changes,
            "counts": {k: sum(1 for c in changes if c["change"] == k) for k in CHANGES}}


def _engine(work: TenantWork, composition: Composition) -> Engine:
    t = work.tenant
    regime = regime_of(t, composition.regime, composition.amendments)
    ctx = regime.context(composition.settings, map(dt.date.fromisoformat, t.extra_days_off),
                         map(dt.date.fromisoformat, t.extra_working_days))
    return Engine(regime, ctx)


def _items(evaluation, as_of: dt.date, closed: set) -> dict:
    """Findings by (rule, subject) and deadlines by what they are (subject, kind, event
    and its day), as the compliance report shows them: a closed mentorship's findings
    and its deadlines already met are left out."""
    out: dict = {}
    for f in evaluation.findings:
        if Subject(f.subject).owner not in closed:
            out.setdefault(("finding", f.rule.id, str(f.subject)), []).append(f)
    for d in evaluation.deadlines:
        if Subject(d.subject).owner in closed and \
                d.status(as_of, evaluation.soon) not in OPEN_STATUSES:
            continue
        out.setdefault(("deadline", str(d.subject), d.kind, d.event, d.event_date), []).append(d)
    return out


class _Words:
    """An item worded for people: the rule's paragraph and title, its message, the
    mentee (and the mentor, for an assignment) by name and personnel number."""

    def __init__(self, case, lang: str):
        self.lang = lang
        self.people = case.people
        self.mentorships = {m.id: m for m in case.mentorships}

    def _name(self, pid):
        person = self.people.get(pid)
        return person.name if person is not None else None

    def item(self, change: str, answer, regime: str | None,
             due_before: dt.date | None = None) -> dict:
        lang, rule = self.lang, answer.rule
        subject = Subject(answer.subject)
        m, number = self.mentorships.get(subject.owner), subject.assignment_number
        mentor = None
        if m is not None and number is not None and number <= len(m.assignments):
            mentor = self._name(m.assignments[number - 1].mentor)
        is_deadline = hasattr(answer, "due")
        out = {
            "change": change, "change_label": CHANGES[change][lang],
            "what": "deadline" if is_deadline else "finding",
            "paragraph": rule.paragraph,
            "paragraph_label": PARAGRAPH[lang].format(rule.paragraph),
            "regime": regime,
            "title": rule.title.get(lang) or rule.title.get("en", ""),
            "text": answer.message(lang),
            "person": self._name(m.mentee) if m is not None else None,
            "number": m.mentee if m is not None else None,
            "mentor": mentor,
            "severity": answer.level.value if not is_deadline else None,
            "due": answer.due.isoformat() if is_deadline else None,
            "due_label": format_date(answer.due, lang) if is_deadline else None,
            "due_before": due_before.isoformat() if due_before else None,
            "due_before_label": format_date(due_before, lang) if due_before else None,
            "sort": (answer.due if is_deadline else dt.date.min),
        }
        return out


def _title(info, lang: str) -> str | None:
    return None if info is None else (info.title.get(lang) or info.title.get("en"))


def _composition_json(work: TenantWork, c: Composition, lang: str) -> dict:
    regime = regime_of(work.tenant, c.regime, c.amendments)
    offered = registry.amendments_of(c.regime)
    return {"regime": c.regime, "regime_title": _title(regime.info, lang),
            "amendments": [{"name": a, "title": offered[a].title.get(lang)
                            or offered[a].title.get("en"),
                            "effective_from": offered[a].effective_from.isoformat()}
                           for a in c.amendments if a in offered],
            "settings": c.settings}


def _composition_changed(current: Composition, proposed: Composition) -> list[str]:
    return [name for name in ("regime", "amendments", "settings")
            if getattr(current, name) != getattr(proposed, name)]
