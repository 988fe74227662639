"""A regime's facts on mentorships and assignments typed in as text (``KEY=VALUE``, the
CLI's ``--attribute``): each value read as its property in the regime's schema says.
Whether the value is acceptable is for the schema's validation (in the services)."""

from __future__ import annotations

import json

from ..core.errors import InputError
from ..core.schema_labels import properties

TRUE, FALSE = ("true", "yes", "1", "y"), ("false", "no", "0", "n")


def _typed(node: dict, key: str, text: str):
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if "enum" in node:
        for value in node["enum"]:
            if str(value) == text or (isinstance(value, bool) and text.lower() == str(value).lower()):
                return value
        return text  # refused by the schema, naming the choices
    if kind == "boolean":
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise InputError(f"{text!r} is not true or false", field=key)
    if kind in ("integer", "number"):
        try:
            return int(text) if kind == "integer" else float(text)
        except ValueError:
            raise InputError(f"{text!r} is not a {kind}", field=key) from None
    if kind in ("object", "array"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON: {exc.msg}", field=key) from None
    return text


def typed_facts(pairs, schemas: dict) -> dict:
    """``KEY=VALUE`` texts split between ``schemas`` (name -> the regime's schema, in the
    order a key is looked for): name -> the facts of that schema. A key no schema has is
    an error naming it."""
    out = {name: {} for name in schemas}
    for pair in pairs or ():
        key, sep, text = str(pair).partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"{pair!r}: KEY=VALUE expected", field="attribute")
        owner = next((name for name, schema in schemas.items() if key in properties(schema)),
                     None)
        if owner is None:
            known = sorted({k for schema in schemas.values() for k in properties(schema)})
            raise InputError(f"the regime keeps no fact {key!r} here (it knows: "
                             f"{', '.join(known) or 'none'})", field="attribute")
        out[owner][key] = _typed(properties(schemas[owner])[key], key, text)
    return out
