"""Faults leave nothing behind: a killed build, a build into another folder, shared inodes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from barometer import paths, pipeline
from barometer.log import setup
from tests import fixture


def _tree(root: Path) -> dict[str, tuple[int, int, int]]:
    """Path → (inode, size, mtime in ns) of every file."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            st = p.stat()
            out[p.relative_to(root).as_posix()] = (st.st_ino, st.st_size, st.st_mtime_ns)
    return out


def _python(code: str, arg: Path, **kwargs: object) -> subprocess.Popen:
    """A Python process running ``code`` with ``arg`` as its argument, the project importable."""
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code, str(arg)], cwd=paths.ROOT, env=env, **kwargs
    )


def test_a_build_into_another_folder_touches_nothing_of_this_site(fast_site, tmp_path):
    """Same inputs and cache, another site folder: not one file of the first site changes, not
    even its modification time, and the two sites (and the cache) share no inode."""
    before = _tree(fast_site.root)
    other = replace(fast_site.cfg, site_dir=tmp_path / "other")
    setup()
    pipeline.build(other)
    assert _tree(fast_site.root) == before
    inodes = {ino for ino, _, _ in before.values()}
    assert not inodes & {ino for ino, _, _ in _tree(other.site_dir).values()}
    assert not inodes & {ino for ino, _, _ in _tree(fast_site.cfg.cache_dir).values()}


def test_a_killed_build_leaves_the_site_and_the_next_build_clears_its_leftovers(tmp_path):
    cfg = fixture.write(tmp_path)
    setup()
    pipeline.build(cfg)
    site_before = _tree(cfg.site_dir)
    # a second build (another base URL: nothing can be skipped), killed in the middle of its work
    code = (
        "import sys; from dataclasses import replace; from pathlib import Path;"
        "from tests import fixture; from barometer import pipeline; from barometer.log import setup;"
        "setup(); cfg = replace(fixture.config(Path(sys.argv[1])), base_url='https://x.example/b/',"
        " cache_dir=Path(sys.argv[1]) / 'cache2');"
        "pipeline.build(cfg)"
    )
    proc = _python(code, tmp_path, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300  # a loaded CI machine may take a minute to start
    while time.monotonic() < deadline:  # wait until it has work on disk, then kill it
        if list(tmp_path.glob(".site-new-*/*")) or list((tmp_path / "cache2").glob("*/.tmp-*")):
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    leftovers = [
        p.name for p in tmp_path.iterdir() if p.name.startswith((".site-", ".barometer-work-"))
    ]
    leftovers += [p.name for p in (tmp_path / "cache2").rglob(".tmp-*")]
    assert leftovers, "the killed build should have left work behind"
    assert _tree(cfg.site_dir) == site_before  # the site is intact
    # the next build (into the same folder, with the killed build's cache) removes them all
    setup()
    pipeline.build(replace(cfg, cache_dir=tmp_path / "cache2"))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".site-", ".barometer-"))]
    assert not list((tmp_path / "cache2").rglob(".tmp-*"))
    assert (cfg.site_dir / "nl/index.html").is_file()


def test_a_killed_builds_workers_die_with_it(tmp_path):
    """A forked worker (the downloads made beside the page models) does not outlive its killed
    build: it would go on writing into the work the next build has swept away."""
    pid_file = tmp_path / "worker.pid"
    code = (
        "import os, sys, time; from barometer.forked import pool\n"
        "def job(path):\n"
        "    open(path, 'w').write(str(os.getpid())); time.sleep(60)\n"
        "with pool(1) as p:\n"
        "    p.apply(job, (sys.argv[1],))\n"
    )
    proc = _python(code, pid_file)
    deadline = time.monotonic() + 120
    while not (pid_file.is_file() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    worker = int(pid_file.read_text())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 30
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(worker)


def _running(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_leftovers_are_git_ignored():
    ignored = (paths.ROOT / ".gitignore").read_text(encoding="utf-8")
    for pattern in ("/.site-new-*/", "/.site-old-*/", "/.barometer-work-*/", "/data/cache/"):
        assert pattern in ignored
