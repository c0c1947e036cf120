"""Reading delimited text files defensively: gzip, UTF-8, header and field counts.

Every defect becomes a :class:`~barometer.errors.Problem` naming file, line and column, so a
malformed input is reported in one line instead of a pandas traceback. The returned frames hold
every cell as text and are indexed by the 1-based line number of each row in the file (the header
is line 1), which the validators use to locate problems.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from barometer.errors import DataError, Problem

#: how many problems of one kind are listed before the rest are only counted
LIMIT_PER_CHECK = 10

MAX_BYTES = 1 << 30
"""The largest input read (bytes, after decompression): 1 GiB, ~25× today's extract."""
MAX_RATIO = 100
"""The largest compression ratio accepted (today's extract: 3.2; text CSV rarely passes 20)."""
MIN_ALLOWANCE = 1 << 20
"""A small gzip file may always inflate to this much, whatever its ratio."""
CHUNK = 8 << 20
"""Decompression works in pieces of this size, checking the bounds after each."""
MAX_DIGITS = 9
"""A count has at most this many digits (below 10⁹: far above Belgium's population, far below
the 64-bit limit of the tables, so no count can overflow a sum)."""

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
        found: pd.Series | str | Callable[[pd.Index], pd.Series] | None = None,
        *,
        lines: pd.Series | None = None,
        columns: pd.Series | str | None = None,
    ) -> int:
        """Add one problem per True row of ``mask``; return how many.

        The line of a row is its index label, or ``lines`` (aligned on the index) when the index
        is not the line (a workbook's rows come from several sheets); ``columns`` likewise names
        the column per row when it is not the same for all (a sheet and its column). ``found``
        may be a function of the labels shown, so that a message built from several columns is
        built for those rows only (not for a million rows that are fine).
        """
        hits = mask[mask.fillna(False).astype(bool)]
        n = len(hits)
        if callable(found):
            found = found(hits.index[: self.limit]) if n else None
        for label in hits.index[: self.limit]:
            if found is None:
                shown = "nothing"
            elif isinstance(found, str):
                shown = found
            else:
                shown = _show(found.loc[label])
            line = label if lines is None else lines.loc[label]
            name = columns.loc[label] if isinstance(columns, pd.Series) else columns or column
            self.add(line, name, expected, shown)
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
    return text if re.fullmatch(r"-?[0-9]{1,20}", text) else repr(text)


def display_name(path: Path) -> str:
    """How a file is named in messages: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_bytes(path: Path) -> bytes:
    """Read a file, decompressing gzip (``.gz``) within bounds and reporting truncation.

    A file larger than :data:`MAX_BYTES` is refused before it is read; a gzip stream is inflated
    piece by piece and refused as soon as it passes :data:`MAX_BYTES` or :data:`MAX_RATIO` times
    its compressed size (a "zip bomb" is stopped after at most that much output, in memory and
    time), and a truncated or corrupt stream is reported with the line where it breaks.
    """
    name = display_name(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DataError(
                Problem(name, 0, "-", f"a file of at most {_mb(MAX_BYTES)}", f"{_mb(size)}")
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(
            Problem(name, 0, "-", "a readable file", f"{exc.strerror or exc}")
        ) from None
    if not path.name.endswith(".gz"):
        return data
    if not data:
        raise DataError(Problem(name, 0, "-", "gzip data", "an empty file"))
    return _gunzip(data, name)


def check_archive(path: Path) -> None:
    """An xlsx workbook is a zip archive: refuse one that would inflate past the bounds.

    Checked on the sizes its directory declares, before any reader inflates it (the same bounds
    as gzip: :data:`MAX_BYTES`, :data:`MAX_RATIO` times the file's size).
    """
    name = display_name(path)
    try:
        size = path.stat().st_size
        with zipfile.ZipFile(path) as z:
            inflated = sum(i.file_size for i in z.infolist())
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise DataError(
            Problem(name, 0, "-", "an xlsx workbook (a zip archive)", f"{type(exc).__name__}")
        ) from None
    allowed = min(MAX_BYTES, max(MIN_ALLOWANCE, MAX_RATIO * size))
    if inflated > allowed:
        raise DataError(
            Problem(
                name,
                0,
                "-",
                f"a workbook that inflates to at most {_mb(allowed)} ({MAX_RATIO}× its size)",
                f"{_mb(inflated)} declared by its {_mb(size)} archive",
            )
        )


def _mb(n: float) -> str:
    return f"{n / 1_000_000:,.1f} MB" if n >= 100_000 else f"{n:,.0f} bytes"


def _gunzip(data: bytes, name: str) -> bytes:
    """Inflate every member of a gzip file, never producing more than the bounds allow."""
    allowed = min(MAX_BYTES, max(MIN_ALLOWANCE, MAX_RATIO * len(data)))
    out = bytearray()
    rest = data
    while rest:
        dec = zlib.decompressobj(wbits=31)
        pending = rest
        while True:
            try:
                chunk = dec.decompress(pending, CHUNK)
            except zlib.error as exc:
                line = out.count(b"\n") + 1
                raise DataError(
                    Problem(name, line, "-", "a valid gzip stream", f"corrupt data ({exc})")
                ) from None
            out += chunk
            if len(out) > allowed:
                raise DataError(
                    Problem(
                        name,
                        out.count(b"\n") + 1,
                        "-",
                        f"gzip data that inflates to at most {_mb(allowed)} "
                        f"({MAX_RATIO}× its size, {_mb(MAX_BYTES)} at most)",
                        f"more ({_mb(len(data))} compressed; stopped there)",
                    )
                )
            pending = dec.unconsumed_tail
            if dec.eof or (not pending and len(chunk) < CHUNK):
                break
        if not dec.eof:
            line = out.count(b"\n") + 1
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
    return bytes(out)


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


def check_line_ends(text: str, name: str) -> None:
    """Lines end in ``\\n`` or ``\\r\\n``; a carriage return alone (old Mac files) is refused, or
    every line number after it would be wrong."""
    if text.count("\r") == text.count("\r\n"):
        return
    at = re.search(r"\r(?!\n)", text)
    assert at is not None
    line = text.count("\n", 0, at.start()) + 1
    raise DataError(
        Problem(
            name,
            line,
            "-",
            "lines ending in \\n or \\r\\n",
            "a line ending in a carriage return alone (\\r)",
        )
    )


def _row_spanning_lines(text: str, sep: str, name: str) -> Problem:
    """The first row that spans several lines (a quoted line break): every later line would be
    misnumbered, so the file is refused there."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    last = 0
    for _row in reader:
        if reader.line_num > last + 1:
            return Problem(
                name,
                last + 1,
                "-",
                "one row per line (no line break inside a quoted value)",
                f"a row running over lines {last + 1}–{reader.line_num}",
            )
        last = reader.line_num
    return Problem(name, 0, "-", "one row per line", "a different number of rows and lines")


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
    if len(problems) > LIMIT_PER_CHECK:
        raise DataError(problems[:LIMIT_PER_CHECK], len(problems) - LIMIT_PER_CHECK)
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
    check_line_ends(text, name)
    header = parse_header(text, sep, name)
    check_header(header, required, name, exact=exact)
    df = _read_fast(text, sep, header)
    if df is None:
        df = _read_exact(text, sep, name)
    df.index = pd.RangeIndex(2, 2 + len(df))
    if df.empty:
        raise DataError(Problem(name, 2, "-", "at least one data row", "only a header"))
    lines = text.count("\n") + (not text.endswith("\n"))
    if lines != len(df) + 1:
        raise DataError(_row_spanning_lines(text, sep, name))
    short = df.isna().any(axis=1)
    if short.any():
        col = Collector(name)
        col.where(short, "-", f"{len(header)} fields", "fewer fields")
        col.raise_if_any()
    return df


def _read_fast(text: str, sep: str, header: Sequence[str]) -> pd.DataFrame | None:
    """Every cell as text, parsed by pyarrow's CSV reader (five times faster than pandas' C
    parser, which builds a Python string per cell): None when the file is not plainly
    well-formed (a row with too few or too many fields, a line break inside quotes, a blank
    line, a repeated column name): :func:`_read_exact` then reads it and says where it is not."""
    if len(header) < 2 or len(set(header)) != len(header):
        return None
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            parse_options=pacsv.ParseOptions(delimiter=sep, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    if table.column_names != list(header):
        return None
    return table.to_pandas()


def _read_exact(text: str, sep: str, name: str) -> pd.DataFrame:
    """Every cell as text, by pandas' C parser (it names the line of a row with the wrong number
    of fields)."""
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
    return df


MAX_JSON_DEPTH = 64
"""JSON nested deeper than this is refused (GeoJSON needs 6 levels, the metadata 3)."""


def load_json(data: bytes, name: str) -> Any:
    """Parse UTF-8 JSON; every defect is a Problem with its line, never an internal error.

    Refused: bad UTF-8, invalid JSON, a key given twice in one object (the second would silently
    win), numbers Python will not convert (over 4,300 digits) and nesting deeper than
    :data:`MAX_JSON_DEPTH` (checked before parsing, so a hostile file cannot exhaust the stack).
    """
    text = decode_utf8(data, name)
    deep = _too_deep(text)
    if deep is not None:
        raise DataError(
            Problem(
                name,
                deep,
                "-",
                f"JSON nested at most {MAX_JSON_DEPTH} levels deep",
                "deeper nesting",
            )
        )

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise _DuplicateKey(key)
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise DataError(Problem(name, exc.lineno, "-", "valid JSON", exc.msg)) from None
    except _DuplicateKey as exc:
        key = str(exc.args[0])
        # best effort: the second place the key is written (it may be written in other objects)
        hits = [m.start() for m in re.finditer(rf'"{re.escape(key)}"\s*:', text)]
        line = text.count("\n", 0, hits[1]) + 1 if len(hits) > 1 else 1
        raise DataError(
            Problem(name, line, key, "each key once in an object", "it twice")
        ) from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of over 4,300 digits
        long_number = re.search(r"[0-9]{1000}", text)
        line = text.count("\n", 0, long_number.start()) + 1 if long_number else 0
        raise DataError(
            Problem(name, line, "-", "valid JSON of sane numbers", type(exc).__name__)
        ) from None


class _DuplicateKey(Exception):
    pass


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _too_deep(text: str) -> int | None:
    """The line where nesting first exceeds MAX_JSON_DEPTH, or None.

    A quick test first (fewer opening brackets than the limit cannot nest too deep); the token
    scan runs only on files with many brackets, in C through the regular expression.
    """
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return None
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return text.count("\n", 0, m.start()) + 1
        elif c in "]}":
            depth -= 1
    return None


def to_int(series: pd.Series) -> pd.Series:
    """Strings of digits (or empty) → nullable Int64. Callers validate the text first."""
    try:  # text held by pyarrow already (pandas' str dtype): no Python string per cell
        arr = pa.array(series.array)
    except (TypeError, pa.ArrowInvalid):
        arr = pa.array(series.to_numpy(dtype=object), type=pa.string())
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
    values = pd.Int64Dtype().__from_arrow__(pc.cast(arr, pa.int64()))
    return pd.Series(values, index=series.index, name=series.name)


DIGITS = r"[0-9]+"
"""A whole number, in ASCII digits only: ``\\d`` (and ``str.isdigit``) also accept other scripts'
digits (Arabic-Indic, full-width…), which no input of the barometer uses and pyarrow cannot cast."""
COUNT = rf"[0-9]{{1,{MAX_DIGITS}}}"
"""A count: a whole number below 10⁹ (see :data:`MAX_DIGITS`)."""
COUNT_OR_EMPTY = rf"[0-9]{{0,{MAX_DIGITS}}}"
NIS = r"[0-9]{5}"
