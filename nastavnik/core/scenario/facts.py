"""A scenario's regime facts on mentorships and assignments.

Files written before the regimes owned these facts put them beside the core's keys
(``some_date: ...``, ``decision: {number, date}``, ``consent: true``).
They still load: a key that is not the core's is read as an attribute of the regime's
schema, by its name or one of its ``x-aliases``; an object is read as one attribute per
field (``decision: {number, date}`` as ``decision_number`` and ``decision_date``). ``nastavnik scenario upgrade`` rewrites such files to the
explicit ``attributes:`` form.
"""

from __future__ import annotations

from ..errors import InputError
from ..schema_labels import properties

MENTORSHIP_KEYS = frozenset({"id", "mentee", "kind", "start", "joined", "planned_end",
                             "term_months", "ended", "assignments", "papers", "attributes"})
ASSIGNMENT_KEYS = frozenset({"mentor", "from", "to", "end_reason", "order", "fallback",
                             "attributes"})


def names_of(schema: dict) -> dict:
    """Every name a property may be written under -> its property."""
    names = {}
    for key, node in properties(schema).items():
        names[key] = key
        for alias in node.get("x-aliases") or ():
            names.setdefault(alias, key)
    return names


def _typed(node: dict, value):
    # an older file's order-like number may be an integer; the schema keeps text
    if node.get("type") == "string" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def legacy_facts(raw: dict, core_keys: frozenset, schema: dict, where: str,
                 source: str) -> dict:
    """The attributes the keys of ``raw`` outside ``core_keys`` give, in the regime's
    shape; a key the regime does not know is an error naming it."""
    names, props = names_of(schema), properties(schema)
    out = {}
    for key, value in raw.items():
        if key in core_keys:
            continue
        if key in names:
            out[names[key]] = _typed(props[names[key]], value)
            continue
        flat = {f"{key}_{sub}": v for sub, v in value.items()} if isinstance(value, dict) else {}
        if flat and all(k in names for k in flat):
            for k, v in flat.items():
                out[names[k]] = _typed(props[names[k]], v)
            continue
        raise InputError(f"{key!r} is neither a key of the scenario format nor a fact the "
                         f"regime keeps (it knows: {', '.join(props) or 'none'})",
                         field=f"{where}.{key}", source=source)
    return out


def facts_of(raw: dict, core_keys: frozenset, schema: dict, where: str, source: str) -> dict:
    """``raw``'s explicit ``attributes`` with its older keys' facts (the explicit win)."""
    return {**legacy_facts(raw, core_keys, schema, where, source), **raw.get("attributes", {})}
