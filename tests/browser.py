"""A live server and a Debian chromium for the browser tests (Playwright).

Screenshots of each page go to $NASTAVNIK_ARTIFACTS (default: tests/artifacts), kept by CI
as test artifacts."""

from __future__ import annotations

import functools
import os
import re
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


# --- what an officer must never read ---------------------------------------------------------

UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.I)
#: a rule id such as civil_service_2013.p10.capacity (regime id, paragraph, name)
RULE_ID = re.compile(r"\b[a-z][a-z0-9_]*_\d{4}(?:_[a-z0-9_]+)?\.p\d+[a-z0-9_.()]*")

#: the text nodes a reader sees: not inside <details> that is closed, <script>, <style>,
#: nor hidden; each with whether it sits in a <details> (where the curious may find ids)
_VISIBLE_TEXT = """
() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    if (!text) continue;
    const el = node.parentElement;
    if (!el || el.closest('script, style, template, [hidden], [aria-hidden=true]')) continue;
    const details = el.closest('details');
    const inSummary = el.closest('summary');
    out.push({text, inDetails: !!details && !inSummary, quoted: !!el.closest('code'),
              title: el.getAttribute('title') || ''});
  }
  return out;
}
"""


@functools.cache
def english_words(lang: str) -> frozenset[str]:
    """The English source strings the catalogue of ``lang`` translates differently: one of
    them on a page in ``lang`` is a word left untranslated."""
    from babel.messages.pofile import read_po

    path = Path(__file__).parent.parent / "nastavnik/web/translations" / lang / "LC_MESSAGES/messages.po"
    with open(path, "rb") as fh:
        catalogue = read_po(fh)
    words = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for source, translated in zip(ids, strings):
            if source and translated and source != translated and "%(" not in source \
                    and "{" not in source and re.search(r"[A-Za-z]{3}", source):
                words.add(source.strip())
    return frozenset(words)


def page_defects(page, lang: str) -> list[str]:
    """What a reader of ``page`` in ``lang`` must not see: English strings of the
    catalogue (on ru and kk pages), UUIDs, and rule ids outside a <details>."""
    defects = []
    english = english_words(lang) if lang != "en" else frozenset()
    for node in page.evaluate(_VISIBLE_TEXT):
        text = node["text"]
        if text in english:
            defects.append(f"English on a {lang} page: {text!r}")
        elif english and not node["quoted"] and _latin_phrase(text):  # <code>: the user's own words
            defects.append(f"Latin-script words on a {lang} page: {text!r}")
        if UUID.search(text):
            defects.append(f"an internal id: {text!r}")
        if RULE_ID.search(text) and not node["inDetails"]:
            defects.append(f"a rule id outside details: {text!r}")
    return defects


_WORD = re.compile(r"[^\W\d_]+")


def _latin_phrase(text: str) -> bool:
    """Two or more words of Latin letters and no Cyrillic (a schema key made a label, an
    English message from outside the catalogue); codes such as AP-022, PDF or p.12 pass."""
    if re.search(r"[\u0400-\u04FF]", text):
        return False
    words = [w for w in _WORD.findall(text) if len(w) >= 3 and w.isascii()]
    return len(words) >= 2


def scrolls_sideways(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth > window.innerWidth + 1")
