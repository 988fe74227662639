"""An amendment of resolution No. 45, in force from 1 January 2027: three mentees per
mentor instead of two (p.4 as amended). A tenant chooses it; others keep p.4 as it was."""

from pathlib import Path

from nastavnik.core import hookimpl

HERE = Path(__file__).parent


@hookimpl
def regime_parameters():
    return HERE / "parameters.yaml"
