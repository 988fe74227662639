"""A third-party regime gets what a built-in one has: a demo tenant, synthetic bodies, its
scenarios run with the others, and a skeleton to start from (issue 13)."""

import datetime as dt
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from nastavnik import demo, services
from nastavnik.cli import main
from nastavnik.core import registry
from nastavnik.core.errors import InputError
from nastavnik.core.samples import Demo

from third_party import REGIME, municipal, subprocess_env  # noqa: F401

AS_OF = dt.date(2026, 3, 16)


def run(app, *args):
    out = CliRunner().invoke(main, list(args), obj={"lang": "en"})
    if out.exc_info and not isinstance(out.exc_info[1], SystemExit):
        raise out.exc_info[1]
    return out


# --- the municipal example -------------------------------------------------------------------

def test_municipal_demo_tells_its_story(municipal, app):
    out = run(app, "demo", "--regime", REGIME, "--as-of", AS_OF.isoformat())
    assert out.exit_code == 0, out.output
    assert "demo-municipal: created" in out.output
    assert f"nastavnik suggest --tenant demo-municipal M-015 --on {AS_OF.isoformat()}" in out.output
    assert "demo-prosecutors" not in [t.slug for t in services.list_tenants()]
    with services.tenant("demo-municipal", "test") as work:
        assert work.tenant.regime == REGIME
        report = services.compliance_report(work, AS_OF)
        shown = services.suggest_mentors(work, "M-015", AS_OF)
    assert report["summary"]["mentorships_open"] == 4
    overdue = [d for d in report["deadlines"] if d["status"] == "overdue"]
    assert [d["paragraph"] for d in overdue] == ["6"]
    assert shown  # somebody may mentor the newcomer


def test_demo_of_every_regime_includes_the_municipal_one_in_its_place(municipal):
    order = list(demo.demos())  # by each demo's position: the municipal one says 50
    assert order == ["prosecutor_2022", "civil_service_2013", "education_reserve", "municipal_2025"]
    assert demo.SLUGS == ("demo-prosecutors", "demo-civil-service", "demo-education",
                          "demo-municipal")


def test_a_regime_without_a_demo_is_named_not_loaded(app, monkeypatch):
    civil = registry.get("civil_service_2013")
    monkeypatch.setattr(civil.hook, "regime_demo", lambda: [])
    assert demo.demos()["civil_service_2013"] is None
    with pytest.raises(InputError, match="ships no demo tenant"):
        demo.load(AS_OF, regimes=["civil_service_2013"])
    out = run(app, "demo", "--regime", "civil_service_2013", "--as-of", AS_OF.isoformat())
    assert out.exit_code != 0 and "ships no demo tenant" in out.output
    for regime_id in registry.available():  # none ships one: each is named, none loaded
        monkeypatch.setattr(registry.get(regime_id).hook, "regime_demo", lambda: [])
    out = run(app, "demo", "--as-of", AS_OF.isoformat())
    assert out.exit_code == 0, out.output
    for regime_id in registry.available():
        assert f"{regime_id}: ships no demo tenant" in out.output
    assert services.list_tenants() == []


def test_a_demo_file_refuses_a_date_it_cannot_read(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text("tenant: {slug: d, name: D, locale: ru}\n"
                    "people: [{number: X, full_name: X, hired_on: last spring}]\n")
    shipped = Demo.from_yaml(path)

    class Story:
        as_of = AS_OF

        def person(self, *args, **kwargs):
            raise AssertionError("never reached")

    with pytest.raises(InputError, match="'last spring' is not a demo date"):
        shipped.load(Story())


def test_bench_generate_fills_a_municipal_tenant(municipal, app):
    out = run(app, "bench", "generate", "--tenant", "gen", "--regime", REGIME, "--people", "60",
              "--mentorships", "40", "--as-of", AS_OF.isoformat())
    assert out.exit_code == 0, out.output
    summary = json.loads(out.output)
    assert summary["mentorships"] == 40 and summary["people"] == 60
    with services.tenant("gen", "test") as work:
        assert work.tenant.regime == REGIME
        report = services.compliance_report(work, AS_OF)
    assert report["summary"]["mentorships_open"] >= 1


def test_bench_generate_says_which_regimes_ship_a_profile(municipal, app, monkeypatch):
    monkeypatch.setattr(registry.get(REGIME).hook, "synthetic_profile", lambda: [])
    out = run(app, "bench", "generate", "--tenant", "gen", "--regime", REGIME, "--people", "20",
              "--mentorships", "5")
    assert out.exit_code == 2
    assert "ships no synthetic profile" in out.output and "civil_service_2013" in out.output
    assert services.list_tenants() == []


def test_scenario_run_with_no_files_runs_the_installed_regimes_scenarios(municipal):
    out = subprocess.run([sys.executable, "-m", "nastavnik.cli", "scenario", "run", "--json"],
                         capture_output=True, text=True, env=subprocess_env(municipal), timeout=300)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr
    ran = {s["regime"] for s in json.loads(out.stdout)["scenarios"]}
    assert ran == {"civil_service_2013", "education_reserve", "prosecutor_2022", REGIME}


# --- nastavnik regime new ---------------------------------------------------------------------

def _new_regime(root, name="city_service"):
    """Write the skeleton under ``root`` and install it as a distribution would be (entry
    points only); returns the package folder and the sys.path entries."""
    out = CliRunner().invoke(main, ["regime", "new", name, "--dir", str(root)],
                             obj={"lang": "en"})
    assert out.exit_code == 0, out.output
    package = root / f"nastavnik-{name.replace('_', '-')}"
    dist = root / "site" / f"nastavnik_{name}-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: nastavnik-{name}\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text(f"[nastavnik.regimes]\n{name} = nastavnik_{name}\n")
    return package, [str(root / "site"), str(package)]


@pytest.fixture
def skeleton(tmp_path, monkeypatch):
    package, paths = _new_regime(tmp_path)
    for entry in paths:
        monkeypatch.syspath_prepend(entry)
    registry.forget()
    yield package, paths
    registry.forget()
    for name in [m for m in sys.modules if m.startswith("nastavnik_city_service")]:
        sys.modules.pop(name)


def test_regime_new_writes_a_regime_whose_scenarios_and_own_tests_pass(skeleton):
    package, paths = skeleton
    assert (package / "pyproject.toml").read_text().count('city_service = "nastavnik_city_service"') == 1
    env = subprocess_env(paths)
    out = subprocess.run([sys.executable, "-m", "nastavnik.cli", "scenario", "run", "--json"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr
    ran = [s for s in json.loads(out.stdout)["scenarios"] if s["regime"] == "city_service"]
    assert len(ran) == 7 and all(s["ok"] for s in ran)
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                         capture_output=True, text=True, env=env, cwd=package, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr
    assert "9 passed" in out.stdout  # 7 scenarios, the rule coverage, its own test

    # its own tests catch a rule no scenario shows failing
    (package / "nastavnik_city_service" / "scenarios" / "p6_plan.yaml").unlink()
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                         capture_output=True, text=True, env=env, cwd=package, timeout=300)
    assert out.returncode == 1
    assert "no scenario shows city_service.p6.plan failing" in out.stdout


def test_the_new_regime_has_a_demo_and_a_synthetic_profile(skeleton, app):
    results = demo.load(AS_OF, regimes=["city_service"])
    assert [(r.slug, r.status) for r in results] == [("demo-city-service", "created")]
    assert results[0].report["summary"]["mentorships_open"] == 2
    out = run(app, "bench", "generate", "--tenant", "gen", "--regime", "city_service",
              "--people", "30", "--mentorships", "20", "--as-of", AS_OF.isoformat())
    assert out.exit_code == 0, out.output


def test_regime_new_refuses_a_bad_name_or_an_existing_folder(tmp_path):
    out = CliRunner().invoke(main, ["regime", "new", "City Service", "--dir", str(tmp_path)],
                             obj={"lang": "en"})
    assert out.exit_code == 2 and "lower-case letters" in out.output
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "nastavnik-city").mkdir()
    out = CliRunner().invoke(main, ["regime", "new", "city", "--dir", str(tmp_path)],
                             obj={"lang": "en"})
    assert out.exit_code == 2 and "exists" in out.output
    assert list((tmp_path / "nastavnik-city").iterdir()) == []
