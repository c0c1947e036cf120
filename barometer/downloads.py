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
import io
import json
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from barometer.export import NAME_COLUMNS, csv_head, csv_quoting, to_csv_bytes, with_names
from barometer.indicators import CATEGORY_NAMES, DIMENSION_NAMES, INDICATOR_NAMES, PERIOD_TYPES
from barometer.urls import entity_csv, measure_csv
from barometer.vocabulary import LEVELS

SYNTHETIC_WARNING = (
    "SYNTHETIC DATA: the figures per municipality are synthetic illustrations calibrated to real national "
    "totals, not official statistics."
)

FIELDS: list[dict[str, Any]] = [
    {
        "name": "geo_code",
        "type": "string",
        "description": "REFNIS code of the 2025 geography (Belgium 01000)",
        "constraints": {"required": True, "pattern": "[0-9]{5}"},
    },
    {"name": "geo_level", "type": "string", "constraints": {"enum": list(LEVELS)}},
    {"name": "measure", "type": "string"},
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


BATCH_ROWS = 250_000
"""Rows formatted at a time: the downloads are written in batches of whole areas, so that the
process never holds more than a batch of CSV text (and the compressed big files)."""


def _batches(areas: dict[str, np.ndarray]) -> list[list[str]]:
    """Areas in the order of their first row, grouped into batches of about BATCH_ROWS rows."""
    out: list[list[str]] = [[]]
    rows = 0
    for code in sorted(areas, key=lambda c: int(areas[c][0])):
        if rows >= BATCH_ROWS:
            out.append([])
            rows = 0
        out[-1].append(code)
        rows += len(areas[code])
    return [b for b in out if b]


def build_downloads(
    table: pd.DataFrame,
    entities: pd.DataFrame,
    *,
    meta: dict,
    sources: list[dict],
    sink: Callable[[PurePosixPath, bytes], None],
) -> dict[PurePosixPath, int]:
    """Make every download and hand each file to ``sink`` as soon as it is made; returns the
    size of each file.

    The table is written in batches of whole areas (:data:`BATCH_ROWS`): each batch is formatted
    once, each area's CSV is cut out of the batch's lines (an area's rows are one run of the
    table, which is sorted by area), and the batch's lines are streamed into the gzipped whole
    file and, split by measure, into the gzipped measure files. The quoting style is decided once
    for the whole table, so every file is written as :func:`to_csv_bytes` writes it alone.
    """
    comment = SYNTHETIC_WARNING if meta["synthetic"] else None
    quoting = csv_quoting(table, entities)
    head = csv_head([*table.columns, *NAME_COLUMNS], comment)
    made: dict[PurePosixPath, tuple[int, str]] = {}

    def emit(path: str, data: bytes) -> None:
        rel = PurePosixPath(path)
        made[rel] = (len(data), hashlib.sha256(data).hexdigest())
        sink(rel, data)

    # the big files are gzipped: as plain CSV they would be 3 × 420 MB, beyond what static hosts
    # such as GitHub Pages publish (1 GB); gzip keeps them at ≈7 % of that, byte-identical on rebuild
    whole = _Gzip(head)
    measures = {str(m): _Gzip(head) for m in table.measure.cat.categories}
    areas = _groups(table, "geo_code")
    for batch in _batches(areas):
        idx = np.concatenate([areas[c] for c in batch])
        named = with_names(table.iloc[idx], entities)
        body = to_csv_bytes(named, quoting=quoting, header=False)
        whole.write(body)
        for m, rows in _groups(named, "measure").items():
            measures[m].write(to_csv_bytes(named.iloc[rows], quoting=quoting, header=False))
        ends = np.flatnonzero(np.frombuffer(body, np.uint8) == 10) + 1
        if len(ends) != len(named):
            raise ValueError("a CSV cell holds a line break: one line per row is expected")
        start = 0
        for code in batch:
            stop = start + len(areas[code])
            first = int(ends[start - 1]) if start else 0
            emit(entity_csv(code), head + body[first : int(ends[stop - 1])])
            start = stop
    emit("downloads/barometer.csv.gz", whole.close())
    for m in sorted(measures):
        if measures[m].rows:
            emit(measure_csv(m), measures[m].close())
    codes = sorted(str(m) for m in table.measure.cat.categories)
    package = datapackage(made, meta=meta, sources=sources, measures=codes).encode("utf-8")
    emit("downloads/datapackage.json", package)
    return {path: size for path, (size, _sha) in made.items()}


class _Gzip:
    """A gzip file made in memory from streamed parts (level 6, mtime 0: the same deflate stream
    as ``gzip.compress`` of the whole; the header's OS byte says "unknown")."""

    def __init__(self, head: bytes) -> None:
        self.buffer = io.BytesIO()
        self.file = gzip.GzipFile(fileobj=self.buffer, mode="wb", compresslevel=6, mtime=0)
        self.file.write(head)
        self.rows = 0

    def write(self, data: bytes) -> None:
        self.file.write(data)
        self.rows += bool(data)

    def close(self) -> bytes:
        self.file.close()
        return self.buffer.getvalue()


def datapackage(
    files: dict[PurePosixPath, tuple[int, str]],
    *,
    meta: dict,
    sources: list[dict],
    measures: list[str],
) -> str:
    """The Frictionless data package describing ``files`` (path → (bytes, sha256))."""
    synthetic = bool(meta["synthetic"])
    fields = [
        {**f, "constraints": {"enum": measures}} if f["name"] == "measure" else f for f in FIELDS
    ]
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
                "schema": {"fields": fields, "missingValues": [""]},
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
