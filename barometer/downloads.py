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


def _split(table: pd.DataFrame, column: str) -> dict[str, pd.DataFrame]:
    """Split by a categorical column with one stable sort and slicing (no per-group filtering)."""
    codes = table[column].cat.codes.to_numpy()
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    cats = table[column].cat.categories
    out = {}
    bounds = np.searchsorted(sorted_codes, np.arange(len(cats) + 1))
    for i, cat in enumerate(cats):
        idx = order[bounds[i] : bounds[i + 1]]
        if len(idx):
            out[str(cat)] = table.iloc[idx]
    return out


def build_downloads(
    table: pd.DataFrame, entities: pd.DataFrame, *, meta: dict, sources: list[dict]
) -> dict[PurePosixPath, bytes]:
    named = with_names(table, entities)
    comment = SYNTHETIC_WARNING if meta["synthetic"] else None
    # the big files are gzipped: as plain CSV they would be 3 × 420 MB, beyond what static hosts
    # such as GitHub Pages publish (1 GB); gzip keeps them at ≈7 % of that, byte-identical on rebuild
    files: dict[PurePosixPath, bytes] = {
        PurePosixPath("downloads/barometer.csv.gz"): _gzip(to_csv_bytes(named, comment))
    }
    for m, part in _split(named, "measure").items():
        files[PurePosixPath(measure_csv(m))] = _gzip(to_csv_bytes(part, comment))
    for code, part in _split(named, "geo_code").items():
        files[PurePosixPath(entity_csv(code))] = to_csv_bytes(part, comment)
    files[PurePosixPath("downloads/datapackage.json")] = datapackage(
        files, meta=meta, sources=sources
    ).encode("utf-8")
    return files


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=6, mtime=0)


def datapackage(files: dict[PurePosixPath, bytes], *, meta: dict, sources: list[dict]) -> str:
    synthetic = bool(meta["synthetic"])
    resources = []
    for path in sorted(files):
        data = files[path]
        name = path.name.split(".")[0].replace("_", "-").lower()
        resources.append(
            {
                "name": f"entity-{name}" if path.parent.name == "entities" else name,
                "path": str(path.relative_to("downloads")),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                **({"compression": "gz"} if path.suffix == ".gz" else {}),
                "bytes": len(data),
                "hash": "sha256:" + hashlib.sha256(data).hexdigest(),
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
