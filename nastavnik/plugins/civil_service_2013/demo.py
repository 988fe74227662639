"""Demo tenant under civil_service_2013: the finance department of the Akmola regional
akimat (in Russian), corps "B" servants of categories D-O-5 and D-O-6 (p.5).

The story, counted from the as-of date (F is about five weeks back):

- UF-020: closed after its two months, report, reference and submission to HR (p.15-17);
- UF-021: the servant was on sick leave for ten days, so the term ends ten days later (p.6);
- UF-022: the order states the last day, in three working days: report and reference
  are due soon;
- UF-023: in progress, plan drawn up and agreed (p.12);
- UF-030: on F nobody in the department met p.8 with room under p.10 (the two who do
  were each mentoring two servants, one was under a reprimand, one had not yet served two
  years), so the servant's direct manager was assigned (p.8, last sentence);
- UF-024: the mentor, Kanat Ibraev, was reprimanded and then dismissed; a new mentor was
  assigned the next working day (p.11);
- UF-026: assigned two weeks ago, no plan yet (overdue, p.12), and the mentor's consent
  is not recorded (p.7);
- UF-025 just assigned; UF-027 joined yesterday, no mentor yet: ``suggest`` shows that
  Dauren Zhumabaev and Bauyrzhan Akhmetov are at the limit of two (p.10).
"""

from __future__ import annotations

import datetime as dt

TENANT = {
    "slug": "demo-civil-service",
    "name": "ГУ «Управление финансов акимата Акмолинской области»",
    "regime": "civil_service_2013",
    "locale": "ru",
    "settings": {"default_term_months": 2},
    "order_format": "{n}-л/с",
}

HINTS = [
    ("check --tenant demo-civil-service", "findings and deadlines with their paragraphs"),
    ("suggest --tenant demo-civil-service UF-027", "who may mentor the newcomer, and why not the others"),
    ("mentorship show --tenant demo-civil-service UF-030", "the direct manager under the p.8 exception"),
    ("mentorship show --tenant demo-civil-service UF-021", "a term extended by the servant's sick leave"),
    ("deadlines --tenant demo-civil-service --within 10", "what falls due in the next two weeks"),
]

HEAD = "Руководство"
BUD = "Отдел бюджетного планирования"
EXE = "Отдел исполнения бюджета"
ACC = "Отдел бухгалтерского учёта и отчётности"
PRO = "Отдел государственных закупок"
LAW = "Отдел правовой и кадровой работы"
DIG = "Сектор цифровизации бюджетного процесса"

DAY = dt.timedelta(days=1)


def load(s) -> None:
    f = s.wd(-25)  # the day of the p.8 exception
    last_year = s.as_of.year - 1
    effective = {"year": last_year, "mark": "effective"}
    satisfactory = {"year": last_year, "mark": "satisfactory"}

    def servant(number, name, unit, position, category, manager, since, **more):
        return s.person(number, name, unit, position, manager, hired_on=since,
                        public_service_start=since, corps="B", category=category, **more)

    def newcomer(number, name, unit, position, category, manager, joined):
        return servant(number, name, unit, position, category, manager, joined,
                       first_appointment=True)

    # --- staff: who meets p.8 now, and who did on F ----------------------------------------
    servant("UF-001", "Абдрахманов Ерлан Бакытжанович", HEAD, "Руководитель управления", "D-O-1",
            None, s.years_ago(24, 8, 1), last_assessment=effective,
            disciplinary_penalties=[{"kind": "замечание", "imposed": s.months(f, -2),
                                     "until": s.months(s.as_of, 4)}])
    servant("UF-002", "Касымова Гульнара Маратовна", HEAD, "Заместитель руководителя управления",
            "D-O-2", "UF-001", s.years_ago(16, 9, 1), last_assessment=effective)
    # appointed from a national company: short of two years of public service
    servant("UF-003", "Тулегенов Арман Серикович", HEAD, "Заместитель руководителя управления",
            "D-O-2", "UF-001", s.months(s.as_of, -21), last_assessment=effective)
    servant("UF-004", "Жумабаев Даурен Кайратович", BUD, "Руководитель отдела", "D-O-3", "UF-002",
            s.years_ago(9, 9, 1), last_assessment=effective)
    # a reprimand lifted five days after F
    servant("UF-005", "Ахметов Бауыржан Муратович", EXE, "Руководитель отдела", "D-O-3", "UF-002",
            s.years_ago(13, 8, 15), last_assessment=effective,
            disciplinary_penalties=[{"kind": "выговор", "imposed": s.months(f, -6) + 10 * DAY,
                                     "until": f + 5 * DAY}])
    servant("UF-006", "Омарова Салтанат Кенжебековна", ACC,
            "Руководитель отдела – главный бухгалтер", "D-O-3", "UF-003", s.years_ago(8, 2, 1),
            last_assessment=satisfactory)
    # two years of public service twelve days after F
    servant("UF-007", "Сулейменов Тимур Аскарович", PRO, "Руководитель отдела", "D-O-3", "UF-003",
            s.months(f, -24) + 12 * DAY, last_assessment=effective)
    servant("UF-008", "Мусина Асель Нурлановна", LAW, "Руководитель отдела", "D-O-3", "UF-001",
            s.years_ago(7, 3, 1), last_assessment=satisfactory,
            last_attestation={"date": s.years_ago(3, 5, 20), "result": "positive"})
    # a strict reprimand three working days before F, after he began to mentor UF-024
    servant("UF-009", "Ибраев Канат Ержанович", EXE, "Главный специалист", "D-O-5", "UF-005",
            s.years_ago(11, 9, 1), last_assessment=effective,
            disciplinary_penalties=[{"kind": "строгий выговор", "imposed": s.wd(-3, f)}])
    servant("UF-012", "Кенжебаев Алибек Жанатович", DIG, "Заведующий сектором", "D-O-4", "UF-002",
            s.months(f, -17))  # came from an IT company: one year five months on F
    servant("UF-013", "Сагинтаева Айжан Болатовна", BUD, "Главный специалист", "D-O-5", "UF-004",
            s.months(s.as_of, -20), last_assessment=effective)
    servant("UF-014", "Нургалиева Динара Ерлановна", EXE, "Главный специалист", "D-O-5", "UF-005",
            s.years_ago(3, 6, 1), last_assessment=satisfactory)
    servant("UF-015", "Бекмуханов Ерболат Асланович", ACC, "Главный специалист", "D-O-5", "UF-006",
            s.years_ago(6, 9, 1), last_assessment=effective,
            disciplinary_penalties=[{"kind": "замечание", "imposed": s.months(f, -1),
                                     "until": s.months(s.as_of, 5)}])
    servant("UF-016", "Искакова Меруерт Талгатовна", PRO, "Главный специалист", "D-O-5", "UF-007",
            s.months(s.as_of, -15))
    servant("UF-017", "Жаксыбекова Камила Ерлановна", LAW, "Главный специалист", "D-O-5", "UF-008",
            s.months(s.as_of, -22), last_assessment=effective)

    # --- the dates the story turns on ------------------------------------------------------
    s1 = s.start_for(s.wd(-25, f), lambda d: f < s.term_end(d, 2) <= s.wd(-4))  # closed
    s2 = s.wd(-10, f)  # extended by an absence
    end3 = s.wd(3)  # the order states the last day
    s3 = s.working(s.months(end3, -2) + 5 * DAY)
    s4 = s.wd(-3, f)
    s6 = s.wd(-8, f)  # mentor reprimanded three working days before F, dismissed later
    replaced = s.wd(-11)
    if not (s3 < f and s.term_end(s2, 2) > f):
        raise AssertionError("demo data: the p.8 exception needs both mentors full on F")

    newcomer("UF-020", "Оспанова Аружан Даулетовна", BUD, "Главный специалист", "D-O-5", "UF-004", s.wd(-1, s1))
    newcomer("UF-022", "Ермекова Дана Асхатовна", BUD, "Главный специалист", "D-O-5", "UF-004", s.wd(-1, s3))
    newcomer("UF-024", "Нурланова Томирис Азаматовна", EXE, "Ведущий специалист", "D-O-6", "UF-005", s.wd(-1, s6))
    newcomer("UF-021", "Серикбаев Нурсултан Маратович", LAW, "Ведущий специалист", "D-O-6", "UF-008", s.wd(-1, s2))
    newcomer("UF-023", "Бакиров Алихан Ерланович", ACC, "Главный специалист", "D-O-5", "UF-006", s.wd(-1, s4))
    newcomer("UF-030", "Тохтаров Мирас Канатович", DIG, "Ведущий специалист", "D-O-6", "UF-012", s.wd(-1, f))
    newcomer("UF-026", "Жунусова Айгерим Сериковна", EXE, "Ведущий специалист", "D-O-6", "UF-005", s.wd(-11))
    newcomer("UF-025", "Садыков Ернар Бауыржанович", PRO, "Ведущий специалист", "D-O-6", "UF-007", s.wd(-3))
    newcomer("UF-027", "Муканов Даурен Ержанович", LAW, "Ведущий специалист", "D-O-6", "UF-008", s.wd(-1))

    # --- mentorships, oldest first ---------------------------------------------------------
    p7 = {"manager_submission": True, "mentor_consent": True}

    def assign(mentee, mentor, on, **kwargs):
        joined = s.wd(-1, on)
        return s.assign(mentee, mentor, on, joined_on=joined,
                        **{"assignment_attributes": p7, **kwargs})

    m1 = assign("UF-020", "UF-002", s1)
    s.paper(m1, "plan", s1 + 2 * DAY, "Жумабаев Д. К.")
    m3 = assign("UF-022", "UF-004", s3, planned_end=end3)
    s.paper(m3, "plan", s3 + 2 * DAY, "Жумабаев Д. К.")
    m6 = assign("UF-024", "UF-009", s6)
    s.paper(m6, "plan", s6 + 3 * DAY, "Ахметов Б. М.")
    m2 = assign("UF-021", "UF-002", s2)
    s.paper(m2, "plan", s2 + 1 * DAY, "Мусина А. Н.")
    s.absence("UF-021", s2 + 14 * DAY, s2 + 23 * DAY, "листок временной нетрудоспособности")
    m4 = assign("UF-023", "UF-004", s4)
    s.paper(m4, "plan", s4 + 2 * DAY, "Омарова С. К.")
    m5 = assign("UF-030", "UF-012", f, expect_fallback=True)  # p.8: nobody else qualifies
    s.paper(m5, "plan", f + 2 * DAY, "Кенжебаев А. Ж.")
    # Kanat Ibraev is dismissed; Bauyrzhan Akhmetov takes over the next working day (p.11)
    s.replace(m6, "UF-005", replaced, "dismissal", attributes=p7)
    s.update("UF-009", unit=None, manager=None,
             position=f"Уволен {(replaced - DAY).strftime('%d.%m.%Y')}")
    end1 = s.term_end(s1, 2)
    last_working = s.wd(-1, end1 + DAY)
    s.paper(m1, "mentee_report", last_working)
    s.paper(m1, "mentor_reference", last_working)
    s.paper(m1, "hr_submission", s.wd(2, end1))
    s.close(m1, end1)
    assign("UF-026", "UF-005", s.wd(-10),
           assignment_attributes={"manager_submission": True})  # no plan; consent not recorded
    assign("UF-025", "UF-007", s.wd(-2))
