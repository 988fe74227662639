"""What a regime ships besides its law: a demo tenant and a profile for synthetic bodies.

Both are optional; a regime's plugin returns them from ``regime_demo()`` and
``synthetic_profile()`` (``core/hookspecs.py``). They live here, in the core, so that a
plugin can build them without importing the services or the storage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Demo:
    """A demo tenant: who it is and the story that fills it.

    ``tenant``: ``slug``, ``name``, ``locale``, optional ``settings`` and ``order_format``
    (how the story numbers its orders, ``{n}`` the number). ``load(story)`` tells the story
    through the ``Story`` it is given (``nastavnik/demo``: dates counted from the as-of date,
    thin wrappers over the services, and ``story.services`` for anything else), so every
    rule runs. ``hints``: (command without ``nastavnik``, what it shows) printed after
    loading. ``position`` orders the demo tenants (lower first, then by slug)."""

    tenant: dict
    load: Callable
    hints: tuple = ()
    position: int = 100

    @classmethod
    def from_module(cls, module, position: int = 100) -> "Demo":
        """A demo written as a module with ``TENANT``, ``HINTS`` and ``load(story)``."""
        return cls(module.TENANT, module.load, tuple(module.HINTS), position)

    @property
    def slug(self) -> str:
        return self.tenant["slug"]


@dataclass(frozen=True)
class SyntheticProfile:
    """What a regime's people and mentorships look like, for ``bench generate``."""

    senior: Callable  # (rng, hired_on) -> person attributes of a senior member of staff
    newcomer: Callable  # (rng, hired_on) -> person attributes of a new hire (a mentee)
    kind: str | None  # the mentee kind of the generated mentorships
    term_months: Callable  # (rng) -> months a mentorship lasts
    first_papers: tuple  # (paper kind, working days after the start it is usually done)
    closing_papers: tuple  # paper kinds done at the end
    capacity: int  # how many mentees a mentor usually has at once
    settings: dict = field(default_factory=dict)  # the generated tenant's settings
    sections: dict = field(default_factory=dict)  # paper kind -> the sections it records
