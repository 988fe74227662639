"""An amendment of resolution No. 45, in force from 1 January 2027: three mentees per
mentor instead of two (p.4 as amended). A tenant chooses it; others keep p.4 as it was."""

import datetime as dt
from pathlib import Path

from nastavnik.core import hookimpl
from nastavnik.core.regime_info import AmendmentInfo

HERE = Path(__file__).parent


@hookimpl
def amendment_info():
    return AmendmentInfo(
        regime="municipal_2025",
        title={"ru": "Три подопечных на наставника с 2027 года",
               "kk": "2027 жылдан бастап тәлімгерге үш қызметші",
               "en": "Three mentees per mentor from 2027"},
        citation={"ru": "Постановление акимата № 7 от 15.11.2026 о внесении изменений в № 45",
                  "kk": "Әкімдіктің № 45 қаулыға өзгерістер енгізу туралы 2026 жылғы "
                        "15 қарашадағы № 7 қаулысы",
                  "en": "Resolution of the akimat No. 7 of 15 November 2026 amending No. 45"},
        effective_from=dt.date(2027, 1, 1))


@hookimpl
def regime_parameters():
    return HERE / "parameters.yaml"
