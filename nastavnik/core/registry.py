"""Finding regimes and building one plugin manager per regime.

Regimes are found through the entry-point group ``nastavnik.regimes`` (the built-in ones
too); local amendments layered on a regime through ``nastavnik.amendments``. Each
(regime, amendments) pair gets its own ``pluggy.PluginManager``, built once and cached:
a tenant's calls go to its own regime's manager, so it can never get another regime's
answers (a single shared manager would answer with whichever regime registered last).
"""

from __future__ import annotations

import hashlib
import inspect
import re
import threading
from functools import cached_property
from importlib import metadata
from pathlib import Path

import pluggy

from . import PROJECT, hookspecs, schema_labels
from .calendar import calendar_for
from .context import RuleContext
from .errors import InputError, RegimeError, UnknownCode
from .i18n import LANGUAGES, Text
from .papers import CLOSING_REASON, Catalogue, load_catalogue
from .parameters import Parameters
from .regime_info import AmendmentInfo, RegimeInfo
from .rules import load_rules
from .trace import Trace
from .validation import validate

REGIME_GROUP = "nastavnik.regimes"
AMENDMENT_GROUP = "nastavnik.amendments"

#: Hooks every regime must implement; the council hooks only regimes that have one.
REQUIRED_HOOKS = (
    "regime_info", "regime_rules", "regime_parameters", "settings_schema", "person_schema",
    "mentee_coverage", "mentor_eligibility", "mentor_capacity", "mentorship_term",
    "mentorship_deadlines",
)
COUNCIL_HOOKS = ("council_findings", "meeting_outcome")
#: the schema of a regime that keeps no facts of its own on mentorships or assignments
NO_FACTS = {"type": "object", "additionalProperties": False}

_lock = threading.Lock()
_regimes: dict[tuple, "Regime"] = {}


def _entry_points(group: str) -> dict[str, metadata.EntryPoint]:
    found = {}
    for ep in metadata.entry_points(group=group):
        found.setdefault(ep.name, ep)  # a name installed twice: the first on sys.path wins
    return found


def available() -> list[str]:
    """Ids of the installed regimes, sorted."""
    return sorted(_entry_points(REGIME_GROUP))


def get(regime_id: str, amendments: tuple = ()) -> "Regime":
    """The regime's manager, built on first use. ``amendments`` are entry-point names in
    ``nastavnik.amendments`` or plugin objects (modules) to layer on the regime."""
    key = (regime_id, tuple(amendments))
    regime = _regimes.get(key)
    if regime is None:
        with _lock:
            regime = _regimes.get(key)
            if regime is None:
                regime = _regimes[key] = Regime(regime_id, tuple(amendments))
    return regime


def forget() -> None:
    """Drop cached managers (after installing a plugin at run time; tests use it)."""
    with _lock:
        _regimes.clear()
        _amendment_infos.clear()


_amendment_infos: dict[str, AmendmentInfo | None] = {}


def amendment_info(name: str) -> AmendmentInfo | None:
    """What the installed amendment ``name`` declares (``amendment_info``), None if it
    declares nothing; raises InputError if none is installed by that name."""
    if name in _amendment_infos:
        return _amendment_infos[name]
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(_load(AMENDMENT_GROUP, name), name=name)
    infos = [i for i in pm.hook.amendment_info() if i is not None]
    if len(infos) > 1 or (infos and not isinstance(infos[0], AmendmentInfo)):
        raise RegimeError(f"amendment {name}: expected one AmendmentInfo")
    info = _amendment_infos[name] = infos[0] if infos else None
    return info


def amendments_of(regime_id: str) -> dict[str, AmendmentInfo]:
    """The installed amendments a tenant of ``regime_id`` may choose (those declaring
    that they amend it), by entry-point name, in order of the day they take effect."""
    out = {}
    for name in _entry_points(AMENDMENT_GROUP):
        try:
            info = amendment_info(name)
        except (InputError, RegimeError):  # a broken one is reported where it is used
            continue
        if info is not None and info.regime == regime_id:
            out[name] = info
    return dict(sorted(out.items(), key=lambda kv: (kv[1].effective_from, kv[0])))


def _load(group: str, name) -> object:
    if not isinstance(name, str):
        return name
    eps = _entry_points(group)
    if name not in eps:
        known = ", ".join(sorted(eps)) or "none installed"
        kind = "regime" if group == REGIME_GROUP else "amendment"
        raise InputError(f"no {kind} named {name!r} (known: {known})", field=kind)
    try:
        return eps[name].load()
    except Exception as exc:  # a broken third-party package must not read as "not found"
        raise RegimeError(f"{group} {name!r} failed to load: {exc}") from exc


def validate_facts(attributes, schema: dict, source: str) -> None:
    """Validate a record's regime facts; the error names the fact by its (English) title
    and has the fact's key as its field, where the form shows it."""
    if not isinstance(attributes, dict):
        raise InputError("an object of the regime's facts is expected", field="attributes",
                         source=source)
    try:
        validate(attributes, schema, source=source)
    except InputError as exc:
        props = schema_labels.properties(schema)
        head = (exc.field or "").split(".")[0].split("[")[0]
        quoted = re.findall(r"'([^']+)'", str(exc))
        key = head if head in props else next((q for q in quoted if q in props), None)
        where = " ".join(x for x in (exc.source, f"at {exc.field}" if exc.field else None) if x)
        message = str(exc)[len(where) + 2:]  # without "source at field: "
        if key is None:
            unknown = next((q for q in quoted if q not in props), None)
            if unknown is None:
                raise
            raise InputError(f"the regime keeps no fact {unknown!r} (it knows: "
                             f"{', '.join(props) or 'none'})", field=unknown,
                             source=source) from None
        raise InputError(f"{schema_labels.field_title(schema, key, 'en')}: {message}",
                         field=key, source=source) from None


def _source_files(plugin) -> list[Path]:
    """The files a plugin's answers come from: its package's .py and .yaml files (a
    package), or its module file; none for a plugin object made in memory."""
    file = getattr(plugin, "__file__", None)
    if not file:
        module = inspect.getmodule(plugin)
        file = getattr(module, "__file__", None)
    if not file:
        return []
    path = Path(file)
    if path.name != "__init__.py":
        return [path]
    return sorted(p for p in path.parent.rglob("*") if p.suffix in (".py", ".yaml")
                  and "__pycache__" not in p.parts)


class Regime:
    """One regime with its amendments: its own plugin manager, rules and parameters."""

    def __init__(self, regime_id: str, amendments: tuple = ()):
        self.id = regime_id
        self.amendments = amendments
        pm = pluggy.PluginManager(PROJECT)
        pm.add_hookspecs(hookspecs)
        pm.register(_load(REGIME_GROUP, regime_id), name=regime_id)
        for i, amendment in enumerate(amendments):
            plugin = _load(AMENDMENT_GROUP, amendment)
            if isinstance(amendment, str):
                declared = amendment_info(amendment)
                if declared is not None and declared.regime != regime_id:
                    raise RegimeError(f"amendment {amendment} amends {declared.regime}, "
                                      f"not {regime_id}")
            pm.register(plugin, name=amendment if isinstance(amendment, str)
                        else f"{regime_id}+amendment{i}")
        try:
            pm.check_pending()  # an implementation of a hook that does not exist
        except pluggy.PluginValidationError as exc:
            raise RegimeError(f"regime {regime_id}: {exc}") from exc
        self.pm = pm
        self.hook = pm.hook
        missing = [name for name in REQUIRED_HOOKS
                   if not getattr(pm.hook, name).get_hookimpls()]
        if missing:
            raise RegimeError(f"regime {regime_id} does not implement: {', '.join(missing)}")
        infos = [i for i in pm.hook.regime_info() if i is not None]
        if len(infos) != 1 or not isinstance(infos[0], RegimeInfo):
            raise RegimeError(f"regime {regime_id}: expected one RegimeInfo, got {len(infos)}")
        self.info: RegimeInfo = infos[0]
        if self.info.id != regime_id:
            raise RegimeError(f"entry point {regime_id!r} declares regime {self.info.id!r}")
        if self.info.has_council:
            absent = [n for n in COUNCIL_HOOKS if not getattr(pm.hook, n).get_hookimpls()]
            if absent:
                raise RegimeError(f"regime {regime_id} has a council but lacks {', '.join(absent)}")
        self._load_rules()
        self.parameters = Parameters()
        self.parameters.load(*[p for p in pm.hook.regime_parameters() if p is not None])
        self.catalogue  # noqa: B018 (a broken catalogue fails here, as broken rules do)

    @cached_property
    def fingerprint(self) -> str:
        """A digest of what this composition's answers are worked out from: the source of
        each plugin registered (its package's Python and YAML files, or its module), so
        that results kept under one version of a regime are known to be out of date when
        another is installed."""
        digest = hashlib.sha256(self.id.encode())
        for name, plugin in sorted((n or "", p) for n, p in self.pm.list_name_plugin()):
            digest.update(name.encode())
            for path in _source_files(plugin):
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()

    def _load_rules(self) -> None:
        self.rules, self.exceptions = {}, {}
        for path in self.hook.regime_rules():
            if path is None:
                continue
            rules, exceptions = load_rules(path)
            for rule_id in rules:
                if rule_id in self.rules:
                    raise RegimeError(f"rule {rule_id} is declared twice")
            self.rules.update(rules)
            self.exceptions.update(exceptions)
        for rule in self.rules.values():
            for target in rule.overrides + self.exceptions[rule.id]:
                if target not in self.rules:
                    raise RegimeError(f"rule {rule.id} overrides unknown rule {target}")
        #: rules replaced outright by another rule in force in this composition
        self.overridden = frozenset(t for r in self.rules.values() for t in r.overrides)

    # -- schemas -----------------------------------------------------------------------
    @staticmethod
    def _combine(schemas, default: dict | None = None) -> dict:
        parts = [s for s in schemas if s]
        if len(parts) == 1:
            return parts[0]
        return {"allOf": parts} if parts else (default or {"type": "object"})

    @cached_property
    def settings_schema(self) -> dict:
        return self._combine(self.hook.settings_schema())

    @cached_property
    def person_schema(self) -> dict:
        return self._combine(self.hook.person_schema())

    @cached_property
    def mentorship_schema(self) -> dict:
        return self._combine(self.hook.mentorship_schema(), NO_FACTS)

    @cached_property
    def assignment_schema(self) -> dict:
        return self._combine(self.hook.assignment_schema(), NO_FACTS)

    def validate_settings(self, settings: dict | None, source: str = "settings") -> dict:
        settings = dict(settings or {})
        validate(settings, self.settings_schema, source=source)
        return settings

    def validate_person(self, attributes: dict, source: str = "person") -> None:
        validate(attributes, self.person_schema, source=source)

    def validate_mentorship(self, attributes: dict, source: str = "mentorship") -> None:
        validate_facts(attributes, self.mentorship_schema, source)

    def validate_assignment(self, attributes: dict, source: str = "assignment") -> None:
        validate_facts(attributes, self.assignment_schema, source)
    # -- the catalogue: papers and the words of deadlines and assignments ----------------
    @cached_property
    def catalogue(self) -> Catalogue:
        """The regime's catalogue (``regime_papers``), an amendment's entries over its own."""
        out = Catalogue()
        for path in reversed(self.hook.regime_papers()):  # pluggy calls the last added first
            if path is not None:
                out.update(load_catalogue(path))
        if out.end_reasons and CLOSING_REASON not in out.end_reasons:
            raise RegimeError(f"regime {self.id}: end_reasons lacks {CLOSING_REASON}")
        return out

    @property
    def papers(self) -> dict:
        """Every paper the regime names (printable or recorded): id -> PaperSpec."""
        return self.catalogue.papers

    @cached_property
    def paper_kinds(self) -> dict:
        """The papers a mentorship may have recorded as done, in catalogue order."""
        return {k: p for k, p in self.catalogue.papers.items() if p.recorded}

    @cached_property
    def deadline_kinds(self) -> dict:
        """Every kind of deadline: id -> Text (a recorded paper's under its title)."""
        return {**{k: p.label for k, p in self.paper_kinds.items()},
                **self.catalogue.deadline_kinds}

    @property
    def deadline_events(self) -> dict:
        """What the regime's deadlines count from: id -> Text."""
        return self.catalogue.events

    @property
    def end_reasons(self) -> dict:
        """Why a mentor's assignment may end: id -> Text."""
        return self.catalogue.end_reasons

    @property
    def council_bases(self) -> dict:
        """The grounds on which a person sits on its council of mentors: id -> Text."""
        return self.catalogue.council_bases

    def vocabularies_json(self) -> dict:
        """Its paper kinds, deadline kinds, events and end reasons, labelled, as JSON."""
        def texts(mapping):
            return {k: {lang: t.localize(lang) for lang in LANGUAGES} for k, t in mapping.items()}
        return {"paper_kinds": {k: {"title": dict(p.title), "paragraph": p.paragraph,
                                    "printable": p.printable, "fields": p.fields}
                                for k, p in self.paper_kinds.items()},
                "deadline_kinds": texts(self.deadline_kinds),
                "deadline_events": texts(self.deadline_events),
                "end_reasons": texts(self.end_reasons),
                "council_bases": texts(self.council_bases)}

    def check_code(self, code, vocabulary: str, field: str) -> None:
        """``code`` must be one of ``vocabulary`` (``paper_kinds``, ``end_reasons``)."""
        known = getattr(self, vocabulary)
        if code not in known:
            raise UnknownCode(code, {k: v if isinstance(v, Text) else v.label
                                     for k, v in known.items()}, field)

    def validate_paper(self, kind: str, attributes: dict | None, source: str = "paper") -> dict:
        """``attributes`` of a paper of ``kind``, checked against its ``fields`` schema (a
        paper without one carries none)."""
        self.check_code(kind, "paper_kinds", "kind")
        attributes = dict(attributes or {})
        schema = self.paper_kinds[kind].fields
        if schema is None:
            if attributes:
                raise InputError(f"a {kind} paper carries no fields", field="attributes",
                                 source=source)
            return attributes
        validate(attributes, schema, source=source)
        return attributes

    # -- running -----------------------------------------------------------------------
    def calendar(self, extra_days_off=(), extra_working_days=()):
        """The regime's national calendar with a tenant's own days off and working days."""
        return calendar_for(self.info.country, frozenset(extra_days_off),
                            frozenset(extra_working_days))

    def context(self, settings: dict | None = None, extra_days_off=(), extra_working_days=(),
                trace: bool = False) -> RuleContext:
        return RuleContext(self, self.calendar(extra_days_off, extra_working_days),
                           self.validate_settings(settings), Trace() if trace else None)

    def resolve(self, answers):
        """Drop answers whose rule is overridden in this composition."""
        overridden = self.overridden
        if not overridden:
            return answers
        return [a for a in answers if a.rule.id not in overridden]
