"""What a build did: the time of each stage, the files and bytes written, one summary line."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class BuildReport:
    """What a build did: timings per stage, files written."""

    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, in the order they ran; 'downloads' ran beside 'pages' (in a forked
    process)."""
    wall: float = 0.0
    files: int = 0
    bytes: int = 0
    skipped: bool = False

    def summary(self) -> str:
        if self.skipped:
            return "Done: nothing changed, nothing rewritten"
        stages = ", ".join(
            f"{k} {v:.1f}s" + (" beside pages" if k == "downloads" else "")
            for k, v in self.timings.items()
        )
        return f"Done: {self.files} files, {self.bytes:,} bytes in {self.wall:.1f}s ({stages})"

    def stage(self, name: str) -> Stage:
        """``with report.stage("html"): …`` times a stage."""
        return Stage(self, name)


class Stage:
    def __init__(self, report: BuildReport, name: str) -> None:
        self.report, self.name = report, name

    def __enter__(self) -> None:
        self.t0 = time.perf_counter()
        log.debug("stage %s …", self.name)

    def __exit__(self, *exc: object) -> None:
        self.report.timings[self.name] = time.perf_counter() - self.t0
