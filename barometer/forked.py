"""Work shared with forked worker processes: big objects are inherited, never pickled.

``with shared(table=…):`` puts objects where a worker function finds them (:data:`STATE`) and
freezes the garbage collector's view of the parent's objects, so that forked children do not
copy the memory pages holding them just to scan them; ``pool(n)`` starts ``n`` forked workers.
Only the (small) arguments and results of the worker functions cross between processes.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import multiprocessing.pool
import os
import signal
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
    """``processes`` forked workers that die with the build: a killed build's workers must not go
    on writing into the work it left behind (the next build sweeps that away)."""
    return multiprocessing.get_context("fork").Pool(
        processes, initializer=_die_with_parent, initargs=(os.getpid(),)
    )


def _libc() -> ctypes.CDLL:
    """The C library (glibc); OSError where there is none by that name."""
    return ctypes.CDLL("libc.so.6")


PR_SET_PDEATHSIG = 1
"""``prctl`` option (Linux): the signal a process receives when its parent dies."""


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when its parent dies; exit at once if it already has (between
    the fork and this call). Elsewhere the worker ends when it next reads its task queue."""
    try:
        _libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux with glibc
        return
    if os.getppid() != parent:
        os._exit(1)


def release_memory() -> None:
    """Collect and hand freed heap back to the system (glibc), before forking workers."""
    gc.collect()
    try:
        _libc().malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused, just not returned
        pass
