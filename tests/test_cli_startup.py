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


def test_storage_and_the_database_commands_need_no_web_framework(tmp_path):
    """The models and the CLI's database commands run without Flask: a child process
    upgrades a database, makes a tenant and adds a person, and Flask is never imported."""
    code = (
        "import sys\n"
        "from nastavnik.cli import main\n"
        "for args in (['db', 'upgrade'],\n"
        "             ['tenant', 'create', 'cs', '--name', 'Ministry', '--regime', 'civil_service_2013'],\n"
        "             ['person', 'add', 'S1', '--tenant', 'cs', '--name', 'Aida']):\n"
        "    try:\n"
        "        main(args, standalone_mode=False)\n"
        "    except SystemExit as end:\n"
        "        assert not end.code, (args, end.code)\n"
        "print(sorted(m.split('.')[0] for m in sys.modules if m.split('.')[0] in\n"
        "             ('flask', 'flask_sqlalchemy', 'flask_migrate', 'flask_login', 'nastavnik.web')\n"
        "             or m.startswith('nastavnik.web')))\n")
    env = {"PATH": "/usr/bin:/bin", "NASTAVNIK_INSTANCE": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "db.sqlite3").exists()
