"""The service functions: the one place where the CLI, the web admin and the API change or
read a tenant's data. Each takes the ``TenantWork`` of ``tenant(slug, actor)``."""

from . import (audit_log, directory, importing, logins, people, person_history, security_log,
               sessions, tokens, users)
from .compliance import compliance_report, deadlines_within, sweep
from .dashboard import dashboard
from .councils import (add_item, add_meeting, add_member, council_view, create_council,
                       list_councils, meeting_outcome, record_votes, set_attendance)
from .importing import import_people
from .mentorships import (assign_mentor, assignments_of, close_mentorship, find_mentorship,
                          list_mentorships, papers_of, record_absence, record_paper,
                          release_mentor, replace_mentor)
from .people import add_person, find_person, list_people, save_person, update_person
from .suggestions import suggest_mentors
from .tenants import (create_tenant, get_tenant, list_tenants, set_amendments, set_regime,
                      update_tenant)
from .unit import TenantWork, regime_of, tenant
from . import results as _results
from ..storage.database import Session as _Session

_results.install(_Session)

__all__ = [
    "TenantWork", "add_item", "add_meeting", "add_member", "add_person", "assign_mentor",
    "assignments_of", "close_mentorship", "compliance_report", "council_view", "create_council",
    "create_tenant", "dashboard", "deadlines_within", "find_mentorship", "find_person", "get_tenant",
    "import_people",
    "list_councils", "list_mentorships", "list_people", "list_tenants", "meeting_outcome",
    "papers_of", "record_absence", "record_paper", "record_votes", "release_mentor", "replace_mentor",
    "regime_of", "save_person", "set_amendments", "set_attendance", "set_regime", "suggest_mentors", "sweep", "tenant",
    "update_person", "update_tenant",
]
