"""Stage 4: page models — for every page of every language, a frozen dataclass of formatted
numbers, labels, links and chart keys (:mod:`barometer.pages.types`).

The stage runs one way, in the order of :func:`build_site_model`: lookups (the only pandas) →
the scatters' model and every chart spec → the compare tool's data files → page models of each
language → the data page, whose download sizes come from the downloads made meanwhile. No page
function writes into a shared object: each takes a :class:`~barometer.pages.builder.PageBuilder`
over the stage's inputs and returns its page model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from barometer import urls
from barometer.i18n import load_lang
from barometer.model import Model
from barometer.pages.builder import PageBuilder
from barometer.pages.cards import card_models
from barometer.pages.chartspecs import ChartSet, chart_specs
from barometer.pages.compare import compare_files, compare_page
from barometer.pages.entity import entity_page
from barometer.pages.home import home_page, right_anchor
from barometer.pages.inputs import PageInputs
from barometer.pages.lookups import build_lookups
from barometer.pages.measure import measure_page
from barometer.pages.notes import note_entries, note_pages, notes_page
from barometer.pages.redirects import redirect_pages
from barometer.pages.reference import data_page, methodology_page, search_page
from barometer.pages.scatter import scatter_page
from barometer.pages.scatters import scatter_model
from barometer.pages.search import index_path, search_index
from barometer.pages.types import Nav, NavLink, Page, SiteModel
from barometer.vocabulary import COUNTRY_SLUG, LANGS, LEVEL_LABELS


@dataclass(frozen=True)
class PageStage:
    """What the page stage makes: the site model, the chart specs, the data files."""

    site: SiteModel
    charts: ChartSet
    files: dict[str, bytes]
    """Data files made from the lookups (the compare tool's), site path → bytes."""


def build_site_model(model: Model, download_sizes: Callable[[], Mapping[str, int]]) -> PageStage:
    """Every page model of the site, in one readable order (a test pins it).

    ``download_sizes`` returns the size of every download (site path → bytes); it is called
    once, after the other pages, because the downloads are made meanwhile in another process.
    """
    lookups = build_lookups(model)
    scatter = scatter_model(lookups)
    charts = chart_specs(lookups, model.canon.topology, scatter)
    files = compare_files(lookups)
    inputs = PageInputs(lookups=lookups, charts=charts, scatter=scatter, notes=model.notes)
    builders = {lang: PageBuilder(inputs, load_lang(lang)) for lang in LANGS}
    pages = {lang: language_pages(b) for lang, b in builders.items()}
    sizes = download_sizes()
    for lang, b in builders.items():
        pages[lang].insert(DATA_PAGE_AT, data_page(b, sizes))
    redirects = {lang: redirect_pages(b) for lang, b in builders.items()}
    for lang, b in builders.items():  # the search index of each language, from its pages
        files[index_path(lang)] = search_index(
            tuple(pages[lang]), redirects[lang], search_labels(b)
        )
    return PageStage(
        site=SiteModel(
            pages={lang: tuple(p) for lang, p in pages.items()},
            redirects=redirects,
            nav={lang: navigation(b) for lang, b in builders.items()},
            cards=card_models(lookups),
        ),
        charts=charts,
        files=files,
    )


DATA_PAGE_AT = 2
"""Where the data page stands in a language's pages (after home and methodology): the order of
the sitemap."""


def language_pages(b: PageBuilder) -> list[Page]:
    """Every page of one language but the data page, in the sitemap's order."""
    return [
        home_page(b, note_entries(b)),
        methodology_page(b),
        *(measure_page(b, m) for m in b.lk.measures),
        scatter_page(b),
        compare_page(b),
        search_page(b),
        *(entity_page(b, code) for code in b.lk.entities),
        notes_page(b),
        *note_pages(b),
    ]


def search_labels(b: PageBuilder) -> dict[str, str]:
    """What a search result is, in the language (:func:`barometer.pages.search.search_index`)."""
    return {
        **{lvl: b._(LEVEL_LABELS[lvl]) for lvl in LEVEL_LABELS},
        "measure": b._("Measure"),
        "note": b._("Focus note"),
        "page": b._("Page"),
        "former": b._("Former municipality, now part of"),
    }


def navigation(b: PageBuilder) -> Nav:
    lang = b.lang
    return Nav(
        home=urls.home(lang),
        belgium=f"{lang}/{COUNTRY_SLUG[lang]}/",
        methodology=urls.page("methodology", lang),
        data=urls.page("data", lang),
        compare=urls.page("compare", lang),
        scatter=urls.page("scatter", lang),
        notes=urls.page("notes", lang),
        search=urls.page("search", lang),
        rights=tuple(
            NavLink(label=r.name[lang], url=f"{urls.home(lang)}#{right_anchor(r.code)}")
            for r in b.lk.rights
            if any(m.right == r.code for m in b.lk.measures)
        ),
    )
