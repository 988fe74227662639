"""A plugin's paper layout (YAML) made into a Word template with Jinja tags.

A layout is a list of blocks, each a one-key mapping; text may hold Jinja tags
(``{{ mentee.name }}``) that docxtpl fills in later::

    - title: ПРИКАЗ                    # centred, bold
    - center: "№ {{ order.number }}"   # centred
    - right: "УТВЕРЖДАЮ\\n..."           # right-aligned, lines kept
    - p: "Закрепить ..."               # a justified paragraph
    - note: "Основание: п.7 ..."       # small italic, for the paragraph cited
    - control: "for s in sections"     # a docxtpl paragraph tag: {%p for s in sections %}
    - table: {header: [...], each: "m in members", cells: ["{{ m.name }}", ...]}
    - table: {header: [...], rows: [[...], [...]]}   # fixed rows
    - signature: {left: "Председатель", right: "{{ chair.name }}"}

The Word file made here is what a tenant downloads to start its own template from, so it
is plain Word: styles, no macros, tags in single runs.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import yaml
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt

from ..core.errors import RegimeError

FONT = "Times New Roman"  # the font of official papers in both countries


def _document():
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(13)
    normal.paragraph_format.space_after = Pt(4)
    return doc


def _lines(paragraph, text: str, bold: bool = False, italic: bool = False, size=None):
    for n, line in enumerate(str(text).split("\n")):
        run = paragraph.add_run(line)
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
        if n < len(str(text).split("\n")) - 1:
            run.add_break()
    return paragraph


def _table(doc, spec: dict, where: str) -> None:
    header, cells, each = spec.get("header") or [], spec.get("cells") or [], spec.get("each")
    fixed = spec.get("rows") or []
    width = len(header or cells or (fixed[0] if fixed else []))
    if not width or any(len(row) != width for row in [*fixed, *([cells] if cells else [])]):
        raise RegimeError(f"{where}: a table needs rows or cells, as many as its header")
    if each and not cells:
        raise RegimeError(f"{where}: a table repeated for {each!r} needs its cells")
    rows = (1 if header else 0) + len(fixed) + ((3 if each else 1) if cells else 0)
    table = doc.add_table(rows=rows, cols=width)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    r = 0
    if header:
        for cell, text in zip(table.rows[0].cells, header):
            _lines(cell.paragraphs[0], text, bold=True, size=11)
        r = 1
    for row in fixed:
        for cell, text in zip(table.rows[r].cells, row):
            _lines(cell.paragraphs[0], text, size=11)
        r += 1
    if not cells:
        return
    if each:  # docxtpl repeats the row between {%tr for %} and {%tr endfor %}
        table.rows[r].cells[0].paragraphs[0].add_run(f"{{%tr for {each} %}}")
        r += 1
    for cell, text in zip(table.rows[r].cells, cells):
        _lines(cell.paragraphs[0], text, size=11)
    if each:
        table.rows[r + 1].cells[0].paragraphs[0].add_run("{%tr endfor %}")


def build_template(layout: list, where: str = "layout") -> bytes:
    """The Word template (bytes) of a layout."""
    if not isinstance(layout, list):
        raise RegimeError(f"{where}: a layout is a list of blocks")
    doc = _document()
    for n, block in enumerate(layout, 1):
        if not isinstance(block, dict) or len(block) != 1:
            raise RegimeError(f"{where}: block {n} must have exactly one key")
        (kind, value), = block.items()
        if kind == "title":
            p = _lines(doc.add_paragraph(), value, bold=True, size=14)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "center":
            _lines(doc.add_paragraph(), value).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "right":
            _lines(doc.add_paragraph(), value).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif kind in ("p", "bold"):
            p = _lines(doc.add_paragraph(), value, bold=kind == "bold")
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            p.paragraph_format.first_line_indent = Cm(1.25)
        elif kind == "note":
            _lines(doc.add_paragraph(), value, italic=True, size=10)
        elif kind == "control":
            doc.add_paragraph(f"{{%p {value} %}}")
        elif kind == "table":
            _table(doc, value or {}, f"{where}: block {n}")
        elif kind == "signature":
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(18)
            p.paragraph_format.tab_stops.add_tab_stop(Cm(16.5), WD_TAB_ALIGNMENT.RIGHT)
            _lines(p, f"{value.get('left', '')}\t{value.get('right', '')}")
        else:
            raise RegimeError(f"{where}: block {n}: unknown kind {kind!r}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def template_bytes(path: Path) -> bytes:
    """A built-in template as Word bytes: a .docx as it is, a .yaml layout built (once per
    version of the file: the same bytes on every download, no rebuilding per paper)."""
    path = Path(path)
    if path.suffix == ".docx":
        return path.read_bytes()
    return _built(path, path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _built(path: Path, _version: int) -> bytes:
    try:
        layout = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RegimeError(f"{path}: {exc}") from exc
    return build_template(layout, str(path))
