"""Python's cyclic garbage collector paused while many records stream through a use case.

A decoded record is thousands of young objects; with the collector on, every collection walks
the records held at that moment, which cost 30-40% of a refresh's CPU and three quarters of an
outcomes export's (bench/RESULTS.md). Decoded JSON holds no reference cycles, so reference
counting frees each record as before and memory stays flat; the collector runs again after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The collector off inside the block (and left as it was found after it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
