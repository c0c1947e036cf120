"""The built site: pages, numbers in the right places, languages, links, downloads.

Numbers are computed here from the raw input files (not from the package) and looked up in the
HTML. The site is built once per session (tests/conftest.py: built_site).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pandas as pd
import pytest
from babel.numbers import format_decimal

from barometer.i18n import catalogue_problems

pytestmark = pytest.mark.xdist_group("site")

HREF = re.compile(r'(?:href|src)="([^"]+)"')


@pytest.fixture(scope="module")
def site(built_site):
    return built_site[0]


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


BASE_URL = "https://example.github.io/barometer/"


def local(site: Path, url: str) -> Path:
    """The file a URL under BASE_URL is served from (directories: their index.html)."""
    rel = url[len(BASE_URL) :]
    target = site / rel
    return target / "index.html" if rel == "" or rel.endswith("/") else target


def test_sitemap_lists_every_page_with_absolute_urls(site):
    xml = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", xml)
    # per language: home, methodology, data, 9 measures, 622 areas, scatter, compare, search,
    # the index of notes and one note
    assert len(locs) == 4 * (3 + 9 + 622 + 3 + 2)
    for loc in locs:
        assert loc.startswith(BASE_URL), loc
        assert local(site, loc).is_file(), loc
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {BASE_URL}sitemap.xml" in robots


def test_every_link_resolves_under_a_sub_path(site):
    """Served at https://example.github.io/barometer/, every href/src of every page stays under
    /barometer/ and reaches a file of the site (no root-relative link that would escape)."""
    missing = set()
    pages = list(site.rglob("*.html"))
    assert len(pages) > 2700
    for p in pages:
        rel = p.relative_to(site).as_posix()
        page_url = BASE_URL + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        if rel == "404.html":
            page_url = BASE_URL + "some/missing/deep/path/"  # served for any missing path
        for raw_url in HREF.findall(p.read_text(encoding="utf-8")):
            bare = unescape(raw_url).split("#")[0].split("?")[0]
            if not bare:
                continue  # a link within the page
            url = urljoin(page_url, bare)
            if not url.startswith("https://example.github.io/"):
                continue  # a source's own site
            if not url.startswith(BASE_URL) or not local(site, url).exists():
                missing.add((rel, raw_url))
    assert not missing, sorted(missing)[:10]


def test_gent_numbers_from_the_raw_files(site, raw, snapshot):
    count = int(
        raw[(raw.measure == "ris") & (raw.month == "2026-08") & (raw.nis == "44021")].total.item()
    )
    with open(
        snapshot / "population/statbel_population_1jan_2022-2026_long.csv", encoding="utf-8"
    ) as fh:
        pop = next(  # the population of 1 January of the same year (issue 13)
            int(r["total"])
            for r in csv.DictReader(fh)
            if r["nis_code"] == "44021" and r["year"] == "2026"
        )
    rate = count / pop * 1000
    for lang, loc, path in (
        ("nl", "nl_BE", "nl/gemeente/44021-gent/"),
        ("fr", "fr_BE", "fr/commune/44021-gand/"),
        ("en", "en", "en/municipality/44021-gent/"),
    ):
        body = text(page(site, path))
        assert format_decimal(count, locale=loc) in body, lang
        assert format_decimal(round(rate, 1), format="#,##0.0", locale=loc) in body, lang
    assert "7.509" in text(page(site, "nl/gemeente/44021-gent/"))


def test_belgium_headline_in_four_number_formats(site, raw):
    total = int(raw[(raw.measure == "ris") & (raw.month == "2026-08")].total.sum())
    expected = {"nl": "nl_BE", "fr": "fr_BE", "de": "de_BE", "en": "en"}
    for lang, loc in expected.items():
        assert format_decimal(total, locale=loc) in text(page(site, f"{lang}/")), lang
    assert format_decimal(total, locale="fr_BE") == "161\u202f957"


def test_languages_names_and_switcher(site):
    paths_ = {
        "nl": "nl/gemeente/62063-luik/",
        "fr": "fr/commune/62063-liege/",
        "de": "de/gemeinde/62063-luttich/",
        "en": "en/municipality/62063-liege/",
    }
    names = {"nl": "Luik", "fr": "Liège", "de": "Lüttich", "en": "Liège"}
    for lang, path in paths_.items():
        html = page(site, path)
        assert f'<html lang="{lang}">' in html
        assert re.search(r"<h1>\s*" + names[lang] + r"\s*</h1>", html), lang
        for other, opath in paths_.items():
            assert f'hreflang="{other}" href="{BASE_URL}{opath}"' in html
            if other != lang:
                assert (
                    f'href="../../../{opath}" hreflang="{other}"' in html
                )  # the switcher leads to the same page


def test_synthetic_notice_on_every_page(site):
    for p in site.rglob("index.html"):
        html = p.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in html or p.parent == site:
            continue
        assert 'class="notice"' in html, p


def test_notice_disappears_when_the_extract_is_not_synthetic():
    from barometer.render import environment

    env = environment()
    env.install_null_translations(newstyle=True)
    tpl = env.get_template("partials/notice.html")
    assert "notice" in tpl.render(
        meta={"synthetic": True}, base="/", nav={"methodology": "en/methodology/"}
    )
    assert (
        tpl.render(
            meta={"synthetic": False}, base="/", nav={"methodology": "en/methodology/"}
        ).strip()
        == ""
    )


def test_redirects_of_former_municipalities(site):
    for path, target in (
        ("nl/gemeente/11007-borsbeek/", "nl/gemeente/11002-antwerpen/"),
        ("fr/commune/23023-gammerages/", "fr/commune/23106-pajottegem/"),
        ("nl/gemeente/44049-nevele/", "nl/gemeente/44083-deinze/"),
    ):
        html = page(site, path)
        assert f'content="0; url=../../../{target}"' in html
        assert (site / target / "index.html").is_file()


def test_merger_history_and_herstappe(site):
    body = text(page(site, "nl/gemeente/23106-pajottegem/"))
    assert "1 januari 2025" in body and "Galmaarden" in body and "Gooik" in body and "Herne" in body
    html = page(site, "nl/gemeente/73028-herstappe/")
    main = html[html.index("<main") : html.index("</main>")]
    assert "geen eigen OCMW" in text(main)
    # no figures of its own: no key figures, no chart, no breakdown — and nothing shown as 0
    assert 'class="key-figures"' not in main and "<figure" not in main
    assert 'class="breakdown"' not in main


def test_small_counts_show_as_less_than_five(site, built_site):
    table = built_site[1].model.indicators.table
    t = table[
        (table.period == "2026-08")
        & (table.measure == "ris")
        & (table.geo_level == "municipality")
        & table.flag.astype(str).str.contains("suppressed")
    ]
    code = str(t.geo_code.iloc[0])
    path = next((site / "nl/gemeente").glob(f"{code}-*"))
    assert "&lt; 5" in (path / "index.html").read_text(encoding="utf-8")


def test_map_links_stay_on_the_site(site):
    """The areas of the level maps link to their pages with relative URLs (vl-convert used to
    resolve them against a vega-datasets address on another host)."""
    pages = list(site.rglob("*.html"))
    linked = [p for p in pages if "xlink:href=" in p.read_text(encoding="utf-8")]
    assert len(linked) >= 4 * 4  # the measure pages' level maps, in four languages
    for p in pages:
        html = p.read_text(encoding="utf-8")
        assert 'xlink:href="http' not in html and "vega.github.io" not in html, p


def test_charts_are_images_of_the_site_with_text_alternatives(site):
    html = page(site, "nl/gemeente/44021-gent/")
    # four evolution charts and the locator: files of the site, with their size (no layout shift)
    images = re.findall(r'<img src="([^"]+\.svg)" width="\d+" height="\d+"', html)
    assert len(images) >= 5, images
    for src in images:
        assert (site / "nl/gemeente/44021-gent" / src).resolve().is_file(), src
    assert html.count('role="img" aria-label="') >= 5
    assert html.count('<details class="data-table">') == 9  # one per measure
    # the tables under a municipality's charts hold it and Belgium (the rest on their pages)
    table = html[html.index('<details class="data-table">') :]
    table = table[: table.index("</details>")]
    assert "<th>Gent<th>België" in table.replace("\n", "") and "Vlaams Gewest" not in table
    assert "op hun eigen pagina" in table
    # the chart's one-sentence summary, as the text alternative and under the chart
    # the first measure is DIS: (ris 7,509 + empl_dis 1,649) / 274,042 inhabitants in 2026
    summary = "Gent: 33,4 per 1000 inwoners in augustus 2026"
    assert f'role="img" aria-label="{summary}' in html
    assert summary in text(html)
    assert "cdn" not in html.lower()


def test_downloads_and_data_package(site):
    """The formats themselves are tested in tests/test_downloads.py; here: the package lists
    the site's files with their sizes and hashes, and a per-area CSV opens with pandas'
    defaults (no comment line, codes with their leading zeros)."""
    pkg = json.loads((site / "downloads/datapackage.json").read_text(encoding="utf-8"))
    assert pkg["synthetic"] is True and pkg["extract_date"] == "2026-12-01"
    by_name = {r["name"]: r for r in pkg["resources"]}
    assert "entities/44021.csv.gz" in by_name["area-totals"]["path"]
    assert "entities/44021-breakdowns.csv.gz" in by_name["area-breakdowns"]["path"]
    for name in ("barometer-totals-csv", "ris-totals-csv", "barometer-totals-parquet"):
        data = (site / "downloads" / by_name[name]["path"]).read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if name.endswith("csv"):
            assert by_name[name]["hash"] == "sha256:" + sha and by_name[name]["bytes"] == len(data)
        else:  # Parquet: in the description (frictionless counts no bytes of a Parquet file)
            assert f"{len(data)} bytes, sha256 {sha}" in by_name[name]["description"]
    gent = pd.read_csv(site / "downloads/entities/44021.csv.gz")
    fields = json.loads((site / "downloads/schemas/totals.json").read_text(encoding="utf-8"))
    assert list(gent.columns) == [f["name"] for f in fields["fields"]]
    assert set(gent.geo_id) == {"BE44021"} and set(gent.data_status) == {"synthetic"}
    assert pd.read_csv(site / "downloads/entities/01000.csv.gz").geo_id.iloc[0] == "BE01000"
    with gzip.open(site / "downloads/ris.csv.gz", "rt", encoding="utf-8") as fh:
        assert fh.readline().startswith("geo_id,year,month,period_type,status,data_status,ris_")
    assert (site / "downloads/entities/44021.xlsx").read_bytes()[:2] == b"PK"
    assert not (site / "downloads/entities/73028.csv.gz").exists()  # Herstappe: no figures


def test_area_downloads_are_the_area_rows_of_the_whole_table(site):
    """Per-area CSVs are cut out of the whole table's CSV: each is the header and the area's
    rows of the gzipped bulk file (the country, a region, Brussels, Gent and Eupen)."""
    lines = gzip.decompress((site / "downloads/barometer.csv.gz").read_bytes()).splitlines(True)
    for code in ("01000", "04000", "21004", "44021", "63023"):
        own = [line for line in lines[1:] if line.startswith(f'"BE{code}",'.encode())]
        assert len(own) > 250
        part = gzip.decompress((site / f"downloads/entities/{code}.csv.gz").read_bytes())
        assert part == b"".join([lines[0], *own])


def test_every_page_links_its_downloads(site):
    assert 'href="../../../downloads/entities/44021.csv.gz"' in page(site, "fr/commune/44021-gand/")
    assert 'href="../../downloads/eris.csv.gz"' in page(site, "en/financial-aid/")


def test_methodology_states_last_published_months_and_reconciliation(site):
    body = text(page(site, "en/methodology/"))
    assert "August 2026" in body and "May 2026" in body and "March 2026" in body
    # the 2008 press release: employment (both rights) 2006-2007, and the 2007 gap shown plainly
    assert "Employment through the OCMW/CPAS (both rights)" in body and "25,311" in body
    assert "0.79 %" in body and "0.76 %" in body
    assert "140,200" in body and "146,753" in body  # published annual averages, 2017 and 2019


def test_catalogues_are_complete():
    """Every message of the templates and the package is translated, none is unused (templates
    against page types: tests/test_templates.py)."""
    assert catalogue_problems() == []


def test_every_chart_has_a_text_alternative_and_a_data_table(site):
    """Line charts and maps carry their data table; scatters share the scatter page's table."""
    checked = 0
    for path in (
        "nl/",
        "fr/revenu-integration/",
        "de/gemeinde/44021-gent/",
        "en/notes/integration-income-since-2003/",
        "nl/provincie/40000-oost-vlaanderen/",
    ):
        html = page(site, path)
        for fig in re.findall(r'<figure class="chart[^"]*".*?</figure>', html, re.S):
            assert re.search(r'role="img" aria-label="[^"]{20,}"', fig), (path, fig[:200])
            if 'class="chart scatter"' in fig:
                continue
            if 'class="chart strip"' in fig:  # every municipality's rate: the measure's ranking
                assert re.search(r'<a href="[^"#]+/#ranking">', fig), (path, fig[:200])
                checked += 1
                continue
            ref = re.search(r'<a href="#([a-z-]+)">', fig)
            if ref and 'class="chart map"' in fig:  # the measure page's map: its ranking
                assert f'id="{ref.group(1)}"' in html, (path, ref.group(1))
                checked += 1
                continue
            assert '<details class="data-table"' in fig and "<table>" in fig, (path, fig[:200])
            checked += 1
    assert checked >= 12
