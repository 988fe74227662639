"""What a finding, deadline or trace step is about: its ``subject``.

A subject is a mentorship's or a council's id, or something within one: the n-th mentor's
assignment of a mentorship is an ``AssignmentSubject``. Subjects are strings (their string
form is what scenarios, reports and stored data use, ``"<mentorship>/a<n>"`` for an
assignment), and this module is the one place that writes and reads that form.
"""

from __future__ import annotations

SEPARATOR = "/"
_ASSIGNMENT = "/a"


class AssignmentSubject(str):
    """The ``number``-th (from 1) mentor's assignment of mentorship ``mentorship``."""

    __slots__ = ()

    def __new__(cls, mentorship: str, number: int):
        if number < 1:
            raise ValueError(f"assignments are numbered from 1, not {number}")
        return super().__new__(cls, f"{mentorship}{_ASSIGNMENT}{number}")

    def __getnewargs__(self):  # copy and pickle build it again from its parts
        return self.mentorship, self.number

    @property
    def mentorship(self) -> str:
        return self.rpartition(_ASSIGNMENT)[0]

    @property
    def number(self) -> int:
        return int(self.rpartition(_ASSIGNMENT)[2])

    @classmethod
    def parse(cls, text: str) -> AssignmentSubject | None:
        """The assignment ``text`` names, or None if it names none."""
        if isinstance(text, cls):
            return text
        head, sep, number = str(text).rpartition(_ASSIGNMENT)
        if not sep or not head or not number.isdigit() or number.startswith("0"):
            return None
        return cls(head, int(number))


def assignment_subject(mentorship, number: int) -> AssignmentSubject:
    """The subject of a mentorship's (or a mentorship id's) ``number``-th assignment."""
    return AssignmentSubject(getattr(mentorship, "id", mentorship), number)


def record_of(subject: str) -> str:
    """The mentorship or council a subject is about (the subject itself, or what it is in)."""
    return str(subject).split(SEPARATOR, 1)[0]


def is_about(subject: str, record: str) -> bool:
    """Whether ``subject`` is ``record`` or something within it (its assignments...)."""
    return subject == record or subject.startswith(record + SEPARATOR)
