"""nastavnik regime new: write the skeleton of a third-party regime package."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("new")
@click.argument("name")
@click.option("--dir", "where", type=click.Path(file_okay=False, path_type=Path), default=".",
              show_default=True, help="Where to write the package's folder.")
def regime_new(name, where):
    """Write a working skeleton of regime NAME: pyproject with its entry point, hooks, rules,
    parameters, schemas, a scenario per rule, a demo, and tests that check every rule is
    covered. Then: pip install -e the folder, and pytest in it."""
    from ..core.errors import InputError
    from ..skeleton import write

    try:
        root, files = write(name, where)
    except InputError as exc:
        raise click.BadParameter(str(exc), param_hint="NAME" if exc.field == "name" else "--dir")
    for path in files:
        click.echo(f"wrote {path}")
    click.echo(f"\nnext: pip install -e '{root}[test]' && (cd {root} && pytest)")
