"""Canonical population: 1 January, by 2025 municipality, with explicit availability.

Inputs:  RAW_POPULATION frames, in order of precedence: Statbel's workbook
         ``Population_par_commune.xlsx`` (1992-2024, by sex) and the tidy 2022-2026 file (2025 and
         2026 on the 565 municipalities; 2022-2024 copied from the workbook).
Output:  POPULATION, one row per (year, 2025 municipality) that is really known: the sum of all
         predecessors valid on 1 January of that year. A year comes whole from the first source
         that has it (never a mix of two sources within a year); where two sources give the same
         year they must agree figure for figure (``check_agreement``), or the inputs are refused.
         A year that no source has has no row (no silent fill): the indicators then fall back to
         the latest earlier year, visibly (``population_year=YYYY``).
"""

from __future__ import annotations

import pandas as pd

from barometer.errors import Problem
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
    doc="population on 1 January on the 2025 geography; only complete sums; men/women NA where "
    "unpublished; source: the input (sources.toml id) the year comes from",
)


def check_agreement(frames: dict[str, pd.DataFrame], names: dict[str, str]) -> list[Problem]:
    """Where a later source repeats a year of an earlier one, every figure must be the same.

    ``frames``: source id → RAW_POPULATION, in order of precedence; ``names``: source id → file
    name in messages. A difference is reported on the later file's line, with the earlier value.
    """
    problems = []
    ids = list(frames)
    for i, first in enumerate(ids):
        for later in ids[i + 1 :]:
            a, b = frames[first], frames[later]
            both = b.merge(a, on=["year", "code"], suffixes=("", "_first"))
            for c, shown in (("total", "total"), ("men", "male"), ("women", "female")):
                differ = (both[c] != both[f"{c}_first"]).fillna(False)
                for r in both[differ].head(10).itertuples():
                    problems.append(
                        Problem(
                            names[later],
                            r.line,
                            shown,
                            f"{getattr(r, c + '_first')} for {r.code} on 1 January {r.year}, "
                            f"as in {names[first]}",
                            str(getattr(r, c)),
                        )
                    )
    return problems


def harmonise_population(frames: dict[str, pd.DataFrame], code_map: pd.DataFrame) -> pd.DataFrame:
    """Sum each source into 2025 codes; each year from the first source that has it."""
    parts = []
    taken: set[int] = set()
    for source, raw in frames.items():
        raw = raw[~raw.year.isin(taken)]
        taken |= set(raw.year)
        if raw.empty:
            continue
        h = to_2025(raw, code_map, period="year", month_of="-01", values=["men", "women", "total"])
        h = h[h.total.notna()].copy()
        h["source"] = source
        parts.append(h)
    both = pd.concat(parts, ignore_index=True)
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
    per_year = pop.groupby("year").size()
    assert (per_year == per_year.iloc[-1]).all(), f"a year lacks municipalities: {per_year}"
