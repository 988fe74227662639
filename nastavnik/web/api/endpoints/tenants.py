"""GET /api/v1/tenants: the tenants the token's user belongs to; a tenant's regime, its
amendments and settings, changed after a preview of what the change would do."""

from __future__ import annotations

import datetime as dt

from flask import g
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from .... import services
from .. import api_blueprint, tenant_work
from ....core.errors import NotFound
from ..schemas import CalendarDate, PlainText, RequestSchema, problems

bp = api_blueprint("tenants", "/tenants", "Tenants the token's user belongs to")


class TenantSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    regime = fields.String(required=True)
    amendments = fields.List(fields.String(), metadata={
        "description": "The amendments of its regime the tenant follows (see "
                       "GET /tenants/{slug}/amendments).", "example": []})
    locale = fields.String()
    role = fields.String(metadata={"description": "the user's role in this tenant"})
    settings = fields.Dict()
    extra_days_off = fields.List(CalendarDate())
    extra_working_days = fields.List(CalendarDate())


def tenant_json(tenant, role) -> dict:
    return {"slug": tenant.slug, "name": tenant.name, "regime": tenant.regime,
            "amendments": list(tenant.amendments or ()), "locale": tenant.locale, "role": role, "settings": tenant.settings,
            "extra_days_off": tenant.extra_days_off,
            "extra_working_days": tenant.extra_working_days}


@bp.route("")
@bp.response(200, TenantSchema(many=True))
@problems(bp, 401)
def list_tenants():
    """Tenants the user may work on, with the user's role in each."""
    return [tenant_json(t, role) for t, role in services.users.tenants_of(g.api_user)]


@bp.route("/<slug>")
@bp.response(200, TenantSchema)
@problems(bp, 401, 404)
def get_tenant(slug):
    """One tenant (404 if the user does not belong to it)."""
    with tenant_work(slug) as work:
        return tenant_json(work.tenant, work.role)


class TenantPatchSchema(RequestSchema):
    name = PlainText(max_length=255, metadata={"description": "The agency's name."})
    locale = fields.String(validate=validate.OneOf(["ru", "kk", "en"]),
                           metadata={"description": "Language of the tenant's papers and messages."})
    settings = fields.Dict(metadata={"description": "The regime's tenant settings, replaced "
                                     "whole and checked against GET /settings-schema."})
    extra_days_off = fields.List(CalendarDate(), metadata={
        "description": "Days off the tenant adds to the national calendar (replaces the list)."})
    extra_working_days = fields.List(CalendarDate(), metadata={
        "description": "Days off made working days for the tenant (replaces the list)."})


@bp.route("/<slug>", methods=["PATCH"])
@bp.arguments(TenantPatchSchema)
@bp.response(200, TenantSchema)
@problems(bp, 401, 403, 404, 422)
def patch_tenant(changes, slug):
    """Change a tenant's name, language, regime settings or calendar overrides (tenant
    admins and platform admins; settings are checked against the regime's JSON Schema)."""
    role = _configurer(slug)
    services.update_tenant(slug, f"api:{g.api_user.email}", **changes)  # all or nothing
    return tenant_json(services.get_tenant(slug), role)


def _configurer(slug) -> str:
    """The user's role in the tenant, if it may change the tenant's settings (404, 403)."""
    try:
        tenant = services.get_tenant(slug)
    except NotFound:
        abort(404, message=f"no tenant {slug!r}")
    role = services.users.role_in(g.api_user, tenant)
    if role is None:
        abort(404, message=f"no tenant {slug!r}")
    if not services.users.may_configure(role):
        abort(403, message=f"your role in {slug} ({role}) may not change its settings")
    return role


# --- the regime and its amendments, and what a change of them would do --------------------

class AmendmentSchema(Schema):
    name = fields.String(required=True, metadata={
        "description": "What to put in ``amendments``.", "example": "municipal_2025_amendment_2027"})
    title = fields.Dict(metadata={"description": "Title by language (ru, kk, en)."})
    citation = fields.Dict(metadata={"description": "The amending act by language."})
    effective_from = CalendarDate(validate=None, metadata={"description": "In force from."})
    chosen = fields.Boolean(metadata={"description": "Whether the tenant follows it."})


@bp.route("/<slug>/amendments")
@bp.response(200, AmendmentSchema(many=True))
@problems(bp, 401, 404)
def list_amendments(slug):
    """The installed amendments of the tenant's regime, and which the tenant follows."""
    from ....core import registry

    with tenant_work(slug) as work:
        chosen = set(work.tenant.amendments or ())
        return [{**info.to_json(), "name": name, "chosen": name in chosen}
                for name, info in registry.amendments_of(work.tenant.regime).items()]


class RegimeChangeSchema(RequestSchema):
    regime = fields.String(required=True, validate=validate.Length(min=1, max=63), metadata={
        "description": "A regime id (GET /regimes).", "example": "municipal_2025"})
    amendments = fields.List(fields.String(validate=validate.Length(max=127)), metadata={
        "description": "Amendments of that regime to follow (default: none if the regime "
                       "changes, else the tenant's).", "example": ["municipal_2025_amendment_2027"]})
    settings = fields.Dict(metadata={"description": "The regime's tenant settings, replaced "
                                     "whole (default: none)."})


@bp.route("/<slug>/regime", methods=["PUT"])
@bp.arguments(RegimeChangeSchema)
@bp.response(200, TenantSchema)
@problems(bp, 401, 403, 404, 422)
def put_regime(change, slug):
    """Put the tenant under a regime with its amendments and settings (tenant admins and
    platform admins; audited). Refused (422) while the tenant has councils of mentors on
    record and the regime has none. POST /tenants/{slug}/preview shows first what the
    change would do."""
    role = _configurer(slug)
    services.set_regime(slug, change["regime"], f"api:{g.api_user.email}",
                        change.get("settings"), change.get("amendments"))
    return tenant_json(services.get_tenant(slug), role)


class AmendmentsChangeSchema(RequestSchema):
    amendments = fields.List(fields.String(validate=validate.Length(max=127)), required=True,
                             metadata={"description": "The amendments to follow (replaces the "
                                       "list; [] for none).",
                                       "example": ["municipal_2025_amendment_2027"]})


@bp.route("/<slug>/amendments", methods=["PUT"])
@bp.arguments(AmendmentsChangeSchema)
@bp.response(200, TenantSchema)
@problems(bp, 401, 403, 404, 422)
def put_amendments(change, slug):
    """Choose the amendments of its regime the tenant follows (audited)."""
    role = _configurer(slug)
    services.set_amendments(slug, change["amendments"], f"api:{g.api_user.email}")
    return tenant_json(services.get_tenant(slug), role)


class PreviewSchema(RequestSchema):
    regime = fields.String(validate=validate.Length(min=1, max=63), metadata={
        "description": "The regime proposed (default: the tenant's)."})
    amendments = fields.List(fields.String(validate=validate.Length(max=127)), metadata={
        "description": "The amendments proposed (default: the tenant's, or none with another "
                       "regime)."})
    settings = fields.Dict(metadata={"description": "The settings proposed (default: the "
                                     "tenant's, or none with another regime)."})
    as_of = CalendarDate(metadata={"description": "The day the records are judged on "
                                   "(default: today)."})
    lang = fields.String(validate=validate.OneOf(["ru", "kk", "en"]), metadata={
        "description": "Language of the labels (default: the tenant's)."})


class ChangeSchema(Schema):
    change = fields.String(metadata={"description": "appears, disappears or moves (its due "
                                     "date changes)."})
    change_label = fields.String(metadata={"description": "The change, in ``lang``."})
    what = fields.String(metadata={"description": "finding or deadline"})
    paragraph = fields.String(metadata={"example": "4"})
    paragraph_label = fields.String(metadata={"example": "p.4"})
    regime = fields.String(allow_none=True, metadata={"description": "The regime's title."})
    title = fields.String(metadata={"description": "The rule's title, in ``lang``."})
    text = fields.String(metadata={"description": "The finding or deadline, in ``lang``."})
    person = fields.String(allow_none=True, metadata={"description": "The mentee's name."})
    number = fields.String(allow_none=True, metadata={"description": "Their personnel number."})
    mentor = fields.String(allow_none=True, metadata={"description": "The mentor's name, for "
                                                      "an assignment's finding."})
    severity = fields.String(allow_none=True)
    due = CalendarDate(validate=None, allow_none=True)
    due_label = fields.String(allow_none=True)
    due_before = CalendarDate(validate=None, allow_none=True, metadata={
        "description": "The due date now, for a deadline that moves."})
    due_before_label = fields.String(allow_none=True)


class WhatIfSchema(Schema):
    as_of = CalendarDate(validate=None)
    lang = fields.String()
    current = fields.Dict(metadata={"description": "The regime (with its title), amendments "
                                    "and settings now."})
    proposed = fields.Dict(metadata={"description": "The same, as proposed."})
    changed = fields.List(fields.String(), metadata={"description": "What the proposal "
                                                     "changes: regime, amendments, settings."})
    changes = fields.List(fields.Nested(ChangeSchema))
    counts = fields.Dict(metadata={"description": "How many appear, disappear and move."})


@bp.route("/<slug>/preview", methods=["POST"])
@bp.arguments(PreviewSchema)
@bp.response(200, WhatIfSchema)
@problems(bp, 401, 403, 404, 422)
def preview(proposal, slug):
    """What a change of regime, amendments or settings would do, on the tenant's records:
    the findings and deadlines that would appear, disappear or move (due date changed),
    each worded in ``lang`` with its paragraph and the person's name. Nothing is changed;
    apply with PUT /tenants/{slug}/regime, PUT /tenants/{slug}/amendments or PATCH."""
    from ....services.what_if import what_if

    _configurer(slug)
    with tenant_work(slug) as work:
        return what_if(work, proposal.pop("as_of", None) or dt.date.today(), **proposal)
