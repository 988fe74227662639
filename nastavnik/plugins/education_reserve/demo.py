"""Demo tenant under education_reserve: the education department of the Strezhevoy urban
district (in Russian). The Regulation fixes no numbers; this tenant sets them: five years of
experience for a mentor (p.6), at most two reservists per mentor (p.7), a programme of twelve
months, the individual plan within ten working days of the assignment and the joint report
within ten working days of the end (p.8).

The story, counted from the as-of date:

- UO-021 just assigned to Aleksey Smirnov, the order not yet issued (p.5); Smirnov now
  mentors two reservists, the tenant's cap;
- UO-020 in progress, plan done;
- UO-022 assigned four weeks ago: the plan is overdue;
- UO-023: the mentor, Sergey Kozlov, became director of another school and was replaced;
- UO-024: the year is over, joint report done, closed;
- UO-025: the internship ended a week and a half ago, the joint report is due soon;
- UO-026 was included in the reserve last week: ``suggest`` shows who may mentor her.
"""

from __future__ import annotations

import datetime as dt

TENANT = {
    "slug": "demo-education",
    "name": "Управление образования городского округа Стрежевой",
    "regime": "education_reserve",
    "locale": "ru",
    "settings": {"min_experience_years": 5, "max_mentees": 2, "term_months": 12,
                 "plan_due": {"days": 10, "working": True},
                 "report_due": {"days": 10, "working": True}},
    "order_format": "{n}-к",
}

HINTS = [
    ("check --tenant demo-education", "findings and deadlines with their paragraphs"),
    ("suggest --tenant demo-education UO-026", "who may mentor the new reservist, and why not the others"),
    ("mentorship show --tenant demo-education UO-023", "a mentor moved to another school and replaced"),
    ("deadlines --tenant demo-education", "the plan and joint report deadlines the tenant set"),
]

UO = "Управление образования"
SCH2 = "МОУ «СОШ № 2»"
SCH3 = "МОУ «СОШ № 3»"
SCH4 = "МОУ «СОШ № 4»"
SCH5 = "МОУ «СОШ № 5»"
DS3 = "МДОУ «Детский сад № 3»"
DDT = "МОУ ДО «Дом детского творчества»"

DAY = dt.timedelta(days=1)


def load(s) -> None:
    y = s.years_ago

    def admin(number, name, unit, position, manager, since, **more):
        return s.person(number, name, unit, position, manager, hired_on=since, administration=True,
                        administration_position=position, organisation=unit,
                        experience_start=since, **more)

    def reservist(number, name, unit, position, manager, experience, included):
        return s.person(number, name, unit, position, manager, hired_on=experience,
                        in_management_reserve=True, reserve_included_on=included,
                        experience_start=experience, organisation=unit)

    # --- staff -----------------------------------------------------------------------------
    s.person("UO-001", "Иванова Татьяна Петровна", UO, "Начальник Управления образования",
             hired_on=y(12, 8, 15))
    s.person("UO-002", "Кузнецова Елена Викторовна", UO, "Заместитель начальника", "UO-001",
             hired_on=y(9, 9, 1))
    s.person("UO-014", "Белова Анастасия Игоревна", UO, "Главный специалист (методист)", "UO-001",
             hired_on=y(4, 9, 1))
    admin("UO-003", "Смирнов Алексей Николаевич", SCH2, "Директор", "UO-001", y(26, 8, 25))
    admin("UO-004", "Попова Ольга Сергеевна", SCH2, "Заместитель директора по УВР", "UO-003",
          y(18, 8, 28))
    admin("UO-005", "Морозова Наталья Ивановна", SCH3, "Директор", "UO-001", y(30, 8, 20))
    # three years here and one year earlier: short of the tenant's five (p.6)
    admin("UO-006", "Волков Дмитрий Александрович", SCH3, "Заместитель директора по ВР", "UO-005",
          y(3, 8, 26), prior_experience_months=12)
    admin("UO-009", "Васильева Людмила Анатольевна", SCH4, "Директор", "UO-001", y(33, 8, 15))
    admin("UO-008", "Козлов Сергей Викторович", SCH4, "Заместитель директора по УВР", "UO-009",
          y(15, 8, 25))
    # school No. 5 has had no director since the last one retired (until Sergey Kozlov)
    s.person("UO-011", "Борисов Виктор Павлович", SCH5, "Учитель физики", None,
             hired_on=y(31, 8, 25), administration=False, experience_start=y(31, 8, 25),
             organisation=SCH5)
    admin("UO-012", "Никитина Оксана Валерьевна", SCH5, "Заместитель директора по УВР", None,
          s.months(s.as_of, -54))
    admin("UO-007", "Лебедева Ирина Владимировна", DS3, "Заведующий", "UO-001", y(21, 9, 1))
    admin("UO-010", "Зайцева Галина Михайловна", DDT, "Директор", "UO-001", y(24, 9, 1))

    # --- the dates the story turns on ------------------------------------------------------
    closed = s.start_for(s.months(s.wd(-25), -12) + DAY,
                         lambda d: s.term_end(d, 12) <= s.wd(-15))
    ended = s.wd(-7)  # the order's last day of the internship: report due in 3 working days
    short = s.working(s.months(ended, -6) + DAY)

    reservist("UO-024", "Егорова Светлана Николаевна", SCH3, "Учитель начальных классов", "UO-005",
              y(11, 8, 25), s.wd(-5, closed))
    reservist("UO-023", "Михайлов Андрей Викторович", SCH4, "Учитель физической культуры", "UO-009",
              y(10, 8, 25), s.wd(-5, s.wd(-100)))
    reservist("UO-025", "Павлов Игорь Сергеевич", DDT, "Педагог дополнительного образования",
              "UO-010", y(8, 9, 1), s.wd(-5, short))
    reservist("UO-020", "Соколова Анна Андреевна", SCH2, "Учитель математики", "UO-003",
              y(9, 8, 25), s.wd(-5, s.wd(-60)))
    reservist("UO-022", "Федорова Мария Олеговна", DS3, "Старший воспитатель", "UO-007",
              y(7, 9, 1), s.wd(-5, s.wd(-20)))
    reservist("UO-021", "Новиков Павел Игоревич", SCH2, "Учитель истории", "UO-003",
              y(6, 8, 25), s.wd(-5, s.wd(-2)))
    reservist("UO-026", "Орлова Юлия Дмитриевна", SCH5, "Учитель английского языка", "UO-012",
              y(8, 8, 25), s.wd(-5))

    # --- mentorships, oldest first ---------------------------------------------------------
    e5 = s.assign("UO-024", "UO-005", closed)
    s.paper(e5, "plan", s.wd(7, closed), "Морозова Н. И.")
    e6 = s.assign("UO-025", "UO-010", short, planned_end=ended)
    s.paper(e6, "plan", s.wd(9, short), "Зайцева Г. М.")
    e4 = s.assign("UO-023", "UO-008", s.wd(-100))
    s.paper(e4, "plan", s.wd(-92), "Васильева Л. А.")
    e2 = s.assign("UO-020", "UO-003", s.wd(-60))
    s.paper(e2, "plan", s.wd(-54), "Смирнов А. Н.")
    # Sergey Kozlov is appointed director of school No. 5; the school's director takes over
    moved = s.wd(-40)
    s.replace(e4, "UO-009", moved, "transfer")
    s.update("UO-008", unit=SCH5, position="Директор", manager="UO-001", attributes={
        "administration": True, "administration_position": "Директор", "organisation": SCH5,
        "experience_start": y(15, 8, 25)})
    for number in ("UO-011", "UO-012"):
        s.update(number, manager="UO-008")
    end5 = s.term_end(closed, 12)
    s.paper(e5, "joint_report", s.wd(6, end5))
    s.close(e5, end5)
    s.assign("UO-022", "UO-007", s.wd(-20))  # no plan: overdue
    s.close(e6, ended)  # the joint report is due soon
    s.assign("UO-021", "UO-003", s.wd(-2), order=False)  # the order is being prepared
