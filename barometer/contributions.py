"""What changed: each group's part of a change on a year, in percentage points (issue 15).

Input:  an area's total count of one measure in a month and in the same month a year earlier,
        and its published breakdown counts in both months (NaN: hidden or not collected).
Output: :class:`Split`: per dimension, each category's contribution in points, and the points of
        the categories that cannot be shown, together.

The contribution of category *g* to the change of the total *x* from month *t − 12* to *t* is
100 × (*c*<sub>g,t</sub> − *c*<sub>g,t−12</sub>) / *x*<sub>t−12</sub>: the points of the
change that its own count moved. The categories of a dimension add up to the total, so their
contributions add up to the change in per cent (100 × (*x*<sub>t</sub> / *x*<sub>t−12</sub> − 1)).

Small-count protection (disclosure.py) hides some cells. A contribution is shown only when the
category's counts of **both** months are published; the categories that are not shown are given
as one remainder, the change's points minus the shown ones. Every figure is then a function of
published numbers only (the totals, and the cells published in both months), so no contribution
reveals a hidden count: the remainder is (*x*<sub>t</sub> − Σ shown *c*<sub>t</sub>) −
(*x*<sub>t−12</sub> − Σ shown *c*<sub>t−12</sub>), over *x*<sub>t−12</sub>, all of it published.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

REMAINDER_SHOWN_FROM = 0.05
"""A remainder of categories that are all shown (an area whose breakdowns miss a member's month)
is shown from this many points (it rounds to 0.1)."""


@dataclass(frozen=True)
class Part:
    """One category's contribution in points (None: not shown, hidden in a month)."""

    category: str
    points: float | None


@dataclass(frozen=True)
class DimensionSplit:
    dimension: str
    parts: tuple[Part, ...]
    rest: float | None
    """Points of the categories not shown together (None when every category is shown and
    they add up to the change)."""
    hidden: bool
    """Some category is not shown (hidden in either month): ``rest`` is theirs. Otherwise a
    ``rest`` is what no category accounts for (an area whose breakdowns miss a member's month)."""


@dataclass(frozen=True)
class Split:
    change: float
    """The change of the total in per cent."""
    dimensions: tuple[DimensionSplit, ...]

    def dimension(self, dim: str) -> DimensionSplit | None:
        return next((d for d in self.dimensions if d.dimension == dim), None)

    def largest(self, dims: Sequence[str]) -> tuple[tuple[str, Part], ...]:
        """The shown category with the largest contribution (in size) of each dimension, when it
        is at least as large as the groups not shown together (else the largest part may be
        hidden: the dimension names none)."""
        out = []
        for dim in dims:
            d = self.dimension(dim)
            shown = [p for p in d.parts if p.points is not None] if d else []
            if d and shown:
                top = max(shown, key=lambda p: abs(p.points or 0.0))
                if abs(top.points or 0.0) >= abs(d.rest or 0.0):
                    out.append((dim, top))
        return tuple(out)


def split(
    total_now: float,
    total_before: float,
    now: Mapping[str, Mapping[str, float]],
    before: Mapping[str, Mapping[str, float]],
) -> Split | None:
    """Each category's points of the change (None without two positive-based totals).

    ``now``/``before``: dimension → category → published count (NaN: hidden or missing), the
    same dimensions and categories in both.
    """
    if not (math.isfinite(total_now) and math.isfinite(total_before) and total_before > 0):
        return None
    change = 100.0 * (total_now - total_before) / total_before
    dims = []
    for dim, cats in now.items():
        parts = []
        for cat, c_now in cats.items():
            c_before = before[dim][cat]
            shown = math.isfinite(c_now) and math.isfinite(c_before)
            parts.append(Part(cat, 100.0 * (c_now - c_before) / total_before if shown else None))
        rest = change - sum(p.points for p in parts if p.points is not None)
        hidden = any(p.points is None for p in parts)
        if not any(p.points is not None for p in parts):
            continue  # nothing to split: the whole change would be the remainder
        dims.append(
            DimensionSplit(
                dim,
                tuple(parts),
                rest if hidden or abs(rest) >= REMAINDER_SHOWN_FROM else None,
                hidden,
            )
        )
    return Split(change, tuple(dims))
