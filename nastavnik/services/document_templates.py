"""A tenant's own templates of its regime's papers: upload one (checked by filling it
with sample data first; a bad file is refused and nothing is stored), download the
built-in one to start from, go back to the built-in one."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from ..core.errors import InputError
from ..core.i18n import LANGUAGES
from ..core.papers import PaperSpec
from ..storage.models import DocumentTemplate, db
from .document_layout import template_bytes
from .documents import check_language, fill_own, find_paper, paper_records, papers
from .template_sandbox import problem
from .unit import TenantWork

MAX_BYTES = 5 * 1024 * 1024  # a paper's template is a few dozen KB; this refuses the absurd


def _override(work: TenantWork, paper: str, lang: str) -> DocumentTemplate | None:
    return db.session.scalar(sa.select(DocumentTemplate).where(
        DocumentTemplate.regime == work.tenant.regime, DocumentTemplate.paper == paper,
        DocumentTemplate.language == lang))


def builtin_template(spec: PaperSpec, lang: str) -> bytes:
    """The template the regime's plugin ships, as a Word file."""
    return template_bytes(spec.template(lang))


def template_for(work: TenantWork, spec: PaperSpec, lang: str) -> tuple[bytes, bool]:
    """The tenant's own template of the paper and True, or else the plugin's and False."""
    own = _override(work, spec.id, lang)
    return (own.content, True) if own is not None else (builtin_template(spec, lang), False)


def download_template(work: TenantWork, paper: str, lang: str | None = None,
                      builtin: bool = False) -> tuple[bytes, str]:
    """(Word bytes, file name) of the template in use, or of the built-in one."""
    spec, lang = find_paper(work, paper), check_language(lang, work)
    own = None if builtin else _override(work, spec.id, lang)
    if own is not None:
        return own.content, own.filename
    return builtin_template(spec, lang), f"{spec.id}.{lang}.docx"


def list_templates(work: TenantWork) -> list[dict]:
    """Every paper of the regime in every language: built-in or the tenant's own."""
    own = {(t.paper, t.language): t for t in db.session.scalars(
        sa.select(DocumentTemplate).where(DocumentTemplate.regime == work.tenant.regime))}
    rows = []
    for spec in papers(work):
        for lang in LANGUAGES:
            t = own.get((spec.id, lang))
            rows.append({"paper": spec.id, "subject": spec.subject, "paragraph": spec.paragraph,
                         "title": dict(spec.title), "language": lang, "custom": t is not None,
                         "filename": t.filename if t else None,
                         "uploaded_at": t.uploaded_at.isoformat() if t else None})
    return rows


def check_template(spec: PaperSpec, lang: str, content: bytes, regime=None) -> None:
    """Refuse (InputError, field ``file``) a file that is not a Word template this paper
    can be filled into: not a .docx, a Jinja syntax error, a field no paper has, anything
    beyond the paper's fields (template_sandbox: a template is code the server runs)."""
    if not content:
        raise InputError("the file is empty", field="file")
    if len(content) > MAX_BYTES:
        raise InputError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", field="file")
    if not content.startswith(b"PK"):
        raise InputError("not a Word file (.docx): save the template as .docx", field="file")
    try:
        fill_own(content, sample_context(spec, lang, regime))
    except Exception as exc:  # docx, XML and Jinja errors alike: all mean "cannot be used"
        raise InputError(problem(exc), field="file") from None


def upload_template(work: TenantWork, paper: str, lang: str | None, content: bytes,
                    filename: str | None = None) -> DocumentTemplate:
    """Store the tenant's own template of ``paper`` in ``lang`` after checking it."""
    spec, lang = find_paper(work, paper), check_language(lang, work)
    check_template(spec, lang, content, work.regime)
    row = _override(work, spec.id, lang)
    if row is None:
        row = DocumentTemplate(regime=work.tenant.regime, paper=spec.id, language=lang)
        db.session.add(row)
    row.content, row.uploaded_at = content, dt.datetime.now(dt.timezone.utc)
    row.filename = (filename or f"{spec.id}.{lang}.docx").rsplit("/", 1)[-1][:255]
    db.session.flush()
    return row


def reset_template(work: TenantWork, paper: str, lang: str | None = None) -> bool:
    """Go back to the built-in template; True if the tenant had its own."""
    spec, lang = find_paper(work, paper), check_language(lang, work)
    row = _override(work, spec.id, lang)
    if row is None:
        return False
    db.session.delete(row)
    db.session.flush()
    return True


# --- sample data, to check an uploaded template ---------------------------------------------

def _mentor(name: str, number: str) -> dict:
    return {"name": name, "number": number, "unit": "Отдел / бөлім / unit",
            "position": "Должность / лауазым / position", "hired_on": "01.02.2015"}


def _sample_attributes(spec: PaperSpec) -> dict:
    props = (spec.fields or {}).get("properties") or {}
    return {k: ["sample"] if (v or {}).get("type") == "array" else "sample"
            for k, v in props.items()}


def sample_context(spec: PaperSpec, lang: str, regime=None) -> dict:
    """Sample data shaped as the real (``regime``: the papers it records, none without)."""
    """Every field a paper of ``spec``'s kind may use, with made-up values (and some not
    recorded, as real data has), shaped exactly as ``documents`` fills them."""
    common = {"lang": lang, "today": "02.03.2026", "tenant": {"name": "Sample"},
              "regime": {"id": "sample", "title": "Sample", "citation": "Sample"},
              "paper": {"id": spec.id, "title": spec.title[lang], "paragraph": spec.paragraph}}
    if spec.subject == "meeting":
        members = [{"name": f"Member {n}", "number": f"M{n}", "role": "member",
                    "present": n != 5, "presence": "present" if n != 5 else "absent"}
                   for n in range(1, 6)]
        return {**common,
                "council": {"name": "Council", "created_on": "10.01.2026",
                            "order": {"number": "12", "date": "09.01.2026"}},
                "meeting": {"id": "m1", "date": "02.03.2026", "members_count": 5,
                            "present_count": 4, "quorum_needed": 4, "quorum": "2/3",
                            "quorate": True, "quorate_text": "yes", "explanation": "quorate"},
                "chair": {"name": "Member 1"}, "secretary": {"name": None},
                "members": members, "present": members[:4], "absent": members[4:],
                "items": [{"position": 1, "title": "Hearing", "hearing": "Mentee",
                           "votes_for": 2, "votes_against": 2, "abstained": 0,
                           "votes": [{"name": "Member 1", "vote": "for"}],
                           "majority_needed": 3, "adopted": True, "decision": "ADOPTED",
                           "decided_by": "tie broken by the chair",
                           "tie_broken_by_chair": True}]}
    first = {"mentor": _mentor("Mentor One", "A1"), "start": "02.03.2026", "end": "15.04.2026",
             "end_reason": "dismissal", "order": {"number": "45-к", "date": "02.03.2026"},
             "fallback": False}
    second = {"mentor": _mentor("Mentor Two", "A2"), "start": "16.04.2026", "end": None,
              "end_reason": None, "order": {"number": None, "date": None}, "fallback": True}
    return {**common,
            "mentee": {"name": "Mentee", "number": "S1", "unit": None, "position": "Position",
                       "hired_on": "27.02.2026"},
            "manager": {"name": "Manager", "position": None},
            "kind": "kind",
            "mentorship": {"id": "00000000-0000-0000-0000-000000000000", "start": "02.03.2026",
                           "planned_end": "01.03.2027", "last_day": "01.03.2027",
                           "ended_on": None, "status": "open"},
            "mentor": second["mentor"], "order": second["order"], "assignment": second,
            "is_replacement": True, "previous": first, "assignments": [first, second],
            "papers": paper_records(regime, {
                kind: ("05.03.2026", "Head", _sample_attributes(p))
                for kind, p in regime.paper_kinds.items()}) if regime is not None else {}}
