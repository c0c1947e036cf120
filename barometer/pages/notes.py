"""The focus notes of one language: the index and a page per note."""

from __future__ import annotations

from barometer import urls
from barometer.notes import Note, render_note
from barometer.pages.builder import PageBuilder, page_alternates, secure
from barometer.pages.figures import line_legend, map_rows, year_table
from barometer.pages.types import (
    NoteEntry,
    NotePage,
    NotePart,
    NoteSource,
    NotesPage,
    TocEntry,
)
from barometer.vocabulary import LAYERS, ChartKey


def note_path(lang: str, slug: str) -> str:
    return f"{urls.page('notes', lang)}{slug}/"


def notes_of(b: PageBuilder) -> tuple[Note, ...]:
    """The notes of this language, newest first."""
    mine = (n for n in b.inputs.notes if n.lang == b.lang)
    return tuple(sorted(mine, key=lambda n: (n.date, n.slug), reverse=True))


def note_entries(b: PageBuilder) -> tuple[NoteEntry, ...]:
    """The list of this language's notes, newest first (the index and the home page)."""
    return tuple(
        NoteEntry(
            title=n.title,
            url=note_path(b.lang, n.slug),
            date=b.t.date(n.date),
            iso_date=n.date,
            summary=n.summary,
        )
        for n in notes_of(b)
    )


def notes_page(b: PageBuilder) -> NotesPage:
    return NotesPage(
        path=urls.page("notes", b.lang),
        alternates=page_alternates("notes"),
        title=b._("Focus notes"),
        description=b._(
            "Short analyses of the integration income and related aid, written by the barometer's analysts."
        ),
        notes=note_entries(b),
    )


def note_pages(b: PageBuilder) -> tuple[NotePage, ...]:
    """A page per note of this language, newest first."""
    langs_of: dict[str, list[str]] = {}
    for n in b.inputs.notes:
        langs_of.setdefault(n.slug, []).append(n.lang)
    slugs = {k.slug for k in b.inputs.charts.specs}
    pages = []
    for n in notes_of(b):
        r = render_note(n, b.lk.published, slugs, b.t)
        pages.append(
            NotePage(
                path=note_path(b.lang, n.slug),
                alternates={lang: note_path(lang, n.slug) for lang in langs_of[n.slug]},
                title=n.title,
                description=n.summary,
                date=b.t.date(n.date),
                iso_date=n.date,
                author=n.author,
                parts=tuple(_part(b, part) for part in r.parts),
                toc=tuple(TocEntry(id=h["id"], title=h["title"]) for h in r.toc),
                sources=tuple(
                    NoteSource(publisher=s["publisher"], address=s["url"], url=secure(s["url"]))
                    for s in r.sources
                ),
                index=urls.page("notes", b.lang),
            )
        )
    return tuple(pages)


def _part(b: PageBuilder, part: dict) -> NotePart:
    """A part of a rendered note: its HTML, or an embedded chart with legend and data table."""
    if "chart" not in part:
        return NotePart(html=part["html"])
    key = ChartKey.parse(part["chart"])
    assert key is not None, "render_note accepts only the keys of the site's charts"
    codes = b.inputs.charts.lines.get(key, ())
    legend = line_legend(b, codes)
    if key.kind == "published":
        figures = b.lk.published
        years = sorted({y for (kind, c, y) in figures if kind == "total" and c in codes})
        rows = tuple(
            (
                y,
                *(
                    b.count(figures[("total", c, y)].value) if ("total", c, y) in figures else "–"
                    for c in codes
                ),
            )
            for y in reversed(years)
        )
        columns = tuple(b.name(c) for c in codes)
        return NotePart(
            chart=part["chart"], caption=part["caption"], legend=legend, columns=columns, rows=rows
        )
    if key.kind == "evo" and codes:
        columns, rows = year_table(b, codes, key.measure)
        return NotePart(
            chart=part["chart"], caption=part["caption"], legend=legend, columns=columns, rows=rows
        )
    if key.kind == "map":
        level = next(lvl for lvl, layer in LAYERS.items() if layer == key.area)
        return NotePart(
            chart=part["chart"],
            caption=part["caption"],
            legend=legend,
            map_rows=map_rows(b, key.measure, level),
        )
    return NotePart(chart=part["chart"], caption=part["caption"], legend=legend)
