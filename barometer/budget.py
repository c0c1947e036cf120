"""Size budgets of the built site (issue 17): bytes and files per top-level folder, the budgets a
test enforces, and the projection the benchmark reports.

GitHub Pages refuses a site over 1 GB. Bytes and file counts are deterministic, so the budgets are
checked exactly by ``tests/test_budget.py`` on the built site, not timed.

The projection after ``years`` more years of monthly data is an upper bound: every byte outside
the shared assets is scaled with the number of months (``(months + 12·years) / months``), although
page frames, maps, preview images and the per-area file count do not grow with time at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

MB = 1_000_000
HOST_LIMIT = 1_000 * MB  # GitHub Pages' published-site limit
FILES_BUDGET = 30_000
FIXED = frozenset({"assets"})  # folders whose size does not depend on the number of months


def bytes_budget(measures: int) -> int:
    """200 MB for today's four measures, 400 MB once the nine measures are in."""
    return 200 * MB if measures <= 4 else 400 * MB


@dataclass(frozen=True)
class FolderSize:
    files: int
    bytes: int


@dataclass(frozen=True)
class SiteSize:
    folders: dict[str, FolderSize]  # top-level folder (or file) → its files and bytes
    months: int  # months of data the site covers
    measures: int

    @property
    def files(self) -> int:
        return sum(f.files for f in self.folders.values())

    @property
    def bytes(self) -> int:
        return sum(f.bytes for f in self.folders.values())

    @property
    def budget(self) -> int:
        return bytes_budget(self.measures)

    def projected(self, years: int = 10) -> int:
        """Upper bound of the site's bytes after ``years`` more years of monthly data."""
        factor = (self.months + 12 * years) / self.months
        return round(
            sum(f.bytes * (1 if name in FIXED else factor) for name, f in self.folders.items())
        )


def site_size(site: Path) -> SiteSize:
    """Measure a built site; its months and measures come from the compare tool's index."""
    folders: dict[str, list[int]] = {}
    for path in site.rglob("*"):
        if path.is_file():
            top = path.relative_to(site).parts[0]
            entry = folders.setdefault(top, [0, 0])
            entry[0] += 1
            entry[1] += path.stat().st_size
    index = json.loads((site / "data/compare.json").read_bytes())
    return SiteSize(
        folders={k: FolderSize(*v) for k, v in sorted(folders.items())},
        months=len(index["months"]),
        measures=len(index["measures"]),
    )


def report(size: SiteSize, years: int = 10) -> str:
    """A readable table: every top-level folder, the total against its budgets, the projection."""
    lines = [f"{'site folder':<24}{'files':>9}{'MB':>10}"]
    for name, f in sorted(size.folders.items(), key=lambda kv: -kv[1].bytes):
        lines.append(f"{name:<24}{f.files:>9,}{f.bytes / MB:>10.1f}")
    lines.append(
        f"{'total':<24}{size.files:>9,}{size.bytes / MB:>10.1f}"
        f"   (budgets: {FILES_BUDGET:,} files, {size.budget / MB:.0f} MB"
        f" for {size.measures} measures)"
    )
    lines.append(
        f"after {years} more years of monthly data ({size.months} → {size.months + 12 * years}"
        f" months): at most {size.projected(years) / MB:.0f} MB of the host's"
        f" {HOST_LIMIT / MB:.0f} MB"
    )
    return "\n".join(lines)
