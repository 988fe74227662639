"""JSON Schema validation whose errors name the offending field; the dates, page numbers
and JSON documents the system takes from outside (forms, query strings, request bodies,
files), each refused with a message that names the field."""

from __future__ import annotations

import datetime as dt
import json
import math
import re

from typing import TYPE_CHECKING

from .calendar import FIRST_YEAR, LAST_YEAR
from .errors import BadDate, InputError

if TYPE_CHECKING:
    import jsonschema

# jsonschema (with attrs and referencing, ~50 ms to import) is imported when a value fails
# the compiled check below, or has to be worded: reading a tenant's results never needs it


def field_path(error: jsonschema.ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _best(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    import jsonschema.exceptions

    return jsonschema.exceptions.best_match([error]) if error.context else error


#: validators by the identity of their schema (the regimes' schemas are constants built
#: once; making a validator costs more than most validations)
_VALIDATORS: dict[int, tuple[dict, jsonschema.Draft202012Validator]] = {}


def _validator(schema: dict) -> jsonschema.Draft202012Validator:
    known = _VALIDATORS.get(id(schema))
    if known is not None and known[0] is schema:
        return known[1]
    import jsonschema

    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker(["date"]))
    if len(_VALIDATORS) >= 256:
        _VALIDATORS.clear()
    _VALIDATORS[id(schema)] = (schema, validator)  # holding the schema keeps its id unique
    return validator


#: a schema's refusals in the user's words, by the keyword that refused: {value} is the
#: value given, {limit} the keyword's own
_WORDS = {
    "minimum": {"ru": "не меньше {limit}", "kk": "{limit} мәнінен кем емес болуы керек",
                "en": "at least {limit}"},
    "maximum": {"ru": "не больше {limit}", "kk": "{limit} мәнінен артық емес болуы керек",
                "en": "at most {limit}"},
    "exclusiveMinimum": {"ru": "больше {limit}", "kk": "{limit} мәнінен артық болуы керек",
                         "en": "more than {limit}"},
    "exclusiveMaximum": {"ru": "меньше {limit}", "kk": "{limit} мәнінен кем болуы керек",
                         "en": "less than {limit}"},
    "maxLength": {"ru": "не длиннее {limit} знаков", "kk": "{limit} таңбадан аспауы керек",
                  "en": "at most {limit} characters"},
    "minLength": {"ru": "не короче {limit} знаков", "kk": "кемінде {limit} таңба болуы керек",
                  "en": "at least {limit} characters"},
    "maxItems": {"ru": "не больше {limit} значений", "kk": "{limit} мәннен аспауы керек",
                 "en": "at most {limit} values"},
    "type": {"ru": "значение не того вида", "kk": "мәннің түрі дұрыс емес",
             "en": "not a value of the right kind"},
    "enum": {"ru": "значение не из списка", "kk": "мән тізімде жоқ", "en": "not one of the choices"},
    "const": {"ru": "значение не из списка", "kk": "мән тізімде жоқ", "en": "not one of the choices"},
    "format": {"ru": "неверный формат", "kk": "пішімі дұрыс емес", "en": "not in the right form"},
    "pattern": {"ru": "неверный формат", "kk": "пішімі дұрыс емес", "en": "not in the right form"},
    "required": {"ru": "обязательно", "kk": "міндетті", "en": "required"},
}


def schema_words(error: jsonschema.ValidationError) -> dict | None:
    """The refusal of ``error`` in ru, kk and en (None for a keyword not worded here)."""
    words = _WORDS.get(error.validator)
    if words is None:
        return None
    limit = error.validator_value if not isinstance(error.validator_value, (dict, list)) else ""
    return {lang: text.format(limit=limit) for lang, text in words.items()}


#: the same schemas compiled by jsonschema-rs (None: one it cannot compile), by identity
_COMPILED: dict[int, tuple[dict, object]] = {}


def _passes(instance, schema: dict) -> bool:
    """Whether jsonschema-rs, compiled once per schema, passes ``instance``: a quick yes
    (microseconds, and no jsonschema to import). It checks every format, so it refuses
    at least what jsonschema refuses; whatever it does not pass, or cannot read, is judged
    again by jsonschema, whose verdict and words stand."""
    known = _COMPILED.get(id(schema))
    if known is None or known[0] is not schema:
        try:
            import jsonschema_rs

            compiled = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
        except Exception:  # noqa: BLE001 - a schema it cannot read: jsonschema judges alone
            compiled = None
        if len(_COMPILED) >= 256:
            _COMPILED.clear()
        known = _COMPILED[id(schema)] = (schema, compiled)  # the schema held: its id stays unique
    if known[1] is None:
        return False
    try:
        return known[1].is_valid(instance)
    except Exception:  # noqa: BLE001 - a value that is not JSON: jsonschema words it
        return False


def _problems(instance, schema: dict) -> list[jsonschema.ValidationError]:
    """Every error of ``instance``, the most telling of each, in the order of their paths
    (stable output)."""
    if _passes(instance, schema):
        return []
    errors = sorted(_validator(schema).iter_errors(instance),
                    key=lambda e: list(map(str, e.absolute_path)))
    return [_best(e) for e in errors]


def _input_error(error: jsonschema.ValidationError, source, more: str = "") -> InputError:
    return InputError(error.message + more, field=field_path(error), source=source,
                      words=schema_words(error))


def validate(instance, schema: dict, source: str | None = None, error=InputError) -> None:
    """Raise ``error`` naming the first offending field (sorted by path for stable output)."""
    errors = _problems(instance, schema)
    if not errors:
        return
    first = errors[0]
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    if error is InputError:
        raise _input_error(first, source, more)
    raise error(f"{source or ''} at {field_path(first)}: {first.message}{more}")


def problems(instance, schema: dict, source: str | None = None) -> list[InputError]:
    """Every problem of ``instance`` against ``schema`` (``validate`` raises the first),
    one ``InputError`` each naming its field, in the order of their paths."""
    return [_input_error(e, source) for e in _problems(instance, schema)]


# --- dates -----------------------------------------------------------------------------------

#: any date the system takes: from a person's past (hired in 1975) to a plan's future. Beyond
#: these a date is a typing error (or an attack: 9999-12-31 plus a day overflows).
EARLIEST_DAY = dt.date(1900, 1, 1)
LATEST_DAY = dt.date(2100, 12, 31)
#: the days the working-day calendars cover (core.calendar), less a year's margin for the
#: deadlines counted from them: the dates the rules count from (as of, a first day, a period)
FIRST_DAY = dt.date(FIRST_YEAR, 1, 1)
LAST_DAY = dt.date(LAST_YEAR - 1, 12, 31)


def shown(value, limit: int = 40) -> str:
    """``value`` as a message quotes it: its repr, cut to ``limit`` characters (a message
    never carries a 100,000-character input back)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "\u2026"


def parse_date(value, field: str, source: str | None = None, earliest: dt.date = EARLIEST_DAY,
               latest: dt.date = LATEST_DAY) -> dt.date:
    """A date (a ``date``, or YYYY-MM-DD) from ``earliest`` to ``latest``; BadDate naming
    ``field`` otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise BadDate(f"{shown(value)} is not a date (YYYY-MM-DD)", field=field,
                          source=source, value=value) from None
    if not earliest <= value <= latest:
        raise BadDate(f"{value} is outside the dates taken ({earliest} to {latest})",
                      field=field, source=source, value=value, earliest=earliest, latest=latest)
    return value


def optional_date(value, field: str, source: str | None = None, earliest: dt.date = EARLIEST_DAY,
                  latest: dt.date = LATEST_DAY) -> dt.date | None:
    """A date from a form, a file or a call: empty is None, anything else must be a date."""
    if value is None or value == "":
        return None
    return parse_date(value, field, source, earliest, latest)


# --- pages of a list -------------------------------------------------------------------------

#: the furthest a list may be paged: databases cut pages with integers of 32 bits or more
MAX_OFFSET = 2**31 - 1


def last_page(per_page: int) -> int:
    return MAX_OFFSET // per_page + 1


def page_number(value, per_page: int, field: str = "page") -> int:
    """The page of a list asked for (1 when none is), from 1 to the page whose offset is
    still MAX_OFFSET at most; InputError naming ``field`` otherwise."""
    if value is None or value == "":
        return 1
    text = str(value).strip()
    page = int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else 0
    if not 1 <= page <= last_page(per_page):
        raise InputError(f"{shown(value)} is not a page number (1 to {last_page(per_page)})",
                         field=field)
    return page


# --- JSON from outside ----------------------------------------------------------------------

#: how deep a request's JSON may nest: the deepest document the API takes (person attributes)
#: nests 4 levels; past a few hundred, parsing it (and every recursive walk after) overflows
#: Python's stack
MAX_JSON_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


class JSONRejected(InputError):
    """JSON the system does not take: ``whole`` when the document as a whole is refused
    (too deep, numbers too long, not UTF-8), else a value at ``field`` (a lone surrogate,
    NUL, a number that is not finite)."""

    def __init__(self, message: str, field: str | None = None, whole: bool = False):
        self.whole = whole
        super().__init__(message, field=field)


def _text_problem(text: str) -> str | None:
    if _SURROGATE.search(text):
        return "holds a lone surrogate (U+D800 to U+DFFF), which is not text"
    if "\x00" in text:
        return "must not contain the NUL character"
    return None


def json_problem(value) -> tuple[str, str] | None:
    """(path, what is wrong) of the first value of a parsed JSON document the system does
    not take, or None; the path is empty when the document as a whole is refused. Paths are dotted, with [i] for array items (``present[0]``,
    ``attributes.assessment.mark``); the walk keeps its own stack, so any depth is
    walked."""
    stack = [(value, "", 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            problem = _text_problem(item)
            if problem:
                return path or "(top level)", problem
        elif isinstance(item, float):
            if not math.isfinite(item):
                return path or "(top level)", "is not a finite number"
        elif isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                return "", f"the body nests deeper than {MAX_JSON_DEPTH} levels"
            children = []
            if isinstance(item, dict):
                for key, inner in item.items():
                    here = f"{path}.{key}" if path else str(key)
                    problem = _text_problem(key)
                    if problem:
                        return path or "(top level)", f"a key {problem}"
                    children.append((inner, here, depth + 1))
            else:
                children = [(inner, f"{path}[{i}]", depth + 1) for i, inner in enumerate(item)]
            stack.extend(reversed(children))  # the first offender first
    return None


def load_json(data: bytes | str):
    """A JSON document from outside (a request's body): json.JSONDecodeError when it is
    not JSON, JSONRejected when it is JSON the system does not take (see json_problem;
    ``whole`` for a document nested too deep to parse, or with numbers of more digits
    than Python reads)."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONRejected(f"the body is not UTF-8 (byte {exc.start})", whole=True) from None
    try:
        value = json.loads(data)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise JSONRejected(f"the body nests deeper than {MAX_JSON_DEPTH} levels",
                           whole=True) from None
    except ValueError:  # an integer of more than 4,300 digits (sys.get_int_max_str_digits)
        raise JSONRejected("the body holds a number too long to read", whole=True) from None
    found = json_problem(value)
    if found is not None:
        path, problem = found
        raise JSONRejected(problem, field=path or None, whole=not path)
    return value
