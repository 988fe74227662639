"""The deadlines page: every deadline of the tenant with its status, mentee and mentor,
filtered, sorted, paged and exported. The rows, filters and order are the services'
(services.deadlines); the view reads the address and renders."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ...core.errors import InputError
from ...services import deadlines, exports
from ..guard import BadInput
from ..i18n import current_language
from . import bp, nav, work
from .documents import _send
from .forms import date_arg, page_arg, text_arg

PER_PAGE = 50

nav("admin.deadlines_list", _l("Deadlines"))
FILTER_LABELS = {"unit": _l("Unit"), "mentor": _l("Mentor"), "kind": _l("Paper or decision"),
                 "paragraph": _l("Paragraph")}


def _query() -> dict:
    """The page's settings from the address: as of, horizon, filters, order."""
    within = request.args.get("within", "5")
    try:
        within = deadlines.check_within(within or "5")
    except InputError:
        raise BadInput(_("Horizon: a number of working days from 0 to %(max)d is expected.",
                         max=deadlines.MAX_WITHIN)) from None
    sort = request.args.get("sort", "due")
    if sort not in deadlines.SORTS:
        sort = "due"
    status = request.args.get("status", "")
    return {"as_of": date_arg("as_of", _l("As of"), dt.date.today()), "within": within,
            "filters": {key: text_arg(key, label) for key, label in FILTER_LABELS.items()}
            | {"status": status if status in deadlines.STATUSES else ""},
            "sort": sort, "descending": request.args.get("desc") == "1"}


@bp.route("/deadlines")
def deadlines_list():
    query = _query()
    page = page_arg(PER_PAGE)
    with work() as w:
        data = deadlines.deadlines_page(w, query["as_of"], query["within"], query["filters"],
                                        query["sort"], query["descending"], limit=PER_PAGE,
                                        offset=(page - 1) * PER_PAGE)
    # the address of this page with some settings changed (sorting, paging, exporting)
    args = {"as_of": query["as_of"].isoformat(), "within": query["within"],
            "sort": query["sort"], **{k: v for k, v in query["filters"].items() if v}}
    if query["descending"]:
        args["desc"] = "1"
    return render_template("deadlines.html", **data, query=query, args=args, page=page,
                           has_next=page * PER_PAGE < data["total"])


@bp.route("/deadlines/export")
def deadlines_export():
    """The deadlines as on the page (all of them, not one page), format=xlsx|csv."""
    fmt = request.args.get("format", "xlsx")
    if fmt not in exports.FORMATS:
        fmt = "xlsx"
    query = _query()
    with work() as w:
        doc = exports.export(w, "deadlines", fmt, query["as_of"], current_language(),
                             within=query["within"], filters=query["filters"],
                             sort=query["sort"], descending=query["descending"])
    return _send(doc)
