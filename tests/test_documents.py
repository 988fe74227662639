"""Papers as documents (issue 7), through the services, on SQLite and PostgreSQL: every
paper of every regime in ru and kk from the demo tenants, opened again with python-docx
and read; the council minutes of a hand-counted tie; the PDF made by LibreOffice and read
back; a tenant's own template, a bad one refused with nothing stored, and going back."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil

import docx
import pytest
import sqlalchemy as sa

from nastavnik import demo, services
from nastavnik.core import registry
from nastavnik.core.errors import InputError
from nastavnik.services import document_templates, documents, office
from nastavnik.storage.models import AuditEntry, DocumentTemplate, Meeting, Mentorship, Person

AS_OF = dt.date(2026, 3, 16)
TODAY = dt.date(2026, 3, 17)

#: what each paper must say, by language, besides the people's names (the law's words)
MUST_SAY = {
    ("prosecutor_2022", "order", "ru"): ["ПРИКАЗ", "пунктами 7 и 12", "пункт 8 Правил"],
    ("prosecutor_2022", "order", "kk"): ["БҰЙРЫҚ", "7 және 12-тармақтарына"],
    ("prosecutor_2022", "programme", "ru"): [
        "ИНДИВИДУАЛЬНАЯ ПРОГРАММА НАСТАВНИЧЕСТВА", "пункт 9", "пяти рабочих дней",
        "Овладение профессиональными знаниями", "Изучение правовых актов",
        "чувства долга", "служебной этики", "корпоративной"],
    ("prosecutor_2022", "programme", "kk"): [
        "ТӘЛІМГЕРЛІКТІҢ ЖЕКЕ БАҒДАРЛАМАСЫ", "9-тармағы", "бес жұмыс күні",
        "кәсіби білім", "құқықтық актілерін", "борыш", "әдеп", "корпоративтік"],
    ("prosecutor_2022", "mentee_report", "ru"): ["ОТЧЕТ", "Совет наставников", "пункт 10"],
    ("prosecutor_2022", "mentee_report", "kk"): ["ЕСЕП", "Тәлімгерлер кеңесі", "10-тармақ"],
    ("prosecutor_2022", "mentor_report", "ru"): ["ОТЧЕТ НАСТАВНИКА", "Правовая культура",
                                                "Непосредственный руководитель", "пункт 14"],
    ("prosecutor_2022", "mentor_report", "kk"): ["ТӘЛІМГЕРДІҢ ЕСЕБІ", "Құқықтық мәдениет",
                                                "Тікелей басшы", "14-тармақ"],
    ("prosecutor_2022", "council_minutes", "ru"): ["ПРОТОКОЛ", "пункт 21", "ПОВЕСТКА ДНЯ"],
    ("prosecutor_2022", "council_minutes", "kk"): ["ХАТТАМАСЫ", "21-тармақ", "КҮН ТӘРТІБІ"],
    ("civil_service_2013", "order", "ru"): ["ПРИКАЗ", "пункт 12", "наставник — "],
    ("civil_service_2013", "order", "kk"): ["БҰЙРЫҚ", "12-тармағы", "тәлімгер — "],
    ("civil_service_2013", "plan", "ru"): ["ИНДИВИДУАЛЬНЫЙ ПЛАН", "в течение трех дней",
                                           "руководителем структурного подразделения", "пункт 12"],
    ("civil_service_2013", "plan", "kk"): ["ЖЕКЕ ЖОСПАРЫ", "үш күн ішінде", "12-тармақ"],
    ("civil_service_2013", "mentee_report", "ru"): [
        "ОТЧЕТ", "индивидуального плана", "иные поручения", "Знания и навыки",
        "Замечания и предложения", "пункт 15", "пяти рабочих дней"],
    ("civil_service_2013", "mentee_report", "kk"): ["ЕСЕП", "15-тармақ", "бес жұмыс күні"],
    ("civil_service_2013", "mentor_reference", "ru"): [
        "ОТЗЫВ", "Результаты исполнения функциональных обязанностей",
        "Уровень профессиональных знаний", "Развитие навыков", "самостоятельно",
        "служебной документации", "пункт 16"],
    ("civil_service_2013", "mentor_reference", "kk"): ["ПІКІРІ", "16-тармақ"],
    ("education_reserve", "order", "ru"): ["ПРИКАЗ", "пункт 5", "резерв"],
    ("education_reserve", "order", "kk"): ["БҰЙРЫҚ", "5-тармақ", "резерв"],
    ("education_reserve", "plan", "ru"): ["ПЛАН", "индивидуальной подготовки", "тажировк",
                                          "аттестационной комиссии", "пункт 8"],
    ("education_reserve", "plan", "kk"): ["ЖОСПАРЫ", "ағылымдама", "8-тармақ"],
    ("education_reserve", "joint_report", "ru"): ["ОТЧЕТ", "совместно", "пункт 8"],
    ("education_reserve", "joint_report", "kk"): ["ЕСЕП", "бірлесіп", "8-тармақ"],
}


def docx_text(content: bytes) -> str:
    """Every paragraph's and every table cell's text of a Word file."""
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def needs_libreoffice():
    if office.soffice() is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs LibreOffice: {office.INSTALL_HINT}")
        pytest.skip(f"no LibreOffice ({office.INSTALL_HINT}); CI runs these")


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    assert content.startswith(b"%PDF")
    return " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def demo_data(app):
    demo.load(AS_OF)
    return app


def _subjects(slug):
    """Every mentorship (id, mentee's name, mentor's name or None) and meeting of a tenant."""
    with services.tenant(slug, "test") as t:
        from nastavnik.services.views import mentorship_rows
        rows = [(r["id"], r["mentee_name"]) for r in mentorship_rows(t)]
        meetings = [str(m.id) for m in t.session.scalars(sa.select(Meeting))]
    return rows, meetings


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_paper_of_every_regime_says_what_the_law_asks(demo_data, lang):
    seen = set()
    for slug in demo.SLUGS:
        rows, meetings = _subjects(slug)
        with services.tenant(slug, "test") as t:
            regime = t.tenant.regime
            for spec in documents.papers(t):
                seen.add((regime, spec.id))
                targets = ([{"mentorship": mid} for mid, _ in rows]
                           if spec.subject == "mentorship" else [{"meeting": m} for m in meetings])
                assert targets, (slug, spec.id)
                for target in targets:
                    doc = documents.render_paper(t, spec.id, lang=lang, today=TODAY, **target)
                    assert doc.mimetype == documents.DOCX and doc.filename.endswith(f"-{lang}.docx")
                    text = docx_text(doc.content)
                    assert "{{" not in text and "{%" not in text, (spec.id, text)
                    for phrase in MUST_SAY[(regime, spec.id, lang)]:
                        assert phrase in text, (slug, spec.id, lang, phrase, text)
                    if spec.id != "order":  # an order is dated by its own date
                        assert documents.format_date(TODAY, lang) in text
                    if spec.subject == "mentorship":
                        name = dict(rows)[target["mentorship"]]
                        assert name in text, (spec.id, name)
    assert seen == {(r, p) for r, p, _ in MUST_SAY}


@pytest.mark.parametrize("lang, mentor, mentee, kinds", [
    ("ru", "наставник — ", "Закрепить наставника на период с ", ("молодой сотрудник — ",
                                                                 "слушатель Академии — ")),
    ("kk", "тәлімгер — ", "дейінгі кезеңге тәлімгер бекітілсін", ("жас қызметкер — ",
                                                                 "Академия тыңдаушысы — ")),
    ("en", "mentor — ", "1. To assign a mentor from ", ("young employee — ", "Academy trainee — ")),
])
def test_the_prosecutors_order_reads_as_an_hr_department_writes_it(demo_data, lang, mentor,
                                                                    mentee, kinds):
    """Who is the mentor and who the mentee, each on a line of their own with position and
    name, the mentee's kind without the catalogue's bracketed explanation (no "(молодой
    сотрудник (…, п.2, п.5))"), no "produced on" of a machine."""
    rows, _ = _subjects("demo-prosecutors")
    texts = []
    with services.tenant("demo-prosecutors", "test") as t:
        for mid, _name in rows:
            texts.append(docx_text(documents.render_paper(t, "order", mentorship=mid, lang=lang,
                                                          today=TODAY).content))
    for text in texts:
        assert mentor in text, text
        assert "((" not in text and "))" not in text and "п.2, п.5" not in text, text
        assert "2, 5-т." not in text and "p.2, p.5" not in text, text
        assert "Сформировано" not in text and "Produced on" not in text
        assert "проект" not in text and "draft" not in text  # the act is cited in its opening
    assert any(mentee in text for text in texts)
    assert any(kind in text for text in texts for kind in kinds)


def test_an_order_names_the_mentor_the_order_and_the_replacement(demo_data):
    """The civil-service demo's replaced mentor: the order releases the first mentor with
    the ground of p.11 and assigns the second, citing the order's number and date."""
    slug = "demo-civil-service"
    with services.tenant(slug, "test") as t:
        from nastavnik.services.views import mentorship_page
        replaced = [m for m in t.session.scalars(sa.select(Mentorship))
                    if len(services.assignments_of(m)) > 1]
        assert replaced
        m = replaced[0]
        view = mentorship_page(t, str(m.id), AS_OF)
        first, second = view["assignments"][-2:]
        doc = documents.render_paper(t, "order", mentorship=str(m.id), lang="ru", today=TODAY)
    text = docx_text(doc.content)
    assert "О замене наставника" in text and "пункт 11 Правил" in text
    assert first["mentor_name"] in text and second["mentor_name"] in text
    assert t.regime.end_reasons[first["end_reason"]].ru in text
    if second["order"]["number"]:
        assert f"№ {second['order']['number']}" in text
    assert dt.date.fromisoformat(second["from"]).strftime("%d.%m.%Y") in text


# --- the minutes of a meeting counted by hand ------------------------------------------------

@pytest.fixture
def tie_meeting(app):
    """Nine members (test_councils), six present (exactly 2/3), an item of 3 for and 3
    against with the chair for: adopted by the chair's vote (p.21)."""
    import test_councils as tc

    tc._tenant()
    cid = tc._council()
    with services.tenant(tc.SLUG, "test") as t:
        meeting = services.add_meeting(t, cid, dt.date(2026, 2, 10), present=tc.SIX)
        item = services.add_item(t, str(meeting.id), "Petition to reward mentor M01")
        services.record_votes(t, str(item.id), {"P01": "for", "P02": "for", "P03": "for",
                                                "P04": "against", "P05": "against",
                                                "P06": "against"})
        return tc.SLUG, str(meeting.id)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_minutes_show_attendance_quorum_votes_and_the_chairs_tie_break(tie_meeting, lang):
    slug, meeting = tie_meeting
    with services.tenant(slug, "test") as t:
        doc = documents.render_paper(t, "council_minutes", meeting=meeting, lang=lang,
                                     today=TODAY)
    text = docx_text(doc.content)
    says = {
        "ru": ["Состав Совета: 9", "Присутствовали: 6", "не менее 2/3 состава",
               "не менее 6 членов", "Кворум имеется: да", "«за» — 3", "«против» — 3",
               "не менее 4 голосов", "РЕШЕНИЕ ПРИНЯТО",
               "принято решение, за которое голосовал председатель", "Member P01 — за",
               "Member P04 — против", "приказом от 12.01.2026 № 3-о"],
        "kk": ["Кеңестің құрамы: 9", "Қатысқандар: 6", "кемінде 2/3", "кемінде 6 мүше",
               "Кворум бар: иә", "«қолдап» — 3", "«қарсы» — 3", "ШЕШІМ ҚАБЫЛДАНДЫ",
               "төраға дауыс берген шешім қабылданды", "Member P01 — қолдап"],
    }[lang]
    for phrase in says:
        assert phrase in text, (phrase, text)
    # attendance: the three absent members are listed as absent
    absent = {"ru": "отсутствовал", "kk": "қатыспады"}[lang]
    assert text.count(absent) == 3
    assert doc.filename == f"council_minutes-2026-02-10-{lang}.docx"


def test_a_meeting_paper_needs_a_meeting_and_unknown_papers_are_refused(tie_meeting):
    slug, meeting = tie_meeting
    with services.tenant(slug, "test") as t:
        with pytest.raises(InputError) as e:
            documents.render_paper(t, "council_minutes", mentorship="whatever")
        assert e.value.field == "meeting"
        with pytest.raises(InputError) as e:
            documents.render_paper(t, "plan", meeting=meeting)  # a civil-service paper
        assert e.value.field == "paper" and "council_minutes" in str(e.value)
        with pytest.raises(InputError) as e:
            documents.render_paper(t, "council_minutes", meeting=meeting, fmt="odt")
        assert e.value.field == "format"
        with pytest.raises(InputError) as e:
            documents.render_paper(t, "council_minutes", meeting=meeting, lang="de")
        assert e.value.field == "lang"


# --- PDF -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("slug,paper,lang,phrases", [
    ("demo-prosecutors", "programme", "kk", ["ТӘЛІМГЕРЛІКТІҢ ЖЕКЕ БАҒДАРЛАМАСЫ", "9-тармағы"]),
    ("demo-civil-service", "mentor_reference", "ru", ["ОТЗЫВ", "пункт 16"]),
    ("demo-education", "plan", "ru", ["индивидуальной подготовки", "пункт 8"]),
])
def test_the_pdf_is_the_word_file_printed_by_libreoffice(demo_data, slug, paper, lang, phrases):
    needs_libreoffice()
    rows, _ = _subjects(slug)
    mid, name = rows[-1]
    with services.tenant(slug, "test") as t:
        doc = documents.render_paper(t, paper, mentorship=mid, lang=lang, fmt="pdf", today=TODAY)
    assert doc.mimetype == "application/pdf" and doc.filename.endswith(f"-{lang}.pdf")
    text = pdf_text(doc.content)
    for phrase in [name, TODAY.strftime("%d.%m.%Y"), *phrases]:
        assert " ".join(phrase.split()) in text, (phrase, text)


def test_minutes_pdf_in_kazakh(tie_meeting):
    needs_libreoffice()
    slug, meeting = tie_meeting
    with services.tenant(slug, "test") as t:
        doc = documents.render_paper(t, "council_minutes", meeting=meeting, lang="kk", fmt="pdf",
                                     today=TODAY)
    text = pdf_text(doc.content)
    for phrase in ("ХАТТАМАСЫ", "21-тармағы", "Кворум бар: иә", "ШЕШІМ ҚАБЫЛДАНДЫ", "10.02.2026"):
        assert phrase in text, (phrase, text)


def test_without_libreoffice_pdf_is_a_clear_error_and_docx_still_works(tie_meeting, monkeypatch):
    monkeypatch.setenv("NASTAVNIK_SOFFICE", "/nonexistent/soffice")
    slug, meeting = tie_meeting
    with services.tenant(slug, "test") as t:
        with pytest.raises(office.OfficeUnavailable) as e:
            documents.render_paper(t, "council_minutes", meeting=meeting, fmt="pdf")
        assert "libreoffice-writer-nogui" in str(e.value)
        assert documents.render_paper(t, "council_minutes", meeting=meeting).content


def test_parallel_conversions_do_not_clash(tie_meeting):
    """Each call has its own LibreOffice profile: two at once both succeed."""
    needs_libreoffice()
    from concurrent.futures import ThreadPoolExecutor

    slug, meeting = tie_meeting
    with services.tenant(slug, "test") as t:
        ru = documents.render_paper(t, "council_minutes", meeting=meeting, lang="ru").content
        en = documents.render_paper(t, "council_minutes", meeting=meeting, lang="en").content
    with ThreadPoolExecutor(2) as pool:
        pdfs = list(pool.map(office.to_pdf, [ru, en]))
    assert "ПРОТОКОЛ" in pdf_text(pdfs[0]) and "MINUTES" in pdf_text(pdfs[1])


# --- a tenant's own template ---------------------------------------------------------------------

def _edited(template: bytes, old: str, new: str) -> bytes:
    """The template with ``old`` replaced by ``new`` in its text, as someone editing it
    in Word would."""
    document = docx.Document(io.BytesIO(template))
    hit = False
    for p in document.paragraphs:
        for run in p.runs:
            if old in run.text:
                run.text, hit = run.text.replace(old, new), True
    assert hit, old
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _stored(slug):
    with services.tenant(slug, "test") as t:
        return [(r.paper, r.language, r.filename) for r in
                t.session.scalars(sa.select(DocumentTemplate))]


def test_a_tenant_replaces_a_template_and_goes_back(tie_meeting):
    slug, meeting = tie_meeting
    with services.tenant(slug, "test") as t:
        builtin, name = document_templates.download_template(t, "council_minutes", "ru")
        assert name == "council_minutes.ru.docx" and "{{ chair.name }}" in docx_text(builtin)
    own = _edited(builtin, "ПОВЕСТКА ДНЯ:", "ПОВЕСТКА ЗАСЕДАНИЯ (форма прокуратуры области):")
    with services.tenant(slug, "hr:aigerim") as t:
        document_templates.upload_template(t, "council_minutes", "ru", own, "our-minutes.docx")
    assert _stored(slug) == [("council_minutes", "ru", "our-minutes.docx")]
    with services.tenant(slug, "test") as t:
        text = docx_text(documents.render_paper(t, "council_minutes", meeting=meeting,
                                                lang="ru").content)
        assert "ПОВЕСТКА ЗАСЕДАНИЯ (форма прокуратуры области):" in text
        assert "Кворум имеется: да" in text  # still filled from the data
        kk = docx_text(documents.render_paper(t, "council_minutes", meeting=meeting,
                                              lang="kk").content)
        assert "КҮН ТӘРТІБІ" in kk  # the other language keeps the built-in template
        listed = {(r["paper"], r["language"]): r["custom"]
                  for r in document_templates.list_templates(t)}
        assert listed[("council_minutes", "ru")] and not listed[("council_minutes", "kk")]
        assert document_templates.download_template(t, "council_minutes", "ru")[1] == \
            "our-minutes.docx"
        assert document_templates.download_template(t, "council_minutes", "ru",
                                                    builtin=True)[0] == builtin
        entry = t.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.entity == "document_template")).one()
        assert entry.actor == "hr:aigerim" and entry.after["content"]["bytes"] == len(own)
    with services.tenant(slug, "test") as t:
        assert document_templates.reset_template(t, "council_minutes", "ru") is True
        assert document_templates.reset_template(t, "council_minutes", "ru") is False
    assert _stored(slug) == []
    with services.tenant(slug, "test") as t:
        text = docx_text(documents.render_paper(t, "council_minutes", meeting=meeting,
                                                lang="ru").content)
    assert "ПОВЕСТКА ДНЯ:" in text


@pytest.mark.parametrize("make,says", [
    (lambda b: b"", "empty"),
    (lambda b: b"%PDF-1.4 not a word file", "not a Word file"),
    (lambda b: b"PK\x03\x04 broken zip", "not a Word file"),
    (lambda b: _edited(b, "ПОВЕСТКА ДНЯ:", "{{ chair.nmae }}"), "nmae"),
    (lambda b: _edited(b, "ПОВЕСТКА ДНЯ:", "{% if meeting.quorate %}"), "cannot be filled"),
    (lambda b: _edited(b, "ПОВЕСТКА ДНЯ:", "{{ mentee.name }}"), "mentee"),  # not a meeting's
])
def test_a_bad_template_is_refused_and_nothing_is_stored(tie_meeting, make, says):
    slug, _ = tie_meeting
    with services.tenant(slug, "test") as t:
        builtin, _ = document_templates.download_template(t, "council_minutes", "ru")
    with pytest.raises(InputError) as e:
        with services.tenant(slug, "test") as t:
            document_templates.upload_template(t, "council_minutes", "ru", make(builtin))
    assert e.value.field == "file" and says in str(e.value), str(e.value)
    assert _stored(slug) == []


def test_every_builtin_template_fills_with_the_sample_data():
    """The sample an upload is checked with has every field the built-in templates use,
    and the same shape as the real data (else a good upload would be refused, or a bad
    one let through)."""
    from nastavnik.core import registry

    for regime_id in registry.available():
        regime = registry.get(regime_id)
        for spec in documents.regime_papers(regime).values():
            for lang in ("ru", "kk", "en"):
                document_templates.check_template(
                    spec, lang, document_templates.builtin_template(spec, lang), regime)


def _shape(value):
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list):  # lists of records: the shape of their first
        return [_shape(value[0])] if value and isinstance(value[0], dict) else []
    return None


def test_the_sample_has_the_shape_of_real_data(demo_data):
    rows, meetings = _subjects("demo-prosecutors")
    with services.tenant("demo-prosecutors", "test") as t:
        specs = {s.subject: s for s in documents.papers(t)}
        real_m, _ = documents.mentorship_context(t, specs["mentorship"], rows[-1][0], "ru", TODAY)
        real_c, _ = documents.meeting_context(t, specs["meeting"], meetings[0], "ru", TODAY)
    for real, spec in ((real_m, specs["mentorship"]), (real_c, specs["meeting"])):
        sample = document_templates.sample_context(spec, "ru", registry.get("prosecutor_2022"))
        assert _shape(sample) == {k: v for k, v in _shape(real).items()}, spec.id
