"""The work-standards commands, as an HR officer runs them: import a scheme (and see every
error of a bad file with its line and cell), list, record March's work, and read the
workload report of the hand-computed case (tests/test_work_standards.py: 68 h / 120 h =
56.7 %, 48 / 54 = 88.9 %; unit: 128 h / 144 h = 0.89 staff units)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from nastavnik import services
from nastavnik.cli import main

from test_work_standards import HEADER, ROWS, prosecutors, xlsx


def run(app, *args):
    return CliRunner().invoke(main, list(args), obj={"lang": "en"})


def test_cli_import_record_and_workload(app, tmp_path):
    prosecutors()
    bad = xlsx(tmp_path / "bad.xlsx", [HEADER, ["Appeals", "A1", "Review", "ninety", "x"]])
    out = run(app, "work-standards", "import", str(bad), "--tenant", "pros", "--position",
              "assistant prosecutor", "--direction", "appeals")
    assert out.exit_code == 2
    assert "line 2, cell D2 (time_norm_minutes): 'ninety' is not a time norm" in out.output
    good = xlsx(tmp_path / "good.xlsx", [HEADER, *ROWS])
    out = run(app, "work-standards", "import", str(good), "--tenant", "pros", "--position",
              "assistant prosecutor", "--direction", "appeals", "--approved-by", "Head",
              "--approved-on", "2026-02-20", "--in-force-from", "2026-03-01", "--json")
    assert out.exit_code == 0, out.output
    scheme = json.loads(out.output)
    assert scheme["status"] == "approved" and scheme["in_force_from"] == "2026-03-01"
    assert [a["code"] for t in scheme["types"] for a in t["actions"]] == ["A1", "A2", "A3"]
    out = run(app, "work-standards", "schemes", "--tenant", "pros")
    assert "assistant prosecutor / appeals  v1  approved" in out.output
    out = run(app, "work-standards", "show", scheme["id"], "--tenant", "pros")
    assert "prosecutor_work_standards_2015.p6.approval (p.6)" in out.output and "90 min" in out.output
    for person, action, count, met in (("P-1", "A1", 20, 18), ("P-1", "A2", 10, None),
                                       ("P-1", "A3", 24, 20), ("P-2", "A1", 40, None)):
        args = ["work-standards", "record", person, action, "--tenant", "pros", "--from",
                "2026-03-01", "--to", "2026-03-31", "--count", str(count)]
        out = run(app, *args, *(["--met", str(met)] if met is not None else []))
        assert out.exit_code == 0, out.output
    out = run(app, "work-standards", "workload", "P-1", "--tenant", "pros", "--from", "2026-03-01",
              "--to", "2026-03-31")
    assert out.exit_code == 0, out.output
    assert "normative 68 h / working time 120 h = load 56.7%" in out.output
    assert "48/54 = 88.9%" in out.output
    data = json.loads(run(app, "work-standards", "workload", "P-1", "--tenant", "pros", "--from",
                          "2026-03-01", "--to", "2026-03-31", "--json").output)
    assert data["load_percent"] == "56.7"
    out = run(app, "--lang", "ru", "work-standards", "staff-number", "Appeals unit", "--tenant",
              "pros", "--from", "2026-03-01", "--to", "2026-03-31")
    assert "0.89 staff units (2 people)" in out.output and "штатных единиц" in out.output
    out = run(app, "work-standards", "record", "P-1", "A1", "--tenant", "pros", "--from",
              "2026-03-01", "--to", "2026-03-31", "--count", "2", "--met", "3")
    assert out.exit_code == 2 and "results_met" in out.output
    out = run(app, "work-standards", "records", "--tenant", "pros", "--person", "P-1")
    assert "3 record(s)" in out.output


def test_cli_refuses_a_regime_without_work_standards(app):
    services.create_tenant("cs", "Civil service body", "civil_service_2013", actor="admin")
    out = run(app, "work-standards", "schemes", "--tenant", "cs")
    assert out.exit_code == 2 and "keeps no work standards" in out.output
