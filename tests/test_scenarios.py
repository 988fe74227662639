"""Every scenario shipped with a plugin runs and matches; together they cover every rule."""

from pathlib import Path

import pytest

from nastavnik.core import registry
from nastavnik.core.scenario import load_file, run_scenario

PLUGINS = Path(__file__).parent.parent / "nastavnik" / "plugins"
FILES = sorted(PLUGINS.glob("*/scenarios/*.yaml"))
SCENARIOS = [s for f in FILES for s in load_file(f)]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.source.split("plugins/")[-1] for s in SCENARIOS])
def test_scenario(scenario):
    result = run_scenario(scenario)
    assert result.ok, "\n".join(result.mismatches)


def _rules_expected(scenario):
    """Rules a scenario shows failing, and rules it shows passing."""
    fails, passes = set(), set()
    expect = scenario.expect
    for ref in expect.get("findings", []):
        fails.add(ref if isinstance(ref, str) else ref["rule"])
    for ref in expect.get("no_findings", []):
        passes.add(ref if isinstance(ref, str) else ref["rule"])
    for q in expect.get("may_assign", []):
        fails.update(q.get("findings", []))
    return fails, passes


@pytest.mark.parametrize("regime_id", registry.available())
def test_every_rule_has_a_failing_and_a_passing_scenario(regime_id):
    regime = registry.get(regime_id)
    ours = [s for s in SCENARIOS if s.regime == regime_id]
    if not ours:
        pytest.skip(f"{regime_id} ships no scenarios (third-party regime)")
    fails, passes = set(), set()
    for scenario in ours:
        f, p = _rules_expected(scenario)
        fails |= f
        passes |= p
        result = run_scenario(scenario, trace=True)
        found = {x.rule.id for x in result.evaluation.findings}
        ev = result.evaluation
        # a deadline met on time, or a rule that ran on a subject without a finding, passes
        for d in ev.deadlines:
            status = d.status(scenario.as_of, ev.soon).value
            (passes if status in ("done", "due", "due_soon") else fails).add(d.rule.id)
        if scenario.expect.get("exact_findings"):
            passes |= {step.rule for step in ev.trace.steps} - found
        for answer in result.answers:
            if answer.allowed:
                passes |= {step.rule for step in ev.trace.steps if step.subject == answer.subject}
    rules = {r.id for r in regime.rules.values() if r.severity.value != "info"}
    assert not rules - fails, f"no failing scenario for {sorted(rules - fails)}"
    assert not rules - passes, f"no passing scenario for {sorted(rules - passes)}"
