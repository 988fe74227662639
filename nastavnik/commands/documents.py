"""nastavnik paper print / kinds / template ..., and nastavnik export: the regime's papers
as Word or PDF files, the tenant's own templates, and spreadsheets of the compliance report
and the lists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..core.i18n import LANGUAGES
from ..services import document_templates, documents, exports
from . import DATE, actor_option, dump, json_option, tenant_option, with_database, work_on

LANG = click.option("--lang", "language", type=click.Choice(LANGUAGES), default=None,
                    help="Language of the paper (default: the tenant's).")
EXPORT_LANG = click.option("--lang", "language", type=click.Choice(LANGUAGES), default=None,
                           help="Language of the export's headings and words (default: the "
                                "tenant's).")


def _write(rendered_bytes: bytes, name: str, output: str | None) -> None:
    path = Path(output) if output else Path(name)
    if path.is_dir():
        path = path / name
    path.write_bytes(rendered_bytes)
    click.echo(str(path))


@click.command("print")
@tenant_option
@click.argument("paper")
@click.option("--mentorship", help="The mentorship (id, prefix, or the mentee's number).")
@click.option("--meeting", help="The council meeting (id), for the minutes.")
@LANG
@click.option("--format", "fmt", type=click.Choice(tuple(documents.FORMATS)), default="docx",
              show_default=True, help="pdf needs LibreOffice.")
@click.option("-o", "--output", type=click.Path(), help="File or folder (default: here).")
@with_database
def print_paper(tenant_slug, paper, mentorship, meeting, language, fmt, output):
    """Make a paper of the regime (see `paper kinds`) as a Word or PDF file."""
    with work_on(tenant_slug, "cli:read") as work:
        doc = documents.render_paper(work, paper, mentorship=mentorship, meeting=meeting,
                                     lang=language, fmt=fmt)
    _write(doc.content, doc.filename, output)


@click.command("kinds")
@tenant_option
@json_option
@with_database
def kinds(tenant_slug, as_json):
    """The papers the tenant's regime names, with their paragraphs: those it prints, and
    those a mentorship records as done (`paper done`)."""
    with work_on(tenant_slug, "cli:read") as work:
        rows = [{"paper": p.id, "subject": p.subject, "paragraph": p.paragraph,
                 "title": p.title, "printable": p.printable, "recorded": p.recorded}
                for p in work.regime.papers.values()]
        language = work.lang
    if as_json:
        return dump(rows)
    for r in rows:
        how = "+".join(w for w, on in (("print", r["printable"]), ("record", r["recorded"])) if on)
        click.echo(f"{r['paper']:<20} {r['subject']:<11} p.{r['paragraph']:<6} {how:<13} "
                   f"{r['title'][language]}")


@click.group("template")
def template_group():
    """The tenant's own templates of the papers (Word files with Jinja tags)."""


@template_group.command("list")
@tenant_option
@json_option
@with_database
def template_list(tenant_slug, as_json):
    with work_on(tenant_slug, "cli:read") as work:
        rows = document_templates.list_templates(work)
    if as_json:
        return dump(rows)
    for r in rows:
        click.echo(f"{r['paper']:<18} {r['language']}  "
                   f"{'own: ' + r['filename'] if r['custom'] else 'built-in'}")


@template_group.command("download")
@tenant_option
@click.argument("paper")
@LANG
@click.option("--builtin", is_flag=True, help="The regime's template, not the tenant's own.")
@click.option("-o", "--output", type=click.Path())
@with_database
def template_download(tenant_slug, paper, language, builtin, output):
    """Save the template in use (or the built-in one) to edit it in Word."""
    with work_on(tenant_slug, "cli:read") as work:
        content, name = document_templates.download_template(work, paper, language, builtin)
    _write(content, name, output)


@template_group.command("upload")
@tenant_option
@click.argument("paper")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@LANG
@actor_option
@with_database
def template_upload(tenant_slug, paper, file, language, actor):
    """Use FILE (.docx) as the tenant's template; it is checked by filling sample data."""
    with work_on(tenant_slug, actor) as work:
        row = document_templates.upload_template(work, paper, language,
                                                 Path(file).read_bytes(), Path(file).name)
        click.echo(f"{row.paper} ({row.language}): {row.filename} is the tenant's template")


@template_group.command("reset")
@tenant_option
@click.argument("paper")
@LANG
@actor_option
@with_database
def template_reset(tenant_slug, paper, language, actor):
    """Go back to the regime's built-in template."""
    with work_on(tenant_slug, actor) as work:
        had = document_templates.reset_template(work, paper, language)
    click.echo("back to the built-in template" if had else "already the built-in template")


@click.command("export")
@tenant_option
@click.argument("what", type=click.Choice(exports.WHAT))
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default="xlsx",
              show_default=True)
@click.option("--as-of", type=DATE, default=lambda: dt.date.today(), show_default="today")
@EXPORT_LANG
@click.option("-o", "--output", type=click.Path())
@with_database
def export(tenant_slug, what, fmt, as_of, language, output):
    """The compliance report, the people, the mentorships or the deadlines as XLSX or CSV."""
    with work_on(tenant_slug, "cli:read") as work:
        doc = exports.export(work, what, fmt, as_of, language)
    _write(doc.content, doc.filename, output)
