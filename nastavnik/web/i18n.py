"""Languages: ru, kk, en through Flask-Babel. Catalogues are kept as .po files in the
package and compiled into the instance folder on start (no binaries in the repository).
The language is the user's choice (the switch in the bar), else the tenant's locale, else
the browser's preference."""

from __future__ import annotations

import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, request, session
from flask_babel import Babel

from ..core.i18n import LANGUAGES
from . import labels

SOURCE = Path(__file__).parent / "translations"


def compile_catalogues(target: Path) -> None:
    for po in SOURCE.glob("*/LC_MESSAGES/messages.po"):
        mo = target / po.relative_to(SOURCE).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with open(po, "rb") as fh:
            catalog = read_po(fh)
        tmp = mo.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            write_mo(fh, catalog)
        os.replace(tmp, mo)  # atomic: another worker may be reading it


def current_language() -> str:
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    tenant = getattr(g, "tenant", None)
    if tenant is not None:
        return tenant.locale
    return request.accept_languages.best_match(LANGUAGES) or "ru"


def init_app(app) -> None:
    target = Path(app.instance_path) / "translations"
    compile_catalogues(target)
    Babel(app, locale_selector=current_language,
          default_translation_directories=str(target))
    labels.init_app(app)  # the |label and |mentee_kind filters: codes shown as words

    @app.context_processor
    def _language():
        return {"lang": current_language(), "languages": LANGUAGES}
