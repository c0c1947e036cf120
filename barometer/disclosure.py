"""Small-count protection of published breakdowns.

Input:  a wide frame with the breakdown count columns of barometer.sources.extract.GROUPS.
Output: a boolean frame (same index, one column per breakdown cell): True = suppressed.

Rule (stated on the methodology page, applied identically to pages, charts, maps, downloads):
- primary suppression: a breakdown cell with a count from 1 to 4 (for annual averages: above 0
  and below 5) is not published;
- complementary suppression: in a group (the categories of one dimension for one entity, measure
  and period) where exactly one cell is suppressed, the smallest other cell is suppressed too, so
  the hidden value cannot be recovered as total minus the other cells;
- totals are published as they are; shares and ratios of suppressed cells are suppressed with
  them (indicators.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from barometer.vocabulary import GROUPS

THRESHOLD = 5
"""Cells strictly between 0 and this value are suppressed."""


def primary(values: np.ndarray) -> np.ndarray:
    return (values > 0) & (values < THRESHOLD)


def suppression_mask(frame: pd.DataFrame) -> pd.DataFrame:
    """True where a breakdown cell must not be published (primary or complementary)."""
    out = {}
    for cols in GROUPS.values():
        v = frame[list(cols)].to_numpy(dtype="float64", na_value=np.nan)
        mask = primary(v)
        single = mask.sum(axis=1) == 1
        candidates = np.where(mask | np.isnan(v), np.inf, v)
        best = np.argmin(candidates, axis=1)
        rows = np.flatnonzero(single & np.isfinite(candidates.min(axis=1)))
        mask[rows, best[rows]] = True
        for j, c in enumerate(cols):
            out[c] = mask[:, j]
    return pd.DataFrame(out, index=frame.index)


def suppress(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the frame (unchanged) and its suppression mask."""
    return frame, suppression_mask(frame)
