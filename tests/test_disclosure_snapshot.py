"""Disclosure control on the real snapshot: the published table, exported as a reader gets it
(``build.py export``), attacked by subtraction over every relation in chains (issue 16)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.disclosure_attack import attack


@pytest.fixture(scope="module")
def exported(tmp_path_factory, snapshot):
    from click.testing import CliRunner

    from barometer.cli import main

    tmp = tmp_path_factory.mktemp("export")
    out = tmp / "indicators.parquet"
    r = CliRunner().invoke(
        main,
        ["export", "--out", str(out), "--data", str(snapshot)],
        env={"BAROMETER_CACHE_DIR": str(tmp / "cache")},
    )
    assert r.exit_code == 0, r.output
    return pd.read_parquet(out)


@pytest.mark.slow
def test_a_reader_recovers_nothing_from_the_real_table(exported, canon):
    parents = dict(zip(canon.entities.code, canon.entities.parent.fillna(""), strict=True))
    result = attack(exported, parents, derived=canon.catalogue.derived())
    assert result.relations["derived"] > 100_000
    assert result.relations["geography"] > 100_000 and result.relations["year"] > 50_000
    hidden = (result.cells.state == "hidden").sum()
    assert hidden > 500_000  # the attack saw the hidden cells
    recovered = result.recovered()
    assert recovered.empty, recovered.head(20).to_string()
    small = result.recovered_unpublished_small()
    assert small.empty, small.head(20).to_string()


@pytest.mark.slow
def test_real_annual_averages_carry_one_decimal_and_totals_are_never_hidden(exported):
    t = exported
    year = t[(t.period_type == "year") & (t.indicator == "count") & t.value.notna()]
    assert ((year.value * 10).round() - year.value * 10).abs().max() < 1e-6
    totals = t[(t.indicator == "count") & (t.dimension == "total")]
    assert not totals.flag.astype(str).str.contains("suppressed").any()
