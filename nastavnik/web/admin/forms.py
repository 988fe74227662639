"""Form helpers shared by the admin's pages: WTForms fields generated from a regime's JSON
Schema (tenant settings, person attributes), the values they give as JSON, errors of the
services put next to the field they name, and a unit of work for submitted forms.

Only the shape of the schema is read here (types, titles, descriptions, bounds, enums):
whether a value is acceptable is for the services to say, which validate against the
same schema."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, FloatField, IntegerField, SelectChoice, SelectField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from ...core import schema_labels, validation
from ...core.errors import BadDate, InputError
from ...core.i18n import format_date
from ..guard import BadInput
from ..i18n import current_language
from . import work

REQUIRED = re.compile(r"^'([^']+)' is a required property")
INDEX = re.compile(r"\[\d+\]")


# --- a unit of work for a submitted form -------------------------------------------------

class Rejected(Exception):
    """The services refused the input (``error``); the unit of work was rolled back."""

    def __init__(self, error: InputError):
        super().__init__(str(error))
        self.error = error


@contextlib.contextmanager
def attempt():
    """``work()`` for a submitted form. Bad input, a personnel number that names nobody
    included, rolls the whole unit back and comes out as ``Rejected`` for the form to show
    (``work()`` alone answers a missing record with 404, right for the record in the URL,
    wrong for a manager typed into a field)."""
    with work() as w:
        try:
            yield w
        except InputError as exc:
            raise Rejected(exc) from exc


def bare(exc: InputError) -> str:
    """The message without its "source at field:" prefix: the form shows it at the field."""
    where = " ".join(x for x in (exc.source, f"at {exc.field}" if exc.field else None) if x)
    text = str(exc)
    return text[len(where) + 2:] if where and text.startswith(where + ": ") else text


#: the services' fixed messages in the user's language (the core and the services speak
#: English; a message not listed here is shown as it is)
SERVICE_WORDS = {
    "ends before it starts": _l("ends before it starts"),
    "the period ends before it starts": _l("ends before it starts"),
    "a person cannot mentor themselves": _l("a person cannot mentor themselves"),
    "that person is already the mentor": _l("that person is already the mentor"),
    "the mentorship is closed": _l("the mentorship is closed"),
    "the mentorship is already closed": _l("the mentorship is already closed"),
    "the mentorship has no current mentor": _l("the mentorship has no current mentor"),
    "required": _l("required"),
    "is required": _l("required"),
    "a full name is required": _l("a full name is required"),
    "the last day of the mentor is required": _l("the last day of the mentor is required"),
    "the first day of the new mentor is required": _l("the first day of the new mentor is required"),
    "the mentor is released before the new one starts":
        _l("the mentor is released before the new one starts"),
}

#: the services' messages that carry a value, as patterns: the value is kept, the words
#: are the user's
SERVICE_PATTERNS = [
    (re.compile(r"(?P<value>.+) is not a date \(YYYY-MM-DD or DD\.MM\.YYYY\)"),
     _l("%(value)s is not a date (YYYY-MM-DD or DD.MM.YYYY)")),
    (re.compile(r"(?P<value>.+) is not a date \(YYYY-MM-DD\)"),
     _l("%(value)s is not a date (YYYY-MM-DD)")),
    (re.compile(r"(?P<value>.+) is not a date"), _l("%(value)s is not a date")),
    (re.compile(r"must be after the previous mentor's release \((?P<value>[\d-]+)\)"),
     _l("must be after the previous mentor's release (%(value)s)")),
    (re.compile(r"the mentor was already released on (?P<value>[\d-]+)"),
     _l("the mentor was already released on %(value)s")),
    (re.compile(r"before the current assignment's start \((?P<value>[\d-]+)\)"),
     _l("before the current assignment's start (%(value)s)")),
    (re.compile(r"before the mentorship's start \((?P<value>[\d-]+)\)"),
     _l("before the mentorship's start (%(value)s)")),
]


def service_words(message: str) -> str:
    """A service's message in the user's language: a fixed one from SERVICE_WORDS, one
    with a value from SERVICE_PATTERNS; any other as it is."""
    known = SERVICE_WORDS.get(message)
    if known is not None:
        return str(known)
    for pattern, words in SERVICE_PATTERNS:
        match = pattern.fullmatch(message)
        if match:
            return words % match.groupdict()
    return message


def say(exc: InputError) -> str:
    """A service's error, without its "at field:" prefix, in the user's language where the
    words are known."""
    if isinstance(exc, BadDate):
        return date_message(exc)
    if getattr(exc, "words", None):
        return exc.words.get(current_language(), exc.words["en"])
    return service_words(bare(exc))


def error_at_field(form: FlaskForm, exc: InputError, fields: dict[str, str]) -> str | None:
    """Put a service's error on the form field it concerns (``fields``: the service's
    name of a field -> the form's), marked and with its label; returns the error as the
    page's summary says it ("label: message"), None when no field of the form is its."""
    name = fields.get(exc.field or "")
    if name is None or name not in form:
        return None
    message = say(exc)
    add_error(form[name], message)
    return f"{form[name].label.text}: {message}"


def add_error(field, message) -> None:
    if not isinstance(field.errors, list):  # a tuple until the form is validated
        field.errors = list(field.errors)
    field.errors.append(message)


# --- dates and pages from a form or the address --------------------------------------------

#: the dates a form or the address may give: the calendars' (see core.validation), or for
#: a date of a person's past (hired on), from EARLIEST_DAY
CALENDAR = (validation.FIRST_DAY, validation.LAST_DAY)
PAST = (validation.EARLIEST_DAY, validation.LAST_DAY)
ANY = (validation.EARLIEST_DAY, validation.LATEST_DAY)


def date_message(error: BadDate) -> str:
    """A bad date in the user's language (without the field: the caller names it)."""
    lang = current_language()
    if error.earliest is None:
        return _("%(value)s is not a date (YYYY-MM-DD).", value=validation.shown(error.value))
    return _("%(value)s is outside the dates the system takes (%(first)s to %(last)s).",
             value=format_date(error.value, lang), first=format_date(error.earliest, lang),
             last=format_date(error.latest, lang))


class DateRange:
    """A date field's validator: its date within ``span`` (the calendars' by default)."""

    def __init__(self, span: tuple[dt.date, dt.date] = CALENDAR):
        self.span = span

    def __call__(self, form, field) -> None:
        if isinstance(field.data, dt.date):
            try:
                validation.parse_date(field.data, field.name, earliest=self.span[0],
                                      latest=self.span[1])
            except BadDate as exc:
                raise ValidationError(date_message(exc)) from None


def date_arg(name: str, label, default: dt.date | None = None,
             span: tuple[dt.date, dt.date] = CALENDAR) -> dt.date | None:
    """The date in the address's parameter ``name`` (``default`` when there is none); a
    bad one is a 400 naming it by ``label``, as the page's form does."""
    try:
        day = validation.optional_date(request.args.get(name), name, earliest=span[0],
                                       latest=span[1])
    except BadDate as exc:
        raise BadInput(f"{label}: {date_message(exc)}") from None
    return default if day is None else day


def text_arg(name: str, label, longest: int = 255) -> str:
    """The text in the address's parameter ``name``, stripped ("" when there is none); a
    400 naming it by ``label`` when it is longer than ``longest`` (the column it is looked
    for in: a search of 100,000 characters is no search, and SQLite's LIKE refuses it)."""
    text = request.args.get(name, "").strip()
    if len(text) > longest:
        raise BadInput(_("%(field)s: at most %(max)d characters.", field=label, max=longest))
    return text


def page_arg(per_page: int) -> int:
    """The page of a list asked for in the address (1 by default); a 400 past the last a
    database can reach, or for what is not a page number."""
    try:
        return validation.page_number(request.args.get("page"), per_page)
    except InputError:
        raise BadInput(_("Page: a page number from 1 to %(last)d is expected.",
                         last=validation.last_page(per_page))) from None


# --- fields from a JSON Schema -----------------------------------------------------------

#: the most characters a generated field takes: a text value of a regime's schema without
#: its own maxLength (the regimes' are names, codes and categories), and a value edited as
#: JSON (arrays such as the list of disciplinary penalties)
MAX_TEXT = 1000
MAX_JSON = 20000

@dataclass
class SchemaField:
    """One value of a JSON Schema as a form field."""

    name: str  # the form field's name
    path: tuple[str, ...]  # where the value goes in the JSON object
    kind: str  # integer, number, boolean, enum, choices, date, string, json
    node: dict
    label: str
    description: str
    required: bool
    group: str | None  # the object it is part of, as a heading
    group_description: str = ""
    lang: str = "en"  # the language of its words (x-title, x-help, x-enum-titles)

    def unbound(self):
        """The WTForms field (unbound, to be set on a form class)."""
        kw = {"label": self.label, "description": self.description,
              "validators": [Optional()]}
        node = self.node
        if self.kind == "integer":
            return IntegerField(widget=NumberInput(step=1, min=node.get("minimum"),
                                                   max=node.get("maximum")), **kw)
        if self.kind == "number":
            kw["validators"] = [Optional(), finite]
            return FloatField(widget=NumberInput(step="any", min=node.get("minimum"),
                                                 max=node.get("maximum")), **kw)
        if self.kind == "boolean":
            return SelectField(choices=[SelectChoice("", "—"), SelectChoice("true", _l("yes")),
                                        SelectChoice("false", _l("no"))], **kw)
        if self.kind == "enum":
            return SelectField(choices=[SelectChoice("", "—")] + [
                SelectChoice(str(i), _show(node, v, self.lang))
                for i, v in enumerate(node["enum"])], **kw)
        if self.kind == "choices":  # values outside the known ones are the services' to refuse
            return SelectMultipleField(choices=[SelectChoice(v, t) for v, t in
                                                _choices(node, self.lang).items()],
                                       validate_choice=False, widget=ListWidget(prefix_label=False),
                                       option_widget=CheckboxInput(), **kw)
        if self.kind == "date":
            kw["validators"] = [Optional(), DateRange(ANY)]
            return DateField(**kw)
        if self.kind == "json":
            kw["description"] = _l("%(description)s (as JSON)", description=self.description) \
                if self.description else _l("As JSON")
            kw["validators"] = [Optional(), Length(max=MAX_JSON)]
            return TextAreaField(render_kw={"rows": 3, "spellcheck": "false",
                                            "maxlength": MAX_JSON}, **kw)
        longest = node.get("maxLength", MAX_TEXT)
        kw["validators"] = [Optional(), Length(max=longest)]
        return StringField(render_kw={"maxlength": longest}, **kw)


def finite(form, field) -> None:
    """A number field's validator: NaN and infinity are not numbers JSON can hold."""
    if isinstance(field.data, float) and not math.isfinite(field.data):
        raise ValidationError(_("Not a number."))


def _show(node: dict, value, lang: str) -> str:
    """An enum's value as its ``x-enum-titles`` say in ``lang``, else as it is."""
    shown = schema_labels.node_enum_title(node, value, lang)
    if shown != value or isinstance(value, str):
        return shown
    return json.dumps(value, ensure_ascii=False)


def _choices(node: dict, lang: str) -> dict:
    """An array's known values (its items' ``enum``, else the values its items'
    ``x-enum-titles`` name) -> their words in ``lang``."""
    items = node.get("items") or {}
    values = items.get("enum") or list(items.get("x-enum-titles") or ())
    return {v: _show(items, v, lang) for v in values}


def _kind(node: dict) -> str:
    if "enum" in node:
        return "enum"
    kind = node.get("type")
    if kind == "array" and isinstance(node.get("items"), dict) and \
            node["items"].get("type") == "string" and _choices(node, "en"):
        return "choices"  # a set of known values: a box to tick for each
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "string" and node.get("format") == "date":
        return "date"
    if kind in ("integer", "number", "boolean", "string"):
        return kind
    if kind == "object" and _properties(node)[0]:
        return "object"
    return "json"  # arrays, free objects, anything else: edited as JSON text


def _properties(schema: dict) -> tuple[dict, set]:
    """Properties and required names of an object schema, ``allOf`` parts merged (a
    regime with amendments has one schema per plugin)."""
    props = dict(schema.get("properties") or {})
    required = set(schema.get("required") or ())
    for part in schema.get("allOf") or ():
        more, needed = _properties(part)
        props.update(more)
        required |= needed
    return props, required


def label_of(key: str, node: dict, lang: str | None = None) -> str:
    """The property's title in ``lang`` (the page's by default): ``x-title``, else
    ``title``, else its key made readable."""
    return schema_labels.node_title(node, key, lang or current_language())


def schema_fields(schema: dict, prefix: str, _path=(), _group=None,
                  _group_description="", _required=True, lang: str | None = None
                  ) -> list[SchemaField]:
    """The fields of an object schema, nested objects flattened (their fields under the
    object's heading), in the schema's order, worded in ``lang`` (the page's by default).
    A field is marked required when it must always be given: required in an object that
    is itself required."""
    lang = lang or current_language()
    props, required = _properties(schema)
    out = []
    for key, node in props.items():
        path = (*_path, key)
        kind = _kind(node)
        label = label_of(key, node, lang)
        if kind == "object":
            group = f"{_group} › {label}" if _group else label
            out.extend(schema_fields(node, prefix, path, group, schema_labels.node_help(node, lang),
                                     _required and key in required, lang))
            continue
        out.append(SchemaField(name="__".join((prefix, *path)), path=path, kind=kind, node=node,
                               label=label, description=schema_labels.node_help(node, lang),
                               required=_required and key in required, group=_group,
                               group_description=_group_description, lang=lang))
    return out


def attribute_rows(schema: dict, attributes: dict) -> list[tuple[str, str, object]]:
    """(label, description, value) of each stored attribute, in the schema's order and
    with its titles; attributes the schema does not describe come last, by name."""
    fields = schema_fields(schema, "attr")
    rows, seen = [], set()
    for f in fields:
        value = attributes
        for part in f.path:
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            continue
        if f.kind == "date":
            with contextlib.suppress(ValueError, TypeError):
                value = dt.date.fromisoformat(value)  # shown as the other dates are
        elif f.kind == "enum":
            value = _show(f.node, value, f.lang)
        elif f.kind == "choices" and isinstance(value, list):
            value = "; ".join(_show(f.node.get("items") or {}, v, f.lang) for v in value)
        seen.add(f.path[0])
        label = f"{f.group} › {f.label}" if f.group else f.label
        rows.append((label, f.description, value))
    for key in sorted(set(attributes) - seen):
        rows.append((label_of(key, {}), "", attributes[key]))
    return rows


def form_class(base: type[FlaskForm], fields: list[SchemaField]) -> type[FlaskForm]:
    """``base`` with the generated fields added."""
    return type(base.__name__, (base,), {f.name: f.unbound() for f in fields})


def _get(values: dict, path: tuple):
    for part in path:
        if not isinstance(values, dict) or part not in values:
            return None
        values = values[part]
    return values


def initial(fields: list[SchemaField], values: dict | None) -> dict:
    """Form data showing ``values`` (a JSON object) in the generated fields."""
    out = {}
    for f in fields:
        value = _get(values or {}, f.path)
        if value is None:
            continue
        if f.kind == "json":
            out[f.name] = json.dumps(value, ensure_ascii=False)
        elif f.kind == "choices":
            out[f.name] = list(value) if isinstance(value, list) else value
        elif f.kind == "boolean":
            out[f.name] = {True: "true", False: "false"}.get(value)
        elif f.kind == "enum":
            index = next((i for i, v in enumerate(f.node["enum"])
                          if v == value and type(v) is type(value)), None)
            out[f.name] = str(index) if index is not None else None
        elif f.kind == "date":
            try:
                out[f.name] = dt.date.fromisoformat(str(value))
            except ValueError:
                continue
        else:
            out[f.name] = value
    return out


def collect(form: FlaskForm, fields: list[SchemaField], keep: dict | None = None) -> dict | None:
    """The JSON object the generated fields give, after ``form.validate()``: an empty
    field leaves its value out, an object is there when one of its fields is filled.
    ``keep``: the stored object, whose values no field shows are kept. None when a field
    cannot be read (its error is then on the field)."""
    shown = {f.path[0] for f in fields}
    out = {k: v for k, v in (keep or {}).items() if k not in shown}
    ok = True
    for f in fields:
        field = form[f.name]
        raw = field.data
        if f.kind == "json":
            text = (raw or "").strip()
            try:  # as the API reads JSON: no nesting past MAX_JSON_DEPTH, no NaN
                value = validation.load_json(text) if text else None
            except json.JSONDecodeError as exc:
                add_error(field, _l("Not JSON: %(error)s", error=exc.msg))
                ok = False
                continue
            except validation.JSONRejected as exc:
                add_error(field, _l("Not JSON: %(error)s", error=str(exc)))
                ok = False
                continue
        elif f.kind == "boolean":
            value = {"true": True, "false": False}.get(raw)
        elif f.kind == "choices":  # a stored value no box shows is kept, not lost
            stored = _get(keep or {}, f.path)
            known = _choices(f.node, f.lang)
            value = list(raw or ()) + [v for v in (stored if isinstance(stored, list) else ())
                                       if v not in known and v not in (raw or ())]
            value = value or None
        elif f.kind == "enum":
            value = f.node["enum"][int(raw)] if raw not in (None, "") else None
        elif f.kind == "date":
            value = raw.isoformat() if raw else None
        elif f.kind == "number":
            value = int(raw) if isinstance(raw, float) and raw.is_integer() else raw
        elif f.kind == "string":
            value = (raw or "").strip() or None
        else:
            value = raw
        if value is None:
            continue
        target = out
        for part in f.path[:-1]:
            target = target.setdefault(part, {})
        target[f.path[-1]] = value
    return out if ok else None


def place_error(form: FlaskForm, fields: list[SchemaField], exc: InputError) -> bool:
    """Put a schema error of the services (``exc.field`` a path such as
    ``plan_due.days``) on the generated field it concerns; False if none does."""
    message = bare(exc)
    path = "" if exc.field in (None, "(top level)") else exc.field
    parts = [p for p in INDEX.sub("", path).split(".") if p]
    missing = REQUIRED.match(message)
    message = say(exc)
    if missing:
        parts.append(missing.group(1))
    best = None
    for f in fields:
        if tuple(parts[:len(f.path)]) == f.path and (best is None or len(f.path) > len(best.path)):
            best = f
    if best is None:
        return False
    add_error(form[best.name], message)
    return True
