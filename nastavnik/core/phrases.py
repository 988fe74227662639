"""A regime's own words in ru, kk and en, kept in YAML beside its rules (``phrases.yaml``)
rather than in its Python: labels of its codes and the pieces its findings are made of.

::

    not_recorded: {ru: не указано, kk: көрсетілмеген, en: not recorded}
    chair_absent:
      ru: "председатель {chair} отсутствовал"
      kk: "төраға {chair} қатыспады"
      en: "the chair {chair} was absent"
    positions:                       # a group: code -> phrase
      assistant: {ru: помощник прокурора, kk: прокурордың көмекшісі, en: assistant prosecutor}

A leaf (a mapping of exactly ru, kk and en) is a ``Phrase``; any other mapping is a group.
Every language of a phrase must name the same placeholders, so a value is never missing
from one translation.
"""

from __future__ import annotations

import string
from pathlib import Path

import yaml

from .errors import RegimeError
from .parameters import fast_load
from .i18n import LANGUAGES, Text, localize


class Phrase(Text):
    """A phrase in three languages, possibly with ``{placeholders}``."""

    __slots__ = ()

    def fill(self, **values) -> Text:
        """The phrase with its placeholders filled, each value put in each language's form
        (dates, spans and other phrases are localised)."""
        parts = {lang: getattr(self, lang).format_map(
            {k: localize(v, lang) for k, v in values.items()}) for lang in LANGUAGES}
        return Text(**parts)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _build(node, where: str):
    if not isinstance(node, dict) or not node:
        raise RegimeError(f"{where}: expected a mapping")
    if set(node) == set(LANGUAGES):
        texts = {lang: node[lang] for lang in LANGUAGES}
        if not all(isinstance(t, str) and t for t in texts.values()):
            raise RegimeError(f"{where}: every language needs a non-empty text")
        try:
            names = {lang: _placeholders(t) for lang, t in texts.items()}
        except ValueError as exc:
            raise RegimeError(f"{where}: {exc}") from None
        if len({frozenset(n) for n in names.values()}) != 1:
            raise RegimeError(f"{where}: the languages name different placeholders: {names}")
        return Phrase(**texts)
    return {str(key): _build(value, f"{where}.{key}") for key, value in node.items()}


def phrases_from(data, where: str):
    """The phrases in ``data`` (a part of a YAML file already read), as ``load_phrases``."""
    return _build(data, where)


def load_phrases(path) -> dict:
    """The phrases at ``path``: a mapping of names to ``Phrase`` or to groups of them."""
    path = Path(path)
    try:
        data = fast_load(path.read_text(encoding="utf-8"), "safe")
    except (OSError, yaml.YAMLError) as exc:
        raise RegimeError(f"{path}: {exc}") from exc
    return _build(data, str(path))
