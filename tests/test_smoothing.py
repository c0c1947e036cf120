"""The 12-month moving average and the same month a year earlier (issue 15, item 2): the
arithmetic, missing months, and every area's table on the real snapshot recomputed here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from barometer.indicators import month_index, month_label
from barometer.smoothing import moving_average, recent, year_earlier

NAN = math.nan
MONTHS = [month_label(month_index("2024-01") + i) for i in range(30)]


def test_the_average_needs_all_twelve_months_and_a_missing_month_is_never_zero():
    values = [float(i) for i in range(30)]
    avg = moving_average(MONTHS, values)
    assert all(math.isnan(v) for v in avg[:11])
    assert avg[11] == pytest.approx(5.5) and avg[29] == pytest.approx(23.5)
    values[20] = NAN  # a missing month: the 12 averages that would include it are missing
    avg = moving_average(MONTHS, values)
    assert [math.isnan(v) for v in avg[20:32]] == [True] * 10
    assert avg[19] == pytest.approx(13.5)


def test_a_year_earlier_is_the_same_month_twelve_months_before():
    values = [float(i) for i in range(30)]
    before = year_earlier(MONTHS, values)
    assert math.isnan(before[11]) and before[12] == 0.0 and before[29] == 17.0
    # a gap in the periods: the month 12 before is looked up by date, not by position
    assert year_earlier(["2024-01", "2025-01"], [3.0, 4.0]) == [
        pytest.approx(NAN, nan_ok=True),
        3.0,
    ]


def test_recent_months_stop_at_the_last_stable_month():
    values = [float(i) for i in range(30)]
    rows = recent(MONTHS, values, last=MONTHS[25])
    assert [r.period for r in rows] == MONTHS[25:13:-1]
    assert rows[0].value == 25.0 and rows[0].average == pytest.approx(np.mean(values[14:26]))
    assert rows[0].year_earlier == 13.0


def test_every_recent_table_of_the_snapshot(page_builder):
    """Every area and measure: the table starts at the measure's last stable month, and its
    average and year-earlier values are recomputed here from the monthly rates (numpy, by
    position after checking the months are consecutive)."""
    lk = page_builder.lk
    checked = 0
    for (code, m), rows in lk.recent.items():
        s = lk.monthly[code, m]
        assert rows[0].period == lk.last_month[m], (code, m)
        idx = {p: i for i, p in enumerate(s.periods)}
        rates = np.asarray(s.per_1000, dtype=float)
        for r in rows:
            i = idx[r.period]
            window = rates[i - 11 : i + 1] if i >= 11 else np.array([NAN])
            assert s.periods[i - 11] == month_label(month_index(r.period) - 11) or i < 11
            expected = NAN if np.isnan(window).any() else float(window.mean())
            assert r.average == pytest.approx(expected, nan_ok=True), (code, m, r)
            before = rates[i - 12] if i >= 12 else NAN
            assert r.year_earlier == pytest.approx(before, nan_ok=True), (code, m, r)
            checked += 1
    assert checked > 60_000, checked  # 67,068: 694 areas × 9 measures × 12 months, less gaps
