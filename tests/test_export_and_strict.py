"""`export` round-trips the table; `--strict` stops a build with a reconciliation gap before writing."""

from __future__ import annotations

import pandas as pd
import pytest

from barometer import pipeline
from barometer.errors import BuildError
from barometer.export import neutralise, to_csv_bytes
from barometer.log import setup


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


def test_strict_build_stops_on_a_reconciliation_gap_even_from_the_cache(tmp_path, capsys):
    """A published total 5 % off: ``--strict`` stops before writing anything; the same build
    without it publishes (with its warning); a strict rebuild that takes the products from the
    cache — without reading the inputs — replays the warning and stops too."""
    from dataclasses import replace

    from tests import fixture

    cfg = fixture.write(tmp_path, published_factor=1.05)
    site = cfg.site_dir
    site.mkdir()
    (site / "old.html").write_text("previous site")
    setup()
    with pytest.raises(BuildError, match="strict"):
        pipeline.build(replace(cfg, strict=True))
    assert [p.name for p in site.iterdir()] == ["old.html"]
    assert not list(tmp_path.glob(".site-*")) and not list(tmp_path.glob(".barometer-*"))
    setup()
    pipeline.build(cfg)
    assert (site / "nl/index.html").is_file() and not (site / "old.html").exists()
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    capsys.readouterr()
    setup()  # logs to the (captured) standard error
    with pytest.raises(BuildError, match="strict"):
        pipeline.build(replace(cfg, strict=True))
    log = capsys.readouterr().err
    assert "from the cache" in log and "inputs parsed" not in log
    assert "reconciliation: België/Belgique 2024" in log
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()} == before
