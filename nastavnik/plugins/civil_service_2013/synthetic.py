"""What a civil service body looks like, for ``bench generate`` (``nastavnik/synthetic.py``)."""

from __future__ import annotations

import datetime as dt

from nastavnik.core.samples import SyntheticProfile

DAY = dt.timedelta(days=1)


def _senior(rng, hired):
    return {"public_service_start": hired.isoformat(), "corps": "B", "category": "C-4",
            "last_assessment": {"year": 2025, "mark": rng.choice(("effective",) * 9 + ("satisfactory",))},
            **({"disciplinary_penalties": [{"kind": "замечание",
                                            "imposed": (hired + 400 * DAY).isoformat()}]}
               if rng.random() < 0.03 else {})}


def _newcomer(rng, hired):
    return {"public_service_start": hired.isoformat(), "corps": "B",
            "category": rng.choice(("C-5", "B-5", "D-5", "E-5")), "first_appointment": True}


def _assignment(draw):
    """p.7: the direct manager's submission and, but for 1 in 100, the mentor's consent."""
    return {"manager_submission": True, "mentor_consent": draw > 0.01}


PROFILE = SyntheticProfile(_senior, _newcomer, None, lambda rng: rng.choice((1, 2, 2)),
                           (("plan", 2),), ("mentee_report", "mentor_reference", "hr_submission"),
                           2, assignment=_assignment)
