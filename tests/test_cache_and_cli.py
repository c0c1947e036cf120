"""The Parquet cache and the command line end to end."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from barometer import paths
from barometer.canonical import TABLES, load_canonical
from tests.conftest import snapshot_config


def test_second_load_reads_the_cache_and_gives_the_same_tables(tmp_path, canon):
    cfg = snapshot_config(tmp=tmp_path)
    first = load_canonical(cfg)
    assert not first.from_cache
    second = load_canonical(cfg)
    assert second.from_cache
    for t in TABLES:
        pd.testing.assert_frame_equal(getattr(first, t), getattr(second, t))
        pd.testing.assert_frame_equal(getattr(second, t), getattr(canon, t))
    assert second.meta == canon.meta
    assert second.topology == canon.topology
    assert len(list((tmp_path / "cache").iterdir())) == 1


@pytest.mark.xdist_group("site")
def test_cli_check_and_build_end_to_end(tmp_path, site_cache):
    """The command line builds the site (sharing the session's chart cache) and checks inputs."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SOURCE_DATE_EPOCH": "1700000000",
        "BAROMETER_CACHE_DIR": str(site_cache),
    }
    site = tmp_path / "site"
    r = subprocess.run(
        [sys.executable, "build.py", "build", "--site", str(site)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr
    assert "Done:" in r.stderr
    assert (site / "data/belgium.topo.json").is_file()
    assert (site / "nl/gemeente/44021-gent/index.html").is_file()
    r = subprocess.run(
        [sys.executable, "build.py", "check"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    assert "inputs OK: 565 municipalities" in r.stderr
    assert "(from cache)" in r.stderr
    bad = subprocess.run(
        [sys.executable, "build.py", "build", "--site", str(site), "--base-url", "no-slash"],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert bad.returncode == 2 and "Config value 'base_url'" in bad.stderr


def test_bad_option_exits_2_without_traceback(tmp_path):
    r = subprocess.run(
        [sys.executable, "build.py", "check", "--data", str(tmp_path / "nope")],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "Config value 'data'" in r.stderr
    assert "Traceback" not in r.stderr
