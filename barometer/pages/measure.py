"""The page of a measure: Belgium's figures, maps of every level, evolution, profile, ranking."""

from __future__ import annotations

import math

from barometer import urls
from barometer.pages.builder import PageBuilder, alternates, nan
from barometer.pages.figures import (
    breakdown,
    change_sentence,
    key_figures,
    level_maps,
    line_figure,
    municipality_map,
    ratio_map,
)
from barometer.pages.types import Download, MeasurePage, NavLink, RankingRow, RevisionRow
from barometer.vocabulary import COUNTRY, HERSTAPPE, N_, OVERVIEW, ChartKey, Measure

RANKING = "ranking"
"""The id of the measure page's ranking: every municipality's figure."""


def measure_page(b: PageBuilder, measure: Measure) -> MeasurePage:
    m = measure.code
    key = ChartKey("evo", OVERVIEW, m)
    evolution = line_figure(b, key, spec=f"charts/{key.slug}.json")
    assert evolution is not None, "Belgium has figures of every published measure"
    official = b.lk.extract.official_names.get(m, {})
    split = b.lk.splits.get((COUNTRY, m))
    return MeasurePage(
        events=b.events(),
        path=urls.measure(measure, b.lang),
        alternates=alternates(lambda lang: urls.measure(measure, lang)),
        title=b.measure_name(measure),
        description=official.get(b.lang) or b.measure_name(measure),
        measure=m,
        official_name=official.get(b.lang, ""),
        definition=measure.definition[b.lang],
        figures=key_figures(b, COUNTRY, m),
        map=municipality_map(b, m, table_at=RANKING),
        level_maps=level_maps(b, m),
        evolution=evolution,
        breakdown=breakdown(b, COUNTRY, None, m, split),
        change=change_sentence(b, COUNTRY, m, split),
        ranking=_ranking(b, m),
        downloads=measure_downloads(b, m),
        right=b.lk.right_name(measure, b.lang),
        legal_basis=measure.legal_basis.get(b.lang, ""),
        parts=tuple(
            NavLink(label=b.measure_name(p), url=b.measure_url(p))
            for p in b.lk.measures
            if p.code in measure.components
        ),
        ratio_map=ratio_map(b, measure) if measure.subset_of else None,
        revisions=_revisions(b, m),
        previous_vintage=b.t.date(b.lk.vintages.previous_date)
        if b.lk.vintages.previous_date
        else "",
        completeness=_completeness(b, m),
    )


def _revisions(b: PageBuilder, m: str) -> tuple[RevisionRow, ...]:
    """The previous vintage's last months: national count then and now, newest first."""
    rev = b.lk.vintages.revisions
    rows = rev[rev.measure == m].sort_values("month", ascending=False)
    return tuple(
        RevisionRow(
            month=b.t.month(r.month),
            previous=b.count(r.previous),
            current=b.count(r.current),
            revision="–" if nan(r.revision) else b.t.percent(r.revision, 1, signed=True),
            provisional=r.status == "provisional",
        )
        for r in rows.itertuples()
    )


def _completeness(b: PageBuilder, m: str) -> str:
    """ "After one month a month holds about 55 % of its final count, after two 85 %, …"."""
    c = b.lk.vintages.completeness
    rows = c[c.measure == m].sort_values("lag")
    if rows.empty:
        return ""
    parts = [f"{int(r.lag)}: {b.t.percent(r.share, 0)}" for r in rows.itertuples()]
    basis = rows.basis.iloc[0]
    text = b._(
        "Share of its final count that a month usually holds, by its age in months (estimated from the last two editions): {parts}."
    ).format(parts="; ".join(parts))
    if basis != m:
        text += " " + b._(
            "Estimated from {other}, which comes from the same claim (this measure has no earlier edition)."
        ).format(other=b.measure_name(b.lk.measure(basis)))
    return text


def measure_downloads(b: PageBuilder, m: str) -> tuple[Download, ...]:
    """Every area's figures of one measure: totals and breakdowns (CSV, gzip)."""
    return (
        Download(label=b._("totals (CSV, gzip)"), file=urls.bulk_file(m, "totals", "csv")),
        Download(label=b._("breakdowns (CSV, gzip)"), file=urls.bulk_file(m, "breakdowns", "csv")),
    )


VERSUS = {"higher": N_("higher"), "lower": N_("lower"), "within": N_("within chance")}
"""A municipality against its region's rate (:attr:`barometer.standing.Standing.verdict`): the
words of the ranking's column (msgids)."""


def _ranking(b: PageBuilder, m: str) -> tuple[RankingRow, ...]:
    """Every municipality with figures, highest rate first (unranked last, by name)."""
    rows = []
    for c in b.lk.codes("municipality"):
        if c == HERSTAPPE:
            continue
        rate, _f = b.value(c, m, "per_1000")
        cnt, _f = b.value(c, m, "count")
        rank, _f = b.value(c, m, "rank_country")
        st = b.lk.standings.get(m, {}).get(c)
        row = RankingRow(
            name=b.name(c),
            url=b.url(c),
            code=c,
            region=b.short(b.lk.entities[c]["region"]),
            count=b.count(cnt),
            per_1000=b.rate(rate),
            rank="–" if nan(rank) else str(int(rank)),
            versus=b._(VERSUS[st.verdict]) if st else "",
            versus_class=st.verdict if st else "",
        )
        rows.append((math.inf if nan(rank) else rank, row.name, row))
    rows.sort(key=lambda r: (r[0], r[1]))
    return tuple(r[2] for r in rows)
