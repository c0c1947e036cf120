"""Downloads: CSVs from the same indicator table that feeds the pages, and a data package.

Outputs (relative to the site):
- downloads/barometer.csv.gz: everything (gzip: ≈27 MB instead of ≈420 MB);
- downloads/<measure>.csv.gz: all entities, all published periods of one measure (gzip);
- downloads/entities/<geo_code>.csv: everything published for one entity;
- downloads/datapackage.json: Frictionless Data Package (Table Schema per file, licences,
  sources, extract date, synthetic flag, sha256 and size of each file).
While the extract is synthetic, every CSV starts with a comment line ``# SYNTHETIC DATA: …``
(declared as the dialect's comment character in datapackage.json) and the package says so.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Callable
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from barometer.export import to_csv_bytes, with_names
from barometer.geography import LEVELS
from barometer.indicators import CATEGORY_NAMES, DIMENSION_NAMES, INDICATOR_NAMES, PERIOD_TYPES
from barometer.pages import MEASURES
from barometer.urls import entity_csv, measure_csv

SYNTHETIC_WARNING = (
    "SYNTHETIC DATA: the figures per municipality are synthetic illustrations calibrated to real national "
    "totals, not official statistics."
)

FIELDS = [
    {
        "name": "geo_code",
        "type": "string",
        "description": "REFNIS code of the 2025 geography (Belgium 01000)",
        "constraints": {"required": True, "pattern": "[0-9]{5}"},
    },
    {"name": "geo_level", "type": "string", "constraints": {"enum": list(LEVELS)}},
    {"name": "measure", "type": "string", "constraints": {"enum": sorted(MEASURES)}},
    {"name": "period", "type": "string", "description": "YYYY-MM (month) or YYYY (year)"},
    {"name": "period_type", "type": "string", "constraints": {"enum": PERIOD_TYPES}},
    {"name": "indicator", "type": "string", "constraints": {"enum": INDICATOR_NAMES}},
    {"name": "dimension", "type": "string", "constraints": {"enum": DIMENSION_NAMES}},
    {"name": "category", "type": "string", "constraints": {"enum": CATEGORY_NAMES}},
    {"name": "value", "type": "number", "description": "empty when not published; see flag"},
    {
        "name": "flag",
        "type": "string",
        "description": "';'-joined: missing, incomplete, suppressed, no_base, population_year=YYYY, population_years=A-B, months=N",
    },
    {"name": "geo_name_nl", "type": "string"},
    {"name": "geo_name_fr", "type": "string"},
]


def _groups(table: pd.DataFrame, column: str) -> dict[str, np.ndarray]:
    """Row positions of each value of a categorical column (one stable sort, no filtering)."""
    codes = table[column].cat.codes.to_numpy()
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(table[column].cat.categories) + 1))
    return {
        str(cat): order[bounds[i] : bounds[i + 1]]
        for i, cat in enumerate(table[column].cat.categories)
        if bounds[i + 1] > bounds[i]
    }


def _split(table: pd.DataFrame, column: str) -> dict[str, pd.DataFrame]:
    """Split by a categorical column."""
    return {cat: table.iloc[idx] for cat, idx in _groups(table, column).items()}


def _area_files(named: pd.DataFrame, full: bytes, comment: str | None) -> dict[str, bytes]:
    """One CSV per area, cut out of the whole table's CSV: the table is sorted by area, so each
    area's rows are one run of lines, written exactly as :func:`to_csv_bytes` writes them (the
    same quoting, decided on the same categories). Areas whose rows are not one run (or a table
    whose lines are not one per row) are written on their own."""
    head = full.index(b"\n", full.index(b"\n") + 1 if comment else 0) + 1
    ends = np.flatnonzero(np.frombuffer(full, np.uint8, offset=head) == 10) + 1 + head
    out = {}
    for code, idx in _groups(named, "geo_code").items():
        first, last = int(idx[0]), int(idx[-1])
        if len(ends) == len(named) and last - first + 1 == len(idx):
            start = int(ends[first - 1]) if first else head
            out[code] = full[:head] + full[start : int(ends[last])]
        else:
            out[code] = to_csv_bytes(named.iloc[idx], comment)
    return out


def build_downloads(
    table: pd.DataFrame,
    entities: pd.DataFrame,
    *,
    meta: dict,
    sources: list[dict],
    sink: Callable[[PurePosixPath, bytes], None],
) -> dict[PurePosixPath, int]:
    """Make every download and hand each file to ``sink`` as soon as it is made (the files are
    never all in memory); returns the size of each file."""
    named = with_names(table, entities)
    comment = SYNTHETIC_WARNING if meta["synthetic"] else None
    made: dict[PurePosixPath, tuple[int, str]] = {}

    def emit(path: str, data: bytes) -> None:
        rel = PurePosixPath(path)
        made[rel] = (len(data), hashlib.sha256(data).hexdigest())
        sink(rel, data)

    # the big files are gzipped: as plain CSV they would be 3 × 420 MB, beyond what static hosts
    # such as GitHub Pages publish (1 GB); gzip keeps them at ≈7 % of that, byte-identical on rebuild
    full = to_csv_bytes(named, comment)
    emit("downloads/barometer.csv.gz", _gzip(full))
    for m, part in _split(named, "measure").items():
        emit(measure_csv(m), _gzip(to_csv_bytes(part, comment)))
    for code, data in _area_files(named, full, comment).items():
        emit(entity_csv(code), data)
    package = datapackage(made, meta=meta, sources=sources).encode("utf-8")
    emit("downloads/datapackage.json", package)
    return {path: size for path, (size, _sha) in made.items()}


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def datapackage(
    files: dict[PurePosixPath, tuple[int, str]], *, meta: dict, sources: list[dict]
) -> str:
    """The Frictionless data package describing ``files`` (path → (bytes, sha256))."""
    synthetic = bool(meta["synthetic"])
    resources = []
    for path in sorted(files):
        size, sha = files[path]
        name = path.name.split(".")[0].replace("_", "-").lower()
        resources.append(
            {
                "name": f"entity-{name}" if path.parent.name == "entities" else name,
                "path": str(path.relative_to("downloads")),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **({"compression": "gz"} if path.suffix == ".gz" else {}),
                "bytes": size,
                "hash": "sha256:" + sha,
                "schema": {"fields": FIELDS, "missingValues": [""]},
                **({"dialect": {"commentChar": "#"}} if synthetic else {}),
                **({"description": SYNTHETIC_WARNING} if synthetic else {}),
            }
        )
    package = {
        "name": "barometer-social-integration",
        "title": "Barometer of social integration: beneficiaries of the integration income and related aid per Belgian municipality",
        "description": (SYNTHETIC_WARNING + " " if synthetic else "")
        + "Monthly and yearly indicators (counts, per 1000 inhabitants, change, shares, ratios, ranks) for Belgium, its regions, provinces, arrondissements and 2025 municipalities.",
        "synthetic": synthetic,
        "extract_date": meta["extract_date"],
        "licenses": [
            {
                "name": "Statbel-open-data",
                "title": "Statbel open data licence (population, income, REFNIS codes)",
                "path": "https://statbel.fgov.be/en/use-data",
            },
            {
                "name": "GISCO",
                "title": "© EuroGeographics for the administrative boundaries",
                "path": "https://ec.europa.eu/eurostat/web/gisco/geodata",
            },
        ],
        "sources": [{"title": s["publisher"], "path": s["page"]} for s in sources],
        "resources": resources,
    }
    return json.dumps(package, indent=1, ensure_ascii=False, sort_keys=True)
