"""The site search: a small index per language, made from the page models, searched in the page.

Input:  the page models of one language (areas, measures, notes, the other pages) and its
        redirect pages (former municipalities).
Output: ``data/search-<lang>.json``::

            {"kinds": [label, …],                  # what an item is, in the language
             "items": [[title, path, kind, words], …]}

        ``words`` holds what else finds the item: an area's names in the other languages and its
        REFNIS code, a measure's official name, a note's summary and headings, a former
        municipality's successor.

The page script (the search section of ``static/app.js``) folds case and accents, and ranks
items whose title starts with the query first, then words that start with it, then any match;
areas in the order municipality, arrondissement, province, region, Belgium. So "Lüttich" on a
Dutch page finds Luik, "Borsbeek" finds Antwerpen.

Why not Pagefind (as before): it searches page text with WebAssembly, which needs
``'wasm-unsafe-eval'`` in the Content-Security-Policy, and its index was 14 MB and took 10-15 s
to build; what readers look for is an area, a measure or a note, by name — a few hundred kB.
"""

from __future__ import annotations

import json
import re
from html import unescape

from barometer.pages.types import (
    EntityPage,
    MeasurePage,
    NotePage,
    NotesPage,
    Page,
    RedirectPage,
)
from barometer.vocabulary import LEVELS

_TAG = re.compile(r"<[^>]+>")
_H = re.compile(r"<h[23][^>]*>(.*?)</h[23]>", re.S)


def index_path(lang: str) -> str:
    return f"data/search-{lang}.json"


def search_index(
    pages: tuple[Page, ...], redirects: tuple[RedirectPage, ...], labels: dict[str, str]
) -> bytes:
    """The search index of one language. ``labels``: the kinds of item in the language (every
    level, ``measure``, ``note``, ``page``, ``former``)."""
    kinds: list[str] = [*LEVELS, "measure", "note", "page", "former"]
    items: list[tuple[str, str, int, str]] = []
    order: dict[str, int] = {
        lvl: i for i, lvl in enumerate(reversed(LEVELS))
    }  # municipalities first
    for page in pages:
        if isinstance(page, EntityPage):
            words = " ".join([*page.other_names, page.code])
            items.append((page.name, page.path, kinds.index(page.level), words))
        elif isinstance(page, MeasurePage):
            items.append((page.title, page.path, kinds.index("measure"), page.official_name))
        elif isinstance(page, NotePage):
            headings = " ".join(
                unescape(_TAG.sub("", h))
                for part in page.parts
                for h in _H.findall(part.html or "")
            )
            words = f"{page.description} {headings}".strip()
            items.append((page.title, page.path, kinds.index("note"), words))
        elif not isinstance(page, NotesPage) or page.notes:
            items.append((page.title, page.path, kinds.index("page"), page.description))
    for r in redirects:
        items.append((r.title, r.target, kinds.index("former"), r.target_name))
    items.sort(key=lambda it: (order.get(kinds[it[2]], len(order)), it[0].casefold(), it[1]))
    doc = {"kinds": [labels[k] for k in kinds], "items": [list(it) for it in items]}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
