"""Scenarios a lawyer can read: facts, a date, and what the law expects (docs/scenarios.md)."""

from .loader import Scenario, load_file, load_scenarios
from .runner import ScenarioResult, run_file, run_scenario

__all__ = ["Scenario", "ScenarioResult", "load_file", "load_scenarios", "run_file", "run_scenario"]
