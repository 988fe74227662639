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


def timeline_svg(case, evaluation, as_of: dt.date, rows: int = 30) -> Markup:
    open_ms = sorted((m for m in case.mentorships if m.status == "open"),
                     key=lambda m: m.start)[-rows:]
    if not open_ms:
        return Markup("")
    terms = evaluation.terms
    deadlines: dict = {}
    for d in evaluation.deadlines:
        deadlines.setdefault(d.subject.split("/")[0], []).append(d)
    ends = [terms[m.id].planned_end for m in open_ms if m.id in terms and terms[m.id].planned_end]
    lo = min(m.start for m in open_ms)
    hi = max(ends + [as_of]) + dt.timedelta(days=14)
    span = max((hi - lo).days, 1)

    def x(day: dt.date) -> float:
        return LABEL + (WIDTH - LABEL - 10) * min(max((day - lo).days, 0), span) / span

    height = TOP + ROW * len(open_ms) + 10
    out = [f'<svg class="timeline" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(_("Timeline"))}">']
    month = dt.date(lo.year, lo.month, 1)
    while month <= hi:
        if month >= lo:
            out.append(f'<line class="grid" x1="{x(month):.1f}" x2="{x(month):.1f}" y1="{TOP - 6}" '
                       f'y2="{height}"/><text class="axis" x="{x(month) + 2:.1f}" y="{TOP - 10}">'
                       f'{month:%m.%Y}</text>')
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for i, m in enumerate(open_ms):
        y = TOP + i * ROW
        person = case.people.get(m.mentee)
        name = escape(person.name if person else m.mentee)
        term = terms.get(m.id)
        end = term.planned_end if term and term.planned_end else hi
        out.append(f'<text class="label" x="4" y="{y + 14}">{name[:26]}</text>')
        out.append(f'<rect class="bar" x="{x(m.start):.1f}" y="{y + 4}" rx="3" '
                   f'width="{max(x(end) - x(m.start), 2):.1f}" height="{ROW - 8}">'
                   f'<title>{name}: {m.start} – {end}</title></rect>')
        for d in deadlines.get(m.id, ()):
            status = d.status(as_of, evaluation.soon).value
            what = escape(f'{label(d.kind, "paper")} ({_("p.%(n)s", n=d.paragraph)})')
            out.append(f'<circle class="deadline {STATUS_CLASS[status]}" cx="{x(d.due):.1f}" '
                       f'cy="{y + ROW / 2:.1f}" r="5"><title>{what}:'
                       f' {d.due} – {escape(str(label(status, "status")))}</title></circle>')
    out.append(f'<line class="today" x1="{x(as_of):.1f}" x2="{x(as_of):.1f}" y1="{TOP - 6}" '
               f'y2="{height}"/>')
    out.append("</svg>")
    return Markup("".join(out))
