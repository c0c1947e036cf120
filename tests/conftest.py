"""Shared fixtures: the real snapshot (../shared/data) and small data directories for bad input."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from barometer import paths
from barometer.canonical import Canonical, parse_inputs
from barometer.config import Config
from barometer.sources.registry import resolve

SHARED = paths.SHARED_DATA


def _require_snapshot() -> Path:
    if not (SHARED / "README.md").is_file():
        pytest.fail(
            f"the data snapshot is missing: expected {SHARED} (../shared/data beside the project)"
        )
    return SHARED


def snapshot_config(*dirs: Path, tmp: Path | None = None) -> Config:
    """A Config that reads from ``dirs`` then the snapshot, never from data/raw/."""
    return Config(
        data_dirs=(*dirs, _require_snapshot()),
        target_data_dir=dirs[0] if dirs else SHARED,
        cache_dir=(tmp or Path("/nonexistent")) / "cache",
        use_cache=tmp is not None,
        site_dir=(tmp or Path("/nonexistent")) / "site",
    )


@pytest.fixture(scope="session")
def snapshot() -> Path:
    return _require_snapshot()


@pytest.fixture(scope="session")
def canon(snapshot: Path) -> Canonical:
    """The canonical tables of the full real snapshot (parsed once per test session)."""
    return parse_inputs(resolve(snapshot_config()))


SMALL_MONTHS = ("2018-12", "2019-01", "2024-12", "2025-01")


@pytest.fixture(scope="session")
def small_extract(tmp_path_factory: pytest.TempPathFactory, snapshot: Path) -> Path:
    """A data directory holding only a 4-month cut of the real extract (around both merger waves)."""
    root = tmp_path_factory.mktemp("small")
    dest = root / "pod_mi_synthetic"
    dest.mkdir()
    with gzip.open(snapshot / "pod_mi_synthetic/extract.csv.gz", "rt", encoding="utf-8") as fh:
        lines = [
            line for i, line in enumerate(fh) if i == 0 or line.split(",", 2)[1] in SMALL_MONTHS
        ]
    with gzip.open(dest / "extract.csv.gz", "wt", encoding="utf-8", newline="") as fh:
        fh.writelines(lines)
    shutil.copy(snapshot / "pod_mi_synthetic/extract_meta.json", dest / "extract_meta.json")
    return root


@pytest.fixture()
def small_data(tmp_path: Path, small_extract: Path) -> Path:
    """A fresh data directory (per test) with the small extract; tests add bad files to it."""
    root = tmp_path / "data"
    shutil.copytree(small_extract, root)
    return root


def read_meta(snapshot: Path) -> dict:
    return json.loads((snapshot / "pod_mi_synthetic/extract_meta.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def site_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for every test that builds the site (tests in xdist group 'site' share a worker),
    so the ~3,200 charts are rendered once per session. BAROMETER_TEST_CACHE reuses a cache."""
    import os

    return Path(os.environ.get("BAROMETER_TEST_CACHE") or tmp_path_factory.mktemp("site-cache"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, snapshot: Path, site_cache: Path):
    """The whole site, built once per test session from the real snapshot (xdist group 'site')."""
    from barometer import pipeline
    from barometer.log import setup

    root = tmp_path_factory.mktemp("built")
    setup()
    cfg = Config(
        data_dirs=(snapshot,),
        cache_dir=site_cache,
        use_cache=True,
        site_dir=root / "site",
        source_date_epoch=1767225600,
        base_url="https://example.github.io/barometer/",
    )
    report = pipeline.build(cfg)
    return root / "site", report
