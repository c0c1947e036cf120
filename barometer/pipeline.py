"""The build, stage by stage: gather everything, then write once.

load (sources → canonical tables) → render (files in memory) → write (atomic swap).
Nothing touches site/ until every file of the new site exists in memory.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from barometer.canonical import Canonical, load_canonical
from barometer.config import Config
from barometer.errors import BuildError
from barometer.topology import topology_json
from barometer.write import write_site

log = logging.getLogger(__name__)

STAGES = ("load", "render", "write")


@dataclass
class BuildReport:
    """What a build did: timings per stage, files written, the canonical tables used."""

    timings: dict[str, float] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    canonical: Canonical | None = None

    def summary(self) -> str:
        total = sum(self.timings.values())
        return (
            f"Done: {self.files} files, {self.bytes:,} bytes in {total:.1f}s ("
            + ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items())
            + ")"
        )


class _Stage:
    def __init__(self, report: BuildReport, name: str) -> None:
        self.report, self.name = report, name

    def __enter__(self) -> None:
        self.t0 = time.perf_counter()
        log.debug("stage %s …", self.name)

    def __exit__(self, *exc: object) -> None:
        self.report.timings[self.name] = time.perf_counter() - self.t0


def check(cfg: Config) -> Canonical:
    """Validate every input (stage load only)."""
    return load_canonical(cfg)


def render(canon: Canonical, cfg: Config) -> dict[PurePosixPath, bytes]:
    """Every file of the site, in memory."""
    files: dict[PurePosixPath, bytes] = {}

    def add(path: str, data: bytes | str) -> None:
        rel = PurePosixPath(path)
        if rel in files:
            raise BuildError(f"two outputs for the same file: {rel}")
        files[rel] = data.encode("utf-8") if isinstance(data, str) else data

    add("data/belgium.topo.json", topology_json(canon.topology))
    add("data/entities.json", canon.entities.to_json(orient="records", force_ascii=False))
    add(".nojekyll", "")
    add(
        "build.json",
        json.dumps(
            {
                "extract_date": canon.meta.extract_date,
                "synthetic": canon.meta.synthetic,
                "inputs": canon.inputs.sha256 if canon.inputs else {},
            },
            sort_keys=True,
            indent=1,
        ),
    )
    return files


def build(cfg: Config) -> BuildReport:
    report = BuildReport()
    with _Stage(report, "load"):
        canon = load_canonical(cfg)
    report.canonical = canon
    with _Stage(report, "render"):
        files = render(canon, cfg)
    with _Stage(report, "write"):
        write_site(files, cfg.site_dir, epoch=cfg.source_date_epoch)
    report.files = len(files)
    report.bytes = sum(len(b) for b in files.values())
    return report
