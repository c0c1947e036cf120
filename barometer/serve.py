"""``python build.py serve``: preview the site on 127.0.0.1 the way it is published.

The site is served under the path of ``--base-url`` (``/`` by default; ``/barometer/`` for
``https://example.github.io/barometer/``), with the site's own 404 page for anything else, so links
that would break on GitHub Pages break here too. A watcher polls ``content/``, ``templates/`` and
the page assets once a second and rebuilds when a file changes; the atomic swap means the server
never shows a half-built site. Text files are sent gzip-compressed to clients that accept it, as
GitHub Pages does, so that what a browser (or Lighthouse) measures here is what readers get.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger(__name__)


def snapshot(dirs: Iterable[Path]) -> dict[str, float]:
    """Modification times of every file under ``dirs`` (what the watcher compares)."""
    out = {}
    for d in dirs:
        if d.is_dir():
            for p in d.rglob("*"):
                if p.is_file():
                    out[str(p)] = p.stat().st_mtime
    return out


COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".csv"}
"""Suffixes sent gzip-compressed (Pagefind's files, PNGs and .gz files are compressed already)."""


@functools.lru_cache(maxsize=256)
def _gzipped(path: str, mtime: float, size: int) -> bytes:  # noqa: ARG001 - cache keys
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files of ``site_dir`` under ``prefix``; the site's 404.html otherwise."""

    prefix = "/"
    site_dir = Path("site")

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(self.prefix):
            return str(self.site_dir / "__outside_base__")
        return super().translate_path("/" + clean[len(self.prefix) :])

    def send_head(self):  # noqa: ANN201 - stdlib signature (a file object or None)
        if "gzip" in self.headers.get("Accept-Encoding", ""):
            url = self.path.split("?", 1)[0].split("#", 1)[0]
            path = Path(self.translate_path(self.path))
            if path.is_dir() and url.endswith("/"):
                path = path / "index.html"
            if path.is_file() and path.suffix in COMPRESSED:
                st = path.stat()
                body = _gzipped(str(path), st.st_mtime, st.st_size)
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(str(path)))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return io.BytesIO(body)
        return super().send_head()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.site_dir / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        log.debug("serve: " + format, *args)


def make_server(site_dir: Path, prefix: str, port: int) -> http.server.ThreadingHTTPServer:
    handler = type(
        "Handler",
        (_Handler,),
        {"prefix": prefix, "site_dir": site_dir},
    )
    factory = functools.partial(handler, directory=str(site_dir))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), factory)


def watch(
    dirs: list[Path], rebuild: Callable[[], None], stop: threading.Event, interval: float = 1.0
) -> None:
    """Call ``rebuild`` whenever a file under ``dirs`` changes (until ``stop`` is set)."""
    seen = snapshot(dirs)
    while not stop.wait(interval):
        now = snapshot(dirs)
        if now != seen:
            changed = sorted(set(now.items()) ^ set(seen.items()))
            log.info(
                "changed: %s — rebuilding",
                ", ".join(sorted({Path(p).name for p, _ in changed})[:5]),
            )
            seen = now
            started = time.perf_counter()
            try:
                rebuild()
                log.info("rebuilt in %.1fs", time.perf_counter() - started)
            except Exception as exc:  # noqa: BLE001 - keep serving the previous site
                log.error("rebuild failed, still serving the previous site: %s", exc)
            seen = snapshot(dirs)
