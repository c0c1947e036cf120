"""On a 360-px-wide phone (the fast fixture's site, in Chromium): no page is wider than the screen;
a table that needs more width scrolls inside its own container with its first column in view;
the chart images are drawn within the screen; every chart's text is at least 11 CSS px as
rendered (inline SVG, chart images and the charts JavaScript draws); an area's page opens with
every measure, each row linking to its section within two screens (issue 15, item 1)."""

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


MIN_TEXT = 11.0
"""The smallest chart text a phone reader gets, in CSS pixels."""

TEXT_SIZES = """(root) => [...root.querySelectorAll("text")]
  .filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0)
  .map((t) => {
    const m = t.getScreenCTM();
    return [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)];
  })"""
"""Every visible text of an SVG and its rendered size: its font size times the scale its
coordinate system is drawn at."""

IMAGES = """() => [...document.querySelectorAll("main img, main svg image")]
  .filter((i) => i.getBoundingClientRect().width > 0)
  .map((i) => {
    const r = i.getBoundingClientRect();
    const src = i.currentSrc || new URL(i.href.baseVal, location.href).href;
    return [src, r.width, r.height];
  })
  .filter((i) => i[0].endsWith(".svg"))"""


def _chart_text(page, aux) -> list[tuple[str, str, float]]:  # noqa: ANN001 - playwright pages
    """(where, text, CSS px) of every chart text on the page: inline SVG measured in place; an SVG
    shown as an image opened on its own at the size it is shown at (its own media queries and
    percentages then see what the image sees) and measured there."""
    found = [
        ("inline", t, px)
        for t, px in page.evaluate(f"() => ({TEXT_SIZES})(document.querySelector('main'))")
    ]
    for src, w, h in page.evaluate(IMAGES):
        aux.set_viewport_size({"width": max(1, round(w)), "height": max(1, round(h))})
        aux.goto(src)
        # as an <img> does: the drawing fills the box it is given
        sizes = aux.evaluate(
            "() => { const s = document.documentElement; s.setAttribute('width', '100%');"
            f" s.setAttribute('height', '100%'); return ({TEXT_SIZES})(s); }}"
        )
        found += [(src.rsplit("/", 1)[1], t, px) for t, px in sizes]
    return found


CHART_PAGES = [
    "nl/gemeente/11002-antwerpen/",  # municipality: line charts, the income scatter
    "fr/region/02000-region-flamande/",  # region
    "en/",  # home
    "de/eingliederungseinkommen/",  # a measure: maps and lines
    "nl/inkomen/",  # the scatters
]


@pytest.mark.parametrize("path", CHART_PAGES)
def test_chart_text_is_at_least_11_px_on_a_phone(browser, phone, fast_server, path):
    # the images are measured in a desktop page: a mobile one would lay an SVG without a
    # viewport meta out at 980 px, not at the image's size
    page, aux = phone.new_page(), browser.new_page()
    try:
        page.goto(fast_server + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        found = _chart_text(page, aux)
        assert len(found) >= 5, found  # the page has charts with text
        small = [f for f in found if f[2] < MIN_TEXT - 0.05]
        assert not small, small[:10]
    finally:
        page.close()
        aux.close()


def test_touched_charts_stay_readable_on_a_phone(phone, fast_server):
    """A touched line chart is drawn again by Vega (tooltips) as wide as its column: its text
    stays 11 px, where the drawing at its nominal width would be scaled down by half."""
    page = phone.new_page()
    try:
        page.goto(fast_server + "fr/revenu-integration/")
        page.wait_for_load_state("networkidle")
        fig = page.locator("figure.chart[data-spec]:not(.map)").first
        fig.scroll_into_view_if_needed()
        fig.dispatch_event("pointerenter")
        live = fig.locator(".svg svg")
        live.wait_for(timeout=20_000)
        sizes = live.evaluate(f"(s) => ({TEXT_SIZES})(s)")
        assert len(sizes) >= 5, sizes
        assert min(px for _, px in sizes) >= MIN_TEXT - 0.05, sizes
        # the dated events stay marked: a dotted rule and a number each (2025 and 2026 here)
        assert live.locator('[stroke="#7a4d9e"]').count() >= 2
        assert live.locator('text[fill="#7a4d9e"]').count() == 2
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        page.close()


OVERVIEW = """() => {
  const rows = [...document.querySelectorAll("table.overview tbody th[scope=row] a")];
  return {
    links: rows.map((a) => a.getAttribute("href")),
    bottoms: rows.map((a) => a.getBoundingClientRect().bottom + window.scrollY),
    sparks: [...document.querySelectorAll("table.overview td.spark svg path")].length,
    sections: [...document.querySelectorAll("section.measure")].map((s) => "#" + s.id),
  };
}"""


@pytest.mark.parametrize(
    "path", ["nl/gemeente/11002-antwerpen/", "fr/commune/58001-la-louviere/", "en/belgium/"]
)
def test_an_area_page_opens_with_every_measure(phone, fast_server, path):
    """Every measure's latest figures and sparkline at the top, within two screens; each row
    leads to its section."""
    page = phone.new_page()
    try:
        page.goto(fast_server + path)
        page.wait_for_load_state("networkidle")
        got = page.evaluate(OVERVIEW)
        assert got["links"] == got["sections"] and len(got["links"]) >= 2, got
        assert max(got["bottoms"]) <= 2 * PHONE["height"], got["bottoms"]
        assert got["sparks"] >= 2 * len(got["links"]) - 2, got  # a line and its last point
        last = got["links"][-1]
        page.click(f'table.overview a[href="{last}"]')
        page.wait_for_function(f"location.hash === '{last}'")
        top = page.evaluate(f"document.querySelector('{last}').getBoundingClientRect().top")
        assert 0 <= top < 100, top
    finally:
        page.close()
