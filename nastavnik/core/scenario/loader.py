"""Reading scenario files: YAML documents (several per file, split by ``---``) checked
against the scenario schema, then against the regime's own schemas, then for references
between people, mentorships and councils. Bad input raises ``InputError`` naming the
file, the document and the field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import registry
from ..errors import InputError
from ..model import (Absence, AgendaItem, Assignment, Case, Council, CouncilMember,
                     Meeting, Mentorship, Order, Paper, Person, PersonVersion)
from ..parameters import _StringDatesLoader
from ..validation import validate
from .facts import ASSIGNMENT_KEYS, MENTORSHIP_KEYS, facts_of
from .schema import SCENARIO_SCHEMA


@dataclass
class Scenario:
    title: str
    source: str  # "file.yaml#2"
    regime: str
    as_of: dt.date
    case: Case
    expect: dict
    amendments: tuple = ()
    settings: dict = field(default_factory=dict)
    extra_days_off: tuple = ()
    extra_working_days: tuple = ()
    cites: tuple = ()


def _paper_attributes(paper: dict) -> dict:
    """A paper's fields; ``sections:`` (the older spelling, before papers had fields) is
    the field ``sections``."""
    attributes = dict(paper.get("attributes") or {})
    if "sections" in paper:
        attributes.setdefault("sections", list(paper["sections"]))
    return attributes


def _d(value):
    return dt.date.fromisoformat(value) if value is not None else None


def _order(raw):
    return Order(str(raw["number"]), _d(raw["date"])) if raw else None


def _person(regime, p: dict, where: str, source: str) -> Person:
    """A person of a scenario: the facts stated first hold from the beginning; each
    history entry changes what it states from its date on."""
    history = p.get("history")
    if not history:
        return Person(p["id"], p.get("name", p["id"]), p.get("unit"), p.get("manager"),
                      p.get("position"), p.get("attributes", {}))
    version = PersonVersion(dt.date.min, p.get("unit"), p.get("manager"), p.get("position"),
                            p.get("attributes", {}))
    versions = [version]
    for j, h in sorted(enumerate(history), key=lambda jh: jh[1]["from"]):
        day = _d(h["from"])
        if day == versions[-1].valid_from:
            raise InputError(f"two history entries from {day}", field=f"{where}.history[{j}].from",
                             source=source)
        attributes = {**version.attributes, **h.get("attributes", {})}
        attributes = {k: v for k, v in attributes.items() if v is not None}
        regime.validate_person(attributes, source=f"{source} {where}.history[{j}].attributes")
        version = PersonVersion(day, h.get("unit", version.unit), h.get("manager", version.manager),
                                h.get("position", version.position), attributes)
        versions.append(version)
    return Person(p["id"], p.get("name", p["id"]), version.unit, version.manager,
                  version.position, version.attributes, tuple(versions))


def build(doc: dict, source: str) -> Scenario:
    validate(doc, SCENARIO_SCHEMA, source=source)
    regime = registry.get(doc["regime"], tuple(doc.get("amendments", ())))
    regime.validate_settings(doc.get("settings"), source=f"{source} settings")

    case = Case()
    for i, p in enumerate(doc.get("people", [])):
        if p["id"] in case.people:
            raise InputError(f"person {p['id']!r} listed twice", field=f"people[{i}].id", source=source)
        regime.validate_person(p.get("attributes", {}), source=f"{source} people[{i}].attributes")
        case.people[p["id"]] = _person(regime, p, f"people[{i}]", source)

    def person(pid, where):
        if pid not in case.people:
            raise InputError(f"no person {pid!r} in people", field=where, source=source)
        return pid

    for i, p in enumerate(doc.get("people", [])):
        if p.get("manager"):
            person(p["manager"], f"people[{i}].manager")
        for j, h in enumerate(p.get("history", ())):
            if h.get("manager"):
                person(h["manager"], f"people[{i}].history[{j}].manager")
    for i, a in enumerate(doc.get("absences", [])):
        absence = Absence(person(a["person"], f"absences[{i}].person"), _d(a["from"]), _d(a["to"]),
                          a.get("valid", True), a.get("reason", ""))
        if absence.end < absence.start:
            raise InputError("ends before it starts", field=f"absences[{i}].to", source=source)
        case.add_absence(absence)
    seen = set()
    for i, m in enumerate(doc.get("mentorships", [])):
        where = f"mentorships[{i}]"
        if m["id"] in seen:
            raise InputError(f"mentorship {m['id']!r} listed twice", field=f"{where}.id", source=source)
        seen.add(m["id"])
        assignments = []
        for j, a in enumerate(m.get("assignments", [])):
            mentor = person(a["mentor"], f"{where}.assignments[{j}].mentor")
            if mentor == m["mentee"]:
                raise InputError("a person cannot mentor themselves",
                                 field=f"{where}.assignments[{j}].mentor", source=source)
            aw = f"{where}.assignments[{j}]"
            facts = facts_of(a, ASSIGNMENT_KEYS, regime.assignment_schema, aw, source)
            regime.validate_assignment(facts, source=f"{source} {aw}.attributes")
            item = Assignment(mentor, _d(a["from"]), _d(a.get("to")), a.get("end_reason"),
                              _order(a.get("order")), a.get("fallback", False), facts)
            if item.end is not None and item.end < item.start:
                raise InputError("ends before it starts", field=f"{where}.assignments[{j}].to",
                                 source=source)
            if assignments and (assignments[-1].end is None or item.start <= assignments[-1].end):
                raise InputError("overlaps the previous assignment (a mentorship has one mentor "
                                 "at a time)", field=f"{where}.assignments[{j}].from", source=source)
            assignments.append(item)
        papers = [Paper(p["kind"], _d(p.get("done")), p.get("approved_by"),
                        regime.validate_paper(p["kind"], _paper_attributes(p),
                                              source=f"{source} {where}.papers[{j}]"))
                  for j, p in enumerate(m.get("papers", []))]
        facts = facts_of(m, MENTORSHIP_KEYS, regime.mentorship_schema, where, source)
        regime.validate_mentorship(facts, source=f"{source} {where}.attributes")
        case.mentorships.append(Mentorship(
            id=m["id"], mentee=person(m["mentee"], f"{where}.mentee"), kind=m.get("kind"),
            start=_d(m["start"]), joined_on=_d(m.get("joined")), planned_end=_d(m.get("planned_end")),
            term_months=m.get("term_months"), ended_on=_d(m.get("ended")),
            assignments=assignments, papers=papers, attributes=facts))
    for i, c in enumerate(doc.get("councils", [])):
        where = f"councils[{i}]"
        members = [CouncilMember(person(x["person"], f"{where}.members[{j}].person"),
                                 x.get("role", "member"), x.get("basis"), x.get("attributes", {}))
                   for j, x in enumerate(c.get("members", []))]
        meetings = []
        for j, mt in enumerate(c.get("meetings", [])):
            present = tuple(person(p, f"{where}.meetings[{j}].present") for p in mt.get("present", []))
            items = []
            for k, it in enumerate(mt.get("items", [])):
                if it.get("hearing") and it["hearing"] not in seen:
                    raise InputError(f"no mentorship {it['hearing']!r}",
                                     field=f"{where}.meetings[{j}].items[{k}].hearing", source=source)
                for voter in it.get("votes", {}):
                    person(voter, f"{where}.meetings[{j}].items[{k}].votes.{voter}")
                items.append(AgendaItem(it["id"], it.get("title", ""), it.get("hearing"),
                                        dict(it.get("votes", {}))))
            meetings.append(Meeting(mt["id"], _d(mt["date"]), present, items))
        case.councils.append(Council(c["id"], _d(c["created"]), _order(c.get("order")),
                                     members, meetings))

    expect = doc["expect"]
    for i, q in enumerate(expect.get("may_assign", [])):
        person(q["mentor"], f"expect.may_assign[{i}].mentor")
        person(q["mentee"], f"expect.may_assign[{i}].mentee")
    _check_rule_ids(expect, regime, source)
    cal = doc.get("calendar", {})
    return Scenario(
        title=doc["scenario"], source=source, regime=doc["regime"], as_of=_d(doc["as_of"]),
        case=case, expect=expect, amendments=tuple(doc.get("amendments", ())),
        settings=doc.get("settings", {}),
        extra_days_off=tuple(map(_d, cal.get("extra_days_off", []))),
        extra_working_days=tuple(map(_d, cal.get("extra_working_days", []))),
        cites=tuple(doc.get("cites", ())))


def _check_rule_ids(expect: dict, regime, source: str) -> None:
    """A misspelt rule id would make ``no_findings`` pass whatever happens."""
    places = [(f"expect.{key}[{i}]", ref) for key in ("findings", "no_findings")
              for i, ref in enumerate(expect.get(key, []))]
    places += [(f"expect.may_assign[{i}].findings[{j}]", ref)
               for i, q in enumerate(expect.get("may_assign", []))
               for j, ref in enumerate(q.get("findings", []))]
    for where, ref in places:
        rule_id = ref if isinstance(ref, str) else ref.get("rule")
        if rule_id not in regime.rules:
            raise InputError(f"no rule {rule_id!r} in regime {regime.id}", field=where, source=source)


def load_scenarios(text: str, source: str) -> list[Scenario]:
    try:
        docs = [d for d in yaml.load_all(text, Loader=_StringDatesLoader) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
                         field=f"line {mark.line + 1}" if mark else None, source=source) from None
    if not docs:
        raise InputError("no scenario in the file", source=source)
    return [build(doc, f"{source}#{i}" if len(docs) > 1 else source)
            for i, doc in enumerate(docs, 1)]


def load_file(path) -> list[Scenario]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path)) from None
    return load_scenarios(text, str(path))
