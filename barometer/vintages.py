"""Two vintages of the extract: how late claims revise the recent months.

Inputs:  the current vintage (BENEFICIARIES_WIDE, its metadata) and the previous one's totals
         (PREVIOUS_TOTALS, its metadata), the catalogue, each measure's last stable month.
Outputs: REVISIONS — for the previous vintage's last ``REVISION_MONTHS`` months, the national
         count in the previous vintage and in this one, the revision, and the month's status now;
         COMPLETENESS — per measure and lag (months between a month and its extract), the share
         of its final count that a month usually holds, estimated from the two vintages.

The estimate (docs/indicators.md, "Provisional months"): a month at lag L in the previous vintage
is at lag L + 1 in this one, so r(L) = previous / current estimates c(L) / c(L + 1), the ratio of
the completeness at the two lags. A month far enough back is final (c = 1), so c(L) is the product
of r(k) for k = L … K, where K is the oldest lag both vintages hold. A measure the previous vintage
does not hold (new measures, derived ones) borrows the estimate of the first measure of its claim
family that it holds with the same stable-after months: late claims arrive per claim, so the
members of a family share their lag (SCHEMA.md). Where there is none, no share is stated.
National totals sum the municipalities that reported (as the indicator table does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from barometer.catalogue import Catalogue
from barometer.schema import TableSchema
from barometer.sources.extract import ExtractMeta, month_index, month_label

REVISION_MONTHS = 12
"""Months of the revision table on each measure page."""

REVISIONS = TableSchema(
    name="revisions",
    columns={
        "measure": "str",
        "month": "str",
        "previous": "float",
        "current": "float",
        "revision": "float",
        "status": "str",
    },
    key=("measure", "month"),
    doc="national count of a month in the previous and this vintage; revision = current / previous - 1",
)
COMPLETENESS = TableSchema(
    name="completeness",
    columns={"measure": "str", "lag": "int", "share": "float", "basis": "str"},
    key=("measure", "lag"),
    doc="share of its final count a month holds at a lag (months), estimated from two vintages; basis = the measure the estimate comes from",
)


@dataclass(frozen=True)
class Vintages:
    """What two vintages tell: the revisions and the usual completeness of recent months."""

    extract_date: str
    previous_date: str | None
    revisions: pd.DataFrame
    completeness: pd.DataFrame
    shares: dict[tuple[str, int], float] = field(default_factory=dict)
    """COMPLETENESS as (measure, lag) → share, for lookups by the pages."""

    def __post_init__(self) -> None:
        c = self.completeness
        shares = {
            (str(m), int(lag)): float(v)
            for m, lag, v in zip(c.measure, c.lag, c.share, strict=True)
        }
        object.__setattr__(self, "shares", shares)

    def share(self, measure: str, month: str, extract_month: str) -> float | None:
        """The usual share of its final count that ``month`` holds in this vintage."""
        return self.shares.get((measure, month_index(extract_month) - month_index(month)))


def _national(wide: pd.DataFrame) -> pd.Series:
    """(measure, month) → the sum of the municipalities that reported."""
    t = wide[["measure", "month", "total"]].copy()
    t["total"] = t.total.astype("float64")
    return t.groupby(["measure", "month"], sort=True).total.sum(min_count=1)


def compare_vintages(
    current: pd.DataFrame,
    meta: ExtractMeta,
    previous: pd.DataFrame,
    previous_meta: ExtractMeta | None,
    catalogue: Catalogue,
    last_stable: dict[str, str],
    stable_after: dict[str, int],
) -> Vintages:
    """REVISIONS and COMPLETENESS (both empty without a previous vintage)."""
    if previous_meta is None or previous.empty:
        return Vintages(
            meta.extract_date,
            None,
            REVISIONS.conform(pd.DataFrame(columns=list(REVISIONS.columns))),
            COMPLETENESS.conform(pd.DataFrame(columns=list(COMPLETENESS.columns))),
        )
    now = _national(current)
    before = _national(previous)
    last = month_index(previous_meta.last_month)
    rows = []
    for measure in sorted(set(before.index.get_level_values(0)) & set(last_stable)):
        for i in range(last - REVISION_MONTHS + 1, last + 1):
            month = month_label(i)
            p, c = before.get((measure, month)), now.get((measure, month))
            rows.append(
                {
                    "measure": measure,
                    "month": month,
                    "previous": p,
                    "current": c,
                    "revision": c / p - 1.0 if p and c == c and p == p else float("nan"),
                    "status": "stable" if month <= last_stable[measure] else "provisional",
                }
            )
    revisions = REVISIONS.conform(pd.DataFrame(rows, columns=list(REVISIONS.columns)))

    prev_extract = month_index(previous_meta.extract_month)
    oldest = prev_extract - month_index(previous.month.min())
    own: dict[str, dict[int, float]] = {}
    for measure in sorted(set(before.index.get_level_values(0))):
        ratio = {}
        for lag in range(1, oldest + 1):
            month = month_label(prev_extract - lag)
            p, c = before.get((measure, month)), now.get((measure, month))
            if p is None or c is None or not c > 0 or p != p:
                break
            ratio[lag] = p / c
        share, shares = 1.0, {}
        for lag in sorted(ratio, reverse=True):
            share *= ratio[lag]
            shares[lag] = share
        own[measure] = shares
    out = []
    for m in catalogue:
        basis = m.code if m.code in own else None
        if basis is None:
            basis = next(
                (
                    o.code
                    for o in catalogue
                    if o.code in own
                    and o.family == m.family
                    and stable_after.get(o.code) == stable_after.get(m.code)
                ),
                None,
            )
        if basis is None or m.code not in stable_after:
            continue
        for lag in range(1, stable_after[m.code]):
            if lag in own[basis]:
                out.append(
                    {"measure": m.code, "lag": lag, "share": own[basis][lag], "basis": basis}
                )
    completeness = COMPLETENESS.conform(pd.DataFrame(out, columns=list(COMPLETENESS.columns)))
    return Vintages(meta.extract_date, previous_meta.extract_date, revisions, completeness)
