"""Freed page HTML given back to the system while a build goes on.

A build holds each generated page twice for a moment: the HTML its template wrote, until MkDocs's
page has the finished HTML (`render.html`). Each is a block of tens of kilobytes, which the C
allocator (glibc) takes from one heap, between the calendars and search headlines that stay. A freed
page leaves a hole that the next page, a little longer once finished, does not fit, and the heap
keeps the hole: a 5,000-plan build held 150 MiB of them to its end. `malloc_trim` gives the whole
pages inside such holes back to the system, and a later block that fits still takes the hole.
"""

from __future__ import annotations

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
