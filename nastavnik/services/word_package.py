"""What a Word file a tenant uploads may hold before anything opens it.

A .docx is a zip of XML parts. Besides the Jinja in its text (which the sandbox deals
with), the package itself can attack the server: a zip that inflates to gigabytes, XML
with entity definitions (billion laughs, external entities), and parts that make
LibreOffice fetch or embed something when it makes the PDF: an image or a template
linked to ``file:///etc/...`` or another host, an INCLUDETEXT or DDE field, an embedded
object, an altChunk (a foreign document to import), macros. A paper's template needs none
of these, so they are refused, at upload and again before printing (a template stored
before this check existed, or written past it)."""

from __future__ import annotations

import io
import re
import zipfile

from ..core.errors import InputError

MAX_MEMBERS = 1000
MAX_UNPACKED = 50 * 1024 * 1024  # the built-in papers unpack to well under 1 MB
MAX_RATIO = 200  # deflate of ordinary XML rarely passes 20:1; bombs reach 1000:1

# parts that bring code or foreign content into the document
_FORBIDDEN_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/|embeddings/)",
                              re.IGNORECASE)
_EXTERNAL = re.compile(rb'TargetMode\s*=\s*["\']External["\']', re.IGNORECASE)
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
_TARGET = re.compile(rb'Target\s*=\s*["\']([^"\']*)["\']', re.IGNORECASE)
_TYPE = re.compile(rb'Type\s*=\s*["\']([^"\']*)["\']', re.IGNORECASE)
_SAFE_LINK = re.compile(rb"^(https?://|mailto:)", re.IGNORECASE)
# field codes that read files or other programs' data when the document is laid out
# (a field's kind is the first word of its instruction: a URL inside a HYPERLINK may say "link")
_FIELD = re.compile(rb"^\s*(INCLUDETEXT|INCLUDEPICTURE|INCLUDE|LINK|DDEAUTO|DDE|IMPORT|RD)\b")
_INSTRUCTION = re.compile(rb"<w:instrText\b[^>]*>([^<]*)</w:instrText>|"
                          rb"w:instr\s*=\s*[\"']([^\"']*)[\"']")


class UnsafePackage(InputError):
    """The file is not a plain Word document; ``reason`` says why, in words."""

    def __init__(self, reason: str):
        self.reason = f"the file cannot be used as a template: {reason}"
        super().__init__(self.reason, field="file")


def _refuse(reason: str) -> UnsafePackage:
    return UnsafePackage(reason)


def check_word_package(content: bytes) -> None:
    """Refuse (InputError, field ``file``) a Word package that is not a plain document."""
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse("it is not a Word file (.docx)") from None
    if len(members) > MAX_MEMBERS:
        raise _refuse(f"it has more than {MAX_MEMBERS} parts")
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_UNPACKED:
        raise _refuse(f"it unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB")
    names = {m.filename for m in members}
    if "word/document.xml" not in names:
        raise _refuse("it is not a Word file (.docx): it has no document text")
    for member in members:
        name = member.filename
        if member.compress_size and member.file_size / member.compress_size > MAX_RATIO:
            raise _refuse(f"its part {name} is packed suspiciously tightly (a zip bomb?)")
        if _FORBIDDEN_PARTS.search(name):
            raise _refuse("it holds macros, embedded objects or controls; save it as a plain "
                          ".docx without them")
        if not name.lower().endswith((".xml", ".rels")):
            continue
        data = _read(package, member)
        if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
            raise _refuse(f"its part {name} declares XML entities, which Word never writes")
        if name.lower().endswith(".rels"):
            _check_relationships(name, data)
        if b"altChunk" in data:
            raise _refuse("it imports another document (altChunk); paste the text instead")
        for instruction in _INSTRUCTION.finditer(data):
            code = (instruction.group(1) or instruction.group(2) or b"").upper()
            found = _FIELD.match(code)
            if found:
                raise _refuse(f"it has a {found.group(1).decode()} field, which reads files "
                              "or other programs; remove the field")


def _read(package: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """The part, read no further than it claims to be (a forged size cannot inflate more)."""
    try:
        with package.open(member) as fh:
            data = fh.read(member.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: an encrypted part; NotImplementedError: an unknown compression
        raise _refuse(f"its part {member.filename} cannot be read ({exc})") from None
    if len(data) > member.file_size:
        raise _refuse(f"its part {member.filename} is larger than the package says")
    return data


def _check_relationships(name: str, data: bytes) -> None:
    for relationship in _RELATIONSHIP.finditer(data):
        text = relationship.group(0)
        target = (_TARGET.search(text) or [None, b""])[1].strip()
        kind = (_TYPE.search(text) or [None, b""])[1]
        external = bool(_EXTERNAL.search(text))
        if not external and not re.match(rb"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
            continue  # a part inside the package
        if kind.endswith(b"/hyperlink") and _SAFE_LINK.match(target):
            continue  # a clickable web or mail link: nothing is fetched when printing
        raise _refuse("it links to something outside the file (a linked picture, template "
                      "or document); insert pictures into the document instead of linking")
