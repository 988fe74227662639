"""The regime-neutral core: hook specifications, shared domain objects, calendars, findings.

The core knows no particular regulation; regimes are pluggy plugins (see ``hookspecs``).
"""

import pluggy

PROJECT = "nastavnik"

#: Marker for a regime plugin's hook implementations.
hookimpl = pluggy.HookimplMarker(PROJECT)
