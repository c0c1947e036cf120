"""Reader of the Statbel fiscal statistics per municipality (TF_PSNL_INC_TAX_MUNTY, xlsx).

Input:  income/TF_PSNL_INC_TAX_MUNTY_2005-2020.xlsx, one sheet, income years 2005-2020 on the
        581-municipality geography (back-cast). '*' is a suppressed cell: missing, not zero.
Output: RAW_INCOME (year, code on the 2019-2024 geography, net taxable income, declarations,
        fiscal residents).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from barometer.errors import DataError, Problem
from barometer.schema import TableSchema
from barometer.sources.textio import MAX_DIGITS, NIS, Collector, check_archive, display_name

COLUMNS = {
    "CD_YEAR": "year",
    "CD_MUNTY_REFNIS": "code",
    "MS_TOT_NET_TAXABLE_INC": "net_taxable_income",
    "MS_NBR_NON_ZERO_INC": "declarations",
    "MS_TOT_RESIDENTS": "residents",
}

RAW_INCOME = TableSchema(
    name="raw_income",
    columns={
        "year": "int",
        "code": "str",
        "net_taxable_income": "float",
        "declarations": "int",
        "residents": "int",
    },
    key=("year", "code"),
    doc="income year, code of the 2019-2024 set; EUR total net taxable income; declarations with non-zero income; NA = '*'",
)

_NUMBER = r"[0-9]{1,15}(\.[0-9]+)?"
"""An amount in euros (ASCII digits; fifteen before the point is beyond any municipality)."""
_WHOLE = rf"[0-9]{{1,{MAX_DIGITS}}}(\.0+)?"


def read_income(path: Path, code_map: pd.DataFrame) -> pd.DataFrame:
    """Read and validate the fiscal workbook; return RAW_INCOME."""
    name = display_name(path)
    check_archive(path)
    try:
        df = pd.read_excel(
            path, engine="calamine", dtype=str, keep_default_na=False, na_filter=False
        )
    except Exception as exc:  # calamine raises its own error types for non-xlsx input
        raise DataError(
            Problem(
                name, 0, "-", "an xlsx workbook", f"unreadable data ({type(exc).__name__}: {exc})"
            )
        ) from None
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise DataError(
            [
                Problem(
                    name,
                    1,
                    c,
                    f"a column '{c}'",
                    f"no such column (header: {', '.join(map(str, df.columns[:8]))}, …)",
                )
                for c in missing
            ]
        )
    if df.empty:
        raise DataError(Problem(name, 2, "-", "at least one data row", "only a header"))
    df.index = pd.RangeIndex(2, 2 + len(df))
    df = df[list(COLUMNS)].astype(str)
    col = Collector(name)
    col.where(
        ~df.CD_YEAR.str.fullmatch(r"20[0-9]{2}"), "CD_YEAR", "an income year like 2020", df.CD_YEAR
    )
    col.where(
        ~df.CD_MUNTY_REFNIS.str.fullmatch(NIS),
        "CD_MUNTY_REFNIS",
        "a 5-digit REFNIS code",
        df.CD_MUNTY_REFNIS,
    )
    for c in ("MS_TOT_NET_TAXABLE_INC", "MS_NBR_NON_ZERO_INC", "MS_TOT_RESIDENTS"):
        pattern = _NUMBER if c == "MS_TOT_NET_TAXABLE_INC" else _WHOLE
        ok = df[c].str.fullmatch(pattern) | (df[c] == "*")
        what = (
            "a non-negative amount or '*'"
            if c == "MS_TOT_NET_TAXABLE_INC"
            else "a non-negative whole number or '*'"
        )
        col.where(~ok, c, what, df[c])
    col.raise_if_any()
    # the file uses the 2019-2024 (581) codes for every year, back-cast to 2005
    set_2019 = code_map[(code_map.valid_from <= "2019-01") & ("2019-01" <= code_map.valid_to)].code
    col.where(
        ~df.CD_MUNTY_REFNIS.isin(set_2019),
        "CD_MUNTY_REFNIS",
        "a municipality code of the 2019-2024 set",
        df.CD_MUNTY_REFNIS,
    )
    col.where(
        df.duplicated(["CD_YEAR", "CD_MUNTY_REFNIS"]),
        "CD_MUNTY_REFNIS",
        "one row per year and code",
        df.CD_MUNTY_REFNIS,
    )
    col.raise_if_any()

    def num(c: str) -> pd.Series:
        return pd.to_numeric(df[c].where(df[c] != "*"), errors="raise")

    out = pd.DataFrame(
        {
            "year": df.CD_YEAR.astype("int64"),
            "code": df.CD_MUNTY_REFNIS,
            "net_taxable_income": num("MS_TOT_NET_TAXABLE_INC").astype("float64"),
            "declarations": num("MS_NBR_NON_ZERO_INC").astype("Int64"),
            "residents": num("MS_TOT_RESIDENTS").astype("Int64"),
        }
    )
    return RAW_INCOME.conform(out)
