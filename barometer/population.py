"""Canonical population: 1 January, by 2025 municipality, with explicit availability.

Inputs:  RAW_POPULATION frames from the Statbel long file (1992-2021), the Flemish file
         (2015-2025) and the Brussels file (2025), in that order of preference.
Output:  POPULATION, one row per (year, 2025 municipality) that is really known: the sum of all
         predecessors valid on 1 January of that year. A year that is not known for a
         municipality has no row (no silent fill): e.g. Wallonia after 2021, Antwerpen 2022-2024
         (Borsbeek is absent from the Flemish file before the merger). Denominators that fall back
         to an earlier year do so later, visibly (indicators).
"""

from __future__ import annotations

import pandas as pd

from barometer.harmonise import to_2025
from barometer.schema import TableSchema

POPULATION = TableSchema(
    name="population",
    columns={
        "year": "int",
        "code": "str",
        "men": "int",
        "women": "int",
        "total": "int",
        "source": "str",
    },
    key=("year", "code"),
    doc="population on 1 January on the 2025 geography; only complete sums; men/women NA where unpublished",
)


def harmonise_population(frames: dict[str, pd.DataFrame], code_map: pd.DataFrame) -> pd.DataFrame:
    """Sum each source into 2025 codes; keep complete sums; earlier sources win on overlap."""
    parts = []
    for source, raw in frames.items():
        h = to_2025(raw, code_map, period="year", month_of="-01", values=["men", "women", "total"])
        h = h[h.total.notna()].copy()
        h["source"] = source
        parts.append(h)
    both = pd.concat(parts, ignore_index=True)
    both = both.drop_duplicates(["year", "code"], keep="first")
    both["year"] = both.year.astype("int64")
    for c in ("men", "women", "total"):
        both[c] = both[c].astype("Int64")
    both["source"] = both.source.astype(str)
    out = POPULATION.conform(both)
    sanity_check_population(out)
    return out


def sanity_check_population(pop: pd.DataFrame) -> None:
    sexed = pop.men.notna() & pop.women.notna()
    bad = pop[sexed & (pop.men + pop.women != pop.total)]
    assert bad.empty, f"men + women != total after harmonisation: {bad.head()}"
    assert (pop.total >= 0).all()
