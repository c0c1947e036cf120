"""Where a municipality stands: among all municipalities, and against its region given its size.

Pure functions, no pandas: the lookups pass plain dicts.

* Among all: the share of the municipalities with a figure whose rate is lower (the strip of
  every municipality's rate on its page marks it), and the median rate of its region's
  municipalities.
* Against its region (a funnel band): if the municipality's people drew the measure at its
  region's rate, its count would be a Poisson variable with mean ``region rate × population``;
  the central 95 % of that distribution, divided by the population, is the band of rates that
  chance alone produces in a population that size. A rate inside the band is not distinguishable
  from the region's; outside it, it differs by more than chance. Small municipalities get wide
  bands — the honest signal that their rates are noisy. Real counts vary more than Poisson
  (households, local policies), so the band is a floor of the noise, not all of it.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from statistics import NormalDist, median

LEVEL = 0.95
"""The share of chance outcomes the band holds."""
EXACT_BELOW = 200.0
"""Expected counts below this get exact Poisson quantiles; above, the normal approximation with a
continuity correction (it differs from the exact quantile by at most one count there)."""


def poisson_limits(mu: float, level: float = LEVEL) -> tuple[int, int]:
    """(lo, hi): the smallest count whose cumulative probability passes (1 - level) / 2, and the
    smallest whose cumulative probability reaches 1 - (1 - level) / 2, for a Poisson mean ``mu``:
    a count from lo to hi is within what chance produces ``level`` of the time."""
    if not mu > 0:
        return 0, 0
    tail = (1 - level) / 2
    if mu >= EXACT_BELOW:
        z = NormalDist().inv_cdf(1 - tail)
        spread = z * math.sqrt(mu)
        return max(0, math.ceil(mu - spread - 0.5)), math.floor(mu + spread + 0.5)
    p = math.exp(-mu)
    cdf, k, lo = p, 0, -1
    while True:
        if lo < 0 and cdf > tail:
            lo = k
        if cdf >= 1 - tail:
            return lo, k
        k += 1
        p *= mu / k
        cdf += p


@dataclass(frozen=True)
class Standing:
    """One municipality's rate of one measure among all and against its region."""

    rate: float
    below: float
    """The share of the other municipalities with a figure whose rate is lower."""
    others: int
    """How many other municipalities have a figure."""
    region_median: float
    """The median rate of the region's municipalities."""
    region_rate: float
    """The region's rate (its summed count over its summed population)."""
    population: int
    band: tuple[float, float]
    """The rates (per 1000) that chance alone produces around the region's rate."""

    @property
    def verdict(self) -> str:
        """'higher' or 'lower' than the region's beyond chance, else 'within'."""
        lo, hi = self.band
        return "higher" if self.rate > hi else "lower" if self.rate < lo else "within"


def standings(
    rates: dict[str, float],
    populations: dict[str, int],
    region_of: dict[str, str],
    region_rates: dict[str, float],
) -> dict[str, Standing]:
    """Every municipality with a rate, a population and a region rate → its standing (``rates``:
    per 1000, missing ones left out: a missing rate is not zero)."""
    ordered = sorted(rates.values())
    medians: dict[str, float] = {}
    for region in set(region_of.values()):
        of_region = [v for c, v in rates.items() if region_of.get(c) == region]
        if of_region:
            medians[region] = median(of_region)
    out = {}
    for code, rate in rates.items():
        region = region_of.get(code, "")
        pop = populations.get(code)
        base = region_rates.get(region, math.nan)
        if not pop or base != base or region not in medians:
            continue
        lo, hi = poisson_limits(base / 1000 * pop)
        out[code] = Standing(
            rate=rate,
            below=bisect_left(ordered, rate) / max(len(ordered) - 1, 1),
            others=len(ordered) - 1,
            region_median=medians[region],
            region_rate=base,
            population=pop,
            band=(lo / pop * 1000, hi / pop * 1000),
        )
    return out
