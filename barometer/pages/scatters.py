"""The income scatters' data: which year, every municipality's dot, the fits and the specs.

Input:  the lookups. Output: :class:`ScatterModel` (language-neutral: computed once, shared by
the four languages), or None when no year has both fiscal income and rates for at least three
municipalities (an extract that does not reach the fiscal years: the page says so and area pages
leave the scatter out).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from barometer import charts, scatter
from barometer.pages.lookups import Lookups
from barometer.vocabulary import REGIONS, ChartKey

RATE_TICKS = [0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]


@dataclass(frozen=True)
class ScatterRow:
    code: str
    region_index: int
    income: float
    rate: float
    growth: float


@dataclass(frozen=True)
class ScatterChart:
    key: ChartKey
    spec: dict
    frame: scatter.Frame
    fit: scatter.Fit
    positions: dict[str, tuple[float, float]]

    @property
    def size(self) -> tuple[int, int]:
        p = charts.SCATTER_PADDING
        return (
            self.frame.width + p["left"] + p["right"],
            self.frame.height + p["top"] + p["bottom"],
        )


@dataclass(frozen=True)
class ScatterModel:
    measure: str
    year: int
    growth_period: tuple[str, str]
    rows: tuple[ScatterRow, ...]
    rate: ScatterChart
    growth: ScatterChart | None
    """None without 12 months of history (no growth yet)."""

    @property
    def charts(self) -> tuple[ScatterChart, ...]:
        return (self.rate, self.growth) if self.growth else (self.rate,)


def _chart(
    key: ChartKey,
    rows: tuple[ScatterRow, ...],
    field: str,
    *,
    log: bool,
    y_format: str,
    ticks: list[float] | None,
) -> ScatterChart | None:
    pts = [
        r for r in rows if not math.isnan(getattr(r, field)) and (getattr(r, field) > 0 or not log)
    ]
    if len(pts) < 3:
        return None
    xs = [r.income for r in pts]
    ys = [getattr(r, field) for r in pts]
    fit = scatter.least_squares(xs, [math.log(y) for y in ys] if log else ys)
    x_axis = scatter.padded(xs, log=False)
    y_axis = scatter.padded(ys, log=log)
    pad = charts.SCATTER_PADDING
    frame = scatter.Frame(640, 400, x_axis, y_axis, pad["left"], pad["top"])
    ticks = [t for t in ticks or [] if y_axis.lo <= t <= y_axis.hi] or None
    spec = charts.scatter(
        [(r.income, getattr(r, field), r.region_index) for r in pts],
        scatter.trend_points(fit, x_axis, log=log),
        x_domain=(x_axis.lo, x_axis.hi),
        y_domain=(y_axis.lo, y_axis.hi),
        y_log=log,
        y_format=y_format,
        y_ticks=ticks,
        width=frame.width,
        height=frame.height,
    )
    positions = {r.code: scatter.position(frame, r.income, getattr(r, field)) for r in pts}
    return ScatterChart(key=key, spec=spec, frame=frame, fit=fit, positions=positions)


def scatter_model(lk: Lookups) -> ScatterModel | None:
    """The scatters of the headline measure against the average income of the latest year with
    both."""
    m = lk.headline.code
    if m not in lk.last_month:
        return None
    munis = lk.codes("municipality")
    years_with_rate = {
        int(p)
        for c in munis
        if (s := lk.yearly.get((c, m))) is not None
        for p, v in zip(s.periods, s.per_1000, strict=True)
        if v == v
    }
    income_years = {y for c in munis for y in lk.income.get(c, {})}
    common = years_with_rate & income_years
    if not common:
        return None
    year = max(common)
    rows = []
    for c in munis:
        inc = lk.income.get(c, {}).get(year, math.nan)
        if math.isnan(inc):
            continue
        s = lk.yearly.get((c, m))
        rate = (
            dict(zip(s.periods, s.per_1000.tolist(), strict=True)).get(str(year), math.nan)
            if s is not None
            else math.nan
        )
        rows.append(
            ScatterRow(
                code=c,
                region_index=REGIONS.index(lk.entities[c]["region"]),
                income=inc,
                rate=rate,
                growth=lk.value(c, m, "growth_12m")[0],
            )
        )
    last = lk.last_month[m]
    first_year, first_month = int(last[:4]) - 1, last[5:]
    data = tuple(rows)
    rate = _chart(
        ChartKey("scatter", "income", m), data, "rate", log=True, y_format="~r", ticks=RATE_TICKS
    )
    if rate is None:
        return None
    growth = _chart(
        ChartKey("scatter", "growth", m), data, "growth", log=False, y_format=".1%", ticks=None
    )
    return ScatterModel(
        measure=m,
        year=year,
        growth_period=(f"{first_year}-{first_month}", last),
        rows=data,
        rate=rate,
        growth=growth,
    )
