"""Population on 1 January, harmonised to 2025 municipalities with explicit availability."""

from __future__ import annotations

import csv


def _raw(snapshot, year):
    with open(
        snapshot / "population/statbel_population_1jan_1992-2021_by_sex_long.csv", encoding="utf-8"
    ) as fh:
        return {
            r["nis_code"]: int(r["total"])
            for r in csv.DictReader(fh)
            if r["year_1jan"] == str(year)
        }


def test_belgium_2021(canon):
    pop = canon.population
    assert pop[pop.year == 2021].total.sum() == 11_521_238


def test_pajottegem_is_the_sum_of_its_predecessors(canon, snapshot):
    raw = _raw(snapshot, 2021)
    pop = canon.population.set_index(["year", "code"])
    assert pop.loc[(2021, "23106"), "total"] == raw["23023"] + raw["23024"] + raw["23032"] == 24_750


def test_deinze_before_2019_sums_deinze_and_nevele(canon, snapshot):
    raw = _raw(snapshot, 2010)
    pop = canon.population.set_index(["year", "code"])
    assert pop.loc[(2010, "44083"), "total"] == raw["44011"] + raw["44049"]


def test_availability_is_explicit(canon):
    pop = canon.population
    ent = canon.entities.set_index("code")
    region = pop.code.map(ent.region)
    # Wallonia: nothing after 2021 in the snapshot; Brussels: 2025 only after 2021
    assert pop[(region == "03000")].year.max() == 2021
    assert sorted(pop[(region == "04000") & (pop.year > 2021)].year.unique()) == [2025]
    # Antwerpen 2022-2024: Borsbeek is absent from the Flemish file, so no (partial) value
    assert not ((pop.code == "11002") & pop.year.between(2022, 2024)).any()
    assert pop.groupby("year").size().loc[2021] == 565
    assert pop[(pop.year == 2025) & (region == "02000")].total.sum() == 6_864_766
    assert pop[(pop.year == 2025) & (region == "04000")].total.sum() == 1_255_795


def test_sexes_add_up_where_published(canon):
    pop = canon.population.dropna(subset=["men", "women"])
    assert (pop.men + pop.women == pop.total).all()
    flanders_2023 = canon.population[canon.population.year == 2023]
    assert flanders_2023.men.isna().all()  # the Flemish file has totals only: not invented
