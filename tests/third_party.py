"""The third-party regime in examples/municipal_regime, installed as a distribution would
be: a dist-info with its entry points on sys.path, nothing of it in the package."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from nastavnik.core import registry

ROOT = Path(__file__).resolve().parent.parent
MUNICIPAL = ROOT / "examples" / "municipal_regime"
REGIME = "municipal_2025"
AMENDMENT = "municipal_2025_amendment_2027"


def entry_points_text() -> str:
    """The entry points of examples/municipal_regime/pyproject.toml, as pip would write them."""
    import tomllib
    project = tomllib.loads((MUNICIPAL / "pyproject.toml").read_text())["project"]
    return "".join(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) + "\n"
                   for group, eps in project["entry-points"].items())


def install(where: Path) -> list[str]:
    """Write the dist-info under ``where``; returns the sys.path entries to add."""
    dist = where / "nastavnik_municipal-0.1.0.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: nastavnik-municipal\nVersion: 0.1.0\n")
    (dist / "entry_points.txt").write_text(entry_points_text())
    return [str(where), str(MUNICIPAL)]


def subprocess_env(paths: list[str]) -> dict:
    """The environment for a CLI child process that sees the installed regime."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


@pytest.fixture
def municipal(tmp_path_factory, monkeypatch):
    """The municipal regime installed for one test; the registry forgets it afterwards.
    Yields the sys.path entries (pass them to ``subprocess_env`` for a child process)."""
    paths = install(tmp_path_factory.mktemp("site"))
    for entry in paths:
        monkeypatch.syspath_prepend(entry)
    registry.forget()
    yield paths
    registry.forget()
    for name in [m for m in sys.modules if m.startswith("nastavnik_municipal")]:
        sys.modules.pop(name)
