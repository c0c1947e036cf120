"""The Parquet cache and the command line end to end."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

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
def tree(root: Path) -> dict[str, str]:
    """Every file under root → sha256 of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.xdist_group("site")
def test_cli_builds_byte_identical_trees_and_a_failed_build_changes_nothing(
    tmp_path, site_cache, built_site, small_data
):
    """The command line builds the site; with the same inputs and SOURCE_DATE_EPOCH the tree is
    byte-for-byte the one the session built in-process; then a build with a bad input exits 2
    and leaves that site/ exactly as it was."""
    env = {
        "PATH": "/usr/bin:/bin",
        "SOURCE_DATE_EPOCH": "1767225600",
        "BAROMETER_CACHE_DIR": str(site_cache),
    }
    site = tmp_path / "site"

    def cli(*args: str, timeout: int = 300) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "build.py", *args],
            cwd=paths.ROOT,
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
        )

    build = ("build", "--site", str(site), "--base-url", "https://example.github.io/barometer/")
    r = cli(*build, timeout=900)
    assert r.returncode == 0, r.stderr
    assert "Done:" in r.stderr
    first = tree(site)
    session = tree(built_site[0])
    differ = sorted(k for k in first.keys() | session.keys() if first.get(k) != session.get(k))
    assert not differ, differ[:20]
    assert len(first) > 6000
    # the same build again: nothing changed, nothing rewritten
    again = cli(*build)
    assert again.returncode == 0 and "nothing changed" in again.stderr, again.stderr
    assert tree(site) == first
    # a bad input: the extract's header loses a column
    import gzip

    ext = small_data / "pod_mi_synthetic_2026-12/extract.csv.gz"
    lines = gzip.decompress(ext.read_bytes()).decode().splitlines(keepends=True)
    lines[0] = lines[0].replace(",total,", ",", 1)
    ext.write_bytes(gzip.compress("".join(lines).encode()))
    bad_input = cli("build", "--data", str(small_data), "--site", str(site))
    assert bad_input.returncode == 2, bad_input.stderr
    assert "Traceback" not in bad_input.stderr
    assert tree(site) == first
    assert not list(tmp_path.glob(".site-*"))  # no half-written directory left beside it
    r = cli("check")
    assert r.returncode == 0, r.stderr
    assert "inputs OK: 565 municipalities" in r.stderr
    assert "(from cache)" in r.stderr
    bad = cli("build", "--site", str(site), "--base-url", "no-slash", timeout=60)
    assert bad.returncode == 2 and "Config value 'base_url'" in bad.stderr
    # another base URL changes every page's canonical URL but no data: the page models, charts
    # and data files come from the cache, and the files whose bytes are unchanged are the same
    # files (same inode: not rewritten)
    kept = ("downloads/entities/44021.csv.gz", "og/44021.png", "data/compare.json", "assets/app.js")
    inode = {rel: (site / rel).stat().st_ino for rel in (*kept, "nl/index.html")}
    moved = cli("build", "--site", str(site), "--base-url", "https://x.org/b/")
    assert moved.returncode == 0, moved.stderr
    assert "from the cache" in moved.stderr and "indicators" not in moved.stderr.splitlines()[-1]
    assert all((site / rel).stat().st_ino == inode[rel] for rel in kept)
    assert (site / "nl/index.html").stat().st_ino != inode["nl/index.html"]
    assert 'href="https://x.org/b/nl/"' in (site / "nl/index.html").read_text(encoding="utf-8")


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
