"""The page stage's only contact with pandas: the model pivoted once into plain lookups.

Input:  :class:`~barometer.model.Model` (indicator table, canonical tables, neighbours,
        reconciliation, notes' published totals).
Output: :class:`Lookups`: dicts of arrays and plain records, keyed for page building. Building a
        page afterwards is dictionary lookups and formatting, never a pandas call.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from barometer.contributions import Split, split
from barometer.events import Event, load_events
from barometer.indicators import population_by_year, stable_after, year_before
from barometer.model import Model
from barometer.notes import Figure, published_figures
from barometer.pages.types import Sparkline
from barometer.paths import EVENTS_TOML
from barometer.releases import Release
from barometer.smoothing import RecentMonth, recent
from barometer.standing import Standing, standings
from barometer.svgchart import simplify
from barometer.vintages import Vintages
from barometer.vocabulary import COUNTRY, GROUP_CATEGORIES, REGIONS, Measure, Right

SPARK_SIZE = (64, 20)
"""A sparkline's box in CSS pixels (drawn in half pixels: :func:`barometer.svgchart.path_data`)."""
SPARK_YEARS = 10
"""A sparkline shows this many years of stable months up to the latest."""
SPARK_TOLERANCE = 0.5
"""A sparkline's points closer than this (px) to the line through their neighbours go."""

CHART_GAP_SHARE = 0.01
"""A higher-level month whose non-reporting members hold more than 1 % of its population is a gap
in charts (it stays in tables and downloads, flagged ``incomplete``): e.g. Flanders in December
2021, when Antwerpen did not report."""

Cell = tuple[float, str]
"""A published value (NaN when not published) and its flag."""


@dataclass(frozen=True)
class Series:
    """One area's series of one measure: periods with the count and the rate per 1000."""

    periods: list[str]
    count: np.ndarray
    per_1000: np.ndarray


@dataclass(frozen=True)
class Source:
    """An input file as the methodology page lists it."""

    publisher: str
    licence: str
    page: str
    file: str


@dataclass(frozen=True)
class Reconciled:
    """A published figure compared with the one computed from the extract."""

    geo_code: str
    what: str
    """``ris``, ``employment`` (empl_dis + empl_das) or ``ris_share`` (per cent of the population)."""
    period: str
    kind: str
    computed: float
    published: float
    relative_difference: float
    within_rounding: bool
    """The computed value rounds to the printed one."""
    checked: bool
    url: str


@dataclass(frozen=True)
class Extract:
    """What the page stage needs to know about the extract."""

    extract_date: str
    synthetic: bool
    stable_after_months: Mapping[str, int]
    official_names: Mapping[str, Mapping[str, str]]
    """Measure → language → the name the extract's metadata gives."""


@dataclass(frozen=True)
class Lookups:
    """Pivots of the indicator table and plain records, keyed for page building."""

    measures: tuple[Measure, ...]
    """The catalogue's measures that the indicator table holds, in publication order."""
    rights: tuple[Right, ...]
    """The rights of the catalogue (each with its measures, in ``measures``' order)."""
    headline: Measure
    extract: Extract
    entities: dict[str, dict]
    children: dict[str, list[str]]
    monthly: dict[tuple[str, str], Series]
    """(area, measure) → its stable months."""
    events: tuple[Event, ...]
    """The dated events the evolution charts mark (``data/events.toml``)."""
    standings: dict[str, dict[str, Standing]]
    """Measure → municipality → where its latest rate stands among all and against its region
    (:mod:`barometer.standing`)."""
    sparklines: dict[tuple[str, str], Sparkline]
    """(area, measure) → its last :data:`SPARK_YEARS` years of stable months per 1000 (drawn
    once here, not once per language)."""
    recent: dict[tuple[str, str], tuple[RecentMonth, ...]]
    """(area, measure) → its last stable months with their 12-month moving average and a year
    earlier (:mod:`barometer.smoothing`; once here, not once per language)."""
    splits: dict[tuple[str, str], Split]
    """(area, measure) → the latest month's change on a year split by group, from published
    figures only (:mod:`barometer.contributions`; once here, not once per language)."""
    provisional: dict[tuple[str, str], Series]
    """(area, measure) → its provisional months (after the last stable one), if any."""
    vintages: Vintages
    """Revisions against the previous vintage, the usual completeness of recent months."""
    yearly: dict[tuple[str, str], Series]
    latest: dict[tuple[str, str], dict[tuple[str, str, str], Cell]]
    last_month: dict[str, str]
    neighbours: dict[str, list[str]]
    peers: dict[str, list[str]]
    former: list[dict]
    ranked_count: dict[tuple[str, str, str], int]
    gaps: set[tuple[str, str, str]]
    """(geo, measure, month) left out of charts: members with over CHART_GAP_SHARE of the
    population missing."""
    income: dict[str, dict[int, float]]
    """Average net taxable income per declaration: code → year → EUR (municipalities)."""
    cells: dict[tuple[str, str], dict[str, dict[str, list[float]]]]
    """(geo, measure) → 'year'|'month' → 'dim.cat' → breakdown counts (NaN = missing or
    suppressed) aligned on share_years/share_months (the periods with breakdowns)."""
    share_years: list[str]
    share_months: list[str]
    reconciliation: tuple[Reconciled, ...]
    population_years: dict[str, tuple[int, ...]]
    """Region → the years with a population on 1 January for its municipalities."""
    sources: tuple[Source, ...]
    published: dict[tuple[str, str, str], Figure]
    """The published totals a note may quote ((kind, code, year) → figure)."""
    releases: tuple[Release, ...]
    """Past editions archived as releases, newest first."""

    def value(
        self, code: str, measure: str, ind: str, dim: str = "total", cat: str = "total"
    ) -> Cell:
        """The latest published month's value and flag of one cell (NaN and '' if none)."""
        return self.latest.get((code, measure), {}).get((ind, dim, cat), (math.nan, ""))

    def right_name(self, measure: Measure, lang: str) -> str:
        """The name of the right a measure belongs to ('' when the catalogue has none)."""
        return next((r.name[lang] for r in self.rights if r.code == measure.right), "")

    def measure(self, code: str) -> Measure:
        """The catalogue entry of a published measure."""
        return next(m for m in self.measures if m.code == code)

    def chain(self, code: str) -> list[str]:
        """The area and its larger areas up to Belgium: [code, arrondissement, …, 01000]."""
        out = [code]
        while self.entities[out[-1]]["parent"]:
            out.append(self.entities[out[-1]]["parent"])
        return out

    def codes(self, level: str) -> list[str]:
        """Every area of a level, in code order."""
        return [c for c, e in self.entities.items() if e["level"] == level]


def build_lookups(model: Model) -> Lookups:
    """Pivot the model once into the lookups every page is built from."""
    canon, table = model.canon, model.indicators.table
    ent = canon.entities.fillna("")
    entities = {r["code"]: dict(r) for r in ent.to_dict("records")}
    children: dict[str, list[str]] = defaultdict(list)
    for r in entities.values():
        if r["parent"]:
            children[r["parent"]].append(r["code"])
    last = model.indicators.last_month
    flags = table.flag.cat.categories
    provisional = table.flag.cat.codes.isin(
        np.flatnonzero(flags.str.contains("provisional", regex=False))
    ).to_numpy()

    in_latest = np.zeros(len(table), dtype=bool)  # on the categories: no string per row
    for measure, month in last.items():
        in_latest |= ((table.measure == measure) & (table.period == month)).to_numpy()
    latest_rows = table[in_latest & (table.period_type == "month").to_numpy()]
    latest: dict[tuple[str, str], dict] = defaultdict(dict)
    for g, m, ind, dim, cat, v, f in zip(
        latest_rows.geo_code.astype(object),
        latest_rows.measure.astype(object),
        latest_rows.indicator.astype(object),
        latest_rows.dimension.astype(object),
        latest_rows.category.astype(object),
        latest_rows.value.to_numpy(),
        latest_rows.flag.astype(object),
        strict=True,
    ):
        latest[(g, m)][(ind, dim, cat)] = (float(v), f)

    nb = model.neighbours
    cm = canon.code_map
    gone = cm[cm.code != cm.code_2025]
    inc = model.indicators.incomplete
    big = inc[(inc.period_type == "month") & (inc.missing_population_share > CHART_GAP_SHARE)]
    income: dict[str, dict[int, float]] = defaultdict(dict)
    for y, c, v in zip(
        canon.income.year, canon.income.code, canon.income.average_per_declaration, strict=True
    ):
        if v == v:
            income[c][int(y)] = float(v)
    cells, share_periods = _breakdown_counts(table)
    measures = tuple(m for m in canon.catalogue if m.code in last)
    monthly = _series(table, "month", ~provisional)
    municipalities = [c for c, e in entities.items() if e["level"] == "municipality"]
    region_of = {c: entities[c]["region"] for c in municipalities}

    # the population of each latest month's year, once per year (the measures share most)
    populations = {
        y: _populations(canon.population, y) for y in {int(last[m.code][:4]) for m in measures}
    }

    def rate(code: str, measure: str) -> float:
        cells = latest.get((code, measure), {})
        return float(cells.get(("per_1000", "total", "total"), (math.nan, ""))[0])

    return Lookups(
        measures=measures,
        rights=canon.catalogue.rights,
        headline=canon.catalogue.headline,
        extract=Extract(
            extract_date=canon.meta.extract_date,
            synthetic=bool(canon.meta.synthetic),
            stable_after_months=stable_after(canon.meta, canon.catalogue),
            official_names={m: dict(names) for m, names in canon.meta.measures.items()},
        ),
        entities=entities,
        children=dict(children),
        monthly=monthly,
        events=load_events(EVENTS_TOML),
        standings={
            m.code: standings(
                {c: v for c in municipalities if (v := rate(c, m.code)) == v},
                populations[int(last[m.code][:4])],
                region_of,
                {r: rate(r, m.code) for r in REGIONS},
            )
            for m in measures
        },
        sparklines={k: sp for k, s in monthly.items() if (sp := sparkline(s)) is not None},
        recent={
            k: months
            for k, s in monthly.items()
            if k[1] in last and (months := recent(s.periods, s.per_1000.tolist(), last[k[1]]))
        },
        splits=_splits(monthly, cells, share_periods["month"], last, measures),
        provisional={
            k: _after(s, last[k[1]])
            for k, s in _series(table, "month", provisional).items()
            if k[1] in last
        },
        vintages=model.vintages,
        yearly=_series(table, "year"),
        latest=dict(latest),
        last_month=dict(last),
        neighbours={c: list(g.other) for c, g in nb[nb.kind == "neighbour"].groupby("code")},
        peers={
            c: list(g.sort_values("rank").other) for c, g in nb[nb.kind == "peer"].groupby("code")
        },
        former=[dict(r) for r in gone.to_dict("records")],
        ranked_count=_ranked_count(latest_rows, entities),
        gaps=set(zip(big.geo_code, big.measure, big.period, strict=True)),
        income=dict(income),
        cells=cells,
        share_years=share_periods["year"],
        share_months=share_periods["month"],
        reconciliation=tuple(
            Reconciled(
                geo_code=str(r.geo_code),
                what=str(r.what),
                period=str(r.period),
                kind=str(r.kind),
                computed=float(r.computed),
                published=float(r.published),
                relative_difference=float(r.relative_difference),
                within_rounding=bool(r.within_rounding),
                checked=bool(r.checked),
                url=str(r.source_url).split()[0],  # some add "(2021 version of the page)"
            )
            for r in model.reconciliation.itertuples()
        ),
        population_years=_population_years(canon.population, entities),
        sources=tuple(
            Source(s.publisher, s.licence, s.page, s.file)
            for s in (canon.inputs.sources if canon.inputs else ())
        ),
        published=published_figures(canon.published_totals),
        releases=model.releases,
    )


def _splits(
    monthly: dict[tuple[str, str], Series],
    cells: dict[tuple[str, str], dict[str, dict[str, list[float]]]],
    share_months: list[str],
    last: Mapping[str, str],
    measures: tuple[Measure, ...],
) -> dict[tuple[str, str], Split]:
    """The change on a year of each measure's latest month split by group, from published
    figures only: the totals of both months and the breakdown cells published in both (the
    breakdowns are published for the last ``RECENT_MONTHS`` = 13 months, a year back from the
    latest)."""
    column = {p: i for i, p in enumerate(share_months)}
    groups = {m.code: m.groups for m in measures}
    out = {}
    for (code, measure), series in monthly.items():
        month = last.get(measure)
        by_dim = cells.get((code, measure), {}).get("month", {})
        if month is None or not by_dim:
            continue
        before = year_before(month)
        i_now, i_before = _position(series.periods, month), _position(series.periods, before)
        if not {month, before} <= column.keys() or i_now is None or i_before is None:
            continue
        dims = {d: c for d, c in GROUP_CATEGORIES.items() if d in groups[measure]}
        now, then = column[month], column[before]
        s = split(
            float(series.count[i_now]),
            float(series.count[i_before]),
            _counts(by_dim, dims, now),
            _counts(by_dim, dims, then),
        )
        if s is not None:
            out[code, measure] = s
    return out


def _position(periods: list[str], month: str) -> int | None:
    """Where a month stands in a series' sorted periods (None: not there)."""
    i = bisect_left(periods, month)
    return i if i < len(periods) and periods[i] == month else None


def _counts(
    by_dim: dict[str, list[float]], dims: Mapping[str, tuple[str, ...]], i: int
) -> dict[str, dict[str, float]]:
    """Dimension → category → the published count at column ``i`` (NaN: hidden or missing)."""
    return {
        dim: {
            cat: by_dim[key][i] if (key := f"{dim}.{cat}") in by_dim else math.nan for cat in cats
        }
        for dim, cats in dims.items()
    }


def _ranked_count(latest_rows: pd.DataFrame, entities: dict[str, dict]) -> dict:
    """(measure, level, region or Belgium) → how many areas are ranked in the latest month."""
    out: dict[tuple[str, str, str], int] = {}
    rk = latest_rows[
        latest_rows.indicator.isin(["rank_region", "rank_country"]) & latest_rows.value.notna()
    ]
    region = rk.geo_code.astype(str).map({c: e["region"] for c, e in entities.items()})
    for (m, lvl, reg), n in (
        rk[rk.indicator == "rank_region"]
        .groupby([rk.measure.astype(str), rk.geo_level.astype(str), region])
        .size()
        .items()
    ):
        out[(m, lvl, reg)] = int(n)
    for (m, lvl), n in (
        rk[rk.indicator == "rank_country"]
        .groupby([rk.measure.astype(str), rk.geo_level.astype(str)])
        .size()
        .items()
    ):
        out[(m, lvl, COUNTRY)] = int(n)
    return out


def _populations(population: pd.DataFrame, year: int) -> dict[str, int]:
    """Each code's population on 1 January of ``year``, else of its latest earlier year (the
    indicators' denominator rule, :func:`barometer.indicators.population_by_year`)."""
    codes = sorted(set(population.code))
    got = population_by_year(population, codes, range(year, year + 1)).dropna(subset=["pop"])
    return {str(c): int(p) for c, p in zip(got.code, got["pop"], strict=True)}


def _population_years(population: pd.DataFrame, entities: dict[str, dict]) -> dict:
    region_of = {c: e["region"] for c, e in entities.items()}
    years: dict[str, set[int]] = {reg: set() for reg in REGIONS if reg in entities}
    for y, c in zip(population.year, population.code, strict=True):
        reg = region_of.get(c)
        if reg in years:
            years[reg].add(int(y))
    return {reg: tuple(sorted(ys)) for reg, ys in years.items()}


def _breakdown_counts(table: pd.DataFrame) -> tuple[dict, dict[str, list[str]]]:
    """Breakdown counts per (geo, measure), per period type, aligned on that type's periods.

    Suppressed cells are NaN (the table hides their counts).
    """
    sh = table[(table.indicator == "count") & (table.dimension != "total")]
    out: dict[tuple[str, str], dict] = defaultdict(lambda: {"year": {}, "month": {}})
    periods: dict[str, list[str]] = {}
    for ptype in ("year", "month"):
        sub = sh[sh.period_type == ptype]
        wide = sub.assign(
            geo_code=sub.geo_code.astype(object),
            measure=sub.measure.astype(object),
            cell=sub.dimension.astype(object) + "." + sub.category.astype(object),
            period=sub.period.astype(object),
        ).pivot_table(
            index=["geo_code", "measure", "cell"],
            columns="period",
            values="value",
            aggfunc="first",
            dropna=False,
        )
        periods[ptype] = [str(p) for p in wide.columns]
        for (g, m, cell), vals in zip(wide.index, wide.to_numpy().tolist(), strict=True):
            out[(g, m)][ptype][cell] = vals
    return dict(out), periods


def sparkline(s: Series) -> Sparkline | None:
    """The last :data:`SPARK_YEARS` years of a monthly series per 1000 as a small line: quarterly
    averages of the months published (a month's noise is finer than a pixel of it), its own range
    top to bottom (the shape, not the level: the figures beside it give the level), broken where a
    quarter has no month, simplified to 0.5 px, in whole pixels (about 100 bytes a line, nine on
    every area page). None without two quarters to draw."""
    if not s.periods:
        return None
    end = s.periods[-1]
    start = f"{int(end[:4]) - SPARK_YEARS}{end[4:]}"
    sums: dict[int, list[float]] = {}
    for p, v in zip(s.periods, np.asarray(s.per_1000, dtype="float64"), strict=True):
        if p > start and v == v:
            sums.setdefault(int(p[:4]) * 4 + (int(p[5:7]) - 1) // 3, []).append(float(v))
    if len(sums) < 2:
        return None
    quarters = sorted(sums)
    values = {q: sum(sums[q]) / len(sums[q]) for q in quarters}
    q0, q1 = quarters[0], quarters[-1]
    lo, hi = min(values.values()), max(values.values())
    w, h, pad = SPARK_SIZE[0], SPARK_SIZE[1], 2.0

    def xy(q: int) -> tuple[float, float]:
        x = pad + (q - q0) / max(q1 - q0, 1) * (w - 2 * pad)
        v = values[q]
        return x, h / 2 if hi == lo else pad + (hi - v) / (hi - lo) * (h - 2 * pad)

    runs: list[list[tuple[float, float]]] = []
    prev = q0
    for q in quarters:
        if not runs or q - prev > 1:
            runs.append([])
        runs[-1].append(xy(q))
        prev = q
    d = []
    for run in runs:
        pts = [(round(x), round(y)) for x, y in simplify(run, SPARK_TOLERANCE)]
        d.append(f"M{pts[0][0]} {pts[0][1]}")
        steps = [(b[0] - a[0], b[1] - a[1]) for a, b in zip(pts, pts[1:], strict=False)]
        if steps:
            d.append("l" + " ".join(f"{dx} {dy}" for dx, dy in steps).replace(" -", "-"))
        else:  # a quarter alone between gaps: a dot (round ends of a zero-length segment)
            d.append("h0")
    x, y = runs[-1][-1]
    return Sparkline(d="".join(d), x=round(x), y=round(y), since=str(q0 // 4))


def _after(s: Series, month: str) -> Series:
    """The part of a series after ``month`` (a provisional series: the pivot of several
    measures gives each the others' months too, empty)."""
    keep = [i for i, p in enumerate(s.periods) if p > month]
    return Series([s.periods[i] for i in keep], s.count[keep], s.per_1000[keep])


def _series(
    table: pd.DataFrame, period_type: str, keep: np.ndarray | None = None
) -> dict[tuple[str, str], Series]:
    """(geo, measure) → count and per 1000 over the periods of one type, as arrays (``keep``:
    a mask of the table's rows to use, e.g. the stable ones)."""
    rows = (
        (table.period_type == period_type)
        & (table.dimension == "total")
        & table.indicator.isin(["count", "per_1000"])
    )
    sub = table[rows if keep is None else rows & keep]
    wide = (
        sub.assign(
            geo_code=sub.geo_code.astype(object),
            measure=sub.measure.astype(object),
            period=sub.period.astype(object),
            indicator=sub.indicator.astype(object),
        )
        .pivot_table(
            index=["geo_code", "measure", "period"],
            columns="indicator",
            values="value",
            aggfunc="first",
            dropna=False,
            observed=True,
        )
        .reset_index()
        .sort_values(["geo_code", "measure", "period"])
    )
    keys = wide[["geo_code", "measure"]].to_numpy()
    bounds = np.flatnonzero((keys[1:] != keys[:-1]).any(axis=1)) + 1
    starts, ends = np.r_[0, bounds], np.r_[bounds, len(wide)]
    periods = wide.period.astype(object).to_numpy()
    cnt = wide["count"].to_numpy(dtype="float64")
    rate = wide["per_1000"].to_numpy(dtype="float64")
    return {
        (keys[s][0], keys[s][1]): Series(list(periods[s:e]), cnt[s:e], rate[s:e])
        for s, e in zip(starts, ends, strict=True)
    }
