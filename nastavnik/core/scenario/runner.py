"""Running scenarios and saying, in plain words, where the result differs from the law's
expectation."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import registry
from ..engine import Engine, Evaluation
from ..findings import Severity
from ..i18n import LANGUAGES
from ..subjects import within
from .loader import Scenario, load_file


def _subject_matches(expected: str | None, actual: str) -> bool:
    return expected is None or within(actual, expected)


def _ref(ref) -> dict:
    return {"rule": ref} if isinstance(ref, str) else ref


def _matches(ref: dict, finding) -> bool:
    return (finding.rule.id == ref["rule"] and _subject_matches(ref.get("subject"), finding.subject)
            and ("severity" not in ref or finding.level.value == ref["severity"]))


def _show(ref: dict) -> str:
    extra = "".join(f" {k}={ref[k]}" for k in ("subject", "severity") if k in ref)
    return ref["rule"] + extra


@dataclass
class ScenarioResult:
    scenario: Scenario
    evaluation: Evaluation | None = None
    answers: list = field(default_factory=list)  # AssignmentCheck
    mismatches: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def to_json(self):
        return {"scenario": self.scenario.title, "source": self.scenario.source,
                "regime": self.scenario.regime, "ok": self.ok, "mismatches": self.mismatches,
                "result": self.evaluation.to_json() if self.evaluation else None,
                "may_assign": [a.to_json() for a in self.answers]}


def engine_for(scenario: Scenario, trace: bool = False) -> Engine:
    regime = registry.get(scenario.regime, scenario.amendments)
    ctx = regime.context(scenario.settings, scenario.extra_days_off,
                         scenario.extra_working_days, trace=trace)
    return Engine(regime, ctx)


def run_scenario(scenario: Scenario, trace: bool = False) -> ScenarioResult:
    engine = engine_for(scenario, trace)
    result = ScenarioResult(scenario, engine.evaluate(scenario.case, scenario.as_of))
    ev, expect, miss = result.evaluation, scenario.expect, result.mismatches
    for f in ev.findings:  # every message must render in every language
        for lang in LANGUAGES:
            f.message(lang)

    for ref in map(_ref, expect.get("findings", [])):
        if not any(_matches(ref, f) for f in ev.findings):
            got = sorted({f"{f.rule.id} {f.subject}" for f in ev.findings if f.rule.id == ref["rule"]})
            miss.append(f"expected finding {_show(ref)}, got "
                        + (", ".join(got) if got else "none of that rule"))
    for ref in map(_ref, expect.get("no_findings", [])):
        hits = [f for f in ev.findings if _matches(ref, f)]
        for f in hits:
            miss.append(f"unexpected finding {f.rule.id} on {f.subject}: {f.message('en')}")
    if expect.get("exact_findings"):
        refs = [_ref(r) for r in expect.get("findings", [])]
        for f in ev.findings:
            if f.level is not Severity.INFO and not any(_matches(r, f) for r in refs):
                miss.append(f"unexpected finding {f.rule.id} on {f.subject}: {f.message('en')}")

    for exp in expect.get("deadlines", []):
        found = [d for d in ev.deadlines if d.kind == exp["kind"]
                 and _subject_matches(exp["subject"], d.subject)
                 and ("rule" not in exp or d.rule.id == exp["rule"])]
        label = f"deadline {exp['kind']} of {exp['subject']}"
        if exp.get("absent"):
            if found:
                miss.append(f"expected no {label}, got due {', '.join(str(d.due) for d in found)}")
            continue
        if not found:
            miss.append(f"expected {label}, got none")
            continue
        wanted = [d for d in found if "due" not in exp or d.due.isoformat() == exp["due"]]
        if not wanted:
            miss.append(f"{label}: expected due {exp['due']}, got "
                        + ", ".join(str(d.due) for d in found))
            continue
        if "status" in exp:
            statuses = [d.status(scenario.as_of, ev.soon).value for d in wanted]
            if exp["status"] not in statuses:
                miss.append(f"{label} due {wanted[0].due}: expected status {exp['status']} "
                            f"as of {scenario.as_of}, got {', '.join(statuses)}")

    for mid, date in expect.get("planned_end", {}).items():
        term = ev.terms.get(mid)
        got = term.planned_end.isoformat() if term and term.planned_end else None
        if got != date:
            miss.append(f"planned end of {mid}: expected {date}, got {got}")

    outcomes = {o.meeting: o for o in ev.outcomes}
    for meeting_id, exp in expect.get("meetings", {}).items():
        o = outcomes.get(meeting_id)
        if o is None:
            miss.append(f"no outcome for meeting {meeting_id}")
            continue
        if "quorate" in exp and o.quorate != exp["quorate"]:
            miss.append(f"meeting {meeting_id}: expected quorate={exp['quorate']}, got "
                        f"{o.quorate} ({o.present} of {o.members} present)")
        for item_id, want in exp.get("items", {}).items():
            d = o.decisions.get(item_id)
            if d is None:
                miss.append(f"meeting {meeting_id}: no decision on item {item_id}")
                continue
            for key in ("adopted", "tie_broken_by_chair"):
                if key in want and getattr(d, key) != want[key]:
                    miss.append(f"meeting {meeting_id} item {item_id}: expected {key}={want[key]}, "
                                f"got {getattr(d, key)} (for {d.votes_for}, against "
                                f"{d.votes_against}, abstained {d.abstained})")

    for q in expect.get("may_assign", []):
        from ..validation import parse_date
        answer = engine.may_assign(scenario.case, q["mentor"], q["mentee"],
                                   parse_date(q["on"], "on"), q.get("kind"))
        result.answers.append(answer)
        label = f"may {q['mentor']} mentor {q['mentee']} on {q['on']}"
        rules = {f.rule.id for f in answer.findings}
        if answer.allowed != q["allowed"]:
            why = "; ".join(f.message("en") for f in answer.findings) or "no findings"
            miss.append(f"{label}: expected {'yes' if q['allowed'] else 'no'}, got "
                        f"{'yes' if answer.allowed else 'no'} ({why})")
        if "fallback" in q and answer.fallback != q["fallback"]:
            miss.append(f"{label}: expected fallback={q['fallback']}, got {answer.fallback}")
        for rule in q.get("findings", []):
            if rule not in rules:
                miss.append(f"{label}: expected finding {rule}, got {', '.join(sorted(rules)) or 'none'}")
    return result


def run_file(path, trace: bool = False) -> list[ScenarioResult]:
    return [run_scenario(s, trace) for s in load_file(path)]
