"""Word to PDF with LibreOffice, headless, so the printable copy of a paper is exactly the
Word file people may edit.

Each call gets its own temporary directory and its own LibreOffice profile
(``-env:UserInstallation``): two conversions at once would otherwise fight over one
profile and one of them fail. A conversion that hangs is killed after ``TIMEOUT`` seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..core.errors import NastavnikError
from .child_env import clean_environment

TIMEOUT = float(os.environ.get("NASTAVNIK_SOFFICE_TIMEOUT", "120"))
INSTALL_HINT = ("install LibreOffice Writer (Debian/Ubuntu: apt-get install "
                "libreoffice-writer-nogui) or set NASTAVNIK_SOFFICE to its soffice program")


class OfficeUnavailable(NastavnikError):
    """LibreOffice is not installed (or not where NASTAVNIK_SOFFICE says)."""


class ConversionFailed(NastavnikError):
    """LibreOffice ran but made no PDF, or took too long."""


def soffice() -> str | None:
    """The soffice program to run, or None."""
    named = os.environ.get("NASTAVNIK_SOFFICE")
    if named:
        return named if shutil.which(named) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes:
    """The PDF of a Word file."""
    program = soffice()
    if program is None:
        raise OfficeUnavailable(f"PDF needs LibreOffice, which is not installed: {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="nastavnik-pdf-") as tmp:
        tmp = Path(tmp)
        source = tmp / "paper.docx"
        source.write_bytes(docx)
        command = [program, f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
                   "--headless", "--norestore", "--convert-to", "pdf", "--outdir", str(tmp),
                   str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT,
                                  env=clean_environment("FONTCONFIG_PATH", "FONTCONFIG_FILE",
                                                    HOME=str(tmp), TMPDIR=str(tmp)))
        except subprocess.TimeoutExpired:
            raise ConversionFailed(f"LibreOffice took more than {TIMEOUT:.0f} s to make the "
                                   "PDF") from None
        result = tmp / "paper.pdf"
        if done.returncode != 0 or not result.is_file():
            said = (done.stderr or done.stdout).decode(errors="replace").strip()[-500:]
            raise ConversionFailed(f"LibreOffice made no PDF (exit {done.returncode}): {said}")
        return result.read_bytes()
