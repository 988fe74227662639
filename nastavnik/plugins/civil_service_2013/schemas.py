"""JSON Schemas of the civil service regime's tenant settings and person attributes."""

from ...core.schema_labels import labelled

DATE = {"type": "string", "format": "date"}


def _t(ru: str, kk: str, en: str) -> dict:
    return {"ru": ru, "kk": kk, "en": en}

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

SETTINGS_SCHEMA = labelled(SETTINGS_SCHEMA, {
    "default_term_months": {
        "title": _t("Срок наставничества по умолчанию, месяцев",
                    "Әдепкі тәлімгерлік мерзімі, ай", "Default term, months"),
        "help": _t("Срок, если приказ его не указывает (п. 6: от 1 до 2 месяцев; без этой "
                   "настройки — наибольший, 2 месяца)",
                   "Бұйрықта мерзім көрсетілмесе қолданылады (6-тармақ: 1-ден 2 айға дейін; "
                   "бұл баптаусыз — ең ұзақ, 2 ай)",
                   "Used when the order states no term (p.6: 1 to 2 months; without this "
                   "setting, the longest, 2 months)"),
        "enum": {"1": _t("1 месяц", "1 ай", "1 month"), "2": _t("2 месяца", "2 ай", "2 months")},
    },
})

PERSON_SCHEMA = labelled(PERSON_SCHEMA, {
    "public_service_start": {
        "title": _t("Начало государственной службы", "Мемлекеттік қызметтің басталуы",
                    "Start of public service"),
        "help": _t("Первый день государственной службы (п. 8.1)",
                   "Мемлекеттік қызметтің бірінші күні (8.1-тармақ)",
                   "First day of public service (p.8.1)")},
    "prior_service_months": {
        "title": _t("Прежний стаж государственной службы, месяцев",
                    "Бұрынғы мемлекеттік қызмет өтілі, ай", "Earlier public service, months"),
        "help": _t("Засчитываемая прежняя государственная служба, в месяцах",
                   "Есепке алынатын бұрынғы мемлекеттік қызмет, айлармен",
                   "Earlier public service counted, in months")},
    "corps": {
        "title": _t("Корпус", "Корпус", "Corps"),
        "enum": {"A": _t("Корпус «А»", "«А» корпусы", "Corps A"),
                 "B": _t("Корпус «Б»", "«Б» корпусы", "Corps B")}},
    "category": {
        "title": _t("Категория должности", "Лауазым санаты", "Category of the position"),
        "help": _t("Например, C-5 (п. 5)", "Мысалы, C-5 (5-тармақ)", "E.g. C-5 (p.5)")},
    "first_appointment": {
        "title": _t("Впервые поступает на государственную службу",
                    "Мемлекеттік қызметке алғаш тағайындалады",
                    "First appointment to public service")},
    "last_assessment": {
        "title": _t("Последняя оценка деятельности", "Қызметін соңғы бағалау",
                    "Last performance assessment")},
    "last_assessment.year": {"title": _t("Год", "Жыл", "Year")},
    "last_assessment.mark": {
        "title": _t("Оценка", "Баға", "Mark"),
        "enum": {"excellent": _t("превосходно", "өте жақсы", "excellent"),
                 "effective": _t("эффективно", "тиімді", "effective"),
                 "satisfactory": _t("удовлетворительно", "қанағаттанарлық", "satisfactory"),
                 "unsatisfactory": _t("неудовлетворительно", "қанағаттанарлықсыз",
                                      "unsatisfactory")}},
    "last_attestation": {
        "title": _t("Последняя аттестация", "Соңғы аттестаттау", "Last attestation")},
    "last_attestation.date": {"title": _t("Дата", "Күні", "Date")},
    "last_attestation.result": {
        "title": _t("Результат", "Нәтижесі", "Result"),
        "enum": {"positive": _t("положительный", "оң", "positive"),
                 "negative": _t("отрицательный", "теріс", "negative")}},
    "disciplinary_penalties": {
        "title": _t("Дисциплинарные взыскания", "Тәртіптік жазалар", "Disciplinary penalties")},
})

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
