"""Jinja for the papers' templates, which a tenant admin may upload: a template is code the
server runs, so it runs in Jinja's sandbox, and its source is checked before it is
compiled. A template may use the paper's fields, names it sets itself, and Jinja's filters
and tests; nothing that reaches past the fields into the program (``__class__``,
``cycler``, ``self``...). The check gives the reason in plain words; the sandbox stops what
the check does not see (a name put together at run time)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment


GLOBALS = frozenset({"range"})  # the sandbox's range is capped; cycler, lipsum... are dropped
JINJA_NAMES = frozenset({"loop", "caller", "varargs", "kwargs"})  # bound by Jinja in loops, macros
#: filters that look attributes up by a name given as a string ("mentee.name")
BY_NAME = frozenset({"attr", "map", "selectattr", "rejectattr", "sort", "groupby", "sum",
                     "unique", "min", "max"})
LOADS = {nodes.Include: "include", nodes.Import: "import", nodes.FromImport: "from ... import",
         nodes.Extends: "extends"}
PRIVATE = re.compile(r"(^|\.)_")  # a name, or a part of a dotted one, beginning with _


class Forbidden(SecurityError):
    """The template uses what templates may not use; the message says what, ``lineno``
    where (a line of the document's text as docxtpl sees it)."""

    def __init__(self, message: str, lineno: int | None = None):
        super().__init__(message)
        self.lineno = lineno


def _private(what: str, lineno: int) -> Forbidden:
    return Forbidden(f"the template uses `{what}`, which templates may not use: names "
                     "beginning with _ reach into the program, not the paper's fields",
                     lineno)


def check(tree: nodes.Template, fields: Iterable[str]) -> None:
    """Raise Forbidden at the first thing in ``tree`` a paper's template may not use."""
    fields = frozenset(fields)
    own = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    own |= {m.name for m in tree.find_all(nodes.Macro)}
    allowed = fields | own | GLOBALS | JINJA_NAMES
    for node in tree.find_all(nodes.Node):
        line = node.lineno
        if isinstance(node, nodes.Name) and node.name not in allowed:
            if node.name.startswith("_"):
                raise _private(node.name, line)
            listed = ", ".join(sorted(fields)) or "none"
            raise Forbidden(f"the template uses `{node.name}`, which is not a field of this "
                            f"paper: a template may use only the paper's fields ({listed}) "
                            "and names it sets itself", line)
        if isinstance(node, (nodes.Getattr, nodes.NSRef)) and node.attr.startswith("_"):
            raise _private(node.attr, line)
        if (isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)
                and isinstance(node.arg.value, str) and node.arg.value.startswith("_")):
            raise _private(node.arg.value, line)
        if isinstance(node, (nodes.Filter, nodes.Test)) and node.name in BY_NAME:
            _check_names(node, line)
        if type(node) in LOADS:
            raise Forbidden(f"the template uses {{% {LOADS[type(node)]} %}}: a paper's "
                            "template is one Word file and may not load other templates", line)


def _check_names(node: nodes.Filter | nodes.Test, line: int) -> None:
    """The attribute names given to ``attr``, ``map(attribute=...)`` and the like."""
    args = list(node.args) + [kw.value for kw in node.kwargs]
    for arg in args:
        if isinstance(arg, nodes.Const) and isinstance(arg.value, str) \
                and PRIVATE.search(arg.value):
            raise _private(arg.value, line)
    if node.name == "attr" and not (node.args and isinstance(node.args[0], nodes.Const)):
        raise Forbidden("the template uses the `attr` filter with a name it computes: "
                        "write the field itself instead (such as `mentee.name`)", line)


PLAIN = (str, int, float, bool, type(None))


def check_plain(value, where: str = "context") -> None:
    """Raise TypeError unless ``value`` is plain data (dicts with string keys, lists,
    strings, numbers): a record or any other object would give a template attributes and
    methods to follow into the program."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: a key {key!r} that is not a string")
            check_plain(item, f"{where}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            check_plain(item, f"{where}[{n}]")
    elif not isinstance(value, PLAIN):
        raise TypeError(f"{where} is a {type(value).__name__}: a paper's fields are plain "
                        "dicts, lists, strings and numbers")


class PaperEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with no globals but ``range``, that checks every template's source
    (docxtpl compiles the body, headers, footers, footnotes and properties each through
    ``from_string``) against the paper's ``fields`` before compiling it."""

    def __init__(self, fields: Iterable[str], **options):
        super().__init__(**options)
        self.fields = frozenset(fields)
        self.globals = {k: v for k, v in self.globals.items() if k in GLOBALS}

    def from_string(self, source, globals=None, template_class=None):
        tree = self.parse(source) if isinstance(source, str) else source
        check(tree, self.fields | set(globals or ()))
        return super().from_string(tree, globals, template_class)


class _Unfilled:
    """A template checked and not run: it gives back its own source."""

    def __init__(self, source: str):
        self.source = source

    def render(self, *args, **kwargs) -> str:
        return self.source


class CheckingEnvironment(PaperEnvironment):
    """Checks every part's source as ``PaperEnvironment`` does and runs none of them: what
    can be refused without running the template is refused in the process, at once."""

    def from_string(self, source, globals=None, template_class=None):
        tree = self.parse(source) if isinstance(source, str) else source
        check(tree, self.fields | set(globals or ()))
        return _Unfilled(source if isinstance(source, str) else "")


def problem(exc: Exception) -> str:
    """What is wrong with a template (that filling it raised ``exc``), in plain words, for
    the person who uploaded it."""
    from .template_worker import TemplateFailed
    from .word_package import UnsafePackage

    if isinstance(exc, TemplateFailed):  # said in words by the child that filled it
        return exc.message
    if isinstance(exc, UnsafePackage):
        return exc.reason
    if isinstance(exc, Forbidden):
        detail = exc.message
    elif isinstance(exc, SecurityError):  # the sandbox stopped it at run time
        detail = ("the template reaches for something that is not one of the paper's "
                  f"fields ({(exc.message or '').rstrip('.')}): a template may only show the "
                  "fields, not change them or reach into the program")
    else:  # docx, XML, Jinja syntax, a field misspelt, arithmetic on a missing value...
        said = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        detail = f"the template cannot be filled: {said}"
    line = getattr(exc, "lineno", None)
    return detail + (f" (line {line} of the document's text)" if line else "")
