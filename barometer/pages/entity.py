"""The page of an area: Belgium, a region, province, arrondissement or municipality."""

from __future__ import annotations

import math

from barometer import charts, urls
from barometer.pages.builder import PageBuilder, alternates, nan
from barometer.pages.compare import compare_link
from barometer.pages.figures import (
    breakdown,
    change_sentence,
    comparison,
    key_figures,
    line_figure,
)
from barometer.pages.types import (
    AreaCount,
    ChildRate,
    Download,
    EntityMeasure,
    EntityPage,
    EntityScatter,
    LegendItem,
    OverviewGroup,
    OverviewRow,
    Ranks,
    StripMark,
)
from barometer.vocabulary import (
    COUNTRY,
    HERSTAPPE,
    LEVEL_LABELS,
    RANKED_LEVELS,
    REGIONS,
    ChartKey,
)


def entity_page(b: PageBuilder, code: str) -> EntityPage:
    _ = b._
    lk = b.lk
    ent = lk.entities[code]
    parents = lk.chain(code)
    parent = ent["parent"] or None
    measures = []
    for m in lk.measures:
        split = b.lk.splits.get((code, m.code)) if code != HERSTAPPE else None
        measures.append(
            EntityMeasure(
                id=m.code,
                label=b.measure_name(m),
                url=b.measure_url(m),
                figures=key_figures(b, code, m.code),
                comparison=comparison(b, parents, m.code),
                evolution=line_figure(b, ChartKey("evo", code, m.code)),
                breakdown=breakdown(b, code, parent, m.code, split) if code != HERSTAPPE else (),
                change=change_sentence(b, code, m.code, split),
                parent_name=b.name(parent) if parent else "",
                ranks=_ranks(b, code, m.code),
                strip=strip_mark(b, code, m.code) if m.code == lk.headline.code else None,
            )
        )
    headline = lk.headline.code
    overview_month = b.t.month(lk.last_month[headline])

    def side(codes: list[str]) -> tuple[AreaCount, ...]:
        rows = []
        for c in codes:
            rate, _f = b.value(c, headline, "per_1000")
            cnt, _f = b.value(c, headline, "count")
            rows.append(
                AreaCount(
                    name=b.name(c), url=b.url(c), code=c, count=b.count(cnt), per_1000=b.rate(rate)
                )
            )
        return tuple(rows)

    merger = None
    if ent["predecessors"]:
        names = [
            lk.entities.get(p, {}).get(f"name_{b.lang if b.lang != 'en' else 'nl'}")
            or former_name(b, p)
            for p in ent["predecessors"].split("|")
        ]
        merger = _(
            "Formed on {date} from {names}. Its earlier figures are the sums of these municipalities, month by month."
        ).format(date=b.t.date(ent["formed"]), names=", ".join(names))
    children = sorted(lk.children.get(code, []), key=lambda c: b.name(c).casefold())
    name = b.name(code)
    return EntityPage(
        path=b.url(code),
        alternates=alternates(lambda lang: urls.entity(ent, lang)),
        title=name,
        description=_(
            "{name}: beneficiaries of the integration income and related aid, per 1000 inhabitants, evolution and profile."
        ).format(name=name),
        code=code,
        name=name,
        level=ent["level"],
        level_label=_(LEVEL_LABELS[ent["level"]]),
        other_names=tuple(sorted({ent["name_nl"], ent["name_fr"], ent["name_de"]} - {name})),
        breadcrumbs=tuple(b.link(c) for c in reversed(parents[1:])),
        measures=tuple(measures),
        overview=overview(b, code, measures, overview_month) if code != HERSTAPPE else (),
        overview_month=overview_month,
        events=b.events() if code != HERSTAPPE else (),
        side_month=b.t.month(lk.last_month[headline]),
        neighbours=side(lk.neighbours.get(code, [])),
        peers=side(lk.peers.get(code, [])),
        children=tuple(
            ChildRate(
                name=b.name(c),
                url=b.url(c),
                code=c,
                per_1000=b.rate(b.value(c, headline, "per_1000")[0]),
            )
            for c in children
        ),
        children_label=_(LEVEL_LABELS[lk.entities[children[0]]["level"]]) if children else "",
        locator=ChartKey("locator", code).slug if code != COUNTRY else None,
        merger=merger,
        herstappe=code == HERSTAPPE,
        downloads=area_downloads(b, code) if code != HERSTAPPE else (),
        og_image=f"og/{code}.png",
        scatter=entity_scatter(b, code),
        compare_url=compare_link(b, code),
    )


def overview(
    b: PageBuilder, code: str, measures: list[EntityMeasure], month: str
) -> tuple[OverviewGroup, ...]:
    """Every measure of an area in a few lines, by right: its latest figures (those of its
    section) and its last years as a sparkline; each row links to the measure's section."""
    groups = []
    rights = [(r.code, r.name[b.lang]) for r in b.lk.rights]
    known = {code for code, _ in rights}
    for right, name in [*rights, ("", "")]:  # then any measure of no known right, unheaded
        rows = tuple(
            OverviewRow(
                id=m.id,
                label=m.label,
                count=m.figures.count,
                per_1000=m.figures.per_1000,
                yoy=m.figures.yoy,
                yoy_direction=m.figures.yoy_direction,
                month=m.figures.month if m.figures.month != month else None,
                spark=b.lk.sparklines.get((code, m.id)),
            )
            for m in measures
            if (b.lk.measure(m.id).right if b.lk.measure(m.id).right in known else "") == right
        )
        if rows:
            groups.append(OverviewGroup(name=name, rows=rows))
    return tuple(groups)


def strip_mark(b: PageBuilder, code: str, measure: str) -> StripMark | None:
    """A municipality on the strip of every municipality's rate, with its region's median, and
    in words: where it stands among all, and against its region given its population
    (:mod:`barometer.standing`). None for an area that is not a municipality with a figure."""
    key = ChartKey("strip", measure=measure)
    st = b.lk.standings.get(measure, {}).get(code)
    if st is None or key not in b.inputs.charts:
        return None
    spec = b.inputs.charts.specs[key]

    def at(v: float) -> str:
        return f"{charts.strip_fraction(spec, v) * 100:.2f}%"

    _ = b._
    name, region = b.name(code), b.name(b.lk.entities[code]["region"])
    verdict = {
        "higher": _(
            "{name} is above that band: its rate is higher than the region's beyond chance."
        ),
        "lower": _("{name} is below that band: its rate is lower than the region's beyond chance."),
        "within": _("{name} is within that band: its rate cannot be told apart from the region's."),
    }[st.verdict]
    text = " ".join(
        (
            _(
                "{name}: {rate} per 1000 inhabitants, higher than in {share} of the other {n} municipalities. {region}: {median} in its median municipality, {base} overall."
            ).format(
                name=name,
                rate=b.rate(st.rate),
                # floored: 99.6 % of the others is not "all of them"
                share=b.t.percent(math.floor(st.below * 100) / 100, 0),
                n=st.others,
                region=region,
                median=b.rate(st.region_median),
                base=b.rate(st.region_rate),
            ),
            _(
                "At the region's rate, chance alone gives a municipality of {population} inhabitants a rate between {lo} and {hi} in 95 of 100 cases (Poisson limits)."
            ).format(
                population=b.count(st.population), lo=b.rate(st.band[0]), hi=b.rate(st.band[1])
            ),
            verdict.format(name=name),
        )
    )
    return StripMark(
        chart=key.slug,
        x=at(st.rate),
        median_x=at(st.region_median),
        caption=_("{measure} per 1000 inhabitants in every municipality, {month}").format(
            measure=b.measure_name(b.lk.measure(measure)), month=b.t.month(b.lk.last_month[measure])
        ),
        legend_self=name,
        legend_median=_("Median, {region}").format(region=region),
        text=text,
    )


def area_downloads(b: PageBuilder, code: str) -> tuple[Download, ...]:
    """An area's files: its totals and breakdowns as CSV, both in one workbook."""
    return (
        Download(label=b._("totals (CSV, gzip)"), file=urls.entity_csv(code)),
        Download(label=b._("breakdowns (CSV, gzip)"), file=urls.entity_breakdowns_csv(code)),
        Download(label=b._("both in a workbook (Excel)"), file=urls.entity_xlsx(code)),
    )


def _ranks(b: PageBuilder, code: str, measure: str) -> Ranks | None:
    ent = b.lk.entities[code]
    level = ent["level"]
    if level not in RANKED_LEVELS:
        return None
    rr, _f = b.value(code, measure, "rank_region")
    rc, _f = b.value(code, measure, "rank_country")
    if nan(rr):
        return None
    return Ranks(
        region=b._("{rank} of {n} in {where}").format(
            rank=int(rr),
            n=b.lk.ranked_count.get((measure, level, ent["region"]), 0),
            where=b.name(ent["region"]),
        ),
        country=b._("{rank} of {n} in Belgium").format(
            rank=int(rc), n=b.lk.ranked_count.get((measure, level, COUNTRY), 0)
        ),
    )


def former_record_name(b: PageBuilder, f: dict) -> str:
    """A former municipality's name in the page's language (English: its Dutch REFNIS name)."""
    return str(f["name_nl"] if b.lang in ("nl", "en") else f[f"name_{b.lang}"])


def former_name(b: PageBuilder, code: str) -> str:
    return next((former_record_name(b, f) for f in b.lk.former if f["code"] == code), code)


def region_legend(b: PageBuilder) -> tuple[LegendItem, ...]:
    """The regions' colours in the scatters."""
    return tuple(
        LegendItem(name=b.name(r), swatch=charts.swatch(charts.REGION_COLOURS[i]), main=False)
        for i, r in enumerate(REGIONS)
    )


def entity_scatter(b: PageBuilder, code: str) -> EntityScatter | None:
    """The municipality's own dot on the pre-rendered income scatter (works without JavaScript)."""
    sm = b.inputs.scatter
    if sm is None or b.lk.entities[code]["level"] != "municipality":
        return None
    pos = sm.rate.positions.get(code)
    if pos is None:
        return None
    row = next(r for r in sm.rows if r.code == code)
    w, h = sm.rate.size
    left = pos[0] < w * 0.7
    return EntityScatter(
        image=f"charts/{sm.rate.key.slug}.{b.lang}.svg",
        width=w,
        height=h,
        x=f"{pos[0]:.1f}",
        y=f"{pos[1]:.1f}",
        anchor="start" if left else "end",
        label_dx=f"{pos[0] + 12:.1f}" if left else f"{pos[0] - 12:.1f}",
        year=str(sm.year),
        summary=b._(
            "{name} on the scatter of all municipalities: {income} € average net taxable income per declaration and {rate} integration income beneficiaries per 1000 inhabitants in {year}."
        ).format(
            name=b.name(code),
            income=b.count(row.income),
            rate=b.rate(row.rate),
            year=sm.year,
        ),
        url=urls.page("scatter", b.lang),
        legend=region_legend(b),
    )
