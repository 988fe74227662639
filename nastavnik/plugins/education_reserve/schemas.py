"""JSON Schemas of the education reserve regime's tenant settings and person attributes.

The Regulation fixes no number: the minimum experience of a mentor (p.6, "significant
professional experience"), any cap on reservists per mentor (p.7 allows "one or several
at once"), the programme length and the deadlines for the plan and the joint report
(p.8) are all the tenant's to set.
"""

from ...core.schema_labels import labelled

DATE = {"type": "string", "format": "date"}


def _t(ru: str, kk: str, en: str) -> dict:
    return {"ru": ru, "kk": kk, "en": en}

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

_DAYS = {"title": _t("Дней", "Күн саны", "Days")}
_WORKING = {"title": _t("Рабочие дни", "Жұмыс күндері", "Working days"),
            "help": _t("Да: рабочие дни календаря России (день события не считается); нет: "
                       "календарные дни, срок в выходной переносится на следующий рабочий день",
                       "Иә: Ресей күнтізбесінің жұмыс күндері (оқиға күні саналмайды); жоқ: "
                       "күнтізбелік күндер, демалыс күнге түскен мерзім келесі жұмыс күніне "
                       "ауысады",
                       "Yes: working days of Russia's calendar (the event day not counted); "
                       "no: calendar days, a due date on a day off moving to the next working "
                       "day")}

SETTINGS_SCHEMA = labelled(SETTINGS_SCHEMA, {
    "min_experience_years": {
        "title": _t("Наименьший профессиональный стаж наставника, лет",
                    "Тәлімгердің ең аз кәсіби өтілі, жыл",
                    "Minimum professional experience of a mentor, years"),
        "help": _t("На день закрепления (п. 6: «значительный профессиональный опыт», число "
                   "устанавливает организация). Дробь считается целыми месяцами с округлением "
                   "вверх (2,5 = 2 года 6 месяцев).",
                   "Бекітілген күнге (6-тармақ: «елеулі кәсіби тәжірибе», санды ұйым "
                   "белгілейді). Бөлшек толық айлармен жоғары дөңгелектеп саналады "
                   "(2,5 = 2 жыл 6 ай).",
                   "On the day of assignment (p.6: 'significant professional experience', the "
                   "number is the tenant's). A fraction counts in whole months, rounded up "
                   "(2.5 = 2 years 6 months).")},
    "max_mentees": {
        "title": _t("Наибольшее число резервистов у одного наставника",
                    "Бір тәлімгердегі резервистердің ең көп саны",
                    "Most reservists per mentor"),
        "help": _t("Одновременно. Не указано — без ограничения (п. 7: «одного или нескольких "
                   "резервистов одновременно»).",
                   "Бір мезгілде. Көрсетілмесе — шектеусіз (7-тармақ: «бір немесе бірнеше "
                   "резервистті бір мезгілде»).",
                   "At once. Absent: no cap (p.7: 'one or several reservists at once').")},
    "term_months": {
        "title": _t("Срок программы, месяцев", "Бағдарлама мерзімі, ай",
                    "Length of the programme, months"),
        "help": _t("Если приказ не указывает окончание (п. 8)",
                   "Бұйрықта аяқталу күні көрсетілмесе (8-тармақ)",
                   "Where the order states no end (p.8)")},
    "plan_due": {
        "title": _t("Срок индивидуального плана", "Жеке жоспардың мерзімі",
                    "Individual training plan due"),
        "help": _t("План (п. 8) составляется в течение стольких дней после закрепления "
                   "наставника (с даты приказа, иначе с первого дня). Не указано — без срока.",
                   "Жоспар (8-тармақ) тәлімгер бекітілгеннен кейін осынша күн ішінде жасалады "
                   "(бұйрық күнінен, әйтпесе бірінші күннен). Көрсетілмесе — мерзімсіз.",
                   "The plan (p.8) is due this many days after the mentor's assignment (the "
                   "order's date, else the first day). Absent: no deadline.")},
    "plan_due.days": _DAYS, "plan_due.working": _WORKING,
    "report_due": {
        "title": _t("Срок совместного отчёта", "Бірлескен есептің мерзімі",
                    "Joint report due"),
        "help": _t("Совместный отчёт по индивидуальному плану (п. 8) представляется в течение "
                   "стольких дней после окончания наставничества. Не указано — без срока.",
                   "Жеке жоспар бойынша бірлескен есеп (8-тармақ) тәлімгерлік аяқталғаннан "
                   "кейін осынша күн ішінде ұсынылады. Көрсетілмесе — мерзімсіз.",
                   "The joint report on the individual plan (p.8) is due this many days after "
                   "the end of the mentorship. Absent: no deadline.")},
    "report_due.days": _DAYS, "report_due.working": _WORKING,
})

PERSON_SCHEMA = labelled(PERSON_SCHEMA, {
    "in_management_reserve": {
        "title": _t("В резерве управленческих кадров", "Басқарушы кадрлар резервінде",
                    "In the management reserve"),
        "help": _t("Включён в резерв управленческих кадров муниципальной системы образования "
                   "(п. 4)",
                   "Муниципалдық білім беру жүйесінің басқарушы кадрлар резервіне енгізілген "
                   "(4-тармақ)",
                   "Included in the management reserve of the municipal education system "
                   "(p.4)")},
    "reserve_included_on": {
        "title": _t("Дата включения в резерв", "Резервке енгізілген күні",
                    "Included in the reserve on"),
        "help": _t("(п. 4)", "(4-тармақ)", "(p.4)")},
    "administration": {
        "title": _t("Член администрации", "Әкімшілік мүшесі", "Member of the administration"),
        "help": _t("Член администрации образовательной организации (п. 6)",
                   "Білім беру ұйымы әкімшілігінің мүшесі (6-тармақ)",
                   "Member of the administration of an educational organisation (p.6)")},
    "administration_position": {
        "title": _t("Должность в администрации", "Әкімшіліктегі лауазымы",
                    "Position in the administration"),
        "help": _t("(п. 6)", "(6-тармақ)", "(p.6)")},
    "experience_start": {
        "title": _t("Начало профессионального стажа", "Кәсіби өтілдің басталуы",
                    "Start of professional experience"),
        "help": _t("Первый день профессионального стажа (п. 6)",
                   "Кәсіби өтілдің бірінші күні (6-тармақ)",
                   "First day of professional experience (p.6)")},
    "prior_experience_months": {
        "title": _t("Прежний профессиональный стаж, месяцев", "Бұрынғы кәсіби өтіл, ай",
                    "Earlier professional experience, months"),
        "help": _t("Засчитываемый прежний стаж, в месяцах",
                   "Есепке алынатын бұрынғы өтіл, айлармен",
                   "Earlier professional experience counted, in months")},
    "organisation": {
        "title": _t("Образовательная организация", "Білім беру ұйымы",
                    "Educational organisation"),
        "help": _t("Где работает сотрудник", "Қызметкердің жұмыс орны",
                   "Where the person works")},
})
