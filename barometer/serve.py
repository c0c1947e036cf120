"""``python build.py serve``: preview the site on 127.0.0.1 the way it is published.

The site is served under the path of ``--base-url`` (``/`` by default; ``/barometer/`` for
``https://example.github.io/barometer/``), with the site's own 404 page for anything else, so links
that would break on GitHub Pages break here too. A watcher polls ``content/``, ``templates/`` and
the page assets once a second and rebuilds when a file changes; the atomic swap means the server
never shows a half-built site.
"""

from __future__ import annotations

import functools
import http.server
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


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Static files of ``site_dir`` under ``prefix``; the site's 404.html otherwise."""

    prefix = "/"
    site_dir = Path("site")

    def translate_path(self, path: str) -> str:
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(self.prefix):
            return str(self.site_dir / "__outside_base__")
        return super().translate_path("/" + clean[len(self.prefix) :])

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
