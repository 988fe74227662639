"""The papers a regime names (orders, programmes, reports, minutes) and where their
templates are: what a plugin's ``regime_papers`` hook points at.

A plugin ships a catalogue, ``documents/papers.yaml``::

    papers:
      order:
        subject: mentorship        # what the paper is about: mentorship | meeting
        paragraph: "7"
        title: {ru: ..., kk: ..., en: ...}

and, beside it, one template per paper and language: ``order.ru.docx`` (a Word file with
Jinja tags, as docxtpl reads them) or ``order.ru.yaml`` (a layout of headings,
paragraphs and tables that the services turn into such a Word file). The core only reads
the catalogue; what the papers say is the plugin's, how they are rendered the services'.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import RegimeError
from .i18n import LANGUAGES

SUBJECTS = ("mentorship", "meeting")
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

    def template(self, lang: str) -> Path:
        try:
            return self.templates[lang]
        except KeyError:
            raise RegimeError(f"paper {self.id!r} has no template in {lang!r}") from None


def load_papers(path) -> dict[str, PaperSpec]:
    """The catalogue at ``path`` with the templates found beside it. A paper must have a
    template in every language of the product."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RegimeError(f"{path}: {exc}") from exc
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
        templates = {}
        for lang in LANGUAGES:
            found = [path.parent / f"{paper_id}.{lang}{s}" for s in TEMPLATE_SUFFIXES]
            found = [p for p in found if p.is_file()]
            if not found:
                raise RegimeError(f"{where}: no template {paper_id}.{lang}.docx or .yaml")
            templates[lang] = found[0]
        out[paper_id] = PaperSpec(paper_id, entry["subject"], str(entry.get("paragraph", "")),
                                  dict(title), templates)
    return out
