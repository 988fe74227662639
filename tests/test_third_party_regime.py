"""A regime installed from outside the package is used like a built-in one."""

from nastavnik.core import registry
from nastavnik.core.scenario import load_file, run_scenario

from third_party import AMENDMENT, MUNICIPAL, REGIME, municipal  # noqa: F401


def test_its_scenarios_pass(municipal):
    assert REGIME in registry.available()
    for path in sorted((MUNICIPAL / "nastavnik_municipal" / "scenarios").glob("*.yaml")):
        for scenario in load_file(path):
            result = run_scenario(scenario)
            assert result.ok, (path.name, result.mismatches)


def test_its_amendment_changes_the_limit_from_its_date(municipal):
    import datetime as dt
    plain, amended = registry.get(REGIME), registry.get(REGIME, (AMENDMENT,))
    before, after = dt.date(2026, 12, 31), dt.date(2027, 1, 1)
    assert plain.parameters.at("mentor_max_mentees", after).value == 2
    assert amended.parameters.at("mentor_max_mentees", before).value == 2
    assert amended.parameters.at("mentor_max_mentees", after).value == 3
