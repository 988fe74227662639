"""A browsable page of the API, rendered on the server from the OpenAPI document (no
script from elsewhere: it works offline and under the admin's Content-Security-Policy)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__)


@bp.route("/api/v1/docs")
def docs():
    from . import api

    spec = api.spec.to_dict()
    operations = []
    for path, item in sorted(spec.get("paths", {}).items()):
        for method, op in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                operations.append({"method": method.upper(), "path": path, **op})
    return render_template("api_docs.html", spec=spec, operations=operations)
