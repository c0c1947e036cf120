"""Reconciliation of computed national and regional figures with the published totals.

Inputs:  PUBLISHED_TOTALS and the indicator table.
Output:  RECONCILIATION: for every published figure of Belgium or a region that the extract
         covers — integration-income (ris) beneficiaries and employment through the OCMW/CPAS
         (empl_dis + empl_das) as annual averages of monthly counts, averages over a range of
         months or single months, and ris beneficiaries as a share of the population — the
         computed value, the published value, the relative difference and whether the computed
         value rounds to the printed one. ``checked`` rows (annual averages of counts, the
         publisher's headline convention) fail a ``--strict`` build beyond ``STRICT_TOLERANCE``;
         shares of the population are reported, never gated (their denominator — the average
         population — is not the 1 January population the barometer uses).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from barometer.schema import TableSchema

STRICT_TOLERANCE = 0.02
RIS_MEASURES = ("RI (leefloon) beneficiaries", "RI beneficiaries")
EMPLOYMENT = "Employment through the OCMW/CPAS (tewerkstellingen; art. 60 §7 and art. 61)"
RIS_PERCENT = "RI beneficiaries as % of (average) population"


@dataclass(frozen=True)
class Rule:
    """How a published kind of figure is computed from the indicator table."""

    what: str
    """``ris``, ``employment`` or ``ris_share`` (the page names it)."""
    measures: tuple[str, ...]
    """Summed (every one must have a value)."""
    indicator: str
    scale: float
    """Computed = Σ indicator × scale (per 1000 → per cent: 0.1)."""
    gated: bool


RULES = {
    **{m: Rule("ris", ("ris",), "count", 1.0, True) for m in RIS_MEASURES},
    EMPLOYMENT: Rule("employment", ("empl_dis", "empl_das"), "count", 1.0, True),
    RIS_PERCENT: Rule("ris_share", ("ris",), "per_1000", 0.1, False),
}
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
        "what": "str",
        "period": "str",
        "kind": "str",
        "computed": "float",
        "published": "float",
        "relative_difference": "float",
        "within_rounding": "bool",
        "checked": "bool",
        "source_url": "str",
        "file": "str",
        "line": "int",
    },
    key=("file", "line"),
    sort=("what", "geo_code", "period", "file", "line"),
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
        & totals.measure.isin(list(RULES))
        & totals.period_type.isin(list(KINDS))
        & totals.value.notna()
    ]
    sel = table[
        table.indicator.isin(["count", "per_1000"])
        & (table.dimension == "total")
        & table.geo_level.isin(["country", "region"])
    ]
    values = {
        (str(m), str(i), str(g), str(p), str(t)): v
        for m, i, g, p, t, v in zip(
            sel.measure,
            sel.indicator,
            sel.geo_code,
            sel.period,
            sel.period_type,
            sel.value,
            strict=True,
        )
    }

    def value(rule: Rule, code: str, period: str, ptype: str) -> float | None:
        parts = [values.get((m, rule.indicator, code, period, ptype)) for m in rule.measures]
        if any(v is None or pd.isna(v) for v in parts):
            return None
        return sum(float(v) for v in parts if v is not None) * rule.scale

    rows = []
    for r in pub.itertuples():
        rule = RULES[str(r.measure)]
        kind = KINDS[r.period_type]
        period = str(r.period)
        if kind == "annual_average":
            computed = value(rule, r.code, period[:4], "year")
        elif kind == "month":
            computed = value(rule, r.code, period[:7], "month")
        else:
            vs = [value(rule, r.code, m, "month") for m in _months(period)]
            known = [v for v in vs if v is not None]
            computed = sum(known) / len(vs) if vs and len(known) == len(vs) else None
        if computed is None:
            continue  # outside the published months of the extract (e.g. 2003)
        published = float(r.persons) if rule.indicator == "count" else float(r.value)
        if not published == published:  # a count in a unit that is not persons
            continue
        # half the last printed digit, in the unit compared (76.3 thousand: ± 50 persons)
        half = 0.5 * 10.0 ** -int(r.decimals) * (1000.0 if r.unit == "thousand persons" else 1.0)
        rows.append(
            {
                "geo_code": r.code,
                "geo_name": r.name,
                "what": rule.what,
                "period": period,
                "kind": kind,
                "computed": computed,
                "published": published,
                "relative_difference": computed / published - 1.0,
                "within_rounding": abs(computed - published) <= half + 1e-9,
                "checked": kind == "annual_average" and rule.gated,
                "source_url": r.source_url,
                "file": r.file,
                "line": int(r.line),
            }
        )
    return RECONCILIATION.conform(pd.DataFrame(rows, columns=list(RECONCILIATION.columns)))


def strict_failures(rec: pd.DataFrame) -> pd.DataFrame:
    return rec[rec.checked & (rec.relative_difference.abs() > STRICT_TOLERANCE)]
