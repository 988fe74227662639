"""A timeline of mentorships with their deadlines, drawn as SVG on the server: no script,
no external library, readable in any browser and printable."""

from __future__ import annotations

import datetime as dt
from html import escape

from flask_babel import gettext as _
from markupsafe import Markup

from ...core.i18n import format_date
from ..i18n import current_language
from ..labels import label

ROW, LABEL, WIDTH, TOP = 22, 170, 900, 24
#: the room a month's label (MM.YYYY at 11 px) takes, with a gap: labels closer are left out
MONTH_LABEL = 56
STATUS_CLASS = {"done": "done", "done_late": "late", "due": "due", "due_soon": "soon",
                "overdue": "overdue"}


def timeline_svg(timeline: dict, as_of: dt.date, link=None) -> Markup:
    """``timeline``: services.dashboard's rows (mentorship, mentee's name, term, deadlines);
    ``link(mentorship id)``: the address each name leads to (none when not given)."""
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
    out = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" role="group" '
           f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(_("Timeline"))}">']
    month, last_label = dt.date(lo.year, lo.month, 1), None
    while month <= hi:
        if month >= lo:
            at = x(month)
            out.append(f'<line class="grid" x1="{at:.1f}" x2="{at:.1f}" y1="{TOP - 6}" '
                       f'y2="{height}"/>')
            # a label where it fits: not over the one before, not past the right edge
            if (last_label is None or at - last_label >= MONTH_LABEL) and \
                    at + MONTH_LABEL - 6 <= WIDTH:
                out.append(f'<text class="axis" x="{at + 2:.1f}" y="{TOP - 10}">'
                           f'{month:%m.%Y}</text>')
                last_label = at
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    lang = current_language()
    day = lambda value: escape(format_date(value, lang))  # noqa: E731
    for i, row in enumerate(rows):
        y = TOP + i * ROW
        m, term = row["mentorship"], row["term"]
        name = escape(row["name"])
        end = term.planned_end if term and term.planned_end else hi
        # cut before escaping: a cut escaped name could end inside an entity (&am)
        text = (f'<text class="label" x="4" y="{y + 14}">{escape(row["name"][:26])}'
                f'<title>{name}</title></text>')
        out.append(f'<a href="{escape(link(str(m.id)))}">{text}</a>' if link else text)
        out.append(f'<rect class="bar" x="{x(m.start):.1f}" y="{y + 4}" rx="3" '
                   f'width="{max(x(end) - x(m.start), 2):.1f}" height="{ROW - 8}">'
                   f'<title>{name}: {day(m.start)} – {day(end)}</title></rect>')
        for d in row["deadlines"]:
            status = d.status(as_of, timeline["soon"]).value
            what = escape(f'{label(d.kind, "paper")} ({_("p.%(n)s", n=d.paragraph)})')
            out.append(f'<circle class="deadline {STATUS_CLASS[status]}" cx="{x(d.due):.1f}" '
                       f'cy="{y + ROW / 2:.1f}" r="5"><title>{name} — {what}: '
                       f'{escape(_("Due"))} {day(d.due)} – '
                       f'{escape(str(label(status, "status")))}</title></circle>')
    out.append(f'<line class="today" x1="{x(as_of):.1f}" x2="{x(as_of):.1f}" y1="{TOP - 6}" '
               f'y2="{height}"/>')
    out.append("</svg>")
    return Markup("".join(out))
