"""Stage 6: write the site atomically, without rewriting what did not change.

Files are written as they are made into a staging directory beside the target (``Staging``), so
the site is never held in memory as a whole; the staging directory is swapped in with renames
at the end. A failed build removes the staging directory and leaves the previous site/ untouched;
a reader never sees a half-written site.

A file whose bytes equal the file at the same path in the previous site is not rewritten: the
staging directory gets a hard link to the old file (same inode, same modification time), so
deployment tools and browsers' caches see that nothing changed; the old site is removed by the
swap, so no other site shares that inode. Files that come ready-made from the build cache are
copied, never linked: a site shares no inode with the cache, so a build into another folder
cannot touch a file of this one (not even its modification time).

A build that is killed leaves its work behind: staging and work directories and temporary cache
entries are named ``.<what>-<pid>-…`` (:func:`temp_dir`), and the next build removes those whose
process is gone (:func:`sweep`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from barometer.errors import BuildError


def temp_dir(parent: Path, prefix: str) -> Path:
    """A new directory ``parent/<prefix><pid>-<random>`` (the pid lets :func:`sweep` tell a
    killed build's leftovers from a running build's work)."""
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=parent))


@contextmanager
def removing(path: Path) -> Iterator[Path]:
    """``with removing(work):`` removes the directory when the block ends, however it ends."""
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def sweep_staging(site_dir: Path) -> list[Path]:
    """Remove the staging and swap directories that killed builds of ``site_dir`` left."""
    parent, name = site_dir.resolve().parent, site_dir.resolve().name
    return sweep(parent, f".{name}-new-") + sweep(parent, f".{name}-old-")


def sweep(parent: Path, prefix: str) -> list[Path]:
    """Remove what killed builds left under ``parent``: entries ``<prefix><pid>-…`` whose process
    no longer runs. Returns what was removed."""
    removed: list[Path] = []
    if not parent.is_dir():
        return removed
    for p in parent.iterdir():
        if not p.name.startswith(prefix):
            continue
        pid = p.name[len(prefix) :].split("-", 1)[0]
        if not pid.isascii() or not pid.isdigit() or _alive(int(pid)):
            continue
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
        removed.append(p)
    return removed


def _safe(rel: PurePosixPath) -> PurePosixPath:
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BuildError(f"refusing to write outside the site: {rel}")
    return rel


def _same_file_content(a: Path, b: Path, size: int) -> bool:
    """Whether file ``a`` exists with the same bytes as ``b`` (of ``size`` bytes)."""
    try:
        if a.stat().st_size != size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                x, y = fa.read(1 << 20), fb.read(1 << 20)
                if x != y:
                    return False
                if not x:
                    return True
    except OSError:
        return False


class Staging:
    """A new site being written beside ``site_dir``; ``commit`` swaps it in.

    Use as a context manager: leaving the block with an exception removes the staging directory.
    Several processes may write disjoint files into ``root`` (see :meth:`put`); the parent
    records them with :meth:`record` so that duplicates are still refused.
    """

    def __init__(self, site_dir: Path, *, epoch: int | None = None) -> None:
        self.site_dir = site_dir.resolve()
        sweep_staging(self.site_dir)  # what killed builds of this site left behind
        self.root = temp_dir(self.site_dir.parent, f".{self.site_dir.name}-new-")
        self.epoch = epoch
        self.sizes: dict[PurePosixPath, int] = {}
        self.reused = 0

    # --- writing ---------------------------------------------------------------------------

    def add(self, path: str | PurePosixPath, data: bytes | str) -> None:
        """Write one file (text as UTF-8); refuse a second file at the same path."""
        rel = _safe(PurePosixPath(path))
        self._claim(rel)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.reused += put(self.root, self.site_dir, rel, raw, self.epoch)
        self.sizes[rel] = len(raw)

    def link(self, path: str | PurePosixPath, src: Path) -> None:
        """Place a ready-made file (from the build cache) at ``path``: linked to the previous
        site's file when that has the same bytes, else copied (never linked to the cache)."""
        rel = _safe(PurePosixPath(path))
        self._claim(rel)
        dest = self.root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        size = src.stat().st_size
        old = self.site_dir / rel
        if _same_file_content(old, src, size):
            try:
                os.link(old, dest)
                self.reused += 1
                self.sizes[rel] = size
                return
            except OSError:
                pass
        shutil.copyfile(src, dest)
        if self.epoch is not None:
            os.utime(dest, (self.epoch, self.epoch))
        self.sizes[rel] = size

    def record(self, written: Iterable[tuple[str, int]], reused: int = 0) -> None:
        """Account for files another process wrote into :attr:`root` (path, size)."""
        for path, size in written:
            rel = PurePosixPath(path)
            self._claim(rel)
            self.sizes[rel] = size
        self.reused += reused

    def _claim(self, rel: PurePosixPath) -> None:
        if rel in self.sizes:
            raise BuildError(f"two outputs for the same file: {rel}")

    @property
    def files(self) -> int:
        return len(self.sizes)

    @property
    def bytes(self) -> int:
        return sum(self.sizes.values())

    # --- swapping --------------------------------------------------------------------------

    def commit(self) -> None:
        old = None
        if self.site_dir.exists():
            old = self.site_dir.with_name(f".{self.site_dir.name}-old-{os.getpid()}-swap")
            self.site_dir.rename(old)
        self.root.rename(self.site_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, kind, *_exc) -> None:  # noqa: ANN001
        if kind is not None:
            self.abort()


def put(root: Path, previous: Path, rel: PurePosixPath, data: bytes, epoch: int | None) -> int:
    """Write ``data`` at ``root/rel``, or link the previous site's file when it has the same
    bytes. Returns 1 when the previous file was reused. Safe to call from worker processes."""
    dest = root / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = previous / rel
    try:
        same = old.stat().st_size == len(data) and old.read_bytes() == data
    except OSError:
        same = False
    if same:
        try:
            os.link(old, dest)
            return 1
        except OSError:
            pass
    dest.write_bytes(data)
    if epoch is not None:
        os.utime(dest, (epoch, epoch))
    return 0
