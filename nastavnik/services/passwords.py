"""What a password a person sets must be: not blank, long enough (not absurdly long), not
their e-mail or name, and not guessable: zxcvbn (Dropbox's estimator of how many guesses
a password takes: dictionaries of common passwords, names and words, keyboard patterns,
dates, repeats, l33t substitutions) must score it 3 or more of 4, which it explains when
it does not. The reasons are codes and zxcvbn's English sentences; the admin shows them
in the user's language (web.account), the command line in English."""

from __future__ import annotations

import re
import threading

from ..core.errors import InputError

MIN_LENGTH = 10
MAX_LENGTH = 128
MIN_SCORE = 3  # of zxcvbn's 0..4: "safely unguessable: moderate protection from offline attacks"
ZXCVBN_LENGTH = 72  # zxcvbn's own limit: the first 72 characters are what it judges

#: reason code -> the English explanation (the admin has its own words for each)
REASONS = {
    "blank": "it is empty or only spaces",
    "short": f"it has fewer than {MIN_LENGTH} characters",
    "long": f"it has more than {MAX_LENGTH} characters",
    "personal": "it contains your e-mail address or your name",
    "guessable": "it is easy to guess",
}

_zxcvbn_lock = threading.Lock()  # zxcvbn keeps the user's words in a module-level dict


class PasswordRefused(InputError):
    """The password is not accepted; ``reasons`` are codes of ``REASONS``, and for a
    guessable password ``warning`` and ``suggestions`` are zxcvbn's sentences."""

    def __init__(self, reasons: list[str], warning: str = "", suggestions: tuple[str, ...] = ()):
        self.reasons = reasons
        self.warning = warning
        self.suggestions = tuple(suggestions)
        said = "; ".join(REASONS[r] for r in reasons)
        extra = " ".join(x for x in (warning, *suggestions) if x)
        super().__init__(f"the password is refused: {said}" + (f". {extra}" if extra else ""),
                         field="password")


def _personal(email: str, name: str) -> list[str]:
    """The parts of who the user is that a password must not contain (case aside)."""
    email = (email or "").strip().lower()
    local = email.split("@", 1)[0]
    name = (name or "").strip().lower()
    return [part for part in (email, local, name) if len(part) >= 3]


def _words(email: str, name: str) -> list[str]:
    """Words of the e-mail and name that zxcvbn counts as easy to guess for this user."""
    return [w for w in re.split(r"[\W_]+", f"{email} {name}".lower()) if len(w) >= 2]


def check(password: str, *, email: str = "", name: str = "") -> None:
    """Raise ``PasswordRefused`` with every reason the password is not accepted."""
    password = password or ""
    if not password.strip():
        raise PasswordRefused(["blank"])
    reasons = []
    if len(password) < MIN_LENGTH:
        reasons.append("short")
    if len(password) > MAX_LENGTH:
        reasons.append("long")
    folded = password.lower()
    if any(part in folded for part in _personal(email, name)):
        reasons.append("personal")
    if reasons:
        raise PasswordRefused(reasons)
    from zxcvbn import zxcvbn

    with _zxcvbn_lock:
        result = zxcvbn(password[:ZXCVBN_LENGTH], user_inputs=_words(email, name))
    if result["score"] < MIN_SCORE:
        feedback = result.get("feedback") or {}
        raise PasswordRefused(["guessable"], feedback.get("warning") or "",
                              tuple(feedback.get("suggestions") or ()))
