"""The 2025 geography and the code map, on the real REFNIS and merger tables."""

from __future__ import annotations

import csv

import pandas as pd


def test_levels_and_regions(canon):
    ent = canon.entities
    assert ent.level.value_counts().to_dict() == {
        "municipality": 565,
        "arrondissement": 43,
        "province": 10,
        "region": 3,
        "country": 1,
    }
    munis = ent[ent.level == "municipality"]
    assert munis.region.value_counts().to_dict() == {"02000": 285, "03000": 261, "04000": 19}


def test_brussels_has_no_province(canon):
    ent = canon.entities.set_index("code")
    brussels = ent[ent.region == "04000"]
    assert (brussels.province == "").all()
    assert ent.loc["21000", "parent"] == "04000"
    assert ent.loc["21004", "parent"] == "21000"
    assert ent.loc["04000", "parent"] == "01000"


def test_names_in_three_languages(canon):
    ent = canon.entities.set_index("code")
    assert tuple(ent.loc["62063", ["name_nl", "name_fr", "name_de"]]) == (
        "Luik",
        "Liège",
        "Lüttich",
    )
    assert tuple(ent.loc["82039", ["name_nl", "name_fr", "name_de"]]) == (
        "Bastenaken",
        "Bastogne",
        "Bastnach",
    )
    assert ent.loc["23106", "name_nl"] == "Pajottegem"


def test_hainaut_recodings_of_2019_are_derived(canon):
    cm = canon.code_map.set_index("code")
    recoded = cm[cm.event == "recoded_2019"]
    assert len(recoded) == 11
    assert cm.loc["55022", "code_2025"] == "58001"  # La Louvière
    assert cm.loc["54007", "code_2025"] == "57096"  # Mouscron
    assert cm.loc["52043", "code_2025"] == "55086"  # Manage
    assert cm.loc["55022", "valid_to"] == "2018-12"
    assert cm.loc["58001", "valid_from"] == "2019-01"


def test_code_sets_per_period(canon):
    cm = canon.code_map

    def valid(month):
        return int(((cm.valid_from <= month) & (month <= cm.valid_to)).sum())

    assert valid("2005-01") == 589
    assert valid("2018-12") == 589
    assert valid("2019-01") == 581
    assert valid("2024-12") == 581
    assert valid("2025-01") == 565


def test_moves_across_arrondissements_and_provinces(canon):
    cm = canon.code_map.set_index("code")
    ent = canon.entities.set_index("code")
    # Zwijndrecht: province Antwerpen → Beveren-Kruibeke-Zwijndrecht in Oost-Vlaanderen
    assert cm.loc["11056", "code_2025"] == "46030"
    assert ent.loc["46030", "province"] == "40000"
    # Moerbeke: arrondissement Gent → Lokeren in arrondissement Sint-Niklaas
    assert cm.loc["44045", "code_2025"] == "46029"
    assert ent.loc["46029", "arrondissement"] == "46000"
    # Kortessem: arrondissement Tongeren → Hasselt
    assert cm.loc["73040", "code_2025"] == "71072"
    assert ent.loc["71072", "arrondissement"] == "71000"


def test_merger_history(canon):
    ent = canon.entities.set_index("code")
    assert ent.loc["23106", "predecessors"] == "23023|23024|23032"
    assert ent.loc["23106", "formed"] == "2025-01-01"
    assert ent.loc["44083", "predecessors"] == "44011|44049"  # Deinze + Nevele, 2019
    assert ent.loc["11002", "predecessors"] == "11002|11007"  # Antwerpen keeps its code
    assert ent.loc["44021", "predecessors"] == ""
    cm = canon.code_map.set_index("code")
    assert cm.loc["11007", "code_2025"] == "11002"  # Borsbeek
    assert cm.loc["44049", "code_2025"] == "44083"  # Nevele
    assert cm.loc["73028", "code_2025"] == "73028"  # Herstappe stays itself


def test_matches_the_independently_derived_list(canon, snapshot):
    """The snapshot ships a 565 list built another way: hierarchy and FR/DE names agree."""
    with open(snapshot / "refnis/municipalities_2025_565_derived.csv", encoding="utf-8") as fh:
        ref = pd.DataFrame(list(csv.DictReader(fh))).set_index("nis_2025")
    ours = canon.entities[canon.entities.level == "municipality"].set_index("code")
    assert sorted(ours.index) == sorted(ref.index)
    ours = ours.loc[ref.index]
    assert (ours.arrondissement == ref.arr_nis).all()
    assert (ours.province == ref.prov_nis).all()
    assert (ours.region == ref.reg_nis).all()
    assert (ours.name_fr == ref.name_fr).all()
    assert (ours.name_de == ref.name_de).all()
    assert (ours.name_nl == ref.name_nl).all()
