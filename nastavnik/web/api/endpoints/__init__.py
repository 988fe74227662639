"""The API's endpoints, a module per resource; BLUEPRINTS lists them for registration."""

from . import calendar_feed, compliance, councils, documents, mentorships, people, regimes, tenants
from . import work_standards

BLUEPRINTS = [regimes.bp, tenants.bp, councils.bp, people.bp, mentorships.bp, compliance.bp,
              calendar_feed.bp, work_standards.bp, documents.bp]
