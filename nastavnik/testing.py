"""A pytest plugin for a regime's own test suite: its scenarios as test items, and the check
that they exercise every rule of its catalogue. Enable it in one line of ``conftest.py``:

    pytest_plugins = ["nastavnik.testing"]

The items are collected where that conftest lies (as if from the conftest file), so a run of
its folder gets them and a run of chosen test files does not. Every scenario the regimes under
test ship (their ``regime_scenarios`` hook) becomes an item that passes when the scenario's
expectations hold, and one item per regime checks that each rule of its catalogue (but
``info`` ones) is shown failing and passing by some scenario. The regimes under test: those
named by ``--nastavnik-regime`` or the ini option ``nastavnik_regimes``, else the installed
regimes whose plugin lies under pytest's rootdir.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .core import registry
from .core.scenario import load_file, run_scenario
from .core.scenario.discovery import scenario_files


def pytest_addoption(parser):
    group = parser.getgroup("nastavnik", "nastavnik regimes")
    group.addoption("--nastavnik-regime", action="append", dest="nastavnik_regimes",
                    metavar="REGIME", help="collect the scenarios of this regime (repeatable)")
    parser.addini("nastavnik_regimes", type="linelist",
                  help="regimes whose scenarios are collected (default: those under rootdir)")


def regimes_under_test(config) -> list[str]:
    named = config.getoption("nastavnik_regimes") or config.getini("nastavnik_regimes")
    if named:
        return list(named)
    root = Path(config.rootpath).resolve()
    return [regime_id for regime_id in registry.available()
            if Path(registry.get(regime_id).pm.get_plugin(regime_id).__file__).resolve()
            .is_relative_to(root)]


def _enables_us(config, path: Path) -> bool:
    """Whether ``path`` is a conftest.py that lists this plugin in ``pytest_plugins``."""
    if path.name != "conftest.py":
        return False
    module = config.pluginmanager.get_plugin(str(path))
    plugins = getattr(module, "pytest_plugins", ())
    return __name__ in ([plugins] if isinstance(plugins, str) else plugins)


def pytest_collect_file(file_path, parent):
    if _enables_us(parent.config, file_path):
        return ScenarioCollector.from_parent(parent, path=file_path)
    return None


class ScenarioCollector(pytest.File):
    """The scenarios of the regimes under test, and a rule-coverage check per regime."""

    def collect(self):
        for regime_id in regimes_under_test(self.config):
            files = scenario_files([regime_id])
            for path in files:
                for n, scenario in enumerate(load_file(path), 1):
                    yield ScenarioItem.from_parent(self, name=f"{regime_id}/{path.name}#{n}",
                                                   scenario=scenario, source=path)
            yield RuleCoverageItem.from_parent(self, name=f"{regime_id}/rule_coverage",
                                               regime_id=regime_id, files=files)


class ScenarioFailed(Exception):
    pass


class ScenarioItem(pytest.Item):
    """One scenario: its facts, its date and what the law expects of them."""

    def __init__(self, *, scenario, source, **kwargs):
        super().__init__(**kwargs)
        self.scenario = scenario
        self.source = source

    def runtest(self):
        result = run_scenario(self.scenario)
        if not result.ok:
            raise ScenarioFailed("\n".join(result.mismatches))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailed):
            return f"{self.scenario.source}: {self.scenario.title}\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.source, None, f"scenario {self.scenario.source}: {self.scenario.title}"


class RuleCoverageItem(pytest.Item):
    """Every rule of the regime's catalogue shown failing and passing by its scenarios."""

    def __init__(self, *, regime_id, files, **kwargs):
        super().__init__(**kwargs)
        self.regime_id = regime_id
        self.files = files

    def runtest(self):
        scenarios = [s for f in self.files for s in load_file(f) if s.regime == self.regime_id]
        if not scenarios:
            raise ScenarioFailed(f"regime {self.regime_id} ships no scenario")
        no_failing, no_passing = uncovered(self.regime_id, scenarios)
        problems = ([f"no scenario shows {r} failing" for r in no_failing]
                    + [f"no scenario shows {r} passing" for r in no_passing])
        if problems:
            raise ScenarioFailed("\n".join(problems))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailed):
            return f"rule coverage of {self.regime_id}:\n{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"rule coverage of {self.regime_id}"


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


def uncovered(regime_id: str, scenarios) -> tuple[list[str], list[str]]:
    """The rules of the regime's catalogue (but ``info`` ones) that no scenario shows
    failing, and those none shows passing. A rule fails where a scenario expects its
    finding or a deadline of it is missed; it passes where a scenario expects no finding
    of it, a deadline of it is met or not yet due, or it ran (in the trace) without a
    finding where the scenario lists every finding or allows an assignment."""
    fails, passes = set(), set()
    for scenario in scenarios:
        f, p = _rules_expected(scenario)
        fails |= f
        passes |= p
        result = run_scenario(scenario, trace=True)
        ev = result.evaluation
        found = {x.rule.id for x in ev.findings}
        for d in ev.deadlines:
            status = d.status(scenario.as_of, ev.soon).value
            (passes if status in ("done", "due", "due_soon") else fails).add(d.rule.id)
        if scenario.expect.get("exact_findings"):
            passes |= {step.rule for step in ev.trace.steps} - found
        for answer in result.answers:
            if answer.allowed:
                passes |= {step.rule for step in ev.trace.steps if step.subject == answer.subject}
    rules = {r.id for r in registry.get(regime_id).rules.values() if r.severity.value != "info"}
    return sorted(rules - fails), sorted(rules - passes)
