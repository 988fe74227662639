import pytest

from nastavnik.core import registry


@pytest.fixture
def fresh_registry():
    """Managers built for this test only (e.g. after installing a plugin at run time)."""
    registry.forget()
    yield registry
    registry.forget()
