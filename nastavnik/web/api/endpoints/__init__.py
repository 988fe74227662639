"""The API's endpoints, a module per resource; BLUEPRINTS lists them for registration."""

from . import calendar_feed, compliance, councils, mentorships, people, regimes, tenants

BLUEPRINTS = [regimes.bp, tenants.bp, councils.bp, people.bp, mentorships.bp, compliance.bp,
              calendar_feed.bp]
