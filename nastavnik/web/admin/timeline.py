"""A timeline of mentorships with their deadlines, drawn as SVG on the server: no script,
no external library, readable in any browser and printable."""

from __future__ import annotations

import datetime as dt
from html import escape

from flask_babel import gettext as _
from markupsafe import Markup

from ..labels import label

ROW, LABEL, WIDTH, TOP = 22, 170, 900, 24
STATUS_CLASS = {"done": "done", "done_late": "late", "due": "due", "due_soon": "soon",
                "overdue": "overdue"}


def timeline_svg(timeline: dict, as_of: dt.date) -> Markup:
    """``timeline``: services.dashboard's rows (mentorship, mentee's name, term, deadlines)."""
    rows = timeline["rows"]
    if not rows:
        return Markup("")
    ends = [r["term"].planned_end for r in rows if r["term"] and r["term"].planned_end]
    lo = min(r["mentorship"].start for r in rows)
    hi = max(ends + [as_of]) + dt.timedelta(days=14)
    span = max((hi - lo).days, 1)

    def x(day: dt.date) -> float:
        return LABEL + (WIDTH - LABEL - 10) * min(max((day - lo).days, 0), span) / span

    height = TOP + ROW * len(rows) + 10
    out = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(_("Timeline"))}">']
    month = dt.date(lo.year, lo.month, 1)
    while month <= hi:
        if month >= lo:
            out.append(f'<line class="grid" x1="{x(month):.1f}" x2="{x(month):.1f}" y1="{TOP - 6}" '
                       f'y2="{height}"/><text class="axis" x="{x(month) + 2:.1f}" y="{TOP - 10}">'
                       f'{month:%m.%Y}</text>')
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for i, row in enumerate(rows):
        y = TOP + i * ROW
        m, term = row["mentorship"], row["term"]
        name = escape(row["name"])
        end = term.planned_end if term and term.planned_end else hi
        # cut before escaping: a cut escaped name could end inside an entity (&am)
        out.append(f'<text class="label" x="4" y="{y + 14}">{escape(row["name"][:26])}</text>')
        out.append(f'<rect class="bar" x="{x(m.start):.1f}" y="{y + 4}" rx="3" '
                   f'width="{max(x(end) - x(m.start), 2):.1f}" height="{ROW - 8}">'
                   f'<title>{name}: {m.start} – {end}</title></rect>')
        for d in row["deadlines"]:
            status = d.status(as_of, timeline["soon"]).value
            what = escape(f'{label(d.kind, "paper")} ({_("p.%(n)s", n=d.paragraph)})')
            out.append(f'<circle class="deadline {STATUS_CLASS[status]}" cx="{x(d.due):.1f}" '
                       f'cy="{y + ROW / 2:.1f}" r="5"><title>{what}:'
                       f' {d.due} – {escape(str(label(status, "status")))}</title></circle>')
    out.append(f'<line class="today" x1="{x(as_of):.1f}" x2="{x(as_of):.1f}" y1="{TOP - 6}" '
               f'y2="{height}"/>')
    out.append("</svg>")
    return Markup("".join(out))
