"""Real headless Chromium (Debian's chromium, driven by Playwright) on the built site, served on
127.0.0.1 under a sub-path (/barometer/) by the project's own preview server."""

from __future__ import annotations

import os
import shutil
import threading
from urllib.parse import urlsplit

import pytest

from barometer.serve import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def server(built_site):
    srv = make_server(built_site[0], "/barometer/", 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/barometer/"
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="session")
def fast_server(fast_site):
    """The fast fixture's site, served under /barometer/."""
    srv = make_server(fast_site.root, "/barometer/", 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/barometer/"
    srv.shutdown()
    srv.server_close()


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs it)")
        pytest.skip("chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


class Watched:
    """A page that records console errors, failed requests and requests to other hosts."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.errors: list[str] = []
        self.failed: list[str] = []
        self.foreign: list[str] = []
        self.missing: str | None = None
        """A URL the test knows is missing (its own 404 status is not an error)."""
        host = urlsplit(base).netloc
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(r.url))
        page.on(
            "request",
            lambda r: (
                self.foreign.append(r.url)
                if urlsplit(r.url).netloc not in (host, "") and not r.url.startswith("data:")
                else None
            ),
        )

    def _console(self, message) -> None:  # noqa: ANN001 - playwright's ConsoleMessage
        if message.type != "error":
            return
        if self.missing is not None and message.location.get("url") == self.missing:
            return  # Chromium reports the 404 status of a page a test opens on purpose
        self.errors.append(message.text)

    def clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.failed, self.failed
        assert not self.foreign, self.foreign


@pytest.fixture()
def watched(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    w = Watched(page, server)
    yield w
    context.close()


@pytest.fixture()
def fast_watched(browser, fast_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    w = Watched(page, fast_server)
    yield w
    context.close()
