"""What a child process that opens a tenant's file (LibreOffice, the template filler) is
given of the server's environment: what it needs to run, nothing secret (DATABASE_URL,
SECRET_KEY...)."""

from __future__ import annotations

import os

PASSED = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ")


def clean_environment(*also: str, **values: str) -> dict:
    """PATH and the locale, the variables named in ``also`` where set, and ``values``."""
    env = {key: os.environ[key] for key in PASSED + also if key in os.environ}
    env.setdefault("PATH", os.defpath)
    return {**env, **values}
