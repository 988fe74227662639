"""What a finding, a deadline or a trace step is about, and how its id is written: a
mentorship (``m1``), the n-th mentor's assignment within it (``m1/a2``, counted from 1), a
council (``c1``) or a meeting of it (``c1/<meeting>``). Plugins build subjects and callers
read them only through this module, so the written form is defined once."""

from __future__ import annotations

SEPARATOR = "/"


class Subject(str):
    """A subject id; a ``str`` as scenarios, stored results and the API write it."""

    __slots__ = ()

    @property
    def owner(self) -> str:
        """The mentorship or council the subject belongs to (itself if it is one)."""
        return self.split(SEPARATOR, 1)[0]

    @property
    def assignment_number(self) -> int | None:
        """Which of the mentorship's assignments it is (1 for the first), or None."""
        _, _, part = self.partition(SEPARATOR)
        return int(part[1:]) if part[:1] == "a" and part[1:].isdigit() else None


def assignment_subject(mentorship_id: str, number: int) -> Subject:
    """The subject of the ``number``-th assignment (from 1) of a mentorship."""
    return Subject(f"{mentorship_id}{SEPARATOR}a{number}")


def part_subject(owner_id: str, part_id: str) -> Subject:
    """The subject of a part of a council or mentorship (e.g. a council's meeting)."""
    return Subject(f"{owner_id}{SEPARATOR}{part_id}")


def within(subject: str, owner: str) -> bool:
    """Whether ``subject`` is ``owner`` or one of its parts."""
    return subject == owner or subject.startswith(owner + SEPARATOR)
