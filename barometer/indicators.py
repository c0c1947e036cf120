"""Stage 3: the indicator table, for every level, computed over whole tables at once.

Inputs:  the canonical tables (BENEFICIARIES_WIDE, POPULATION, ENTITIES, extract metadata).
Output:  INDICATORS, one tidy table with columns
         geo_code, geo_level, measure, period, period_type, indicator, dimension, category, value, flag
         for Belgium (01000), 3 regions, 10 provinces, 43 arrondissements and 565 municipalities,
         monthly (YYYY-MM) and yearly (YYYY, annual average of the monthly counts).

Formulas and edge cases are documented in docs/indicators.md. In short:
- only stable months are used: for a measure with ``stable_after_months`` = s, months up to the
  extract month minus s (ris: 2026-07 for an extract of 2026-11);
- higher levels are sums of their 2025 municipalities; rates are recomputed from summed counts
  and summed populations, never averaged; a level that lacks a member is flagged ``incomplete``;
- the yearly count is the annual average of the monthly counts over the available months; for a
  higher level, the sum of its members' annual averages;
- the denominator is the population on 1 January of the period's year, else the latest earlier
  year, flagged ``population_year=YYYY`` (``population_years=A-B`` when members mix vintages);
- breakdown cells of 1 to 4 are suppressed with complementary suppression (disclosure.py).

The table is kept to what a reader needs, so that the downloads stay publishable (see
docs/indicators.md, "What is published"): totals-based indicators every month; breakdowns, ranks,
growth and ratios every year and for the last ``RECENT_MONTHS`` published months.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometer.canonical import Canonical
from barometer.catalogue import Catalogue
from barometer.disclosure import CELL_COLUMNS, protect
from barometer.schema import TableSchema
from barometer.sources.extract import ExtractMeta
from barometer.vocabulary import (
    CELLS,
    COUNT_COLUMNS,
    COUNTRY,
    GROUPS,
    HERSTAPPE,
    LEVELS,
    RANKED_LEVELS,
)

log = logging.getLogger(__name__)

RECENT_MONTHS = 13
"""Breakdowns, ranks, growth and ratios are published monthly for this many latest months: a year
back from the latest, both ends included, so that the change on a year of the latest month can be
split by group from published cells (contributions.py)."""
BREAKDOWN_COLUMNS = [c for c in COUNT_COLUMNS if c != "total"]
PROTECTED = ["geo_code", "geo_level", "measure", "period", "total", *CELL_COLUMNS, "n_missing"]
"""The monthly frame's columns that the suppression step reads."""
RATIO_BASE = "ris"
"""``ratio_ris``: a measure that is a subset of this one (the catalogue's ``subset_of``), as a
share of it."""

INDICATOR_NAMES = [
    "count",
    "per_1000",
    "yoy_change",
    "growth_12m",
    "share",
    "ratio_ris",
    "rank_region",
    "rank_country",
    "months",
]
FLAG_ORDER = ["missing", "incomplete", "suppressed", "no_base", "provisional"]
BIT = {name: 1 << i for i, name in enumerate(FLAG_ORDER)}

INDICATORS = TableSchema(
    name="indicators",
    columns={
        "geo_code": "category",
        "geo_level": "category",
        "measure": "category",
        "period": "category",
        "period_type": "category",
        "indicator": "category",
        "dimension": "category",
        "category": "category",
        "value": "float",
        "flag": "category",
    },
    key=("geo_code", "measure", "period_type", "period", "indicator", "dimension", "category"),
    doc="the published indicator table (after the stable-month rule and suppression)",
)


# --- the stable-month rule --------------------------------------------------------------------


def month_index(month: pd.Series | str) -> pd.Series | int:
    """'YYYY-MM' → months since year 0 (vectorised for Series)."""
    if isinstance(month, str):
        return int(month[:4]) * 12 + int(month[5:7]) - 1
    m = month.astype(str)
    return m.str[:4].astype(int) * 12 + m.str[5:7].astype(int) - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def year_before(month: str) -> str:
    """'2026-08' → '2025-08': the same month a year earlier."""
    return month_label(month_index(month) - 12)


def stable_after(meta: ExtractMeta, catalogue: Catalogue) -> dict[str, int]:
    """Per measure, months after which a month is stable: the metadata's figure, else the
    catalogue's (a derived measure: the catalogue's, at least that of each component)."""
    out = dict(meta.stable_after_months)
    for m in catalogue:
        if m.code not in out:
            out[m.code] = max([m.stable_after, *(out.get(c, 0) for c in m.components)])
    return out


def last_published_months(
    meta: ExtractMeta, catalogue: Catalogue, measures: Collection[str] | None = None
) -> dict[str, str]:
    """Per measure (of the extract, or ``measures``), the newest month that is at least its
    stable-after months old at extraction."""
    extract = month_index(meta.extract_month)
    last = month_index(meta.last_month)
    lag = stable_after(meta, catalogue)
    codes = sorted(meta.stable_after_months if measures is None else measures)
    return {m: month_label(min(last, extract - lag[m])) for m in codes}


# --- the internal wide frame --------------------------------------------------------------------


@dataclass
class Frames:
    """Wide frames, one row per (geo, measure, period): counts, populations, member bookkeeping."""

    monthly: pd.DataFrame
    yearly: pd.DataFrame
    last_month: dict[str, str]
    provisional: pd.DataFrame
    """The months after each measure's last stable month (totals only, every level)."""


def population_by_year(population: pd.DataFrame, codes: list[str], years: range) -> pd.DataFrame:
    """(code, year) → population of that year, else of the latest earlier year (with the year used)."""
    want = pd.DataFrame([(c, y) for c in codes for y in years], columns=["code", "year"])
    have = population[["code", "year", "total"]].rename(
        columns={"year": "pop_year", "total": "pop"}
    )
    want = want.sort_values("year")
    have = have.sort_values("pop_year")
    out = pd.merge_asof(
        want, have, left_on="year", right_on="pop_year", by="code", direction="backward"
    )
    out["pop"] = out["pop"].astype("float64")
    return out


def _municipal_monthly(
    canon: Canonical, last_month: dict[str, str], *, provisional: bool = False
) -> pd.DataFrame:
    """The municipalities' monthly counts up to each measure's last stable month, or (with
    ``provisional``) the months after it."""
    wide = canon.beneficiaries_wide
    cutoff = wide.measure.map(last_month)
    keep = wide.month > cutoff if provisional else wide.month <= cutoff
    w = wide[keep].rename(columns={"municipality_2025": "geo_code", "month": "period"})
    counts = {c: w[c].to_numpy(dtype="float64", na_value=np.nan) for c in COUNT_COLUMNS}
    out = pd.DataFrame(
        {
            "measure": w.measure.to_numpy(),
            "period": w.period.to_numpy(),
            "geo_code": w.geo_code.to_numpy(),
            **counts,
        }
    )
    out["year"] = out.period.str[:4].astype(int)
    return out


def _attach_population(frame: pd.DataFrame, canon: Canonical) -> pd.DataFrame:
    codes = sorted(canon.entities.loc[canon.entities.level == "municipality", "code"])
    years = range(int(frame.year.min()), int(frame.year.max()) + 1)
    pop = population_by_year(canon.population, codes, years)
    return frame.merge(
        pop, left_on=["geo_code", "year"], right_on=["code", "year"], how="left"
    ).drop(columns="code")


def _aggregate(muni: pd.DataFrame, canon: Canonical) -> pd.DataFrame:
    """Stack municipalities and every higher level (sums of members) into one wide frame.

    ``muni`` has one row per (measure, period, municipality) with counts (NaN = missing), pop and
    pop_year. Higher levels: counts = sums over reporting members; pop = sum over reporting
    members (plus Herstappe, whose residents are served by a neighbouring OCMW); n_missing =
    members (other than Herstappe) without a value.
    """
    ent = canon.entities.set_index("code")
    munis = ent[ent.level == "municipality"]
    reporting = muni.total.notna()
    m = muni.assign(
        n_reporting=reporting.astype(int),
        pop_counted=muni["pop"].where(reporting, 0.0),
        pop_missing=muni["pop"].where(~reporting, 0.0),
        pop_year_min=muni.pop_year.where(reporting),
        pop_year_max=muni.pop_year.where(reporting),
    )
    # Herstappe never reports; its residents still count in the higher levels' denominators
    h_years = muni[["measure", "period", "year"]].drop_duplicates()
    herstappe = h_years.merge(
        population_by_year(
            canon.population, [HERSTAPPE], range(int(muni.year.min()), int(muni.year.max()) + 1)
        ).drop(columns="code"),
        on="year",
    )
    herstappe = herstappe.assign(geo_code=HERSTAPPE, n_reporting=0, pop_counted=herstappe["pop"])
    expected = munis[munis.index != HERSTAPPE]
    parts = [m.assign(geo_level="municipality", n_missing=(~reporting).astype(int))]
    both = pd.concat([m, herstappe], ignore_index=True)
    sums = dict.fromkeys(COUNT_COLUMNS, "sum")
    for level in ("arrondissement", "province", "region", "country"):
        key = (
            both.geo_code.map(munis[level])
            if level != "country"
            else pd.Series(COUNTRY, index=both.index)
        )
        g = both.assign(_geo=key)
        g = g[g._geo != ""]
        agg = g.groupby(["measure", "period", "_geo"], sort=False).agg(
            **{c: (c, "sum") for c in sums},
            n_reporting=("n_reporting", "sum"),
            pop=("pop_counted", "sum"),
            pop_missing=("pop_missing", "sum"),
            pop_year_min=("pop_year_min", "min"),
            pop_year_max=("pop_year_max", "max"),
            year=("year", "first"),
        )
        agg = agg.reset_index().rename(columns={"_geo": "geo_code"})
        n_members = (
            expected[level] if level != "country" else pd.Series(COUNTRY, index=expected.index)
        ).value_counts()
        agg["n_missing"] = agg.geo_code.map(n_members).astype(int) - agg.n_reporting
        # a level with no reporting member at all has no value (not zero)
        none = agg.n_reporting == 0
        agg.loc[none, list(COUNT_COLUMNS)] = np.nan
        agg["geo_level"] = level
        parts.append(agg)
    out = pd.concat(parts, ignore_index=True)
    out["pop_year_min"] = out.pop_year_min.fillna(out.pop_year)
    out["pop_year_max"] = out.pop_year_max.fillna(out.pop_year)
    share = out.pop_missing / (out["pop"] + out.pop_missing)
    out["missing_share"] = share.where(out.geo_level != "municipality", 0.0).fillna(0.0)
    keep = [
        "missing_share",
        "geo_code",
        "geo_level",
        "measure",
        "period",
        "year",
        *COUNT_COLUMNS,
        "pop",
        "pop_year_min",
        "pop_year_max",
        "n_missing",
    ]
    return out[keep]


def _municipal_yearly(monthly_muni: pd.DataFrame) -> pd.DataFrame:
    """Annual average of the available monthly counts per municipality; months = how many."""
    g = monthly_muni.assign(period=monthly_muni.year.astype(str)).groupby(
        ["measure", "period", "geo_code"], sort=False
    )
    out = g[list(COUNT_COLUMNS)].mean()
    out["months"] = g.total.count()
    out["year"] = g.year.first()
    out = out.reset_index()
    return out


def build_frames(canon: Canonical) -> Frames:
    """The monthly and yearly wide frames for every level (and the provisional months)."""
    last = last_published_months(
        canon.meta, canon.catalogue, canon.beneficiaries_wide.measure.unique()
    )
    muni_m = _attach_population(_municipal_monthly(canon, last), canon)
    monthly = _aggregate(muni_m, canon)
    muni_p = _municipal_monthly(canon, last, provisional=True)
    provisional = _aggregate(_attach_population(muni_p, canon), canon) if len(muni_p) else None
    muni_y = _attach_population(_municipal_yearly(muni_m), canon)
    # months used: a municipality's own count of months with data; a higher level's = the
    # published months of that year (members missing a month are carried by their own average)
    published = (
        muni_m[["measure", "period", "year"]].drop_duplicates().groupby(["measure", "year"]).size()
    )
    yearly = _aggregate(muni_y.drop(columns="months"), canon)
    muni_months = muni_y.set_index(["measure", "period", "geo_code"]).months
    own = pd.MultiIndex.from_frame(yearly[["measure", "period", "geo_code"]])
    yearly["months"] = np.where(
        yearly.geo_level == "municipality",
        muni_months.reindex(own).to_numpy(dtype="float64", na_value=np.nan),
        pd.MultiIndex.from_frame(yearly[["measure", "year"]])
        .map(published)
        .to_numpy(dtype="float64"),
    )
    yearly["published_months"] = (
        pd.MultiIndex.from_frame(yearly[["measure", "year"]])
        .map(published)
        .to_numpy(dtype="float64")
    )
    return Frames(
        monthly=monthly,
        yearly=yearly,
        last_month=last,
        provisional=provisional if provisional is not None else monthly.iloc[:0],
    )


AVERAGE_DECIMALS = 1
"""Annual averages of counts are published to one decimal: every indicator of a year (rates,
shares, changes, ratios) is computed from the rounded averages, so none carries more."""


def round_averages(yearly: pd.DataFrame) -> pd.DataFrame:
    """The yearly frame with its counts (annual averages) rounded to ``AVERAGE_DECIMALS``.

    Each level is rounded on its own (a province's average is its exact sum, rounded), so the
    published figures of the levels add up to within the rounding, as a reader is told."""
    cols = list(COUNT_COLUMNS)
    return yearly.assign(**{c: yearly[c].round(AVERAGE_DECIMALS) for c in cols})


# --- indicators on a wide frame -----------------------------------------------------------------


def _base(frame: pd.DataFrame, lag: int, monthly: bool) -> pd.DataFrame:
    """The same frame's total count and incompleteness ``lag`` periods earlier."""
    if monthly:
        shift = {p: month_label(month_index(p) - lag) for p in pd.unique(frame.period)}
        key = frame.period.map(shift)
    else:
        key = (frame.year - lag).astype(str)
    prev = frame[["geo_code", "measure", "period", "total", "n_missing"]].rename(
        columns={"period": "base_period", "total": "base_total", "n_missing": "base_missing"}
    )
    left = pd.DataFrame({"geo_code": frame.geo_code, "measure": frame.measure, "base_period": key})
    return left.merge(prev, on=["geo_code", "measure", "base_period"], how="left")


def _ratio(num: object, den: object) -> np.ndarray:
    """num / den where den > 0, else NaN (no warnings, no infinities)."""
    n = np.asarray(num, dtype="float64")
    d = np.asarray(den, dtype="float64")
    out = np.full(n.shape, np.nan)
    np.divide(n, d, out=out, where=d > 0)
    return out


def compute_columns(
    frame: pd.DataFrame, entities: pd.DataFrame, monthly: bool, subsets: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Add per_1000, yoy_change, growth_12m, shares, ratio_ris and ranks as columns.

    ``subsets``: the measures that are subsets of ris (their ``ratio_ris`` is published).
    """
    f = frame.reset_index(drop=True)
    new: dict[str, np.ndarray] = {}  # added at once: a column at a time fragments the frame
    per_1000 = _ratio(f.total, f["pop"]) * 1000.0
    new["per_1000"] = per_1000
    base = _base(f, 12 if monthly else 1, monthly)
    ratio = _ratio(f.total, base.base_total)
    new["yoy_change"] = ratio - 1.0
    new["growth_12m"] = np.power(ratio, 1.0 / 12.0) - 1.0 if monthly else np.full(len(f), np.nan)
    new["base_ok"] = (base.base_total > 0).to_numpy()
    new["base_incomplete"] = (base.base_missing.fillna(0) > 0).to_numpy()
    total = f.total.to_numpy(dtype="float64", na_value=np.nan)
    for _group, cols in GROUPS.items():
        for c in cols:
            new[f"share_{c}"] = _ratio(f[c], total)
    ris = f[f.measure == RATIO_BASE].set_index(["geo_code", "period"]).total
    key = pd.MultiIndex.from_frame(f[["geo_code", "period"]])
    ris_total = ris.reindex(key).to_numpy()
    kept = f.measure.isin(subsets).to_numpy()
    new["ratio_ris"] = np.where(kept, _ratio(total, ris_total), np.nan)
    new["ratio_base_ok"] = ris_total > 0
    new["ratio_kept"] = kept
    region = f.geo_code.map(entities.set_index("code").region)
    ranked = (f.geo_level.isin(RANKED_LEVELS) & ~np.isnan(per_1000)).to_numpy()
    r = f[ranked].assign(per_1000=per_1000[ranked])
    for column, by in (
        ("rank_region", ["measure", "period", "geo_level", region[ranked]]),
        ("rank_country", ["measure", "period", "geo_level"]),
    ):
        rank = np.full(len(f), np.nan)
        rank[ranked] = r.groupby(by).per_1000.rank(ascending=False, method="min").to_numpy()
        new[column] = rank
    return pd.concat([f, pd.DataFrame(new, index=f.index)], axis=1)


# --- the tidy table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    indicator: str
    dimension: str
    category: str
    column: str


def _specs(monthly_full: bool, provisional: bool = False) -> list[Spec]:
    """Which (indicator, dimension, category) rows come from which column. A provisional month
    has its count and rate only: a change against a stable month would read the missing late
    claims as a decline."""
    specs = [
        Spec("count", "total", "total", "total"),
        Spec("per_1000", "total", "total", "per_1000"),
    ]
    if provisional:
        return specs
    specs.append(Spec("yoy_change", "total", "total", "yoy_change"))
    if monthly_full:
        return specs
    specs += [
        Spec("growth_12m", "total", "total", "growth_12m"),
        Spec("ratio_ris", "total", "total", "ratio_ris"),
        Spec("rank_region", "total", "total", "rank_region"),
        Spec("rank_country", "total", "total", "rank_country"),
    ]
    for c in BREAKDOWN_COLUMNS:
        dim, cat = CELLS[c]
        specs.append(Spec("count", dim, cat, c))
        specs.append(Spec("share", dim, cat, f"share_{c}"))
    return specs


def _flags_for(f: pd.DataFrame, spec: Spec, supp: pd.DataFrame, yearly: bool) -> np.ndarray:
    """Bit flags of one spec's rows."""
    n = len(f)
    bits = np.zeros(n, dtype=np.int64)
    missing = f.total.isna().to_numpy()
    bits |= np.where(missing, BIT["missing"], 0)
    incomplete = (f.n_missing > 0).to_numpy().copy()
    if spec.indicator in ("yoy_change", "growth_12m"):
        incomplete |= f.base_incomplete.to_numpy()
        bits |= np.where(~missing & ~f.base_ok.to_numpy(), BIT["no_base"], 0)
    if spec.indicator == "ratio_ris":
        bits |= np.where(
            ~missing & ~f.ratio_base_ok.to_numpy() & f.ratio_kept.to_numpy(),
            BIT["no_base"],
            0,
        )
    if spec.indicator == "share":
        bits |= np.where(~missing & ~(f.total > 0).to_numpy(), BIT["no_base"], 0)
    bits |= np.where(incomplete & ~missing, BIT["incomplete"], 0)
    if spec.dimension != "total":
        bits |= np.where(supp[spec.column.removeprefix("share_")].to_numpy(), BIT["suppressed"], 0)
    return bits


def to_tidy(
    frame: pd.DataFrame,
    *,
    period_type: str,
    monthly_full: bool,
    rows: np.ndarray | None = None,
    supp: pd.DataFrame | None = None,
    provisional: bool = False,
    not_collected: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, np.ndarray]:
    """Tidy rows for one wide frame, as column arrays of category codes.

    ``frame`` carries categorical geo_code, geo_level, measure and period columns (with the
    table-wide categories), so rows are assembled from integer codes, not strings. ``rows``: the
    frame's rows to take (a boolean mask; None: all). ``supp``: the suppression mask of these rows
    (disclosure.protect; row for row, True = hidden), required when breakdowns are published
    (``monthly_full`` False). ``provisional``: the frame holds
    provisional months (count and rate, flagged). ``not_collected``: measure → breakdown groups
    not collected for it, which get no row at all.
    """
    f = frame
    n = len(f)
    take = np.ones(n, dtype=bool) if rows is None else rows
    if supp is None:
        if not monthly_full:
            raise ValueError("to_tidy: breakdowns are published, a suppression mask is required")
        supp = pd.DataFrame(False, index=f.index, columns=list(CELL_COLUMNS))
    elif rows is not None:  # the mask on the frame's rows (False for the rows not taken)
        if len(supp) != int(take.sum()):
            raise ValueError(f"to_tidy: mask of {len(supp)} rows for {int(take.sum())} rows")
        full = np.zeros((n, len(supp.columns)), dtype=bool)
        full[take] = supp.to_numpy(dtype=bool)
        supp = pd.DataFrame(full, index=f.index, columns=supp.columns)
    if len(supp) != n:
        raise ValueError(f"to_tidy: mask of {len(supp)} rows for a frame of {n}")
    yearly = period_type == "year"
    specs = _specs(monthly_full, provisional)
    if yearly:
        specs = specs + [Spec("months", "total", "total", "months")]
    year = f.year.to_numpy()
    pmin = f.pop_year_min.fillna(0).to_numpy().astype(np.int64)
    pmax = f.pop_year_max.fillna(0).to_numpy().astype(np.int64)
    pop_flag = (pmin > 0) & ((pmin < year) | (pmax < year))
    months = (
        f.months.fillna(0).to_numpy().astype(np.int64) if yearly else np.zeros(n, dtype=np.int64)
    )
    partial = months < 12 if yearly else np.zeros(n, dtype=bool)
    hidden = BIT["missing"] | BIT["suppressed"] | BIT["no_base"]
    base_codes = {
        c: f[c].cat.codes.to_numpy() for c in ("geo_code", "geo_level", "measure", "period")
    }
    out: dict[str, list[np.ndarray]] = {
        k: [] for k in (*base_codes, "indicator", "dimension", "category", "value", "flag_key")
    }
    for spec in specs:
        value = f[spec.column].to_numpy(dtype="float64", na_value=np.nan)
        bits = _flags_for(f, spec, supp, yearly)
        if spec.indicator == "ratio_ris":
            keep = f.ratio_kept.to_numpy()
        elif spec.indicator.startswith("rank_"):
            keep = f.geo_level.isin(RANKED_LEVELS).to_numpy()
        else:
            keep = np.ones(n, dtype=bool)
        keep = keep & take
        absent = [m for m, groups in (not_collected or {}).items() if spec.dimension in groups]
        if absent:
            keep = keep & ~f.measure.isin(absent).to_numpy()
        if provisional:
            bits = bits | BIT["provisional"]
        value = np.where(bits & hidden, np.nan, value)
        uses_pop = spec.indicator in ("per_1000", "rank_region", "rank_country")
        p0 = np.where(uses_pop & pop_flag, pmin, 0)
        p1 = np.where(uses_pop & pop_flag, pmax, 0)
        mo = np.where(partial, months, 0)
        key = bits | (p0 << 8) | (p1 << 20) | (mo << 32)
        k = int(keep.sum())
        for c, codes in base_codes.items():
            out[c].append(codes[keep])
        out["indicator"].append(np.full(k, INDICATOR_NAMES.index(spec.indicator), dtype=np.int8))
        out["dimension"].append(np.full(k, DIMENSION_NAMES.index(spec.dimension), dtype=np.int8))
        out["category"].append(np.full(k, CATEGORY_NAMES.index(spec.category), dtype=np.int8))
        out["value"].append(value[keep])
        out["flag_key"].append(key[keep])
    arrays = {c: np.concatenate(v) for c, v in out.items()}
    arrays["period_type"] = np.full(
        len(arrays["value"]), PERIOD_TYPES.index(period_type), dtype=np.int8
    )
    return arrays


def _flag_label(key: int) -> str:
    bits, pmin, pmax, months = key & 0xFF, (key >> 8) & 0xFFF, (key >> 20) & 0xFFF, key >> 32
    parts = [name for name in FLAG_ORDER if bits & BIT[name]]
    if pmin:
        parts.append(
            f"population_year={pmin}" if pmin == pmax else f"population_years={pmin}-{pmax}"
        )
    if months:
        parts.append(f"months={months}")
    return ";".join(parts)


DIMENSION_NAMES = ["total", *GROUPS]
CATEGORY_NAMES = [cat for _, cat in CELLS.values()]
PERIOD_TYPES = ["month", "year"]


@dataclass
class IndicatorResult:
    table: pd.DataFrame
    last_month: dict[str, str]
    report: dict
    incomplete: pd.DataFrame


def compute_indicators(canon: Canonical) -> IndicatorResult:
    """The whole published indicator table and the build report's indicator section."""
    frames = build_frames(canon)
    ent = canon.entities
    subsets = tuple(m for m, whole in canon.catalogue.subsets().items() if whole == RATIO_BASE)
    recent_from = {
        m: month_label(month_index(last) - RECENT_MONTHS + 1)
        for m, last in frames.last_month.items()
    }
    fm = frames.monthly
    recent = (fm.period.astype(str) >= fm.measure.astype(str).map(recent_from)).to_numpy()
    cells = fm[PROTECTED]  # what the suppression reads: fewer columns to slice
    # one suppression step over everything published at once, on the unrounded counts
    protection = protect(
        frames.yearly,
        cells[recent],
        cells[~recent],
        parents=dict(zip(ent.code.astype(str), ent.parent.fillna("").astype(str), strict=True)),
        headline=frames.last_month,
        derived=canon.catalogue.derived(),
    )
    monthly = compute_columns(fm, ent, monthly=True, subsets=subsets)
    yearly = compute_columns(round_averages(frames.yearly), ent, monthly=False, subsets=subsets)
    prov = frames.provisional.assign(
        per_1000=_ratio(frames.provisional.total, frames.provisional["pop"]) * 1000.0
    )
    cats = _categories(ent, pd.concat([monthly, prov]), yearly)
    monthly, yearly = _as_categories(monthly, cats), _as_categories(yearly, cats)
    prov = _as_categories(prov, cats)
    nc = canon.catalogue.not_collected()
    parts = [
        to_tidy(monthly, period_type="month", monthly_full=True, rows=~recent),
        to_tidy(
            monthly,
            period_type="month",
            monthly_full=False,
            rows=recent,
            supp=protection.monthly,
            not_collected=nc,
        ),
        to_tidy(
            yearly, period_type="year", monthly_full=False, supp=protection.yearly, not_collected=nc
        ),
        to_tidy(prov, period_type="month", monthly_full=True, provisional=True),
    ]
    last_month = frames.last_month
    report: dict[str, object] = {
        "last_published_month": last_month,
        "recent_detail_from": recent_from,
        "incomplete": _incomplete_report(monthly, yearly),
        "disclosure": {k: v for k, v in protection.report.items() if k != "seconds"},
    }
    incomplete = incomplete_entities(monthly, yearly)
    # the wide frames are not needed any more: let them go before the table is assembled
    del frames, fm, cells, monthly, yearly, prov, protection
    table = _finalise(parts, cats)
    report["rows"] = len(table)
    return IndicatorResult(table=table, last_month=last_month, report=report, incomplete=incomplete)


def _categories(
    entities: pd.DataFrame, monthly: pd.DataFrame, yearly: pd.DataFrame
) -> dict[str, list[str]]:
    level_order = {lv: i for i, lv in enumerate(LEVELS)}
    codes = (
        entities.assign(o=entities.level.map(level_order)).sort_values(["o", "code"]).code.tolist()
    )
    periods = sorted(set(monthly.period.unique()) | set(yearly.period.unique()))
    return {
        "geo_code": codes,
        "geo_level": list(LEVELS),
        "measure": sorted(monthly.measure.unique()),
        "period": periods,
    }


def _as_categories(frame: pd.DataFrame, cats: dict[str, list[str]]) -> pd.DataFrame:
    """The frame with these columns as categoricals of the table-wide categories (a value that
    is not among them becomes NA)."""
    return frame.assign(**{c: _recode(frame[c], categories) for c, categories in cats.items()})


def _recode(values: pd.Series, categories: list[str]) -> pd.Categorical:
    """``pd.Categorical(values.astype(str), categories)``, from the codes of the distinct values
    (a string per row costs seconds on the monthly frame)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes, uniques = values.cat.codes.to_numpy(), pd.Index(values.cat.categories)
    else:
        codes, uniques = pd.factorize(values)
    where = np.append(pd.Index(categories).get_indexer(pd.Index(uniques).astype(str)), -1)
    return pd.Categorical.from_codes(where[codes], categories=categories)


def _finalise(parts: list[dict[str, np.ndarray]], cats: dict[str, list[str]]) -> pd.DataFrame:
    """Concatenate, label flags, sort by the key with lexsort, and check the key is unique.
    ``parts`` is emptied as it goes (each column's pieces let go once joined), and each column is
    sorted in its turn: the peak holds about one copy of the table, not three."""
    cols = {c: np.concatenate([p.pop(c) for p in parts]) for c in list(parts[0])}
    flag_codes, flag_keys = pd.factorize(cols.pop("flag_key"), sort=True)
    order_cols = [
        "geo_code",
        "measure",
        "period_type",
        "period",
        "indicator",
        "dimension",
        "category",
    ]
    order = np.lexsort([cols[c] for c in reversed(order_cols)])
    for c in cols:
        cols[c] = cols[c][order]
    flag_codes = flag_codes[order]
    same = np.ones(len(order) - 1, dtype=bool)
    for c in order_cols:
        same &= cols[c][1:] == cols[c][:-1]
    if same.any():
        raise AssertionError(f"indicator key not unique at row {int(np.flatnonzero(same)[0])}")
    labels = [_flag_label(int(k)) for k in flag_keys]
    names = {
        "indicator": INDICATOR_NAMES,
        "dimension": DIMENSION_NAMES,
        "category": CATEGORY_NAMES,
        "period_type": PERIOD_TYPES,
        **cats,
    }
    table = pd.DataFrame(
        {
            c: (
                cols[c] if c == "value" else pd.Categorical.from_codes(cols[c], categories=names[c])
            )
            for c in list(INDICATORS.columns)[:-1]  # every column but the flag, added below
        }
    )
    table["flag"] = pd.Categorical.from_codes(flag_codes, categories=labels)
    return INDICATORS.validate(table, check_sort=False, check_key=False)


def incomplete_entities(monthly: pd.DataFrame, yearly: pd.DataFrame) -> pd.DataFrame:
    """Every higher-level (entity, measure, period) that lacks members: how many, and their share
    of the entity's population (charts leave out points where that share is large)."""
    parts = []
    for ptype, f in (("month", monthly), ("year", yearly)):
        inc = f[(f.geo_level.astype(str) != "municipality") & (f.n_missing > 0)]
        parts.append(
            inc[["geo_code", "geo_level", "measure", "period"]]
            .astype(str)
            .assign(
                period_type=ptype,
                missing_members=inc.n_missing.astype(int).to_numpy(),
                missing_population_share=inc.missing_share.round(4).to_numpy(),
            )
        )
    out = pd.concat(parts, ignore_index=True)
    return out.sort_values(["geo_code", "measure", "period_type", "period"]).reset_index(drop=True)


def _incomplete_report(monthly: pd.DataFrame, yearly: pd.DataFrame) -> list[dict]:
    """Higher-level periods that lack members: how many members are missing."""
    rows = []
    for ptype, f in (("month", monthly), ("year", yearly)):
        inc = f[(f.geo_level != "municipality") & (f.n_missing > 0)]
        for (level, measure), g in inc.groupby(["geo_level", "measure"]):
            rows.append(
                {
                    "period_type": ptype,
                    "geo_level": level,
                    "measure": measure,
                    "periods": int(g.period.nunique()),
                    "entity_periods": len(g),
                    "max_missing_members": int(g.n_missing.max()),
                }
            )
    return rows
