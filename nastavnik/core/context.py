"""What a rule sees when it runs: rules, dated parameters, calendar, settings, trace."""

from __future__ import annotations

import datetime as dt

from .errors import RegimeError
from .findings import Finding, Rule, Severity
from .parameters import ParameterValue
from .trace import Step, Trace


class RuleContext:
    """What a hook receives as ``ctx``: the regime's rules and dated parameters, the
    tenant's working calendar and settings, and the trace recorder."""

    __slots__ = ("regime", "rules", "params", "calendar", "settings", "trace")

    def __init__(self, regime, calendar, settings: dict, trace: Trace | None = None):
        self.regime = regime
        self.rules = regime.rules
        self.params = regime.parameters
        self.calendar = calendar
        self.settings = settings
        self.trace = trace

    def rule(self, rule_id: str) -> Rule:
        """The catalogue entry of ``rule_id`` (an error if the catalogue lacks it)."""
        try:
            return self.rules[rule_id]
        except KeyError:
            raise RegimeError(f"rule {rule_id} is not in the catalogue of {self.regime.id}") from None

    def param(self, name: str, on: dt.date) -> ParameterValue:
        """The value of a parameter in force on the date of the decision."""
        return self.params.at(name, on)

    def finding(self, rule_id: str, subject: str, severity: Severity | None = None,
                **facts) -> Finding:
        """A finding of ``rule_id`` about ``subject``; ``facts`` fill its message."""
        return Finding(self.rule(rule_id), subject, facts, severity)

    def note(self, rule_id: str, subject: str, conclusion: str,
             params: tuple = (), **inputs) -> None:
        """Record a trace step; free when nobody asked for a trace."""
        if self.trace is not None:
            self.trace.add(Step(rule_id, self.rule(rule_id).paragraph, subject, conclusion,
                                inputs, list(params)))
