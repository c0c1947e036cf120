"""Reconciliation of computed national and regional figures with the published totals.

Inputs:  PUBLISHED_TOTALS and the indicator table.
Output:  RECONCILIATION: for every published figure of integration-income (ris) beneficiaries
         of Belgium or a region that the extract covers — annual averages of monthly counts,
         averages over a range of months, single months — the computed value, the published
         value and the relative difference. ``checked`` rows (annual averages, the
         publisher's headline convention) fail a ``--strict`` build beyond ``STRICT_TOLERANCE``.
"""

from __future__ import annotations

import pandas as pd

from barometer.schema import TableSchema

STRICT_TOLERANCE = 0.02
RIS_MEASURES = ("RI (leefloon) beneficiaries", "RI beneficiaries")
KINDS = {
    "annual_average_of_monthly_counts": "annual_average",
    "average_of_monthly_counts": "average_of_months",
    "month": "month",
}

RECONCILIATION = TableSchema(
    name="reconciliation",
    columns={
        "geo_code": "str",
        "geo_name": "str",
        "period": "str",
        "kind": "str",
        "computed": "float",
        "published": "float",
        "relative_difference": "float",
        "checked": "bool",
        "source_url": "str",
        "line": "int",
    },
    key=("line",),
    sort=("geo_code", "period", "line"),
    doc="one row per comparable published figure; relative_difference = computed / published - 1",
)


def _months(period: str) -> list[str]:
    start, _, end = period.partition("..")
    y0, m0 = int(start[:4]), int(start[5:7])
    y1, m1 = int(end[:4]), int(end[5:7])
    return [
        f"{y:04d}-{m:02d}"
        for y in range(y0, y1 + 1)
        for m in range(1, 13)
        if (y0, m0) <= (y, m) <= (y1, m1)
    ]


def reconcile(totals: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    pub = totals[
        totals.level.isin(["country", "region"])
        & totals.measure.isin(RIS_MEASURES)
        & totals.period_type.isin(list(KINDS))
        & totals.persons.notna()
    ]
    sel = table[
        (table.measure == "ris")
        & (table.indicator == "count")
        & (table.dimension == "total")
        & table.geo_level.isin(["country", "region"])
    ]
    values = {
        (str(g), str(p), str(t)): v
        for g, p, t, v in zip(sel.geo_code, sel.period, sel.period_type, sel.value, strict=True)
    }
    rows = []
    for r in pub.itertuples():
        kind = KINDS[r.period_type]
        period = str(r.period)
        if kind == "annual_average":
            computed = values.get((r.code, period[:4], "year"))
        elif kind == "month":
            computed = values.get((r.code, period[:7], "month"))
        else:
            vs = [values.get((r.code, m, "month")) for m in _months(period)]
            known = [v for v in vs if v is not None]
            computed = sum(known) / len(vs) if vs and len(known) == len(vs) else None
        if computed is None or pd.isna(computed):
            continue  # outside the published months of the extract (e.g. 2003)
        rows.append(
            {
                "geo_code": r.code,
                "geo_name": r.name,
                "period": period,
                "kind": kind,
                "computed": float(computed),
                "published": float(r.persons),
                "relative_difference": float(computed) / float(r.persons) - 1.0,
                "checked": kind == "annual_average",
                "source_url": r.source_url,
                "line": int(r.line),
            }
        )
    return RECONCILIATION.conform(pd.DataFrame(rows, columns=list(RECONCILIATION.columns)))


def strict_failures(rec: pd.DataFrame) -> pd.DataFrame:
    return rec[rec.checked & (rec.relative_difference.abs() > STRICT_TOLERANCE)]
