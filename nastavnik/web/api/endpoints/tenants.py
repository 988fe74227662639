"""GET /api/v1/tenants: the tenants the token's user belongs to."""

from __future__ import annotations

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
    locale = fields.String()
    role = fields.String(metadata={"description": "the user's role in this tenant"})
    settings = fields.Dict()
    extra_days_off = fields.List(CalendarDate())
    extra_working_days = fields.List(CalendarDate())


def tenant_json(tenant, role) -> dict:
    return {"slug": tenant.slug, "name": tenant.name, "regime": tenant.regime,
            "locale": tenant.locale, "role": role, "settings": tenant.settings,
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
    user = g.api_user
    try:
        tenant = services.get_tenant(slug)
    except NotFound:
        abort(404, message=f"no tenant {slug!r}")
    role = services.users.role_in(user, tenant)
    if role is None:
        abort(404, message=f"no tenant {slug!r}")
    if not services.users.may_configure(role):
        abort(403, message=f"your role in {slug} ({role}) may not change its settings")
    services.update_tenant(slug, f"api:{user.email}", **changes)  # all or nothing
    tenant = services.get_tenant(slug)
    return tenant_json(tenant, role)
