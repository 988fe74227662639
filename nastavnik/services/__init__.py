"""The service functions: the one place where the CLI, the web admin and the API change or
read a tenant's data. Each takes the ``TenantWork`` of ``tenant(slug, actor)``."""

import importlib

from . import results as _results
from ..storage.database import Session as _Session

_results.install(_Session)

# eager: the function is named as its module, which an import of the module would
# otherwise put in its place
from .dashboard import dashboard  # noqa: E402

#: where each name of the package lives: imported when first asked for, so that a command
#: pays for the services it uses (``nastavnik check`` needs neither the importer nor the
#: logins), not for all of them
_HOMES = {
    **{name: ".compliance" for name in ("compliance_report", "deadlines_within", "sweep")},
    **{name: ".councils" for name in ("add_item", "add_meeting", "add_member", "council_view",
                                       "create_council", "list_councils", "meeting_outcome",
                                       "record_votes", "set_attendance")},
    "import_people": ".importing",
    **{name: ".mentorships" for name in ("assign_mentor", "assignments_of", "close_mentorship",
                                          "find_mentorship", "list_mentorships", "papers_of",
                                          "record_absence", "record_paper", "release_mentor",
                                          "replace_mentor")},
    **{name: ".people" for name in ("add_person", "find_person", "list_people", "save_person",
                                     "update_person")},
    "suggest_mentors": ".suggestions",
    **{name: ".tenants" for name in ("create_tenant", "get_tenant", "list_tenants",
                                      "set_amendments", "set_regime", "update_tenant")},
    **{name: ".unit" for name in ("TenantWork", "regime_of", "tenant")},
}
_MODULES = ("audit_log", "directory", "importing", "logins", "people", "person_history",
            "security_log", "sessions", "tokens", "users")


def __getattr__(name: str):
    if name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name], __name__), name)
    elif name in _MODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def import_all() -> None:
    """Import every service now: a server does, at its start, what a command may leave to
    the first use (imports made while serving, in a request's thread, would race with
    other threads' imports)."""
    for name in (*_HOMES, *_MODULES):
        __getattr__(name)


def __dir__():
    return sorted(set(globals()) | set(_HOMES) | set(_MODULES))


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
