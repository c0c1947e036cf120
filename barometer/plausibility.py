"""Plausibility of the extract's counts: what is well-formed but cannot be true is a warning.

Inputs:  RAW_EXTRACT (codes valid in each month, with the line of every row) and the raw
         population frames (codes valid on 1 January), in order of precedence.
Output:  warnings, one line each, ``FILE:LINE: COLUMN: …`` like the problems, so that a reader
         finds the row; logged by ``canonical.load_canonical`` (and replayed from its cache), so
         that ``--strict`` stops the build before any figure is published.

Rules (issue 13):
- a count above the population of its municipality (on 1 January of the month's year, else the
  latest earlier year): that is a rate above 1000 per 1000 inhabitants. Checked on the code of
  the row, before any harmonisation, so it names the row and holds at every level after it
  (sums of counts over sums of populations, averages of months, cannot pass 1000 unless a row
  does);
- a month-on-month jump of more than ten times (up or down) where the larger count is above
  100: the next or previous month of the same measure and code. Late reporting in the latest
  months is far from that (55 % of the final count at worst), and the real series never come
  near (the largest step of the snapshot is ×2.4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

JUMP_FACTOR = 10
JUMP_FLOOR = 100
LISTED = 10
"""Warnings listed per rule; the rest are counted in one more warning."""


def population_by_code(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """(year, code, total) on the codes of each year, each year from the first frame that has it."""
    parts: list[pd.DataFrame] = []
    taken: set[int] = set()
    for raw in frames.values():
        part = raw[~raw.year.isin(taken)]
        taken |= set(part.year)
        parts.append(part[["year", "code", "total"]])
    return pd.concat(parts, ignore_index=True)


def plausibility_warnings(
    raw_extract: pd.DataFrame, population: pd.DataFrame, name: str
) -> list[str]:
    """Every implausible count of the extract, as warning lines naming file and line."""
    counted = raw_extract.loc[
        raw_extract.total.notna(), ["measure", "month", "code", "total", "line"]
    ].copy()
    counted["total"] = counted.total.astype("int64")
    counted["year"] = counted.month.str[:4].astype("int64")
    return _above_population(counted, population, name) + _jumps(counted, name)


def _above_population(counted: pd.DataFrame, population: pd.DataFrame, name: str) -> list[str]:
    pop = population.rename(columns={"year": "pop_year", "total": "pop"})[
        ["pop_year", "code", "pop"]
    ]
    pop = pop.assign(pop=pop["pop"].astype("int64"))
    joined = pd.merge_asof(
        counted.sort_values("year"),
        pop.sort_values("pop_year"),
        left_on="year",
        right_on="pop_year",
        by="code",
        direction="backward",
    )
    over = joined[joined["pop"].notna() & (joined.total > joined["pop"])].sort_values("line")
    out = [
        f"{name}:{r.line}: total: implausible count: {r.total:,} persons ({r.measure} "
        f"{r.month}, {r.code}) for {int(r.pop):,} inhabitants on 1 January {int(r.pop_year)}, "
        f"a rate of {1000 * r.total / r.pop:,.0f} per 1000 (above 1000)"
        if r.pop > 0
        else f"{name}:{r.line}: total: implausible count: {r.total:,} persons ({r.measure} "
        f"{r.month}, {r.code}) where no one lived on 1 January {int(r.pop_year)}"
        for r in over.head(LISTED).itertuples()
    ]
    return out + _more(len(over), name, "counts above their municipality's population")


def _jumps(counted: pd.DataFrame, name: str) -> list[str]:
    c = counted.sort_values(["measure", "code", "month"]).reset_index(drop=True)
    index = c.month.str[:4].astype("int64") * 12 + c.month.str[5:7].astype("int64")
    same = (
        (c.measure == c.measure.shift()) & (c.code == c.code.shift()) & (index - index.shift() == 1)
    ).to_numpy()
    now = c.total.to_numpy()
    before = np.roll(now, 1)
    high, low = np.maximum(now, before), np.minimum(now, before)
    jump = same & (high > JUMP_FLOOR) & (high > JUMP_FACTOR * low)
    hits = c[jump].assign(before=before[jump]).sort_values("line")
    previous = {i: (index[i] - 1) for i in hits.index}
    out = [
        f"{name}:{r.line}: total: implausible jump: {r.measure} {r.code} from {r.before:,} "
        f"in {_label(previous[r.Index])} to {r.total:,} in {r.month} "
        f"(more than {JUMP_FACTOR} times, above {JUMP_FLOOR})"
        for r in hits.head(LISTED).itertuples()
    ]
    return out + _more(len(hits), name, "month-on-month jumps of more than ten times")


def _label(index: int) -> str:
    return f"{(index - 1) // 12:04d}-{(index - 1) % 12 + 1:02d}"


def _more(n: int, name: str, what: str) -> list[str]:
    if n <= LISTED:
        return []
    return [f"{name}:0: total: {n - LISTED:,} more {what} (not listed)"]
