"""The pages survive any URL and find what readers type (the fast fixture's site, in Chromium):
codes like __proto__ are unknown codes, a huge list is cut, and nothing breaks or says
"undefined"; the site search finds areas by any of their names."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

HOSTILE = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "99999", "", "%00"]


@pytest.mark.parametrize(
    "query",
    [
        "e=" + ",".join(HOSTILE),
        "e=__proto__&m=__proto__&i=constructor&p=toString&c=__proto__",
        "e=" + ",".join(["44021"] * 500 + [str(c) for c in range(95000, 96000)]),  # ~9 kB
        "e=44021,__proto__,constructor,21004",
    ],
    ids=["prototype-names", "every-parameter", "huge-list", "mixed"],
)
def test_the_compare_tool_treats_hostile_codes_as_unknown(fast_watched, fast_server, query):
    page = fast_watched.page
    page.goto(fast_server + "en/compare/?" + query)
    expect(page.locator("#compare-caption")).not_to_have_text("")
    chosen = page.locator(".chosen li").all_inner_texts()
    assert all("undefined" not in c for c in chosen), chosen
    known = {"Gent", "Brussels / Brussel", "Bruxelles / Brussel"}
    assert len(chosen) <= 8 and all(any(k in c for k in known) for c in chosen), chosen
    assert "undefined" not in page.inner_text("main")
    fast_watched.clean()


@pytest.mark.parametrize("code", ["__proto__", "constructor", "toString", "99999", "44021"])
def test_the_scatter_picker_ignores_unknown_codes(fast_watched, fast_server, code):
    page = fast_watched.page
    page.goto(fast_server + "en/income/?e=" + code)
    expect(page.locator("[data-picker]")).to_be_visible()
    picked = page.input_value("#pick")
    assert picked == (code if code == "44021" else "")
    assert "undefined" not in page.inner_text("main")
    fast_watched.clean()


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("nl/zoeken/", "Anvers", "nl/gemeente/11002-antwerpen/"),
        ("fr/recherche/", "antwerpen", "fr/commune/11002-anvers/"),
        ("de/suche/", "Borsbeek", "de/gemeinde/11002-antwerpen/"),
        ("en/search/", "louviere", "en/municipality/58001-la-louviere/"),
        ("en/search/", "__proto__", None),
    ],
)
def test_the_search_finds_an_area_by_any_of_its_names(
    fast_watched, fast_server, path, query, expected
):
    page = fast_watched.page
    page.goto(fast_server + path + "?q=" + query)
    status = page.locator("#search-status")
    expect(status).not_to_have_text("")
    hrefs = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)")
    if expected is None:
        assert hrefs == []
    else:
        assert hrefs and hrefs[0] == fast_server + expected, hrefs[:3]
    # typing narrows the results as the reader types
    page.fill("#q", "")
    expect(status).to_have_text("")
    fast_watched.clean()
