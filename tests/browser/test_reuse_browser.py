"""The reuse kit on every chart and map (issue 15, item 5), in Chromium on the fast fixture's
site: image as SVG and PNG with its title, legend, source and licence, the chart's data as CSV, a
link to it, an embed snippet whose page shows the chart, a "cite this" line; the licence in the
footer of every page."""

from __future__ import annotations

import csv
import io
import re
import struct
from pathlib import Path
from xml.etree import ElementTree

import pytest

PAGES = ["nl/gemeente/11002-antwerpen/", "fr/revenu-integration/", "en/", "de/einkommen/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_chart_has_the_reuse_kit(browser, fast_server, path):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    try:
        page.goto(fast_server + path)
        page.wait_for_load_state("networkidle")
        figures = page.locator("figure.chart[data-chart]")
        n = figures.count()
        assert n >= 1
        assert page.locator("figure.chart[data-chart] > details.reuse").count() == n
        for i in range(n):
            fig = figures.nth(i)
            fid = fig.get_attribute("id")
            kit = fig.locator("details.reuse")
            kit.locator("summary").click()
            link, embed, cite = (
                kit.locator(s).first.input_value()
                for s in ("input", "textarea", "textarea >> nth=1")
            )
            assert link == fast_server + path + "#" + fid
            assert page.locator(f"[id='{fid}']").count() == 1  # the anchor is unique
            caption = fig.locator("figcaption").inner_text().strip()
            assert cite.startswith(caption) and link in cite and "2026" in cite
            assert re.match(
                r'<iframe src="[^"]+/embed/\?p=[^"&]+&amp;c=|<iframe src="[^"]+/embed/\?p=[^"&]+&c=',
                embed,
            )
            assert kit.locator("a[rel=license]").count() == 1
        # the first chart's files
        kit = figures.first.locator("details.reuse")
        with page.expect_download() as d:
            kit.locator(".kit-files button").nth(0).click()
        svg = Path(d.value.path()).read_text(encoding="utf-8")
        root = ElementTree.fromstring(svg)  # well-formed, self-contained
        texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        assert figures.first.locator("figcaption").inner_text().split()[0] in texts
        assert "CC BY 4.0" in texts and "2026-" in texts  # licence and vintage travel with it
        with page.expect_download() as d:
            kit.locator(".kit-files button").nth(1).click()
        png = Path(d.value.path()).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert width >= 1000 and height >= 200  # drawn at twice its size, title to licence
        csv_buttons = kit.locator(".kit-files button").count()
        if csv_buttons == 3:
            with page.expect_download() as d:
                kit.locator(".kit-files button").nth(2).click()
            rows = list(
                csv.reader(io.StringIO(Path(d.value.path()).read_text(encoding="utf-8-sig")))
            )
            assert len(rows) >= 3 and len({len(r) for r in rows}) == 1
    finally:
        page.close()


def test_the_embed_page_shows_the_chart_with_its_source(browser, fast_server):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(fast_server + "de/gemeinde/44021-gent/")
        page.wait_for_load_state("networkidle")
        fig = page.locator("figure.chart[data-chart]").first
        fig.locator("details.reuse summary").click()
        snippet = fig.locator("details.reuse textarea").first.input_value()
        src = re.search(r'src="([^"]+)"', snippet).group(1).replace("&amp;", "&")
        caption = fig.locator("figcaption").inner_text()
        embed = browser.new_page(viewport={"width": 600, "height": 700})
        embed.goto(src)
        embed.wait_for_load_state("networkidle")
        shown = embed.locator("#embed figure.chart")
        shown.wait_for()
        assert shown.locator("figcaption").inner_text() == caption
        assert embed.locator("html").get_attribute("lang") == "de"
        loaded = shown.locator(".svg img").evaluate_all("els => els.map(i => i.naturalWidth > 0)")
        assert loaded and all(loaded)
        assert embed.locator("#embed a[rel=license]").count() == 1
        assert (
            embed.locator("#embed > p.note > a")
            .first.get_attribute("href")
            .startswith(fast_server + "de/gemeinde/44021-gent/")
        )
        # a page or chart the embed page is not meant to show: nothing is fetched or shown
        embed.goto(fast_server + "embed/?p=https://example.org/&c=x")
        embed.wait_for_load_state("networkidle")
        assert embed.locator("#embed figure").count() == 0
        embed.close()
    finally:
        page.close()


@pytest.mark.parametrize("path", ["nl/", "fr/methodologie/", "404.html", "en/data/"])
def test_the_footer_states_the_licence(fast_site, path):
    html = (
        (fast_site.root / path).read_text(encoding="utf-8")
        if path.endswith(".html")
        else fast_site.page(path)
    )
    assert 'rel="license"' in html and "CC BY 4.0" in html and "MIT" in html
