"""The admin, under /t/<tenant>/: every page works on one tenant the user belongs to.

The tenant comes from the URL; a user who is not a member gets 403, whatever else they
change in the URL, and every object is looked up inside the tenant's scope, so another
tenant's id is a 404. Views call the services and nothing else."""

from __future__ import annotations

import contextlib

from flask import Blueprint, abort, current_app, g, request, url_for
from flask_login import current_user, login_required

from ... import services
from ...core.errors import NotFound
from .. import guard

bp = Blueprint("admin", __name__, url_prefix="/t/<tenant>")


@bp.url_value_preprocessor
def _pull_tenant(endpoint, values):
    g.tenant_slug = values.pop("tenant")


@bp.url_defaults
def _add_tenant(endpoint, values):
    if "tenant" not in values and getattr(g, "tenant_slug", None):
        values["tenant"] = g.tenant_slug


@bp.before_request
@login_required
def _check_membership():
    try:
        tenant = services.get_tenant(g.tenant_slug)
    except NotFound:
        abort(404)
    role = services.users.role_in(current_user, tenant)
    if role is None:
        abort(403)
    g.tenant, g.role = tenant, role
    g.may_write = services.users.may_write(role)
    g.may_configure = services.users.may_configure(role)
    g.my_tenants = services.users.tenants_of(current_user)


# after the membership check: a NUL in a query or a form is refused in the tenant's language
bp.before_request(guard.refuse_nul)


@contextlib.contextmanager
def work():
    """The request's unit of work on its tenant, as the logged-in user."""
    with services.tenant(g.tenant.slug, f"web:{current_user.email}") as w:
        try:
            yield w
        except NotFound:
            abort(404)


#: the bar's links: (endpoint, label, shown when), added by each view module, shown in
#: the order of an HR officer's day
NAV: list = []
NAV_ORDER = ("admin.deadlines_list", "admin.mentorships", "admin.assign", "admin.people", "admin.councils",
             "admin.work_standards", "admin.audit", "admin.settings")


def nav(endpoint: str, label, when=lambda: True) -> None:
    NAV.append((endpoint, label, when))


@bp.app_context_processor
def _nav_links():
    def nav_links():
        if getattr(g, "tenant", None) is None:
            return []
        ranked = sorted(NAV, key=lambda item: NAV_ORDER.index(item[0])
                        if item[0] in NAV_ORDER else len(NAV_ORDER))
        return [(endpoint, label) for endpoint, label, when in ranked if when()]
    return {"nav_links": nav_links}


@bp.app_template_filter("localdate")
def _localdate(value):
    """A date (or an ISO date string, as the services' JSON has it) the local way."""
    import datetime as dt

    from ...core.i18n import format_date
    from ..i18n import current_language
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return format_date(value, current_language())


#: a form's POST endpoint -> (the endpoint of the page the form is on, its URL arguments)
FORM_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {}


def form_post(rule: str, page: str, *args: str, answer_get: bool = True):
    """``bp.route(rule, methods=["POST"])`` for a form of ``page`` (an endpoint taking the
    URL arguments ``args``). A refused post leaves the browser on this address, so a reload
    or a change of language (which comes back to it) would meet Werkzeug's bare English
    405: its GET shows the form's page instead (as that page would: 404 for another
    tenant's id). ``answer_get=False`` where the address has a GET of its own (the printed
    paper)."""
    def register(view):
        endpoint = view.__name__
        bp.add_url_rule(rule, endpoint, view, methods=["POST"])
        FORM_PAGES[f"{bp.name}.{endpoint}"] = (page, args)
        if answer_get:
            def show_page(**values):
                return current_app.view_functions[_endpoint(page)](
                    **{name: values[name] for name in args})
            bp.add_url_rule(rule, f"{endpoint}_page", show_page, methods=["GET"])
            FORM_PAGES[f"{bp.name}.{endpoint}_page"] = (page, args)
        return view
    return register


def _endpoint(page: str) -> str:
    return f"{bp.name}{page}" if page.startswith(".") else page


def _form_page(page: str, args: tuple[str, ...], values: dict) -> str:
    return url_for(_endpoint(page), **{name: values[name] for name in args})


@bp.app_context_processor
def _page_address():
    def page_address() -> str:
        """Where this page is to be found again by GET (the language switch's way back): a
        form's page, not the address the form posted to."""
        if request.endpoint in FORM_PAGES:
            page, args = FORM_PAGES[request.endpoint]
            return _form_page(page, args, request.view_args or {})
        return request.full_path.rstrip("?")  # Werkzeug adds "?" even with no query
    return {"page_address": page_address}


@bp.app_context_processor
def _regime_words():
    def regime_words() -> dict:
        """The tenant's regime as the bar names it: its title (its act's citation as the
        tooltip) in the page's language, not its id."""
        from ..i18n import current_language
        info = services.regime_of(g.tenant).info
        lang = current_language()
        return {"title": info.title.get(lang) or info.title["en"],
                "citation": info.citation.get(lang) or info.citation["en"]}
    return {"regime_words": regime_words}


def require_write() -> None:
    if not g.may_write:
        abort(403)


def require_configure() -> None:
    if not g.may_configure:
        abort(403)


from . import audit, councils, dashboard, mentorships, people, settings  # noqa: E402,F401  (views register on bp)
from . import work_standards  # noqa: E402,F401
from . import deadlines  # noqa: E402,F401
from . import documents  # noqa: E402,F401  (papers, exports, templates)
