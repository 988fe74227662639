"""GET /api/v1/regimes: the installed regimes, their rules, parameters and schemas."""

from __future__ import annotations

from flask_smorest import abort
from marshmallow import Schema, fields

from ....core import registry
from ....core.errors import NastavnikError
from .. import api_blueprint
from ..schemas import Localized, problems

bp = api_blueprint("regimes", "/regimes", "The regulations installed: rules, parameters, schemas")


class RegimeSchema(Schema):
    id = fields.String(required=True)
    title = fields.Nested(Localized)
    citation = fields.Nested(Localized)
    country = fields.String()
    effective_from = fields.String()
    effective_to = fields.String(allow_none=True)
    has_council = fields.Boolean()
    mentee_kinds = fields.Dict()


class RegimeDetailSchema(RegimeSchema):
    rules = fields.List(fields.Dict())
    parameters = fields.List(fields.Dict())
    settings_schema = fields.Dict()
    person_schema = fields.Dict()
    mentorship_schema = fields.Dict(metadata={
        "description": "JSON Schema of the facts the regime keeps on a mentorship "
                       "(``attributes``), with x-title/x-help/x-enum-titles in ru, kk, en."})
    assignment_schema = fields.Dict(metadata={
        "description": "JSON Schema of the facts the regime keeps on a mentor's assignment."})
    paper_kinds = fields.Dict(metadata={
        "description": "The papers a mentorship of this regime may have recorded: id -> "
                       "{title: {ru, kk, en}, paragraph, printable, fields (JSON Schema or "
                       "null)}; the values POST .../papers takes as kind."})
    deadline_kinds = fields.Dict(metadata={
        "description": "Every kind of deadline the regime sets: id -> {ru, kk, en}."})
    deadline_events = fields.Dict(metadata={
        "description": "What its deadlines count from: id -> {ru, kk, en}."})
    council_bases = fields.Dict(metadata={
        "description": "Grounds of membership of its council of mentors: id -> {ru, kk, en}."})
    end_reasons = fields.Dict(metadata={
        "description": "Why a mentor's assignment may end (the values POST .../replace "
                       "takes as reason): id -> {ru, kk, en}."})


def _info(regime) -> dict:
    return regime.info.to_json()


@bp.route("")
@bp.response(200, RegimeSchema(many=True))
@problems(bp, 401)
def list_regimes():
    """The installed regimes."""
    out = []
    for rid in registry.available():
        try:
            out.append(_info(registry.get(rid)))
        except NastavnikError:
            continue  # a broken plugin is reported by `nastavnik regimes`, not here
    return out


@bp.route("/<regime_id>")
@bp.response(200, RegimeDetailSchema)
@problems(bp, 401, 404)
def get_regime(regime_id):
    """One regime: its rules with paragraphs, dated parameters, and the JSON Schemas of
    tenant settings, person attributes and the facts of mentorships and assignments (to
    build forms)."""
    if regime_id not in registry.available():
        abort(404, message=f"no regime {regime_id!r}")
    regime = registry.get(regime_id)
    return {**_info(regime),
            "rules": [r.to_json() for r in regime.rules.values()],
            "parameters": [{"name": p.name, "paragraph": p.paragraph, "unit": p.unit,
                            "description": p.description,
                            "values": [v.to_json() for v in p.history]} for p in regime.parameters],
            "settings_schema": regime.settings_schema, "person_schema": regime.person_schema,
            "mentorship_schema": regime.mentorship_schema,
            "assignment_schema": regime.assignment_schema,
            **regime.vocabularies_json()}
