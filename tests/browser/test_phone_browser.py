"""On a 360-px-wide phone (the fast fixture's site, in Chromium): no page is wider than the screen;
a table that needs more width scrolls inside its own container with its first column in view,
and the chart images are drawn within the screen (issue 15, item 1, in part)."""

from __future__ import annotations

import pytest

PHONE = {"width": 360, "height": 800}
PAGES = [
    "en/",
    "fr/revenu-integration/",
    "nl/gemeente/11002-antwerpen/",
    "de/gemeinde/44021-gent/",
    "fr/region/02000-region-flamande/",
    "en/methodology/",
    "fr/donnees/",
    "en/compare/?e=44021,11002",
    "nl/inkomen/",
    "en/notes/fixture-note/",
]

LAYOUT = """() => {
  const wide = [];
  for (const t of document.querySelectorAll("main table")) {
    const box = t.getBoundingClientRect();
    const holder = t.parentElement;
    const scrolls = getComputedStyle(holder).overflowX === "auto";
    const first = t.querySelector("tr > th:first-child");
    wide.push({
      caption: (t.caption && t.caption.textContent) || "",
      overflows: box.width > holder.clientWidth + 1,
      scrolls: scrolls,
      sticky: first ? getComputedStyle(first).position === "sticky" : true,
    });
  }
  const images = [...document.querySelectorAll("figure img, .locator img")].map(
    (i) => i.getBoundingClientRect().right);
  return {width: document.documentElement.scrollWidth, tables: wide, images: images};
}"""


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    yield context
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_nothing_is_wider_than_a_phone(phone, fast_server, path):
    page = phone.new_page()
    try:
        page.goto(fast_server + path)
        page.wait_for_load_state("networkidle")
        got = page.evaluate(LAYOUT)
        assert got["width"] <= PHONE["width"], got
        for t in got["tables"]:
            if t["overflows"]:  # wider than its place: it scrolls there, first column in view
                assert t["scrolls"] and t["sticky"], t
        assert all(right <= PHONE["width"] for right in got["images"]), got["images"]
    finally:
        page.close()
