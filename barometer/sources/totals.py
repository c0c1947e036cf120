"""Reader of the published national/regional/provincial totals of integration-income beneficiaries.

Input:  published_totals/ris_national_regional_provincial_totals.csv (real figures transcribed
        from public pages, one URL per row; period_type says what a figure is).
Output: PUBLISHED_TOTALS with the value in its printed unit and, for counts of persons, ``persons``
        (thousands multiplied out). Only ``annual_average_of_monthly_counts`` rows are comparable
        with annual averages computed from the extract; the others are kept for notes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from barometer.schema import TableSchema
from barometer.sources.textio import NIS, Collector, display_name, read_table

COLUMNS = [
    "level",
    "geo_name",
    "geo_nis",
    "period",
    "period_type",
    "measure",
    "value",
    "unit",
    "source_url",
    "publisher",
    "note",
]
LEVELS = ("country", "region", "province")
PERSON_UNITS = {"persons": 1.0, "thousand persons": 1000.0}
ANNUAL_AVERAGE = "annual_average_of_monthly_counts"

PUBLISHED_TOTALS = TableSchema(
    name="published_totals",
    columns={
        "file": "str",
        "line": "int",
        "level": "str",
        "code": "str",
        "name": "str",
        "period": "str",
        "period_type": "str",
        "measure": "str",
        "value": "float",
        "decimals": "int",
        "unit": "str",
        "persons": "float",
        "source_url": "str",
        "publisher": "str",
        "note": "str",
    },
    key=("file", "line"),
    doc="one published figure per row (file and line where it is written); persons is NA unless the unit counts persons",
)


def read_published_totals(path: Path, entity_codes: set[str]) -> pd.DataFrame:
    name = display_name(path)
    df = read_table(path, required=COLUMNS)
    col = Collector(name)
    col.where(~df.level.isin(LEVELS), "level", f"one of {', '.join(LEVELS)}", df.level)
    col.where(~df.geo_nis.str.fullmatch(NIS), "geo_nis", "a 5-digit REFNIS code", df.geo_nis)
    col.where(
        df.geo_nis.str.fullmatch(NIS) & ~df.geo_nis.isin(entity_codes),
        "geo_nis",
        "the code of Belgium, a region or a province",
        df.geo_nis,
    )
    number = df.value.str.fullmatch(r"[0-9]{1,12}(\.[0-9]{1,6})?")
    col.where(~number, "value", "a non-negative number (ASCII digits)", df.value)
    value = pd.to_numeric(df.value.where(number), errors="coerce")
    col.where(
        ~df.period.str.match(r"[0-9]{4}"), "period", "a period starting with a year", df.period
    )
    col.where(
        ~df.source_url.str.startswith("http"),
        "source_url",
        "the URL of the publication",
        df.source_url,
    )
    col.raise_if_any()
    factor = df.unit.map(PERSON_UNITS)
    out = pd.DataFrame(
        {
            "file": name,
            "line": df.index.to_numpy(dtype="int64"),
            "level": df.level,
            "code": df.geo_nis,
            "name": df.geo_name,
            "period": df.period,
            "period_type": df.period_type,
            "measure": df.measure,
            "value": value.astype("float64"),
            "decimals": df.value.str.partition(".")[2].str.len().astype("int64"),
            "unit": df.unit,
            "persons": (value * factor).astype("float64"),
            "source_url": df.source_url,
            "publisher": df.publisher,
            "note": df.note,
        }
    )
    return PUBLISHED_TOTALS.conform(out)
