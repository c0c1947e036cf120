"""Fiscal income harmonised by summing totals and counts, never averaging averages."""

from __future__ import annotations

import pandas as pd
import pytest


@pytest.fixture(scope="module")
def raw_income(snapshot):
    df = pd.read_excel(
        snapshot / "income/TF_PSNL_INC_TAX_MUNTY_2005-2020.xlsx", engine="calamine", dtype=str
    )
    return df.set_index(["CD_YEAR", "CD_MUNTY_REFNIS"])


def test_merged_municipality_is_the_sum_of_predecessors(canon, raw_income):
    inc = canon.income.set_index(["year", "code"])
    preds = ["23023", "23024", "23032"]
    total = sum(float(raw_income.loc[("2020", c), "MS_TOT_NET_TAXABLE_INC"]) for c in preds)
    decl = sum(int(raw_income.loc[("2020", c), "MS_NBR_NON_ZERO_INC"]) for c in preds)
    row = inc.loc[(2020, "23106")]
    assert row.net_taxable_income == pytest.approx(total, rel=1e-12)
    assert row.declarations == decl
    assert row.average_per_declaration == pytest.approx(total / decl)
    mean_of_means = (
        sum(
            float(raw_income.loc[("2020", c), "MS_TOT_NET_TAXABLE_INC"])
            / int(raw_income.loc[("2020", c), "MS_NBR_NON_ZERO_INC"])
            for c in preds
        )
        / 3
    )
    assert row.average_per_declaration != pytest.approx(mean_of_means, rel=1e-6)


def test_belgium_average_per_declaration(canon):
    inc = canon.income
    y = inc[inc.year == 2020]
    assert y.net_taxable_income.sum() / y.declarations.sum() == pytest.approx(35_313, abs=1)
    assert len(y) == 565
    assert inc.year.min() == 2005 and inc.year.max() == 2020
