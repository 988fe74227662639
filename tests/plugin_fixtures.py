"""Small plugins the registry tests layer on the built-in regimes."""

from pathlib import Path

from nastavnik.core import hookimpl
from nastavnik.core.findings import CapacityLimit

HERE = Path(__file__).parent / "data"


class LocalCapacityAmendment:
    """A local amendment: three servants per mentor, replacing CS p.10 outright."""

    @hookimpl
    def regime_rules(self):
        return HERE / "amendment_rules.yaml"

    @hookimpl
    def mentor_capacity(self, ctx, on):
        return CapacityLimit(ctx.rule("local_amendment.p10.capacity"), 3)


class DisagreeingCapacity:
    """Answers the capacity question without saying which rule it overrides."""

    @hookimpl
    def regime_rules(self):
        return HERE / "silent_rules.yaml"

    @hookimpl
    def mentor_capacity(self, ctx, on):
        return CapacityLimit(ctx.rule("local_amendment.p10.silent"), 5)


class AmendedNumber:
    """An amendment of the act itself: from 2027-01-01 three servants per mentor."""

    @hookimpl
    def regime_parameters(self):
        return HERE / "amended_parameters.yaml"


class Misspelled:
    @hookimpl
    def mentor_capacty(self, ctx, on):  # noqa: not a hook
        return None
