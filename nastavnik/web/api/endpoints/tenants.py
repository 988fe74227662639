"""GET /api/v1/tenants: the tenants the token's user belongs to."""

from __future__ import annotations

from flask import g
from marshmallow import Schema, fields

from .... import services
from .. import api_blueprint, tenant_work
from ..schemas import problems

bp = api_blueprint("tenants", "/tenants", "Tenants the token's user belongs to")


class TenantSchema(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    regime = fields.String(required=True)
    locale = fields.String()
    role = fields.String(metadata={"description": "the user's role in this tenant"})
    settings = fields.Dict()
    extra_days_off = fields.List(fields.Date())
    extra_working_days = fields.List(fields.Date())


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
