"""The income scatters and the compare tool's data: statistics, dot positions, the data file."""

from __future__ import annotations

import gzip
import json
import math
import re

import numpy as np
import pytest

from barometer import charts, compare, scatter
from barometer.pages.compare import COMPARE_MAX, compare_link

pytestmark = pytest.mark.xdist_group("site")


def test_least_squares_and_r_match_numpy():
    rng = np.random.default_rng(7)
    x = rng.uniform(20_000, 50_000, 300)
    y = 3.0 - 6e-5 * x + rng.normal(0, 0.4, 300)
    fit = scatter.least_squares(x.tolist(), y.tolist())
    slope, intercept = np.polyfit(x, y, 1)
    assert fit.slope == pytest.approx(slope, rel=1e-9)
    assert fit.intercept == pytest.approx(intercept, rel=1e-9)
    assert fit.r == pytest.approx(np.corrcoef(x, y)[0, 1], rel=1e-9)
    with pytest.raises(ValueError, match="at least 3 points"):
        scatter.least_squares([1.0, 2.0], [1.0, 2.0])


def test_scatter_uses_the_latest_common_year_and_every_municipality(page_inputs, canon):
    sm = page_inputs.scatter
    assert sm.year == int(canon.income.year.max()) == 2020
    # every municipality with income and a rate is a dot; Herstappe has no figures of its own
    assert sm.rate.fit.n == 564
    codes = {r.code for r in sm.rows}
    inc = canon.income[canon.income.year == 2020].set_index("code").average_per_declaration
    for r in sm.rows[:50]:
        assert r.income == pytest.approx(inc[r.code])
    assert "44021" in codes and "21004" in codes
    # richer municipalities have fewer beneficiaries (real fiscal data, synthetic counts calibrated)
    assert sm.rate.fit.r < -0.3


def test_dot_positions_are_where_vega_draws_them(page_inputs):
    """The ring on a municipality's page sits exactly on its dot in the rendered SVG."""
    import vl_convert as vlc

    sm = page_inputs.scatter
    svg = vlc.vegalite_to_svg(page_inputs.charts.specs[sm.rate.key])
    drawn = [
        tuple(float(v) for v in m.split(","))
        for m in re.findall(r'<path transform="translate\(([^)]*)\)" d="M[^"]*A', svg)
    ]
    pad = charts.SCATTER_PADDING
    drawn = [(x + pad["left"], y + pad["top"]) for x, y in drawn]
    expected = [sm.rate.positions[r.code] for r in sm.rows if r.code in sm.rate.positions]
    assert len(drawn) == len(expected) == 564
    for (dx, dy), (ex, ey) in zip(drawn, expected, strict=True):
        assert dx == pytest.approx(ex, abs=0.01) and dy == pytest.approx(ey, abs=0.01)


def test_compare_data_decodes_to_the_published_indicators(built_site, page_builder):
    site = built_site[0]
    doc = compare.document(lambda path: (site / path).read_bytes())
    lk = page_builder.lk
    checked = 0
    for (code, measure), s in lk.monthly.items():
        if code == "23000" or code not in doc["series"][measure]:
            continue
        dec = compare.decode(doc, measure, code)
        idx = {p: i for i, p in enumerate(doc["months"])}
        for p, n, r in zip(s.periods, s.count, s.per_1000, strict=True):
            got_n = dec["month"]["count"][idx[p]]
            got_r = dec["month"]["per_1000"][idx[p]]
            assert (got_n is None) == math.isnan(n), (code, measure, p)
            assert (got_r is None) == math.isnan(r), (code, measure, p)
            if got_n is not None:
                assert got_n == n
            if got_r is not None:
                # a rate the decoder cannot rebuild travels to 5 decimals (dmh: 0.02925 ‰)
                assert got_r == pytest.approx(r, rel=1e-4, abs=5e-6)
            checked += 1
        y = lk.yearly.get((code, measure))
        if y is not None:
            yidx = {p: i for i, p in enumerate(doc["years"])}
            for p, r in zip(y.periods, y.per_1000, strict=True):
                if not math.isnan(r):
                    assert dec["year"]["per_1000"][yidx[p]] == pytest.approx(r, rel=1e-3, abs=5e-4)
        cells = lk.cells.get((code, measure), {})
        for cell, vals in cells.get("year", {}).items():
            shares = dec["year"]["share:" + cell]
            totals = dict(zip(y.periods, y.count, strict=True)) if y is not None else {}
            for p, v, got in zip(doc["share_years"], vals, shares, strict=True):
                if math.isnan(v) or not totals.get(p):
                    assert got is None
                else:
                    # breakdown averages travel to 0.1 person
                    tol = max(0.002, 0.06 / totals[p])
                    assert got == pytest.approx(v / totals[p], abs=tol)
    assert checked > 500_000


def test_compare_data_is_compact_and_covers_every_area(built_site, page_inputs):
    site = built_site[0]
    measures = [m.code for m in page_inputs.lookups.measures]
    parts = [site / compare.INDEX, *(site / compare.series_file(m) for m in measures)]
    assert sum(len(gzip.compress(p.read_bytes(), 9)) for p in parts) < 375_000 * len(measures)
    # the first view loads the index and one measure: a quarter of it or less
    first = parts[0].stat().st_size + parts[1].stat().st_size
    assert first < 0.3 * sum(p.stat().st_size for p in parts)
    doc = json.loads(parts[0].read_bytes())
    assert doc["measures"] == measures == [
        "dis", "ris", "empl_dis", "gpmi", "spi", "das_fin", "eris", "empl_das", "dmh"
    ]  # fmt: skip
    assert len(doc["entities"]) == 621  # every area but Herstappe (no figures of its own)
    assert {e[1] for e in doc["entities"]} == {
        "country",
        "region",
        "province",
        "arrondissement",
        "municipality",
    }


def test_compare_links_prefill_parents_and_neighbours(page_builder):
    link = compare_link(page_builder, "44021")
    assert link.startswith("en/compare/?e=44021,44000,40000,02000,01000,")
    codes = link.split("e=")[1].split("&")[0].split(",")
    assert len(codes) == COMPARE_MAX and len(set(codes)) == len(codes)
    assert set(codes[5:]) <= set(page_builder.lk.neighbours["44021"])
