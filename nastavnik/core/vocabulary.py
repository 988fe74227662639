"""The platform's own codes, each defined once with its words in ru, kk and en
(``vocabulary.yaml``): a mentorship's status and a member's role in a council of mentors.
The codes are stored and sent as they are; people read the words."""

from __future__ import annotations

from pathlib import Path

from .phrases import load_phrases

_WORDS = load_phrases(Path(__file__).with_name("vocabulary.yaml"))

#: a mentorship's status: code -> Phrase
MENTORSHIP_STATUSES: dict = _WORDS["mentorship_statuses"]
#: a member's role in a council of mentors, in listing order: code -> Phrase
COUNCIL_ROLES: dict = _WORDS["council_roles"]
