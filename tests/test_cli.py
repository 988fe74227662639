"""The command line, as a user runs it."""

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from nastavnik.cli import main

ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "nastavnik" / "plugins" / "civil_service_2013" / "scenarios" / "p8_mentor_requirements.yaml"


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_regimes_lists_the_three():
    out = run("regimes")
    assert out.exit_code == 0, out.output
    for rid in ("prosecutor_2022", "civil_service_2013", "education_reserve"):
        assert rid in out.output
    assert "06-7/148" in out.output
    data = json.loads(run("regimes", "--json").output)
    assert {r["id"] for r in data} >= {"prosecutor_2022", "civil_service_2013", "education_reserve"}


def test_regimes_in_kazakh():
    assert "Әкімшілік мемлекеттік қызметтегі тәлімгерлік" in run("--lang", "kk", "regimes").output


def test_regime_show_lists_rules_with_paragraphs_and_schema():
    out = run("regime", "show", "civil_service_2013")
    assert out.exit_code == 0, out.output
    assert "civil_service_2013.p10.capacity" in out.output and "p.10" in out.output
    assert "exception to civil_service_2013.p8.service" in out.output
    assert "default_term_months" in out.output
    data = json.loads(run("regime", "show", "civil_service_2013", "--json").output)
    assert any(p["name"] == "mentor_max_mentees" for p in data["parameters"])


def test_regime_show_unknown():
    out = run("regime", "show", "nope")
    assert out.exit_code == 2 and "no regime named 'nope'" in out.output


def test_calendar_forward_and_back():
    out = run("calendar", "add-working-days", "--country", "KZ", "2026-03-20", "5")
    assert out.exit_code == 0 and out.output.splitlines()[0] == "2026-04-01"
    back = run("calendar", "add-working-days", "--country", "KZ", "--back", "2026-04-01", "5")
    assert back.output.splitlines()[0] == "2026-03-20"
    neg = run("calendar", "add-working-days", "--country", "KZ", "2026-04-01", "-5")
    assert neg.output.splitlines()[0] == "2026-03-20"
    off = run("calendar", "add-working-days", "--country", "KZ", "--day-off", "2026-04-01",
              "2026-03-20", "5")
    assert off.output.splitlines()[0] == "2026-04-02"



def test_calendar_is_working_day_answers_by_exit_code():
    """Exit 0 for a working day, 1 for a day off with its name (the command's contract)."""
    working = run("calendar", "is-working-day", "--country", "KZ", "2026-04-01")
    assert working.exit_code == 0 and working.output.startswith("working day"), working.output
    holiday = run("calendar", "is-working-day", "--country", "KZ", "2026-03-23")
    assert holiday.exit_code == 1 and holiday.output.startswith("day off"), holiday.output

def test_calendar_bad_date():
    out = run("calendar", "add-working-days", "--country", "KZ", "2026-02-30", "5")
    assert out.exit_code == 2 and "not a date" in out.output


def test_scenario_run_passes_and_json(tmp_path):
    count = sum(1 for doc in yaml.safe_load_all(EXAMPLE.read_text(encoding="utf-8")) if doc)
    assert count > 1
    out = run("scenario", "run", str(EXAMPLE))
    assert out.exit_code == 0, out.output
    assert f"{count} passed, 0 failed" in out.output
    data = json.loads(run("scenario", "run", "--json", str(EXAMPLE)).output)
    assert data["passed"] == count and data["failed"] == 0


def test_scenario_run_reports_mismatch(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace("allowed: true", "allowed: false"),
                   encoding="utf-8")
    out = run("scenario", "run", str(bad))
    assert out.exit_code == 1
    assert "FAIL" in out.output and "expected no, got yes" in out.output


def test_scenario_run_bad_input_is_exit_2_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: x\nregime: civil_service_2013\nas_of: 2026-13-01\nexpect: {}\n")
    out = run("scenario", "run", str(bad))
    assert out.exit_code == 2
    assert "as_of" in out.output and "Traceback" not in out.output


def test_explain_prints_trace_with_parameters():
    out = run("explain", str(EXAMPLE))
    assert out.exit_code == 0, out.output
    assert "civil_service_2013.p8.service" in out.output
    assert "parameter mentor_min_service_years = 2 (in force since 2013-10-18" in out.output
    assert "May serik mentor aigerim on 2026-03-01? no" in out.output
    data = json.loads(run("explain", "--json", str(EXAMPLE)).output)
    assert data[1]["may_assign"][0]["allowed"] is False
