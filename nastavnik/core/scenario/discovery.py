"""Finding the scenarios of the installed regimes, through their ``regime_scenarios`` hook."""

from __future__ import annotations

from pathlib import Path

from .. import registry


def scenario_dirs(regime_id: str) -> list[Path]:
    """The scenario directories the regime's plugins return (none: the regime ships none)."""
    return [Path(d) for d in registry.get(regime_id).hook.regime_scenarios() if d is not None]


def scenario_files(regimes=None) -> list[Path]:
    """Every scenario file of ``regimes`` (default: every installed regime), sorted per
    regime; a directory two regimes share (a regime and its amendment) counted once."""
    files, seen = [], set()
    for regime_id in regimes or registry.available():
        for directory in scenario_dirs(regime_id):
            for path in sorted(directory.rglob("*.yaml")):
                if path.resolve() not in seen:
                    seen.add(path.resolve())
                    files.append(path)
    return files
