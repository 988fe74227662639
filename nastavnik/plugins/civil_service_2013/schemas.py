"""JSON Schemas of the civil service regime's tenant settings and person attributes."""

DATE = {"type": "string", "format": "date"}

SETTINGS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "default_term_months": {
            "enum": [1, 2],
            "description": "Term used when an order states none (p.6 allows 1 to 2 months; "
                           "without this setting, the longest, 2 months).",
        },
    },
}

PERSON_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "public_service_start": {**DATE, "description": "First day of public service (p.8.1)"},
        "prior_service_months": {"type": "integer", "minimum": 0, "maximum": 720,
                                 "description": "Earlier public service counted, in months"},
        "corps": {"enum": ["A", "B"]},
        "category": {"type": "string", "pattern": "^[A-EА-ЕВС](-[A-ZА-Я])?-[0-9]+$",
                     "description": "Category of the position, e.g. C-5 (p.5)"},
        "first_appointment": {"type": "boolean"},
        "last_assessment": {
            "type": "object", "required": ["year", "mark"], "additionalProperties": False,
            "properties": {"year": {"type": "integer", "minimum": 1990, "maximum": 2100},
                           "mark": {"enum": ["excellent", "effective", "satisfactory",
                                             "unsatisfactory"]}},
        },
        "last_attestation": {
            "type": "object", "required": ["date", "result"], "additionalProperties": False,
            "properties": {"date": DATE, "result": {"enum": ["positive", "negative"]}},
        },
        "disciplinary_penalties": {
            "type": "array",
            "items": {"type": "object", "required": ["imposed"], "additionalProperties": False,
                      "properties": {"kind": {"type": "string"}, "imposed": DATE, "until": DATE}},
        },
    },
}
