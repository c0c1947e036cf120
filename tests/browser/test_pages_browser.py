"""Every kind of page in four languages, in real Chromium: nothing fails, nothing leaves the site,
axe-core finds no violation of WCAG 2.1 A/AA or of its best practices, the 404 page works under
a sub-path, and without JavaScript the numbers, charts and tables are all there."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.xdist_group("site")

PAGES = {
    "home": {"nl": "nl/", "fr": "fr/", "de": "de/", "en": "en/"},
    "measure": {
        "nl": "nl/leefloon/",
        "fr": "fr/revenu-integration/",
        "de": "de/eingliederungseinkommen/",
        "en": "en/integration-income/",
    },
    "gent": {
        "nl": "nl/gemeente/44021-gent/",
        "fr": "fr/commune/44021-gand/",
        "de": "de/gemeinde/44021-gent/",
        "en": "en/municipality/44021-gent/",
    },
    "pajottegem": {
        "nl": "nl/gemeente/23106-pajottegem/",
        "fr": "fr/commune/23106-pajottegem/",
        "de": "de/gemeinde/23106-pajottegem/",
        "en": "en/municipality/23106-pajottegem/",
    },
    "brussels municipality": {
        "nl": "nl/gemeente/21009-elsene/",
        "fr": "fr/commune/21009-ixelles/",
        "de": "de/gemeinde/21009-ixelles/",
        "en": "en/municipality/21009-ixelles-elsene/",
    },
    "province": {
        "nl": "nl/provincie/40000-oost-vlaanderen/",
        "fr": "fr/province/40000-flandre-orientale/",
        "de": "de/provinz/40000-ostflandern/",
        "en": "en/province/40000-east-flanders/",
    },
    "scatter": {
        "nl": "nl/inkomen/",
        "fr": "fr/revenus/",
        "de": "de/einkommen/",
        "en": "en/income/",
    },
    "compare": {
        "nl": "nl/vergelijken/",
        "fr": "fr/comparer/",
        "de": "de/vergleichen/",
        "en": "en/compare/",
    },
    "data": {"nl": "nl/data/", "fr": "fr/donnees/", "de": "de/daten/", "en": "en/data/"},
    "methodology": {
        "nl": "nl/methodologie/",
        "fr": "fr/methodologie/",
        "de": "de/methodik/",
        "en": "en/methodology/",
    },
    "search": {
        "nl": "nl/zoeken/?q=gent",
        "fr": "fr/recherche/?q=gand",
        "de": "de/suche/?q=gent",
        "en": "en/search/?q=ghent",
    },
    "notes": {"nl": "nl/analyses/", "fr": "fr/analyses/", "de": "de/analysen/", "en": "en/notes/"},
    "note": {
        "nl": "nl/analyses/integration-income-since-2003/",
        "fr": "fr/analyses/integration-income-since-2003/",
        "de": "de/analysen/integration-income-since-2003/",
        "en": "en/notes/integration-income-since-2003/",
    },
    "region": {
        "nl": "nl/gewest/03000-waals-gewest/",
        "fr": "fr/region/03000-region-wallonne/",
        "de": "de/region/03000-wallonische-region/",
        "en": "en/region/03000-walloon-region/",
    },
}
CASES = [(kind, lang, path) for kind, by_lang in PAGES.items() for lang, path in by_lang.items()]
AXE = Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js"


def test_the_pages_exist(built_site):
    for _kind, _lang, path in CASES:
        assert (built_site[0] / path.split("?")[0] / "index.html").is_file(), path


@pytest.mark.parametrize(("kind", "lang", "path"), CASES)
def test_page_loads_cleanly_under_the_content_security_policy(watched, server, kind, lang, path):
    page = watched.page
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    charts = page.locator("figure.chart[data-spec]")
    if charts.count():  # first contact loads the Vega runtime and re-renders with tooltips
        charts.first.hover()
        expect(charts.first).to_have_attribute("data-live", "1")  # no eval: the CSP forbids it
        page.wait_for_timeout(800)
    if kind == "compare":
        page.wait_for_selector("#compare-view svg")
    assert page.locator("html").get_attribute("lang") == lang
    watched.clean()


@pytest.fixture(scope="module")
def axe_context(browser):
    # axe is injected as a script, which the pages' own CSP would (rightly) refuse
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.mark.parametrize(("kind", "lang", "path"), CASES)
def test_no_wcag_or_best_practice_violation(axe_context, server, kind, lang, path):
    page = axe_context.new_page()
    try:
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
        )
        problems = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
            for v in result["violations"]
        ]
        assert problems == [], problems
    finally:
        page.close()


@pytest.fixture(scope="module")
def no_js(browser):
    context = browser.new_context(java_script_enabled=False)
    yield context
    context.close()


@pytest.mark.parametrize(
    ("kind", "lang", "path"),
    [c for c in CASES if c[0] not in ("compare", "data", "search", "notes", "note")],
)
def test_without_javascript_numbers_charts_and_tables_are_there(no_js, server, kind, lang, path):
    page = no_js.new_page()
    try:
        page.goto(server + path)
        page.wait_for_load_state("load")
        if kind != "methodology":
            # pre-rendered: inline SVG (maps, scatters) or an image of the site's chart files,
            # loaded and drawn at its size
            drawn = page.locator("figure.chart svg, figure.chart img").evaluate_all(
                "els => els.filter(e => e.tagName.toLowerCase() === 'svg'"
                " || (e.complete && e.naturalWidth > 0)).length"
            )
            assert drawn >= 1, "no pre-rendered chart"
            broken = page.locator("img").evaluate_all(
                "els => els.filter(e => !(e.complete && e.naturalWidth > 0)).map(e => e.src)"
            )
            assert not broken, broken
        if kind in ("home", "measure", "gent", "pajottegem", "brussels municipality", "province"):
            bigs = page.locator(".key-figures .big").all_inner_texts()
            assert bigs and all(t.strip() and t.strip() != "–" for t in bigs[:2]), bigs
        assert page.locator("table").count() >= 1 or kind == "home"
    finally:
        page.close()


def test_compare_page_without_javascript_points_to_the_downloads(no_js, server):
    page = no_js.new_page()
    page.goto(server + "en/compare/")
    assert page.locator("#compare").is_hidden()
    links = page.locator(".nojs-only a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(h.endswith("ris.csv.gz") for h in links) and any(
        h.endswith("en/data/") for h in links
    )
    page.close()


def test_the_404_page_is_styled_and_works_under_a_sub_path(watched, server):
    page = watched.page
    watched.missing = server + "some/missing/deep/path/"
    response = page.goto(watched.missing)
    assert response.status == 404
    expect(page.locator("h1")).to_have_count(1)
    # the site's stylesheet applies (the header's background is the accent colour, not white)
    background = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), background
    # every link of the site stays under the sub-path (the licence's is the only one elsewhere)
    links = page.locator("a:not([rel=license])").evaluate_all("els => els.map(e => e.href)")
    assert links and all(href.startswith(server) for href in links), links
    watched.clean()
