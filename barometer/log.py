"""Logging: one format, INFO per stage, a de-duplicating warning counter for --strict."""

from __future__ import annotations

import logging
import os
import sys


class WarningCounter(logging.Handler):
    """Counts distinct warnings (same message once) so --strict can fail the run on them."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            self.seen.add(record.getMessage())

    @property
    def count(self) -> int:
        return len(self.seen)


class _Dedup(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.seen: set[tuple[int, str]] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        key = (record.levelno, record.getMessage())
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def setup(verbose: bool = False) -> WarningCounter:
    """Configure the 'barometer' logger once per run; return its warning counter."""
    logger = logging.getLogger("barometer")
    for h in list(logger.handlers):
        logger.removeHandler(h)
    handler = logging.StreamHandler(sys.stderr)
    color = sys.stderr.isatty() and not os.environ.get("NO_COLOR")
    fmt = "\x1b[2m%(levelname)s\x1b[0m %(message)s" if color else "%(levelname)s %(message)s"
    handler.setFormatter(logging.Formatter(fmt))
    handler.addFilter(_Dedup())
    counter = WarningCounter()
    logger.addHandler(handler)
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    return counter


def warnings_seen() -> list[str]:
    """The distinct warnings logged so far in this run, sorted."""
    for h in logging.getLogger("barometer").handlers:
        if isinstance(h, WarningCounter):
            return sorted(h.seen)
    return []


def warning_count() -> int:
    """Distinct warnings logged so far in this run (0 when logging was not set up)."""
    for h in logging.getLogger("barometer").handlers:
        if isinstance(h, WarningCounter):
            return h.count
    return 0
