"""``nastavnik scenario upgrade``: a scenario file written before the regimes owned their
facts, rewritten with them under ``attributes:`` (facts.py reads the older form).

The text is edited in place where the older keys stand (their positions come from the
YAML parser), so comments, order and layout stay; the first older key of a mentorship or
an assignment becomes ``attributes: {...}`` with every fact of it, the others go. The
result is checked: it must read as the same documents as the old file read with its
facts moved. Where an edit cannot give that (an unusual layout), the documents are
written out plainly instead: the content is the same, the comments are lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml

from .. import registry
from ..parameters import _StringDatesLoader
from ..schema_labels import properties
from .facts import ASSIGNMENT_KEYS, MENTORSHIP_KEYS, legacy_facts, names_of


@dataclass
class Upgraded:
    text: str
    changed: bool
    kept_layout: bool  # False: written out plainly, comments lost


def _load(text: str) -> list:
    return [d for d in yaml.load_all(text, Loader=_StringDatesLoader) if d is not None]


def _records(doc: dict):
    """(mapping, core keys, schema, where, i, j) of every mentorship (j None) and
    assignment of ``doc``."""
    regime = registry.get(doc["regime"], tuple(doc.get("amendments", ())))
    for i, m in enumerate(doc.get("mentorships") or ()):
        yield m, MENTORSHIP_KEYS, regime.mentorship_schema, f"mentorships[{i}]", i, None
        for j, a in enumerate(m.get("assignments") or ()):
            yield (a, ASSIGNMENT_KEYS, regime.assignment_schema,
                   f"mentorships[{i}].assignments[{j}]", i, j)


def _moved(doc: dict, source: str) -> dict:
    """``doc`` with every older fact under ``attributes`` (what the upgraded file reads as)."""
    for record, keys, schema, where, _i, _j in _records(doc):
        facts = legacy_facts(record, keys, schema, where, source)
        if not facts:
            continue
        for key in [k for k in record if k not in keys]:
            del record[key]
        record["attributes"] = {**facts, **record.get("attributes", {})}
    return doc


def _node_at(doc_node, i, j):
    """The composed mapping node of mentorship ``i`` (its assignment ``j``)."""
    def get(mapping, key):
        return next((v for k, v in mapping.value if k.value == key), None)
    node = get(doc_node, "mentorships").value[i]
    return node if j is None else get(node, "assignments").value[j]


def _flat_sources(text: str, key_node, value_node, schema: dict) -> list[str]:
    """``name: value`` texts of the facts one older key gives, values as written."""
    names, props = names_of(schema), properties(schema)
    if key_node.value not in names and isinstance(value_node, yaml.MappingNode):
        pairs = [(f"{key_node.value}_{k.value}", v) for k, v in value_node.value]
    else:
        pairs = [(key_node.value, value_node)]
    out = []
    for name, v in pairs:
        target = names[name]
        raw = text[v.start_mark.index:v.end_mark.index]
        if props[target].get("type") == "string" and v.tag.endswith(":int"):
            raw = json.dumps(v.value, ensure_ascii=False)  # a number kept as text
        out.append(f"{target}: {raw}")
    return out


def _edits(text: str, source: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of every change, by position in ``text``."""
    edits = []
    for doc, doc_node in zip(_load(text), yaml.compose_all(text, Loader=_StringDatesLoader)):
        for record, keys, schema, _where, i, j in _records(doc):
            old = [k for k in record if k not in keys]
            if not old:
                continue
            if "attributes" in record:
                raise ValueError("explicit and older facts together")
            node = _node_at(doc_node, i, j)
            pairs = [(k, v) for k, v in node.value if k.value not in keys]
            facts = [f for k, v in pairs for f in _flat_sources(text, k, v, schema)]
            first = True
            for k, v in pairs:
                start, end = k.start_mark.index, v.end_mark.index
                if first:
                    edits.append((start, end, "attributes: {" + ", ".join(facts) + "}"))
                    first = False
                    continue
                edits.append(_removal(text, start, end, node.flow_style))
    return edits


def _removal(text: str, start: int, end: int, flow: bool) -> tuple[int, int, str]:
    if flow:  # "key: value, " (or ", key: value" when it is the last)
        after = len(text[end:]) - len(text[end:].lstrip(" \t\n"))
        if text[end + after:end + after + 1] == ",":
            rest = text[end + after + 1:]
            return start, end + after + 1 + len(rest) - len(rest.lstrip(" \t\n")), ""
        before = text[:start].rstrip(" \t\n")
        if before.endswith(","):
            return len(before) - 1, end, ""
        return start, end, ""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end + 1
    if not text[line_start:start].strip() and not text[end:line_end].strip():
        return line_start, line_end, ""  # the whole line goes
    return start, end, ""


def upgrade_text(text: str, source: str) -> Upgraded:
    """``text`` of a scenario file with its older facts under ``attributes:``."""
    docs = _load(text)
    wanted = [_moved(d, source) for d in _load(text)]
    if wanted == docs:
        return Upgraded(text, False, True)
    try:
        out = text
        for start, end, new in sorted(_edits(text, source), reverse=True):
            out = out[:start] + new + out[end:]
        if _load(out) == wanted:
            return Upgraded(out, True, True)
    except (ValueError, yaml.YAMLError, AttributeError, KeyError, IndexError):
        pass
    plain = "---\n".join(yaml.safe_dump(d, allow_unicode=True, sort_keys=False) for d in wanted)
    return Upgraded(plain, True, False)
