"""write.Staging: a new site is written beside the old one and swapped in whole."""

from __future__ import annotations

import os

import pytest

from barometer.errors import BuildError
from barometer.write import Staging, put


def test_a_committed_staging_replaces_the_site_whole(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old")
    with Staging(site, epoch=1767225600) as st:
        st.add("index.html", "new")
        st.add("nl/index.html", b"nl")
        assert not (site / "index.html").exists()  # nothing reaches the site before commit
        st.commit()
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "index.html",
        "nl/index.html",
    ]
    assert (site / "index.html").stat().st_mtime == 1767225600
    assert st.files == 2 and st.bytes == 5
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no staging or old site left


def test_a_failed_build_leaves_the_site_untouched(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old")
    with pytest.raises(RuntimeError), Staging(site) as st:
        st.add("index.html", "half")
        raise RuntimeError("the build fails")
    assert (site / "index.html").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_two_outputs_for_one_path_are_refused(tmp_path):
    with Staging(tmp_path / "site") as st:
        st.add("a/index.html", "one")
        with pytest.raises(BuildError, match="two outputs for the same file: a/index.html"):
            st.add("a/index.html", "two")
        with pytest.raises(BuildError, match="two outputs"):
            st.record([("a/index.html", 3)])
        st.abort()


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../x", ""])
def test_paths_outside_the_site_are_refused(tmp_path, path):
    with Staging(tmp_path / "site") as st:
        with pytest.raises(BuildError, match="outside the site"):
            st.add(path, "x")
        st.abort()
    assert not (tmp_path / "escape.html").exists()


def test_an_unchanged_file_is_linked_not_rewritten(tmp_path):
    site = tmp_path / "site"
    with Staging(site) as st:
        st.add("same.css", "body{}")
        st.add("changed.html", "v1")
        st.commit()
    before = (site / "same.css").stat()
    with Staging(site) as st:
        st.add("same.css", "body{}")
        st.add("changed.html", "v2")
        assert st.reused == 1
        st.commit()
    after = (site / "same.css").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert (site / "changed.html").read_text() == "v2"


def test_put_reports_whether_the_previous_file_was_reused(tmp_path):
    previous, root = tmp_path / "old", tmp_path / "new"
    (previous / "d").mkdir(parents=True)
    (previous / "d/f.txt").write_bytes(b"abc")
    from pathlib import PurePosixPath

    assert put(root, previous, PurePosixPath("d/f.txt"), b"abc", None) == 1
    assert os.path.samefile(root / "d/f.txt", previous / "d/f.txt")
    assert put(root, previous, PurePosixPath("d/g.txt"), b"abc", None) == 0


def test_a_ready_made_file_is_linked_from_the_cache(tmp_path):
    cached = tmp_path / "cache.bin"
    cached.write_bytes(b"data")
    with Staging(tmp_path / "site", epoch=1767225600) as st:
        st.link("downloads/x.bin", cached)
        assert st.sizes[next(iter(st.sizes))] == 4
        st.commit()
    assert (tmp_path / "site/downloads/x.bin").read_bytes() == b"data"
