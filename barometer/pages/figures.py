"""Parts that several page types show: key figures, comparison tables, line charts, maps and
breakdowns — each a page-model part in one language, from the lookups and the chart set."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from barometer import charts, urls
from barometer.contributions import DimensionSplit, Split
from barometer.indicators import year_before
from barometer.pages.builder import PageBuilder, nan
from barometer.pages.chartspecs import LEVEL_MAPS, RATIO
from barometer.pages.types import (
    AreaRate,
    BreakdownGroup,
    BreakdownRow,
    ChangeSplit,
    ClassItem,
    ComparisonRow,
    KeyFigures,
    LegendItem,
    LineFigure,
    MapFigure,
    RecentTable,
)
from barometer.vocabulary import (
    CATEGORY_LABELS,
    COUNTRY,
    GROUP_CATEGORIES,
    GROUP_LABELS,
    HERSTAPPE,
    LAYERS,
    LEVEL_LABELS,
    ChartKey,
    Measure,
)


def key_figures(b: PageBuilder, code: str, measure: str) -> KeyFigures:
    count, cflag = b.value(code, measure, "count")
    rate, rflag = b.value(code, measure, "per_1000")
    yoy, _yflag = b.value(code, measure, "yoy_change")
    growth, _g = b.value(code, measure, "growth_12m")
    ratio, _r = b.value(code, measure, "ratio_ris")
    return KeyFigures(
        share_of_ris=None if nan(ratio) else _share(b, ratio),
        month=b.t.month(b.lk.last_month[measure]),
        count=b.count(count),
        per_1000=b.rate(rate),
        yoy="–" if nan(yoy) else b.t.percent(yoy, 1, signed=True),
        yoy_direction="none"
        if nan(yoy)
        else ("up" if yoy > 0.0005 else "down" if yoy < -0.0005 else "flat"),
        growth=None if nan(growth) else b.t.percent(growth, 2, signed=True),
        notes="; ".join(n for n in (b.flag_note(cflag), b.flag_note(rflag)) if n),
    )


def comparison(b: PageBuilder, codes: list[str], measure: str) -> tuple[ComparisonRow, ...]:
    """The area (first) next to its larger areas, in the latest month."""
    rows = []
    for i, c in enumerate(codes):
        count, _f = b.value(c, measure, "count")
        rate, rflag = b.value(c, measure, "per_1000")
        yoy, _y = b.value(c, measure, "yoy_change")
        rows.append(
            ComparisonRow(
                name=b.name(c),
                url=b.url(c),
                code=c,
                level=b._(LEVEL_LABELS[b.lk.entities[c]["level"]]),
                count=b.count(count),
                per_1000=b.rate(rate),
                yoy="–" if nan(yoy) else b.t.percent(yoy, 1, signed=True),
                note=b.flag_note(rflag),
                current=i == 0,
            )
        )
    return tuple(rows)


def line_figure(b: PageBuilder, key: ChartKey, spec: str | None = None) -> LineFigure | None:
    """A monthly per-1000 line chart of the chart set, its legend, summary and table.

    The table gives the yearly figures of the same lines (annual averages divided by the
    population), so that it stays readable and light. None when the chart does not exist (an
    area without figures of its own, such as Herstappe).
    """
    if key not in b.inputs.charts:
        return None
    codes = b.inputs.charts.lines[key]
    first = b.lk.monthly[(codes[0], key.measure)]
    valid = np.flatnonzero(~np.isnan(np.asarray(first.per_1000, dtype="float64")))
    summary = ""
    if len(valid):
        p0, v0 = first.periods[valid[0]], float(first.per_1000[valid[0]])
        p1, v1 = first.periods[valid[-1]], float(first.per_1000[valid[-1]])
        summary = b._("{name}: {v1} per 1000 inhabitants in {m1}, against {v0} in {m0}.").format(
            name=b.name(codes[0]),
            v1=b.rate(v1),
            m1=b.t.month(p1),
            v0=b.rate(v0),
            m0=b.t.month(p0),
        )
    in_table = table_codes(b, codes)
    columns, rows = year_table(b, in_table, key.measure)
    later = b.lk.provisional.get((codes[0], key.measure))
    return LineFigure(
        recent=recent_table(b, codes[0], key.measure),
        provisional=provisional_note(b, key.measure, later.periods) if later else "",
        key=key.slug,
        summary=summary,
        legend=line_legend(b, codes),
        columns=columns,
        rows=rows,
        spec=spec,
        partial_table=in_table != codes,
    )


def recent_table(b: PageBuilder, code: str, measure: str) -> RecentTable | None:
    """The area's last stable months per 1000, newest first, with the 12-month moving average and
    the same month a year earlier (computed once in the lookups: :mod:`barometer.smoothing`)."""
    months = b.lk.recent.get((code, measure))
    if not months:
        return None
    return RecentTable(
        caption=b._("{name}: the last 12 months per 1000 inhabitants").format(name=b.name(code)),
        rows=tuple(
            (
                b.t.month(r.period, short=True),
                b.rate(r.value),
                b.rate(r.average),
                b.rate(r.year_earlier),
            )
            for r in months
        ),
        compare=f"{urls.page('compare', b.lang)}?e={code}&m={measure}&i=per_1000&p=month&s=ma12",
    )


def provisional_note(b: PageBuilder, measure: str, months: list[str]) -> str:
    """What the dashed end of a line is: the provisional months and how complete the latest
    usually is (estimated from the previous vintage; :mod:`barometer.vintages`)."""
    if not months:
        return ""
    text = b._("Dashed: {first} to {last} are provisional, claims for them still arrive.").format(
        first=b.t.month(months[0]), last=b.t.month(months[-1])
    )
    share = b.lk.vintages.share(measure, months[-1], b.lk.extract.extract_date[:7])
    if share is not None:
        text += " " + b._("The latest usually holds about {share} of its final count.").format(
            share=b.t.percent(share, 0)
        )
    return text


def table_codes(b: PageBuilder, codes: tuple[str, ...]) -> tuple[str, ...]:
    """The areas of a line chart's table: a municipality's chart tabulates the municipality and
    Belgium; its arrondissement, province and region are tabulated on their own pages, which
    all 565 municipality pages would otherwise repeat (about 12 MB of the site)."""
    if len(codes) > 2 and b.lk.entities[codes[0]]["level"] == "municipality" and COUNTRY in codes:
        return (codes[0], COUNTRY)
    return codes


def line_legend(b: PageBuilder, codes: tuple[str, ...]) -> tuple[LegendItem, ...]:
    return tuple(
        LegendItem(name=b.name(c), swatch=charts.swatch(charts.LINE_COLOURS[i]), main=i == 0)
        for i, c in enumerate(codes)
    )


def year_table(
    b: PageBuilder, codes: tuple[str, ...], measure: str
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Columns (the areas' names) and rows (newest year first: year, then each area's rate)."""
    years = [b.lk.yearly.get((c, measure)) for c in codes]
    lookup = [dict(zip(y.periods, y.per_1000, strict=True)) if y is not None else {} for y in years]
    first = years[0]
    rows = (
        tuple((p, *(b.rate(d.get(p, math.nan)) for d in lookup)) for p in reversed(first.periods))
        if first
        else ()
    )
    return tuple(b.name(c) for c in codes), rows


def class_legend(
    b: PageBuilder, breaks: tuple[float, ...], fmt: Callable[[float], str] | None = None
) -> tuple[ClassItem, ...]:
    fmt = fmt or b.rate
    items = [
        ClassItem(swatch=charts.swatch(charts.CLASS_COLOURS[i]), label=f"{fmt(lo)} – {fmt(hi)}")
        for i, (lo, hi) in enumerate(zip(breaks, breaks[1:], strict=False))
    ]
    return (*items, ClassItem(swatch=charts.swatch(charts.NO_DATA), label=b._("no data")))


def map_rows(b: PageBuilder, measure: str, level: str) -> tuple[AreaRate, ...]:
    """The data table of a map: every area of the level, by name, with its rate."""
    codes = [c for c in b.lk.codes(level) if c != HERSTAPPE]
    return tuple(
        AreaRate(name=b.name(c), per_1000=b.rate(b.value(c, measure, "per_1000")[0]))
        for c in sorted(codes, key=lambda c: b.name(c).casefold())
    )


def municipality_map(b: PageBuilder, measure: str, table_at: str | None = None) -> MapFigure:
    """The map of every municipality; ``table_at``: the id of a table of the page that lists
    every municipality's figure (the map then does not repeat it)."""
    key = ChartKey("map", LAYERS["municipality"], measure)
    return MapFigure(
        key=key.slug,
        spec=f"charts/{key.slug}.json",
        legend=class_legend(b, b.inputs.charts.breaks[key]),
        rows=() if table_at else map_rows(b, measure, "municipality"),
        table_at=table_at,
        summary=b._(
            "Beneficiaries per 1000 inhabitants in every municipality, {month}; five classes with equal numbers of municipalities."
        ).format(month=b.t.month(b.lk.last_month[measure])),
    )


def ratio_map(b: PageBuilder, measure: Measure) -> MapFigure | None:
    """A subset measure's share of the integration income in every municipality (``ratio_ris``:
    the GPMI share decides part of the OCMW's federal reimbursement), with its table."""
    key = ChartKey("map", RATIO, measure.code)
    if key not in b.inputs.charts:
        return None
    codes = sorted(
        (c for c in b.lk.codes("municipality") if c != HERSTAPPE),
        key=lambda c: b.name(c).casefold(),
    )
    return MapFigure(
        key=key.slug,
        legend=class_legend(b, b.inputs.charts.breaks[key], lambda v: b.t.percent(v, 0)),
        rows=tuple(
            AreaRate(name=b.name(c), per_1000=_share(b, b.value(c, measure.code, "ratio_ris")[0]))
            for c in codes
        ),
        summary=b._(
            "{measure} as a share of the integration income in every municipality, {month}; five classes with equal numbers of municipalities."
        ).format(measure=b.measure_name(measure), month=b.t.month(b.lk.last_month[measure.code])),
    )


def _share(b: PageBuilder, v: float) -> str:
    return "–" if nan(v) else b.t.percent(v, 1)


def level_maps(b: PageBuilder, measure: str) -> tuple[MapFigure, ...]:
    """Regions, provinces and arrondissements side by side; every area links to its page."""
    out = []
    for level in LEVEL_MAPS:
        key = ChartKey("map", LAYERS[level], measure, b.lang)
        label = b._(LEVEL_LABELS[level])
        out.append(
            MapFigure(
                key=key.slug,
                level=label,
                legend=class_legend(b, b.inputs.charts.breaks[key]),
                rows=map_rows(b, measure, level),
                summary=b._(
                    "{level}: beneficiaries per 1000 inhabitants, {month}; five classes with equal numbers of areas; each area links to its page."
                ).format(level=label, month=b.t.month(b.lk.last_month[measure])),
            )
        )
    return tuple(out)


SENTENCE_DIMENSIONS = ("age", "nationality", "household")
"""The change sentence names the largest part of each of these groups (the table has them all)."""


def change_sentence(b: PageBuilder, code: str, measure: str, s: Split | None) -> ChangeSplit | None:
    """'+1,6% from August 2025 to August 2026. Largest contributions, in percentage points: Under
    25 +0,9 · Non-EU +0,5 · Single +0,4.' (with the change's own caveat, e.g. incomplete)."""
    if s is None or not s.dimensions:
        return None
    month = b.lk.last_month[measure]
    _yoy, flag = b.value(code, measure, "yoy_change")
    note = b.flag_note(flag)
    parts = " · ".join(
        f"{b._(CATEGORY_LABELS[p.category])} {b.t.signed(p.points)}"
        for _dim, p in s.largest(SENTENCE_DIMENSIONS)
    )
    change = b.t.percent(s.change / 100.0, 1, signed=True)
    text = b._("{change} from {before} to {month}.").format(
        change=f"{change} ({note})" if note else change,
        before=b.t.month(year_before(month)),
        month=b.t.month(month),
    )
    if parts:
        text += " " + b._("Largest contributions, in percentage points: {parts}.").format(
            parts=parts
        )
    return ChangeSplit(sentence=text)


def breakdown(
    b: PageBuilder, code: str, parent: str | None, measure: str, s: Split | None = None
) -> tuple[BreakdownGroup, ...]:
    """Every breakdown group of the latest month collected for the measure (dmh: no household),
    with the parent's shares beside and, given the split of the change on a year, each group's
    points of it."""
    out = []
    collected = b.lk.measure(measure).groups
    for dim, cats in GROUP_CATEGORIES.items():
        if dim not in collected:
            continue
        d = s.dimension(dim) if s else None
        points = {p.category: b.t.signed(p.points) for p in d.parts} if d else {}
        rows = []
        for cat in cats:
            count, flag = b.value(code, measure, "count", dim, cat)
            share, _f = b.value(code, measure, "share", dim, cat)
            pshare = b.value(parent, measure, "share", dim, cat)[0] if parent else math.nan
            suppressed = "suppressed" in flag
            rows.append(
                BreakdownRow(
                    label=b._(CATEGORY_LABELS[cat]),
                    count="< 5" if suppressed else b.count(count),
                    share="–" if nan(share) else b.t.percent(share, 0),
                    share_pct=0 if nan(share) else round(100 * share),
                    parent_share="–" if nan(pshare) else b.t.percent(pshare, 0),
                    parent_pct=0 if nan(pshare) else round(100 * pshare),
                    suppressed=suppressed,
                    points=points.get(cat, "–"),
                )
            )
        out.append(
            BreakdownGroup(
                label=b._(GROUP_LABELS[dim]),
                rows=tuple(rows),
                rest=b.t.signed(d.rest) if d and d.rest is not None else "",
                rest_label=_rest_label(b, d),
            )
        )
    return tuple(out)


def _rest_label(b: PageBuilder, d: DimensionSplit | None) -> str:
    """The row of the points no shown group accounts for: hidden groups, or a shortfall."""
    if d is None or d.rest is None:
        return ""
    return b._("Groups not shown, together") if d.hidden else b._("Not attributed to a group")
