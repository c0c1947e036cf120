"""Stage 5b: the static full-text search index (Pagefind), built from the rendered pages in memory.

Pagefind (from PyPI: ``pagefind`` with its ``pagefind_bin`` binary, run as ``python -m pagefind``) indexes the
entity, measure and note pages of every language — each page's ``<main data-pagefind-body>`` —
and splits the index by ``<html lang>``, so a search on a Dutch page searches the Dutch pages.
Entity pages carry the area's names in the three national languages, so "Lüttich", "Luik" and
"Liège" all find the page of Liège in the current language. The bundle is written to a temporary
directory and read back into the site's in-memory files (``pagefind/…``), so it takes part in the
atomic write like every other file. Result URLs are site-relative ('nl/gemeente/…/'); the page
script prefixes them with the site root it runs under, so search works under any sub-path.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

from barometer.errors import BuildError

log = logging.getLogger(__name__)

INDEXED_MARK = b"data-pagefind-body"


def searchable(files: dict[PurePosixPath, bytes]) -> dict[str, str]:
    """The pages to index: HTML whose main element is marked for Pagefind (url → HTML)."""
    out = {}
    for path, data in sorted(files.items()):
        if path.suffix == ".html" and INDEXED_MARK in data:
            url = str(path.parent) + "/"
            out[url] = data.decode("utf-8")
    return out


def _index(pages: dict[str, str], root: Path) -> None:
    """Run the Pagefind CLI over the pages written under ``root`` (its own process: the CLI
    is about 30 times faster than feeding pages through the Python API's pipe)."""
    for url, html in pages.items():
        dest = root / url / "index.html"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(html, encoding="utf-8")
    cmd = [sys.executable, "-m", "pagefind", "--site", str(root), "--output-subdir", "pagefind"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"pagefind failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def search_bundle(files: dict[PurePosixPath, bytes]) -> dict[PurePosixPath, bytes]:
    """Pagefind's bundle (index, fragments, WebAssembly, UI script and styles) as site files."""
    pages = searchable(files)
    with tempfile.TemporaryDirectory(prefix="barometer-pagefind-") as tmp:
        _index(pages, Path(tmp))
        out = Path(tmp) / "pagefind"
        bundle = {
            PurePosixPath("pagefind") / p.relative_to(out).as_posix(): p.read_bytes()
            for p in sorted(out.rglob("*"))
            if p.is_file()
        }
    entry = PurePosixPath("pagefind/pagefind-entry.json")
    if entry in bundle:  # Pagefind lists the languages in hash-map order: sort for identical builds
        bundle[entry] = json.dumps(json.loads(bundle[entry]), sort_keys=True).encode("utf-8")
    log.info("search index: %d pages, %d files", len(pages), len(bundle))
    return bundle
