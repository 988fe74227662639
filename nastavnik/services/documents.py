"""The papers the tenant's regime names, made into documents people print and sign.

    with services.tenant("akmola-prosecutors", "hr:aigerim") as t:
        doc = documents.render_paper(t, "order", mentorship="P-0012", lang="kk", fmt="pdf")
        Path(doc.filename).write_bytes(doc.content)

The regime's plugin says which papers exist and ships their templates (``regime_papers``);
a tenant may replace a template (``document_templates``). The template, a Word file with
Jinja tags, is filled by docxtpl from a context gathered here from the services' read
models: the same data the admin shows, as plain dicts and lists. A tenant's template is
code the server runs, so it is filled in Jinja's sandbox (``template_sandbox``). PDF is
the filled Word file converted by LibreOffice (``office``), so the printable copy is
exactly the editable one.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import jinja2
import sqlalchemy as sa
from docxtpl import DocxTemplate

from ..core.errors import InputError, NotFound
from ..core.i18n import LANGUAGES, Text, format_date
from ..core.papers import PaperSpec
from ..core.vocabulary import COUNCIL_ROLES
from ..storage.models import Person, db
from . import office
from .template_sandbox import CheckingEnvironment, PaperEnvironment, check_plain, problem
from .template_worker import fill_isolated
from .word_package import check_word_package
from .unit import TenantWork

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
FORMATS = {"docx": DOCX, "pdf": PDF}
BLANK = "____________"  # a value not recorded: a line to fill in by hand

VOTES = {"for": Text("за", "қолдап", "for"), "against": Text("против", "қарсы", "against"),
         "abstain": Text("воздержался", "қалыс қалды", "abstained"),
         None: Text("не голосовал", "дауыс бермеді", "did not vote")}
PRESENCE = {True: Text("присутствовал", "қатысты", "present"),
            False: Text("отсутствовал", "қатыспады", "absent")}
DECISION = {True: Text("РЕШЕНИЕ ПРИНЯТО", "ШЕШІМ ҚАБЫЛДАНДЫ", "DECISION ADOPTED"),
            False: Text("РЕШЕНИЕ НЕ ПРИНЯТО", "ШЕШІМ ҚАБЫЛДАНБАДЫ", "DECISION NOT ADOPTED"),
            None: Text("РЕШЕНИЕ НЕ ПРИНЯТО", "ШЕШІМ ҚАБЫЛДАНБАДЫ", "NO DECISION")}
DECIDED_BY = {
    "majority": Text("простым большинством голосов присутствующих членов",
                     "қатысқан мүшелердің жай көпшілік дауысымен",
                     "by a simple majority of the members present"),
    "tie_broken_by_chair": Text("голоса разделились поровну; принято решение, за которое "
                                "голосовал председатель",
                                "дауыстар тең бөлінді; төраға дауыс берген шешім қабылданды",
                                "the votes were tied; the side the chair voted for prevails"),
    "tie_unresolved": Text("голоса разделились поровну, а голос председателя не определяет "
                           "решения", "дауыстар тең бөлінді, ал төрағаның дауысы шешімді "
                           "айқындамайды", "the votes were tied and the chair's vote does not "
                           "settle it"),
    "no_quorum": Text("заседание неправомочно: нет кворума",
                      "отырыс заңды емес: кворум жоқ", "the meeting was not quorate"),
}
YES_NO = {True: Text("да", "иә", "yes"), False: Text("нет", "жоқ", "no")}


@dataclass(frozen=True)
class Rendered:
    """A document: its bytes, a file name and the media type."""

    content: bytes
    filename: str
    mimetype: str


# --- which papers --------------------------------------------------------------------------

def regime_papers(regime) -> dict[str, PaperSpec]:
    """Every paper the regime's plugins declare that can be printed (none if they implement
    no ``regime_papers``)."""
    return {k: p for k, p in regime.papers.items() if p.printable}


def papers(work: TenantWork, subject: str | None = None) -> list[PaperSpec]:
    return [p for p in regime_papers(work.regime).values() if subject in (None, p.subject)]


def paper_records(regime, recorded: dict) -> dict:
    """What a template reads of the mentorship's papers: every kind the regime records
    (so a template may ask for any), each with its date, approver and fields, the fields
    also at the top (``papers.<kind>.<field>``); ``recorded`` maps a kind to its
    (done_on, approved_by, attributes)."""
    out = {}
    for kind, spec in regime.paper_kinds.items():
        props = ((spec.fields or {}).get("properties") or {})
        done_on, approved_by, attributes = recorded.get(kind, (None, None, {}))
        fields = {k: [] if (v or {}).get("type") == "array" else None for k, v in props.items()}
        fields.update(attributes or {})
        out[kind] = {**fields, "done_on": done_on, "approved_by": approved_by,
                     "attributes": fields}
    return out


def find_paper(work: TenantWork, paper: str, subject: str | None = None) -> PaperSpec:
    found = regime_papers(work.regime)
    spec = found.get(str(paper))
    if spec is None or (subject and spec.subject != subject):
        known = ", ".join(p.id for p in found.values() if subject in (None, p.subject)) or "none"
        raise InputError(f"the regime {work.tenant.regime} has no paper {paper!r} "
                         f"(its papers: {known})", field="paper")
    return spec


def check_language(lang: str | None, work: TenantWork) -> str:
    lang = lang or work.lang
    if lang not in LANGUAGES:
        raise InputError(f"one of {', '.join(LANGUAGES)}", field="lang")
    return lang


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"one of {', '.join(FORMATS)}", field="format")
    return fmt


# --- rendering -----------------------------------------------------------------------------

def _blank(value):
    return BLANK if value is None or value == "" else value


def jinja_env(fields) -> PaperEnvironment:
    """The sandbox, taking only the paper's ``fields`` (template_sandbox). Unknown fields
    are errors (a misspelt tag is refused at upload, not printed empty); a value not
    recorded prints as a line to fill in."""
    return PaperEnvironment(fields, undefined=jinja2.StrictUndefined, finalize=_blank,
                            autoescape=True)


def fill(template: bytes, context: dict) -> bytes:
    """The Word file of ``template`` filled with ``context`` (plain data only)."""
    check_plain(context)
    doc = DocxTemplate(io.BytesIO(template))
    doc.render(context, jinja_env(context), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def fill_own(template: bytes, context: dict) -> bytes:
    """``fill`` for a tenant's own template, which is hostile until shown otherwise: the
    package is checked (word_package), the source checked in the process without running
    it, and only then is it filled, in a limited child process (template_worker)."""
    check_word_package(template)
    check_plain(context)
    DocxTemplate(io.BytesIO(template)).render(
        context, CheckingEnvironment(context, undefined=jinja2.StrictUndefined), autoescape=True)
    return fill_isolated(template, context)


def _filename(*parts: str) -> str:
    name = "-".join(re.sub(r"[^\w.-]+", "_", p, flags=re.ASCII).strip("_") for p in parts if p)
    return name or "paper"


def render_paper(work: TenantWork, paper: str, *, mentorship: str | None = None,
                 meeting: str | None = None, lang: str | None = None, fmt: str = "docx",
                 today: dt.date | None = None) -> Rendered:
    """The paper ``paper`` of a mentorship (by id or the mentee's personnel number) or of
    a council meeting, in ``lang`` (default: the tenant's), as docx or pdf."""
    from . import document_templates

    fmt, lang = check_format(fmt), check_language(lang, work)
    spec = find_paper(work, paper)
    today = today or dt.date.today()
    if spec.subject == "mentorship":
        if not mentorship:
            raise InputError(f"{spec.id} is a paper of a mentorship: name the mentorship",
                             field="mentorship")
        context, who = mentorship_context(work, spec, mentorship, lang, today)
    else:
        if not meeting:
            raise InputError(f"{spec.id} is a paper of a council meeting: name the meeting",
                             field="meeting")
        context, who = meeting_context(work, spec, meeting, lang, today)
    template, own = document_templates.template_for(work, spec, lang)
    try:
        content = fill_own(template, context) if own else fill(template, context)
    except Exception as exc:
        if not own:
            raise  # the regime's template: a bug in its plugin
        # the tenant's: stored before the upload check refused it, or broken by real data
        raise InputError(f"the paper cannot be made from the tenant's template ({spec.id}, "
                         f"{lang}): {problem(exc)}; a tenant admin can upload a corrected "
                         "template or go back to the built-in one", field="template") from None
    if fmt == "pdf":
        content = office.to_pdf(content)
    return Rendered(content, f"{_filename(spec.id, who, lang)}.{fmt}", FORMATS[fmt])


# --- what a paper may say ------------------------------------------------------------------

def _date(value, lang: str) -> str | None:
    if not value:
        return None
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return format_date(value, lang)


def _person(work: TenantWork, number: str | None, lang: str) -> dict:
    row = db.session.scalar(sa.select(Person).where(Person.number == number)) if number else None
    if row is None:
        return {"name": None, "number": number, "unit": None, "position": None,
                "hired_on": None}
    return {"name": row.full_name, "number": row.number, "unit": row.unit,
            "position": row.position, "hired_on": _date(row.hired_on, lang)}


def _common(work: TenantWork, spec: PaperSpec, lang: str, today: dt.date) -> dict:
    info = work.regime.info
    return {"lang": lang, "today": format_date(today, lang),
            "tenant": {"name": work.tenant.name},
            "regime": {"id": info.id, "title": info.title.get(lang),
                       "citation": info.citation.get(lang)},
            "paper": {"id": spec.id, "title": spec.title[lang], "paragraph": spec.paragraph}}


def _code_label(labels: dict, code, lang: str) -> str | None:
    """A code's label in ``lang``; a code the regime no longer names stays as it is."""
    if not code:
        return None
    found = labels.get(code)
    return found.localize(lang) if found is not None else code


def mentorship_context(work: TenantWork, spec: PaperSpec, ref: str, lang: str,
                       today: dt.date) -> tuple[dict, str]:
    """The fields of a mentorship's paper, and the mentee's number for the file name."""
    from .views import mentorship_page

    view = mentorship_page(work, ref, today)
    mentee = _person(work, view["mentee"], lang)
    manager_row = None
    person_row = db.session.scalar(sa.select(Person).where(Person.number == view["mentee"]))
    if person_row is not None and person_row.manager_id is not None:
        manager_row = db.session.get(Person, {"tenant_id": work.tenant.id,
                                              "id": person_row.manager_id})
    assignments = []
    for a in view["assignments"]:
        assignments.append({
            "mentor": _person(work, a["mentor"], lang), "start": _date(a["from"], lang),
            "end": _date(a["to"], lang),
            "end_reason": _code_label(work.regime.end_reasons, a["end_reason"], lang),
            "order": {"number": a["order"]["number"], "date": _date(a["order"]["date"], lang)},
            "fallback": a["fallback"]})
    latest = assignments[-1] if assignments else None
    previous = assignments[-2] if len(assignments) > 1 else None
    kinds = work.regime.info.mentee_kinds
    term = view["term"] or {}
    recorded = paper_records(work.regime, {
        p["kind"]: (_date(p["done_on"], lang), p["approved_by"], p["attributes"])
        for p in view["papers"]})
    empty_mentor = {"name": None, "number": None, "unit": None, "position": None,
                    "hired_on": None}
    context = {
        **_common(work, spec, lang, today),
        "mentee": mentee,
        "manager": {"name": manager_row.full_name if manager_row else None,
                    "position": manager_row.position if manager_row else None},
        "kind": _kind_name((kinds.get(view["kind"]) or {}).get(lang)) if view["kind"] else None,
        "mentorship": {
            "id": view["id"], "start": _date(view["start"], lang),
            "planned_end": _date(term.get("planned_end"), lang),
            "last_day": _date(view["last_day"], lang), "ended_on": _date(view["ended_on"], lang),
            "status": view["status"]},
        "mentor": latest["mentor"] if latest else empty_mentor,
        "order": latest["order"] if latest else {"number": None, "date": None},
        "assignment": latest or {"mentor": empty_mentor, "start": None, "end": None,
                                 "end_reason": None, "order": {"number": None, "date": None},
                                 "fallback": False},
        "is_replacement": previous is not None,
        "previous": previous or {"mentor": empty_mentor, "start": None, "end": None,
                                 "end_reason": None, "order": {"number": None, "date": None},
                                 "fallback": False},
        "assignments": assignments,
        "papers": recorded,
    }
    return context, view["mentee"] or ""


def _kind_name(label: str | None) -> str | None:
    """A mentee kind as a paper names the person: without the catalogue's explanation in
    brackets ("молодой сотрудник (впервые поступивший по конкурсу, п.2, п.5)" reads
    "молодой сотрудник"), which inside a paper's own brackets read as a machine's."""
    return re.sub(r"\s*\(.*\)\s*$", "", label) if label else label


def meeting_context(work: TenantWork, spec: PaperSpec, meeting_ref: str, lang: str,
                    today: dt.date) -> tuple[dict, str]:
    """The fields of a council meeting's minutes, and its date for the file name."""
    from .councils import find_council, find_meeting
    from .mentorships import find_mentorship
    from .views import meeting_page

    meeting = find_meeting(work, meeting_ref)
    council = find_council(work, str(meeting.council_id))
    view = meeting_page(work, str(meeting.id), lang)
    names = view["names"]
    chair = next((m for m in view["member_list"] if m["role"] == "chair"), None)
    secretary = next((m for m in view["member_list"] if m["role"] == "secretary"), None)
    members = [{"name": m["name"], "number": m["person"], "role": COUNCIL_ROLES[m["role"]].localize(lang),
                "present": m["present"], "presence": PRESENCE[m["present"]].localize(lang)}
               for m in view["member_list"]]
    items = []
    for it in view["items"]:
        hearing = None
        if it.get("hearing"):
            try:
                m = find_mentorship(work, it["hearing"])
            except NotFound:
                m = None
            mentee = db.session.get(Person, {"tenant_id": work.tenant.id, "id": m.mentee_id}) if m else None
            hearing = mentee.full_name if mentee else None
        votes = [{"name": names.get(n, n), "vote": VOTES[v].localize(lang)}
                 for n, v in sorted(it["votes"].items(), key=lambda kv: names.get(kv[0], kv[0]))]
        voted = set(it["votes"])
        votes += [{"name": m["name"], "vote": VOTES[None].localize(lang)} for m in members
                  if m["present"] and m["number"] not in voted]
        how = it.get("decided_by") or ("majority" if view["quorate"] else "no_quorum")
        items.append({"position": it["position"], "title": it["title"], "hearing": hearing,
                      "votes_for": it.get("for", 0), "votes_against": it.get("against", 0),
                      "abstained": it.get("abstained", 0), "votes": votes,
                      "majority_needed": it.get("majority_needed"),
                      "adopted": it.get("adopted"), "decision": DECISION[it.get("adopted")].localize(lang),
                      "decided_by": DECIDED_BY[how].localize(lang),
                      "tie_broken_by_chair": bool(it.get("tie_broken_by_chair"))})
    facts = view.get("facts") or {}
    context = {
        **_common(work, spec, lang, today),
        "council": {"name": council.name, "created_on": _date(council.created_on, lang),
                    "order": {"number": council.order_number,
                              "date": _date(council.order_date, lang)}},
        "meeting": {"id": view["id"], "date": _date(view["date"], lang),
                    "members_count": view["members"], "present_count": view["present"],
                    "quorum_needed": facts.get("required"), "quorum": facts.get("quorum"),
                    "quorate": view["quorate"], "quorate_text": YES_NO[bool(view["quorate"])].localize(lang),
                    "explanation": view["explanation"]},
        "chair": {"name": chair["name"] if chair else None},
        "secretary": {"name": secretary["name"] if secretary else None},
        "members": members,
        "present": [m for m in members if m["present"]],
        "absent": [m for m in members if not m["present"]],
        "items": items,
    }
    return context, view["date"]
