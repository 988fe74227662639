"""Per-tenant dispatch, amendments layered on a regime, discovery through entry points."""

import datetime as dt
import sys
from pathlib import Path

import pytest

from nastavnik.core import registry
from nastavnik.core.engine import Engine
from nastavnik.core.errors import RegimeError, RuleConflict
from nastavnik.core.model import Assignment, Case, Mentorship, Person
from nastavnik.core.scenario import load_file, run_scenario

from plugin_fixtures import AmendedNumber, DisagreeingCapacity, LocalCapacityAmendment, Misspelled

ROOT = Path(__file__).parent.parent
D = dt.date
BUILTIN = ("civil_service_2013", "education_reserve", "prosecutor_2022")


def test_builtin_regimes_found_through_entry_points():
    assert set(BUILTIN) <= set(registry.available())


def test_one_manager_per_regime_built_once():
    a, b = registry.get("civil_service_2013"), registry.get("prosecutor_2022")
    assert a is registry.get("civil_service_2013")
    assert a.pm is not b.pm
    assert [p for p in a.pm.get_plugins()] != [p for p in b.pm.get_plugins()]


@pytest.mark.parametrize("regime_id", BUILTIN)
def test_tenant_gets_only_its_regime_answers(regime_id):
    """Each regime's hooks answer with that regime's rules only, whatever else is loaded."""
    for other in BUILTIN:
        registry.get(other)  # load every regime first: no last-registered-wins
    regime = registry.get(regime_id)
    ctx = regime.context({"min_experience_years": 3} if regime_id == "education_reserve" else {})
    limits = regime.hook.mentor_capacity(ctx=ctx, on=D(2026, 3, 2), mentor=None, case=None)
    assert [lim.rule.regime for lim in limits] == [regime_id]
    assert all(rule.regime == regime_id for rule in regime.rules.values())
    assert regime.info.id == regime_id


def _case_with_three_servants():
    people = {"boss": Person("boss", attributes={"public_service_start": "2010-01-01",
                                                 "last_assessment": {"year": 2025, "mark": "effective"}})}
    mentorships = []
    for i in range(3):
        pid = f"s{i}"
        people[pid] = Person(pid, attributes={"corps": "B", "category": "C-5"})
        mentorships.append(Mentorship(f"m{i}", pid, None, D(2026, 3, 2), term_months=2,
                                      assignments=[Assignment("boss", D(2026, 3, 2 + i))]))
    return Case(people=people, mentorships=mentorships)


def _capacity_findings(regime):
    ev = Engine(regime, regime.context()).evaluate(_case_with_three_servants(), D(2026, 3, 10))
    return [f for f in ev.findings if f.rule.id.endswith("capacity")]


def test_local_amendment_overrides_one_rule_by_declaration():
    base = registry.get("civil_service_2013")
    amended = registry.get("civil_service_2013", (LocalCapacityAmendment(),))
    assert [f.rule.id for f in _capacity_findings(base)] == ["civil_service_2013.p10.capacity"]
    assert _capacity_findings(amended) == []  # three allowed by the amendment
    # the base regime's manager is untouched by the amendment
    assert _capacity_findings(registry.get("civil_service_2013"))


def test_disagreeing_rules_are_an_error_not_a_matter_of_order():
    regime = registry.get("civil_service_2013", (DisagreeingCapacity(),))
    with pytest.raises(RuleConflict, match="civil_service_2013.p10.capacity"):
        _capacity_findings(regime)


def test_amended_parameter_old_mentorship_judged_by_old_value():
    regime = registry.get("civil_service_2013", (AmendedNumber(),))
    ctx = regime.context()
    assert ctx.param("mentor_max_mentees", D(2026, 12, 31)).value == 2
    assert ctx.param("mentor_max_mentees", D(2027, 1, 1)).value == 3
    # three servants from March 2026: judged by the 2026 value, still a violation
    ev = Engine(regime, ctx).evaluate(_case_with_three_servants(), D(2027, 2, 1))
    assert [f.facts["limit"] for f in ev.findings if f.rule.id.endswith("capacity")] == [2]
    # the same three in 2027: allowed
    case = _case_with_three_servants()
    for m in case.mentorships:
        m.start = D(2027, 3, 1)
        m.assignments[0].start = D(2027, 3, 1)
    ev = Engine(regime, ctx).evaluate(case, D(2027, 3, 10))
    assert not [f for f in ev.findings if f.rule.id.endswith("capacity")]


def test_misspelled_hook_is_caught():
    with pytest.raises(RegimeError, match="mentor_capacty"):
        registry.get("civil_service_2013", (Misspelled(),))


def test_unknown_regime_named_in_error():
    from nastavnik.core.errors import InputError
    with pytest.raises(InputError, match="no regime named 'nope'"):
        registry.get("nope")


def _install_example(tmp_path: Path):
    """Install examples/minimal_regime as a distribution would: a dist-info with entry points."""
    dist = tmp_path / "nastavnik_example-0.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: nastavnik-example\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text(
        "[nastavnik.regimes]\nexample_onboarding = nastavnik_example\n")
    return [str(tmp_path), str(ROOT / "examples" / "minimal_regime")]


def test_external_regime_from_an_installed_package(tmp_path, monkeypatch, fresh_registry):
    for entry in _install_example(tmp_path):
        monkeypatch.syspath_prepend(entry)
    assert "example_onboarding" in registry.available()
    regime = registry.get("example_onboarding")
    assert regime.info.title["en"] == "Example: onboarding"
    (scenario,) = load_file(ROOT / "examples" / "minimal_regime" / "scenario.yaml")
    result = run_scenario(scenario)
    assert result.ok, result.mismatches
    # and the built-in regimes still answer for themselves
    assert registry.get("civil_service_2013").info.id == "civil_service_2013"
    sys.modules.pop("nastavnik_example", None)


def test_external_regime_via_cli(tmp_path):
    import os
    import subprocess
    paths = _install_example(tmp_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    out = subprocess.run([sys.executable, "-m", "nastavnik.cli", "regimes"], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert "example_onboarding" in out and "civil_service_2013" in out
    run = subprocess.run([sys.executable, "-m", "nastavnik.cli", "scenario", "run",
                          str(ROOT / "examples" / "minimal_regime" / "scenario.yaml")],
                         env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed, 0 failed" in run.stdout
