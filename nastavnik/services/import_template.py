"""A file to fill in for the staff import (services.importing), per regime: the columns
the import reads, named as it reads them, and an example row that imports as it is.

XLSX: the columns on the first sheet (each heading with its title and help as a comment,
the example row under them) and a second sheet listing every column with its title, help
and whether it is required, in the user's language. CSV: the headings and the example row
(a CSV file has no room for more)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from ..core import schema_labels, validation
from ..core.errors import InputError
from ..core.i18n import Text
from .documents import Rendered, check_language
from .exports import CSV, FORMATS, XLSX
from .importing import BASE_COLUMNS
from .unit import TenantWork

EXAMPLE_DAY = "2026-03-02"
BASE = {  # column: (title, help, example)
    "number": (Text("Табельный номер", "Табель нөмірі", "Personnel number"),
               Text("Обязательно; уникален в органе", "Міндетті; органда бірегей",
                    "Required; unique in the body"), "T-0001"),
    "full_name": (Text("ФИО", "Аты-жөні", "Full name"), Text("Обязательно", "Міндетті", "Required"),
                  Text("Иванов Иван Иванович", "Сейітов Асқар Ерланұлы", "Ivan Ivanov")),
    "unit": (Text("Подразделение", "Бөлімше", "Unit"), None,
             Text("Отдел кадров", "Кадр бөлімі", "Human resources")),
    "position": (Text("Должность", "Лауазымы", "Position"), None,
                 Text("Главный специалист", "Бас маман", "Chief specialist")),
    "manager": (Text("Руководитель (табельный номер)", "Басшысы (табель нөмірі)",
                     "Manager (personnel number)"),
                Text("Табельный номер непосредственного руководителя: в файле или уже в системе",
                     "Тікелей басшының табель нөмірі: файлда немесе жүйеде бар",
                     "The direct manager's personnel number: in the file or already recorded"),
                ""),
    "hired_on": (Text("Дата приема", "Қабылданған күні", "Hired on"),
                 Text("ГГГГ-ММ-ДД или ДД.ММ.ГГГГ", "ЖЖЖЖ-АА-КК немесе КК.АА.ЖЖЖЖ",
                      "YYYY-MM-DD or DD.MM.YYYY"), EXAMPLE_DAY),
    "valid_from": (Text("Сведения действуют с", "Мәліметтер күшіне енген күн", "Facts hold from"),
                   Text("С какого дня действуют подразделение, должность, руководитель и "
                        "атрибуты строки; пусто — с даты импорта",
                        "Жолдың бөлімшесі, лауазымы, басшысы мен атрибуттары қай күннен бастап "
                        "күшінде; бос болса — импорт күнінен",
                        "The day the row's unit, position, manager and attributes hold from; "
                        "empty: the import's day"), ""),
}
YES = {"ru": "да", "kk": "иә", "en": "yes"}
SHEET = Text("Сотрудники", "Қызметкерлер", "People")
COLUMNS_SHEET = Text("Столбцы", "Бағандар", "Columns")
HEADINGS = (Text("Столбец", "Баған", "Column"), Text("Что это", "Бұл не", "What it is"),
            Text("Пояснение", "Түсіндірме", "Help"), Text("Обязательный", "Міндетті", "Required"))


def _attribute_columns(schema: dict) -> list[tuple[str, dict, bool]]:
    """(column name, schema node, required) of the regime's person attributes: an object
    with properties as a column per property (``assessment.year``), else one column."""
    out = []
    required = set(schema.get("required") or ())
    for key, node in schema_labels.properties(schema).items():
        inner = schema_labels.properties(node) if node.get("type") == "object" else {}
        if inner:
            out += [(f"{key}.{leaf}", sub, False) for leaf, sub in inner.items()]
        else:
            out.append((key, node, key in required))
    return out


def _example(node: dict, lang: str):
    """A value of ``node`` as a cell holds it, or "" when none can be made up."""
    if node.get("examples"):
        return node["examples"][0]
    if "default" in node:
        return node["default"]
    if node.get("enum"):
        value = node["enum"][0]
        return YES[lang] if value is True else value
    kind = node.get("type")
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if kind == "string" and node.get("format") == "date":
        return EXAMPLE_DAY
    if kind == "boolean":
        return YES[lang]
    if kind in ("integer", "number"):
        return node.get("minimum", 0)
    if kind == "array":
        return "[]"
    return ""


def _title(column: str, node: dict | None, lang: str) -> tuple[str, str]:
    if column in BASE:
        title, help_, _ = BASE[column]
        return title.localize(lang), help_.localize(lang) if help_ else ""
    leaf = column.rpartition(".")[2]
    return schema_labels.node_title(node, leaf, lang), schema_labels.node_help(node, lang)


def template_table(work: TenantWork, lang: str) -> tuple[list, list, list]:
    """(column names, the example row, [(column, title, help, required)])."""
    schema = work.regime.person_schema
    attributes = _attribute_columns(schema)
    columns = list(BASE_COLUMNS) + [name for name, _, _ in attributes]
    nodes = {name: node for name, node, _ in attributes}
    example = {c: (v.localize(lang) if isinstance(v, Text) else v)
               for c, (_, _, v) in BASE.items()}
    example.update({name: _example(node, lang) for name, node, _ in attributes})
    _keep_valid(work, example, nodes)
    labels = [(c, *_title(c, nodes.get(c), lang),
               c in ("number", "full_name") or any(n == c and r for n, _, r in attributes))
              for c in columns]
    return columns, [example[c] for c in columns], labels


def _keep_valid(work: TenantWork, example: dict, nodes: dict) -> None:
    """Empty the example's attribute cells the regime's schema refuses (a pattern, a
    condition between fields), until the row is one the import takes."""
    from .importing import _coerce

    for _ in range(len(nodes) + 1):
        attributes: dict = {}
        for name, node in nodes.items():
            if example[name] in ("", None):
                continue
            *parents, leaf = name.split(".")
            target = attributes
            for part in parents:
                target = target.setdefault(part, {})
            target[leaf] = _coerce(str(example[name]), node)
        wrong = validation.problems(attributes, work.regime.person_schema)
        if not wrong:
            return
        for problem in wrong:
            field = "" if problem.field == "(top level)" else problem.field
            for name in nodes:  # the field, or every column of the object it names
                if name == field or name.startswith(field + ".") or not field:
                    example[name] = ""
    raise InputError("no example row the regime's schema takes", field="template")


def import_template(work: TenantWork, fmt: str, lang: str | None = None) -> Rendered:
    """The file to fill in for an import into ``work``'s tenant, as xlsx or csv."""
    if fmt not in FORMATS:
        raise InputError(f"one of {', '.join(FORMATS)}", field="format")
    lang = check_language(lang, work)
    columns, example, labels = template_table(work, lang)
    name = f"{work.tenant.slug}-import-template-{dt.date.today().isoformat()}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerow(example)
        return Rendered(out.getvalue().encode("utf-8-sig"), name, CSV)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET.localize(lang)
    sheet.append(columns)
    sheet.append(example)
    for cell, (_column, title, help_, _required) in zip(sheet[1], labels):
        cell.font = Font(bold=True)
        cell.comment = Comment(f"{title}\n{help_}".strip(), "nastavnik")
        sheet.column_dimensions[cell.column_letter].width = max(12, len(cell.value) + 2)
    sheet.freeze_panes = "A2"
    listing = book.create_sheet(COLUMNS_SHEET.localize(lang))
    listing.append([h.localize(lang) for h in HEADINGS])
    for cell in listing[1]:
        cell.font = Font(bold=True)
    for column, title, help_, required in labels:
        listing.append([column, title, help_, YES[lang] if required else ""])
    for letter, width in zip("ABCD", (28, 40, 80, 12)):
        listing.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return Rendered(out.getvalue(), name, XLSX)
