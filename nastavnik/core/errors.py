"""Errors the core raises. Each carries a message meant for the person who caused it."""


class NastavnikError(Exception):
    """Base class: every error here is expected and shown without a traceback."""


class InputError(NastavnikError):
    """Bad input: names the offending field; nothing was changed."""

    def __init__(self, message: str, field: str | None = None, source: str | None = None,
                 words: dict | None = None):
        self.field = field
        self.source = source
        self.words = words  # the message in ru, kk and en, where the core can word it
        where = " ".join(x for x in (source, f"at {field}" if field else None) if x)
        super().__init__(f"{where}: {message}" if where else message)


class BadDate(InputError):
    """Not a date (``earliest`` and ``latest`` None), or a date outside the days the system
    takes: the parts are kept so that a page can word the error in its user's language."""

    def __init__(self, message: str, field: str | None = None, source: str | None = None,
                 value=None, earliest=None, latest=None):
        self.value, self.earliest, self.latest = value, earliest, latest
        super().__init__(message, field=field, source=source)


class UnknownCode(InputError):
    """A code that is not in the tenant's regime's vocabulary; ``known`` maps the codes it
    has to their labels, so that the message can be worded in the user's language."""

    def __init__(self, value, known: dict, field: str):
        self.value, self.known = value, known
        super().__init__(self.message("en"), field=field)

    def message(self, lang: str) -> str:
        listed = "; ".join(f"{k} ({v.localize(lang)})" for k, v in self.known.items())
        return {"ru": f"«{self.value}» не предусмотрено режимом; возможны: {listed or 'нет'}",
                "kk": f"«{self.value}» режимде қарастырылмаған; мүмкіндері: {listed or 'жоқ'}",
                "en": f'"{self.value}" is not provided for by the regime; one of: '
                      f"{listed or 'none'}"}[lang]


class NotInForce(InputError):
    """A regime's parameter has no value yet on ``day`` (its first is from ``first``): the
    date asked about is before the regime's rules."""

    def __init__(self, name: str, day, first):
        self.name, self.day, self.first = name, day, first
        super().__init__(f"parameter {name} has no value in force on {day} "
                         f"(first value from {first})", field=name)


class RegimeError(NastavnikError):
    """A regime plugin is missing, broken or incomplete."""


class RuleConflict(NastavnikError):
    """Two rules in force give different answers to one question.

    Hook order is not legal precedence: an exception must say which rule it overrides
    (``overrides`` in its rule entry); otherwise a disagreement is an error.
    """

    def __init__(self, question: str, answers: dict):
        self.question = question
        self.answers = answers
        listed = "; ".join(f"{rule} says {value}" for rule, value in answers.items())
        super().__init__(f"rules disagree on {question}: {listed}")


class NotFound(InputError):
    """The thing named does not exist (in this tenant)."""


class Refused(NastavnikError):
    """The regime's rules forbid the change; ``findings`` say which rules and why."""

    def __init__(self, message: str, findings: list):
        self.findings = findings
        super().__init__(message)
