"""JSON Schema of a scenario document."""

from ..vocabulary import COUNCIL_ROLES

DATE = {"type": "string", "format": "date"}
ID = {"type": "string", "minLength": 1, "pattern": "^[^/]+$"}
DATES = {"type": "array", "items": DATE}
ORDER = {"type": "object", "required": ["number", "date"], "additionalProperties": False,
         "properties": {"number": {"type": ["string", "integer"]}, "date": DATE}}
SEVERITY = {"enum": ["violation", "warning", "info"]}
RULE = {"type": "string", "pattern": r"^[a-z][a-z0-9_]*\.p[0-9][0-9a-z_.]*$"}
FINDING_REF = {
    "oneOf": [
        RULE,
        {"type": "object", "required": ["rule"], "additionalProperties": False,
         "properties": {"rule": RULE, "subject": {"type": "string"}, "severity": SEVERITY}},
    ]
}

SCENARIO_SCHEMA = {
    "type": "object",
    "required": ["scenario", "regime", "as_of", "expect"],
    "additionalProperties": False,
    "properties": {
        "scenario": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "cites": {"type": "array", "items": {"type": "string"}},
        "regime": {"type": "string"},
        "amendments": {"type": "array", "items": {"type": "string"}},
        "as_of": DATE,
        "settings": {"type": "object"},
        "calendar": {
            "type": "object", "additionalProperties": False,
            "properties": {"extra_days_off": DATES, "extra_working_days": DATES},
        },
        "people": {
            "type": "array",
            "items": {
                "type": "object", "required": ["id"], "additionalProperties": False,
                "properties": {
                    "id": ID, "name": {"type": "string"}, "unit": {"type": "string"},
                    "manager": {"type": "string"}, "position": {"type": "string"},
                    "attributes": {"type": "object"},
                    # facts that changed later: each entry holds from its date, stating
                    # only what changed (a fact set to null is no longer recorded)
                    "history": {"type": "array", "items": {
                        "type": "object", "required": ["from"], "additionalProperties": False,
                        "properties": {
                            "from": DATE, "unit": {"type": ["string", "null"]},
                            "manager": {"type": ["string", "null"]},
                            "position": {"type": ["string", "null"]},
                            "attributes": {"type": "object"},
                        },
                    }},
                },
            },
        },
        "absences": {
            "type": "array",
            "items": {
                "type": "object", "required": ["person", "from", "to"], "additionalProperties": False,
                "properties": {"person": {"type": "string"}, "from": DATE, "to": DATE,
                               "valid": {"type": "boolean"}, "reason": {"type": "string"}},
            },
        },
        "mentorships": {
            "type": "array",
            "items": {
                # keys beyond these are the regime's facts of a file written before
                # ``attributes`` (read by facts.py, checked against the regime's schema)
                "type": "object", "required": ["id", "mentee", "start"],
                "properties": {
                    "id": ID, "mentee": {"type": "string"}, "kind": {"type": "string"},
                    "start": DATE, "joined": DATE, "planned_end": DATE,
                    "term_months": {"type": "integer", "minimum": 1},
                    "ended": DATE, "attributes": {"type": "object"},
                    "assignments": {
                        "type": "array",
                        "items": {
                            "type": "object", "required": ["mentor", "from"],
                            "properties": {
                                "mentor": {"type": "string"}, "from": DATE, "to": DATE,
                                "end_reason": {"enum": ["dismissal", "transfer", "written_request",
                                                        "absence", "end_of_mentorship", "other"]},
                                "order": ORDER, "fallback": {"type": "boolean"},
                                "attributes": {"type": "object"},
                            },
                        },
                    },
                    "papers": {
                        "type": "array",
                        "items": {
                            "type": "object", "required": ["kind"], "additionalProperties": False,
                            "properties": {
                                "kind": {"type": "string"}, "done": DATE,
                                "approved_by": {"type": "string"},
                                "sections": {"type": "array", "items": {"type": "string"}},
                                "attributes": {"type": "object"},
                            },
                        },
                    },
                },
            },
        },
        "councils": {
            "type": "array",
            "items": {
                "type": "object", "required": ["id", "created"], "additionalProperties": False,
                "properties": {
                    "id": ID, "created": DATE, "order": ORDER,
                    "members": {
                        "type": "array",
                        "items": {
                            "type": "object", "required": ["person"], "additionalProperties": False,
                            "properties": {"person": {"type": "string"},
                                           "role": {"enum": list(COUNCIL_ROLES)},
                                           "basis": {"type": "string"},
                                           "attributes": {"type": "object"}},
                        },
                    },
                    "meetings": {
                        "type": "array",
                        "items": {
                            "type": "object", "required": ["id", "date"], "additionalProperties": False,
                            "properties": {
                                "id": ID, "date": DATE,
                                "present": {"type": "array", "items": {"type": "string"}},
                                "items": {
                                    "type": "array",
                                    "items": {
                                        "type": "object", "required": ["id"], "additionalProperties": False,
                                        "properties": {
                                            "id": ID, "title": {"type": "string"},
                                            "hearing": {"type": "string"},
                                            "votes": {"type": "object", "additionalProperties":
                                                      {"enum": ["for", "against", "abstain"]}},
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
        "expect": {
            "type": "object", "additionalProperties": False,
            "properties": {
                "findings": {"type": "array", "items": FINDING_REF},
                "no_findings": {"type": "array", "items": FINDING_REF},
                "exact_findings": {"type": "boolean"},
                "deadlines": {
                    "type": "array",
                    "items": {
                        "type": "object", "required": ["subject", "kind"], "additionalProperties": False,
                        "properties": {
                            "subject": {"type": "string"}, "kind": {"type": "string"},
                            "due": DATE, "status": {"enum": ["done", "done_late", "due",
                                                             "due_soon", "overdue"]},
                            "rule": RULE, "absent": {"type": "boolean"},
                        },
                    },
                },
                "planned_end": {"type": "object", "additionalProperties": DATE},
                "meetings": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object", "additionalProperties": False,
                        "properties": {
                            "quorate": {"type": "boolean"},
                            "items": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "object", "additionalProperties": False,
                                    "properties": {"adopted": {"type": ["boolean", "null"]},
                                                   "tie_broken_by_chair": {"type": "boolean"}},
                                },
                            },
                        },
                    },
                },
                "may_assign": {
                    "type": "array",
                    "items": {
                        "type": "object", "required": ["mentor", "mentee", "on", "allowed"],
                        "additionalProperties": False,
                        "properties": {
                            "mentor": {"type": "string"}, "mentee": {"type": "string"},
                            "on": DATE, "kind": {"type": "string"}, "allowed": {"type": "boolean"},
                            "fallback": {"type": "boolean"},
                            "findings": {"type": "array", "items": RULE},
                        },
                    },
                },
            },
        },
    },
}
