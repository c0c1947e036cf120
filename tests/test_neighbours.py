"""Neighbours from the topology and peers by size, income and region."""

from __future__ import annotations

import pytest

from barometer.neighbours import neighbours_and_peers


@pytest.fixture(scope="module")
def nb(canon):
    return neighbours_and_peers(canon.topology, canon.entities, canon.population, canon.income)


def _of(nb, code, kind):
    return set(nb[(nb.code == code) & (nb.kind == kind)].other)


def test_gent_borders_merelbeke_melle(nb):
    gent = _of(nb, "44021", "neighbour")
    assert "44088" in gent  # Merelbeke-Melle (2025)
    assert {
        "44019",
        "44013",
        "44087",
        "44086",
    } <= gent  # Evergem, Destelbergen, Lochristi, Nazareth-De Pinte
    assert "44040" not in gent and "44043" not in gent  # the pre-2025 codes are gone


def test_brussels_borders_brussels_and_flemish_municipalities(nb):
    bru = _of(nb, "21004", "neighbour")
    assert len({c for c in bru if c.startswith("21")}) >= 5
    assert {"23088", "23025", "23102"} <= bru  # Vilvoorde, Grimbergen, Wemmel


def test_neighbourhood_is_symmetric_and_everyone_has_one(nb, canon):
    border = nb[nb.kind == "neighbour"]
    pairs = set(zip(border.code, border.other, strict=True))
    assert all((b, a) in pairs for a, b in pairs)
    assert set(border.code) == set(
        canon.entities.loc[canon.entities.level == "municipality", "code"]
    )


def test_peers_are_ten_of_the_same_region(nb, canon):
    region = canon.entities.set_index("code").region
    peers = nb[nb.kind == "peer"]
    assert (peers.groupby("code").size() == 10).all()
    assert (peers.code.map(region) == peers.other.map(region)).all()
    assert "73028" not in set(peers.other)
    assert (peers.code != peers.other).all()
    gent = peers[peers.code == "44021"].sort_values("rank")
    assert {"11002", "31005"} <= set(gent.other.head(3))  # Antwerpen and Brugge are most like Gent
    assert gent.distance.is_monotonic_increasing
