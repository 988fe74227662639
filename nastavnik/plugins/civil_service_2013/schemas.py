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


def _t(ru: str, kk: str, en: str) -> dict:
    return {"ru": ru, "kk": kk, "en": en}


MENTORSHIP_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "head_decision_number": {
            "type": "string", "minLength": 1, "maxLength": 63,
            "title": "Head's decision No.",
            "description": "The head's decision that makes a position of another category "
                           "subject to mentorship (p.5)",
            "x-title": _t("Номер решения руководителя", "Басшы шешімінің нөмірі",
                          "Head's decision No."),
            "x-help": _t("Решение руководителя государственного органа о наставничестве в "
                         "отношении служащего иной категории (п. 5)",
                         "Мемлекеттік орган басшысының өзге санаттағы қызметшіге "
                         "тәлімгерлік туралы шешімі (5-тармақ)",
                         "The head of the state body's decision on mentorship of a servant "
                         "of another category (p.5)"),
        },
        "head_decision_date": {
            **DATE, "title": "Head's decision date",
            "x-title": _t("Дата решения руководителя", "Басшы шешімінің күні",
                          "Head's decision date"),
        },
    },
    # a decision is recorded with both its number and its date, or not at all
    "dependentRequired": {"head_decision_number": ["head_decision_date"],
                          "head_decision_date": ["head_decision_number"]},
}

ASSIGNMENT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "manager_submission": {
            "type": "boolean", "title": "Direct manager's submission received",
            "description": "The mentor is assigned on the direct manager's submission (p.7)",
            "x-title": _t("Представление непосредственного руководителя получено",
                          "Тікелей басшының ұсынысы алынды",
                          "Direct manager's submission received"),
            "x-help": _t("Наставник закрепляется по представлению непосредственного "
                         "руководителя (п. 7)",
                         "Тәлімгер тікелей басшының ұсынуы бойынша бекітіледі (7-тармақ)",
                         "The mentor is assigned on the direct manager's submission (p.7)"),
            "x-aliases": ["submission"],
        },
        "mentor_consent": {
            "type": "boolean", "title": "Mentor's consent received",
            "description": "The prospective mentor's consent (p.7)",
            "x-title": _t("Согласие наставника получено", "Тәлімгердің келісімі алынды",
                          "Mentor's consent received"),
            "x-help": _t("С согласия лица, предполагаемого в качестве наставника (п. 7)",
                         "Тәлімгер ретінде ұсынылатын адамның келісімімен (7-тармақ)",
                         "With the consent of the person proposed as mentor (p.7)"),
            "x-aliases": ["consent"],
        },
    },
}
