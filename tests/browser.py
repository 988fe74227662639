"""A live server and a Debian chromium for the browser tests (Playwright).

Screenshots of each page go to $NASTAVNIK_ARTIFACTS (default: tests/artifacts), kept by CI
as test artifacts."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("NASTAVNIK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("NASTAVNIK_ARTIFACTS", Path(__file__).parent / "artifacts"))


class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


def require_chromium():
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI needs chromium at {CHROMIUM} (apt-get install -y chromium)")
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install -y chromium); CI runs these")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
