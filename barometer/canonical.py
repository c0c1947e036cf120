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
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import pandas as pd

from barometer import paths
from barometer.beneficiaries import derive, harmonise_extract, to_long
from barometer.catalogue import Catalogue, load_catalogue
from barometer.config import Config
from barometer.errors import DataError, Problem
from barometer.geography import Geography, build_geography
from barometer.income import harmonise_income
from barometer.plausibility import plausibility_warnings, population_by_code
from barometer.population import check_agreement, harmonise_population
from barometer.schema import TableSchema
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

TABLES = (
    "entities",
    "code_map",
    "population",
    "income",
    "beneficiaries_wide",
    "previous_totals",
    "published_totals",
)
PREVIOUS_MONTHS = 24
"""How many of the previous vintage's last months are kept (revisions and completeness)."""
PREVIOUS_TOTALS = TableSchema(
    name="previous_totals",
    columns={"measure": "str", "month": "str", "municipality_2025": "str", "total": "int"},
    key=("measure", "month", "municipality_2025"),
    doc="the previous vintage's totals of its last PREVIOUS_MONTHS months, on the 2025 municipalities",
)
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
    previous_totals: pd.DataFrame = field(default_factory=lambda: no_previous())
    """PREVIOUS_TOTALS (empty without a previous vintage)."""
    previous_meta: ExtractMeta | None = None
    """The previous vintage's metadata (None without one)."""
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
    derived = tuple(catalogue.derived())
    meta = attempt(lambda: read_meta(p("extract_meta"), catalogue.reported, derived))
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
                    p("extract"),
                    _fallback_meta(catalogue),
                    geo.code_map,
                    subsets,
                    complete=False,
                    derived=derived,
                    not_collected=catalogue.not_collected(),
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
    entity_codes = set(geo.entities.code)
    total_parts = [
        attempt(partial(_published_totals, p(s.id), s.file, entity_codes))
        for s in inputs.sources
        if s.format == "published_totals" and inputs.has(s.id)
    ]
    totals = (
        None if any(t is None for t in total_parts) else pd.concat(total_parts, ignore_index=True)
    )
    raw_extract = attempt(
        partial(
            read_extract,
            p("extract"),
            meta,
            cm,
            subsets,
            derived=derived,
            not_collected=catalogue.not_collected(),
        )
    )
    previous = _previous_vintage(inputs, catalogue, meta, cm, attempt, problems)
    parts = [boundaries, raw_income, totals, raw_extract, *pop_frames.values()]
    if any(x is None for x in parts):
        raise DataError(problems, omitted)
    problems.extend(check_agreement(pop_frames, names))
    if problems:
        raise DataError(problems, omitted)
    population = harmonise_population(pop_frames, cm)
    warnings = plausibility_warnings(raw_extract, population_by_code(pop_frames), names["extract"])
    groups = {m.code: m.groups for m in catalogue}
    wide = derive(harmonise_extract(raw_extract, cm), catalogue.derived(), groups)
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
        previous_totals=_previous_totals(previous, cm, catalogue) if previous else no_previous(),
        previous_meta=previous[0] if previous else None,
        topology=build_topology(boundaries, geo.entities),
        catalogue=catalogue,
        warnings=tuple(warnings),
        inputs=inputs,
    )


def _published_totals(path: Path, file: str, entity_codes: set[str]) -> pd.DataFrame:
    """A file of published totals, its rows naming the file as sources.toml does (the same on
    every machine: the reconciliation is published)."""
    return read_published_totals(path, entity_codes).assign(file=file)


def no_previous() -> pd.DataFrame:
    """An empty PREVIOUS_TOTALS (no previous vintage)."""
    empty = pd.DataFrame({c: pd.Series(dtype="str") for c in PREVIOUS_TOTALS.columns})
    return PREVIOUS_TOTALS.conform(empty.assign(total=pd.Series(dtype="Int64")))


def _previous_vintage(
    inputs: Inputs,
    catalogue: Catalogue,
    meta: ExtractMeta,
    code_map: pd.DataFrame,
    attempt: Callable[[Callable[[], Any]], Any],
    problems: list[Problem],
) -> tuple[ExtractMeta, pd.DataFrame] | None:
    """The previous vintage, validated like the current one, when both its files are there.

    Its extract date must be the one the current metadata names as ``previous_vintage``; without
    the files (or without ``previous_vintage``) the build goes on without revisions."""
    if not (inputs.has("previous_extract") and inputs.has("previous_extract_meta")):
        if meta.previous_vintage:
            log.info("the previous vintage (%s) is not there: no revisions", meta.previous_vintage)
        return None
    meta_path = inputs.path("previous_extract_meta")
    derived = tuple(catalogue.derived())
    prev = attempt(lambda: read_meta(meta_path, catalogue.reported, derived))
    if prev is None:
        return None
    if prev.extract_date != meta.previous_vintage:
        named = meta.previous_vintage or "none"
        problems.append(
            Problem(
                display_name(meta_path),
                1,
                "extract_date",
                f"the previous vintage the current metadata names ({named})",
                prev.extract_date,
            )
        )
        return None
    raw = attempt(
        lambda: read_extract(
            inputs.path("previous_extract"),
            prev,
            code_map,
            catalogue.subsets(),
            derived=derived,
            not_collected=catalogue.not_collected(),
        )
    )
    return None if raw is None else (prev, raw)


def _previous_totals(
    previous: tuple[ExtractMeta, pd.DataFrame], code_map: pd.DataFrame, catalogue: Catalogue
) -> pd.DataFrame:
    """PREVIOUS_TOTALS: the previous vintage's last months on the 2025 municipalities."""
    meta, raw = previous
    last = int(meta.last_month[:4]) * 12 + int(meta.last_month[5:7]) - 1
    first = last - PREVIOUS_MONTHS + 1
    since = f"{first // 12:04d}-{first % 12 + 1:02d}"
    wide = harmonise_extract(raw[raw.month >= since], code_map)
    wide = derive(wide, catalogue.derived(), {m.code: m.groups for m in catalogue})
    return PREVIOUS_TOTALS.conform(wide[["measure", "month", "municipality_2025", "total"]])


def _fallback_meta(catalogue: Catalogue) -> ExtractMeta:
    """Lenient metadata used only to validate the extract when extract_meta.json is itself broken."""
    return ExtractMeta(
        synthetic=True,
        publisher="",
        extract_date="9999-12-31",
        first_month="0000-01",
        last_month="9999-11",
        measures={m: {} for m in catalogue.reported},
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
    prev = json.loads((entry / "previous_meta.json").read_text(encoding="utf-8"))
    topology = json.loads((entry / "topology.json").read_text(encoding="utf-8"))
    warnings = json.loads((entry / "warnings.json").read_text(encoding="utf-8"))
    return Canonical(
        meta=meta,
        previous_meta=ExtractMeta(**prev) if prev else None,
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
        previous = dataclasses.asdict(canon.previous_meta) if canon.previous_meta else None
        (tmp / "previous_meta.json").write_text(json.dumps(previous), encoding="utf-8")
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
