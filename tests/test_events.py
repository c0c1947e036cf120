"""Dated events: the catalogue file is validated and every evolution chart marks the events of
its period with their numbers, where the date falls on its time axis."""

from __future__ import annotations

import re
from datetime import date

import pytest

from barometer import charts, paths, svgchart
from barometer.errors import DataError
from barometer.events import load_events


def test_the_events_file_is_valid_and_in_date_order():
    events = load_events(paths.EVENTS_TOML)
    days = [e.day for e in events]
    assert days == sorted(days) and [e.number for e in events] == list(range(1, len(events) + 1))
    # the ones the barometer's readers asked for are there
    for day in ("2016-11-01", "2019-01-01", "2020-03-18", "2022-03-04", "2025-01-01", "2026-01-01"):
        assert day in days
    for e in events:
        assert set(e.name) == {"nl", "fr", "de", "en"} and e.source


def test_a_bad_event_is_reported_with_its_file_and_what_was_expected(tmp_path):
    bad = tmp_path / "events.toml"
    bad.write_text(
        '[[event]]\ndate = "2016-13-01"\nsource = "x"\n[event.name]\nnl = "a"\nfr = "b"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_events(bad)
    text = "\n".join(str(p) for p in err.value.problems)
    assert f"{bad}:1: event date: expected a day YYYY-MM-DD, found '2016-13-01'" in text
    assert f"{bad}:1: event name: expected a line in each of" in text


def test_a_chart_marks_the_events_of_its_period_where_their_date_falls():
    rows = [(f"{y}-{m:02d}", 0, 5.0 + y - 2005) for y in range(2005, 2027) for m in range(1, 13)]
    rows = rows[:-1]  # to 2026-11
    spec = charts.evolution(rows, events=[("2016-11-01", 1), ("2020-03-18", 3), ("2030-01-01", 9)])
    svg = svgchart.line_chart(spec)
    marks = re.findall(r'<text x="([\d.]+)%" y="\d+">(\d)</text>', svg)
    assert [n for _, n in marks] == ["1", "3"]  # 2030 is outside the chart
    d0, d1 = date(2005, 1, 1).toordinal(), date(2026, 11, 1).toordinal()
    side = svgchart.PLOT_SIDE
    for (pct, _), day in zip(marks, ("2016-11-01", "2020-03-18"), strict=True):
        px = (date.fromisoformat(day).toordinal() - d0) / (d1 - d0) * spec["width"]
        assert float(pct) == pytest.approx((px + side) / (spec["width"] + 2 * side) * 100, abs=0.01)
