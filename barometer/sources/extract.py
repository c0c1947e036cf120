"""Reader of the POD MI / SPP IS monthly beneficiaries extract and its metadata.

Inputs:  pod_mi_synthetic/extract.csv.gz (layout: pod_mi_synthetic/SCHEMA.md) and
         pod_mi_synthetic/extract_meta.json (synthetic flag, extract date, months, measures,
         stable_after_months).
Outputs: ExtractMeta and RAW_EXTRACT: one row per (measure, month, code valid in that month)
         with 15 nullable counts. Empty = no claim received (missing), 0 = a true zero.

Everything in SCHEMA.md's contract is checked, each defect reported with its line and column:
the exact header, measures, months (format, within the extract period, not in the future of
the extract date), codes (format, known, valid in the month, not Herstappe), counts
(non-negative whole numbers), rows either fully empty or fully filled, every breakdown group
summing to the total, unique keys, and gpmi/spi never above ris in any cell.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from barometer.errors import DataError, Problem
from barometer.schema import TableSchema
from barometer.sources.textio import NIS, Collector, display_name, read_bytes, read_table, to_int
from barometer.vocabulary import COUNT_COLUMNS, GROUPS, HERSTAPPE

KEY_COLUMNS = ["measure", "month", "nis", "name_nl"]
COLUMNS = [*KEY_COLUMNS, *COUNT_COLUMNS]

RAW_EXTRACT = TableSchema(
    name="raw_extract",
    columns={
        "measure": "str",
        "month": "str",
        "code": "str",
        **dict.fromkeys(COUNT_COLUMNS, "int"),
    },
    key=("measure", "month", "code"),
    doc="the extract as validated: code valid in the month; counts nullable (NA = no claim)",
)

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


@dataclass(frozen=True)
class ExtractMeta:
    """extract_meta.json: what the extract is, when it was taken, which months are stable."""

    synthetic: bool
    publisher: str
    extract_date: str
    first_month: str
    last_month: str
    measures: dict[str, dict[str, str]]
    stable_after_months: dict[str, int]

    @property
    def extract_month(self) -> str:
        return self.extract_date[:7]


def _line_of(text: str, key: str) -> int:
    m = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def read_meta(path: Path) -> ExtractMeta:
    """Read and check extract_meta.json."""
    name = display_name(path)
    data = read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(
            Problem(
                name,
                data.count(b"\n", 0, exc.start) + 1,
                "-",
                "UTF-8 JSON",
                "bytes that are not UTF-8",
            )
        ) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(Problem(name, exc.lineno, "-", "valid JSON", exc.msg)) from None
    if not isinstance(doc, dict):
        raise DataError(Problem(name, 1, "-", "a JSON object", type(doc).__name__))
    problems: list[Problem] = []

    def need(key: str, kind: type, pattern: re.Pattern[str] | None = None) -> Any:
        value: Any = doc.get(key)
        line = _line_of(text, key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            problems.append(
                Problem(
                    name,
                    line,
                    key,
                    f"a {kind.__name__}",
                    "nothing" if value is None else repr(value),
                )
            )
            return None
        if pattern is not None and not pattern.fullmatch(str(value)):
            problems.append(
                Problem(name, line, key, f"a value like {pattern.pattern}", repr(value))
            )
            return None
        return value

    synthetic = need("synthetic", bool)
    publisher = need("publisher", str)
    extract_date = need("extract_date", str, _DATE)
    first = need("first_month", str, _MONTH)
    last = need("last_month", str, _MONTH)
    measures = need("measures", dict)
    stable = need("stable_after_months", dict)
    if isinstance(measures, dict):
        for m, labels in measures.items():
            if not (
                isinstance(labels, dict)
                and all(isinstance(labels.get(lang), str) for lang in ("nl", "fr", "de", "en"))
            ):
                problems.append(
                    Problem(
                        name,
                        _line_of(text, m),
                        f"measures.{m}",
                        "labels in nl, fr, de and en",
                        repr(labels),
                    )
                )
    if isinstance(stable, dict) and isinstance(measures, dict):
        for m in measures:
            v = stable.get(m)
            if not (isinstance(v, int) and not isinstance(v, bool) and v >= 1):
                problems.append(
                    Problem(
                        name,
                        _line_of(text, "stable_after_months"),
                        f"stable_after_months.{m}",
                        "a whole number of months ≥ 1",
                        repr(v),
                    )
                )
    if first and last and first > last:
        problems.append(
            Problem(
                name,
                _line_of(text, "last_month"),
                "last_month",
                f"a month after first_month {first}",
                last,
            )
        )
    if last and extract_date and last >= extract_date[:7]:
        problems.append(
            Problem(
                name,
                _line_of(text, "last_month"),
                "last_month",
                f"a month before the extract date {extract_date}",
                last,
            )
        )
    if problems:
        raise DataError(problems)
    return ExtractMeta(
        synthetic=bool(synthetic),
        publisher=str(publisher),
        extract_date=str(extract_date),
        first_month=str(first),
        last_month=str(last),
        measures={k: dict(v) for k, v in measures.items()},
        stable_after_months={k: int(stable[k]) for k in measures},
    )


def read_extract(
    path: Path, meta: ExtractMeta, code_map: pd.DataFrame, subsets: dict[str, str]
) -> pd.DataFrame:
    """Read and validate the extract against SCHEMA.md; return RAW_EXTRACT.

    ``subsets``: measure → the measure it is a subset of (the catalogue's ``subset_of``).
    """
    name = display_name(path)
    df = read_table(path, required=COLUMNS, exact=True)
    col = Collector(name)
    measures = sorted(meta.measures)
    col.where(~df.measure.isin(measures), "measure", f"one of {', '.join(measures)}", df.measure)
    month_ok = df.month.str.fullmatch(_MONTH.pattern)
    col.where(~month_ok, "month", "a month YYYY-MM", df.month)
    col.where(
        month_ok
        & ((df.month < meta.first_month) | (df.month > meta.last_month))
        & (df.month < meta.extract_month),
        "month",
        f"a month of the extract period {meta.first_month} … {meta.last_month}",
        df.month,
    )
    col.where(
        month_ok & (df.month >= meta.extract_month),
        "month",
        f"a month before the extract date {meta.extract_date}",
        df.month,
    )
    nis_ok = df.nis.str.fullmatch(NIS)
    col.where(~nis_ok, "nis", "a 5-digit REFNIS code", df.nis)
    cm = code_map.set_index("code")
    known = df.nis.isin(cm.index)
    col.where(nis_ok & ~known, "nis", "a known municipality code", df.nis)
    frm, to = df.nis.map(cm.valid_from), df.nis.map(cm.valid_to)
    valid = known & month_ok & (frm <= df.month) & (df.month <= to)
    col.where(
        known & month_ok & ~valid,
        "nis",
        "a code valid in that month",
        df.nis + " (valid " + frm.fillna("") + " … " + to.fillna("") + ") in " + df.month,
    )
    col.where(
        df.nis == HERSTAPPE,
        "nis",
        "no row for Herstappe (73028 has no OCMW/CPAS of its own)",
        df.nis,
    )
    for c in COUNT_COLUMNS:
        col.where(
            ~df[c].str.fullmatch(r"\d*"), c, "a non-negative whole number or an empty cell", df[c]
        )
    col.raise_if_any()

    empty = df[list(COUNT_COLUMNS)] == ""
    no_total = empty["total"]
    partly = empty.any(axis=1) & ~empty.all(axis=1)
    first_gap = empty.idxmax(axis=1).where(~no_total, (~empty).idxmax(axis=1))
    col.where(
        partly,
        "-",
        "a row either fully empty (no claim) or fully filled",
        "a partly empty row (first odd cell: " + first_gap + ")",
    )
    col.where(
        df.duplicated(["measure", "month", "nis"]),
        "nis",
        "one row per measure, month and code",
        "a duplicate of an earlier row: " + df.measure + " " + df.month + " " + df.nis,
    )
    col.raise_if_any()

    counts = pd.DataFrame({c: to_int(df[c]) for c in COUNT_COLUMNS}, index=df.index)
    for group, cols in GROUPS.items():
        s = counts[list(cols)].sum(axis=1, min_count=1)
        bad = counts.total.notna() & (s != counts.total)
        col.where(
            bad,
            cols[-1],
            f"the {group} breakdown ({' + '.join(cols)}) to sum to total",
            "a sum of " + s.astype(str) + " for a total of " + counts.total.astype(str),
        )
    out = pd.concat([df[["measure", "month"]], df.nis.rename("code"), counts], axis=1)
    _check_subsets(col, out, subsets)
    col.raise_if_any()
    return RAW_EXTRACT.conform(out)


def _check_subsets(col: Collector, out: pd.DataFrame, subsets: dict[str, str]) -> None:
    """A subset (gpmi and spi of ris): no cell may exceed its parent's cell of the same month and code."""
    for m, parent in sorted(subsets.items()):
        whole = out[out.measure == parent].set_index(["month", "code"])[list(COUNT_COLUMNS)]
        part = out[out.measure == m]
        if part.empty or whole.empty:
            continue
        keyed = part.set_index(["month", "code"])[list(COUNT_COLUMNS)]
        base = whole.reindex(keyed.index)
        over = keyed.gt(base).fillna(False)
        rows = over.any(axis=1).to_numpy()
        if rows.any():
            mask = pd.Series(rows, index=part.index)
            first_col = over[rows].idxmax(axis=1).to_numpy()
            found = pd.Series("", index=part.index)
            found[mask] = [
                f"{c} {keyed.loc[k, c]} > {parent} {base.loc[k, c]}"
                for k, c in zip(keyed.index[rows], first_col, strict=True)
            ]
            col.where(mask, "-", f"{m} ≤ {parent} in every cell (a subset of {parent})", found)
