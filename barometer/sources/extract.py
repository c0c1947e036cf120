"""Reader of the POD MI / SPP IS monthly beneficiaries extract and its metadata.

Inputs:  pod_mi_synthetic/extract.csv.gz (layout: pod_mi_synthetic/SCHEMA.md) and
         pod_mi_synthetic/extract_meta.json (synthetic flag, extract date, months, measures,
         stable_after_months).
Outputs: ExtractMeta and RAW_EXTRACT: one row per (measure, month, code valid in that month)
         with 15 nullable counts. Empty = no claim received (missing), 0 = a true zero.

Everything in SCHEMA.md's contract is checked, each defect reported with its line and column:
the exact header, measures, months (format, within the extract period, not in the future of
the extract date), codes (format, known, valid in the month, not Herstappe), counts
(non-negative whole numbers of at most 9 digits), rows either fully empty or fully filled,
every breakdown group summing to the total, unique keys, subsets never above their measure in
any cell, and completeness: one row per measure, month and code valid in the month (issue 13).

The metadata cannot change that contract: it may name only measures of the catalogue, its
dates are real and none lies after the extract date, its stable-after months are within 0-24,
its booleans are JSON booleans, and it has no key the reader does not know.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from barometer.errors import DataError, Problem
from barometer.schema import TableSchema
from barometer.sources.textio import (
    COUNT_OR_EMPTY,
    MAX_DIGITS,
    NIS,
    Collector,
    display_name,
    load_json,
    read_bytes,
    read_table,
    to_int,
)
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
        "line": "int",
    },
    key=("measure", "month", "code"),
    doc="the extract as validated: code valid in the month; counts nullable (NA = no claim)",
)

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_DATE = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])")
LANGS = ("nl", "fr", "de", "en")
STABLE_RANGE = (0, 24)
"""``stable_after_months`` within these bounds (months): beyond two years the rule would hide
most of what the barometer is for, and a typo (40 for 4) would pass unnoticed."""
META_REQUIRED = (
    "synthetic",
    "publisher",
    "extract_date",
    "first_month",
    "last_month",
    "measures",
    "stable_after_months",
)
META_OPTIONAL = ("previous_vintage", "not_collected")


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
    previous_vintage: str | None = None
    """The extract date of the previous vintage, if the publisher names it."""
    not_collected: dict[str, list[str]] = field(default_factory=dict)
    """Measure → breakdown columns never recorded for it (always empty, not missing)."""

    @property
    def extract_month(self) -> str:
        return self.extract_date[:7]


def _line_of(text: str, key: str) -> int:
    m = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _real_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def read_meta(
    path: Path, known_measures: Collection[str], derived: Collection[str] = ()
) -> ExtractMeta:
    """Read extract_meta.json and check that it cannot bend the contract.

    ``known_measures``: the codes of the measure catalogue an extract reports; the metadata may
    only name those (``derived``: the catalogue's derived codes, refused with their own reason).
    Every key is typed (booleans are JSON booleans, never the text "true"), dates are real
    calendar dates, no date lies after the extract date, ``stable_after_months`` gives every
    measure a whole number of months in :data:`STABLE_RANGE`, and unknown keys are refused.
    """
    name = display_name(path)
    data = read_bytes(path)
    doc = load_json(data, name)
    text = data.decode("utf-8")
    if not isinstance(doc, dict):
        raise DataError(Problem(name, 1, "-", "a JSON object", type(doc).__name__))
    problems: list[Problem] = []

    def bad(key: str, expected: str, found: object, at: str | None = None) -> None:
        shown = "nothing" if found is None else found if isinstance(found, str) else repr(found)
        problems.append(Problem(name, _line_of(text, at or key), key, expected, shown))

    for key in doc:
        if key not in META_REQUIRED + META_OPTIONAL:
            bad(key, f"only the keys {', '.join(META_REQUIRED + META_OPTIONAL)}", f"'{key}'")

    def need(key: str, kind: type, what: str) -> Any:
        value = doc.get(key)
        if type(value) is not kind:  # not isinstance: True is an int, and "true" is no bool
            bad(key, what, json.dumps(value) if value is not None else None)
            return None
        return value

    synthetic = need("synthetic", bool, "a JSON boolean (true or false)")
    publisher = need("publisher", str, "a text")
    extract_date = need("extract_date", str, "a date YYYY-MM-DD")
    first = need("first_month", str, "a month YYYY-MM")
    last = need("last_month", str, "a month YYYY-MM")
    measures = need("measures", dict, "an object: measure code → labels")
    stable = need("stable_after_months", dict, "an object: measure code → months")

    if isinstance(extract_date, str) and not (
        _DATE.fullmatch(extract_date) and _real_date(extract_date)
    ):
        bad("extract_date", "a real calendar date YYYY-MM-DD", repr(extract_date))
        extract_date = None
    for key, value in (("first_month", first), ("last_month", last)):
        if isinstance(value, str) and not _MONTH.fullmatch(value):
            bad(key, "a month YYYY-MM", repr(value))
    first = first if isinstance(first, str) and _MONTH.fullmatch(first) else None
    last = last if isinstance(last, str) and _MONTH.fullmatch(last) else None
    if isinstance(publisher, str) and not publisher.strip():
        bad("publisher", "a text", "an empty text")

    if isinstance(measures, dict):
        if not measures:
            bad("measures", "at least one measure", "none")
        for m, labels in measures.items():
            if m in derived:
                bad(
                    f"measures.{m}",
                    "a measure the extract reports (the barometer computes derived measures)",
                    f"'{m}', a derived measure",
                    at=m,
                )
            elif m not in known_measures:
                bad(
                    f"measures.{m}",
                    f"a measure of the catalogue ({', '.join(known_measures)})",
                    f"'{m}'",
                    at=m,
                )
            elif not (
                isinstance(labels, dict)
                and set(labels) == set(LANGS)
                and all(isinstance(v, str) and v.strip() for v in labels.values())
            ):
                bad(f"measures.{m}", "labels in nl, fr, de and en", json.dumps(labels), at=m)
    if isinstance(stable, dict) and isinstance(measures, dict):
        lo, hi = STABLE_RANGE
        for m in measures:
            v = stable.get(m)
            if not (type(v) is int and lo <= v <= hi):
                bad(
                    f"stable_after_months.{m}",
                    f"a whole number of months from {lo} to {hi}",
                    json.dumps(v) if m in stable else None,
                    at="stable_after_months",
                )
        for m in sorted(set(stable) - set(measures)):
            bad(
                f"stable_after_months.{m}",
                "only measures of the metadata's measures",
                f"'{m}'",
                at="stable_after_months",
            )

    previous = doc.get("previous_vintage")
    if "previous_vintage" in doc:
        if not (isinstance(previous, str) and _DATE.fullmatch(previous) and _real_date(previous)):
            bad("previous_vintage", "a real calendar date YYYY-MM-DD", json.dumps(previous))
            previous = None
        elif extract_date and previous >= extract_date:
            bad(
                "previous_vintage",
                f"a date before the extract date {extract_date}",
                previous,
            )
    not_collected = doc.get("not_collected", {})
    if not isinstance(not_collected, dict):
        bad(
            "not_collected",
            "an object: measure code → breakdown columns",
            json.dumps(not_collected),
        )
        not_collected = {}
    for m, cols in not_collected.items():
        whole = {c for group in GROUPS.values() if set(group) <= set(cols or ()) for c in group}
        if not isinstance(measures, dict) or m not in measures:
            bad(f"not_collected.{m}", "a measure of the metadata's measures", f"'{m}'", at=m)
        elif not (
            isinstance(cols, list)
            and cols
            and all(isinstance(c, str) for c in cols)
            and len(set(cols)) == len(cols)
            and set(cols) == whole
        ):
            bad(
                f"not_collected.{m}",
                "a list of whole breakdown groups' columns (never total)",
                json.dumps(cols),
                at="not_collected",
            )

    if first and last and first > last:
        bad("last_month", f"a month from first_month {first} on", last)
    if last and extract_date and last >= extract_date[:7]:
        bad("last_month", f"a month before the extract date {extract_date}", last)
    if first and extract_date and first >= extract_date[:7]:
        bad("first_month", f"a month before the extract date {extract_date}", first)
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
        previous_vintage=previous,
        not_collected={m: list(c) for m, c in sorted(not_collected.items())},
    )


def read_extract(
    path: Path,
    meta: ExtractMeta,
    code_map: pd.DataFrame,
    subsets: dict[str, str],
    *,
    complete: bool = True,
    derived: Collection[str] = (),
    not_collected: dict[str, tuple[str, ...]] | None = None,
) -> pd.DataFrame:
    """Read and validate the extract against SCHEMA.md; return RAW_EXTRACT.

    ``subsets``: measure → the measure it is a subset of (the catalogue's ``subset_of``).
    ``derived``: the catalogue's derived codes (never in an extract). ``not_collected``: measure →
    the breakdown groups the catalogue says are not collected for it (always empty cells, like the
    columns the metadata's ``not_collected`` names).
    ``complete``: check that no row is missing (off only while the metadata is itself broken,
    when the extract's period is unknown).
    """
    name = display_name(path)
    df = read_table(path, required=COLUMNS, exact=True)
    col = Collector(name)
    measures = sorted(meta.measures)
    is_derived = df.measure.isin(list(derived))
    col.where(
        is_derived,
        "measure",
        "a measure the extract reports (derived measures are computed by the barometer)",
        lambda ix: df.measure[ix] + " (a derived measure)",
    )
    col.where(
        ~df.measure.isin(measures) & ~is_derived,
        "measure",
        f"one of {', '.join(measures)}",
        df.measure,
    )
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
        lambda ix: (
            (df.nis[ix] + " (valid " + frm[ix].fillna("") + " … " + to[ix].fillna("") + ") in ")
            + df.month[ix]
        ),
    )
    col.where(
        df.nis == HERSTAPPE,
        "nis",
        "no row for Herstappe (73028 has no OCMW/CPAS of its own)",
        df.nis,
    )
    for c in COUNT_COLUMNS:
        col.where(
            ~df[c].str.fullmatch(COUNT_OR_EMPTY),
            c,
            f"a non-negative whole number (at most {MAX_DIGITS} digits) or an empty cell",
            df[c],
        )
    col.raise_if_any()

    empty = df[list(COUNT_COLUMNS)] == ""
    uncollected = {m: list(cols) for m, cols in meta.not_collected.items()}
    for m, groups in (not_collected or {}).items():
        cols = [c for g in groups for c in GROUPS[g]]
        uncollected[m] = sorted(set(uncollected.get(m, [])) | set(cols), key=COUNT_COLUMNS.index)
    for m, cols in uncollected.items():
        rows = df.measure == m
        for c in cols:
            col.where(
                rows & ~empty[c],
                c,
                f"an empty cell ({c} is not collected for {m})",
                df[c],
            )
        # a not-collected cell is as empty as the claim: it makes no row "partly empty"
        empty.loc[rows, list(cols)] = np.repeat(
            empty.loc[rows, ["total"]].to_numpy(), len(cols), axis=1
        )
    no_total = empty["total"]
    partly = empty.any(axis=1) & ~empty.all(axis=1)

    def first_gap(ix: pd.Index) -> pd.Series:
        odd = empty.loc[ix]
        return odd.idxmax(axis=1).where(~no_total[ix], (~odd).idxmax(axis=1))

    col.where(
        partly,
        "-",
        "a row either fully empty (no claim) or fully filled",
        lambda ix: "a partly empty row (first odd cell: " + first_gap(ix) + ")",
    )
    col.where(
        df.duplicated(["measure", "month", "nis"]),
        "nis",
        "one row per measure, month and code",
        lambda ix: (
            ("a duplicate of an earlier row: " + df.measure[ix] + " " + df.month[ix] + " ")
            + df.nis[ix]
        ),
    )
    col.raise_if_any()
    if complete:
        col.problems.extend(_check_complete(name, df, meta, code_map))
    col.raise_if_any()

    counts = pd.DataFrame({c: to_int(df[c]) for c in COUNT_COLUMNS}, index=df.index)
    for group, group_cols in GROUPS.items():
        s = counts[list(group_cols)].sum(axis=1, min_count=1)
        collected = ~df.measure.isin(
            [m for m, nc in uncollected.items() if set(group_cols) <= set(nc)]
        )
        bad = collected & counts.total.notna() & (s != counts.total)

        def sums(ix: pd.Index, s: pd.Series = s) -> pd.Series:
            return (
                "a sum of " + s[ix].astype(str) + " for a total of " + counts.total[ix].astype(str)
            )

        col.where(
            bad,
            group_cols[-1],
            f"the {group} breakdown ({' + '.join(group_cols)}) to sum to total",
            sums,
        )
    out = pd.concat(
        [
            df[["measure", "month"]],
            df.nis.rename("code"),
            counts,
            pd.Series(df.index.to_numpy(dtype="int64"), index=df.index, name="line"),
        ],
        axis=1,
    )
    _check_subsets(col, out, subsets)
    col.raise_if_any()
    return RAW_EXTRACT.conform(out)


def _check_complete(
    name: str, df: pd.DataFrame, meta: ExtractMeta, code_map: pd.DataFrame
) -> list[Problem]:
    """Every code valid in a month has exactly one row per measure of the metadata for that month.

    An empty total is a missing claim (the publisher says it has nothing); an absent row is a
    broken file, refused. Rows are already known to be unique, in the period and valid in their
    month, so counting rows per (measure, month) proves completeness in one pass; only a file
    that fails it is searched for its missing rows, reported by kind (a whole measure, whole
    months, single rows) with the first missing key and how many are missing.
    """
    first, last = month_index(meta.first_month), month_index(meta.last_month)
    months = pd.Series([month_label(i) for i in range(first, last + 1)], name="month")
    cm = code_map.loc[code_map.code != HERSTAPPE, ["code", "valid_from", "valid_to"]]
    cells = months.to_frame().merge(cm, how="cross")
    cells = cells.loc[
        (cells.valid_from <= cells.month) & (cells.month <= cells.valid_to), ["month", "code"]
    ]
    per_month = cells.groupby("month").size()
    measures = sorted(meta.measures)
    want = pd.Series(
        np.tile(per_month.reindex(months).fillna(0).to_numpy(), len(measures)),
        index=pd.MultiIndex.from_product([measures, months], names=["measure", "month"]),
    )
    have = df.groupby(["measure", "month"]).size().reindex(want.index, fill_value=0)
    if (have == want).all():
        return []
    expected = pd.DataFrame({"measure": measures}).merge(cells, how="cross")
    present = pd.MultiIndex.from_frame(df[["measure", "month", "nis"]])
    absent = expected[
        ~pd.MultiIndex.from_frame(expected[["measure", "month", "code"]]).isin(present)
    ]
    no_measure = set(measures) - set(df.measure)
    no_month = set(have.index[have == 0]) - {(m, mo) for m in no_measure for mo in months}
    kinds = {
        "measure": absent.measure.isin(no_measure),
        "month": pd.Series(
            list(zip(absent.measure, absent.month, strict=True)), index=absent.index
        ).isin(no_month),
    }
    kinds["nis"] = ~(kinds["measure"] | kinds["month"])
    problems = []
    for column, mask in kinds.items():
        rows = absent[mask.to_numpy()]
        if rows.empty:
            continue
        f = rows.iloc[0]
        what = {
            "measure": f"rows for every measure of the metadata ({', '.join(measures)})",
            "month": f"rows for every month from {meta.first_month} to {meta.last_month}",
            "nis": "a row for every code valid in the month (empty counts if no claim)",
        }[column]
        first_key = {
            "measure": f"no row of {f.measure}",
            "month": f"no row of {f.measure} in {f.month}",
            "nis": f"no row of {f.measure} {f.month} {f.code}",
        }[column]
        n = len(rows)
        problems.append(
            Problem(name, 0, column, what, f"{first_key} ({n:,} row{'s' * (n != 1)} missing)")
        )
    return problems


def month_index(month: str) -> int:
    """'YYYY-MM' → months since year 0."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_label(index: int) -> str:
    """Months since year 0 → 'YYYY-MM'."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


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
