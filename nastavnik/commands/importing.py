"""nastavnik person import: staff from a CSV or XLSX file (services.importing)."""

from __future__ import annotations

import contextlib
import sys

import click

from ..services import importing
from . import DATE, actor_option, dump, json_option, tenant_option, with_database, work_on

BAR_FROM = 200  # rows; a smaller file imports before a bar would be worth drawing


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@tenant_option
@actor_option
@click.option("--valid-from", "valid_from", type=DATE, default=None,
              help="The day the rows' unit, position, manager and attributes hold from "
                   "(YYYY-MM-DD; today by default; a valid_from column overrides it).")
@json_option
@with_database
def import_people(file, tenant_slug, actor, as_json, valid_from):
    """Create or update the people of FILE (.csv or .xlsx, header in row 1).

    Columns: number, full_name, unit, position, manager, hired_on, valid_from, and the
    regime's person attributes, named by their path (assessment.year) or as one JSON
    `attributes` column. A person whose number exists is replaced by the row: an empty
    cell or a missing column clears that field; the unit, position, manager and
    attributes are recorded as holding from valid_from (a person's history: a change
    dated earlier than their latest leaves their current facts). The whole file is
    checked first: on any error the errors are printed with their line (the first
    hundred, and how many in all) and nothing is written (exit 2). A file is read within bounds: at most
    200,000 lines, 100 columns, 32,767 characters a cell, 64 MB (an XLSX at most 256 MB
    unpacked).
    """
    try:
        rows = importing.read_rows(file)
        count = sum(1 for row in rows[1:] if any(str(c).strip() for c in row if c is not None))
        with work_on(tenant_slug, actor) as work, contextlib.ExitStack() as stack:
            progress = None
            if count > BAR_FROM and not as_json:
                bar = stack.enter_context(click.progressbar(
                    length=2 * count, label="Importing", file=sys.stderr))
                progress = bar.update  # each row is reported twice: checked, then saved
            result = importing.import_people(work, rows, progress, valid_from)
    except importing.ImportRejected as exc:
        if as_json:
            dump({"errors": [{"line": line, "field": field, "message": message}
                             for line, field, message in exc.errors], "total": exc.total})
        else:
            for line, field, message in exc.errors:
                click.echo(f"line {line}, {field}: {message}", err=True)
            if exc.more:
                click.echo(f"... and {exc.more} more error(s), not listed", err=True)
            click.echo(f"{exc}", err=True)
        sys.exit(2)
    if as_json:
        return dump({"created": result.created, "updated": result.updated})
    click.echo(f"{result.created} created, {result.updated} updated")
