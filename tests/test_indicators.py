"""The indicator table on the real snapshot, checked against values computed here from the raw files."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from barometer.indicators import INDICATORS, last_published_months
from tests.conftest import pick


@pytest.fixture(scope="module")
def raw_pop(snapshot):
    """(year, code) → total, read here from the raw population files: Statbel's workbook with
    calamine (1992-2024, every sheet 'Population en YYYY') and the tidy file for 2025-2026."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(
        str(snapshot / "population/statbel_Population_par_commune_1992-2024.xlsx")
    )
    out = {}
    for name in wb.sheet_names:
        if name.startswith("Population"):
            for row in wb.get_sheet_by_name(name).to_python()[4:]:
                if isinstance(row[0], str) and row[0].isascii() and row[0].isdigit():
                    out[(int(name[-4:]), row[0])] = int(row[4])
    with open(
        snapshot / "population/statbel_population_1jan_2022-2026_long.csv", encoding="utf-8"
    ) as fh:
        for r in csv.DictReader(fh):
            out.setdefault((int(r["year"]), r["nis_code"]), int(r["total"]))
    return out


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
    assert set(table.measure.astype(str)) == {
        "dis", "ris", "empl_dis", "gpmi", "spi", "das_fin", "eris", "empl_das", "dmh"
    }  # fmt: skip
    key = ["geo_code", "measure", "period_type", "period", "indicator", "dimension", "category"]
    assert not table.duplicated(key).any()


def test_headlines_use_stable_months_and_later_ones_are_provisional(table, canon):
    last = last_published_months(canon.meta, canon.catalogue, canon.catalogue.codes)
    assert last == {
        **dict.fromkeys(["dis", "ris", "empl_dis", "gpmi", "spi"], "2026-08"),
        **dict.fromkeys(["das_fin", "eris", "empl_das"], "2026-05"),
        "dmh": "2026-03",
    }
    months = table[table.period_type == "month"]
    stable = months[~months.flag.astype(str).str.contains("provisional")]
    newest = stable.groupby("measure", observed=True).period.agg(lambda s: max(map(str, s)))
    assert newest.to_dict() == last
    later = months[months.flag.astype(str).str.contains("provisional")]
    first = later.groupby("measure", observed=True).period.agg(lambda s: min(map(str, s)))
    assert first.to_dict() == {m: f"{p[:5]}{int(p[5:]) + 1:02d}" for m, p in last.items()}
    assert set(later.period.astype(str)) <= {f"2026-{m:02d}" for m in range(4, 12)}


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


@pytest.mark.parametrize(
    ("geo", "year", "months"),
    [
        ("62063", "2025", 12),  # Liège (Wallonia): population of 1 January 2025
        ("21012", "2023", 12),  # Sint-Jans-Molenbeek (Brussels): 1 January 2023
        ("82039", "2026", 8),  # Bastogne, merged with Bertogne on 1 January 2025: 2026
    ],
)
def test_rates_recomputed_from_the_raw_files(table, raw, raw_pop, geo, year, months):
    """Issue 13, item 1: the rate is the annual average of the monthly counts over the population
    of 1 January of the same year, computed here from the raw extract and population files."""
    ris = raw[(raw.measure == "ris") & (raw.nis == geo) & raw.month.str.startswith(year)]
    ris = ris[ris.month <= "2026-08"]  # the last stable month of ris (stable-month rule)
    assert ris.total.notna().sum() == months
    average = ris.total.mean()
    # the annual average is published to one decimal and the rate computed from it (issue 16)
    expected = np.round(average, 1) / raw_pop[(int(year), geo)] * 1000
    row = pick(table, geo, "ris", year, "per_1000")
    assert row.value == pytest.approx(expected, rel=1e-12)
    assert abs(row.value - average / raw_pop[(int(year), geo)] * 1000) < 0.01
    # the population of the right year (no population_year flag); 2026 is partial (7 months)
    assert row.flag == ("" if months == 12 else f"months={months}")


def test_every_rate_uses_the_population_of_its_own_year(table):
    """No `population_year` flag is left: every year of the extract has its population (before
    the 2022-2026 population files, 85,237 rates fell back to 2021 or 2025)."""
    rates = table[table.indicator.isin(["per_1000", "rank_region", "rank_country"])]
    assert not rates.flag.astype(str).str.contains("population_year").any()


def test_annual_average_says_how_many_months(table):
    assert pick(table, "01000", "ris", "2026", "months").value == 8
    assert "months=8" in pick(table, "01000", "ris", "2026").flag
    assert pick(table, "01000", "eris", "2026", "months").value == 5
    assert pick(table, "01000", "dmh", "2026", "months").value == 3
    assert pick(table, "01000", "ris", "2025", "months").value == 12


def test_growth_and_year_on_year(table):
    now = pick(table, "44021", "ris", "2026-08").value
    before = pick(table, "44021", "ris", "2025-08").value
    assert pick(table, "44021", "ris", "2026-08", "yoy_change").value == pytest.approx(
        now / before - 1
    )
    assert pick(table, "44021", "ris", "2026-08", "growth_12m").value == pytest.approx(
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
        & (table.period == "2026-08")
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
    assert rep["last_published_month"]["eris"] == "2026-05"
    assert any(
        r["geo_level"] == "country" and r["max_missing_members"] >= 1 for r in rep["incomplete"]
    )
    inc = result.incomplete
    assert (inc.missing_members >= 1).all()
