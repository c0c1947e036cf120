"""Population on 1 January, harmonised to 2025 municipalities, every year 1992-2026 (issue 13).

Figures are checked against the raw files read here directly (calamine, csv), and against the
totals Statbel publishes (population/SOURCE.md).
"""

from __future__ import annotations

import csv

import pytest
from python_calamine import CalamineWorkbook

WORKBOOK = "population/statbel_Population_par_commune_1992-2024.xlsx"
RECENT = "population/statbel_population_1jan_2022-2026_long.csv"


@pytest.fixture(scope="module")
def workbook(snapshot) -> dict[tuple[int, str], tuple[int, int, int]]:
    """(year, code) → (men, women, total) for every row of every 'Population en' sheet."""
    wb = CalamineWorkbook.from_path(str(snapshot / WORKBOOK))
    out = {}
    for name in wb.sheet_names:
        if not name.startswith("Population"):
            continue
        for row in wb.get_sheet_by_name(name).to_python()[2:]:
            if isinstance(row[0], str) and len(row[0]) == 5 and row[0].isascii():
                out[(int(name[-4:]), row[0])] = tuple(int(v) for v in row[2:5])
    return out


@pytest.fixture(scope="module")
def recent(snapshot) -> dict[tuple[int, str], int]:
    with open(snapshot / RECENT, encoding="utf-8") as fh:
        return {(int(r["year"]), r["nis_code"]): int(r["total"]) for r in csv.DictReader(fh)}


def test_every_year_1992_2026_is_complete(canon):
    pop = canon.population
    per_year = pop.groupby("year").size()
    assert list(per_year.index) == list(range(1992, 2027))
    assert (per_year == 565).all()
    sources = pop.groupby("year").source.unique().map(list).to_dict()
    assert all(sources[y] == ["population_workbook"] for y in range(1992, 2025))
    assert sources[2025] == sources[2026] == ["population_recent"]


@pytest.mark.parametrize(
    ("year", "total"),
    [
        (2018, 11_376_070),
        (2021, 11_521_238),
        (2022, 11_584_008),
        (2023, 11_697_557),
        (2024, 11_763_650),
        (2025, 11_825_551),
        (2026, 11_867_634),
    ],
)
def test_belgium_adds_up_to_the_published_total(canon, year, total):
    pop = canon.population
    assert pop[pop.year == year].total.sum() == total


def test_regions_2025(canon):
    pop = canon.population
    region = pop.code.map(canon.entities.set_index("code").region)
    sums = pop[pop.year == 2025].groupby(region).total.sum().to_dict()
    assert sums == {"02000": 6_864_766, "03000": 3_704_990, "04000": 1_255_795}


@pytest.mark.parametrize(
    ("code", "y2025", "y2026"),
    [
        ("62063", 197_323, 198_102),  # Liège
        ("52011", 205_763, 206_900),  # Charleroi
        ("21004", 198_314, 198_674),  # Bruxelles
        ("82039", 20_940, 21_010),  # Bastogne, merged with Bertogne on 1 January 2025
    ],
)
def test_spot_checks_2025_2026(canon, code, y2025, y2026):
    pop = canon.population.set_index(["year", "code"]).total
    assert (pop[(2025, code)], pop[(2026, code)]) == (y2025, y2026)


def test_merged_municipalities_before_their_merger_sum_their_predecessors(canon, workbook):
    pop = canon.population.set_index(["year", "code"])
    # Bastogne 82039 = Bastogne 82003 + Bertogne 82005 (merged 2025)
    assert pop.loc[(2024, "82039"), "total"] == (
        workbook[(2024, "82003")][2] + workbook[(2024, "82005")][2]
    )
    # Pajottegem 23106 = Galmaarden + Gooik + Herne; Deinze before 2019 = Deinze + Nevele
    assert pop.loc[(2021, "23106"), "total"] == sum(
        workbook[(2021, c)][2] for c in ("23023", "23024", "23032")
    )
    assert (
        pop.loc[(2010, "44083"), "total"]
        == workbook[(2010, "44011")][2] + workbook[(2010, "44049")][2]
    )
    # Antwerpen kept its code in 2025 and absorbed Borsbeek: 2024 is the sum, not Antwerpen alone
    assert pop.loc[(2024, "11002"), "total"] == (
        workbook[(2024, "11002")][2] + workbook[(2024, "11007")][2]
    )


def test_sexes_add_up_where_published_and_are_not_invented(canon):
    pop = canon.population
    sexed = pop.dropna(subset=["men", "women"])
    assert (sexed.men + sexed.women == sexed.total).all()
    assert set(sexed.year) == set(range(1992, 2025))
    assert pop[pop.year >= 2025].men.isna().all()  # totals only in 2025-2026


def test_the_two_sources_agree_where_they_overlap(workbook, recent):
    both = [k for k in recent if k in workbook]
    assert len(both) == 3 * 581
    assert all(recent[k] == workbook[k][2] for k in both)


def test_the_retired_population_inputs_agree_with_the_new_ones(snapshot, workbook, recent):
    """Why the old inputs could go (data/sources.toml): every figure they gave is in the new
    files, equal. The Dutch tidy copy 1992-2021, the Flemish file 2015-2025, Brussels 2025."""
    with open(
        snapshot / "population/statbel_population_1jan_1992-2021_by_sex_long.csv", encoding="utf-8"
    ) as fh:
        old = list(csv.DictReader(fh))
    assert len(old) == 19_356
    assert all(
        workbook[(int(r["year_1jan"]), r["nis_code"])]
        == (int(r["men"]), int(r["women"]), int(r["total"]))
        for r in old
    )
    with open(
        snapshot / "population/flanders_population_1jan_2015-2025_from_gemeente-dashboard.csv",
        encoding="utf-8",
    ) as fh:
        flemish = list(csv.DictReader(fh))
    for r in flemish:
        key = (int(r["year_1jan"]), r["nis_code"])
        assert int(r["total"]) == (recent[key] if key[0] >= 2025 else workbook[key][2]), key
    with open(
        snapshot / "population/brussels_population_1jan_2025_by_sex.csv", encoding="utf-8"
    ) as fh:
        brussels = list(csv.DictReader(fh))
    assert len(brussels) == 19
    assert all(int(r["total"]) == recent[(2025, r["nis_code"])] for r in brussels)
