"""Bad input gets a clear error naming the field, never a traceback."""

import pytest

from nastavnik.core import registry
from nastavnik.core.errors import InputError
from nastavnik.core.scenario import load_scenarios

GOOD = """
scenario: minimal
regime: civil_service_2013
as_of: 2026-03-02
people:
  - {id: a, attributes: {corps: B, category: C-5}}
  - {id: b, attributes: {public_service_start: 2010-01-01}}
mentorships:
  - {id: m1, mentee: a, start: 2026-03-02, assignments: [{mentor: b, from: 2026-03-02}]}
expect: {}
"""


def load(text):
    return load_scenarios(text, "test.yaml")


def test_good_document_loads():
    (s,) = load(GOOD)
    assert s.case.mentorships[0].assignments[0].mentor == "b"


@pytest.mark.parametrize("change, field", [
    (("as_of: 2026-03-02", "as_of: 2026-02-30"), "as_of"),
    (("as_of: 2026-03-02\n", ""), "(top level)"),
    (("{mentor: b, from", "{mentor: zz, from"), "mentorships[0].assignments[0].mentor"),
    (("mentee: a,", "mentee: nobody,"), "mentorships[0].mentee"),
    (("category: C-5", "category: 5C"), "category"),
    (("public_service_start: 2010-01-01", "public_service_start: yesterday"), "public_service_start"),
    (("expect: {}", "expect: {findings: [not a rule]}"), "expect.findings[0]"),
    (("regime: civil_service_2013", "regime: no_such_regime"), "regime"),
    (("{mentor: b, from: 2026-03-02}", "{mentor: a, from: 2026-03-02}"), "mentorships[0].assignments[0].mentor"),
])
def test_bad_input_names_the_field(change, field):
    with pytest.raises(InputError) as err:
        load(GOOD.replace(*change))
    assert field in str(err.value)


def test_bad_settings_named():
    with pytest.raises(InputError, match="default_term_months"):
        load(GOOD.replace("expect: {}", "settings: {default_term_months: 7}\nexpect: {}"))
    with pytest.raises(InputError, match="unknown"):
        load(GOOD.replace("expect: {}", "settings: {unknown: 1}\nexpect: {}"))


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(InputError, match="line"):
        load("scenario: [unclosed\nregime: x\n")


def test_overlapping_assignments_rejected():
    text = GOOD.replace("assignments: [{mentor: b, from: 2026-03-02}]",
                        "assignments: [{mentor: b, from: 2026-03-02}, {mentor: b, from: 2026-03-05}]")
    with pytest.raises(InputError, match="overlaps"):
        load(text)


def test_regime_settings_validated_directly():
    regime = registry.get("civil_service_2013")
    assert regime.validate_settings({"default_term_months": 1}) == {"default_term_months": 1}
    with pytest.raises(InputError, match="default_term_months"):
        regime.validate_settings({"default_term_months": "two"})


def test_misspelt_rule_in_expectation_is_rejected(tmp_path):
    """A misspelt rule id would make `no_findings` pass whatever the rules say."""
    from nastavnik.core.errors import InputError
    from nastavnik.core.scenario import load_file

    path = tmp_path / "typo.yaml"
    path.write_text("scenario: typo\nregime: civil_service_2013\nas_of: 2026-04-01\n"
                    "expect:\n  no_findings: [civil_service_2013.p10.capcity]\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_file(path)
    assert "expect.no_findings[0]" in str(err.value) and "capcity" in str(err.value)
