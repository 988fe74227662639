"""The papers a regime names (orders, programmes, reports, minutes), where their
templates are, and the words of its deadlines: what a plugin's ``regime_papers`` hook
points at. Each vocabulary is declared here once, by the regime, in ru, kk and en.

A plugin ships a catalogue, ``documents/papers.yaml``::

    papers:
      order:
        subject: mentorship        # what the paper is about: mentorship | meeting
        paragraph: "7"
        title: {ru: ..., kk: ..., en: ...}
      programme:
        subject: mentorship
        paragraph: "8-9"
        recorded: true             # a mentorship may have it recorded as done
        fields: {type: object, properties: {...}}   # optional: what a record carries
        title: {...}
      evaluation:
        subject: mentorship
        paragraph: "11"
        recorded: true
        printable: false           # recorded, but no template to print
        title: {...}
    deadline_kinds:                # the kinds of its deadlines that are not papers
      replacement: {ru: ..., kk: ..., en: ...}
    events:                        # what its deadlines count from
      assignment: {ru: ..., kk: ..., en: ...}
    end_reasons:                   # why a mentor's assignment ends
      dismissal: {ru: ..., kk: ..., en: ...}
    council_bases:                 # grounds of membership of a council, if it has one
      veteran: {ru: ..., kk: ..., en: ...}

and, beside it, one template per printable paper and language: ``order.ru.docx`` (a Word
file with Jinja tags, as docxtpl reads them) or ``order.ru.yaml`` (a layout of headings,
paragraphs and tables that the services turn into such a Word file). The core only reads
the catalogue; what the papers say is the plugin's, how they are rendered the services'.
A paper recorded as done is also a deadline kind, under its title.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import RegimeError
from .parameters import fast_load
from .i18n import LANGUAGES, Text
from .phrases import Phrase, phrases_from

SUBJECTS = ("mentorship", "meeting")
#: why an assignment ends when its mentorship is closed: the platform gives it, so every
#: regime that declares end reasons names it
CLOSING_REASON = "end_of_mentorship"
TEMPLATE_SUFFIXES = (".docx", ".yaml")


@dataclass(frozen=True)
class PaperSpec:
    """One paper of a regime: its id, what it is about, the paragraph that requires it,
    its title in ru, kk and en, and its built-in template per language."""

    id: str
    subject: str
    paragraph: str
    title: dict
    templates: dict = field(default_factory=dict)  # language -> Path (.docx or .yaml)
    recorded: bool = False  # a mentorship may have it recorded as done
    fields: dict | None = None  # JSON Schema of what a record of it carries, if anything

    @property
    def printable(self) -> bool:
        return bool(self.templates)

    @property
    def label(self) -> Text:
        return Text(**{lang: self.title[lang] for lang in LANGUAGES})

    def template(self, lang: str) -> Path:
        try:
            return self.templates[lang]
        except KeyError:
            raise RegimeError(f"paper {self.id!r} has no template in {lang!r}") from None


@dataclass
class Catalogue:
    """A regime's papers and the words of its deadlines and assignments."""

    papers: dict = field(default_factory=dict)  # id -> PaperSpec
    deadline_kinds: dict = field(default_factory=dict)  # id -> Phrase (not papers)
    events: dict = field(default_factory=dict)  # id -> Phrase
    end_reasons: dict = field(default_factory=dict)  # id -> Phrase
    council_bases: dict = field(default_factory=dict)  # id -> Phrase

    def update(self, other: "Catalogue") -> None:
        """Layer ``other`` (an amendment's) on this one: its entries replace ours."""
        for name in ("papers", "deadline_kinds", "events", "end_reasons", "council_bases"):
            getattr(self, name).update(getattr(other, name))
        clash = set(self.deadline_kinds) & {k for k, p in self.papers.items() if p.recorded}
        if clash:
            raise RegimeError(f"deadline kinds named like recorded papers: {', '.join(sorted(clash))}")


def _read(path: Path) -> dict:
    try:
        data = fast_load(path.read_text(encoding="utf-8"), "safe") or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RegimeError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise RegimeError(f"{path}: expected a mapping")
    return data


def _phrases(data: dict, key: str, path: Path) -> dict[str, Phrase]:
    group = data.get(key)
    if group is None:
        return {}
    built = phrases_from(group, f"{path}: {key}")
    if not isinstance(built, dict) or not all(isinstance(v, Phrase) for v in built.values()):
        raise RegimeError(f"{path}: {key}: expected code: {{ru, kk, en}} entries")
    return built


def load_catalogue(path) -> Catalogue:
    """The catalogue at ``path``: its papers, deadline kinds, events and end reasons."""
    path = Path(path)
    data = _read(path)
    return Catalogue(load_papers(path, data), _phrases(data, "deadline_kinds", path),
                     _phrases(data, "events", path), _phrases(data, "end_reasons", path),
                     _phrases(data, "council_bases", path))


def load_papers(path, data: dict | None = None) -> dict[str, PaperSpec]:
    """The papers of the catalogue at ``path`` with the templates found beside it. A
    printable paper (the default) must have a template in every language of the product;
    one declared ``printable: false`` has none and must be ``recorded``."""
    path = Path(path)
    data = _read(path) if data is None else data
    out = {}
    for paper_id, entry in (data.get("papers") or {}).items():
        where = f"{path}: paper {paper_id!r}"
        if not isinstance(entry, dict):
            raise RegimeError(f"{where}: expected a mapping")
        if entry.get("subject") not in SUBJECTS:
            raise RegimeError(f"{where}: subject must be one of {', '.join(SUBJECTS)}")
        title = entry.get("title") or {}
        if set(title) != set(LANGUAGES):
            raise RegimeError(f"{where}: title needs {', '.join(LANGUAGES)}")
        recorded, printable = entry.get("recorded", False), entry.get("printable", True)
        if not isinstance(recorded, bool) or not isinstance(printable, bool):
            raise RegimeError(f"{where}: recorded and printable are true or false")
        if not (recorded or printable):
            raise RegimeError(f"{where}: a paper neither recorded nor printable")
        fields = entry.get("fields")
        if fields is not None and (not isinstance(fields, dict) or not recorded):
            raise RegimeError(f"{where}: fields is a JSON Schema, of a recorded paper")
        templates = {}
        for lang in LANGUAGES if printable else ():
            found = [path.parent / f"{paper_id}.{lang}{s}" for s in TEMPLATE_SUFFIXES]
            found = [p for p in found if p.is_file()]
            if not found:
                raise RegimeError(f"{where}: no template {paper_id}.{lang}.docx or .yaml")
            templates[lang] = found[0]
        out[paper_id] = PaperSpec(paper_id, entry["subject"], str(entry.get("paragraph", "")),
                                  dict(title), templates, recorded, fields)
    return out
