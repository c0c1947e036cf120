"""Declared table schemas and their validation.

Every DataFrame leaving a stage has a :class:`TableSchema`: column names (snake_case) with a
dtype kind, a key that must be unique, and a sort order. ``validate`` is cheap and is called on
every stage output, so a mistake in a transform fails where it happens, with the available
columns listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from barometer.errors import BuildError

_SNAKE = re.compile(r"[a-z][a-z0-9_]*")

KINDS = {
    "str": pd.api.types.is_string_dtype,
    "int": lambda s: (
        pd.api.types.is_integer_dtype(s) and not isinstance(s.dtype, pd.CategoricalDtype)
    ),
    "float": pd.api.types.is_float_dtype,
    "bool": pd.api.types.is_bool_dtype,
    "category": lambda s: isinstance(s.dtype, pd.CategoricalDtype),
}


@dataclass(frozen=True)
class TableSchema:
    """Columns (name → kind), unique key and sort order of one table."""

    name: str
    columns: dict[str, str]
    key: tuple[str, ...]
    sort: tuple[str, ...] | None = None
    doc: str = ""

    def validate(
        self, df: pd.DataFrame, *, check_sort: bool = True, check_key: bool = True
    ) -> pd.DataFrame:
        """Check columns, kinds, key uniqueness and order; return ``df`` unchanged."""
        cols = list(df.columns)
        if cols != list(self.columns):
            raise BuildError(
                f"table {self.name}: expected columns {list(self.columns)}, found {cols}"
            )
        for col, kind in self.columns.items():
            if not _SNAKE.fullmatch(col):
                raise BuildError(f"table {self.name}: column '{col}' is not snake_case")
            if not KINDS[kind](df[col]):
                raise BuildError(
                    f"table {self.name}: column '{col}' should be {kind}, is {df[col].dtype}"
                )
        if check_key and self.key:
            dup = df.duplicated(list(self.key))
            if dup.any():
                first = [
                    v.item() if hasattr(v, "item") else v
                    for v in df.loc[dup, list(self.key)].iloc[0].tolist()
                ]
                raise BuildError(f"table {self.name}: key {self.key} is not unique, e.g. {first}")
        order = self.sort if self.sort is not None else self.key
        if check_sort and order and len(df) > 1:
            sorted_df = df.sort_values(list(order), kind="stable")
            if not sorted_df.index.equals(df.index):
                raise BuildError(f"table {self.name}: rows are not sorted by {order}")
        return df

    def conform(self, df: pd.DataFrame) -> pd.DataFrame:
        """Select the declared columns, sort by the declared order, reset the index, validate."""
        missing = [c for c in self.columns if c not in df.columns]
        if missing:
            raise BuildError(
                f"table {self.name}: missing columns {missing}; available: {list(df.columns)}"
            )
        order = list(self.sort if self.sort is not None else self.key)
        out = df[list(self.columns)]
        if order:
            out = out.sort_values(order, kind="stable")
        return self.validate(out.reset_index(drop=True))
