"""What a prosecutor's office looks like, for ``bench generate`` (``nastavnik/synthetic.py``)."""

from __future__ import annotations

from nastavnik.core.samples import SyntheticProfile

#: the five areas of a programme (p.9)
PROGRAMME_AREAS = ("knowledge_skills", "legal_acts", "duty_responsibility", "ethics_discipline",
                   "corporate_culture")


def _senior(rng, hired):
    return {"entry_route": "competition", "prosecution_service_start": hired.isoformat(),
            "position_level": rng.choice(("head_of_division", "deputy_district_prosecutor",
                                          "district_prosecutor", "deputy_district_prosecutor"))}


def _newcomer(rng, hired):
    return {"entry_route": "competition", "first_entry": True,
            "prosecution_service_start": hired.isoformat(), "position_level": "assistant"}


PROFILE = SyntheticProfile(_senior, _newcomer, "young_employee", lambda rng: 12,
                           (("programme", 10),), ("mentee_report", "mentor_report", "evaluation"),
                           2, sections={"programme": PROGRAMME_AREAS})
