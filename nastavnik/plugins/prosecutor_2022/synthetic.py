"""What a prosecutor's office looks like, for ``bench generate`` (``nastavnik/synthetic.py``)."""

from __future__ import annotations

import datetime as dt

from nastavnik.core import registry
from nastavnik.core.samples import SyntheticCouncil, SyntheticProfile

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


AWARD = {"awards": [{"name": "«Прокуратура органдарының құрметті қызметкері»",
                     "date": "2010-12-01", "kind": "departmental"}]}
VETERAN = {"veteran_retired_reason": "length_of_service"}


def _council() -> SyntheticCouncil:
    """Seven members as p.18-19 want them: a deputy head in the chair, members with service
    awards, a psychologist-polygraphologist, veterans; hearings as p.6 times them (the
    regime's parameter as now in force)."""
    before_end = registry.get("prosecutor_2022").parameters.at(
        "hearing_working_days_before_end", dt.date.today()).value
    return SyntheticCouncil(
        members=(("chair", None, {"head_or_deputy": True}),
                 ("deputy_chair", "service_awards", AWARD),
                 ("secretary", "service_awards", AWARD),
                 ("member", "service_awards", AWARD),
                 ("member", "psychologist_polygraphologist", {"psychologist_polygraphologist": True}),
                 ("member", "veteran", VETERAN),
                 ("member", "veteran", VETERAN)),
        hearing_working_days_before_end=before_end,
        hearing_title="Тәлімгер мен жас қызметкер {mentee} есептерін тыңдау (6, 10, 14-т.)")


PROFILE = SyntheticProfile(_senior, _newcomer, "young_employee", lambda rng: 12,
                           (("programme", 10),), ("mentee_report", "mentor_report", "evaluation"),
                           2, sections={"programme": PROGRAMME_AREAS}, council=_council())
