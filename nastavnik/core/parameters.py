"""Legal numbers as dated, cited data, in the manner of OpenFisca's parameters.

A regime's ``parameters.yaml`` holds, for each parameter, its paragraph, a description
in three languages and a list of values, each with the date it takes effect from::

    mentor_max_mentees:
      paragraph: "10"
      unit: persons
      description: {ru: ..., kk: ..., en: ...}
      values:
        - {since: 2013-10-18, value: 2, reference: "Order No. 06-7/148, p.10"}

An amendment adds a dated value (possibly from another file); rules ask for the value in
force on the date of the decision, never "today".
"""

from __future__ import annotations

import bisect
import re
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import InputError, NotInForce, RegimeError
from .validation import validate

PARAMETER_FILE_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "required": ["values"],
        "additionalProperties": False,
        "properties": {
            "paragraph": {"type": "string"},
            "unit": {"type": "string"},
            "description": {
                "type": "object", "required": ["ru", "kk", "en"],
                "properties": {k: {"type": "string"} for k in ("ru", "kk", "en")},
            },
            "values": {
                "type": "array", "minItems": 1,
                "items": {
                    "type": "object", "required": ["since", "value", "reference"],
                    "additionalProperties": False,
                    "properties": {
                        "since": {"type": "string", "format": "date"},
                        "value": {},
                        "reference": {"type": "string", "minLength": 1},
                        "paragraph": {"type": "string"},
                    },
                },
            },
        },
    },
}


@dataclass(frozen=True, slots=True)
class ParameterValue:
    """One value of a parameter as it was used: which, from when, why."""

    name: str
    value: object
    since: dt.date
    paragraph: str
    reference: str

    def to_json(self):
        return {"name": self.name, "value": self.value, "since": self.since.isoformat(),
                "paragraph": self.paragraph, "reference": self.reference}


class Parameter:
    def __init__(self, name: str, paragraph: str, unit: str | None, description: dict):
        self.name = name
        self.paragraph = paragraph
        self.unit = unit
        self.description = description
        self._dates: list[dt.date] = []
        self._values: list[ParameterValue] = []
        self._on: dict[dt.date, ParameterValue] = {}  # a sweep asks for the same days often

    def add(self, since: dt.date, value, reference: str, paragraph: str | None = None):
        pos = bisect.bisect_left(self._dates, since)
        if pos < len(self._dates) and self._dates[pos] == since:
            if self._values[pos].value != value:
                raise RegimeError(
                    f"parameter {self.name}: two values from {since}: "
                    f"{self._values[pos].value!r} and {value!r}")
            return
        self._on.clear()
        self._dates.insert(pos, since)
        self._values.insert(pos, ParameterValue(self.name, value, since,
                                                paragraph or self.paragraph, reference))

    def at(self, on: dt.date) -> ParameterValue:
        value = self._on.get(on)
        if value is not None:
            return value
        pos = bisect.bisect_right(self._dates, on) - 1
        if pos < 0:
            raise NotInForce(self.name, on, self._dates[0])
        value = self._on[on] = self._values[pos]
        return value

    @property
    def history(self) -> list[ParameterValue]:
        return list(self._values)


class Parameters:
    """All parameters of one regime (plus its amendments)."""

    def __init__(self):
        self._by_name: dict[str, Parameter] = {}

    def load(self, *paths: Path) -> None:
        """Load parameter files; definitions first, so that an amendment's dated values
        may come from a file read before the regime's own (hook order is not precedence)."""
        raw = []
        for path in paths:
            with open(path, encoding="utf-8") as fh:
                data = fast_load(fh.read()) or {}
            validate(data, PARAMETER_FILE_SCHEMA, source=str(path), error=RegimeError)
            raw.append((path, data))
        for path, data in raw:
            for name, entry in data.items():
                if "paragraph" in entry or "description" in entry:
                    if name in self._by_name:
                        raise RegimeError(f"{path}: parameter {name} is defined twice")
                    if "paragraph" not in entry or "description" not in entry:
                        raise RegimeError(f"{path}: parameter {name} needs paragraph and description")
                    self._by_name[name] = Parameter(name, entry["paragraph"], entry.get("unit"),
                                                    entry["description"])
        for path, data in raw:
            for name, entry in data.items():
                if name not in self._by_name:
                    raise RegimeError(f"{path}: values for {name}, which no regime defines")
                for item in entry["values"]:
                    self._by_name[name].add(dt.date.fromisoformat(item["since"]), item["value"],
                                            item["reference"], item.get("paragraph"))

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._by_name[name]
        except KeyError:
            raise RegimeError(f"no parameter named {name}") from None

    def __iter__(self):
        return iter(self._by_name.values())

    def at(self, name: str, on: dt.date) -> ParameterValue:
        return self[name].at(on)


class _StringDatesLoader(yaml.SafeLoader):
    """A YAML loader that keeps dates as text, so that JSON Schema sees what was written,
    and reads booleans the YAML 1.2 way: only true/false (``on:`` is a key, not True)."""


_StringDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers
          if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StringDatesLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


#: the same loader on libyaml's parser (several times faster: a regime's files are read
#: by every process that uses it); None where PyYAML was built without libyaml
_FastStringDatesLoader = None
if getattr(yaml, "__with_libyaml__", False):
    class _FastStringDatesLoader(yaml.CSafeLoader):  # noqa: N801 (a loader class)
        yaml_implicit_resolvers = _StringDatesLoader.yaml_implicit_resolvers


def fast_load(text: str, loader=None):
    """``text`` parsed by ``loader`` (``_StringDatesLoader``; PyYAML's safe loader if
    ``"safe"``) on libyaml's parser where there is one; a document it refuses is parsed
    again by the pure-Python parser, so the errors (their words and lines) are PyYAML's."""
    slow = yaml.SafeLoader if loader == "safe" else _StringDatesLoader
    fast = (getattr(yaml, "CSafeLoader", None) if loader == "safe"
            else _FastStringDatesLoader)
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.load(text, Loader=slow)


def load_yaml(path_or_text, source: str | None = None):
    """Parse YAML with dates left as strings; a syntax error becomes an InputError."""
    try:
        if isinstance(path_or_text, Path):
            with open(path_or_text, encoding="utf-8") as fh:
                return fast_load(fh.read())
        return fast_load(path_or_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        raise InputError(f"not valid YAML: {getattr(exc, 'problem', exc)}", field=where,
                         source=source or str(path_or_text)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", source=str(path_or_text)) from None
