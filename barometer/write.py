"""Stage 6: write the site atomically, without rewriting what did not change.

Files are written as they are made into a staging directory beside the target (``Staging``), so
the site is never held in memory as a whole; the staging directory is swapped in with renames
at the end. A failed build removes the staging directory and leaves the previous site/ untouched;
a reader never sees a half-written site.

A file whose bytes equal the file at the same path in the previous site is not rewritten: the
staging directory gets a hard link to the old file (same inode, same modification time), so
deployment tools and browsers' caches see that nothing changed. Files that come ready-made from
the build cache are linked the same way (copied where links are impossible).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from barometer.errors import BuildError


def _safe(rel: PurePosixPath) -> PurePosixPath:
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BuildError(f"refusing to write outside the site: {rel}")
    return rel


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:  # another file system, or links not allowed: copy
        shutil.copy2(src, dest)


class Staging:
    """A new site being written beside ``site_dir``; ``commit`` swaps it in.

    Use as a context manager: leaving the block with an exception removes the staging directory.
    Several processes may write disjoint files into ``root`` (see :meth:`put`); the parent
    records them with :meth:`record` so that duplicates are still refused.
    """

    def __init__(self, site_dir: Path, *, epoch: int | None = None) -> None:
        self.site_dir = site_dir.resolve()
        self.site_dir.parent.mkdir(parents=True, exist_ok=True)
        self.root = Path(
            tempfile.mkdtemp(prefix=f".{self.site_dir.name}-new-", dir=self.site_dir.parent)
        )
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
        """Place a ready-made file (from the build cache) at ``path``."""
        rel = _safe(PurePosixPath(path))
        self._claim(rel)
        dest = self.root / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(src, dest)
        if self.epoch is not None:
            os.utime(dest, (self.epoch, self.epoch))
        self.sizes[rel] = dest.stat().st_size

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
            old = self.site_dir.with_name(f".{self.site_dir.name}-old-{os.getpid()}")
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
