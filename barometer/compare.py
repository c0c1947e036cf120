"""The compare tool's data: every area, measure and period in compact JSON documents.

Pure functions (no pandas). The browser decodes the same layout in ``assets/app.js``
(``decodeSeries``); :func:`decode` is its Python twin, used by the build's self-check and the tests.

Files: ``data/compare.json`` (the index: periods, areas, populations) and one file per measure,
``data/compare-<measure>.json`` (its series), which the browser loads when the measure is shown,
so that the first view parses a quarter of the data. Together (:func:`document`)::

    {"months": [...], "years": [...],              # periods of the full series
     "share_months": [...], "share_years": [...],  # periods with breakdowns
     "entities": [[code, level, parent, name_nl, name_fr, name_de, name_en], ...],
     "pop": {code: population per year of "years", delta-coded},
     "series": {measure: {code: {
         "c":  monthly counts, delta-coded,                       aligned on months
         "o":  {month index: per 1000} where the denominator is not pop of the year
               (higher levels in months when members did not report),
         "y":  annual averages × 10, delta-coded,                aligned on years
         "yo": {year index: per 1000} likewise,
         "b":  {"dim.cat": monthly breakdown counts, delta-coded}, aligned on share_months
         "yb": {"dim.cat": annual breakdown averages × 10, delta-coded}, aligned on share_years
     }}}}

Delta coding: the first number is absolute, each next one is the difference from the last
non-null number; ``null`` stays missing (never zero). Per 1000 = count × 1000 / pop of the year
unless overridden; a share = breakdown count / total count of the same period.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable

import numpy as np

YEAR_SCALE = 10
"""Annual averages travel to 0.1 person: the precision they are published with (issue 16: an
average with more decimals would let a hidden month be worked out from the others)."""
INDEX = "data/compare.json"


def series_file(measure: str) -> str:
    """The site path of one measure's series (next to the index)."""
    return f"data/compare-{measure}.json"


def document(read: Callable[[str], bytes]) -> dict:
    """The whole layout from the files (``read`` maps a site path to its bytes)."""
    doc = json.loads(read(INDEX))
    doc["series"] = {m: json.loads(read(series_file(m))) for m in doc["measures"]}
    return doc


BREAKDOWN_YEAR_SCALE = 10
"""Annual breakdown averages to 0.1 person: shares to 0.1 % from 50 people (and 160 KB less)."""


def delta(values: Iterable[float | None], scale: int = 1) -> list[int | None]:
    """Each value (× scale, rounded half to even as ``round``) minus the previous present one;
    None where a value is missing; trailing Nones dropped."""
    a = np.array(list(values), dtype="float64")  # None → NaN
    present = np.flatnonzero(~np.isnan(a))
    if not len(present):
        return []
    ints = np.round(a[present] * scale).astype(np.int64)
    out = np.full(int(present[-1]) + 1, None, dtype=object)
    out[present] = np.diff(ints, prepend=0).tolist()
    return out.tolist()


def undelta(coded: list[int | None], scale: int = 1) -> list[float | None]:
    out: list[float | None] = []
    prev = 0
    for d in coded:
        if d is None:
            out.append(None)
            continue
        prev += d
        out.append(prev / scale if scale != 1 else float(prev))
    return out


def year_denominators(
    periods: list[str], counts: list[float], rates: list[float]
) -> dict[str, float]:
    """The population behind most months of each year (count × 1000 / per 1000)."""
    by_year: dict[str, Counter] = {}
    for p, n, r in zip(periods, counts, rates, strict=True):
        if n == n and r == r and r > 0:
            by_year.setdefault(p[:4], Counter())[round(n * 1000 / r)] += 1
    return {y: float(c.most_common(1)[0][0]) for y, c in by_year.items()}


def _rate_overrides(
    periods: list[str],
    counts: list[float],
    rates: list[float],
    pop: dict[str, float],
    index: dict[str, int],
) -> dict[str, float]:
    out = {}
    for p, n, r in zip(periods, counts, rates, strict=True):
        if n != n or r != r:
            continue
        den = pop.get(p[:4])
        implied = n * 1000 / den if den else math.nan
        if not math.isclose(implied, r, rel_tol=1e-9, abs_tol=1e-9):
            out[str(index[p])] = round(r, 5)
    return out


def encode_entity(
    *,
    months: dict[str, int],
    years: dict[str, int],
    pop: dict[str, float],
    monthly: tuple[list[str], list[float], list[float]],
    yearly: tuple[list[str], list[float], list[float]] | None,
    cells: dict[str, dict[str, list[float]]],
) -> dict:
    """One (measure, area) entry; ``monthly``/``yearly`` = (periods, counts, per 1000)."""
    mp, mc, mr = monthly
    col: list[float | None] = [None] * len(months)
    for p, v in zip(mp, mc, strict=True):
        col[months[p]] = v
    entry: dict = {"c": delta(col)}
    over = _rate_overrides(mp, mc, mr, pop, months)
    if over:
        entry["o"] = over
    if yearly is not None:
        yp, yc, yr = yearly
        ycol: list[float | None] = [None] * len(years)
        for p, v in zip(yp, yc, strict=True):
            ycol[years[p]] = v
        entry["y"] = delta(ycol, YEAR_SCALE)
        yover = _rate_overrides(yp, yc, yr, pop, years)
        if yover:
            entry["yo"] = yover
    if cells.get("month"):
        entry["b"] = {cell: delta(v) for cell, v in cells["month"].items()}
    if cells.get("year"):
        entry["yb"] = {cell: delta(v, BREAKDOWN_YEAR_SCALE) for cell, v in cells["year"].items()}
    return entry


def decode(doc: dict, measure: str, code: str) -> dict[str, dict[str, list[float | None]]]:
    """Every indicator of one (measure, area), as the browser computes it.

    Returns {"month": {...}, "year": {...}} with "count", "per_1000" (aligned on months/years) and
    "share:dim.cat" (aligned on share_months/share_years).
    """
    e = doc["series"][measure][code]
    pops = undelta(doc["pop"].get(code, []))
    out: dict[str, dict[str, list[float | None]]] = {}
    for kind, periods, key, okey, scale, bscale in (
        ("month", doc["months"], "c", "o", 1, 1),
        ("year", doc["years"], "y", "yo", YEAR_SCALE, BREAKDOWN_YEAR_SCALE),
    ):
        counts = undelta(e.get(key, []), scale)
        counts += [None] * (len(periods) - len(counts))
        rates: list[float | None] = []
        for i, (p, n) in enumerate(zip(periods, counts, strict=True)):
            over = e.get(okey, {}).get(str(i))
            yi = doc["years"].index(p[:4]) if p[:4] in doc["years"] else -1
            den = pops[yi] if 0 <= yi < len(pops) else None
            if over is not None:
                rates.append(over)
            elif n is None or not den:
                rates.append(None)
            else:
                rates.append(n * 1000 / den)
        res: dict[str, list[float | None]] = {"count": counts, "per_1000": rates}
        share_periods = doc["share_months"] if kind == "month" else doc["share_years"]
        bkey = "b" if kind == "month" else "yb"
        total_at = dict(zip(periods, counts, strict=True))
        for cell, coded in e.get(bkey, {}).items():
            vals = undelta(coded, bscale)
            vals += [None] * (len(share_periods) - len(vals))
            res["share:" + cell] = [
                None if v is None or not total_at.get(p) else v / total_at[p]
                for p, v in zip(share_periods, vals, strict=True)
            ]
        out[kind] = res
    return out
