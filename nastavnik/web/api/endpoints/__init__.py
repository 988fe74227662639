"""The API's endpoints, a module per resource; BLUEPRINTS lists them for registration."""

from . import regimes, tenants

BLUEPRINTS = [regimes.bp, tenants.bp]
