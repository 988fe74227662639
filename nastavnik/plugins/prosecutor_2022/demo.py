"""Demo tenant under prosecutor_2022: the prosecutor's office of Akmola region (in Kazakh).

Mentees are young employees (by competition, one year) and an Academy trainee (for the
internship). The story, counted from the as-of date:

- AP-020 just assigned to Askar Omarov: the programme (p.8) is due within 5 working days;
- AP-021 in progress, programme approved with all five areas of p.9;
- AP-022 assigned two weeks ago: the programme is overdue;
- AP-026: mentor Galym Ospanov moved to other work (p.12(1)) and was replaced next day;
- AP-024, an Academy trainee: programme drawn up two days late;
- AP-025: programme lacks one of the five areas of p.9 (a warning);
- AP-028: a year of mentorship closed, reports heard by the Council, evaluation done;
- AP-023: the year ends in two weeks, the hearing (p.6) is due soon; the Council met
  to hear it but was not quorate;
- AP-027 joined yesterday and has no mentor yet: ``suggest`` shows who may mentor her,
  and that Askar Omarov is at the limit of three mentees (p.13).

The Council of mentors (p.17-19): seven members, chaired by a deputy head; its first
meeting (p.20) was quorate and decided three items, one of them by the chair's vote on a
tie (p.21); its second was not quorate.
"""

from __future__ import annotations

import datetime as dt

TENANT = {
    "slug": "demo-prosecutors",
    "name": "Ақмола облысының прокуратурасы",
    "regime": "prosecutor_2022",
    "locale": "kk",
    "settings": {},
    "order_format": "{n} ж/қ",
}

HINTS = [
    ("check --tenant demo-prosecutors", "findings and deadlines with their paragraphs"),
    ("suggest --tenant demo-prosecutors AP-027", "who may mentor the newcomer, and why not the others"),
    ("mentorship show --tenant demo-prosecutors AP-026", "a mentor moved to other work and replaced"),
    ("council show --tenant demo-prosecutors {council}", "the Council of mentors, its meetings and votes"),
]

HEAD = "Басшылық"
CRIM = "Қылмыстық қудалау саласындағы заңдылықты қадағалау басқармасы"
SOC = "Әлеуметтік-экономикалық саладағы заңдылықты қадағалау басқармасы"
HR = "Кадр жұмысы басқармасы"
KOK = "Көкшетау қаласының прокуратурасы"
BUR = "Бурабай ауданының прокуратурасы"
VET = "Прокуратура ардагерлері кеңесі"

MEDAL = "«Мінсіз қызметі үшін» медалі"
BADGE = "«Прокуратура органдарының құрметті қызметкері» төсбелгісі"
JUBILEE = "«Қазақстан Республикасы прокуратурасына 25 жыл» медалі"

AREAS = ["knowledge_skills", "legal_acts", "duty_responsibility", "ethics_discipline",
         "corporate_culture"]


def load(s) -> None:
    y = s.years_ago

    def staff(number, name, unit, position, level, manager, since, **more):
        return s.person(number, name, unit, position, manager, hired_on=since,
                        prosecution_service_start=since, position_level=level, **more)

    def newcomer(number, name, unit, position, manager, hired, route="competition"):
        return s.person(number, name, unit, position, manager, hired_on=hired,
                        prosecution_service_start=hired, first_entry=True, entry_route=route,
                        position_level="assistant")

    # --- staff ---------------------------------------------------------------------------
    staff("AP-001", "Сәрсенбаев Ержан Болатұлы", HEAD, "Облыс прокуроры", "regional_prosecutor",
          None, y(23, 8, 1), head_or_deputy=True,
          awards=[{"name": MEDAL, "date": y(9, 6, 30), "kind": "state"}])
    staff("AP-002", "Жақсылықов Нұрлан Серікұлы", HEAD, "Облыс прокурорының орынбасары",
          "deputy_regional_prosecutor", "AP-001", y(19, 9, 1), head_or_deputy=True,
          awards=[{"name": BADGE, "date": y(6, 6, 30), "kind": "departmental"}])
    staff("AP-003", "Бекова Гүлмира Асқарқызы", HEAD, "Облыс прокурорының орынбасары",
          "deputy_regional_prosecutor", "AP-001", y(17, 8, 15), head_or_deputy=True,
          awards=[{"name": JUBILEE, "date": y(7, 12, 6), "kind": "departmental"}])
    staff("AP-004", "Омаров Асқар Төлеуұлы", CRIM, "Басқарма басшысы", "district_prosecutor",
          "AP-002", y(14, 8, 1), awards=[{"name": MEDAL, "date": y(4, 6, 30), "kind": "state"}])
    staff("AP-005", "Қасымов Дәурен Маратұлы", CRIM, "Басқарма басшысының орынбасары",
          "deputy_district_prosecutor", "AP-004", y(9, 9, 1))
    staff("AP-006", "Нұрпейісова Айгерім Ерланқызы", CRIM, "Бөлім бастығы", "head_of_division",
          "AP-004", y(7, 8, 20))
    staff("AP-007", "Әбенов Бауыржан Сейітұлы", CRIM, "Аға прокурор", "senior_assistant",
          "AP-004", y(6, 9, 1))
    staff("AP-008", "Исабеков Марат Ахметұлы", SOC, "Басқарма басшысы", "district_prosecutor",
          "AP-003", y(15, 8, 1))
    # came from the courts four years and eight months ago: short of p.12's five years
    staff("AP-009", "Жұмабаева Салтанат Болатқызы", SOC, "Басқарма басшысының орынбасары",
          "deputy_district_prosecutor", "AP-008", s.months(s.as_of, -56))
    staff("AP-010", "Мұқанов Ерболат Құанышұлы", SOC, "Аға прокурор", "senior_assistant",
          "AP-008", y(8, 9, 1))
    staff("AP-011", "Әлімжанова Жанна Серікқызы", HR, "Кадр жұмысы басқармасының басшысы",
          "district_prosecutor", "AP-001", y(12, 8, 1),
          awards=[{"name": BADGE, "date": y(3, 6, 30), "kind": "departmental"}])
    s.person("AP-012", "Ибраева Сәуле Маратқызы", HR, "Психолог-полиграфолог", "AP-011",
             hired_on=y(10, 3, 1), prosecution_service_start=y(10, 3, 1),
             psychologist_polygraphologist=True)
    staff("AP-013", "Бейсенов Қайрат Ержанұлы", KOK, "Көкшетау қаласының прокуроры",
          "district_prosecutor", "AP-002", y(13, 8, 1))
    # four years here and two and a half years earlier in the prosecutor bodies (p.12)
    staff("AP-014", "Сапарова Әсел Нұрланқызы", KOK, "Қала прокурорының орынбасары",
          "deputy_district_prosecutor", "AP-013", y(4, 2, 1), prior_service_months=30)
    staff("AP-015", "Рахимов Тимур Асқарұлы", KOK, "Прокурордың аға көмекшісі",
          "senior_assistant", "AP-013", y(3, 9, 1))
    staff("AP-016", "Тұрсынов Бақытжан Оралұлы", BUR, "Бурабай ауданының прокуроры",
          "district_prosecutor", "AP-003", y(11, 8, 1))
    staff("AP-017", "Ахметова Мадина Қанатқызы", BUR, "Аудан прокурорының орынбасары",
          "deputy_district_prosecutor", "AP-016", y(6, 8, 1))
    staff("AP-018", "Серікбаев Нұржан Дәулетұлы", BUR, "Прокурордың көмекшісі", "assistant",
          "AP-016", y(2, 9, 1))
    staff("AP-019", "Оспанов Ғалым Серікұлы", BUR, "Аудан прокурорының орынбасары",
          "deputy_district_prosecutor", "AP-016", y(10, 8, 1))
    for number, name, reason in (("AP-030", "Сұлтанбеков Кеңес Жұмабайұлы", "length_of_service"),
                                 ("AP-031", "Сұлтанов Болат Әбдіұлы", "age_limit")):
        s.person(number, name, VET, "Прокуратура ардагері (зейнеткер)",
                 veteran_retired_reason=reason)

    # --- the dates the story turns on ------------------------------------------------------
    created = s.wd(-55)  # the Council of mentors
    first_meeting = s.wd(12, created)  # within a month (p.20), quorate
    second_meeting = s.wd(-4)  # not quorate
    year_end = lambda start: s.term_end(start, years=1)  # noqa: E731 - p.9, young employee
    hearing_due = lambda start: s.wd(-7, year_end(start))  # noqa: E731 - p.6
    # closed: the year ended after the first meeting, which heard the reports in time
    p6 = s.start_for(s.months(s.wd(10, first_meeting), -12) + dt.timedelta(days=1),
                     lambda d: hearing_due(d) > first_meeting and year_end(d) < s.wd(-5))
    # the year ends in about two weeks: the hearing falls due within five working days
    p7 = s.start_for(s.months(s.wd(10), -12) + dt.timedelta(days=1),
                     lambda d: s.wd(1) <= hearing_due(d) <= s.wd(5))

    newcomer("AP-028", "Жанұзақов Ерлан Маратұлы", SOC, "Прокурор", "AP-008", p6)
    newcomer("AP-023", "Есенова Дана Ерікқызы", SOC, "Прокурор", "AP-008", p7)
    newcomer("AP-026", "Байжанов Ернар Асқарұлы", BUR, "Прокурордың көмекшісі", "AP-016", s.wd(-121))
    newcomer("AP-021", "Төлегенова Аружан Ғаниқызы", CRIM, "Прокурор", "AP-004", s.wd(-81))
    newcomer("AP-025", "Қуанышева Ақбота Серікқызы", KOK, "Прокурордың көмекшісі", "AP-013", s.wd(-46))
    newcomer("AP-024", "Смағұлов Әлішер Русланұлы", KOK,
             "Академия тыңдаушысы (тағылымдамадан өтуші)", "AP-013", s.wd(-26), route="academy")
    newcomer("AP-022", "Мұратов Ерасыл Бағдатұлы", CRIM, "Прокурор", "AP-004", s.wd(-13))
    newcomer("AP-020", "Төлеубаев Дидар Қайратұлы", CRIM, "Прокурор", "AP-004", s.wd(-3))
    newcomer("AP-027", "Әбдірахманова Томирис Нұрланқызы", BUR, "Прокурордың көмекшісі",
             "AP-016", s.wd(-1))

    # --- mentorships, oldest first ---------------------------------------------------------
    approver = "Жақсылықов Н. С."
    m6 = s.assign("AP-028", "AP-008", p6)
    s.paper(m6, "programme", s.wd(3, p6), approver, {"sections": list(AREAS)})
    m7 = s.assign("AP-023", "AP-008", p7)
    s.paper(m7, "programme", s.wd(4, p7), approver, {"sections": list(AREAS)})
    m4 = s.assign("AP-026", "AP-019", s.wd(-120))
    s.paper(m4, "programme", s.wd(-116), approver, {"sections": list(AREAS)})
    m2 = s.assign("AP-021", "AP-004", s.wd(-80))
    s.paper(m2, "programme", s.wd(-77), approver, {"sections": list(AREAS)})
    m8 = s.assign("AP-025", "AP-014", s.wd(-45))
    s.paper(m8, "programme", s.wd(-40), approver, {"sections": list(AREAS[:4])})  # corporate culture left out
    # Galym Ospanov moves to the regional office (p.12(1)); Madina Akhmetova takes over
    s.replace(m4, "AP-017", s.wd(-30), "transfer")
    s.update("AP-019", unit=SOC, position="Басқарма басшысының орынбасары", manager="AP-008")
    m5 = s.assign("AP-024", "AP-013", s.wd(-25),
                  attributes={"internship_end": s.term_end(s.wd(-25), months=6).isoformat()})
    s.paper(m5, "programme", s.wd(-18), approver, {"sections": list(AREAS)})  # two working days late
    s.assign("AP-022", "AP-004", s.wd(-12))  # no programme yet: overdue
    s.assign("AP-020", "AP-004", s.wd(-2))  # Askar Omarov's third: the limit of p.13

    # the closed year: reports before the first meeting, the hearing at it, the evaluation
    s.paper(m6, "mentee_report", s.wd(-3, first_meeting))
    s.paper(m6, "mentor_report", s.wd(-2, first_meeting))
    s.paper(m6, "evaluation", s.wd(-2, year_end(p6)), "Исабеков М. А.")
    s.close(m6, year_end(p6))
    # the year ending soon: the mentee has reported, the mentor not yet
    s.paper(m7, "mentee_report", s.wd(-6))

    # --- the Council of mentors ------------------------------------------------------------
    w, services = s.work, s.services
    council = str(services.create_council(w, "Тәлімгерлер кеңесі", created,
                                          order_number=s.order(), order_date=created).id)
    for number, role, basis in (("AP-002", "chair", None),
                                ("AP-003", "deputy_chair", "service_awards"),
                                ("AP-011", "secretary", "service_awards"),
                                ("AP-004", "member", "service_awards"),
                                ("AP-012", "member", "psychologist_polygraphologist"),
                                ("AP-030", "member", "veteran"),
                                ("AP-031", "member", "veteran")):
        services.add_member(w, council, number, role, basis)

    present = ["AP-002", "AP-003", "AP-011", "AP-004", "AP-012", "AP-030"]  # 6 of 7
    meeting = str(services.add_meeting(w, council, first_meeting, present).id)
    everyone_for = {p: "for" for p in present}
    item = services.add_item(w, meeting, "Кеңес мүшелерінің міндеттерін бөлу және Тәлімгерлер "
                             "кеңесі туралы ереженің жобасы (20-т.)")
    services.record_votes(w, str(item.id), everyone_for)
    item = services.add_item(w, meeting, "Тәлімгер М. А. Исабеков пен жас қызметкер "
                             "Е. М. Жанұзақовтың есептерін тыңдау (6, 10, 14-т.)", hearing=m6)
    services.record_votes(w, str(item.id), everyone_for)
    # three for, three against: the side the chair voted for wins (p.21)
    item = services.add_item(w, meeting, "Тәлімгер М. А. Исабековты ведомстволық наградаға "
                             "ұсыну туралы өтінішхат (22-т.)")
    services.record_votes(w, str(item.id), {"AP-002": "for", "AP-003": "for", "AP-012": "for",
                                            "AP-011": "against", "AP-004": "against",
                                            "AP-030": "against"})

    present = ["AP-002", "AP-011", "AP-012", "AP-030"]  # 4 of 7: fewer than 2/3
    meeting = str(services.add_meeting(w, council, second_meeting, present).id)
    item = services.add_item(w, meeting, "Тәлімгер М. А. Исабеков пен жас қызметкер "
                             "Д. Е. Есенованың есептерін тыңдау (6, 10, 14-т.)", hearing=m7)
    services.record_votes(w, str(item.id), {p: "for" for p in present})

    work_standards(s, {"AP-028": (p6, year_end(p6), m6), "AP-023": (p7, s.as_of, m7),
                       "AP-021": (s.wd(-80), s.as_of, m2)})


# --- work standards (order No. 159 of 2015) ---------------------------------------------------

#: the technological scheme of a prosecutor supervising legality (p.5): types of work, their
#: actions, a time norm in minutes and the requirement on each action's result
SCHEME = [
    ("Азаматтардың өтініштерін қарау", "A1", "Өтінішті зерделеу және тексеру", 90,
     "Заңда белгіленген мерзімде қаралған, барлық дәлелдерге жауап берілген"),
    ("Азаматтардың өтініштерін қарау", "A2", "Өтінішке жауап жобасын дайындау", 60,
     "Дәлелді, қолданылған заң нормаларына сілтеме жасалған"),
    ("Процестік шешімдердің заңдылығын тексеру", "B1",
     "Сотқа дейінгі тергеп-тексеру материалдарын зерделеу", 120,
     "Бұзушылықтар анықталып, құжатталған"),
    ("Процестік шешімдердің заңдылығын тексеру", "B2", "Прокурорлық қадағалау актісін дайындау",
     180, "Негізделген, тікелей басшымен келісілген"),
    ("Ақпараттық есепке алу", "C1", "Нәтижені бірыңғай тізілімге енгізу", 15,
     "Шешім қабылданған күні енгізілген"),
]
#: what a mentee does in a month: action -> (count, of them meeting the requirement), growing
#: with the months of mentorship
MONTHLY = {"A1": (8, 7), "A2": (8, 7), "B1": (5, 4), "B2": (3, 2), "C1": (16, 16)}


def work_standards(s, mentees: dict) -> None:
    """The scheme of a prosecutor (approved by the head of the criminal prosecution
    supervision department, coordinated with HR), the mentees' work month by month, and the
    stage-3 assessments of the mentorship that ended and of the one ending soon."""
    ws = s.services.work_standards
    w = s.work
    since = s.years_ago(2, 1, 1)
    rows = [["work_type", "action_code", "action", "time_norm_minutes", "result_requirement"],
            *[list(r) for r in SCHEME]]
    ws.import_scheme(w, rows, "Прокурор", "Заңдылықты қадағалау", source="demo",
                     approved_by="Омаров А. Т.", approved_on=since - dt.timedelta(days=10),
                     in_force_from=since, hr_coordinated_by="Әлімжанова Ж. С.")
    for number, (start, end, _mentorship) in mentees.items():
        month, n = start, 0
        while month <= end - dt.timedelta(days=1):
            last = min(s.months(month.replace(day=1), 1) - dt.timedelta(days=1),
                       end - dt.timedelta(days=1))
            for code, (count, met) in MONTHLY.items():
                grown = count + min(n, 4)  # a mentee takes on more as the months go by
                ws.record_work(w, number, code, month, last, grown, min(met + min(n, 4), grown))
            month, n = last + dt.timedelta(days=1), n + 1
    _, ended, m6 = mentees["AP-028"]
    ws.record_assessment(w, m6, "mentor", s.wd(-3, ended), "AP-008",
                         training_level="Кәсіби даярлығы лауазымға сәйкес",
                         work_efficiency="Жүктемені толық орындайды, нәтижелер талаптарға сай",
                         legal_culture="Жоғары", ability="Міндеттерді дербес орындауға қабілетті",
                         conclusion="Атқаратын лауазымына сәйкес келеді")
    ws.record_assessment(w, m6, "manager", s.wd(-2, ended), "AP-008",
                         conclusion="Тәлімгердің бағасымен келісемін")
    _, _, m7 = mentees["AP-023"]
    ws.record_assessment(w, m7, "mentor", s.wd(-1), "AP-008",
                         work_efficiency="Жүктеме нормативтен төмен, өтініштер бойынша нәтижелер "
                                         "жақсарып келеді",
                         conclusion="Тәлімгерлікті аяқтауға дайын")
