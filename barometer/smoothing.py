"""A monthly series smoothed and set against a year earlier (issue 15, item 2): pure functions
over month labels and values (NaN: missing, never zero).

- the **12-month moving average** of a month is the mean of its value and the 11 before it, only
  when all 12 are there (a missing month leaves the average missing rather than biased);
- **the same month a year earlier** is the value of the month 12 months before.

The barometer's lines are rates per 1000 inhabitants, each month over its own year's population;
the moving average is the mean of the 12 rates drawn, what a reader smoothing the line expects
(the compare tool computes the same in the browser: ``movingAverage`` in app.js).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from barometer.indicators import month_index

WINDOW = 12
RECENT_ROWS = 12
"""Months in the table of a line's recent months."""


@dataclass(frozen=True)
class RecentMonth:
    period: str
    value: float
    average: float
    """The 12-month moving average (NaN unless all 12 months are there)."""
    year_earlier: float


def _by_index(periods: Sequence[str], values: Sequence[float]) -> dict[int, float]:
    return {month_index(p): float(v) for p, v in zip(periods, values, strict=True)}


def moving_average(
    periods: Sequence[str], values: Sequence[float], window: int = WINDOW
) -> list[float]:
    """The trailing mean over ``window`` months at each period (NaN unless all are there)."""
    at = _by_index(periods, values)
    out = []
    for p in periods:
        i = month_index(p)
        span = [at.get(j, math.nan) for j in range(i - window + 1, i + 1)]
        out.append(math.nan if any(math.isnan(v) for v in span) else sum(span) / window)
    return out


def year_earlier(periods: Sequence[str], values: Sequence[float]) -> list[float]:
    """The value of the same month a year earlier at each period (NaN when missing). The callers
    cut the periods at the last stable month (:func:`recent`; app.js's ``yearEarlier`` stops at
    the series' last published month)."""
    at = _by_index(periods, values)
    return [at.get(month_index(p) - 12, math.nan) for p in periods]


def recent(
    periods: Sequence[str], values: Sequence[float], last: str, rows: int = RECENT_ROWS
) -> tuple[RecentMonth, ...]:
    """The ``rows`` months up to ``last`` (the measure's last stable month), newest first, with
    their moving average and a year earlier: computed on the series' tail (``rows + WINDOW``
    months hold every value they need)."""
    end = bisect_right(periods, last)  # periods are sorted
    tail = max(0, end - rows - WINDOW)
    ps, vs = list(periods[tail:end]), [float(v) for v in values[tail:end]]
    average, before = moving_average(ps, vs), year_earlier(ps, vs)
    return tuple(
        RecentMonth(ps[i], vs[i], average[i], before[i])
        for i in range(len(ps) - 1, max(-1, len(ps) - 1 - rows), -1)
    )
