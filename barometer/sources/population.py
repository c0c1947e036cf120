"""Readers of population on 1 January by municipality (Statbel).

Inputs:
- population/statbel_Population_par_commune_1992-2024.xlsx (format ``population_xlsx``): Statbel's
  workbook ``Population_par_commune.xlsx``, one sheet per year (``Population en 2024`` …
  ``Population en 1992``; ``Populationen 1995`` without the space), every level by sex, on the
  geography of the year (589 municipalities to 2018, 581 from 2019). The census sheets are not
  populations on 1 January and are not read.
- population/statbel_population_1jan_2022-2026_long.csv (format ``population_csv``): one row per
  year and municipality, 2022-2024 by sex (copied from the workbook), 2025 and 2026 totals on the
  565 municipalities of 2025.
Output of each: RAW_POPULATION rows (year, code valid on 1 January of that year, men, women,
total, line: the sheet row or the file line the figure comes from).

Each file is accepted whole or refused: every value a whole number, men + women = total, every
code a municipality valid on 1 January of its year, each year complete (every municipality valid
that day, once), and in the workbook the municipalities add up to their arrondissement and to
Belgium, as Statbel publishes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from barometer.errors import DataError, Problem
from barometer.schema import TableSchema
from barometer.sources.textio import (
    COUNT,
    COUNT_OR_EMPTY,
    LIMIT_PER_CHECK,
    MAX_DIGITS,
    NIS,
    Collector,
    check_archive,
    display_name,
    read_table,
    to_int,
)

RAW_POPULATION = TableSchema(
    name="raw_population",
    columns={
        "year": "int",
        "code": "str",
        "men": "int",
        "women": "int",
        "total": "int",
        "line": "int",
    },
    key=("year", "code"),
    doc="population on 1 January on the geography of that year; men/women NA where not published; "
    "line: where in its file the figure is",
)

SHEET = re.compile(r"Population\s*en\s*([0-9]{4})")
"""A sheet of populations on 1 January (the 1995 sheet is named ``Populationen 1995``)."""
HEADER = ("code ins", None, "hommes", "femmes", "total")
"""Row 2 of every sheet, lower-cased and stripped (None: any text, the place name)."""
FOOTER = re.compile(r"(Bron|Source)\s*:")
FIRST_DATA_ROW = 3
MAX_COUNT = 10**MAX_DIGITS
COUNTRY = "01000"
REGIONS = {"02000", "03000", "04000"}
PROVINCES_2 = {"20001", "20002"}
"""Vlaams-Brabant and Brabant wallon (since 1995): province codes not ending in 0000."""


def read_population_workbook(path: Path, code_map: pd.DataFrame) -> pd.DataFrame:
    """Read Statbel's ``Population_par_commune.xlsx``; return the municipalities as RAW_POPULATION."""
    from python_calamine import CalamineWorkbook

    name = display_name(path)
    check_archive(path)
    try:
        wb = CalamineWorkbook.from_path(str(path))
        # from cell A1 (not from the first cell used), so that a row is the sheet's own row number
        sheets = {
            s: wb.get_sheet_by_name(s).to_python(skip_empty_area=False) for s in wb.sheet_names
        }
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error types for non-xlsx
        raise DataError(
            Problem(name, 0, "-", "an xlsx workbook", f"unreadable data ({type(exc).__name__})")
        ) from None
    col = Collector(name)
    years: dict[int, str] = {}
    frames = []
    for sheet, rows in sheets.items():
        m = SHEET.fullmatch(sheet.strip())
        if m is None:
            continue  # census sheets (1970, 1981, 1991) and notes: not a population on 1 January
        year = int(m.group(1))
        if year in years:
            col.add(0, sheet, f"one sheet for {year}", f"the sheets '{years[year]}' and '{sheet}'")
            continue
        years[year] = sheet
        frame = _sheet_rows(col, sheet, year, rows)
        if frame is not None:
            frames.append(frame)
    if not years:
        col.add(0, "-", "sheets named 'Population en YYYY'", ", ".join(sheets)[:60] or "none")
    else:
        gaps = sorted(set(range(min(years), max(years) + 1)) - set(years))
        if gaps:
            col.add(
                0, "-", f"a sheet for every year {min(years)}-{max(years)}", f"none for {gaps[0]}"
            )
    col.raise_if_any()
    df = pd.concat(frames)
    df.index = pd.RangeIndex(len(df))
    where = df.sheet + "/"
    col.where(
        df.men + df.women != df.total,
        "",
        "Hommes + Femmes = Total",
        df.men.astype(str) + " + " + df.women.astype(str) + " ≠ " + df.total.astype(str),
        lines=df.line,
        columns=where + "Total",
    )
    level = _levels(df.code)
    muni = df[level == "municipality"]
    _check_codes(col, muni.year.astype(str), muni.code, code_map, muni.line, where[muni.index])
    col.raise_if_any()
    _check_complete(col, muni.year, muni.code, code_map, lambda y: years[y])
    _check_sums(col, df, level, years)
    col.raise_if_any()
    out = muni.assign(year=muni.year.astype("int64"))
    for c in ("men", "women", "total"):
        out[c] = out[c].astype("Int64")
    return RAW_POPULATION.conform(out)


def _sheet_rows(col: Collector, sheet: str, year: int, rows: list[list]) -> pd.DataFrame | None:
    """One sheet's coded rows as (year, code, men, women, total, line, sheet), or None if broken."""
    title = str(rows[0][0]) if rows and rows[0] else ""
    if str(year) not in title or "janvier" not in title.lower():
        col.add(1, f"{sheet}/A", f"a title on 1 January {year} ('… au 1er janvier {year}')", title)
        return None
    header = tuple(str(c).strip().lower() for c in (rows[1] if len(rows) > 1 else ())[:5])
    if len(header) < 5 or any(
        h is not None and h != x for h, x in zip(HEADER, header, strict=True)
    ):
        col.add(
            2,
            sheet,
            "the columns Code INS, Lieu de résidence, Hommes, Femmes, Total",
            ", ".join(header),
        )
        return None
    out = []
    bad = 0
    for n, row in enumerate(rows[FIRST_DATA_ROW - 1 :], FIRST_DATA_ROW):
        cells = list(row[:5]) + [""] * (5 - len(row[:5]))
        first = cells[0]
        if isinstance(first, str) and (first.strip() == "" or FOOTER.match(first.strip())):
            if first.strip() == "" and any(c != "" for c in cells[1:]):
                col.add(
                    n, f"{sheet}/Code INS", "a REFNIS code for a row of figures", "an empty cell"
                )
                bad += 1
            continue
        code = first.strip() if isinstance(first, str) else None
        if code is None or not re.fullmatch(NIS, code):
            col.add(n, f"{sheet}/Code INS", "a 5-digit REFNIS code as text", _cell(first))
            bad += 1
            continue
        values = []
        for k, label in ((2, "Hommes"), (3, "Femmes"), (4, "Total")):
            v = cells[k]
            if (
                isinstance(v, bool)
                or not isinstance(v, int | float)
                or not (float(v).is_integer() and 0 <= v < MAX_COUNT)
            ):
                col.add(
                    n, f"{sheet}/{label}", f"a whole number from 0 to {MAX_COUNT - 1:,}", _cell(v)
                )
                bad += 1
                break
            values.append(int(v))
        else:
            out.append((year, code, *values, n, sheet))
        if bad > LIMIT_PER_CHECK:
            return None
    if not out:
        col.add(FIRST_DATA_ROW, sheet, "rows of population by REFNIS code", "none")
        return None
    return pd.DataFrame(out, columns=["year", "code", "men", "women", "total", "line", "sheet"])


def _cell(value: object) -> str:
    if isinstance(value, str):
        return repr(value) if value else "an empty cell"
    return f"a {type(value).__name__} {value!r}"


def _levels(codes: pd.Series) -> pd.Series:
    """The level of each code of the workbook, from the code itself (as REFNIS builds codes)."""
    level = pd.Series("municipality", index=codes.index)
    level[codes.str.endswith("000")] = "arrondissement"
    level[codes.str.endswith("0000") | codes.isin(PROVINCES_2)] = "province"
    level[codes.isin(REGIONS)] = "region"
    level[codes == COUNTRY] = "country"
    return level


def _check_sums(col: Collector, df: pd.DataFrame, level: pd.Series, sheets: dict[int, str]) -> None:
    """Municipalities add up to Belgium and to their arrondissement (code's first two digits)."""
    muni = df[level == "municipality"]
    sums = {
        "country": muni.groupby("year").total.sum(),
        "arrondissement": muni.groupby([muni.year, muni.code.str[:2] + "000"]).total.sum(),
    }
    for lv, summed in sums.items():
        rows = df[level == lv]
        key = rows.year if lv == "country" else pd.MultiIndex.from_arrays([rows.year, rows.code])
        expected = pd.Series(summed.reindex(key).to_numpy(), index=rows.index)
        col.where(
            expected.isna() | (expected != rows.total),
            "",
            f"the sum of its municipalities (the {lv}'s total)",
            rows.total.astype(str) + " for a sum of " + expected.astype("Int64").astype(str),
            lines=rows.line,
            columns=rows.sheet + "/Total",
        )
    countries = df[level == "country"].groupby("year").size()
    for year in sorted(set(df.year) - set(countries.index)):
        col.add(0, sheets[year], "a row for Belgium (01000)", "none")


def read_population_csv(path: Path, code_map: pd.DataFrame) -> pd.DataFrame:
    """Read the tidy 2022-2026 file: one row per year and municipality; return RAW_POPULATION."""
    name = display_name(path)
    df = read_table(
        path,
        required=["year", "ref_date", "nis_code", "male", "female", "total", "age65plus"],
    )
    col = Collector(name)
    year_ok = df.year.str.fullmatch(r"(19|20)[0-9]{2}")
    col.where(~year_ok, "year", "a year like 2025", df.year)
    col.where(
        year_ok & (df.ref_date != df.year + "-01-01"),
        "ref_date",
        "1 January of the year (YYYY-01-01)",
        df.ref_date,
    )
    col.where(~df.nis_code.str.fullmatch(NIS), "nis_code", "a 5-digit REFNIS code", df.nis_code)
    col.where(
        ~df.total.str.fullmatch(COUNT),
        "total",
        f"a non-negative whole number (at most {MAX_DIGITS} digits)",
        df.total,
    )
    for c in ("male", "female", "age65plus"):
        col.where(
            ~df[c].str.fullmatch(COUNT_OR_EMPTY),
            c,
            f"a non-negative whole number (at most {MAX_DIGITS} digits) or an empty cell",
            df[c],
        )
    col.raise_if_any()
    col.where(
        (df.male == "") != (df.female == ""),
        "female",
        "male and female both given or both empty",
        df.female,
    )
    total, male, female, older = (to_int(df[c]) for c in ("total", "male", "female", "age65plus"))
    col.where((male + female != total).fillna(False), "total", "male + female", df.total)
    col.where((older > total).fillna(False), "age65plus", "at most the total", df.age65plus)
    _check_codes(col, df.year, df.nis_code, code_map, pd.Series(df.index, index=df.index))
    col.raise_if_any()
    _check_complete(col, df.year.astype(int), df.nis_code, code_map, lambda _: "nis_code")
    col.raise_if_any()
    out = pd.DataFrame(
        {
            "year": df.year.astype("int64"),
            "code": df.nis_code,
            "men": male,
            "women": female,
            "total": total,
            "line": df.index.to_numpy(dtype="int64"),
        },
        index=df.index,
    )
    return RAW_POPULATION.conform(out)


def _valid_on_1_january(code_map: pd.DataFrame, years: pd.Series, codes: pd.Series) -> pd.Series:
    """True where the code is a municipality code valid on 1 January of the year."""
    cm = code_map.set_index("code")
    month = years.astype(str) + "-01"
    frm = codes.map(cm.valid_from)
    to = codes.map(cm.valid_to)
    return frm.notna() & (frm <= month) & (month <= to)


def _check_codes(
    col: Collector,
    years: pd.Series,
    codes: pd.Series,
    code_map: pd.DataFrame,
    lines: pd.Series,
    where: pd.Series | str = "",
) -> None:
    """Every code is a municipality valid on 1 January of its year, once per year."""
    column = where + "Code INS" if isinstance(where, pd.Series) else "nis_code"
    known = codes.isin(code_map.code)
    col.where(~known, "", "a known municipality code", codes, lines=lines, columns=column)
    valid = _valid_on_1_january(code_map, years, codes)
    col.where(
        known & ~valid,
        "",
        "a code valid on 1 January of its year",
        codes + " in " + years.astype(str),
        lines=lines,
        columns=column,
    )
    col.where(
        pd.DataFrame({"y": years, "c": codes}).duplicated(),
        "",
        "one row per year and code",
        codes + " in " + years.astype(str) + " again",
        lines=lines,
        columns=column,
    )


def _check_complete(
    col: Collector,
    years: pd.Series,
    codes: pd.Series,
    code_map: pd.DataFrame,
    column: Callable[[int], str],
) -> None:
    """A year that is given is given whole: every municipality valid on its 1 January.

    A partial year would make the sums of merged municipalities missing and the rates of the
    others come from another year without a word.
    """
    have = pd.MultiIndex.from_arrays([years.astype(int).to_numpy(), codes.to_numpy()])
    for year in sorted(set(years.astype(int))):
        month = f"{year}-01"
        valid = code_map[(code_map.valid_from <= month) & (month <= code_map.valid_to)].code
        want = pd.MultiIndex.from_arrays([np.full(len(valid), year), valid.to_numpy()])
        missing = sorted(want[~want.isin(have)].get_level_values(1))
        if missing:
            col.add(
                0,
                column(year),
                f"a row for every municipality valid on 1 January {year}",
                f"none for {missing[0]} ({len(missing)} missing)",
            )
