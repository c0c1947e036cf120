"""schema.TableSchema: declared columns, kinds, unique keys and order — failing where it happens."""

from __future__ import annotations

import pandas as pd
import pytest

from barometer.errors import BuildError
from barometer.schema import TableSchema

T = TableSchema(
    name="t",
    columns={"code": "str", "year": "int", "value": "float", "kind": "category", "ok": "bool"},
    key=("code", "year"),
)


def frame(**over) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "code": ["01000", "01000", "02000"],
            "year": [2024, 2025, 2024],
            "value": [1.0, float("nan"), 3.5],
            "kind": pd.Categorical(["a", "b", "a"]),
            "ok": [True, False, True],
        }
    )
    for k, v in over.items():
        df[k] = v
    return df


def test_a_conforming_table_passes_unchanged():
    df = frame()
    assert T.validate(df) is df


def test_columns_are_named_in_order():
    with pytest.raises(BuildError, match=r"expected columns \['code', 'year'"):
        T.validate(frame()[["year", "code", "value", "kind", "ok"]])


def test_kinds_are_checked():
    with pytest.raises(BuildError, match="column 'year' should be int, is float64"):
        T.validate(frame(year=[2024.0, 2025.0, 2024.0]))
    with pytest.raises(BuildError, match="column 'kind' should be category"):
        T.validate(frame(kind=["a", "b", "a"]))


def test_the_key_is_unique_and_sorted():
    with pytest.raises(
        BuildError, match=r"key \('code', 'year'\) is not unique, e.g. \['01000', 2024\]"
    ):
        T.validate(frame(year=[2024, 2024, 2024]))
    with pytest.raises(BuildError, match="rows are not sorted"):
        T.validate(frame().iloc[[2, 0, 1]])
    T.validate(frame().iloc[[2, 0, 1]], check_sort=False)


def test_conform_selects_sorts_and_lists_what_is_missing():
    df = frame().iloc[[2, 1, 0]].assign(extra=1)
    out = T.conform(df)
    assert list(out.columns) == list(T.columns) and list(out.code) == ["01000", "01000", "02000"]
    with pytest.raises(BuildError, match=r"missing columns \['ok'\]; available: \["):
        T.conform(frame().drop(columns="ok"))


def test_snake_case_names():
    bad = TableSchema(name="b", columns={"Code": "str"}, key=())
    with pytest.raises(BuildError, match="'Code' is not snake_case"):
        bad.validate(pd.DataFrame({"Code": ["x"]}))
