"""Canonical fiscal income on the 2025 municipalities.

Input:  RAW_INCOME (581-municipality codes, income years 2005-2020).
Output: INCOME per (year, 2025 municipality): summed totals and counts of the predecessors, and
        the average net taxable income per declaration recomputed from those sums — never an
        average of averages. A missing ('*') member makes the sum missing.
"""

from __future__ import annotations

import pandas as pd

from barometer.harmonise import to_2025
from barometer.schema import TableSchema

INCOME = TableSchema(
    name="income",
    columns={
        "year": "int",
        "code": "str",
        "net_taxable_income": "float",
        "declarations": "int",
        "residents": "int",
        "average_per_declaration": "float",
    },
    key=("year", "code"),
    doc="income year; 2025 code; sums of predecessors; average = total / declarations (EUR)",
)

GEOGRAPHY_MONTH = "2019-01"
"""The workbook is on the 2019-2024 geography for every year: validity is checked in this month."""


def harmonise_income(raw: pd.DataFrame, code_map: pd.DataFrame) -> pd.DataFrame:
    work = raw.assign(geo_period=GEOGRAPHY_MONTH)
    h = to_2025(
        work,
        code_map,
        keys=["year"],
        period="geo_period",
        values=["net_taxable_income", "declarations", "residents"],
    )
    h["year"] = h.year.astype("int64")
    h["declarations"] = h.declarations.astype("Int64")
    h["residents"] = h.residents.astype("Int64")
    h["net_taxable_income"] = h.net_taxable_income.astype("float64")
    h["average_per_declaration"] = (h.net_taxable_income / h.declarations.astype("float64")).astype(
        "float64"
    )
    return INCOME.conform(h.drop(columns="geo_period"))
