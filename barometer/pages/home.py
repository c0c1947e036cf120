"""The home page of one language."""

from __future__ import annotations

from barometer import charts, urls
from barometer.pages.builder import PageBuilder, alternates
from barometer.pages.figures import key_figures, line_figure, municipality_map
from barometer.pages.types import HomePage, IndexEntry, MeasureCard, NoteEntry, RightSection
from barometer.vocabulary import COUNTRY, OVERVIEW, ChartKey


def right_anchor(code: str) -> str:
    """The id of a right's overview on the home page."""
    return f"right-{code}"


def home_page(b: PageBuilder, notes: tuple[NoteEntry, ...]) -> HomePage:
    """``notes``: the focus notes of this language, newest first (the page shows three)."""
    _ = b._
    lk = b.lk
    headline = lk.headline.code
    key = ChartKey("evo", OVERVIEW, headline)
    evolution = line_figure(b, key, spec=f"charts/{key.slug}.json")
    assert evolution is not None, "Belgium has figures of the headline measure"
    munis = sorted(lk.codes("municipality"), key=lambda c: b.name(c).casefold())
    return HomePage(
        events=b.events(),
        path=urls.home(b.lang),
        alternates=alternates(urls.home),
        title=_("Barometer of social integration"),
        description=_(
            "Monthly beneficiaries of the integration income and related aid per municipality in Belgium, per 1000 inhabitants, with their evolution and profile."
        ),
        figures=key_figures(b, COUNTRY, headline),
        headline=b.measure_name(lk.headline),
        map=municipality_map(b, headline),
        evolution=evolution,
        rights=tuple(
            RightSection(
                id=right_anchor(r.code),
                name=r.name[b.lang],
                definition=r.definition[b.lang],
                measures=tuple(
                    MeasureCard(
                        label=b.measure_name(m),
                        url=b.measure_url(m),
                        figures=key_figures(b, COUNTRY, m.code),
                        swatch=charts.swatch(m.colour),
                    )
                    for m in lk.measures
                    if m.right == r.code
                ),
            )
            for r in lk.rights
            if any(m.right == r.code for m in lk.measures)
        ),
        regions=tuple(b.link(c) for c in lk.codes("region")),
        provinces=tuple(b.link(c) for c in lk.codes("province")),
        country=b.link(COUNTRY),
        municipalities=tuple(
            IndexEntry(
                name=b.name(c),
                url=b.url(c),
                code=c,
                also=" ".join(
                    sorted({lk.entities[c][f"name_{x}"] for x in ("nl", "fr", "de")} - {b.name(c)})
                ),
            )
            for c in munis
        ),
        notes=notes[:3],
        notes_url=urls.page("notes", b.lang),
    )
