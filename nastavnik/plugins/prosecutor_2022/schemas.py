"""JSON Schemas of the prosecutor regime's tenant settings and person attributes."""

from ...core.schema_labels import labelled

DATE = {"type": "string", "format": "date"}


def _t(ru: str, kk: str, en: str) -> dict:
    return {"ru": ru, "kk": kk, "en": en}

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

SETTINGS_SCHEMA = labelled(SETTINGS_SCHEMA, {
    "working_day_hours": {
        "title": _t("Продолжительность рабочего дня, часов", "Жұмыс күнінің ұзақтығы, сағат",
                    "Working day, hours"),
        "help": _t("Для рабочего времени, с которым нормы труда (приказ № 159 от 2015 года, "
                   "п. 3) сравнивают нагрузку. По умолчанию 8: Трудовой кодекс Республики "
                   "Казахстан (ст. 68) — не более 40 часов в неделю при пятидневной неделе.",
                   "Еңбек нормалары (2015 жылғы № 159 бұйрық, 3-тармақ) жүктемені салыстыратын "
                   "жұмыс уақыты үшін. Әдепкі 8: Қазақстан Республикасының Еңбек кодексі "
                   "(68-бап) — бес күндік аптада аптасына 40 сағаттан аспайды.",
                   "For the working time the work standards (order No. 159 of 2015, p.3) "
                   "measure the load against. Default 8: the Labour Code of Kazakhstan "
                   "(art. 68) caps normal working time at 40 hours a week, on a five-day "
                   "week.")},
})

PERSON_SCHEMA = labelled(PERSON_SCHEMA, {
    "entry_route": {
        "title": _t("Порядок поступления", "Қызметке кіру тәртібі", "Way of entry"),
        "help": _t("Как лицо поступает в органы прокуратуры (п. 2, п. 5)",
                   "Адамның прокуратура органдарына қалай кіретіні (2, 5-тармақтар)",
                   "How the person enters the prosecutor bodies (p.2, p.5)"),
        "enum": {"academy": _t("слушатель Академии правоохранительных органов "
                               "(стажировка)",
                               "Құқық қорғау органдары академиясының тыңдаушысы "
                               "(тағылымдама)",
                               "Academy of law enforcement bodies trainee (internship)"),
                 "competition": _t("молодой сотрудник, назначенный по конкурсу",
                                   "конкурс бойынша тағайындалған жас қызметкер",
                                   "young employee appointed after a competition")}},
    "first_entry": {
        "title": _t("Впервые поступает в органы прокуратуры",
                    "Прокуратура органдарына алғаш кіреді",
                    "First entry to the prosecutor bodies"),
        "help": _t("Если нет, Правила не применяются (п. 1)",
                   "Олай болмаса, Қағидалар қолданылмайды (1-тармақ)",
                   "If not, the Rules do not apply (p.1)")},
    "prosecution_service_start": {
        "title": _t("Начало службы в органах прокуратуры",
                    "Прокуратура органдарындағы қызметтің басталуы",
                    "Start of service in the prosecutor bodies"),
        "help": _t("Первый день текущей службы в органах прокуратуры (п. 12: наставнику "
                   "нужно не менее 5 лет стажа в них)",
                   "Прокуратура органдарындағы ағымдағы қызметтің бірінші күні (12-тармақ: "
                   "тәлімгерге онда кемінде 5 жыл өтіл қажет)",
                   "First day of the current service in the prosecutor bodies (p.12: a "
                   "mentor needs at least 5 years of service there)")},
    "prior_service_months": {
        "title": _t("Прежний стаж в органах прокуратуры, месяцев",
                    "Прокуратура органдарындағы бұрынғы өтіл, ай",
                    "Earlier service in the prosecutor bodies, months"),
        "help": _t("Засчитывается в стаж (п. 12)", "Өтілге есептеледі (12-тармақ)",
                   "Counted into the length of service (p.12)")},
    "position_level": {
        "title": _t("Уровень должности", "Лауазым деңгейі", "Level of the position"),
        "help": _t("П. 12: наставник занимает должность не ниже заместителя районного "
                   "прокурора или приравненную к ней. Приравненные должности относятся к "
                   "уровню, которому они равны.",
                   "12-тармақ: тәлімгер аудан прокурорының орынбасарынан төмен емес немесе "
                   "оған теңестірілген лауазымды атқарады. Теңестірілген лауазымдар өзі тең "
                   "деңгейге жатқызылады.",
                   "p.12: a mentor holds a position not lower than deputy district "
                   "prosecutor or equivalent. Equivalent posts are mapped onto the level "
                   "they are equivalent to."),
        "enum": {
            "assistant": _t("помощник прокурора", "прокурордың көмекшісі",
                            "assistant prosecutor"),
            "senior_assistant": _t("старший помощник прокурора", "прокурордың аға көмекшісі",
                                   "senior assistant prosecutor"),
            "head_of_division": _t("начальник отдела", "бөлім бастығы", "head of division"),
            "deputy_district_prosecutor": _t("заместитель районного прокурора",
                                             "аудан прокурорының орынбасары",
                                             "deputy district prosecutor"),
            "district_prosecutor": _t("районный прокурор", "аудан прокуроры",
                                      "district prosecutor"),
            "deputy_regional_prosecutor": _t("заместитель прокурора области",
                                             "облыс прокурорының орынбасары",
                                             "deputy regional prosecutor"),
            "regional_prosecutor": _t("прокурор области", "облыс прокуроры",
                                      "regional prosecutor"),
            "general_prosecutor_office": _t("Генеральная прокуратура", "Бас прокуратура",
                                            "General Prosecutor's Office")}},
    "head_or_deputy": {
        "title": _t("Руководитель органа прокуратуры или его заместитель",
                    "Прокуратура органының басшысы немесе оның орынбасары",
                    "Head of the prosecutor body or deputy"),
        "help": _t("Может быть председателем Совета наставников (п. 18)",
                   "Тәлімгерлер кеңесінің төрағасы бола алады (18-тармақ)",
                   "May chair the Council of mentors (p.18)")},
    "awards": {
        "title": _t("Награды", "Наградалар", "Awards"),
        "help": _t("Государственные и ведомственные награды за безупречную службу (п. 19(1))",
                   "Мінсіз қызметі үшін мемлекеттік және ведомстволық наградалар "
                   "(19-тармақтың 1) тармақшасы)",
                   "State and departmental awards for exemplary service (p.19(1))")},
    "psychologist_polygraphologist": {
        "title": _t("Психолог-полиграфолог", "Психолог-полиграфолог",
                    "Psychologist-polygraphologist"),
        "help": _t("Психолог-полиграфолог органов прокуратуры (п. 19(1))",
                   "Прокуратура органдарының психолог-полиграфологы (19-тармақтың 1) "
                   "тармақшасы)",
                   "A psychologist-polygraphologist of the prosecutor bodies (p.19(1))")},
    "veteran_retired_reason": {
        "title": _t("Ветеран органов прокуратуры: основание выхода на пенсию",
                    "Прокуратура органдарының ардагері: зейнетке шығу негізі",
                    "Veteran of the prosecutor bodies: retired for"),
        "help": _t("Бывший сотрудник, уволенный на пенсию (п. 19(2))",
                   "Зейнетке шыққан бұрынғы қызметкер (19-тармақтың 2) тармақшасы)",
                   "A former employee retired on pension (p.19(2))"),
        "enum": {"length_of_service": _t("по выслуге лет", "еңбек сіңірген жылдары үшін",
                                         "length of service"),
                 "age_limit": _t("по достижении предельного возраста",
                                 "шекті жасқа толуы бойынша", "reaching the age limit")}},
})

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
