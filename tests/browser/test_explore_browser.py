"""The compare tool, the scatter picker and the search, in a real browser."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

# (Playwright's wait_for_function evaluates strings, which the pages' CSP forbids: locator
# expectations poll without eval)

pytestmark = pytest.mark.xdist_group("site")


def _state(url: str) -> dict:
    q = parse_qs(urlsplit(url).query)
    return {k: v[0] for k, v in q.items()}


def test_compare_state_round_trips_through_the_url(watched, server):
    page = watched.page
    start = "fr/comparer/?e=44021,44000,01000&m=ris&i=per_1000&p=month"
    page.goto(server + start)
    page.wait_for_selector("#compare-view svg")
    assert page.locator(".chosen li").count() == 3
    # change the view with the form: another measure, shares of a category, yearly periods
    page.check("input[name='m'][value='eris']")
    page.check("input[name='i'][value='share']")
    page.select_option("#category", "nationality.non_eu")
    page.check("input[name='p'][value='year']")
    page.fill("#add-area", "Liège (Commune)")
    page.click("#add-button")
    expect(page.locator(".chosen li")).to_have_count(4)
    url = page.url
    state = _state(url)
    assert state == {
        "e": "44021,44000,01000,62063",
        "m": "eris",
        "i": "share",
        "c": "nationality.non_eu",
        "p": "year",
    }
    assert page.get_attribute("#share-link", "href").endswith(urlsplit(url).query)
    first = page.locator("#compare-table tbody tr").first.inner_text()
    caption = page.inner_text("#compare-caption")
    # the same link in a fresh page reproduces the view exactly
    page2 = page.context.new_page()
    page2.goto(url)
    page2.wait_for_selector("#compare-view svg")
    assert _state(page2.url) == state
    assert page2.inner_text("#compare-caption") == caption
    assert page2.locator("#compare-table tbody tr").first.inner_text() == first
    assert page2.is_checked("input[name='m'][value='eris']")
    assert page2.input_value("#category") == "nationality.non_eu"
    watched.clean()


def test_compare_numbers_equal_the_area_page(watched, server):
    page = watched.page
    page.goto(server + "nl/gemeente/44021-gent/")
    rate = page.inner_text("#m-ris .key-figures div:nth-child(2) .big")
    href = page.get_attribute("p.more a[href*='vergelijken/?e=44021']", "href")
    assert "e=44021,44000,40000,02000,01000" in href
    page.click("p.more a[href*='vergelijken/?e=44021']")
    page.wait_for_selector("#compare-view svg")
    page.click("#compare-table-wrap summary")
    last_month_row = page.locator("#compare-table tbody tr").first
    assert last_month_row.locator("td").first.inner_text() == rate
    watched.clean()


def test_compare_is_usable_with_the_keyboard_alone(watched, server):
    page = watched.page
    page.goto(server + "en/compare/?e=44021,01000&m=ris&i=per_1000&p=month")
    page.wait_for_selector("#compare-view svg")
    page.focus("#add-area")
    page.keyboard.type("Antwerpen (Municipality)")
    page.keyboard.press("Enter")
    expect(page.locator(".chosen li")).to_have_count(3)
    # tab back to the first "Remove" button and press it
    page.focus(".chosen .remove")
    page.keyboard.press("Enter")
    expect(page.locator(".chosen li")).to_have_count(2)
    assert _state(page.url)["e"] == "01000,11002"
    # arrow keys move between the measure radios
    page.focus("input[name='m'][value='ris']")
    page.keyboard.press("ArrowDown")
    expect(page).to_have_url(re.compile(r"[?&]m=empl_dis"))  # the next in catalogue order
    watched.clean()


def test_scatter_picker_rings_the_chosen_municipality(watched, server):
    page = watched.page
    page.goto(server + "de/einkommen/")
    page.select_option("#pick", "44021")
    assert page.locator("figure[data-scatter] g.pick circle").count() == 2
    assert "Gent" in page.inner_text(".picked")
    assert _state(page.url)["e"] == "44021"
    watched.clean()


@pytest.mark.parametrize(
    ("lang_path", "query", "expected"),
    [
        ("nl/zoeken/", "Lüttich", "nl/gemeente/62063-luik/"),
        ("fr/recherche/", "Luik", "fr/commune/62063-liege/"),
        ("de/suche/", "Liège", "de/gemeinde/62063-luttich/"),
        ("en/search/", "Pajottegem", "en/municipality/23106-pajottegem/"),
    ],
)
def test_search_finds_a_municipality_by_any_of_its_names(
    watched, server, lang_path, query, expected
):
    page = watched.page
    page.goto(server + lang_path + "?q=" + query)
    expect(page.locator("#search-status")).not_to_have_text("")
    hrefs = page.eval_on_selector_all("#search-results a", "els => els.map(e => e.href)")
    assert hrefs[0] == server + expected, hrefs[:5]
    watched.clean()


def test_compare_smooths_any_monthly_series(watched, server, built_site):
    """The "Monthly series" toggle: the 12-month average of Gent's rate is the mean of the 12
    monthly rates of the compare data (recomputed here with the Python twin of the decoder), and
    "a year earlier" adds, per area, the value of the same month 12 months before."""
    import json
    import math

    from barometer.compare import decode

    site = built_site[0]
    doc = json.loads((site / "data/compare.json").read_text(encoding="utf-8"))
    doc["series"] = {"ris": json.loads((site / "data/compare-ris.json").read_text("utf-8"))}
    rates = decode(doc, "ris", "44021")["month"]["per_1000"]
    last = max(i for i, v in enumerate(rates) if v is not None)
    mean = sum(rates[last - 11 : last + 1]) / 12  # type: ignore[arg-type]
    page = watched.page
    page.goto(server + "en/compare/?e=44021,01000&m=ris&i=per_1000&p=month&s=ma12")
    page.wait_for_selector("#compare-view svg")
    assert page.is_checked("input[name='s'][value='ma12']")
    assert "12-month average" in page.inner_text("#compare-caption")
    page.click("#compare-table-wrap summary")
    first = page.locator("#compare-table tbody tr").first
    assert first.locator("th").inner_text() == doc["months"][last]
    shown = float(first.locator("td").first.inner_text().replace(",", ""))
    assert math.isclose(shown, mean, abs_tol=0.051), (shown, mean)
    # the first 11 months have no average: their rows are gone from the table
    assert page.locator("#compare-table tbody tr").count() <= len(doc["months"]) - 11
    # a year earlier: one more column per area, dashed lines beside the areas' own
    page.check("input[name='s'][value='earlier']")
    expect(page).to_have_url(re.compile(r"[?&]s=earlier"))
    heads = page.locator("#compare-table thead th").all_inner_texts()
    assert heads[1:] == ["Gent", "Gent, a year earlier", "Belgium", "Belgium, a year earlier"]
    first = page.locator("#compare-table tbody tr").first
    assert float(first.locator("td").nth(1).inner_text().replace(",", "")) == pytest.approx(
        rates[last - 12], abs=0.051
    )
    assert page.locator("#compare-view path[stroke-dasharray='4,3']").count() == 2
    # shares (13 months only) and yearly periods: the choice is off and leaves the URL
    page.check("input[name='i'][value='share']")
    assert page.is_disabled("input[name='s'][value='ma12']")
    assert "s=" not in urlsplit(page.url).query
    assert page.locator("#compare-view path[stroke-dasharray='4,3']").count() == 0
    page.check("input[name='i'][value='per_1000']")
    expect(page).to_have_url(re.compile(r"[?&]s=earlier"))
    page.check("input[name='p'][value='year']")
    assert page.is_disabled("input[name='s'][value='ma12']")
    assert "s=" not in urlsplit(page.url).query
    watched.clean()
