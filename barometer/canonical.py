"""Stage 1-2: read every input, validate it, and build the canonical tables (cached).

Inputs:  the files of data/sources.toml, resolved in the data directories.
Output:  :class:`Canonical`: geography (ENTITIES, CODE_MAP), POPULATION, INCOME,
         BENEFICIARIES (long; wide kept for speed), PUBLISHED_TOTALS, the extract metadata and
         the TopoJSON — all on the 2025 municipalities.

Every source is validated even when another one fails, so one run lists every problem. The
validated tables are cached as Parquet under a key made of the inputs' sha256 and the code
version; a second run with unchanged inputs and code reads the cache and skips parsing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from barometer import paths
from barometer.beneficiaries import harmonise_extract, to_long
from barometer.catalogue import Catalogue, load_catalogue
from barometer.config import Config
from barometer.errors import DataError, Problem
from barometer.geography import Geography, build_geography
from barometer.income import harmonise_income
from barometer.plausibility import plausibility_warnings, population_by_code
from barometer.population import check_agreement, harmonise_population
from barometer.sources.boundaries import read_boundaries
from barometer.sources.extract import ExtractMeta, read_extract, read_meta
from barometer.sources.income import read_income
from barometer.sources.population import read_population_csv, read_population_workbook
from barometer.sources.refnis import read_merger, read_refnis
from barometer.sources.registry import Inputs, resolve
from barometer.sources.textio import display_name
from barometer.sources.totals import read_published_totals
from barometer.topology import build_topology, topology_json
from barometer.write import sweep, temp_dir

log = logging.getLogger(__name__)

TABLES = ("entities", "code_map", "population", "income", "beneficiaries_wide", "published_totals")
CANONICAL = "canonical"
"""The folder of the canonical tables' cache entries, in the cache directory (beside the products,
chart and search caches)."""
TMP = ".tmp-"
CACHE_KEEP = 3
"""How many cache entries are kept (older ones are removed)."""


@dataclass(frozen=True)
class Canonical:
    """Everything the indicators need, validated and on the 2025 geography."""

    meta: ExtractMeta
    entities: pd.DataFrame
    code_map: pd.DataFrame
    population: pd.DataFrame
    income: pd.DataFrame
    beneficiaries_wide: pd.DataFrame
    published_totals: pd.DataFrame
    topology: dict[str, Any]
    catalogue: Catalogue = field(compare=False)
    """The measure catalogue (read anew on every run: not part of the cached tables)."""
    warnings: tuple[str, ...] = field(default=(), compare=False)
    """Implausible but well-formed input (``plausibility``), one line each naming file and line;
    logged by :func:`load_canonical` on every run, also from the cache (so ``--strict`` fails)."""
    inputs: Inputs | None = field(default=None, compare=False)
    from_cache: bool = field(default=False, compare=False)

    @cached_property
    def beneficiaries(self) -> pd.DataFrame:
        """BENEFICIARIES: (measure, month, municipality_2025, dimension, category, count)."""
        return to_long(self.beneficiaries_wide)

    @property
    def geography(self) -> Geography:
        return Geography(self.entities, self.code_map)


def code_version() -> str:
    """Hash of the package source: any code change invalidates the cache."""
    h = hashlib.sha256()
    for path in sorted(paths.PACKAGE.rglob("*.py")):
        h.update(path.relative_to(paths.PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def cache_key(inputs: Inputs, catalogue: Catalogue) -> str:
    """The inputs, the catalogue (its relations are checked while reading) and the code."""
    payload = json.dumps(
        {"inputs": inputs.sha256, "catalogue": repr(catalogue), "code": code_version()},
        sort_keys=True,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def load_canonical(cfg: Config) -> Canonical:
    """Resolve, then read from the cache or parse and validate every input."""
    catalogue = load_catalogue(cfg.measures_toml)
    inputs = resolve(cfg)
    key = cache_key(inputs, catalogue)
    entry = cfg.cache_dir / CANONICAL / key
    if cfg.use_cache and not inputs.mismatches and (entry / "done").is_file():
        t0 = time.perf_counter()
        canon = _read_cache(entry, inputs, catalogue)
        log.info("canonical tables read from cache %s in %.2fs", key, time.perf_counter() - t0)
    else:
        t0 = time.perf_counter()
        canon = parse_inputs(inputs, catalogue)
        log.info("inputs parsed and validated in %.2fs", time.perf_counter() - t0)
        if cfg.use_cache:
            _write_cache(cfg.cache_dir / CANONICAL, key, canon)
    for warning in canon.warnings:
        log.warning("%s", warning)
    return canon


def parse_inputs(inputs: Inputs, catalogue: Catalogue | None = None) -> Canonical:
    """Read and validate every source; raise one DataError listing all problems.

    ``catalogue``: the measure catalogue (default: ``data/measures.toml``)."""
    if catalogue is None:
        catalogue = load_catalogue(paths.MEASURES_TOML)
    subsets = catalogue.subsets()
    problems: list[Problem] = list(inputs.mismatches)
    omitted = 0
    p = inputs.path

    def attempt(fn: Callable[[], Any]) -> Any:
        nonlocal omitted
        try:
            return fn()
        except DataError as exc:
            problems.extend(exc.problems)
            omitted += exc.omitted
            return None

    names = {sid: display_name(path) for sid, path in inputs.paths.items()}
    refnis = attempt(lambda: read_refnis(p("refnis")))
    meta = attempt(lambda: read_meta(p("extract_meta"), catalogue.codes))
    geo: Geography | None = None
    if refnis is not None:
        munis = set(refnis.loc[refnis.level == 4, "code"])
        ended_2018 = set(
            refnis.loc[(refnis.level == 4) & (refnis.valid_to == "2018-12-31"), "code"]
        )
        current = set(refnis.loc[(refnis.level == 4) & (refnis.valid_to == "9999-12-31"), "code"])
        m19 = attempt(
            lambda: read_merger(
                p("merger_2019"), ended_2018, "municipalities that ended on 31/12/2018"
            )
        )
        m25 = attempt(
            lambda: read_merger(p("merger_2025"), current & munis, "the 2019-2024 municipalities")
        )
        if m19 is not None and m25 is not None:
            geo = attempt(lambda: build_geography(refnis, m19, m25, files=names))
    if geo is None or meta is None:
        if meta is None and geo is not None:
            attempt(
                lambda: read_extract(
                    p("extract"), _fallback_meta(catalogue), geo.code_map, subsets, complete=False
                )
            )
        raise DataError(problems, omitted)
    cm = geo.code_map
    codes_2025 = set(geo.municipalities.code)
    boundaries = attempt(lambda: read_boundaries(p("boundaries"), codes_2025))
    # in order of precedence: a year comes whole from the first source that has it
    pop_frames = {
        "population_workbook": attempt(
            lambda: read_population_workbook(p("population_workbook"), cm)
        ),
        "population_recent": attempt(lambda: read_population_csv(p("population_recent"), cm)),
    }
    raw_income = attempt(lambda: read_income(p("income"), cm))
    totals = attempt(lambda: read_published_totals(p("published_totals"), set(geo.entities.code)))
    raw_extract = (
        attempt(lambda: read_extract(p("extract"), meta, cm, subsets)) if meta is not None else None
    )
    parts = [boundaries, raw_income, totals, raw_extract, *pop_frames.values()]
    if any(x is None for x in parts):
        raise DataError(problems, omitted)
    problems.extend(check_agreement(pop_frames, names))
    if problems:
        raise DataError(problems, omitted)
    population = harmonise_population(pop_frames, cm)
    warnings = plausibility_warnings(raw_extract, population_by_code(pop_frames), names["extract"])
    wide = harmonise_extract(raw_extract, cm)
    _check_population_covers_extract(population, wide, names["population_workbook"], problems)
    if problems:
        raise DataError(problems, omitted)
    return Canonical(
        meta=meta,
        entities=geo.entities,
        code_map=cm,
        population=population,
        income=harmonise_income(raw_income, cm),
        beneficiaries_wide=wide,
        published_totals=totals,
        topology=build_topology(boundaries, geo.entities),
        catalogue=catalogue,
        warnings=tuple(warnings),
        inputs=inputs,
    )


def _fallback_meta(catalogue: Catalogue) -> ExtractMeta:
    """Lenient metadata used only to validate the extract when extract_meta.json is itself broken."""
    return ExtractMeta(
        synthetic=True,
        publisher="",
        extract_date="9999-12-31",
        first_month="0000-01",
        last_month="9999-11",
        measures={m: {} for m in catalogue.codes},
        stable_after_months={},
    )


def _check_population_covers_extract(
    population: pd.DataFrame, wide: pd.DataFrame, name: str, problems: list[Problem]
) -> None:
    """Every municipality needs a population on 1 January of its first extract year, or earlier.

    Later years may fall back to the latest earlier population (flagged by the indicators), but
    without any earlier year there is no denominator at all.
    """
    first = wide.groupby("municipality_2025").month.min().str[:4].astype(int)
    earliest = population.groupby("code").year.min()
    lacking = first[~(earliest.reindex(first.index) <= first)]
    for code, year in lacking.head(10).items():
        problems.append(
            Problem(
                name,
                0,
                "year_1jan",
                f"a population of {code} on 1 January {year} or earlier (its extract starts then)",
                "none",
            )
        )


def _read_cache(entry: Path, inputs: Inputs, catalogue: Catalogue) -> Canonical:
    tables = {t: pd.read_parquet(entry / f"{t}.parquet") for t in TABLES}
    meta = ExtractMeta(**json.loads((entry / "meta.json").read_text(encoding="utf-8")))
    topology = json.loads((entry / "topology.json").read_text(encoding="utf-8"))
    warnings = json.loads((entry / "warnings.json").read_text(encoding="utf-8"))
    return Canonical(
        meta=meta,
        topology=topology,
        catalogue=catalogue,
        warnings=tuple(warnings),
        inputs=inputs,
        from_cache=True,
        **tables,
    )


def _write_cache(cache_dir: Path, key: str, canon: Canonical) -> None:
    sweep(cache_dir, TMP)  # what killed runs left behind
    tmp = temp_dir(cache_dir, TMP)
    try:
        for t in TABLES:
            getattr(canon, t).to_parquet(tmp / f"{t}.parquet", index=False)
        (tmp / "meta.json").write_text(
            json.dumps(dataclasses.asdict(canon.meta), sort_keys=True), encoding="utf-8"
        )
        (tmp / "topology.json").write_text(topology_json(canon.topology), encoding="utf-8")
        (tmp / "warnings.json").write_text(json.dumps(list(canon.warnings)), encoding="utf-8")
        (tmp / "done").write_text(key, encoding="utf-8")
        final = cache_dir / key
        if final.exists():
            shutil.rmtree(final)
        tmp.rename(final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    entries = sorted(
        (p for p in cache_dir.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
    )
    for old in entries[:-CACHE_KEEP]:
        shutil.rmtree(old, ignore_errors=True)
