"""The compliance report and the lists of people and mentorships as spreadsheets: XLSX
(openpyxl) and CSV (UTF-8 with a byte-order mark, so that Excel reads Cyrillic and
Kazakh letters right). The rows are what the other services return; nothing is judged here.

    with services.tenant("akmola-prosecutors", "hr:aigerim") as t:
        doc = exports.export(t, "compliance", "xlsx", as_of=date(2026, 3, 2), lang="ru")
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from ..core.errors import InputError
from ..core.i18n import Text
from .compliance import compliance_report
from .deadlines import deadline_rows, filter_deadlines
from .documents import Rendered, check_language
from .people import list_people
from .unit import TenantWork

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
WHAT = ("compliance", "people", "mentorships", "deadlines")

H = {  # column headings
    "type": Text("Вид", "Түрі", "Type"), "rule": Text("Правило", "Қағида", "Rule"),
    "paragraph": Text("Пункт", "Тармақ", "Paragraph"),
    "severity": Text("Серьезность / статус", "Маңыздылығы / мәртебесі", "Severity / status"),
    "mentee": Text("Наставляемый (таб. №)", "Тәлімгерлік алушы (таб. №)", "Mentee (number)"),
    "kind": Text("Что", "Не", "What"), "due": Text("Срок", "Мерзімі", "Due"),
    "done_on": Text("Исполнено", "Орындалды", "Done on"),
    "message": Text("Пояснение", "Түсіндірме", "Explanation"),
    "subject": Text("Объект", "Объект", "Subject"),
    "number": Text("Таб. №", "Таб. №", "Number"), "full_name": Text("ФИО", "Аты-жөні", "Full name"),
    "unit": Text("Подразделение", "Бөлімше", "Unit"), "position": Text("Должность", "Лауазымы", "Position"),
    "manager": Text("Руководитель (таб. №)", "Басшысы (таб. №)", "Manager (number)"),
    "hired_on": Text("Принят", "Қабылданды", "Hired on"),
    "id": Text("Идентификатор", "Сәйкестендіргіш", "Id"),
    "mentee_name": Text("Наставляемый", "Тәлімгерлік алушы", "Mentee"),
    "mentor": Text("Наставник (таб. №)", "Тәлімгер (таб. №)", "Mentor (number)"),
    "mentor_name": Text("Наставник", "Тәлімгер", "Mentor"),
    "start": Text("Начало", "Басталуы", "Start"), "ended_on": Text("Окончено", "Аяқталды", "Ended on"),
    "status": Text("Статус", "Мәртебесі", "Status"),
    "fallback": Text("По исключению", "Ерекшелік бойынша", "Under an exception"),
    "unit_of_mentee": Text("Подразделение наставляемого", "Тәлімгерлік алушының бөлімшесі",
                           "Mentee's unit"),
}
KINDS = {"finding": Text("нарушение/замечание", "бұзушылық/ескерту", "finding"),
         "deadline": Text("срок", "мерзім", "deadline")}
#: how a cell a spreadsheet would read as a formula begins (CSV/formula injection: a name
#: like =HYPERLINK("http://...") would run, or leak data, in whoever opens the export)
FORMULA = ("=", "+", "-", "@", "\t", "\r")
SHEETS = {"compliance": Text("Соответствие", "Сәйкестік", "Compliance"),
          "people": Text("Сотрудники", "Қызметкерлер", "People"),
          "mentorships": Text("Наставничества", "Тәлімгерліктер", "Mentorships"),
          "deadlines": Text("Сроки", "Мерзімдер", "Deadlines")}


def _compliance(work: TenantWork, as_of: dt.date, lang: str) -> tuple[list, list]:
    report = compliance_report(work, as_of)
    columns = ["type", "rule", "paragraph", "severity", "mentee", "kind", "due", "done_on",
               "message", "subject"]
    rows = [[KINDS["finding"].localize(lang), f["rule"], f["paragraph"], f["severity"],
             f["mentee"], None, None, None, f["message"][lang], f["subject"]]
            for f in report["findings"]]
    rows += [[KINDS["deadline"].localize(lang), d["rule"], d["paragraph"], d["status"],
              d["mentee"], d["kind"], d["due"], d["done_on"], d["message"][lang], d["subject"]]
             for d in report["deadlines"]]
    return columns, rows


def _people(work: TenantWork, as_of, lang) -> tuple[list, list]:
    people = list_people(work)
    numbers = {p.id: p.number for p in people}
    columns = ["number", "full_name", "unit", "position", "manager", "hired_on"]
    return columns, [[p.number, p.full_name, p.unit, p.position, numbers.get(p.manager_id),
                      p.hired_on.isoformat() if p.hired_on else None] for p in people]


def _mentorships(work: TenantWork, as_of, lang) -> tuple[list, list]:
    from .views import mentorship_rows

    columns = ["id", "mentee", "mentee_name", "kind", "start", "ended_on", "status", "mentor",
               "mentor_name", "fallback"]
    rows = []
    for r in mentorship_rows(work):
        rows.append([r[c].isoformat() if isinstance(r[c], dt.date) else r[c] for c in columns])
    return columns, rows


def _deadlines(work: TenantWork, as_of, lang, within: int = 5, filters: dict | None = None,
               sort: str = "due", descending: bool = False) -> tuple[list, list]:
    """The deadlines page's rows, as filtered and sorted there (services.deadlines)."""
    rows, _soon = deadline_rows(work, as_of, within)
    columns = ["due", "severity", "mentee", "mentee_name", "unit_of_mentee", "mentor",
               "mentor_name", "kind", "paragraph", "done_on", "message"]
    return columns, [[r["due"], r["status"], r["mentee"], r["mentee_name"], r["unit"],
                      r["mentor"], r["mentor_name"], r["kind"], r["paragraph"], r["done_on"],
                      r["message"][lang]]
                     for r in filter_deadlines(rows, filters, sort, descending)]


TABLES = {"compliance": _compliance, "people": _people, "mentorships": _mentorships,
          "deadlines": _deadlines}


def table(work: TenantWork, what: str, as_of: dt.date | None = None,
          lang: str | None = None, **options) -> tuple[list[str], list[list]]:
    """(headings in ``lang``, rows) of an export; ``options`` are the deadlines' (within,
    filters, sort, descending)."""
    if what not in TABLES:
        raise InputError(f"one of {', '.join(WHAT)}", field="what")
    lang = check_language(lang, work)
    columns, rows = TABLES[what](work, as_of or dt.date.today(), lang, **options)
    return [H[c].localize(lang) for c in columns], rows


def _formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA)  # text only: not our numbers


def _csv_cell(value):
    """A quote first makes the spreadsheet read text that looks like a formula as text."""
    if value is None:
        return ""
    return "'" + value if _formula_like(value) else value


def _as_text(cell) -> None:
    """openpyxl writes a string beginning with = as a formula: make it a string, and mark
    it as Excel does when one types a quote first, so it stays text once edited."""
    cell.data_type, cell.quotePrefix = "s", True


def export(work: TenantWork, what: str, fmt: str, as_of: dt.date | None = None,
           lang: str | None = None, **options) -> Rendered:
    """The export ``what`` (compliance, people, mentorships, deadlines) as xlsx or csv."""
    if fmt not in FORMATS:
        raise InputError(f"one of {', '.join(FORMATS)}", field="format")
    as_of = as_of or dt.date.today()
    headings, rows = table(work, what, as_of, lang, **options)
    name = f"{work.tenant.slug}-{what}-{as_of.isoformat()}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headings)
        writer.writerows([_csv_cell(v) for v in row] for row in rows)
        return Rendered(out.getvalue().encode("utf-8-sig"), name, CSV)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEETS[what].localize(check_language(lang, work))
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, row in enumerate(rows, start=2):  # control characters XLSX cannot hold show as �
        values = [ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v
                  for v in row]
        sheet.append(values)
        for column in (c for c, v in enumerate(values, start=1) if _formula_like(v)):
            _as_text(sheet.cell(n, column))
    sheet.freeze_panes = "A2"
    for column, heading in zip(sheet.columns, headings):
        width = max([len(str(heading))] + [len(str(c.value or "")) for c in column[1:200]])
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
    out = io.BytesIO()
    book.save(out)
    return Rendered(out.getvalue(), name, XLSX)
