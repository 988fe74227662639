"""application/problem+json responses (RFC 9457)."""

from __future__ import annotations

import json

from flask import Response
from werkzeug.http import HTTP_STATUS_CODES

TYPE_BASE = "https://nastavnik.example/problems/"


def problem(status: int, detail: str, type_: str | None = None, headers=None, **extra) -> Response:
    body = {"type": TYPE_BASE + type_ if type_ else "about:blank",
            "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status, "detail": detail}
    body.update({k: v for k, v in extra.items() if v is not None})
    response = Response(json.dumps(body, ensure_ascii=False, default=str), status=status,
                        mimetype="application/problem+json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
