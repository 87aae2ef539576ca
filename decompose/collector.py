"""How the pipeline keeps Python's cyclic garbage collector from rescanning its data.

A project's facts, its graph and its report are hundreds of thousands of small objects
that hold no reference cycles: reference counting frees them. The collector does not
know that, and walks them all at every full collection only to find them alive.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Pause the collector while facts and the graph are built.

    Loading tens of thousands of small objects makes the collector rescan them over and
    over (more than half of a warm run). The caller's setting is restored afterwards.

    Everything built meanwhile is still in the youngest generation; left there, the next
    collections would rescan all of it, generation by generation (2 s of clustering and
    reporting on Home Assistant). Freezing and thawing moves it all to the oldest
    generation without scanning it, unless the caller has frozen objects of its own.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()  # into the oldest generation
        if was_enabled:
            gc.enable()


@contextmanager
def sparing_what_exists() -> Iterator[None]:
    """Leave every object alive at the start out of the collections the block causes.

    Clustering, measuring and rendering allocate enough to set off full collections
    (three in a warm saleor analysis), and each walked the facts, the graph and the
    report again: a quarter of a second. Frozen meanwhile, they are skipped; they are
    thawed into the oldest generation after. A caller who froze objects of its own keeps
    control: then nothing is frozen here.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
