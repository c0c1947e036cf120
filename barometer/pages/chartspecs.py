"""The chart stage: every chart of the site as a Vega-Lite spec, made before any page.

Input:  the lookups, the TopoJSON, the scatters' model.
Output: :class:`ChartSet`: key → spec, and what pages need to describe a chart (the areas of each
        line chart in legend order, the class breaks of each map). Language-neutral except the
        maps whose areas link to the pages of one language.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from barometer import charts, urls
from barometer.i18n import entity_name
from barometer.indicators import RATIO_BASE
from barometer.pages.lookups import Lookups
from barometer.pages.scatters import ScatterModel
from barometer.svgchart import nice
from barometer.vocabulary import COUNTRY, LANGS, LAYERS, OVERVIEW, REGIONS, ChartKey

LEVEL_MAPS = ("region", "province", "arrondissement")
RATIO = "ratio"
"""The ``area`` of the map of a subset measure's share of the integration income (``ratio_ris``)."""
"""The levels a measure page maps side by side (each area links to its page)."""


@dataclass(frozen=True)
class ChartSet:
    """Every chart spec of the site and what the pages say about each chart."""

    specs: dict[ChartKey, dict]
    lines: dict[ChartKey, tuple[str, ...]]
    """Line chart → the areas it draws, in legend order (the first bold)."""
    breaks: dict[ChartKey, tuple[float, ...]]
    """Map → its class breaks (k + 1 values)."""

    def __contains__(self, key: object) -> bool:
        return key in self.specs


def overview_codes(lk: Lookups) -> tuple[str, ...]:
    """Belgium and its regions: the lines of the overview charts and of the published totals."""
    return (COUNTRY, *(r for r in REGIONS if r in lk.entities))


def chart_specs(lk: Lookups, topology: dict, scatter: ScatterModel | None) -> ChartSet:
    specs: dict[ChartKey, dict] = {}
    gaps = gap_months(lk)
    lines: dict[ChartKey, tuple[str, ...]] = {}
    breaks: dict[ChartKey, tuple[float, ...]] = {}

    def line_chart(key: ChartKey, codes: tuple[str, ...]) -> None:
        if (codes[0], key.measure) not in lk.monthly:
            return  # Herstappe: no figures of its own
        specs[key] = evolution_spec(lk, codes, key.measure, gaps)
        lines[key] = codes

    for m in lk.measures:
        for code in lk.entities:
            line_chart(ChartKey("evo", code, m.code), tuple(lk.chain(code)))
        line_chart(ChartKey("evo", OVERVIEW, m.code), overview_codes(lk))
        classes, cuts = map_classes(lk, m.code, "municipality")
        key = ChartKey("map", LAYERS["municipality"], m.code)
        specs[key] = charts.choropleth(
            topology,
            classes,
            layer=LAYERS["municipality"],
            tooltips=_tooltips(lk, m.code),
        )
        breaks[key] = tuple(cuts)
        for level in LEVEL_MAPS:
            classes, cuts = map_classes(lk, m.code, level)
            for lang in LANGS:  # the areas link to the pages of one language
                key = ChartKey("map", LAYERS[level], m.code, lang)
                specs[key] = charts.choropleth(
                    topology,
                    classes,
                    layer=LAYERS[level],
                    links={
                        c: "../../" + urls.entity(lk.entities[c], lang) for c in lk.codes(level)
                    },
                )
                breaks[key] = tuple(cuts)
        if m.code == lk.headline.code:  # the strip municipality pages show
            rates = [
                (v, REGIONS.index(lk.entities[c]["region"]))
                for c in lk.codes("municipality")
                if (v := lk.value(c, m.code, "per_1000")[0]) == v
            ]
            if rates:
                specs[ChartKey("strip", measure=m.code)] = charts.strip(
                    rates, nice(0.0, max(max(v for v, _ in rates), 1e-9))
                )
        if m.subset_of == RATIO_BASE:  # gpmi, spi: their share of the integration income
            classes, cuts = charts.quantile_classes(
                {c: lk.value(c, m.code, "ratio_ris")[0] for c in lk.codes("municipality")}
            )
            key = ChartKey("map", RATIO, m.code)
            specs[key] = charts.choropleth(topology, classes, layer=LAYERS["municipality"])
            breaks[key] = tuple(cuts)
    for code, e in lk.entities.items():
        if code != COUNTRY:
            specs[ChartKey("locator", code)] = charts.locator(topology, code, LAYERS[e["level"]])
    if scatter is not None:
        for chart in scatter.charts:
            specs[chart.key] = chart.spec
    key = ChartKey("published", measure=lk.headline.code)
    codes = overview_codes(lk)
    rows = sorted(
        (f"{year}-07", codes.index(code), fig.value)
        for (kind, code, year), fig in lk.published.items()
        if kind == "total" and code in codes
    )
    specs[key] = charts.evolution(rows, points=True)
    lines[key] = codes
    return ChartSet(specs=specs, lines=lines, breaks=breaks)


def gap_months(lk: Lookups) -> dict[tuple[str, str], set[str]]:
    """(area, measure) → the months a chart leaves out (a large share of members missing)."""
    out: dict[tuple[str, str], set[str]] = {}
    for area, measure, month in lk.gaps:
        out.setdefault((area, measure), set()).add(month)
    return out


def evolution_spec(
    lk: Lookups,
    codes: tuple[str, ...],
    measure: str,
    gaps: dict[tuple[str, str], set[str]],
) -> dict:
    """Monthly per 1000 of ``codes`` (the first bold); months with a gap (``gaps``: (area,
    measure) → months, :func:`gap_months`) are left out; the provisional months continue each
    line dashed."""
    rows: list[tuple[str, int, float]] = []
    provisional: list[tuple[str, int, float]] = []
    none: set[str] = set()
    for i, c in enumerate(codes):
        left_out = gaps.get((c, measure), none)
        for series, out in ((lk.monthly, rows), (lk.provisional, provisional)):
            s = series.get((c, measure))
            if s is not None:
                values = np.round(s.per_1000, 3).tolist()
                out += [
                    (p, i, v)
                    for p, v in zip(s.periods, values, strict=True)
                    if v == v and p not in left_out
                ]
    return charts.evolution(
        rows, provisional=provisional, events=[(e.day, e.number) for e in lk.events]
    )


def map_classes(lk: Lookups, measure: str, level: str) -> tuple[dict[str, int], list[float]]:
    """Quantile classes of the latest rate per 1000 of every area of a level."""
    values = {c: lk.value(c, measure, "per_1000")[0] for c in lk.codes(level)}
    return charts.quantile_classes(values)


def _tooltips(lk: Lookups, measure: str) -> dict[str, tuple[str, float]]:
    """Names in the language of each municipality's region (shared by all four pages) and rates."""
    out = {}
    for c in lk.codes("municipality"):
        v = lk.value(c, measure, "per_1000")[0]
        if v == v:
            out[c] = (entity_name(lk.entities[c], "en"), v)
    return out
