"""Stage 5b: the static full-text search index (Pagefind), from search documents of the pages.

Pagefind (from PyPI: ``pagefind`` with its ``pagefind_bin`` binary, run as ``python -m pagefind``)
indexes the entity, measure and note pages of every language — each page's
``<main data-pagefind-body>`` — and splits the index by ``<html lang>``, so a search on a Dutch
page searches the Dutch pages. Entity pages carry the area's names in the three national
languages, so "Lüttich", "Luik" and "Liège" all find the page of Liège in the current language.

As each page is rendered, its **search document** is written to a work directory: the page's
language, title and main element, without the chart SVGs (axis labels are not words to find).
The index is a function of these documents only, so it is cached under the hash of all of them
(and Pagefind's version): a build that changes a template's header, footer or styles reuses it.
Result URLs are site-relative ('nl/gemeente/…/'); the page script prefixes them with the site
root it runs under, so search works under any sub-path.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path, PurePosixPath

from barometer.errors import BuildError

log = logging.getLogger(__name__)

INDEXED_MARK = b"data-pagefind-body"
_MAIN = re.compile(rb"<main\b.*?</main>", re.S)
_SVG = re.compile(rb"<svg\b.*?</svg>", re.S)
_LANG = re.compile(rb'<html lang="([^"]+)"')
_TITLE = re.compile(rb"<title>(.*?)</title>", re.S)


def search_document(html: bytes) -> bytes | None:
    """What Pagefind needs of a page (None for pages that are not searched)."""
    if INDEXED_MARK not in html:
        return None
    main = _MAIN.search(html)
    lang = _LANG.search(html)
    title = _TITLE.search(html)
    if not (main and lang):
        return None
    return b"".join(
        [
            b'<!DOCTYPE html><html lang="',
            lang.group(1),
            b'"><head><meta charset="utf-8"><title>',
            title.group(1) if title else b"",
            b"</title></head><body>",
            _SVG.sub(b"", main.group(0)),
            b"</body></html>\n",
        ]
    )


def add_document(root: Path, path: PurePosixPath, html: bytes) -> str | None:
    """Write the search document of the page at ``path`` under ``root``; its sha256, or None.
    Safe to call from worker processes (each page has its own file)."""
    doc = search_document(html)
    if doc is None:
        return None
    dest = root / path
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(doc)
    return hashlib.sha256(doc).hexdigest()


def index_key(digests: dict[str, str]) -> str:
    h = hashlib.sha256(f"pagefind {version('pagefind')}\n".encode())
    for path in sorted(digests):
        h.update(f"{path} {digests[path]}\n".encode())
    return h.hexdigest()[:24]


def _index(root: Path) -> None:
    """Run the Pagefind CLI over the documents under ``root`` (its own process: the CLI is about
    30 times faster than feeding pages through the Python API's pipe)."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(root), "--output-subdir", "pagefind"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"pagefind failed ({done.returncode}): {done.stderr.strip()[-500:]}")


def search_bundle(docs: Path, digests: dict[str, str], cache_dir: Path | None) -> Path:
    """The directory holding Pagefind's bundle (index, fragments, WebAssembly, UI script and
    styles) for the documents under ``docs``: from the cache when the same documents were indexed
    before, else made now (and cached)."""
    key = index_key(digests)
    cached = cache_dir / key if cache_dir is not None else None
    if cached is not None and (cached / "pagefind-entry.json").is_file():
        log.info("search index: %d pages, from the cache", len(digests))
        return cached
    _index(docs)
    out = docs / "pagefind"
    entry = out / "pagefind-entry.json"
    if entry.is_file():  # Pagefind lists the languages in hash-map order: sort for identical builds
        entry.write_text(json.dumps(json.loads(entry.read_text("utf-8")), sort_keys=True), "utf-8")
    log.info("search index: %d pages, %d files", len(digests), sum(1 for _ in out.rglob("*")))
    if cached is None:
        return out
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=cached.parent))
    shutil.rmtree(tmp)
    shutil.copytree(out, tmp)
    tmp.rename(cached)
    return cached
