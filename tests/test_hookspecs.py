"""Datasette's habit: every hook is specified with a docstring and documented."""

import inspect
from pathlib import Path

import pytest

from nastavnik.core import hookspecs

DOC = (Path(__file__).parent.parent / "docs" / "plugin-hooks.md").read_text(encoding="utf-8")
HOOKS = [name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
         if hasattr(fn, "nastavnik_spec")]


def test_there_are_hooks():
    assert len(HOOKS) >= 12


@pytest.mark.parametrize("name", HOOKS)
def test_hook_has_docstring(name):
    assert (getattr(hookspecs, name).__doc__ or "").strip()


@pytest.mark.parametrize("name", HOOKS)
def test_hook_is_documented(name):
    params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
    assert f"## {name}({params})" in DOC, f"docs/plugin-hooks.md lacks '## {name}({params})'"


def test_no_hook_is_firstresult():
    """Precedence is declared in rules.yaml, never decided by call order."""
    for name in HOOKS:
        assert not getattr(hookspecs, name).nastavnik_spec.get("firstresult")
