"""What a password a person sets must be: not blank, long enough (not absurdly long), not
their e-mail or name, and not guessable: zxcvbn (Dropbox's estimator of how many guesses
a password takes: dictionaries of common passwords, names and words, keyboard patterns,
dates, repeats, l33t substitutions) must score it 3 or more of 4, which it explains when
it does not. The reasons are codes and zxcvbn's English sentences; the admin shows them
in the user's language (web.account), the command line in English.

zxcvbn's dictionaries are English ones (and leaked passwords, mostly typed on a Latin
keyboard): a Cyrillic password is also judged as typed on the same keys of a Latin
keyboard ("пароль" is "gfhjkm", a common password) and transliterated ("parol"), and
the weakest of the three is its score."""

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


#: the Russian keyboard's letters and the Latin ones on the same keys
_KEYS = str.maketrans("йцукенгшщзхъфывапролджэячсмитьбюё", "qwertyuiop[]asdfghjkl;'zxcvbnm,.`")
_LATIN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
          "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
          "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts",
          "ч": "ch", "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
          "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
          "һ": "h", "і": "i"}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _transliterated(text: str) -> str:
    return "".join(_LATIN.get(c, c) for c in text.lower())


def _variants(password: str, words: list[str]) -> list[tuple[str, list[str]]]:
    """The password as typed and, when it has Cyrillic letters, as typed on the same keys
    of a Latin keyboard and transliterated: each with the user's words written alike."""
    out = [(password, words)]
    if _CYRILLIC.search(password):
        out.append((password.lower().translate(_KEYS), [w.translate(_KEYS) for w in words]))
        out.append((_transliterated(password), [_transliterated(w) for w in words]))
    return out


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
        result = min((zxcvbn(variant[:ZXCVBN_LENGTH], user_inputs=words)
                      for variant, words in _variants(password, _words(email, name))),
                     key=lambda r: r["score"])
    if result["score"] < MIN_SCORE:
        feedback = result.get("feedback") or {}
        raise PasswordRefused(["guessable"], feedback.get("warning") or "",
                              tuple(feedback.get("suggestions") or ()))
