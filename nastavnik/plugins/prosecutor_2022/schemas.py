"""JSON Schemas of the prosecutor regime's tenant settings and person attributes."""

DATE = {"type": "string", "format": "date"}

#: Positions in the prosecutor bodies, lowest first. p.12 requires a mentor to hold "a
#: position not lower than deputy district prosecutor or equivalent": the order of this
#: list is what "not lower" means. A tenant maps its own posts onto these levels
#: (e.g. a head of department of a regional prosecutor's office, or a specialised
#: prosecutor's office equal in rank to a district one, to the level it is equivalent to).
POSITION_LEVELS = (
    "assistant",
    "senior_assistant",
    "head_of_division",
    "deputy_district_prosecutor",
    "district_prosecutor",
    "deputy_regional_prosecutor",
    "regional_prosecutor",
    "general_prosecutor_office",
)


SETTINGS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "working_day_hours": {
            "type": "number", "exclusiveMinimum": 0, "maximum": 12, "default": 8,
            "description": "Hours of one working day, for the working time the work standards "
                           "(order No. 159 of 2015, p.3) measure the load against. Default 8: "
                           "the Labour Code of Kazakhstan (art. 68) caps normal working time "
                           "at 40 hours a week, on a five-day week.",
        },
    },
    "description": "The Rules of mentorship leave tenants nothing to choose: every number is "
                   "fixed by the order (see parameters.yaml). Equivalent positions are mapped "
                   "in each person's position_level. The one setting is the length of the "
                   "working day for the work standards.",
}

PERSON_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "entry_route": {
            "enum": ["academy", "competition"],
            "description": "How the person enters the prosecutor bodies (p.2, p.5): academy - "
                           "initial professional training at the Academy of law enforcement "
                           "bodies (an Academy trainee, mentored during the internship); "
                           "competition - appointed after a competition (a young employee).",
        },
        "first_entry": {
            "type": "boolean",
            "description": "The person enters the prosecutor bodies for the first time (p.1). "
                           "false: the Rules do not apply.",
        },
        "prosecution_service_start": {
            **DATE,
            "description": "First day of the current service in the prosecutor bodies (p.12: a "
                           "mentor needs at least 5 years of service there).",
        },
        "prior_service_months": {
            "type": "integer", "minimum": 0, "maximum": 720,  # 60 years: more is a typing error
            "description": "Earlier service in the prosecutor bodies, in months, counted into "
                           "the length of service (p.12).",
        },
        "position_level": {
            "enum": list(POSITION_LEVELS),
            "description": "Level of the position held, lowest first: " + " < ".join(POSITION_LEVELS)
                           + ". p.12: a mentor holds a position not lower than deputy district "
                           "prosecutor or equivalent. Tenants map equivalent posts (e.g. in "
                           "regional offices, specialised prosecutor's offices, the Academy) "
                           "onto the level they are equivalent to.",
        },
        "head_or_deputy": {
            "type": "boolean",
            "description": "The authorised head of the prosecutor body or the head's deputy: "
                           "who may chair the Council of mentors (p.18).",
        },
        "awards": {
            "type": "array",
            "description": "State and departmental awards for exemplary service (p.19(1)).",
            "items": {
                "type": "object", "required": ["name", "date"], "additionalProperties": False,
                "properties": {"name": {"type": "string", "minLength": 1}, "date": DATE,
                               "kind": {"enum": ["state", "departmental"]}},
            },
        },
        "psychologist_polygraphologist": {
            "type": "boolean",
            "description": "A psychologist-polygraphologist of the prosecutor bodies (p.19(1)).",
        },
        "veteran_retired_reason": {
            "enum": ["length_of_service", "age_limit"],
            "description": "A veteran of the prosecutor bodies: a former employee retired on "
                           "pension for length of service or on reaching the age limit (p.19(2)).",
        },
    },
}

MENTORSHIP_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "internship_end": {
            **DATE, "title": "Last day of the internship",
            "description": "An Academy trainee is mentored during the internship (p.5); the "
                           "programme runs for the internship (p.9)",
            "x-title": {"ru": "Последний день стажировки",
                        "kk": "Тағылымдаманың соңғы күні",
                        "en": "Last day of the internship"},
            "x-help": {"ru": "Для слушателя Академии: наставничество осуществляется в период "
                             "стажировки (п. 5, п. 9)",
                       "kk": "Академия тыңдаушысы үшін: тәлімгерлік тағылымдамадан өту "
                             "кезеңінде жүзеге асырылады (5, 9-тармақтар)",
                       "en": "For an Academy trainee: mentored during the internship "
                             "(p.5, p.9)"},
        },
    },
}
