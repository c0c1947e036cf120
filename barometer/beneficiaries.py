"""Canonical beneficiaries: the extract on the 2025 municipalities, as one long table.

Input:  RAW_EXTRACT (codes valid in each month) and CODE_MAP.
Output: BENEFICIARIES (measure, month, municipality_2025, dimension, category, count).

- Predecessors are summed into their 2025 successor month by month (every column), so history
  is unbroken across the 2019 and 2025 waves; a successor whose predecessors are not all
  reported in a month is missing (NA) that month, never a partial sum.
- Missing stays missing: an empty row (no claim) gives NA counts; 0 stays 0.
- A municipality without any row in a month (Herstappe, always) has no row there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.harmonise import to_2025
from barometer.schema import TableSchema
from barometer.vocabulary import CATEGORIES, CELLS, COUNT_COLUMNS, DIMENSIONS, GROUPS

BENEFICIARIES_WIDE = TableSchema(
    name="beneficiaries_wide",
    columns={
        "measure": "str",
        "month": "str",
        "municipality_2025": "str",
        **dict.fromkeys(COUNT_COLUMNS, "int"),
    },
    key=("measure", "month", "municipality_2025"),
    doc="harmonised extract, one row per measure, month and 2025 municipality",
)

BENEFICIARIES = TableSchema(
    name="beneficiaries",
    columns={
        "measure": "category",
        "month": "category",
        "municipality_2025": "category",
        "dimension": "category",
        "category": "category",
        "count": "int",
    },
    key=("measure", "month", "municipality_2025", "dimension", "category"),
    doc="long form; count is nullable: NA = no claim received (missing), 0 = true zero",
)


def harmonise_extract(raw: pd.DataFrame, code_map: pd.DataFrame) -> pd.DataFrame:
    """Sum predecessors into 2025 codes per (measure, month); return BENEFICIARIES_WIDE."""
    wide = to_2025(raw, code_map, keys=["measure"], period="month", values=COUNT_COLUMNS)
    wide = wide.rename(columns={"code": "municipality_2025"})
    for c in COUNT_COLUMNS:
        wide[c] = wide[c].astype("Int64")
    return BENEFICIARIES_WIDE.conform(wide)


def to_long(wide: pd.DataFrame) -> pd.DataFrame:
    """Wide (19 count columns) → long BENEFICIARIES, built already in key order (no sort needed)."""
    n, k = len(wide), len(COUNT_COLUMNS)
    values = np.column_stack(
        [wide[c].to_numpy(dtype="float64", na_value=np.nan) for c in COUNT_COLUMNS]
    ).reshape(-1)
    counts = pd.array(values, dtype="Float64").astype("Int64")

    def repeat(col: str) -> pd.Categorical:
        cat = pd.Categorical(wide[col])
        return pd.Categorical.from_codes(np.repeat(cat.codes, k), categories=cat.categories)

    cells = list(CELLS.values())
    dim_codes = np.tile([DIMENSIONS.index(d) for d, _ in cells], n)
    cat_codes = np.tile(np.arange(k), n)
    out = pd.DataFrame(
        {
            "measure": repeat("measure"),
            "month": repeat("month"),
            "municipality_2025": repeat("municipality_2025"),
            "dimension": pd.Categorical.from_codes(dim_codes, categories=DIMENSIONS),
            "category": pd.Categorical.from_codes(cat_codes, categories=CATEGORIES),
            "count": counts,
        }
    )
    # the wide key is unique and sorted (validated), and cells repeat in a fixed order, so the
    # long key is unique and sorted by construction; checking 11M rows again would cost seconds
    return BENEFICIARIES.validate(out, check_sort=False, check_key=False)


def derive(
    wide: pd.DataFrame,
    components: dict[str, tuple[str, ...]],
    groups: dict[str, tuple[str, ...]],
) -> pd.DataFrame:
    """Add the derived measures (dis = ris + empl_dis, …) to BENEFICIARIES_WIDE.

    ``components``: derived code → the measures it sums; ``groups``: derived code → the breakdown
    groups it keeps (the others are left empty, as not collected). A derived row is the cell-by-cell
    sum of its components in the same month and municipality, and missing (NA) when any component
    is missing or has no row there: never a partial sum. A derived measure whose components are not
    all in the extract is left out (an extract of two measures has no DIS).
    """
    present = set(wide.measure.unique())
    keys = ["month", "municipality_2025"]
    parts = [wide]
    for code, comps in components.items():
        if not set(comps) <= present:
            continue
        frames = [wide[wide.measure == c].set_index(keys)[list(COUNT_COLUMNS)] for c in comps]
        index = frames[0].index
        for f in frames[1:]:
            index = index.union(f.index)
        total = frames[0].reindex(index)
        for f in frames[1:]:
            total = total + f.reindex(index)  # Int64: NA when any side is NA
        kept = {c for g in groups[code] for c in GROUPS[g]} | {"total"}
        for c in COUNT_COLUMNS:
            if c not in kept:
                total[c] = pd.array([pd.NA] * len(total), dtype="Int64")
        parts.append(total.reset_index().assign(measure=code))
    if len(parts) == 1:
        return wide
    return BENEFICIARIES_WIDE.conform(pd.concat(parts, ignore_index=True))
