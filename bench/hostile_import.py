"""Time and memory of reading hostile import files (services.spreadsheet, issue 12), and
of reading a legitimate 100,000-person workbook, each in a child process of its own (a
clean peak RSS). Prints figures; asserts nothing but that each hostile file is refused
and the legitimate one read.

    .venv/bin/python bench/hostile_import.py [--only NAME] [--people 100000] [--openpyxl]

--openpyxl also reads the legitimate workbook with openpyxl's read-only mode, as the
import did before, to compare. The hostile files (built in a temporary folder):

- bomb: under 1 MB packed, 246 MB unpacked, 3 million rows (as the issue's 279 MB workbook);
- rows: 300,000 rows packed as a sheet packs (under the ratio and the size bounds);
- far-row: one row numbered 1,048,576 (the sheet's last), a header before it;
- cell: one 200 MB cell packed 200 times (refused as a bomb), and one 20 MB cell of
  random letters (packed 1.3 times: read, and refused as longer than a cell);
- elements: 21 million empty elements outside any row, packed as text packs (past the
  element bound, 12 million; under the size and ratio bounds);
- csv-quote: 100,000 rows, a quote opened on the second and never closed;
- csv-delimiters: one line of 60 million delimiters.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import string
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org'
        '/spreadsheetml/2006/main"><sheetData>')
TAIL = "</sheetData></worksheet>"
PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Staff" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>number</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>full_name</t></is></c></row>')


def workbook(path: Path, chunks, level: int = 9) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((HEAD + HEADER).encode())
            for chunk in chunks:
                sheet.write(chunk.encode())
            sheet.write(TAIL.encode())
    return path


def build(name: str, folder: Path, people: int) -> Path:
    rng = random.Random(1)
    if name == "bomb":
        block = '<row><c t="inlineStr"><is><t>Иванов Иван Иванович</t></is></c></row>' * 3000
        return workbook(folder / "bomb.xlsx", (block for _ in range(1000)))
    if name == "rows":
        return workbook(folder / "rows.xlsx", (
            f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}" t="inlineStr"><is><t>P{n}</t>'
            f'</is></c></row>' for n in range(2, 300_002)))
    if name == "far-row":
        return workbook(folder / "far.xlsx", ['<row r="1048576"><c r="A1048576"><v>1</v></c></row>'])
    if name == "cell-bomb":
        return workbook(folder / "cell-bomb.xlsx", ['<row r="2"><c r="A2" t="inlineStr"><is><t>']
                        + ["x" * 2**20] * 200 + ["</t></is></c></row>"])
    if name == "cell":
        letters = "".join(rng.choices(string.ascii_letters, k=2**20))
        return workbook(folder / "cell.xlsx", ['<row r="2"><c r="A2" t="inlineStr"><is><t>']
                        + [letters] * 20 + ["</t></is></c></row>"])
    if name == "elements":  # tags of random letters: packed ~7 times, under the ratio bound
        block = "".join(rng.choices([f"<{c}/>" for c in string.ascii_letters], k=100_000))
        return workbook(folder / "elements.xlsx", [block] * 210, level=1)  # repeats past deflate's window
    if name == "csv-quote":
        path = folder / "quote.csv"
        lines = ["number;full_name", 'S1;"Never closed'] + [f"S{i};Person {i}" for i in range(2, 100_000)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    if name == "csv-delimiters":
        path = folder / "delimiters.csv"
        path.write_bytes(b"number;full_name\n" + b";" * 60_000_000 + b"\n")
        return path
    if name == "legit":
        import openpyxl

        sys.path.insert(0, str(ROOT / "bench"))
        from import_people import generate

        columns, rows = generate(people, "civil_service_2013", 1)
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(columns)
        for r in rows:
            sheet.append([r.get(c, "") for c in columns])
        book.save(folder / "legit.xlsx")
        return folder / "legit.xlsx"
    raise SystemExit(f"unknown case {name}")


CASES = ["bomb", "rows", "far-row", "cell-bomb", "cell", "elements", "csv-quote",
         "csv-delimiters", "legit"]


def child(path: str, reader: str) -> dict:
    """Read the file (in this child process); the figures."""
    from nastavnik.core.errors import InputError
    from nastavnik.services import spreadsheet

    start = time.perf_counter()
    outcome = None
    try:
        if reader == "openpyxl":
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
            book.close()
        else:
            rows = spreadsheet.read_rows(path)
        outcome = f"read {len(rows):,} rows"
    except InputError as exc:
        errors = getattr(exc, "errors", None)
        outcome = f"refused: {errors[0] if errors else exc}"
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "outcome": outcome[:160]}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=CASES)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--openpyxl", action="store_true")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child)))
        return
    with tempfile.TemporaryDirectory(prefix="nastavnik-hostile-") as folder:
        for name in [args.only] if args.only else CASES:
            t = time.perf_counter()
            path = build(name, Path(folder), args.people)
            built = time.perf_counter() - t
            size = path.stat().st_size
            unpacked = ""
            if path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as z:
                    unpacked = f", {sum(i.file_size for i in z.infolist()) / 2**20:,.0f} MB unpacked"
            print(f"{name}: {size / 2**20:,.1f} MB{unpacked} (built in {built:.0f} s)")
            readers = ["spreadsheet"] + (["openpyxl"] if args.openpyxl and name == "legit" else [])
            for reader in readers:
                out = subprocess.run([sys.executable, __file__, "--child", str(path), reader],
                                     capture_output=True, text=True, cwd=ROOT)
                if out.returncode:
                    print(f"  {reader}: failed\n{out.stderr[-2000:]}")
                    continue
                figures = json.loads(out.stdout)
                print(f"  {reader:<11} {figures['seconds']:6.2f} s, peak RSS "
                      f"{figures['peak_rss_mb']:5.0f} MB: {figures['outcome']}")
            os.remove(path)


if __name__ == "__main__":
    main()
