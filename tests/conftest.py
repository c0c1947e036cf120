"""Shared fixtures: the fast fixture's site, the real snapshot (../shared/data), small data
directories for bad input.

Two tiers: every test that reads the full snapshot (through the ``snapshot``, ``canon``,
``built_site`` … fixtures) is marked ``slow`` here, automatically; ``make test-fast`` runs the
rest (``-m "not slow"``): the unit tests and the fast fixture's whole site (tests/fixture.py).
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from barometer import paths
from barometer.canonical import Canonical, parse_inputs
from barometer.config import Config
from barometer.model import Model
from barometer.pages.builder import PageBuilder
from barometer.pages.inputs import PageInputs
from barometer.sources.registry import resolve

SHARED = paths.SHARED_DATA


def examples(n: int) -> int:
    """How many examples a property test tries: ``n`` in the full suite, a third of them in the
    fast tier (``make test-fast`` sets BAROMETER_FAST_TESTS=1)."""
    import os

    return max(3, n // 3) if os.environ.get("BAROMETER_FAST_TESTS") else n


SNAPSHOT_FIXTURES = {"snapshot", "canon", "built_site", "small_extract", "small_data", "site_cache"}
"""Fixtures that read the full snapshot: a test that uses one (even indirectly) is ``slow``."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/site from the fast fixture's site (review the diff).",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SNAPSHOT_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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


CURRENT, PREVIOUS = "pod_mi_synthetic_2026-12", "pod_mi_synthetic"
"""The snapshot's folders of the current and the previous vintage of the extract."""
EXTRACT, META = f"{CURRENT}/extract.csv.gz", f"{CURRENT}/extract_meta.json"
SMALL_MONTHS = ("2024-11", "2024-12", "2025-01", "2025-02")
"""The months of the small extract: contiguous (an extract is complete or refused: every month
from first_month to last_month), around the 2025 merger wave."""


@pytest.fixture(scope="session")
def small_extract(tmp_path_factory: pytest.TempPathFactory, snapshot: Path) -> Path:
    """A data directory holding only a 4-month cut of both vintages of the real extract (around
    the 2025 merger wave), with their metadata's period cut to match."""
    root = tmp_path_factory.mktemp("small")
    for folder in (CURRENT, PREVIOUS):
        dest = root / folder
        dest.mkdir()
        with gzip.open(snapshot / folder / "extract.csv.gz", "rt", encoding="utf-8") as fh:
            lines = [
                line for i, line in enumerate(fh) if i == 0 or line.split(",", 2)[1] in SMALL_MONTHS
            ]
        with gzip.open(dest / "extract.csv.gz", "wt", encoding="utf-8", newline="") as fh:
            fh.writelines(lines)
        meta = json.loads((snapshot / folder / "extract_meta.json").read_text(encoding="utf-8"))
        meta.update(first_month=SMALL_MONTHS[0], last_month=SMALL_MONTHS[-1])
        (dest / "extract_meta.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    return root


@pytest.fixture()
def small_data(tmp_path: Path, small_extract: Path) -> Path:
    """A fresh data directory (per test) with the small extract; tests add bad files to it."""
    root = tmp_path / "data"
    shutil.copytree(small_extract, root)
    return root


@pytest.fixture(scope="session")
def result(canon):
    """The indicator stage on the real snapshot (computed once per worker)."""
    from barometer.indicators import compute_indicators

    return compute_indicators(canon)


@pytest.fixture(scope="session")
def table(result):
    """The indicator table of the real snapshot."""
    return result.table


@pytest.fixture(scope="session")
def raw(snapshot):
    """The current vintage of the extract as read by pandas, independently of the project's
    readers (the tests recompute figures from it)."""
    import pandas as pd

    return pd.read_csv(snapshot / EXTRACT, dtype={"nis": str})


def pick(table, geo, measure, period, indicator="count", dimension="total", category="total"):
    """The one row of the indicator table with this key (asserted to exist once)."""
    t = table
    row = t[
        (t.geo_code == geo)
        & (t.measure == measure)
        & (t.period == period)
        & (t.indicator == indicator)
        & (t.dimension == dimension)
        & (t.category == category)
    ]
    assert len(row) == 1, (geo, measure, period, indicator, dimension, category, len(row))
    return row.iloc[0]


def read_meta(snapshot: Path) -> dict:
    return json.loads((snapshot / META).read_text(encoding="utf-8"))


def _shared_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A directory shared by the xdist workers of this run (one per run, not per worker).

    pytest-xdist's ``loadgroup`` does not keep our 'site' group on one worker with the pytest
    in use (checked: the tests of one group land on both workers), so the expensive site build
    is shared through the file system instead, under a lock (see ``built_site``).
    """
    import os

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:  # not distributed: this session's own directory
        return tmp_path_factory.mktemp(name)
    d = tmp_path_factory.getbasetemp().parent / f"shared-{run}" / name
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="session")
def site_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One chart cache for every build of the site in this run, so the ~3,200 charts and 622
    preview images are rendered once. BAROMETER_TEST_CACHE reuses a cache across runs."""
    import os

    return Path(
        os.environ.get("BAROMETER_TEST_CACHE") or _shared_dir(tmp_path_factory, "site-cache")
    )


class SharedBuild:
    """What the site tests get: the built site and the model it was made from."""

    def __init__(self, model: Model) -> None:
        self.model = model


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, snapshot: Path, site_cache: Path):
    """The whole site, built once per test run from the real snapshot.

    The first worker to need it builds it under an exclusive lock; the other waits, then uses the
    same files. Each recomputes the model from the (then cached) canonical tables — seconds.
    """
    import fcntl

    from barometer import pipeline
    from barometer.canonical import load_canonical
    from barometer.log import setup
    from barometer.model import gather
    from barometer.notes import load_notes

    root = _shared_dir(tmp_path_factory, "built")
    setup()
    cfg = Config(
        data_dirs=(snapshot,),
        cache_dir=site_cache,
        use_cache=True,
        site_dir=root / "site",
        source_date_epoch=1767225600,
        base_url="https://example.github.io/barometer/",
    )
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (root / "done").is_file():
                pipeline.build(cfg)
                (root / "done").write_text("ok", encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    # the model the site was made from (the build keeps no tables once its files are made):
    # recomputed from the cached canonical tables in seconds
    model = gather(load_canonical(cfg), load_notes(cfg.content_dir))
    return root / "site", SharedBuild(model)


@pytest.fixture(scope="session")
def page_inputs(built_site) -> PageInputs:
    """The page stage's inputs (lookups, scatters, chart specs, notes) for the built site's model."""
    from barometer.pages.chartspecs import chart_specs
    from barometer.pages.lookups import build_lookups
    from barometer.pages.scatters import scatter_model

    model = built_site[1].model
    lookups = build_lookups(model)
    scatter = scatter_model(lookups)
    return PageInputs(
        lookups=lookups,
        charts=chart_specs(lookups, model.canon.topology, scatter),
        scatter=scatter,
        notes=model.notes,
    )


@pytest.fixture(scope="session")
def page_builder(page_inputs: PageInputs) -> PageBuilder:
    """A page builder (English) over the built site's model."""
    from barometer.i18n import load_lang

    return PageBuilder(page_inputs, load_lang("en"))


class FastSite:
    """The fast fixture's inputs and the site built from them (tests/fixture.py)."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg
        self.root = cfg.site_dir

    def page(self, path: str) -> str:
        return (self.root / path / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def fast_site(tmp_path_factory: pytest.TempPathFactory) -> FastSite:
    """The whole site of the small fixture, built once per test run (shared by the xdist
    workers through the file system, like ``built_site``)."""
    import fcntl

    from barometer import pipeline
    from barometer.log import setup
    from tests import fixture

    root = _shared_dir(tmp_path_factory, "fast")
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            cfg = fixture.write(root / "inputs") if not (root / "done").is_file() else None
            if cfg is not None:
                setup()
                report = pipeline.build(cfg)
                stages = json.dumps(list(report.timings))
                (root / "inputs" / "report.json").write_text(stages, encoding="utf-8")
                (root / "done").write_text("ok", encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    from tests.fixture import config

    return FastSite(config(root / "inputs"))
