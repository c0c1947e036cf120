"""Put history on today's (2025) municipalities by summing predecessors.

Input:  a table keyed on (keys…, period, code) with the code valid in that period, and CODE_MAP.
Output: the same values keyed on (keys…, period, code_2025).

Rules (they carry the meaning of the numbers):
- a 2025 municipality appears in a period when at least one of its predecessors has a row there;
- its value is the sum of its predecessors valid in that period, and is missing (NA) when any of
  them has no row or a missing value: a partial sum is never published as if complete;
- ratios are never summed: callers sum numerators and denominators and divide afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def members(code_map: pd.DataFrame, periods: pd.Series) -> pd.DataFrame:
    """Every (period, code, code_2025) with the code valid in the period (period = 'YYYY-MM')."""
    per = pd.DataFrame({"period": pd.unique(periods)})
    cm = code_map[["code", "code_2025", "valid_from", "valid_to"]]
    both = per.merge(cm, how="cross")
    valid = (both.valid_from <= both.period) & (both.period <= both.valid_to)
    return both.loc[valid, ["period", "code", "code_2025"]].reset_index(drop=True)


def to_2025(
    df: pd.DataFrame,
    code_map: pd.DataFrame,
    *,
    keys: Sequence[str] = (),
    period: str,
    month_of: str | None = None,
    values: Sequence[str],
) -> pd.DataFrame:
    """Sum ``values`` of predecessors into 2025 codes per (keys…, period); see module rules.

    ``df`` has columns ``keys``, ``period``, ``code`` and ``values``. ``month_of`` maps the period
    to the month in which validity is checked: for a yearly period 'YYYY' use '-01' (1 January).
    Returns columns keys…, period, code (the 2025 code), values (nullable), sorted.
    """
    keys = list(keys)
    values = list(values)
    work = df[keys + [period, "code"] + values].copy()
    work["_month"] = work[period].astype(str) + (month_of or "")
    mem = members(code_map, work["_month"]).rename(columns={"period": "_month"})
    # which (keys, month) exist at all, and which 2025 codes have at least one row in them
    present = work[keys + ["_month", "code"]].merge(mem, on=["_month", "code"], how="left")
    unknown = present.code_2025.isna()
    if unknown.any():
        bad = present.loc[unknown, ["_month", "code"]].iloc[0].tolist()
        raise ValueError(
            f"code {bad[1]} is not valid in {bad[0]} (validate inputs before harmonising)"
        )
    # a 2025 code with one member in a month is that member's row, as it is (most of them)
    size = mem.groupby(["_month", "code_2025"], sort=False).code.transform("size")
    alone = mem.loc[size.to_numpy() == 1, ["_month", "code"]].assign(_alone=True)
    single = (
        present[["_month", "code"]]
        .merge(alone, on=["_month", "code"], how="left")
        ._alone.notna()
        .to_numpy()
    )
    direct = work.loc[single].assign(code=present.code_2025.to_numpy()[single])
    # the others: the sum of their members, missing when a member is
    work = work.loc[~single]
    groups = present.loc[~single, keys + ["_month", "code_2025"]].drop_duplicates()
    expected = groups.merge(mem, on=["_month", "code_2025"])
    full = expected.merge(work, on=keys + ["_month", "code"], how="left")
    gkeys = keys + ["_month", "code_2025"]
    summed = full.groupby(gkeys, sort=True, observed=True)[values].sum(min_count=1)
    incomplete = (
        full.assign(**{v: full[v].isna() for v in values})
        .groupby(gkeys, sort=True, observed=True)[values]
        .any()
    )
    out = summed.mask(incomplete).reset_index()
    period_of = work[["_month", period]].drop_duplicates().set_index("_month")[period]
    out[period] = out["_month"].map(period_of)
    out = out.rename(columns={"code_2025": "code"})
    out = pd.concat([direct[out.columns], out], ignore_index=True) if len(out) else direct
    return (
        out[keys + [period, "code"] + values]
        .sort_values(keys + [period, "code"])
        .reset_index(drop=True)
    )
