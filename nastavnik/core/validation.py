"""JSON Schema validation whose errors name the offending field."""

from __future__ import annotations

import datetime as dt

import jsonschema

from .errors import InputError

_FORMATS = jsonschema.FormatChecker(["date"])


def field_path(error: jsonschema.ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _best(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    return jsonschema.exceptions.best_match([error]) if error.context else error


#: validators by the identity of their schema (the regimes' schemas are constants built
#: once; making a validator costs more than most validations)
_VALIDATORS: dict[int, tuple[dict, jsonschema.Draft202012Validator]] = {}


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    known = _VALIDATORS.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    validator = jsonschema.Draft202012Validator(schema, format_checker=_FORMATS)
    if len(_VALIDATORS) >= 256:
        _VALIDATORS.clear()
    _VALIDATORS[id(schema)] = (schema, validator)  # holding the schema keeps its id unique
    return validator


def validate(instance, schema: dict, source: str | None = None, error=InputError) -> None:
    """Raise ``error`` naming the first offending field (sorted by path for stable output)."""
    validator = _validator(schema)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    first = _best(errors[0])
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    if error is InputError:
        raise InputError(first.message + more, field=field_path(first), source=source)
    raise error(f"{source or ''} at {field_path(first)}: {first.message}{more}")


def parse_date(value, field: str, source: str | None = None) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD)", field=field, source=source) from None


def optional_date(value, field: str, source: str | None = None) -> dt.date | None:
    """A date from a form, a file or a call: empty is None, anything else must be a date."""
    if value is None or value == "":
        return None
    return parse_date(value, field, source)
