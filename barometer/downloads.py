"""Downloads: the published indicator table as files that every client reads with its defaults.

Input:  the indicator table (INDICATORS: one row per area × measure × period × indicator ×
        dimension × category), the entities, the extract's metadata, the source list.
Output (paths under ``downloads/``; every file is handed to ``sink`` as soon as it is made):

    entities/<code>.csv.gz           an area's totals: one row per period (years, then months);
                                     gzipped (a fifth of the bytes: the site's size budget), as
                                     every CSV here: pandas, R, DuckDB read it as it is
    entities/<code>-breakdowns.csv.gz  its breakdowns (sex, age, nationality, household): one
                                     row per period (years and the last 13 published months)
    entities/<code>.xlsx             both as an Excel workbook, after an "About" sheet
    barometer.csv.gz, .parquet       the totals of every area (the per-area files end to end)
    barometer-breakdowns.csv.gz, .parquet
    <measure>.csv.gz                 the key columns and one measure's columns of every area
    <measure>-breakdowns.csv.gz      (no Parquet per measure: a Parquet reader reads one
                                     measure's columns of the whole file as cheaply)
    areas.csv                        every area: id, level, names, parents
    schemas/totals.json, schemas/breakdowns.json   the Table Schemas of the two layouts
    datapackage.json                 Frictionless data package: one resource per kind of file
    README.txt                       the layout, the columns and the flags in plain words

The layout (wide: the keys once per row, one column per measure × indicator) is documented in
docs/architecture.md and, for readers, in README.txt (:func:`readme`). In short:

- keys ``geo_id`` (``BE`` + the 5-digit REFNIS code: a digits-only code loses its leading zero
  in pandas, R, Excel and LibreOffice, whatever the quoting), ``year``, ``month`` (integers: a
  spreadsheet turns the text ``2026-07`` into a date), ``period_type``, ``status`` (``stable``;
  ``provisional`` once provisional months are published) and ``data_status`` (``synthetic``
  while the extract is a synthetic stand-in, else ``official``): the warning travels with every
  row, not as a comment line that breaks parsers;
- an empty cell is not published; the reason is in the measure's flag column (the tokens of the
  indicator table's ``flag``, merged per row as :data:`FLAG_SCOPE` says, without loss);
- values are rounded per indicator (:data:`DECIMALS`), the same in CSV, Parquet and xlsx.

Work is done in batches of whole areas (:data:`BATCH_ROWS`): the wide rows of a batch are
formatted once (pyarrow), every area's CSV and sheet rows are cut out of the batch's text, and the
batch is streamed into the gzipped and Parquet bulk files; no more than a batch of text is held.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from barometer import paths
from barometer.export import neutralise
from barometer.indicators import BIT, FLAG_ORDER, RECENT_MONTHS
from barometer.urls import bulk_file, bulk_formats, entity_breakdowns_csv, entity_csv, entity_xlsx
from barometer.vocabulary import GROUPS, LEVELS

SYNTHETIC_WARNING = (
    "SYNTHETIC DATA: the figures per municipality are synthetic illustrations calibrated to real national "
    "totals, not official statistics."
)

TITLE = "Barometer of social integration"
SUBTITLE = "beneficiaries of the integration income and related aid per Belgian area"

TOTAL_INDICATORS = (
    "count",
    "per_1000",
    "yoy_change",
    "growth_12m",
    "ratio_ris",
    "rank_region",
    "rank_country",
    "months",
)
"""Indicators of the totals file, in column order (those a measure has: ratio_ris for gpmi, spi)."""
CHANGE_INDICATORS = ("yoy_change", "growth_12m")
BREAKDOWN_INDICATORS = ("count", "share")
BREAKDOWN_CELLS = tuple(
    (group, col.split("_", 1)[1]) for group, cols in GROUPS.items() for col in cols
)
"""(dimension, category) of the breakdowns, in publication order."""

DECIMALS = {
    "count": 1,
    "per_1000": 2,
    "yoy_change": 3,
    "growth_12m": 5,
    "share": 3,
    "ratio_ris": 3,
    "rank_region": 0,
    "rank_country": 0,
    "months": 0,
}
"""Decimals kept per indicator: monthly counts are whole numbers and annual averages keep one
decimal; a rate per 1000 keeps 0.01 (1 person in 100,000 inhabitants); changes, shares and
ratios keep 0.1 percentage point as the pages show them (the average monthly growth 0.001
point). More would be noise that costs bytes in every file (the unrounded table:
``build.py export``); the counts give any other precision."""

INTEGER_INDICATORS = frozenset({"rank_region", "rank_country", "months"})

DESCRIPTIONS = {
    "count": "persons (monthly: in the month; yearly: annual average of the monthly counts)",
    "per_1000": "persons per 1000 inhabitants (population on 1 January of the year)",
    "yoy_change": "change against the same period a year earlier (0.05 = +5 %)",
    "growth_12m": "average monthly growth over the last 12 months (0.001 = +0.1 % a month)",
    "share": "share of the measure's persons in this category (0.25 = 25 %)",
    "ratio_ris": "persons of this measure per person with the integration income (ris)",
    "rank_region": "rank of per_1000 among areas of the same level in the region (1 = highest)",
    "rank_country": "rank of per_1000 among areas of the same level in Belgium (1 = highest)",
    "months": "months behind the annual average",
}

FLAG_SCOPE = {
    "flag": (
        "flags of the count, per_1000, ratio_ris, rank_region, rank_country and months of the "
        "measure in this row; population_year(s) concern per_1000 and the ranks only, no_base "
        "concerns ratio_ris only"
    ),
    "change_flag": "flags of yoy_change and growth_12m of the measure in this row",
    "breakdown_flag": (
        "flags of the measure's breakdown cells in this row: missing, incomplete and months "
        "concern every cell; suppressed marks the empty cells (small counts and the cells "
        "suppressed with them, count and share alike); no_base concerns every share"
    ),
}
"""What a flag column of the wide files describes: the indicator table's flags of the cells
it covers, merged (tokens in the table's order). Nothing is lost: the tests rebuild every
cell's flag from these rules."""

FLAG_TOKENS = {
    "missing": "no figure: the area has no data for the period",
    "incomplete": "a higher level that lacks members that did not report; for yoy_change and growth_12m: this period or the base period",
    "suppressed": "hidden to protect small counts (1 to 4 persons, and the cell hidden with it)",
    "no_base": "no value: the base (previous year, total or ris) is zero or missing",
    "provisional": "a month after the measure's last stable month: late claims will still raise it (count and per_1000 only)",
    "population_year=YYYY": "per_1000 and ranks use the population of that earlier year (the period's year is not known yet)",
    "population_years=A-B": "as population_year, for a higher level whose members use several years",
    "months=N": "an annual average over N months (the current year, or months missing)",
}

STATUSES = ("stable", "provisional")
"""A row's ``status``: ``provisional`` when any of its values is (a month after its measure's
last stable month: its count and rate only, flagged ``provisional``), else ``stable``."""

BATCH_ROWS = 40_000
"""Wide rows (of the totals) formatted at a time: about 140 areas, ≈5 MB of CSV and ≈25 MB of
sheet XML."""

KEY_COLUMNS = ("geo_id", "year", "month", "period_type", "status", "data_status")

GEO_ID_PREFIX = "BE"

OWN_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0: the barometer's figures and downloads, reused "
    "freely, citing the barometer and its sources",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
"""The licence of what the barometer publishes (its inputs keep theirs: :data:`LICENSES` or the
extract's metadata)."""
CODE_LICENSE = {"name": "MIT", "title": "MIT licence (the code that builds the barometer)"}
"""The licence of the code (``pyproject.toml``, ``LICENSE``)."""

LICENSES = [
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
]


def licences(meta: dict) -> list[dict]:
    """The barometer's own licence, then its inputs' (the extract's metadata, else ours)."""
    return [OWN_LICENSE, *(meta.get("licenses") or LICENSES)]


# --- the layout --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a wide file."""

    name: str
    type: str
    """Table Schema type: string, integer or number."""
    description: str
    measure: str = ""
    indicator: str = ""
    """The indicator, or for a flag column its kind: flag, change_flag, breakdown_flag."""
    dimension: str = "total"
    category: str = "total"

    @property
    def decimals(self) -> int:
        return DECIMALS.get(self.indicator, 0)


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of wide file (totals or breakdowns) for the measures at hand."""

    kind: str
    measures: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def of(self, measure: str | None) -> list[int]:
        """Positions of the key columns and of one measure's columns (all when None)."""
        return [
            i
            for i, c in enumerate(self.columns)
            if measure is None or not c.measure or c.measure == measure
        ]


def key_columns() -> tuple[Column, ...]:
    return (
        Column(
            "geo_id",
            "string",
            "the area: BE and its 5-digit REFNIS code of the 2025 geography (Belgium BE01000, "
            "Gent BE44021); names and levels are in areas.csv",
        ),
        Column("year", "integer", "year of the period"),
        Column("month", "integer", "month of the period (1-12); empty in a yearly row"),
        Column(
            "period_type",
            "string",
            "month, or year: a yearly row holds annual averages (never add months and years)",
        ),
        Column(
            "status",
            "string",
            "stable, or provisional: a month after its measure's last stable month, still short of late claims",
        ),
        Column(
            "data_status",
            "string",
            "synthetic (figures made up to illustrate, see the warning) or official (computed "
            "from the POD MI / SPP IS extract)",
        ),
    )


def layouts(
    table: pd.DataFrame, measures: tuple[str, ...], names: dict[str, str]
) -> tuple[Layout, Layout]:
    """The totals and breakdown layouts: a column per (measure, indicator[, cell]) that the
    table publishes, then the measure's flag columns."""
    parts = ("measure", "indicator", "dimension", "category")
    cats = {c: [str(x) for x in table[c].cat.categories] for c in parts}
    codes = {c: table[c].cat.codes.to_numpy() for c in parts}
    seen = np.zeros(int(np.prod([len(cats[c]) for c in parts])), dtype=bool)
    seen[_cell_index(codes, cats, slice(None))] = True
    present = set()
    for key in np.flatnonzero(seen).tolist():
        cell = []
        for c in reversed(parts):
            key, k = divmod(key, len(cats[c]))
            cell.append(cats[c][k])
        present.add(tuple(reversed(cell)))
    keys = key_columns()
    totals: list[Column] = list(keys)
    breakdowns: list[Column] = list(keys)
    for m in measures:
        label = names.get(m, m)
        for ind in TOTAL_INDICATORS:
            if (m, ind, "total", "total") in present:
                kind = "integer" if ind in INTEGER_INDICATORS else "number"
                totals.append(Column(f"{m}_{ind}", kind, f"{label}: {DESCRIPTIONS[ind]}", m, ind))
        totals.append(Column(f"{m}_flag", "string", FLAG_SCOPE["flag"], m, "flag"))
        totals.append(
            Column(f"{m}_change_flag", "string", FLAG_SCOPE["change_flag"], m, "change_flag")
        )
        cells = [(d, c) for d, c in BREAKDOWN_CELLS if (m, "count", d, c) in present]
        for ind in BREAKDOWN_INDICATORS:
            for d, c in cells:
                if (m, ind, d, c) in present:
                    breakdowns.append(
                        Column(
                            f"{m}_{d}_{c}_{ind}",
                            "number",
                            f"{label}, {d} {c}: {DESCRIPTIONS[ind]}",
                            m,
                            ind,
                            d,
                            c,
                        )
                    )
        if cells:
            breakdowns.append(
                Column(f"{m}_flag", "string", FLAG_SCOPE["breakdown_flag"], m, "breakdown_flag")
            )
    return Layout("totals", measures, tuple(totals)), Layout(
        "breakdowns", measures, tuple(breakdowns)
    )


# --- the wide tables ---------------------------------------------------------------------------


@dataclass
class Wide:
    """The rows of one layout for every area: keys, values and merged flags."""

    layout: Layout
    geo: np.ndarray
    """Area code per row (str)."""
    year: np.ndarray
    month: np.ndarray
    """0 in yearly rows."""
    values: np.ndarray
    """float64 [rows, value columns] (NaN = empty)."""
    value_cols: list[int]
    """Layout positions of the value columns."""
    flags: np.ndarray
    """int64 flag keys [rows, flag columns] (0 = no flag); see :func:`flag_label`."""
    flag_cols: list[int]
    areas: dict[str, tuple[int, int]]
    """Area code → its rows [start, stop), in table order."""


def parse_flag(label: str) -> tuple[int, int, int]:
    """The indicator table's flag label → (bits, population years key, months)."""
    bits = pop = months = 0
    for token in filter(None, label.split(";")):
        name, _, arg = token.partition("=")
        if name in BIT:
            bits |= BIT[name]
        elif name == "population_year":
            pop = int(arg) << 12 | int(arg)
        elif name == "population_years":
            a, b = arg.split("-")
            pop = int(a) << 12 | int(b)
        elif name == "months":
            months = int(arg)
        else:
            raise ValueError(f"unknown flag token {token!r} in {label!r}")
    return bits, pop, months


def flag_label(key: int) -> str:
    """A merged flag key (bits | pop << 8 | months << 40) → the ';'-joined tokens."""
    bits, pop, months = key & 0xFF, (key >> 8) & 0xFFFFFF, key >> 40
    parts = [name for name in FLAG_ORDER if bits & BIT[name]]
    if pop:
        a, b = pop >> 12, pop & 0xFFF
        parts.append(f"population_year={a}" if a == b else f"population_years={a}-{b}")
    if months:
        parts.append(f"months={months}")
    return ";".join(parts)


@dataclass(frozen=True)
class _Coded:
    """The indicator table as integer codes (what the pivot works on)."""

    codes: dict[str, np.ndarray]
    cats: dict[str, list[str]]
    values: np.ndarray
    rank: np.ndarray
    """Per period category: its row order (years first, then months, each chronological)."""
    year: np.ndarray
    month: np.ndarray
    parsed: np.ndarray
    """Per flag category: (bits, population years, months), see :func:`parse_flag`."""

    @classmethod
    def of(cls, table: pd.DataFrame) -> _Coded:
        names = ("geo_code", "measure", "period", "indicator", "dimension", "category", "flag")
        cats = {c: [str(x) for x in table[c].cat.categories] for c in names}
        year = np.array([int(p[:4]) for p in cats["period"]], dtype=np.int64)
        month = np.array([int(p[5:7]) if len(p) > 4 else 0 for p in cats["period"]])
        rank = np.empty(len(year), dtype=np.int64)
        rank[np.lexsort((month, year, month > 0))] = np.arange(len(year))
        return cls(
            {c: table[c].cat.codes.to_numpy().astype(np.int32) for c in names},
            cats,
            table.value.to_numpy(dtype="float64", na_value=np.nan),
            rank,
            year,
            month.astype(np.int64),
            np.array([parse_flag(f) for f in cats["flag"]], dtype=np.int64).reshape(-1, 3),
        )


def wide_tables(table: pd.DataFrame, totals: Layout, breakdowns: Layout) -> tuple[Wide, Wide]:
    """Pivot the indicator table into the two wide layouts (vectorised, every area at once)."""
    t = _Coded.of(table)
    is_total = t.codes["dimension"] == t.cats["dimension"].index("total")
    return _pivot(t, np.flatnonzero(is_total), totals), _pivot(
        t, np.flatnonzero(~is_total), breakdowns
    )


def _cell_index(codes: dict, cats: dict, idx: np.ndarray | slice) -> np.ndarray:
    """Flat (measure, indicator, dimension, category) index of the rows ``idx``."""
    n_i, n_d, n_c = (len(cats[c]) for c in ("indicator", "dimension", "category"))
    out = codes["measure"][idx].astype(np.int64)
    for c, n in (("indicator", n_i), ("dimension", n_d), ("category", n_c)):
        out = out * n + codes[c][idx]
    return out


def _pivot(t: _Coded, idx: np.ndarray, layout: Layout) -> Wide:
    """The wide rows of ``layout`` from the table rows ``idx``."""
    codes, cats = t.codes, t.cats
    n_per = len(t.rank)
    # rows: (area, period) pairs present, in area order, then years first, then months
    row_key = codes["geo_code"][idx].astype(np.int64) * n_per + t.rank[codes["period"][idx]]
    present = np.zeros(len(cats["geo_code"]) * n_per, dtype=bool)
    present[row_key] = True
    keys = np.flatnonzero(present)
    dense = np.cumsum(present) - 1
    row = dense[row_key]
    row_geo, row_rank = keys // n_per, keys % n_per
    row_period = np.argsort(t.rank)[row_rank]

    # a column per (measure, indicator, dimension, category); flags per (measure, indicator)
    n_i, n_d, n_c = (len(cats[c]) for c in ("indicator", "dimension", "category"))
    value_cols = [
        i for i, c in enumerate(layout.columns) if c.measure and "flag" not in c.indicator
    ]
    flag_cols = [i for i, c in enumerate(layout.columns) if c.measure and "flag" in c.indicator]
    lookup = np.full(len(cats["measure"]) * n_i * n_d * n_c, -1, dtype=np.int64)
    flag_lookup = np.full(len(cats["measure"]) * n_i, -1, dtype=np.int64)
    for j, pos in enumerate(value_cols):
        c = layout.columns[pos]
        m, i = cats["measure"].index(c.measure), cats["indicator"].index(c.indicator)
        d, k = cats["dimension"].index(c.dimension), cats["category"].index(c.category)
        lookup[((m * n_i + i) * n_d + d) * n_c + k] = j
    for j, pos in enumerate(flag_cols):
        c = layout.columns[pos]
        m = cats["measure"].index(c.measure)
        scope = {
            "change_flag": CHANGE_INDICATORS,
            "flag": [i for i in TOTAL_INDICATORS if i not in CHANGE_INDICATORS],
            "breakdown_flag": BREAKDOWN_INDICATORS,
        }[c.indicator]
        for ind in scope:
            if ind in cats["indicator"]:
                flag_lookup[m * n_i + cats["indicator"].index(ind)] = j
    col = lookup[_cell_index(codes, cats, idx)]
    if (col < 0).any():
        bad = idx[int(np.flatnonzero(col < 0)[0])]
        raise ValueError(
            f"the {layout.kind} layout has no column for "
            f"{cats['measure'][codes['measure'][bad]]} {cats['indicator'][codes['indicator'][bad]]}"
        )
    wide = np.full(len(keys) * len(value_cols), np.nan)
    wide[row * len(value_cols) + col] = t.values[idx]

    # flags: merge the parsed parts of every flagged cell into its row's flag column
    fcode = codes["flag"][idx]
    parsed = t.parsed
    has_flag: np.ndarray = np.asarray(parsed.any(axis=1))
    flagged = np.flatnonzero((fcode >= 0) & has_flag[np.maximum(fcode, 0)])
    sub = idx[flagged]
    cell = (
        row[flagged] * len(flag_cols)
        + flag_lookup[codes["measure"][sub].astype(np.int64) * n_i + codes["indicator"][sub]]
    )
    part = parsed[fcode[flagged]]
    size = len(keys) * len(flag_cols)
    bits, pop, mon = (np.zeros(size, dtype=np.int64) for _ in range(3))
    np.bitwise_or.at(bits, cell, part[:, 0])
    np.maximum.at(pop, cell, part[:, 1])
    np.maximum.at(mon, cell, part[:, 2])
    flags = (bits | pop << 8 | mon << 40).reshape(len(keys), len(flag_cols))

    geo_names = np.array(cats["geo_code"], dtype=object)
    starts = np.flatnonzero(np.r_[True, row_geo[1:] != row_geo[:-1]])
    stops = np.r_[starts[1:], len(keys)]
    areas = {
        str(geo_names[row_geo[a]]): (int(a), int(b)) for a, b in zip(starts, stops, strict=True)
    }
    return Wide(
        layout,
        geo_names[row_geo],
        t.year[row_period],
        t.month[row_period],
        wide.reshape(len(keys), len(value_cols)),
        value_cols,
        flags,
        flag_cols,
        areas,
    )


# --- text of a batch of rows --------------------------------------------------------------------


def _number_text(values: np.ndarray, decimals: int) -> pa.Array:
    arr = pa.array(values, type=pa.float64(), from_pandas=True)
    text = pc.cast(pc.round(arr, decimals), pa.string())
    return pc.replace_substring_regex(text, "^-0$", "0")  # a tiny negative change rounds to -0


def _keys(wide: Wide, start: int, stop: int, data_status: str) -> list[pa.Array]:
    """The key columns of rows [start, stop), typed."""
    month = wide.month[start:stop]
    return [
        pc.binary_join_element_wise(GEO_ID_PREFIX, pa.array(wide.geo[start:stop], pa.string()), ""),
        pa.array(wide.year[start:stop], type=pa.int16()),
        pa.array(month, type=pa.int8(), mask=month == 0),
        pc.if_else(pa.array(month > 0), "month", "year"),
        pc.if_else(
            pa.array((wide.flags[start:stop] & BIT["provisional"]).any(axis=1)),
            STATUSES[1],
            STATUSES[0],
        ),
        pa.array([data_status] * (stop - start), type=pa.string()),
    ]


def _flag_text(keys: np.ndarray) -> pa.Array:
    """Merged flag keys → their labels (null where there is no flag)."""
    uniq, inverse = np.unique(keys, return_inverse=True)
    labels = pa.array([flag_label(int(k)) or None for k in uniq], type=pa.string())
    return pc.take(labels, pa.array(inverse.astype(np.int32)))


@dataclass
class Batch:
    """The rows [start, stop) of a wide table as text columns (null = empty cell)."""

    wide: Wide
    start: int
    stop: int
    text: list[pa.Array]
    """Per layout column: CSV text of each row (geo_id unquoted)."""

    @classmethod
    def make(cls, wide: Wide, start: int, stop: int, data_status: str) -> Batch:
        cols: list[pa.Array | None] = [None] * len(wide.layout.columns)
        for pos, arr in enumerate(_keys(wide, start, stop, data_status)):
            cols[pos] = pc.cast(arr, pa.string())
        for j, pos in enumerate(wide.value_cols):
            cols[pos] = _number_text(wide.values[start:stop, j], wide.layout.columns[pos].decimals)
        for j, pos in enumerate(wide.flag_cols):
            cols[pos] = _flag_text(wide.flags[start:stop, j])
        return cls(wide, start, stop, [c for c in cols if c is not None])

    def csv(self, positions: list[int]) -> tuple[bytes, np.ndarray]:
        """CSV lines of the chosen columns (geo_id quoted) and the byte offset of each line."""
        cols = [self.text[i] for i in positions]
        cols[0] = pc.binary_join_element_wise('"', cols[0], '"', "")
        return _lines([pc.fill_null(c, "") for c in cols], ",")

    def sheet_rows(self, areas: list[str]) -> dict[str, str]:
        """Per area: the <row> elements of its sheet (rows 2…), numbers as numbers.

        Only the first cell of a row names its position (``r``); the others follow it, an empty
        cell being an empty ``<c/>`` (SpreadsheetML makes ``r`` optional). Unique references in
        every cell were 60 % of the compressed workbook."""
        local = np.empty(self.stop - self.start, dtype=np.int64)
        for code in areas:
            a, b = self.wide.areas[code]
            local[a - self.start : b - self.start] = np.arange(2, b - a + 2)
        rownum = pc.cast(pa.array(local), pa.string())
        cells = []
        for pos, (col, text) in enumerate(zip(self.wide.layout.columns, self.text, strict=True)):
            head = pc.binary_join_element_wise('<c r="A', rownum, '"', "") if pos == 0 else "<c"
            if col.type == "string":
                cell = pc.binary_join_element_wise(
                    head, ' t="inlineStr"><is><t>', _xml_escape(text), "</t></is></c>", ""
                )
            else:
                cell = pc.binary_join_element_wise(head, "><v>", text, "</v></c>", "")
            cells.append(pc.fill_null(cell, "<c/>"))
        rows = pc.binary_join_element_wise('<row r="', rownum, '">', *cells, "</row>", "")
        data, ends = _lines([rows], "", newline="")
        out = {}
        for code in areas:
            a, b = self.wide.areas[code]
            first = int(ends[a - self.start - 1]) if a > self.start else 0
            out[code] = data[first : int(ends[b - self.start - 1])].decode("utf-8")
        return out


def _lines(cols: list[pa.Array], sep: str, newline: str = "\n") -> tuple[bytes, np.ndarray]:
    rows = pc.binary_join_element_wise(*cols, sep) if len(cols) > 1 else cols[0]
    if newline:
        rows = pc.binary_join_element_wise(rows, newline, "")
    rows = rows.cast(pa.large_string()) if rows.type != pa.large_string() else rows
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[
        rows.offset : rows.offset + len(rows) + 1
    ]
    data = rows.buffers()[2].to_pybytes()[int(offsets[0]) : int(offsets[-1])]
    return data, offsets[1:] - offsets[0]


def _xml_escape(text: pa.Array) -> pa.Array:
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, a, b)
    return text


# --- the files ---------------------------------------------------------------------------------


class _Gzip:
    """A gzip file made in memory from streamed parts (level 6, mtime 0: the same bytes on every
    build; the header's OS byte says "unknown")."""

    def __init__(self, head: bytes) -> None:
        self.buffer = io.BytesIO()
        self.file = gzip.GzipFile(fileobj=self.buffer, mode="wb", compresslevel=6, mtime=0)
        self.file.write(head)

    def write(self, data: bytes) -> None:
        self.file.write(data)

    def close(self) -> bytes:
        self.file.close()
        return self.buffer.getvalue()


def parquet(wide: Wide, positions: list[int], data_status: str) -> bytes:
    """The chosen columns of every row as a Parquet file: typed (ids and flags text, year and
    month small integers, ranks and months integers, values float64 rounded as in the CSV),
    one row group (a row group per batch made the file a third larger), zstd (read by every
    current reader — pyarrow, R arrow, DuckDB, Polars, Spark — and a tenth smaller than snappy).
    Made from the wide arrays at the end: no batch holds it."""
    arrays: dict[str, pa.Array] = {}
    value_at = {pos: j for j, pos in enumerate(wide.value_cols)}
    flag_at = {pos: j for j, pos in enumerate(wide.flag_cols)}
    n = len(wide.geo)
    keys = _keys(wide, 0, n, data_status)
    for pos in positions:
        col = wide.layout.columns[pos]
        if pos < len(keys):
            arr = keys[pos]
        elif pos in flag_at:
            arr = _flag_text(wide.flags[:, flag_at[pos]])
        else:
            values = pa.array(wide.values[:, value_at[pos]], type=pa.float64(), from_pandas=True)
            arr = pc.round(values, col.decimals)
            if col.type == "integer":
                arr = pc.cast(arr, pa.int16())
        arrays[col.name] = arr
    buffer = io.BytesIO()
    pq.write_table(
        pa.table(arrays), buffer, compression="zstd", compression_level=6, row_group_size=n
    )
    return buffer.getvalue()


def _catalogue(meta: dict) -> tuple[tuple[str, ...], dict[str, str]]:
    """Measures in publication order and their English names (meta["catalogue"], else the
    project's data/measures.toml)."""
    from barometer.catalogue import load_catalogue

    cat = meta.get("catalogue") or load_catalogue(paths.MEASURES_TOML)
    return tuple(m.code for m in cat), {m.code: m.name.get("en", m.code) for m in cat}


def _batches(areas: dict[str, tuple[int, int]], rows: int) -> Iterator[list[str]]:
    """Areas in table order, in groups of about ``rows`` wide rows."""
    batch: list[str] = []
    size = 0
    for code, (a, b) in areas.items():
        if batch and size + (b - a) > rows:
            yield batch
            batch, size = [], 0
        batch.append(code)
        size += b - a
    if batch:
        yield batch


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

    ``meta``: ``synthetic`` (bool), ``extract_date`` (YYYY-MM-DD); optional ``catalogue`` (the
    measure catalogue: publication order and names; else read from data/measures.toml),
    ``licenses`` (Frictionless licences of the data; else :data:`LICENSES`).
    """
    from barometer.xlsx import write_workbook

    synthetic = bool(meta["synthetic"])
    data_status = "synthetic" if synthetic else "official"
    order, names = _catalogue(meta)
    present = [str(m) for m in table.measure.cat.categories]
    measures = tuple(m for m in order if m in present) + tuple(m for m in present if m not in order)
    totals, breakdowns = layouts(table, measures, names)
    wide_t, wide_b = wide_tables(table, totals, breakdowns)
    made: dict[PurePosixPath, tuple[int, str]] = {}

    def emit(path: str, data: bytes) -> None:
        rel = PurePosixPath(path)
        made[rel] = (len(data), hashlib.sha256(data).hexdigest())
        sink(rel, data)

    bulk: dict[tuple[str | None, str], _Gzip] = {}
    for kind, layout in (("totals", totals), ("breakdowns", breakdowns)):
        for m in (None, *measures):
            head = (",".join(layout.names[i] for i in layout.of(m)) + "\n").encode()
            bulk[m, kind] = _Gzip(head)
    last = last_months(wide_t)
    about = AboutSheet(meta, entities, names, totals, breakdowns, sources, last)
    wides = {w.layout.kind: w for w in (wide_t, wide_b)}
    for batch_areas in _batches(wide_t.areas, BATCH_ROWS):
        sheets: dict[str, dict[str, str]] = {}
        for kind, wide in wides.items():
            here = [c for c in batch_areas if c in wide.areas]
            if not here:
                continue
            start, stop = wide.areas[here[0]][0], wide.areas[here[-1]][1]
            batch = Batch.make(wide, start, stop, data_status)
            layout = wide.layout
            data, ends = batch.csv(list(range(len(layout.columns))))
            head = (",".join(layout.names) + "\n").encode()
            for code in here:
                a, b = wide.areas[code]
                first = int(ends[a - start - 1]) if a > start else 0
                path = entity_csv(code) if kind == "totals" else entity_breakdowns_csv(code)
                part = head + data[first : int(ends[b - start - 1])]
                emit(path, gzip.compress(part, compresslevel=6, mtime=0))
            for m in (None, *measures):
                bulk[m, kind].write(data if m is None else batch.csv(layout.of(m))[0])
            sheets[kind] = batch.sheet_rows(here)
        for code in batch_areas:
            emit(
                entity_xlsx(code),
                write_workbook(
                    about.rows(code),
                    [
                        (kind.capitalize(), wides[kind].layout.names, rows[code])
                        for kind, rows in sheets.items()
                        if code in rows
                    ],
                    title=f"{TITLE}: {about.name(code)}",
                    created=meta["extract_date"],
                    warning=SYNTHETIC_WARNING if synthetic else None,
                ),
            )
    for (m, kind), out in bulk.items():
        emit(bulk_file(m, kind, "csv"), out.close())
        if "parquet" in bulk_formats(m):
            wide = wides[kind]
            emit(bulk_file(m, kind, "parquet"), parquet(wide, wide.layout.of(m), data_status))
    emit("downloads/areas.csv", areas_csv(entities))
    for layout in (totals, breakdowns):
        emit(f"downloads/schemas/{layout.kind}.json", _json(table_schema(layout)))
    emit("downloads/README.txt", readme(meta, totals, breakdowns, names, last).encode("utf-8"))
    package = datapackage(
        made, meta=meta, sources=sources, areas=(wide_t.areas, wide_b.areas), measures=measures
    )
    emit("downloads/datapackage.json", _json(package))
    return {path: size for path, (size, _sha) in made.items()}


# --- areas, schemas, package, README, About sheet ------------------------------------------------

AREA_COLUMNS = (
    "geo_id",
    "geo_level",
    "name_nl",
    "name_fr",
    "name_de",
    "parent_id",
    "arrondissement_id",
    "province_id",
    "region_id",
)


def _geo_id(code: str) -> str:
    return GEO_ID_PREFIX + code if code else ""


def areas_csv(entities: pd.DataFrame) -> bytes:
    """Every area of the 2025 geography: id, level, names (formula-neutralised), parents."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(AREA_COLUMNS)
    for e in entities.itertuples(index=False):
        writer.writerow(
            [
                _geo_id(e.code),
                e.level,
                neutralise(str(e.name_nl)),
                neutralise(str(e.name_fr)),
                neutralise(str(e.name_de)),
                _geo_id(e.parent),
                _geo_id(e.arrondissement),
                _geo_id(e.province),
                _geo_id(e.region),
            ]
        )
    return out.getvalue().encode("utf-8")


AREAS_SCHEMA = {
    "fields": [
        {"name": "geo_id", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "geo_level", "type": "string", "constraints": {"enum": list(LEVELS)}},
        {"name": "name_nl", "type": "string"},
        {"name": "name_fr", "type": "string"},
        {"name": "name_de", "type": "string"},
        {"name": "parent_id", "type": "string", "description": "next level up (empty: Belgium)"},
        {"name": "arrondissement_id", "type": "string"},
        {"name": "province_id", "type": "string", "description": "empty in Brussels"},
        {"name": "region_id", "type": "string"},
    ],
    "missingValues": [""],
    "primaryKey": ["geo_id"],
}


def table_schema(layout: Layout) -> dict:
    """The Table Schema of a layout. ``fieldsMatch: superset`` lets the per-measure bulk files
    (the key columns and one measure's) use it too."""
    fields = []
    for c in layout.columns:
        field: dict = {"name": c.name, "type": c.type, "description": c.description}
        if c.name == "geo_id":
            field["constraints"] = {"required": True, "pattern": "BE[0-9]{5}"}
        elif c.name == "year":
            field["constraints"] = {"required": True}
        elif c.name == "month":
            field["constraints"] = {"minimum": 1, "maximum": 12}
        elif c.name == "period_type":
            field["constraints"] = {"required": True, "enum": ["month", "year"]}
        elif c.name == "status":
            field["constraints"] = {"required": True, "enum": ["stable", "provisional"]}
        elif c.name == "data_status":
            field["constraints"] = {"required": True, "enum": ["synthetic", "official"]}
        fields.append(field)
    return {"fields": fields, "missingValues": [""], "fieldsMatch": "superset"}


def datapackage(
    files: dict[PurePosixPath, tuple[int, str]],
    *,
    meta: dict,
    sources: list[dict],
    areas: tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]],
    measures: tuple[str, ...],
) -> dict:
    """The Frictionless data package: one resource per kind of file. The per-area CSVs of a
    layout are one multipart resource (their paths in a list: end to end, headers dropped, they
    are the bulk file); the bulk files, with size and sha256; the schemas by path."""
    synthetic = bool(meta["synthetic"])
    warn = SYNTHETIC_WARNING + " " if synthetic else ""
    title_warn = "SYNTHETIC DATA — " if synthetic else ""

    def bulk(m: str | None, kind: str, fmt: str) -> dict[str, Any]:
        path = PurePosixPath(bulk_file(m, kind, fmt))
        size, sha = files[path]
        what = f"the {kind} of every area" + (f", measure {m}" if m else ", every measure")
        res: dict[str, Any] = {
            "name": f"{m or 'barometer'}-{kind}-{fmt}",
            "title": f"{title_warn}{what} ({'CSV, gzip' if fmt == 'csv' else 'Parquet'})",
            "path": str(path.relative_to("downloads")),
            "format": fmt,
        }
        if fmt == "csv":
            res |= {"mediatype": "text/csv", "encoding": "utf-8", "compression": "gz"}
            res |= {"bytes": size, "hash": "sha256:" + sha, "schema": f"schemas/{kind}.json"}
        else:
            # frictionless reads Parquet through pandas: a missing integer (the month of a
            # yearly row, a rank) becomes NaN and fails a Table Schema integer, and it counts
            # no bytes nor hash. Parquet carries its own typed schema: the same columns.
            res["mediatype"] = "application/vnd.apache.parquet"
            res["description"] = (
                f"the columns of schemas/{kind}.json, typed; {size} bytes, sha256 {sha}"
            )
        return res

    resources: list[dict[str, Any]] = []
    for kind, rows in zip(("totals", "breakdowns"), areas, strict=True):
        part = entity_csv if kind == "totals" else entity_breakdowns_csv
        resources.append(
            {
                "name": f"area-{kind}",
                "title": f"{title_warn}the {kind} of one area per file (entities/<code>"
                + ("" if kind == "totals" else "-breakdowns")
                + ".csv.gz)",
                "description": warn
                + "One gzipped CSV per area; listed here as the parts of one table (each part "
                "repeats the header). The same rows as a workbook: entities/<code>.xlsx.",
                "path": [str(PurePosixPath(part(c)).relative_to("downloads")) for c in rows],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "compression": "gz",
                "schema": f"schemas/{kind}.json",
            }
        )
    for kind in ("totals", "breakdowns"):
        for m in (None, *measures):
            for fmt in bulk_formats(m):
                resources.append(bulk(m, kind, fmt))
    size, sha = files[PurePosixPath("downloads/areas.csv")]
    resources.append(
        {
            "name": "areas",
            "title": "every area of the 2025 geography: level, names, parents",
            "path": "areas.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": size,
            "hash": "sha256:" + sha,
            "schema": AREAS_SCHEMA,
        }
    )
    return {
        "name": "barometer-social-integration",
        "title": f"{title_warn}{TITLE}: {SUBTITLE}",
        "description": warn
        + "Monthly and yearly indicators (counts, per 1000 inhabitants, change, shares, ratios, "
        "ranks) for Belgium, its regions, provinces, arrondissements and 2025 municipalities. "
        "Layout, columns and flags: README.txt.",
        "synthetic": synthetic,
        "extract_date": meta["extract_date"],
        "previous_vintage": meta.get("previous_vintage"),
        "version": meta["extract_date"],
        "licenses": licences(meta),
        "code_license": CODE_LICENSE,
        "sources": [{"title": s["publisher"], "path": s["page"]} for s in sources],
        "resources": resources,
    }


def _json(obj: dict) -> bytes:
    return json.dumps(obj, indent=1, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _definitions(
    totals: Layout, breakdowns: Layout, names: dict[str, str]
) -> list[tuple[str, str]]:
    """(term, definition) of the columns, indicators and flags, for the README and About sheet."""
    out = [(c.name, c.description) for c in totals.columns if not c.measure]
    out += [(f"<measure>_{ind}", DESCRIPTIONS[ind]) for ind in TOTAL_INDICATORS]
    out += [
        ("<measure>_flag", FLAG_SCOPE["flag"]),
        ("<measure>_change_flag", FLAG_SCOPE["change_flag"]),
    ]
    out += [
        ("<measure>_<dimension>_<category>_count", "breakdowns: " + DESCRIPTIONS["count"]),
        ("<measure>_<dimension>_<category>_share", "breakdowns: " + DESCRIPTIONS["share"]),
        ("<measure>_flag (breakdowns)", FLAG_SCOPE["breakdown_flag"]),
    ]
    out += [(m, names.get(m, m)) for m in totals.measures]
    cells = ", ".join(f"{d} {c}" for d, c in BREAKDOWN_CELLS)
    out += [("breakdown cells", cells)]
    out += [(f"flag {t}", d) for t, d in FLAG_TOKENS.items()]
    out += [
        ("empty cell", "not published: see the measure's flag; rows without any flag are complete")
    ]
    return out


def last_months(wide: Wide) -> dict[str, str]:
    """Per measure, the newest stable month with a published count (YYYY-MM)."""
    out = {}
    flag_of = {
        wide.layout.columns[pos].measure: k
        for k, pos in enumerate(wide.flag_cols)
        if wide.layout.columns[pos].indicator == "flag"
    }
    for j, pos in enumerate(wide.value_cols):
        col = wide.layout.columns[pos]
        if col.indicator == "count":
            stable = (wide.flags[:, flag_of[col.measure]] & BIT["provisional"]) == 0
            rows = np.flatnonzero((wide.month > 0) & ~np.isnan(wide.values[:, j]) & stable)
            if len(rows):
                ym = int((wide.year[rows] * 12 + wide.month[rows] - 1).max())
                out[col.measure] = f"{ym // 12:04d}-{ym % 12 + 1:02d}"
    return out


def readme(
    meta: dict, totals: Layout, breakdowns: Layout, names: dict[str, str], last: dict[str, str]
) -> str:
    """downloads/README.txt: what the files are and how to read them."""
    synthetic = bool(meta["synthetic"])
    lines = [
        f"{TITLE}: downloads",
        "",
        *(
            [SYNTHETIC_WARNING, "Every row says so in its data_status column (synthetic).", ""]
            if synthetic
            else []
        ),
        f"Vintage: extract of {meta['extract_date']}"
        + (
            f" (previous vintage: {meta['previous_vintage']})"
            if meta.get("previous_vintage")
            else ""
        )
        + ". Last stable month: "
        + ", ".join(f"{m} {p}" for m, p in last.items())
        + ". The months after it are published with status provisional (count and per_1000"
        " only): late claims will still raise them.",
        "",
        "Files",
        "  entities/<code>.csv.gz             totals of one area: one row per period (years, then"
        " months)",
        "  entities/<code>-breakdowns.csv.gz  its breakdowns: years and the last "
        f"{RECENT_MONTHS} published months",
        "  entities/<code>.xlsx            both, as an Excel workbook with an About sheet",
        "  barometer.csv.gz, barometer.parquet                       the totals of every area",
        "  barometer-breakdowns.csv.gz, barometer-breakdowns.parquet the breakdowns of every area",
        "  <measure>.csv.gz, <measure>-breakdowns.csv.gz            the same for one measure",
        "  areas.csv                       every area: level, names, parents",
        "  datapackage.json, schemas/      Frictionless data package and Table Schemas",
        "",
        "Reading: UTF-8, comma-separated, one header row, no comment lines: the files open with",
        "the defaults of pandas.read_csv, R read.csv and LibreOffice. Excel splits them on",
        "opening only with a decimal point; with a decimal comma (Belgian and most European",
        "settings) use the .xlsx workbook, or Data > From Text/CSV. Codes are text (geo_id = BE",
        "+ the REFNIS code, so that no reader drops a leading zero); year and month are numbers",
        "(a spreadsheet would turn 2026-07 into a date). Decimals kept: "
        + ", ".join(f"{k} {v}" for k, v in DECIMALS.items() if v)
        + ".",
        "An empty cell is not published; the measure's flag column tells why.",
        "",
        "Columns and flags",
    ]
    for term, text in _definitions(totals, breakdowns, names):
        lines.append(f"  {term}: {text}")
    lines += [
        "",
        "Licences: "
        + "; ".join(lic["title"] for lic in licences(meta))
        + f"; code: {CODE_LICENSE['title']}",
    ]
    return "\n".join(lines) + "\n"


class AboutSheet:
    """The first sheet of every workbook: title, area, warning, source, vintage, licence,
    definitions."""

    def __init__(
        self,
        meta: dict,
        entities: pd.DataFrame,
        names: dict[str, str],
        totals: Layout,
        breakdowns: Layout,
        sources: list[dict],
        last: dict[str, str],
    ) -> None:
        self.meta = meta
        self.last = ", ".join(f"{m} {p}" for m, p in last.items())
        self.entities = {e.code: e for e in entities.itertuples(index=False)}
        self.common = _definitions(totals, breakdowns, names)
        self.sources = sources

    def name(self, code: str) -> str:
        e = self.entities[code]
        return e.name_nl if e.name_nl == e.name_fr else f"{e.name_nl} / {e.name_fr}"

    def rows(self, code: str) -> list[tuple[str, str, str]]:
        """(label, text, style) rows; style: title, warning, heading or ''."""
        e = self.entities[code]
        synthetic = bool(self.meta["synthetic"])
        rows = [(f"{TITLE}: {neutralise(self.name(code))}", "", "title")]
        if synthetic:
            rows.append(("Warning", SYNTHETIC_WARNING, "warning"))
        rows += [
            ("Area", f"{neutralise(self.name(code))} ({e.level}, {GEO_ID_PREFIX}{code})", ""),
            ("Vintage", f"extract of {self.meta['extract_date']}", ""),
            ("Last published month", self.last, ""),
            (
                "Sheets",
                "Totals: one row per period; Breakdowns: years and the last "
                f"{RECENT_MONTHS} published months",
                "",
            ),
            (
                "Licence",
                "; ".join(lic["title"] for lic in licences(self.meta)),
                "",
            ),
        ]
        rows += [("Source", f"{s['publisher']} ({s['page']})", "") for s in self.sources]
        rows.append(("Columns and flags", "", "heading"))
        rows += [(term, text, "") for term, text in self.common]
        return rows
