"""The sparklines of an area's overview: quarterly averages of the stable months of the last ten
years, broken where a quarter has no month (missing is not zero), scaled to their own range."""

from __future__ import annotations

import math
import re

import numpy as np

from barometer.pages.lookups import SPARK_SIZE, SPARK_YEARS, Series, sparkline


def _series(values: dict[str, float]) -> Series:
    periods = sorted(values)
    rate = np.array([values[p] for p in periods], dtype="float64")
    return Series(periods, rate * 10, rate)


def _points(d: str) -> list[list[tuple[int, int]]]:
    """The runs of a sparkline's path (absolute start, relative steps) as absolute points."""
    runs = []
    for start, steps in re.findall(r"M(-?\d+ -?\d+)(?:l([^M]*))?", d):
        x, y = map(int, start.split())
        run = [(x, y)]
        nums = [int(n) for n in re.findall(r"-?\d+", steps or "")]
        for dx, dy in zip(nums[::2], nums[1::2], strict=True):
            x, y = x + dx, y + dy
            run.append((x, y))
        runs.append(run)
    return runs


def _months(first: int, last: int) -> list[str]:
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first * 12, last * 12 + 12)]


def test_a_rising_line_spans_its_box_and_ends_at_its_last_point():
    months = _months(2010, 2026)
    s = sparkline(_series({p: 1.0 + i for i, p in enumerate(months)}))
    assert s is not None
    (run,) = _points(s.d)
    xs, ys = [p[0] for p in run], [p[1] for p in run]
    w, h = SPARK_SIZE
    assert min(xs) == 2 and max(xs) == w - 2  # the whole width, 2 px inside
    assert max(ys) == h - 2 and min(ys) == 2  # its own range, top to bottom: lowest is lowest
    assert ys == sorted(ys, reverse=True)  # rising: y falls
    assert len(run) == 2  # a straight line keeps its two ends
    assert (s.x, s.y) == run[-1]
    assert int(s.since) == 2026 - SPARK_YEARS + 1  # ten years: 2017-01 to 2026-12


def test_a_quarter_without_months_breaks_the_line_and_is_not_zero():
    values = {p: 5.0 + (i % 7) for i, p in enumerate(_months(2016, 2026))}
    for p in ("2020-04", "2020-05", "2020-06"):  # one whole quarter missing
        values[p] = math.nan
    values["2021-02"] = math.nan  # one month of a quarter: the quarter averages the other two
    s = sparkline(_series(values))
    runs = _points(s.d)
    assert len(runs) == 2
    assert max(y for run in runs for y in (p[1] for p in run)) <= SPARK_SIZE[1] - 2


def test_no_line_without_two_quarters():
    assert sparkline(_series({"2026-07": 3.0, "2026-08": 4.0})) is None
    assert sparkline(Series([], np.array([]), np.array([]))) is None
    flat = sparkline(_series(dict.fromkeys(_months(2024, 2026), 2.0)))
    assert flat is not None and {p[1] for p in _points(flat.d)[0]} == {SPARK_SIZE[1] // 2}
