"""`export` round-trips the table; `--strict` stops a build with a reconciliation gap before writing."""

from __future__ import annotations

import pandas as pd
import pytest

from barometer import pipeline
from barometer.errors import BuildError
from barometer.export import neutralise, to_csv_bytes
from barometer.log import setup
from tests.conftest import snapshot_config


def test_csv_neutralises_formulas_and_writes_empty_for_missing():
    df = pd.DataFrame(
        {"geo_code": pd.Categorical(["=1+1", "a"]), "value": [float("nan"), 2.5000001]}
    )
    text = to_csv_bytes(df).decode()
    assert text.splitlines() == ["geo_code,value", "'=1+1,", "a,2.5"]
    assert neutralise("+32") == "'+32" and neutralise("-x") == "'-x" and neutralise("@a") == "'@a"
    assert neutralise("Gent") == "Gent"


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_export_round_trip(tmp_path, suffix, canon):
    from click.testing import CliRunner

    from barometer.cli import main

    out = tmp_path / f"all{suffix}"
    r = CliRunner().invoke(
        main,
        ["export", "--out", str(out), "--data", str(tmp_path)],
        env={"BAROMETER_CACHE_DIR": str(tmp_path / "c")},
    )
    assert r.exit_code == 0, r.output
    back = (
        pd.read_csv(out, dtype={"geo_code": str}, comment="#", nrows=400_000)
        if suffix == ".csv"
        else pd.read_parquet(out)
    )
    assert list(back.columns) == [
        "geo_code",
        "geo_level",
        "measure",
        "period",
        "period_type",
        "indicator",
        "dimension",
        "category",
        "value",
        "flag",
        "geo_name_nl",
        "geo_name_fr",
    ]
    belgium = back[
        (back.geo_code.astype(str) == "01000")
        & (back.period.astype(str) == "2020-06")
        & (back.indicator.astype(str) == "count")
        & (back.dimension.astype(str) == "total")
        & (back.measure.astype(str) == "ris")
    ]
    assert len(belgium) == 1 and belgium.geo_name_fr.astype(str).item() == "Belgique"
    assert belgium.value.item() == pytest.approx(
        canon.beneficiaries_wide.query("measure == 'ris' and month == '2020-06'").total.sum()
    )
    if suffix == ".csv":
        with out.open("rb") as fh:
            rows = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 2
    else:
        rows = len(back)
    assert rows > 4_000_000
    if suffix == ".csv":
        with out.open(encoding="utf-8") as fh:
            assert fh.readline().startswith("# SYNTHETIC DATA")


def test_export_refuses_an_unknown_extension(tmp_path):
    from click.testing import CliRunner

    from barometer.cli import main

    r = CliRunner().invoke(main, ["export", "--out", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 2 and "expected a path ending in .csv or .parquet" in r.output


def test_strict_build_fails_before_writing_when_reconciliation_is_off(tmp_path, canon, monkeypatch):
    totals = canon.published_totals.copy()
    row = (
        (totals.code == "01000")
        & (totals.period == "2017")
        & (totals.period_type == "annual_average_of_monthly_counts")
    )
    totals.loc[row, "persons"] = totals.loc[row, "persons"] * 1.05
    from dataclasses import replace

    bad = replace(canon, published_totals=totals)
    monkeypatch.setattr(pipeline, "load_canonical", lambda cfg: bad)
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("previous site")
    cfg = replace(snapshot_config(tmp=tmp_path), strict=True, site_dir=site)
    setup()
    with pytest.raises(BuildError, match="strict"):
        pipeline.build(cfg)
    assert [p.name for p in site.iterdir()] == ["old.html"]
    # without --strict the same build writes (products, pages and search stubbed: the gate is
    # what is tested here)
    setup()  # a fresh warning counter
    from barometer import search
    from barometer.pages import SiteModel

    empty = SiteModel(pages={}, specs={}, redirects={})
    monkeypatch.setattr(
        pipeline,
        "make_products",
        lambda model, cfg, root, report: pipeline.Products(empty, {}, {}, [], root=root),
    )
    monkeypatch.setattr(
        pipeline, "render_html", lambda made, cfg, staging, docs: staging.add("index.html", b"new")
    )
    (tmp_path / "no-index").mkdir()
    monkeypatch.setattr(search, "search_bundle", lambda docs, digests, cache: tmp_path / "no-index")
    pipeline.build(replace(cfg, strict=False))
    assert (site / "index.html").read_bytes() == b"new" and not (site / "old.html").exists()
    # those products were cached with their warning: a strict build that takes them from the
    # cache (the inputs are not even read) replays it and fails before writing
    monkeypatch.setattr(pipeline, "load_canonical", lambda cfg: pytest.fail("not from the cache"))
    setup()
    with pytest.raises(BuildError, match="strict"):
        pipeline.build(cfg)
    assert (site / "index.html").read_bytes() == b"new"
