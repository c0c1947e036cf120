"""Where a municipality stands against its region: Poisson limits recomputed here by brute force
from the probability mass function, and the verdicts they give."""

from __future__ import annotations

import math

import pytest

from barometer.standing import EXACT_BELOW, poisson_limits, standings


def _brute(mu: float, level: float = 0.95) -> tuple[int, int]:
    tail = (1 - level) / 2
    cdf, k, lo = 0.0, 0, None
    while True:
        cdf += math.exp(k * math.log(mu) - mu - math.lgamma(k + 1))
        if lo is None and cdf > tail:
            lo = k
        if cdf >= 1 - tail:
            return lo, k
        k += 1


@pytest.mark.parametrize("mu", [0.3, 1.0, 2.5, 7.0, 19.9, 50.0, 123.4, 199.0])
def test_small_expected_counts_get_exact_poisson_quantiles(mu):
    assert poisson_limits(mu) == _brute(mu)


@pytest.mark.parametrize("mu", [EXACT_BELOW, 450.0, 2_000.0, 15_000.0])
def test_large_expected_counts_are_within_one_count_of_exact(mu):
    lo, hi = poisson_limits(mu)
    want_lo, want_hi = _brute(mu)
    assert abs(lo - want_lo) <= 1 and abs(hi - want_hi) <= 1


def test_known_textbook_values():
    assert poisson_limits(10.0) == (4, 17)  # P(X <= 3) = 0.010, P(X <= 16) = 0.973
    assert poisson_limits(0.0) == (0, 0)


def test_a_small_municipality_is_within_chance_where_a_large_one_is_not():
    """The same rate, 50 % above its region's: noise in 800 inhabitants, a real difference in
    80,000."""
    rates = {"small": 9.0, "large": 9.0, "other": 6.0}
    pops = {"small": 800, "large": 80_000, "other": 50_000}
    region = dict.fromkeys(rates, "r")
    got = standings(rates, pops, region, {"r": 6.0})
    assert got["small"].verdict == "within"
    assert got["large"].verdict == "higher"
    lo, hi = got["small"].band
    assert lo < 6.0 < hi and hi - lo > 10 * (got["large"].band[1] - got["large"].band[0])
    assert got["other"].region_median == 9.0
    assert got["other"].below == 0.0 and got["small"].below == 0.5  # one of the two others lower


def test_missing_is_left_out_never_zero():
    got = standings({"a": 3.0}, {"a": 1000, "b": 1000}, {"a": "r", "b": "r"}, {"r": float("nan")})
    assert got == {}
    got = standings({"a": 3.0}, {}, {"a": "r"}, {"r": 3.0})
    assert got == {}  # no population: no band


@pytest.mark.xdist_group("site")
def test_on_the_snapshot_small_municipalities_get_wide_bands(page_inputs):
    """Every municipality with a figure of the headline measure has a standing; the band is
    wide where the population is small, and more of them are within chance."""
    lk = page_inputs.lookups
    m = lk.headline.code
    got = lk.standings[m]
    with_rate = [
        c
        for c in lk.codes("municipality")
        if lk.value(c, m, "per_1000")[0] == lk.value(c, m, "per_1000")[0]
    ]
    assert set(got) == set(with_rate) and len(got) > 500
    small = [s for s in got.values() if s.population < 5_000]
    large = [s for s in got.values() if s.population > 50_000]
    within = lambda group: sum(s.verdict == "within" for s in group) / len(group)  # noqa: E731
    width = lambda s: (s.band[1] - s.band[0]) / s.region_rate  # noqa: E731
    assert len(small) > 20 and len(large) > 10
    assert within(small) > within(large), (within(small), within(large))
    # the band's relative width falls as 1 / sqrt(expected count): the median small municipality's
    # is several times the median large one's
    median = lambda xs: sorted(xs)[len(xs) // 2]  # noqa: E731
    assert median(list(map(width, small))) > 3 * median(list(map(width, large)))
    for s in got.values():  # the band is around the region's rate, the rate inside it or not
        assert s.band[0] <= s.region_rate <= s.band[1]
        assert (s.verdict == "within") == (s.band[0] <= s.rate <= s.band[1])
