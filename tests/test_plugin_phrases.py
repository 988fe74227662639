"""The built-in regimes keep their words in phrases.yaml, not in their Python (issue 13):
no ``Text(...)`` of a written string remains in a plugin, and no phrase lies unused."""

import ast
from pathlib import Path

import pytest

import nastavnik.plugins
from nastavnik.core.phrases import load_phrases

PLUGINS = Path(nastavnik.plugins.__file__).parent
SOURCES = sorted(PLUGINS.rglob("*.py"))
PHRASE_FILES = sorted(PLUGINS.glob("*/phrases.yaml"))


def _written(node) -> bool:
    """A string written in the code: a literal or an f-string."""
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant)
                                               and isinstance(node.value, str))


def texts_of_literals(source: str) -> list[int]:
    """Lines of ``Text(...)`` calls given a written string."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        args = [*node.args, *(k.value for k in node.keywords)]
        if name == "Text" and any(_written(a) for a in args):
            lines.append(node.lineno)
    return lines


def test_the_check_finds_written_texts():
    source = ('A = Text("да", "иә", "yes")\n'
              'B = i18n.Text(ru=f"{n} дней", kk=k, en=e)\n'
              'C = Text(v["ru"], v["kk"], v["en"])\n'
              'D = Text(**parts)\n')
    assert texts_of_literals(source) == [1, 2]


def test_the_plugins_are_found():
    assert {p.parent.name for p in PHRASE_FILES} >= {
        "civil_service_2013", "education_reserve", "prosecutor_2022"}
    assert any(p.name == "__init__.py" for p in SOURCES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PLUGINS)))
def test_no_text_literal_in_plugin_python(path):
    lines = texts_of_literals(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.relative_to(PLUGINS)}: Text(...) of a written string on " \
                      f"lines {lines}; put the words in the plugin's phrases.yaml"


def unused_phrases(phrases: dict, code: str) -> list[str]:
    """The top-level names (phrases and groups) that ``code`` never names as a string."""
    return [name for name in phrases if f'"{name}"' not in code and f"'{name}'" not in code]


def test_the_check_finds_unused_phrases():
    phrases = {"used": None, "also_used": None, "dead": None}
    assert unused_phrases(phrases, 'PHRASES["used"]; PHRASES[\'also_used\']; x = "deadline"') \
        == ["dead"]


@pytest.mark.parametrize("path", PHRASE_FILES, ids=lambda p: p.parent.name)
def test_every_phrase_is_used(path):
    code = "\n".join(p.read_text(encoding="utf-8") for p in path.parent.rglob("*.py"))
    assert not unused_phrases(load_phrases(path), code)
