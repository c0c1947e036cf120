"""Readers of the Statbel REFNIS code list and of the 2019 and 2025 merger tables.

Inputs:  refnis/TU_COM_REFNIS_2019.txt (UTF-8 with BOM, '|', CRLF; dates dd/mm/yyyy),
         refnis/merger_2019_old_to_new_nis.csv, refnis/merger_2025_old_to_new_nis.csv.
Outputs: REFNIS (every unit since 1970 with its validity) and MERGER (old code → new code).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from barometer.schema import TableSchema
from barometer.sources.textio import NIS, Collector, display_name, read_table

REFNIS_COLUMNS = [
    "LVL_REFNIS",
    "CD_REFNIS",
    "CD_SUP_REFNIS",
    "TX_REFNIS_DE",
    "TX_REFNIS_FR",
    "TX_REFNIS_NL",
    "DT_VLDT_START",
    "DT_VLDT_END",
]

REFNIS = TableSchema(
    name="refnis",
    columns={
        "level": "int",
        "code": "str",
        "parent": "str",
        "name_de": "str",
        "name_fr": "str",
        "name_nl": "str",
        "valid_from": "str",
        "valid_to": "str",
    },
    key=("code", "valid_from"),
    doc="REFNIS units (1 region, 2 province, 3 arrondissement, 4 municipality); dates ISO; parent '' if none",
)

MERGER = TableSchema(
    name="merger",
    columns={"old_code": "str", "old_name_nl": "str", "new_code": "str", "new_name_nl": "str"},
    key=("old_code",),
    doc="one row per predecessor code: the code it merged into",
)

_DATE = r"(0[1-9]|[12][0-9]|3[01])/(0[1-9]|1[0-2])/[0-9]{4}"
_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def read_refnis(path: Path) -> pd.DataFrame:
    """Read TU_COM_REFNIS: validate levels, codes, parents and dates; return REFNIS."""
    df = read_table(path, sep="|", required=REFNIS_COLUMNS)
    col = Collector(display_name(path))
    col.where(~df.LVL_REFNIS.isin(["1", "2", "3", "4"]), "LVL_REFNIS", "a level 1-4", df.LVL_REFNIS)
    col.where(~df.CD_REFNIS.str.fullmatch(NIS), "CD_REFNIS", "a 5-digit REFNIS code", df.CD_REFNIS)
    parent_ok = df.CD_SUP_REFNIS.str.fullmatch(NIS) | (df.CD_SUP_REFNIS == "-")
    col.where(~parent_ok, "CD_SUP_REFNIS", "a 5-digit code or '-'", df.CD_SUP_REFNIS)
    for c in ("DT_VLDT_START", "DT_VLDT_END"):
        shape = df[c].str.fullmatch(_DATE)
        col.where(~shape, c, "a date dd/mm/yyyy", df[c])
        col.where(shape & ~_real_date(df[c]), c, "a real calendar date dd/mm/yyyy", df[c])
    for c in ("TX_REFNIS_NL", "TX_REFNIS_FR", "TX_REFNIS_DE"):
        col.where(df[c].str.strip() == "", c, "a name", df[c])
    col.raise_if_any()
    start = _iso(df.DT_VLDT_START)
    end = _iso(df.DT_VLDT_END)
    col.where(start > end, "DT_VLDT_END", "an end date after the start date", df.DT_VLDT_END)
    out = pd.DataFrame(
        {
            "level": df.LVL_REFNIS.astype("int64"),
            "code": df.CD_REFNIS,
            "parent": df.CD_SUP_REFNIS.replace("-", ""),
            "name_de": df.TX_REFNIS_DE.str.strip(),
            "name_fr": df.TX_REFNIS_FR.str.strip(),
            "name_nl": df.TX_REFNIS_NL.str.strip(),
            "valid_from": start,
            "valid_to": end,
        },
        index=df.index,
    )
    col.where(
        out.duplicated(["code", "valid_from"]),
        "CD_REFNIS",
        "one row per code and start date",
        out.code,
    )
    col.raise_if_any()
    return REFNIS.conform(out)


def _real_date(s: pd.Series) -> pd.Series:
    """dd/mm/yyyy that exists (no 30/02, no 29/02 outside leap years); vectorised."""
    parts = s.str.extract(r"^([0-9]{2})/([0-9]{2})/([0-9]{4})$").fillna("0").astype(int)
    day, month, year = parts[0], parts[1], parts[2]
    longest = month.clip(1, 12).map(lambda m: _DAYS[m - 1])
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    last = longest.where((month != 2) | leap, 28)
    return (day >= 1) & (day <= last)


def _iso(s: pd.Series) -> pd.Series:
    parts = s.str.split("/", expand=True)
    return parts[2] + "-" + parts[1] + "-" + parts[0]


def read_merger(path: Path, old_codes: set[str] | None = None, what: str = "") -> pd.DataFrame:
    """Read a merger table (2019 or 2025 layout): one row per predecessor; return MERGER.

    ``old_codes``, when given, is the set of codes a predecessor may have (``what`` names it in
    messages), so an unknown predecessor is reported on its own line.
    """
    name = display_name(path)
    df = read_table(path, required=["old_name_nl", "new_name_nl"])
    old = "old_nis_2018" if "old_nis_2018" in df.columns else "old_nis"
    new = "new_nis_2019" if "new_nis_2019" in df.columns else "new_nis"
    col = Collector(name)
    for c in (old, new):
        if c not in df.columns:
            col.add(1, c, f"a column '{c}'", "no such column")
    col.raise_if_any()
    col.where(~df[old].str.fullmatch(NIS), old, "a 5-digit REFNIS code", df[old])
    col.where(~df[new].str.fullmatch(NIS), new, "a 5-digit REFNIS code", df[new])
    col.where(df.duplicated(old), old, "each old code once", df[old])
    if old_codes is not None:
        col.where(~df[old].isin(old_codes), old, f"a code of {what}", df[old])
    col.raise_if_any()
    out = pd.DataFrame(
        {
            "old_code": df[old],
            "old_name_nl": df.old_name_nl.str.strip(),
            "new_code": df[new],
            "new_name_nl": df.new_name_nl.str.strip(),
        }
    )
    return MERGER.conform(out)
