"""Work shared with forked worker processes: big objects are inherited, never pickled.

``with shared(table=…):`` puts objects where a worker function finds them (:data:`STATE`) and
freezes the garbage collector's view of the parent's objects, so that forked children do not
copy the memory pages holding them just to scan them; ``pool(n)`` starts ``n`` forked workers.
Only the (small) arguments and results of the worker functions cross between processes.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
from collections.abc import Iterator
from contextlib import contextmanager

STATE: dict = {}
"""What the current ``shared`` block hands to the workers (empty outside it)."""


@contextmanager
def shared(**values: object) -> Iterator[dict]:
    STATE.update(values)
    gc.freeze()
    try:
        yield STATE
    finally:
        STATE.clear()
        gc.unfreeze()


def pool(processes: int) -> multiprocessing.pool.Pool:
    return multiprocessing.get_context("fork").Pool(processes)


def release_memory() -> None:
    """Collect and hand freed heap back to the system (glibc), before forking workers."""
    import ctypes

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused, just not returned
        pass
