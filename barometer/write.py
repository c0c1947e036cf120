"""Stage 6: write the site atomically.

The whole site is rendered into memory first ({relative path: bytes}), then written into a
temporary directory beside the target and swapped in with renames, so a failed build leaves the
previous site/ untouched and a reader never sees a half-written site.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from barometer.errors import BuildError


def _safe(rel: PurePosixPath) -> PurePosixPath:
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BuildError(f"refusing to write outside the site: {rel}")
    return rel


def write_site(
    files: dict[PurePosixPath, bytes], site_dir: Path, *, epoch: int | None = None
) -> None:
    """Write ``files`` into a fresh directory and swap it in place of ``site_dir``."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        for rel in sorted(files):
            dest = tmp / _safe(rel)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(files[rel])
            if epoch is not None:
                os.utime(dest, (epoch, epoch))
        old = None
        if site_dir.exists():
            old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
            site_dir.rename(old)
        tmp.rename(site_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
