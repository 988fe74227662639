"""Work that builds or walks a whole tenant allocates hundreds of thousands of small,
acyclic objects; the cyclic garbage collector would walk the growing heap again and
again (a third of a sweep at 20,000 mentorships, half of loading one). Reference
counting still frees everything; the collector resumes afterwards."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def cyclic_gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
