"""A municipality profile printed from Chromium (A4, print to PDF, the real site): at most four
pages, each measure's key figures, comparison table and chart on them, no navigation, no chart
data tables or breakdowns (issue 15, item 6)."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_pages_browser import PAGES

pytestmark = pytest.mark.xdist_group("site")

PROFILES = [
    PAGES["gent"]["nl"],
    PAGES["gent"]["fr"],
    PAGES["pajottegem"]["de"],  # merged in 2025: a callout more
    PAGES["brussels municipality"]["en"],
    "fr/commune/62063-liege/",
]
MAX_PAGES = 4

SHOWN = """() => {
  const shown = (el) => el && getComputedStyle(el).display !== "none" && el.getBoundingClientRect().height > 0;
  const sections = [...document.querySelectorAll("section.measure")];
  return {
    nav: [...document.querySelectorAll("header nav, .measure-tabs, .breadcrumbs")].some(shown),
    hidden: [...document.querySelectorAll("details.data-table, .breakdowns")].some(shown),
    measures: sections.length,
    complete: sections.filter((s) => shown(s.querySelector(".key-figures"))
      && shown(s.querySelector("table.compare")) && shown(s.querySelector("figure.chart img, figure.chart svg"))).length,
    notice: shown(document.querySelector(".notice")),
  };
}"""


@pytest.mark.parametrize("path", PROFILES)
def test_a_municipality_prints_on_four_a4_pages_with_its_charts(watched, server, path):
    page = watched.page
    page.goto(server + path)
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    got = page.evaluate(SHOWN)
    assert not got["nav"] and not got["hidden"], got
    assert got["measures"] >= 9 and got["complete"] == got["measures"], got
    assert got["notice"], "the synthetic-data notice prints"  # the snapshot is synthetic
    pdf = page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert 1 <= pages <= MAX_PAGES, f"{path}: {pages} A4 pages"
    watched.clean()
