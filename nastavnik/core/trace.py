"""How a result was reached: which rules ran, on what, with which parameter values."""

from __future__ import annotations

from dataclasses import dataclass, field

from .i18n import to_json
from .subjects import within


@dataclass(slots=True)
class Step:
    rule: str
    paragraph: str
    subject: str
    conclusion: str
    inputs: dict = field(default_factory=dict)
    parameters: list = field(default_factory=list)  # ParameterValue

    def to_json(self):
        return {"rule": self.rule, "paragraph": self.paragraph, "subject": self.subject,
                "conclusion": self.conclusion, "inputs": to_json(self.inputs),
                "parameters": [p.to_json() for p in self.parameters]}

    def lines(self) -> list[str]:
        out = [f"{self.rule} (p.{self.paragraph}) on {self.subject}: {self.conclusion}"]
        for key, value in self.inputs.items():
            out.append(f"    input {key} = {to_json(value)}")
        for p in self.parameters:
            out.append(f"    parameter {p.name} = {p.value} (in force since {p.since}, "
                       f"{p.reference})")
        return out


class Trace:
    def __init__(self):
        self.steps: list[Step] = []

    def add(self, step: Step) -> None:
        self.steps.append(step)

    def for_subject(self, subject: str) -> list[Step]:
        return [s for s in self.steps if within(s.subject, subject)]

    def to_json(self):
        return [s.to_json() for s in self.steps]
