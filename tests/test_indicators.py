"""The indicator table on the real snapshot, checked against values computed here from the raw files."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from barometer.indicators import INDICATORS, compute_indicators, last_published_months


@pytest.fixture(scope="module")
def result(canon):
    return compute_indicators(canon)


@pytest.fixture(scope="module")
def table(result):
    return result.table


@pytest.fixture(scope="module")
def raw(snapshot):
    return pd.read_csv(snapshot / "pod_mi_synthetic/extract.csv.gz", dtype={"nis": str})


@pytest.fixture(scope="module")
def raw_pop(snapshot):
    with open(
        snapshot / "population/statbel_population_1jan_1992-2021_by_sex_long.csv", encoding="utf-8"
    ) as fh:
        return {(int(r["year_1jan"]), r["nis_code"]): int(r["total"]) for r in csv.DictReader(fh)}


def pick(table, geo, measure, period, indicator="count", dimension="total", category="total"):
    t = table
    row = t[
        (t.geo_code == geo)
        & (t.measure == measure)
        & (t.period == period)
        & (t.indicator == indicator)
        & (t.dimension == dimension)
        & (t.category == category)
    ]
    assert len(row) == 1, (geo, measure, period, indicator, dimension, category, len(row))
    return row.iloc[0]


def test_columns_levels_and_schema(table):
    assert list(table.columns) == list(INDICATORS.columns)
    levels = table.groupby("geo_level", observed=True).geo_code.nunique().to_dict()
    assert levels == {
        "country": 1,
        "region": 3,
        "province": 10,
        "arrondissement": 43,
        "municipality": 564,
    }
    assert "73028" not in set(table.geo_code.astype(str))  # Herstappe: no rows, not zeros
    assert set(table.measure.astype(str)) == {"ris", "eris", "gpmi", "spi"}
    key = ["geo_code", "measure", "period_type", "period", "indicator", "dimension", "category"]
    assert not table.duplicated(key).any()


def test_only_stable_months_are_published(table, canon):
    last = last_published_months(canon.meta)
    assert last == {"ris": "2026-07", "gpmi": "2026-07", "spi": "2026-07", "eris": "2026-04"}
    months = table[table.period_type == "month"]
    newest = months.groupby("measure", observed=True).period.agg(lambda s: max(map(str, s)))
    assert newest.to_dict() == last


def test_gent_per_1000_from_the_raw_files(table, raw, raw_pop):
    count = raw[
        (raw.measure == "ris") & (raw.month == "2020-06") & (raw.nis == "44021")
    ].total.item()
    assert pick(table, "44021", "ris", "2020-06").value == count
    assert pick(table, "44021", "ris", "2020-06", "per_1000").value == pytest.approx(
        count / raw_pop[(2020, "44021")] * 1000
    )


def test_belgium_annual_average_is_the_sum_of_municipal_averages(table, raw):
    ris = raw[(raw.measure == "ris") & raw.month.str.startswith("2017")]
    expected = ris.groupby("nis").total.mean().sum()
    row = pick(table, "01000", "ris", "2017")
    assert row.value == pytest.approx(round(expected, 1), abs=1e-9)  # published to one decimal
    assert row.value == pytest.approx(140_200, rel=0.001)


def test_higher_levels_are_sums_and_rates_are_recomputed(table, canon):
    t = table[(table.measure == "ris") & (table.period == "2019-03") & (table.dimension == "total")]
    counts = t[t.indicator == "count"].set_index("geo_code").value
    ent = canon.entities.set_index("code")
    munis = ent[(ent.level == "municipality") & (ent.index != "73028")]
    for arr in ("44000", "21000", "62000"):
        members = munis[munis.arrondissement == arr].index
        assert counts[arr] == counts[members].sum()
    pop = canon.population[canon.population.year == 2019].set_index("code").total
    members = munis[munis.province == "40000"].index
    expected = counts[members].sum() / pop[list(members) + []].sum() * 1000
    rate = t[(t.indicator == "per_1000") & (t.geo_code == "40000")].value.item()
    assert rate == pytest.approx(expected)
    mean_of_rates = t[(t.indicator == "per_1000") & t.geo_code.isin(members)].value.mean()
    assert abs(rate - mean_of_rates) > 0.01  # never an average of averages


def test_missing_is_not_zero(table, canon):
    wide = canon.beneficiaries_wide
    na = wide[wide.total.isna() & (wide.month < "2026-01")].iloc[0]
    row = pick(table, na.municipality_2025, na.measure, na.month)
    assert np.isnan(row.value) and row.flag == "missing"
    country = pick(table, "01000", na.measure, na.month)
    assert "incomplete" in country.flag.split(";") and country.value > 0


def test_herstappe_does_not_make_tongeren_incomplete(table, canon):
    wide = canon.beneficiaries_wide
    ent = canon.entities.set_index("code")
    members = ent[(ent.arrondissement == "73000") & (ent.level == "municipality")].index
    month = "2016-03"
    sub = wide[
        (wide.measure == "ris") & (wide.month == month) & wide.municipality_2025.isin(members)
    ]
    assert sub.total.notna().all() and len(sub) == len(members) - 1
    assert "incomplete" not in pick(table, "73000", "ris", month).flag


def test_denominators_fall_back_visibly(table):
    assert pick(table, "62063", "ris", "2023", "per_1000").flag == "population_year=2021"  # Liège
    assert pick(table, "44021", "ris", "2023", "per_1000").flag == ""  # Gent: 2023 exists
    assert pick(table, "21004", "ris", "2023-05", "per_1000").flag == "population_year=2021"
    flanders = pick(table, "02000", "ris", "2023", "per_1000").flag
    assert flanders == "population_years=2021-2023"  # merged successors lack 2022-2024
    assert pick(table, "01000", "ris", "2026-07", "per_1000").flag == "population_years=2021-2025"


def test_annual_average_says_how_many_months(table):
    assert pick(table, "01000", "ris", "2026", "months").value == 7
    assert "months=7" in pick(table, "01000", "ris", "2026").flag
    assert pick(table, "01000", "eris", "2026", "months").value == 4
    assert pick(table, "01000", "ris", "2025", "months").value == 12


def test_growth_and_year_on_year(table):
    now = pick(table, "44021", "ris", "2026-07").value
    before = pick(table, "44021", "ris", "2025-07").value
    assert pick(table, "44021", "ris", "2026-07", "yoy_change").value == pytest.approx(
        now / before - 1
    )
    assert pick(table, "44021", "ris", "2026-07", "growth_12m").value == pytest.approx(
        (now / before) ** (1 / 12) - 1
    )
    y = pick(table, "03000", "ris", "2020", "yoy_change").value
    assert y == pytest.approx(
        pick(table, "03000", "ris", "2020").value / pick(table, "03000", "ris", "2019").value - 1
    )


def test_shares_and_ratios(table):
    t = table[(table.indicator == "share") & table.value.notna()]
    assert t.value.between(0, 1).all()
    g = table[
        (table.geo_code == "44021")
        & (table.measure == "ris")
        & (table.period == "2026-07")
        & (table.indicator == "share")
    ]
    for dim, grp in g.groupby("dimension", observed=True):
        assert grp.value.sum() == pytest.approx(1.0), dim
    gpmi = pick(table, "01000", "gpmi", "2019").value
    ris = pick(table, "01000", "ris", "2019").value
    assert pick(table, "01000", "gpmi", "2019", "ratio_ris").value == pytest.approx(gpmi / ris)
    assert 0.4 < gpmi / ris < 0.5


def test_ranks(table, canon):
    t = table[
        (table.measure == "ris") & (table.period == "2025") & (table.geo_level == "municipality")
    ]
    rates = t[t.indicator == "per_1000"].set_index("geo_code").value.dropna()
    ranks = t[t.indicator == "rank_country"].set_index("geo_code").value.dropna()
    assert ranks[rates.idxmax()] == 1
    assert ranks.max() <= len(rates)
    region = canon.entities.set_index("code").region
    rr = t[t.indicator == "rank_region"].set_index("geo_code").value.dropna()
    for reg in ("02000", "03000", "04000"):
        in_reg = rr[rr.index.map(region) == reg]
        assert in_reg.min() == 1 and in_reg.max() == (rates.index.map(region) == reg).sum()


def test_no_suppressed_value_can_be_recovered(table):
    """Every published breakdown group hides none or at least two cells; hidden cells are empty."""
    b = table[(table.indicator == "count") & (table.dimension != "total")]
    supp = b.flag.astype(str).str.contains("suppressed")
    assert supp.sum() > 1000
    assert b.loc[supp, "value"].isna().all()
    published = b.loc[~supp & b.value.notna(), "value"]
    assert ((published == 0) | (published >= 5)).all()
    per_group = supp.groupby(
        [b.geo_code, b.measure, b.period_type, b.period, b.dimension], observed=True
    ).sum()
    assert not (per_group == 1).any()
    shares = table[table.indicator == "share"].set_index(
        ["geo_code", "measure", "period_type", "period", "dimension", "category"]
    )
    counts = b.set_index(["geo_code", "measure", "period_type", "period", "dimension", "category"])
    hidden = counts.index[supp.to_numpy()]
    assert shares.loc[hidden, "value"].isna().all()
    totals = table[(table.indicator == "count") & (table.dimension == "total")]
    assert not totals.flag.astype(str).str.contains("suppressed").any()


def test_reconciliation_within_one_percent(canon, table):
    from barometer.reconcile import reconcile

    rec = reconcile(canon.published_totals, table)
    checked = rec[rec.checked]
    assert len(checked) >= 30
    assert checked.relative_difference.abs().max() < 0.01
    assert set(checked.geo_code) == {"01000", "02000", "03000", "04000"}


def test_indicator_report_names_missing_members(result):
    rep = result.report
    assert rep["last_published_month"]["eris"] == "2026-04"
    assert any(
        r["geo_level"] == "country" and r["max_missing_members"] >= 1 for r in rep["incomplete"]
    )
    inc = result.incomplete
    assert (inc.missing_members >= 1).all()
