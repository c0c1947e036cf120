"""Reading delimited text files defensively: gzip, UTF-8, header and field counts.

Every defect becomes a :class:`~barometer.errors.Problem` naming file, line and column, so a
malformed input is reported in one line instead of a pandas traceback. The returned frames hold
every cell as text and are indexed by the 1-based line number of each row in the file (the header
is line 1), which the validators use to locate problems.
"""

from __future__ import annotations

import csv
import io
import re
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from barometer.errors import DataError, Problem

#: how many problems of one kind are listed before the rest are only counted
LIMIT_PER_CHECK = 10

_PANDAS_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


class Collector:
    """Collects problems for one file; vectorised helpers turn boolean masks into Problems."""

    def __init__(self, file: str, limit: int = LIMIT_PER_CHECK) -> None:
        self.file = file
        self.limit = limit
        self.problems: list[Problem] = []
        self.omitted = 0

    def add(self, line: int, column: str, expected: str, found: str) -> None:
        self.problems.append(Problem(self.file, int(line), column, expected, found))

    def where(
        self,
        mask: pd.Series,
        column: str,
        expected: str,
        found: pd.Series | str | None = None,
    ) -> int:
        """Add one problem per True row of ``mask`` (index = line numbers); return how many."""
        hits = mask[mask.fillna(False).astype(bool)]
        n = len(hits)
        for line in hits.index[: self.limit]:
            if found is None:
                shown = "nothing"
            elif isinstance(found, str):
                shown = found
            else:
                shown = _show(found.loc[line])
            self.add(line, column, expected, shown)
        self.omitted += max(0, n - self.limit)
        return n

    @property
    def ok(self) -> bool:
        return not self.problems

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataError(self.problems, self.omitted)


def _show(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "an empty cell"
    text = str(value)
    if text == "":
        return "an empty cell"
    return repr(text) if not text.lstrip("-").isdigit() else text


def display_name(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_bytes(path: Path) -> bytes:
    """Read a file, decompressing gzip (``.gz``) and reporting truncation with its line."""
    name = display_name(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(
            Problem(name, 0, "-", "a readable file", f"{exc.strerror or exc}")
        ) from None
    if not path.name.endswith(".gz"):
        return data
    out = io.BytesIO()
    rest = data
    if not rest:
        raise DataError(Problem(name, 0, "-", "gzip data", "an empty file"))
    while rest:
        dec = zlib.decompressobj(wbits=31)
        try:
            out.write(dec.decompress(rest))
        except zlib.error as exc:
            line = out.getvalue().count(b"\n") + 1
            raise DataError(
                Problem(name, line, "-", "a valid gzip stream", f"corrupt data ({exc})")
            ) from None
        if not dec.eof:
            line = out.getvalue().count(b"\n") + 1
            raise DataError(
                Problem(
                    name,
                    line,
                    "-",
                    "a complete gzip stream",
                    "a truncated file (the stream ends early)",
                )
            )
        rest = dec.unused_data
    return out.getvalue()


def decode_utf8(data: bytes, name: str, sep: str | None = None) -> str:
    """Decode UTF-8 (a BOM is dropped), locating a bad byte by line and, if possible, column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = "-"
        if sep is not None:
            start = data.rfind(b"\n", 0, exc.start) + 1
            header = (
                data.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff").rstrip("\r")
            )
            names = header.split(sep)
            index = data.count(sep.encode(), start, exc.start)
            if index < len(names):
                column = names[index]
        bad = data[exc.start : exc.start + 4]
        raise DataError(
            Problem(
                name, line, column, "UTF-8 text", f"the byte(s) {bad!r} (not UTF-8; is it Latin-1?)"
            )
        ) from None
    return text.removeprefix("\ufeff")


def parse_header(text: str, sep: str, name: str) -> list[str]:
    first = text.split("\n", 1)[0].rstrip("\r")
    if not first.strip():
        raise DataError(Problem(name, 1, "-", "a header row", "an empty first line"))
    return next(csv.reader([first], delimiter=sep))


def check_header(
    header: Sequence[str], required: Iterable[str], name: str, *, exact: bool = False
) -> None:
    """Missing required columns (and, with ``exact``, extra ones) are problems on line 1."""
    problems = []
    shown = ", ".join(header)
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.append(Problem(name, 1, col, "each column name once", f"'{col}' twice"))
        seen.add(col)
    required = list(required)
    for col in required:
        if col not in header:
            problems.append(
                Problem(name, 1, col, f"a column '{col}'", f"no such column (header: {shown})")
            )
    if exact:
        for col in header:
            if col not in required:
                problems.append(
                    Problem(
                        name,
                        1,
                        col,
                        f"only the columns {', '.join(required)}",
                        f"an extra column '{col}'",
                    )
                )
        if not problems and list(header) != required:
            problems.append(
                Problem(
                    name,
                    1,
                    "-",
                    f"the columns in the order {', '.join(required)}",
                    f"the order {shown}",
                )
            )
    if problems:
        raise DataError(problems)


def read_table(
    path: Path,
    *,
    sep: str = ",",
    required: Sequence[str],
    exact: bool = False,
) -> pd.DataFrame:
    """Read a delimited UTF-8 (optionally gzipped) text file into a frame of strings.

    The index is the 1-based line number of each row. Raises DataError for an empty file, bad
    encoding, a missing/extra column, or a row with the wrong number of fields.
    """
    name = display_name(path)
    data = read_bytes(path)
    if not data.strip():
        raise DataError(Problem(name, 0, "-", "a header row and data rows", "an empty file"))
    text = decode_utf8(data, name, sep)
    header = parse_header(text, sep, name)
    check_header(header, required, name, exact=exact)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        m = _PANDAS_FIELDS.search(str(exc))
        if m:
            raise DataError(
                Problem(name, int(m.group(2)), "-", f"{m.group(1)} fields", f"{m.group(3)} fields")
            ) from None
        raise DataError(
            Problem(name, 0, "-", "well-formed delimited text", str(exc).strip())
        ) from None
    df.index = pd.RangeIndex(2, 2 + len(df))
    if df.empty:
        raise DataError(Problem(name, 2, "-", "at least one data row", "only a header"))
    short = df.isna().any(axis=1)
    if short.any():
        col = Collector(name)
        col.where(short, "-", f"{len(header)} fields", "fewer fields")
        col.raise_if_any()
    return df


def to_int(series: pd.Series) -> pd.Series:
    """Strings of digits (or empty) → nullable Int64. Callers validate the text first."""
    arr = pa.array(series.to_numpy(dtype=object), type=pa.string())
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
    values = pd.Int64Dtype().__from_arrow__(pc.cast(arr, pa.int64()))
    return pd.Series(values, index=series.index, name=series.name)


DIGITS = r"\d+"
NIS = r"\d{5}"
