"""Writing the indicator table as CSV or Parquet (downloads and ``build.py export``).

CSV: UTF-8, header, comma; columns of the indicator table plus ``geo_name_nl`` and
``geo_name_fr``; values rounded to 6 decimals in their shortest form (annual averages of counts
arrive rounded to one decimal from indicators.py and keep it), missing values empty; a
text cell that would start with = + - @ (a spreadsheet formula) is prefixed with an apostrophe.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from barometer.errors import ConfigError

DECIMALS = 6
NAME_COLUMNS = ("geo_name_nl", "geo_name_fr")
_FORMULA = re.compile(r"^[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """Make a text cell inert in spreadsheets (OWASP CSV injection): prefix ' before = + - @."""
    return "'" + text if _FORMULA.match(text) else text


def with_names(table: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    names = entities.set_index("code")
    out = table.copy()
    for col in NAME_COLUMNS:
        mapping = {c: neutralise(str(n)) for c, n in names[col.removeprefix("geo_")].items()}
        out[col] = out.geo_code.map(mapping).astype("category")
    return out


def _text_column(series: pd.Series) -> pa.Array:
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = [neutralise(str(c)) for c in series.cat.categories]
        codes = series.cat.codes.to_numpy()
        arr = pa.DictionaryArray.from_arrays(
            pa.array(codes, type=pa.int32(), mask=codes < 0), pa.array(cats, type=pa.string())
        )
        return arr.cast(pa.string())
    return pa.array([neutralise(str(v)) for v in series], type=pa.string())


def _value_column(series: pd.Series) -> pa.Array:
    arr = pa.array(series.to_numpy(dtype="float64"), type=pa.float64())
    text = pc.cast(pc.round(arr, DECIMALS), pa.string())
    missing = pc.or_(pc.is_nan(arr), pc.is_null(arr))
    text = pc.if_else(missing, pa.scalar(None, pa.string()), text)
    # -0 after rounding a tiny negative change is written as 0
    return pc.replace_substring_regex(text, "^-0$", "0")


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _needs_quotes(table: pd.DataFrame) -> bool:
    for c in table.columns:
        s = table[c]
        values = s.cat.categories if isinstance(s.dtype, pd.CategoricalDtype) else s
        if c != "value" and any(_NEEDS_QUOTES.search(str(v)) for v in values):
            return True
    return False


def csv_head(columns: list[str], comment: str | None = None) -> bytes:
    """The first line(s) of a CSV: the '#' comment line, if any, and the column names."""
    head = "# " + comment.replace("\n", " ") + "\n" if comment else ""
    return (head + ",".join(columns) + "\n").encode()  # (pyarrow would quote header names)


def csv_quoting(table: pd.DataFrame, entities: pd.DataFrame | None = None) -> str:
    """pyarrow's quoting style for ``table`` (with the names :func:`with_names` adds): "needed"
    when any text cell holds a comma, quote or line break, else "none"."""
    if _needs_quotes(table):
        return "needed"
    if entities is not None and "geo_code" in table:
        present = set(table.geo_code.unique())
        rows = entities[entities.code.isin(present)]
        for col in NAME_COLUMNS:
            if any(
                _NEEDS_QUOTES.search(neutralise(str(n))) for n in rows[col.removeprefix("geo_")]
            ):
                return "needed"
    return "none"


def to_csv_bytes(
    table: pd.DataFrame,
    comment: str | None = None,
    *,
    quoting: str | None = None,
    header: bool = True,
) -> bytes:
    """The table as CSV bytes, following the module rules (deterministic).

    Cells are quoted only when the table holds a text value with a comma, quote or line break
    (pyarrow's "needed" style would quote every text cell; ``quoting`` imposes the style decided
    for a larger table this one is part of). ``comment`` becomes a first line starting with '#'
    (declared as the comment character in datapackage.json). ``header=False`` gives the rows only.
    """
    arrays = {
        c: (_value_column(table[c]) if c == "value" else _text_column(table[c]))
        for c in table.columns
    }
    sink = io.BytesIO()
    style = quoting or ("needed" if _needs_quotes(table) else "none")
    if header:
        sink.write(csv_head(list(table.columns), comment))
    pacsv.write_csv(
        pa.table(arrays),
        sink,
        write_options=pacsv.WriteOptions(include_header=False, quoting_style=style),
    )
    return sink.getvalue()


def write_table(table: pd.DataFrame, path: Path, comment: str | None = None) -> None:
    """Write CSV (``.csv``, with ``comment`` as a first '#' line) or Parquet, by the extension."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise ConfigError(
            f"Config value 'out': expected a path ending in .csv or .parquet, found '{path}'"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    if suffix == ".csv":
        tmp.write_bytes(to_csv_bytes(table, comment))
    else:
        table.to_parquet(tmp, index=False)
    tmp.replace(path)
