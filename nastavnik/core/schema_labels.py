"""The words a person reads for a property of a regime's JSON Schema, in their language.

A property keeps plain ``title``/``description`` (English) and adds ``x-title``,
``x-help`` (``{ru, kk, en}``) and, for an enum, ``x-enum-titles`` (``{value: {ru, kk,
en}}``). A missing language falls back to ``title`` (``description``), then to the key
made readable: a form never shows nothing.
"""

from __future__ import annotations


def properties(schema: dict) -> dict:
    """An object schema's properties, ``allOf`` parts merged (a regime with amendments)."""
    props = dict((schema or {}).get("properties") or {})
    for part in (schema or {}).get("allOf") or ():
        props.update(properties(part))
    return props


def _node(schema: dict, key: str) -> dict:
    return properties(schema).get(key) or {}


def _pick(labels, lang: str) -> str | None:
    if isinstance(labels, dict):
        return labels.get(lang) or None
    return None


def humanized(key) -> str:
    return str(key).replace("_", " ").capitalize()


def node_title(node: dict, key: str, lang: str) -> str:
    return _pick(node.get("x-title"), lang) or node.get("title") or humanized(key)


def node_help(node: dict, lang: str) -> str:
    return _pick(node.get("x-help"), lang) or node.get("description") or ""


def node_enum_title(node: dict, value, lang: str) -> str:
    titles = node.get("x-enum-titles") or {}
    found = _pick(titles.get(str(value)) if isinstance(titles, dict) else None, lang)
    return found or (value if isinstance(value, str) else str(value))


def field_title(schema: dict, key: str, lang: str) -> str:
    """The title of property ``key`` in ``lang``."""
    return node_title(_node(schema, key), key, lang)


def field_help(schema: dict, key: str, lang: str) -> str:
    """The help text of property ``key`` in ``lang`` ("" when there is none)."""
    return node_help(_node(schema, key), lang)


def enum_title(schema: dict, key: str, value, lang: str) -> str:
    """How ``value`` of the enum property ``key`` reads in ``lang``."""
    return node_enum_title(_node(schema, key), value, lang)


def labelled(schema: dict, words: dict) -> dict:
    """A copy of ``schema`` with a regime's words for its properties: ``words`` maps a
    property's path (``"key"``, ``"key.sub"`` inside an object) to ``{"title": {ru, kk,
    en}, "help": {...}, "enum": {value: {ru, kk, en}}}``, written as ``x-title``,
    ``x-help`` and ``x-enum-titles``. The words of a schema are many; kept in one table
    they leave its shape readable. A path the schema lacks is a typing error: KeyError."""
    import copy

    out = copy.deepcopy(schema)
    for path, entry in words.items():
        node = out
        for key in path.split("."):
            node = node["properties"][key]
        for name, keyword in (("title", "x-title"), ("help", "x-help"), ("enum", "x-enum-titles")):
            if name in entry:
                node[keyword] = entry[name]
    return out
