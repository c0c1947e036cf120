"""The income scatters: data, fitted trend and correlation, and where each dot lands in the SVG.

Pure functions, no pandas: the page builder passes plain dicts.

* Rate against income: every municipality's integration-income beneficiaries per 1000 inhabitants
  (annual average of the year) against the average net taxable income per declaration (Statbel
  fiscal statistics) of the same year — the latest year where both exist. The rate is drawn on a
  logarithmic axis (it spans two orders of magnitude); the trend is the least-squares fit of
  ln(rate) on income, a straight line on that axis; r is Pearson's correlation between income and
  ln(rate).
* Growth against income: the average monthly growth of the last 12 months (the site's
  ``growth_12m``) against the same income, both axes linear, least-squares line, Pearson's r.

Scales have explicit domains, so a dot's position in the rendered SVG is known without parsing it
(:func:`position`); a test checks it against vl-convert's output.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Fit:
    slope: float
    intercept: float
    r: float
    n: int


def least_squares(xs: list[float], ys: list[float]) -> Fit:
    """Ordinary least squares y = intercept + slope·x, and Pearson's r."""
    n = len(xs)
    if n < 3:
        raise ValueError(f"a fit needs at least 3 points, found {n}")
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    slope = sxy / sxx
    r = sxy / math.sqrt(sxx * syy) if syy > 0 else math.nan
    return Fit(slope=slope, intercept=my - slope * mx, r=r, n=n)


@dataclass(frozen=True)
class Axis:
    lo: float
    hi: float
    log: bool = False

    def fraction(self, v: float) -> float:
        if self.log:
            return (math.log(v) - math.log(self.lo)) / (math.log(self.hi) - math.log(self.lo))
        return (v - self.lo) / (self.hi - self.lo)


def padded(values: list[float], *, log: bool, pad: float = 0.04) -> Axis:
    """An axis domain a little wider than the data (multiplicative on a log axis)."""
    lo, hi = min(values), max(values)
    if log:
        f = (hi / lo) ** pad
        return Axis(lo / f, hi * f, log=True)
    d = (hi - lo) * pad or 1.0
    return Axis(lo - d, hi + d)


@dataclass(frozen=True)
class Frame:
    """The plot area of a rendered chart: offset of its origin in the SVG and its size."""

    width: int
    height: int
    x: Axis
    y: Axis
    dx: float = 0.0
    dy: float = 0.0


def position(frame: Frame, x: float, y: float) -> tuple[float, float]:
    """Pixel position of a data point in the rendered SVG (origin top left)."""
    return (
        frame.dx + frame.width * frame.x.fraction(x),
        frame.dy + frame.height * (1 - frame.y.fraction(y)),
    )


def trend_points(fit: Fit, axis: Axis, *, log: bool) -> list[tuple[float, float]]:
    """Two ends of the fitted line across the x domain (exp() back when y was logged)."""
    pts = []
    for x in (axis.lo, axis.hi):
        y = fit.intercept + fit.slope * x
        pts.append((x, math.exp(y) if log else y))
    return pts
