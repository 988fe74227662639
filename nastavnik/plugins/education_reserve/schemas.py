"""JSON Schemas of the education reserve regime's tenant settings and person attributes.

The Regulation fixes no number: the minimum experience of a mentor (p.6, "significant
professional experience"), any cap on reservists per mentor (p.7 allows "one or several
at once"), the programme length and the deadlines for the plan and the joint report
(p.8) are all the tenant's to set.
"""

DATE = {"type": "string", "format": "date"}

DUE = {
    "type": "object",
    "required": ["days", "working"],
    "additionalProperties": False,
    "properties": {
        "days": {"type": "integer", "minimum": 1, "maximum": 366},
        "working": {"type": "boolean",
                    "description": "true: working days of Russia's calendar (the event day not "
                                   "counted); false: calendar days, a due date on a day off "
                                   "moving to the next working day"},
    },
}

SETTINGS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["min_experience_years"],
    "properties": {
        "min_experience_years": {
            "type": "number", "minimum": 0, "maximum": 60,
            "description": "Minimum professional experience of a mentor on the day of assignment, "
                           "in years (p.6: 'significant professional experience', the number is "
                           "the tenant's). A fraction counts in whole months, rounded up "
                           "(2.5 = 2 years 6 months).",
        },
        "max_mentees": {
            "type": "integer", "minimum": 1,
            "description": "Most reservists one mentor may have at once. Absent: no cap "
                           "(p.7: 'one or several reservists at once').",
        },
        "term_months": {
            "type": "integer", "minimum": 1, "maximum": 36,
            "description": "Length of the programme in months where the order states no end (p.8).",
        },
        "plan_due": {
            **DUE,
            "description": "The individual training plan (p.8) is due this many days after the "
                           "mentor's assignment (the order's date, else the first day). Absent: "
                           "no deadline.",
        },
        "report_due": {
            **DUE,
            "description": "The joint report on the individual plan (p.8) is due this many days "
                           "after the end of the mentorship. Absent: no deadline.",
        },
    },
}

PERSON_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "in_management_reserve": {
            "type": "boolean",
            "description": "Included in the management reserve of the municipal education system (p.4)",
        },
        "reserve_included_on": {**DATE, "description": "Day of inclusion in the reserve (p.4)"},
        "administration": {
            "type": "boolean",
            "description": "Member of the administration of an educational organisation (p.6)",
        },
        "administration_position": {"type": "string",
                                    "description": "Position in the administration (p.6)"},
        "experience_start": {**DATE, "description": "First day of professional experience (p.6)"},
        "prior_experience_months": {"type": "integer", "minimum": 0, "maximum": 720,
                                    "description": "Earlier professional experience counted, in months"},
        "organisation": {"type": "string", "description": "Educational organisation"},
    },
}
