"""The CLI starts without the database, the web or the documents, and lists every command
however it is started."""

import importlib
import subprocess
import sys

import click
import pytest

from nastavnik.cli import COMMANDS, main
from nastavnik.commands.lazy import LazyGroup

HEAVY = ("sqlalchemy", "flask", "alembic", "docxtpl", "holidays", "nastavnik.storage",
         "nastavnik.services")


def test_importing_the_cli_loads_nothing_heavy():
    code = ("import sys, nastavnik.cli; "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _lazy_groups():
    yield main
    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        if isinstance(command, LazyGroup):
            yield command


@pytest.mark.parametrize("group", list(_lazy_groups()), ids=lambda g: g.name)
def test_each_listed_help_is_the_commands_own(group):
    for name, (target, short_help) in group.lazy.items():
        module, attribute = target.split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert command.name == name
        assert command.get_short_help_str(limit=1000) == short_help, name


def test_the_module_and_the_script_list_the_same_commands():
    def listed(args):
        out = subprocess.run(args + ["--help"], capture_output=True, text=True, check=True).stdout
        return out.split("Commands:")[1].split()
    as_module = listed([sys.executable, "-m", "nastavnik.cli"])
    script = listed([sys.executable, "-c", "from nastavnik.cli import main; main()"])
    assert as_module == script
    assert set(COMMANDS) <= set(as_module)
