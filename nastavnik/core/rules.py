"""Loading a regime's rule catalogue (``rules.yaml``)."""

from __future__ import annotations

from pathlib import Path

from .errors import RegimeError
from .findings import Rule, Severity
from .parameters import load_yaml
from .validation import validate

_LOCALISED = {
    "type": "object", "required": ["ru", "kk", "en"], "additionalProperties": False,
    "properties": {k: {"type": "string", "minLength": 1} for k in ("ru", "kk", "en")},
}

RULE_FILE_SCHEMA = {
    "type": "object",
    "required": ["regime", "rules"],
    "additionalProperties": False,
    "properties": {
        "regime": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "rules": {
            "type": "object",
            "propertyNames": {"pattern": r"^[a-z][a-z0-9_]*\.p[0-9][0-9a-z_.]*$"},
            "additionalProperties": {
                "type": "object",
                "required": ["paragraph", "severity", "title", "message"],
                "additionalProperties": False,
                "properties": {
                    "paragraph": {"type": "string", "minLength": 1},
                    "severity": {"enum": [s.value for s in Severity]},
                    "title": _LOCALISED,
                    "message": _LOCALISED,
                    "overrides": {"type": "array", "items": {"type": "string"}},
                    "exception_to": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def load_rules(path: Path) -> tuple[dict[str, Rule], dict[str, tuple]]:
    """Return the rules of one catalogue and, per rule, the rules it is an exception to."""
    raw = load_yaml(Path(path))
    validate(raw, RULE_FILE_SCHEMA, source=str(path), error=RegimeError)
    rules, exceptions = {}, {}
    for rule_id, entry in raw["rules"].items():
        rules[rule_id] = Rule(
            id=rule_id, regime=raw["regime"], paragraph=entry["paragraph"],
            severity=Severity(entry["severity"]), title=entry["title"],
            message=entry["message"], overrides=tuple(entry.get("overrides", ())))
        exceptions[rule_id] = tuple(entry.get("exception_to", ()))
    return rules, exceptions
