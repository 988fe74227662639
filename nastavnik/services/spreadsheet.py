"""Reading a spreadsheet someone sent (CSV or XLSX) as hostile input: bounded in size,
lines, columns, cell length and XML work, read as a stream, and refused with an error
naming the line (or the file) as soon as a bound is passed. Nothing is dropped silently:
a value past the last column read, past the last line read, or longer than a cell holds
is an error, not left out.

The rows come back as lists of cell values, the header first, row n being line n + 1 of
the file as a spreadsheet shows it (empty lines are kept so that this holds): str for
CSV; str, int, float, bool, datetime/time/timedelta or None for XLSX, as openpyxl's
read-only, data-only mode gives them.

XLSX is read here, not by openpyxl's reader: opening a workbook there parses every
sheet that has no ``<dimension>`` to its end (however many rows, before a row could be
counted), its XML trees keep every element they do not know, and a cell's text is
built whole before anyone can measure it. The parts are read with expat, streaming,
holding no tree: the workbook and its relationships (which part is the first sheet),
the styles (which cells are dates, decided by openpyxl's own rules), the shared strings
and the first sheet, stopping at the first bound passed. A DTD is refused (so no entity
is declared, let alone expanded), and the zip's declared sizes bound what is inflated
(zipfile stops at a member's declared size and checks its CRC).
"""

from __future__ import annotations

import csv
import functools
import math
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from types import SimpleNamespace
from xml.parsers import expat

from ..core.errors import InputError

MAX_FILE_BYTES = 64 * 2**20  # the file as sent: a 100,000-person CSV is ~20 MB, its XLSX ~8 MB
MAX_ROWS = 200_000  # lines, the header and empty lines included: twice the largest staff served
MAX_COLUMNS = 100  # an import has a few dozen columns it knows; a value past column 100 is refused
MAX_CELL = 32_767  # characters: the most an Excel cell holds
MAX_ERRORS = 100  # errors listed; all are counted
MAX_MESSAGE = 500  # characters of one error's message (a schema error quotes the value)

MAX_XLSX_BYTES = 256 * 2**20  # the workbook's parts unpacked: 100,000 rows as openpyxl writes them are 111 MB
MAX_PARTS = 1_000  # members of the zip; a workbook has a dozen or two
MAX_RATIO = 100  # unpacked / packed size of a part over 1 MB: a sheet packs 5-20 times
RATIO_FROM = 2**20
MAX_XML_ELEMENTS = 12_000_000  # in all parts read: 200,000 rows of 19 cells as openpyxl writes them (3 a cell)
MAX_XML_DEPTH = 64  # a sheet nests 7 deep
MAX_SHARED_STRINGS = 1_000_000
MAX_CSV_RECORD = 2 * MAX_COLUMNS * MAX_CELL  # characters of one CSV row (its quotes doubled)

CHUNK = 1 << 16


class FileRejected(InputError):
    """A file with errors; nothing was written. ``errors``: the first ``MAX_ERRORS``
    (line, field, message) by line, the header being line 1; ``total``: how many errors
    in all; ``cells``: for each listed error, the cell it is about ("C5"), or ""."""

    def __init__(self, errors: list, total: int | None = None, cells: list | None = None):
        cells = list(cells) if cells is not None else [""] * len(errors)
        order = sorted(range(len(errors)), key=lambda i: errors[i][0])[:MAX_ERRORS]
        self.errors = [_short(errors[i]) for i in order]
        self.cells = [cells[i] for i in order]
        self.total = max(total if total is not None else 0, len(errors))
        super().__init__(f"{self.total} error(s) in the file; nothing was imported")

    @property
    def more(self) -> int:
        """How many errors are not listed."""
        return self.total - len(self.errors)


def _short(error: tuple) -> tuple:
    line, field, message = error
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE - 1] + "…"
    return line, field, message


class ErrorList:
    """Errors found in a file, by line: every one counted, the first ``MAX_ERRORS`` by
    line kept (whatever order they are found in), so that a file wrong on every line
    costs no more memory than one wrong on a hundred."""

    def __init__(self):
        self.kept: list[tuple] = []
        self.total = 0

    def append(self, error: tuple) -> None:
        self.total += 1
        self.kept.append(error)
        if len(self.kept) >= 4 * MAX_ERRORS:
            self.kept.sort(key=lambda e: e[0])  # stable: a line's errors keep their order
            del self.kept[MAX_ERRORS:]

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def first(self) -> list[tuple]:
        return sorted(self.kept, key=lambda e: e[0])[:MAX_ERRORS]


def column_letter(index: int) -> str:
    """The spreadsheet's name of a column (0-based): 0 is A, 26 is AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def read_rows(path) -> list[list]:
    """The rows of a CSV or XLSX file, the header first; row n is line n + 1 of the file
    as a spreadsheet shows it. Raises ``InputError`` for a file that cannot be read (or
    is past a bound as a whole), ``FileRejected`` listing the lines that cannot be."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise InputError(f"cannot import {path.name}: a .csv or .xlsx file is needed", field="file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB, the most "
                         f"one import takes ({MAX_ROWS:,} lines): split it", field="file")
    sheet = _Sheet()
    if suffix == ".csv":
        _read_csv(path, sheet)
    else:
        _Workbook(path, sheet).read()
    if sheet.errors:
        raise sheet.rejected()
    return sheet.rows


class _Sheet:
    """The rows read so far and what is wrong with them: an error is (line, column or
    None, field, message), the field named by the header where it has one."""

    def __init__(self):
        self.rows: list[list] = []
        self.errors: list[tuple] = []  # the first MAX_ERRORS: lines are read in order
        self.total = 0

    def field(self, column: int | None) -> str:
        if column is None:
            return "file"
        header = self.rows[0] if self.rows else []
        name = header[column] if column < len(header) else None
        if isinstance(name, str) and 0 < len(name.strip()) <= 63:
            return name.strip()
        return f"column {column + 1}"

    def error(self, line: int, column: int | None, message: str) -> None:
        self.total += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((line, column, self.field(column), message))

    def rejected(self) -> FileRejected:
        return FileRejected([e[:1] + e[2:] for e in self.errors], self.total,
                            [f"{column_letter(e[1])}{e[0]}" if e[1] is not None else ""
                             for e in self.errors])

    def stop(self, line: int, column: int | None, message: str) -> FileRejected:
        """An error past which the file is not read: to raise, with those found before."""
        self.error(line, column, message)
        return self.rejected()

    def too_long(self, line: int, column: int) -> None:
        self.error(line, column, f"longer than {MAX_CELL:,} characters, the most a spreadsheet "
                                 f"cell holds")

    def past_last_column(self, line: int, column: int) -> None:
        self.error(line, column, f"a value in column {column + 1} ({column_letter(column)}): a "
                                 f"file to import has at most {MAX_COLUMNS} columns")

    def too_many_lines(self, line: int):
        return self.stop(line, None, f"more than {MAX_ROWS:,} lines, the most one import takes: "
                                     f"split the file")


# --- CSV -------------------------------------------------------------------------------

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")  # as csv wants them: ends kept
_BLANK = re.compile(r'[\s",;]*')  # what a line holding no value may consist of


def _read_csv(path: Path, sheet: _Sheet) -> None:
    with open(path, "rb") as fh:
        raw = fh.read(MAX_FILE_BYTES + 1)
    try:
        text = raw.decode("utf-8-sig")  # -sig: Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{path.name} is not UTF-8 text (line {line}; save it as \"CSV UTF-8\")",
                         field="file") from None
    del raw
    first = re.match(r"[^\r\n]*", text)[0]
    # Excel writes ';' where ',' is the decimal separator (Russian, Kazakh locales)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    record = [0, 0]  # characters of the record being read, and of all records before it

    def lines():
        for match in _LINE.finditer(text):
            line = match[0]
            record[0] += len(line)
            if record[0] > MAX_CSV_RECORD:
                raise sheet.stop(len(sheet.rows) + 1, None,
                                 f"a line of more than {MAX_CSV_RECORD:,} characters")
            yield line

    reader = csv.reader(lines(), delimiter=delimiter, strict=True)
    while True:
        line = len(sheet.rows) + 1
        if line > MAX_ROWS:
            if _BLANK.fullmatch(text, sum(record)):
                return  # empty lines after the last one read: nothing is left out
            raise sheet.too_many_lines(line)
        record[1] += record[0]
        record[0] = 0
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise sheet.stop(line, None, _csv_problem(str(exc))) from None
        if len(cells) > MAX_COLUMNS:
            extra = next((i for i in range(MAX_COLUMNS, len(cells)) if cells[i].strip()), None)
            if extra is not None:
                sheet.past_last_column(line, extra)
            del cells[MAX_COLUMNS:]
        if cells and max(map(len, cells)) > MAX_CELL:
            for i, value in enumerate(cells):
                if len(value) > MAX_CELL:
                    sheet.too_long(line, i)
                    cells[i] = ""
        sheet.rows.append(cells)


def _csv_problem(message: str) -> str:
    if message.startswith("field larger than field limit"):
        limit = csv.field_size_limit()  # the csv module's, process-wide: not changed here
        return (f"a value longer than {limit:,} characters: a quote opened on this "
                f"line is never closed, or a cell is far longer than a spreadsheet cell holds "
                f"({MAX_CELL:,})")
    if message == "unexpected end of data":
        return "a quote opened on this line is never closed"
    if "expected after '\"'" in message:
        return ("a quoted value must end at a delimiter: a quote inside a quoted value is "
                "written twice (\"\")")
    return f"cannot be read as CSV ({message})"


# --- XLSX ------------------------------------------------------------------------------

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # OOXML's escape of a character in a string


@functools.cache
def _openpyxl() -> SimpleNamespace:
    """openpyxl's rules for which number formats are dates, and for reading dates
    (imported when a workbook is read: not on every start of the command line)."""
    from openpyxl.styles import numbers
    from openpyxl.utils import datetime

    return SimpleNamespace(builtin=numbers.BUILTIN_FORMATS, is_date=numbers.is_date_format,
                           is_duration=numbers.is_timedelta_format,
                           windows=datetime.WINDOWS_EPOCH, mac=datetime.MAC_EPOCH,
                           from_excel=datetime.from_excel, from_iso=datetime.from_ISO8601)


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


class _Refused(Exception):
    """Parsing stops: ``error`` is what to raise."""

    def __init__(self, error: Exception):
        self.error = error


class _Done(Exception):
    """Parsing stops: everything needed was read."""


_LONG = object()  # a shared string longer than a cell holds


class _Workbook:
    """The first worksheet of an XLSX file, read into ``sheet``."""

    def __init__(self, path: Path, sheet: _Sheet):
        self.path, self.name, self.sheet = path, path.name, sheet
        self.elements = 0

    def refuse(self, reason: str) -> InputError:
        return InputError(f"{self.name} cannot be imported: {reason}", field="file")

    def read(self) -> None:
        try:
            archive = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise InputError(f"{self.name} cannot be read as an XLSX workbook ({exc})",
                             field="file") from None
        with archive:
            self.archive = archive
            self.parts = self._parts(archive)
            try:
                self._read()
            except _Refused as stop:
                raise stop.error from None
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                    RuntimeError) as exc:
                raise InputError(f"{self.name} cannot be read as an XLSX workbook ({exc})",
                                 field="file") from None

    def _parts(self, archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
        """The zip's members by name, refused before anything is unpacked if they would
        unpack to too much (the sizes the zip declares bound what zipfile unpacks)."""
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise self.refuse(f"it holds {len(infos):,} parts; a workbook has a few dozen")
        parts, total = {}, 0
        for info in infos:
            if info.filename in parts:
                raise self.refuse(f"the part {info.filename} appears twice in it")
            if info.flag_bits & 0x1:
                raise self.refuse("it is encrypted (save it without a password)")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise self.refuse(f"the part {info.filename} is packed in a way spreadsheets "
                                  f"do not use")
            if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
                raise self.refuse(f"the part {info.filename} unpacks to "
                                  f"{info.file_size // max(1, info.compress_size):,} times its "
                                  f"packed size (a spreadsheet packs at most some 20 times): "
                                  f"it is a zip bomb, not a spreadsheet")
            total += info.file_size
            parts[info.filename] = info
        if total > MAX_XLSX_BYTES:
            raise self.refuse(f"it unpacks to {total / 2**20:,.0f} MB, more than the "
                              f"{MAX_XLSX_BYTES // 2**20} MB a workbook to import may hold "
                              f"({MAX_ROWS:,} lines)")
        return parts

    # -- the parts ----------------------------------------------------------------------

    def _read(self) -> None:
        book = "xl/workbook.xml"
        for rel in self._rels("_rels/.rels", ""):
            if rel["type"].endswith("/officeDocument"):
                book = rel["target"]
                break
        if book not in self.parts:
            raise self.refuse("it has no workbook part: is it an XLSX file?")
        folder = posixpath.dirname(book)
        rels = {r["id"]: r for r in self._rels(
            posixpath.join(folder, "_rels", posixpath.basename(book) + ".rels"), folder)}
        sheets, self.epoch = self._workbook(book)
        first = next((rels[r]["target"] for r in sheets if r in rels
                      and rels[r]["type"].endswith("/worksheet")
                      and rels[r]["target"] in self.parts), None)
        if first is None:
            raise self.refuse("it has no worksheet")
        typed = {r["type"].rsplit("/", 1)[-1]: r["target"] for r in rels.values()}
        strings = typed.get("sharedStrings") or posixpath.join(folder, "sharedStrings.xml")
        styles = typed.get("styles") or posixpath.join(folder, "styles.xml")  # as openpyxl finds it
        self.dates, self.durations = self._styles(styles) if styles in self.parts else (set(), set())
        self.strings = self._strings(strings) if strings in self.parts else []
        _SheetReader(self, first).read()

    def parse(self, name: str, start, end=None, chars=None, counted: bool = False) -> None:
        """Stream the part ``name`` through expat with these handlers (the names given
        them are the XML's, "x:row" or "row"), under the bounds: every element is counted
        and its depth watched (by ``start`` and ``end`` themselves when ``counted``: the
        sheet's reader, which handles millions)."""
        parser = expat.ParserCreate()  # no namespace processing: a name is "prefix:local" or "local"
        parser.buffer_text = True
        parser.buffer_size = CHUNK
        depth = [0]

        def doctype(*args):
            raise _Refused(self.refuse(f"the part {name} declares a DTD, which spreadsheets "
                                       f"do not"))

        def started(tag, attrs):
            depth[0] += 1
            self.elements += 1
            if depth[0] > MAX_XML_DEPTH or self.elements > MAX_XML_ELEMENTS:
                self.too_much(name, depth[0])
            start(tag, attrs)

        def ended(tag):
            depth[0] -= 1
            if end is not None:
                end(tag)

        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        parser.StartElementHandler = start if counted else started
        parser.EndElementHandler = end if counted else ended
        if chars is not None:
            parser.CharacterDataHandler = chars
        try:
            with self.archive.open(self.parts[name]) as src:
                while chunk := src.read(CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Done:
            pass
        except expat.ExpatError as exc:
            raise _Refused(self.refuse(f"the part {name} is not well-formed XML "
                                       f"({expat.errors.messages.get(exc.code, exc)} at line "
                                       f"{exc.lineno})")) from None

    def too_much(self, name: str, depth: int):
        if depth > MAX_XML_DEPTH:
            raise _Refused(self.refuse(f"the part {name} nests more than {MAX_XML_DEPTH} deep"))
        raise _Refused(self.refuse(f"it holds more than {MAX_XML_ELEMENTS:,} XML elements, "
                                   f"more than {MAX_ROWS:,} lines would"))

    def _rels(self, name: str, folder: str) -> list[dict]:
        """The relationships of a part: id, type, and target resolved to a part's name."""
        out = []
        if name not in self.parts:
            return out

        def start(tag, attrs):
            if tag.endswith("Relationship") and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                target = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                out.append({"id": attrs.get("Id"), "type": attrs.get("Type", ""),
                            "target": posixpath.normpath(target)})

        self.parse(name, start)
        return out

    def _workbook(self, name: str) -> tuple[list[str], object]:
        """The relationship ids of the sheets in order, and the date epoch."""
        sheets, epoch = [], [_openpyxl().windows]

        def start(tag, attrs):
            local = tag.rpartition(":")[2]
            if local == "sheet":
                sheets.append(next((v for k, v in attrs.items() if k.endswith(":id")), None))
            elif local == "workbookPr" and attrs.get("date1904") in ("1", "true"):
                epoch[0] = _openpyxl().mac

        self.parse(name, start)
        return sheets, epoch[0]

    def _styles(self, name: str) -> tuple[set, set]:
        """The cell styles (their index, as a cell's ``s`` gives it) whose number format
        is a date by openpyxl's rules, and those whose format is a duration."""
        custom, xfs, inside = {}, [], [False]

        def start(tag, attrs):
            local = tag.rpartition(":")[2]
            if local == "cellXfs":
                inside[0] = True
            elif local == "xf" and inside[0]:
                try:
                    xfs.append(int(attrs.get("numFmtId", 0)))
                except ValueError:
                    xfs.append(0)
            elif local == "numFmt":
                try:
                    custom[int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
                except (TypeError, ValueError):
                    pass

        def end(tag):
            if tag.endswith("cellXfs"):
                inside[0] = False

        self.parse(name, start, end)
        rules = _openpyxl()
        dates, durations, known = set(), set(), {}
        for index, fid in enumerate(xfs):
            if fid not in known:
                code = custom.get(fid) if fid in custom else rules.builtin.get(fid)
                known[fid] = (bool(code) and rules.is_date(code),
                              bool(code) and rules.is_duration(code))
            date, duration = known[fid]
            if date:
                dates.add(str(index))  # as a cell names its style
            if duration:
                durations.add(str(index))
        return dates, durations

    def _strings(self, name: str) -> list:
        """The shared strings (a string longer than a cell holds is ``_LONG``)."""
        strings, parts = [], []
        state = {"t": False, "phonetic": False, "length": 0}

        def start(tag, attrs):
            local = tag.rpartition(":")[2]
            if local == "t" and not state["phonetic"]:
                state["t"] = True
            elif local == "rPh":
                state["phonetic"] = True
            elif local == "si":
                parts.clear()
                state["length"] = 0

        def end(tag):
            local = tag.rpartition(":")[2]
            if local == "t":
                state["t"] = False
            elif local == "rPh":
                state["phonetic"] = False
            elif local == "si":
                if len(strings) >= MAX_SHARED_STRINGS:
                    raise _Refused(self.refuse(f"it holds more than {MAX_SHARED_STRINGS:,} "
                                               f"different texts"))
                strings.append(_LONG if state["length"] > MAX_CELL
                               else _unescape("".join(parts)))

        def chars(data):
            if state["t"]:
                state["length"] += len(data)
                if state["length"] <= MAX_CELL:
                    parts.append(data)

        self.parse(name, start, end, chars)
        return strings


class _SheetReader:
    """A worksheet's rows into the sheet, cell by cell, as openpyxl's read-only,
    data-only mode reads them (a formula's cached value; dates by the cell's style)."""

    def __init__(self, book: _Workbook, part: str):
        self.book, self.part, self.sheet = book, part, book.sheet
        self.locals: dict[str, str] = {}
        self.columns: dict[str, int] = {}
        self.line = 0  # the row being read
        self.cells: list | None = None
        self.cell = None  # (column, type, style) of the cell being read
        self.parts: list[str] = []
        self.length = 0
        self.collect = False
        self.phonetic = False
        self.wide = False  # a value past the last column was reported on this row
        self.depth = 0

    def read(self) -> None:
        self.book.parse(self.part, self.start, self.end, self.chars, counted=True)

    def local(self, tag: str) -> str:
        local = self.locals.get(tag)
        if local is None:
            local = self.locals[tag] = tag.rpartition(":")[2]
        return local

    def start(self, tag, attrs):
        self.depth += 1
        book = self.book
        book.elements += 1
        if self.depth > MAX_XML_DEPTH or book.elements > MAX_XML_ELEMENTS:
            book.too_much(self.part, self.depth)
        local = self.locals.get(tag) or self.local(tag)
        if local == "c":
            if self.cells is None:
                return  # a cell outside a row: there is none in a sheet Excel reads
            ref = attrs.get("r")
            column = self.column(ref) if ref else (self.cell[0] + 1 if self.cell else 0)
            self.cell = (column, attrs.get("t"), attrs.get("s"))
            self.parts.clear()
            self.length = 0
        elif local == "v" or (local == "t" and not self.phonetic):
            self.collect = self.cells is not None
        elif local == "row":
            self.begin_row(attrs.get("r"))
        elif local == "rPh":
            self.phonetic = True

    def end(self, tag):
        self.depth -= 1
        local = self.locals.get(tag) or self.local(tag)
        if local == "c":
            if self.cells is not None and self.cell is not None:
                self.end_cell()
        elif local in ("v", "t"):
            self.collect = False
        elif local == "row":
            self.end_row()
        elif local == "rPh":
            self.phonetic = False
        elif local == "sheetData":
            raise _Done  # the rest of a sheet is its layout

    def chars(self, data):
        if self.collect:
            self.length += len(data)
            if self.length <= MAX_CELL:
                self.parts.append(data)

    def column(self, ref: str) -> int:
        letters = ref.rstrip("0123456789")
        column = self.columns.get(letters)
        if column is None:
            if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()
                    and letters.isupper()):
                raise _Refused(self.book.refuse(f"its sheet has a cell at {ref!r}, which is "
                                                f"no place in a sheet"))
            column = 0
            for letter in letters:
                column = column * 26 + ord(letter) - 64
            column = self.columns[letters] = column - 1
        return column

    def begin_row(self, number):
        if number is None:
            line = self.line + 1
        else:
            try:
                line = int(number)
            except ValueError:
                raise _Refused(self.book.refuse(f"its sheet has a row numbered {number[:20]!r}")) from None
        if line <= self.line:
            raise _Refused(self.book.refuse(f"its sheet's rows are out of order (row {line} "
                                            f"after row {self.line}): the file is damaged"))
        self.line = line
        self.cells = []
        self.cell = None
        self.wide = False

    def end_cell(self):
        if not self.length:
            return  # an empty cell: a style, or a formula with no value kept
        column, kind, style = self.cell
        line = self.line
        if line > MAX_ROWS:
            raise _Refused(self.sheet.too_many_lines(line))
        if column >= MAX_COLUMNS:
            if not self.wide:  # once a row
                self.sheet.past_last_column(line, column)
                self.wide = True
            return
        if self.length > MAX_CELL:
            self.sheet.too_long(line, column)
            return
        value = self.value(kind, style, "".join(self.parts))
        if value is None:
            return
        cells = self.cells
        if column < len(cells):
            if cells[column] is not None:
                self.sheet.error(line, column, "two cells of the file are at this place: it is "
                                               "damaged")
                return
        else:
            cells.extend([None] * (column + 1 - len(cells)))
        if value is _LONG:
            self.sheet.too_long(line, column)
            return
        cells[column] = value

    def value(self, kind, style, text: str):
        """The cell's value as openpyxl reads it, or ``_LONG`` (a shared string longer
        than a cell holds); a value that cannot be read is reported and read as empty."""
        if kind is None or kind == "n":
            try:
                number = int(text) if not ("." in text or "e" in text or "E" in text) else float(text)
            except ValueError:
                try:
                    number = float(text)
                except ValueError:
                    number = None
            if number is None or (isinstance(number, float) and not math.isfinite(number)):
                return self.unreadable(f"{text[:40]!r} is not a number a spreadsheet holds")
            if style is not None and style in self.book.dates:
                try:
                    return _openpyxl().from_excel(number, self.book.epoch,
                                                  timedelta=style in self.book.durations)
                except (OverflowError, ValueError):
                    return self.unreadable(f"a date cell holding {text[:40]!r}, which is no "
                                           f"date a spreadsheet has")
            return number
        if kind == "s":
            try:
                index = int(text)
                if index < 0:
                    raise IndexError
                return self.book.strings[index]
            except (ValueError, IndexError):
                return self.unreadable("refers to a text the file does not have: it is damaged")
        if kind in ("inlineStr", "str", "e"):
            return _unescape(text)
        if kind == "b":
            if text in ("1", "true"):
                return True
            if text in ("0", "false"):
                return False
            return self.unreadable(f"{text[:40]!r} is not true or false")
        if kind == "d":
            try:
                return _openpyxl().from_iso(text)
            except (ValueError, TypeError, OverflowError):
                return self.unreadable(f"{text[:40]!r} is not a date")
        return self.unreadable(f"a cell of an unknown type {kind[:20]!r}")

    def unreadable(self, message: str) -> None:
        self.sheet.error(self.line, self.cell[0], message)
        return None

    def end_row(self):
        if self.cells is None:
            return
        line, cells = self.line, self.cells
        self.cells = None
        self.cell = None
        if line > MAX_ROWS:
            return  # nothing in it (a value there is refused as it is read)
        rows = self.sheet.rows
        while len(rows) < line - 1:
            rows.append([])  # rows the sheet leaves out are empty lines
        rows.append(cells)
