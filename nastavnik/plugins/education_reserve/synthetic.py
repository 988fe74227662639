"""What a municipal education system looks like, for ``bench generate``
(``nastavnik/synthetic.py``)."""

from __future__ import annotations

import datetime as dt

from nastavnik.core.samples import SyntheticProfile

DAY = dt.timedelta(days=1)


def _senior(rng, hired):
    return {"administration": True, "experience_start": hired.isoformat(),
            "in_management_reserve": False, "organisation": "МАОУ СОШ"}


def _newcomer(rng, hired):
    return {"in_management_reserve": True, "reserve_included_on": hired.isoformat(),
            "experience_start": (hired - 2000 * DAY).isoformat()}


PROFILE = SyntheticProfile(_senior, _newcomer, "reservist", lambda rng: 12, (("plan", 10),),
                           ("joint_report",), 2, {"min_experience_years": 3, "term_months": 12})
