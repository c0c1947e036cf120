"""Readers of population on 1 January by municipality (Statbel).

Inputs:
- population/statbel_population_1jan_1992-2021_by_sex_long.csv: every level, 589 municipalities
  up to 2018 and 581 from 2019, men/women/total;
- population/flanders_population_1jan_2015-2025_from_gemeente-dashboard.csv: Flemish
  municipalities, total only, keyed on the 2025 code list (predecessors that disappeared in 2025
  are absent before 2025);
- population/brussels_population_1jan_2025_by_sex.csv: the 19 Brussels municipalities in 2025.
Output of each: RAW_POPULATION rows (year, code valid on 1 January of that year, men, women, total).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from barometer.schema import TableSchema
from barometer.sources.textio import DIGITS, NIS, Collector, display_name, read_table, to_int

RAW_POPULATION = TableSchema(
    name="raw_population",
    columns={"year": "int", "code": "str", "men": "int", "women": "int", "total": "int"},
    key=("year", "code"),
    doc="population on 1 January on the geography of that year; men/women NA where not published",
)

LEVELS = {"country", "region", "province", "arrondissement", "municipality"}


def _valid_on_1_january(code_map: pd.DataFrame, years: pd.Series, codes: pd.Series) -> pd.Series:
    """True where the code is a municipality code valid on 1 January of the year."""
    cm = code_map.set_index("code")
    month = years + "-01"
    frm = codes.map(cm.valid_from)
    to = codes.map(cm.valid_to)
    return frm.notna() & (frm <= month) & (month <= to)


def _check_common(
    col: Collector, df: pd.DataFrame, code_map: pd.DataFrame, counts: list[str]
) -> pd.Series:
    col.where(
        ~df.year_1jan.str.fullmatch(r"(19|20)\d\d"), "year_1jan", "a year like 2021", df.year_1jan
    )
    col.where(~df.nis_code.str.fullmatch(NIS), "nis_code", "a 5-digit REFNIS code", df.nis_code)
    for c in counts:
        col.where(~df[c].str.fullmatch(DIGITS), c, "a non-negative whole number", df[c])
    return df.year_1jan.str.fullmatch(r"(19|20)\d\d") & df.nis_code.str.fullmatch(NIS)


def _check_codes(col: Collector, muni: pd.DataFrame, code_map: pd.DataFrame) -> None:
    known = muni.nis_code.isin(code_map.code)
    col.where(~known, "nis_code", "a known municipality code", muni.nis_code)
    valid = _valid_on_1_january(code_map, muni.year_1jan, muni.nis_code)
    col.where(
        known & ~valid,
        "nis_code",
        "a code valid on 1 January of year_1jan",
        muni.nis_code + " in " + muni.year_1jan,
    )
    col.where(
        muni.duplicated(["year_1jan", "nis_code"]),
        "nis_code",
        "one row per year and code",
        muni.nis_code,
    )


def _frame(df: pd.DataFrame, *, men: bool) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "year": df.year_1jan.astype("int64"),
            "code": df.nis_code,
            "men": to_int(df.men) if men else pd.array([pd.NA] * len(df), dtype="Int64"),
            "women": to_int(df.women) if men else pd.array([pd.NA] * len(df), dtype="Int64"),
            "total": to_int(df.total),
        },
        index=df.index,
    )
    return RAW_POPULATION.conform(out)


def read_population_long(path: Path, code_map: pd.DataFrame) -> pd.DataFrame:
    """Statbel 1992-2021 long file: check sexes add up and municipalities add up to Belgium."""
    name = display_name(path)
    df = read_table(
        path, required=["year_1jan", "nis_code", "level", "name", "men", "women", "total"]
    )
    col = Collector(name)
    ok = _check_common(col, df, code_map, ["men", "women", "total"])
    col.where(~df.level.isin(LEVELS), "level", f"one of {', '.join(sorted(LEVELS))}", df.level)
    col.raise_if_any()
    men, women, total = (df[c].astype("int64") for c in ("men", "women", "total"))
    col.where(men + women != total, "total", "men + women", df.total)
    muni = df[ok & (df.level == "municipality")]
    _check_codes(col, muni, code_map)
    col.raise_if_any()
    country = df[df.level == "country"].set_index("year_1jan").total.astype("int64")
    sums = total[muni.index].groupby(muni.year_1jan).sum()
    for year, value in country.items():
        if year in sums.index and sums[year] != value:
            line = int(df.index[(df.level == "country") & (df.year_1jan == year)][0])
            col.add(line, "total", f"the sum of the municipalities ({sums[year]})", str(value))
    col.raise_if_any()
    return _frame(muni, men=True)


def read_population_flanders(path: Path, code_map: pd.DataFrame) -> pd.DataFrame:
    """Flemish municipalities 2015-2025 (total only), keyed on the code valid in each year."""
    name = display_name(path)
    df = read_table(path, required=["year_1jan", "nis_code", "name_nl", "province", "total"])
    col = Collector(name)
    ok = _check_common(col, df, code_map, ["total"])
    col.raise_if_any()
    _check_codes(col, df[ok], code_map)
    col.raise_if_any()
    return _frame(df, men=False)


def read_population_brussels(path: Path, code_map: pd.DataFrame, year: int = 2025) -> pd.DataFrame:
    """Brussels municipalities on 1 January 2025, by sex."""
    name = display_name(path)
    df = read_table(path, required=["nis_code", "name_nl", "men", "women", "total"])
    df.insert(0, "year_1jan", str(year))
    col = Collector(name)
    ok = _check_common(col, df, code_map, ["men", "women", "total"])
    col.raise_if_any()
    col.where(
        ~df.nis_code.str.startswith("21"),
        "nis_code",
        "a Brussels municipality code (21xxx)",
        df.nis_code,
    )
    men, women, total = (df[c].astype("int64") for c in ("men", "women", "total"))
    col.where(men + women != total, "total", "men + women", df.total)
    _check_codes(col, df[ok], code_map)
    col.raise_if_any()
    return _frame(df, men=True)
