"""The work standards of the prosecutor bodies: Rules for setting work standards (algorithm,
rules and requirements for the results of an employee's activity on a specific work area),
order of the Prosecutor General No. 159 of 26 December 2015, registered No. 12728 (text:
shared/regulations/prosecutor_work_standards_2015.kk.txt).

Technological schemes per position and activity direction (p.2) list the types of work, the
exact actions of each, a time norm per action and the requirement on each action's result
(p.5). The standards regulate the service workload, are taken into account when employees
are evaluated and when staff numbers are set (p.3) - for a mentee, at stage 3 of the
mentorship (Rules of mentorship p.6(3), p.11). The arithmetic is the core's
(``core/workload.py``); this module says which act and which paragraphs explain it, and how
long a working day is.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from pathlib import Path

from nastavnik.core import hookimpl
from nastavnik.core.rules import load_rules
from nastavnik.core.workload import WorkStandards

ACT = "prosecutor_work_standards_2015"
CATALOGUE = Path(__file__).parent / "work_standards.yaml"

#: The order itself fixes no length of the working day. The Labour Code of the Republic of
#: Kazakhstan (art. 68) caps normal working time at 40 hours a week, i.e. 8 hours a day on
#: the five-day week of the calendar: the default unless the tenant sets working_day_hours.
DEFAULT_WORKING_DAY_HOURS = 8

CITATION = {
    "ru": "Правила установления стандартов работы (алгоритм, правила и требования к результатам "
          "деятельности сотрудника на конкретном участке работы) в органах прокуратуры "
          "Республики Казахстан, утвержденные приказом Генерального Прокурора Республики "
          "Казахстан от 26 декабря 2015 года № 159 (зарегистрирован в Министерстве юстиции "
          "31 декабря 2015 года № 12728)",
    "kk": "Қазақстан Республикасының прокуратура органдарында жұмыс стандарттарын "
          "(қызметкердің нақты жұмыс учаскесіндегі қызмет нәтижелеріне қойылатын алгоритм, "
          "қағидалар және талаптар) белгілеу қағидалары, Қазақстан Республикасы Бас "
          "Прокурорының 2015 жылғы 26 желтоқсандағы № 159 бұйрығымен бекітілген (Әділет "
          "министрлігінде 2015 жылы 31 желтоқсанда № 12728 болып тіркелді)",
    "en": "Rules for setting work standards (algorithm, rules and requirements for the results "
          "of an employee's activity on a specific work area) in the prosecutor bodies of the "
          "Republic of Kazakhstan, approved by order of the Prosecutor General No. 159 of "
          "26 December 2015 (registered by the Ministry of Justice on 31 December 2015, "
          "No. 12728)",
}

FIGURE_RULES = {
    "normative_time": f"{ACT}.p5.normative_time",
    "working_time": f"{ACT}.p3.working_time",
    "load": f"{ACT}.p3.load",
    "compliance": f"{ACT}.p4.compliance",
    "staff_number": f"{ACT}.p3.staff_number",
    "approval": f"{ACT}.p6.approval",
}


@lru_cache(maxsize=1)
def _rules():
    rules, _ = load_rules(CATALOGUE)
    return {figure: rules[rule_id] for figure, rule_id in FIGURE_RULES.items()}


@hookimpl
def work_standards(ctx):
    hours = ctx.settings.get("working_day_hours")
    return WorkStandards(
        act=ACT, citation=CITATION, rules=_rules(),
        hours_per_day=Fraction(str(hours if hours is not None else DEFAULT_WORKING_DAY_HOURS)),
        hours_source="setting" if hours is not None else "default",
        # the workload feeds stage 3 of the mentorship: the evaluation of p.6(3), p.11
        evaluation_rule=ctx.rule("prosecutor_2022.p11.evaluation"), evaluation_paper="evaluation")
