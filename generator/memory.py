"""What a build keeps in memory: freed page HTML given back to the system as it goes, and a run's
records kept out of the cycle collector's way.

A build holds each generated page twice for a moment: the HTML its template wrote, until MkDocs's
page has the finished HTML (`render.html`). Each is a block of tens of kilobytes, which the C
allocator (glibc) takes from one heap, between the calendars and search headlines that stay. A freed
page leaves a hole that the next page, a little longer once finished, does not fit, and the heap
keeps the hole: a 5,000-plan build held 150 MiB of them to its end. `malloc_trim` gives the whole
pages inside such holes back to the system, and a later block that fits still takes the hole.

Python's cycle collector walks every object a process holds each time the objects made since its last
full pass outnumber a quarter of those it held then: a 5,000-plan build held millions, and spent about
2 s in three such passes and one more at exit, finding next to nothing. The records and timelines of
a run live to its end. `long_lived` sets everything alive once they are made aside from the collector
(`gc.freeze`), before the rendering workers are forked, as Python's documentation advises for forked
processes; `run_over` gives it back when the next run in the process begins, which frees what the last
run left as before. A build keeps the collector paused from its check until then (`build.build`): the
passes that would otherwise walk the records as they are made, only for them to be set aside once made,
took 0.7 s of a 5,000-plan build on one core while the other waited.
"""

from __future__ import annotations

import gc
import os
from functools import cache

# Pages finished between two returns: a few megabytes of HTML.
RETURN_EVERY = 256


@cache
def _malloc_trim():
    """glibc's `malloc_trim`, or None on a system without it."""
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return None
    except (ValueError, OSError, AttributeError):  # not glibc, or no confstr on this system
        return None
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def freed_returned() -> bool:
    """Give the memory of freed blocks back to the system, keeping what is in use; whether it could (glibc
    only: elsewhere nothing changes). It takes a few milliseconds."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


_set_aside = False  # whether `long_lived` set objects aside that `run_over` has not given back


def long_lived() -> None:
    """Set every object alive now aside from the cycle collector, until `run_over`."""
    global _set_aside
    gc.freeze()
    _set_aside = True


def run_over() -> None:
    """Give the collector back what `long_lived` set aside: what the last run left is freed as before."""
    global _set_aside
    if _set_aside:
        gc.unfreeze()
        _set_aside = False
