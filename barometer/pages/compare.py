"""The compare tool: its page, the links that pre-fill it, and its data files."""

from __future__ import annotations

import json

from barometer import compare, urls
from barometer.i18n import entity_name
from barometer.pages.builder import PageBuilder, page_alternates
from barometer.pages.lookups import Lookups
from barometer.pages.types import Choice, ChoiceGroup, ComparePage, Download
from barometer.vocabulary import (
    CATEGORY_LABELS,
    COUNTRY,
    GROUP_CATEGORIES,
    GROUP_LABELS,
    HERSTAPPE,
    LANGS,
    LEVEL_LABELS,
    LEVELS,
)

COMPARE_MAX = 8


def compare_files(lk: Lookups) -> dict[str, bytes]:
    """The compare tool's data files (layout: :mod:`barometer.compare`): the index
    (``data/compare.json``) and one file of series per measure, loaded when the measure is
    shown."""
    measures = [m.code for m in lk.measures]
    months = sorted({p for s in lk.monthly.values() for p in s.periods})
    years = sorted({p for s in lk.yearly.values() for p in s.periods})
    m_index = {p: i for i, p in enumerate(months)}
    y_index = {p: i for i, p in enumerate(years)}
    codes = [c for c in lk.entities if c != HERSTAPPE]
    pops: dict[str, dict[str, float]] = {}
    for code in codes:
        den: dict[str, float] = {}
        for m in measures:  # the same population behind every measure; fill years from any
            s = lk.monthly.get((code, m))
            if s is not None:
                for year, v in compare.year_denominators(
                    s.periods, s.count.tolist(), s.per_1000.tolist()
                ).items():
                    den.setdefault(year, v)
        pops[code] = den
    series: dict[str, dict] = {}
    for m in measures:
        per: dict[str, dict] = {}
        for code in codes:
            s = lk.monthly.get((code, m))
            if s is None:
                continue
            y = lk.yearly.get((code, m))
            per[code] = compare.encode_entity(
                months=m_index,
                years=y_index,
                pop=pops[code],
                monthly=(s.periods, s.count.tolist(), s.per_1000.tolist()),
                yearly=(y.periods, y.count.tolist(), y.per_1000.tolist()) if y else None,
                cells=lk.cells.get((code, m), {}),
            )
        series[m] = per
    doc = {
        "months": months,
        "years": years,
        "share_months": lk.share_months,
        "share_years": lk.share_years,
        "entities": [
            [
                code,
                lk.entities[code]["level"],
                lk.entities[code]["parent"],
                *(entity_name(lk.entities[code], lang) for lang in LANGS),
            ]
            for code in codes
        ],
        "pop": {c: compare.delta(pops[c].get(y) for y in years) for c in codes},
        "measures": measures,
    }

    def text(value: dict) -> bytes:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    files = {compare.INDEX: text(doc)}
    files.update({compare.series_file(m): text(series[m]) for m in measures})
    return files


def compare_link(b: PageBuilder, code: str) -> str:
    """The compare tool pre-filled with an area, its parents and neighbours (at most 8)."""
    codes = list(dict.fromkeys([*b.lk.chain(code), *b.lk.neighbours.get(code, [])]))
    codes = [c for c in codes if c != HERSTAPPE][:COMPARE_MAX]
    return (
        urls.page("compare", b.lang)
        + "?e="
        + ",".join(codes)
        + f"&m={b.lk.headline.code}&i=per_1000&p=month"
    )


def compare_page(b: PageBuilder) -> ComparePage:
    _ = b._
    return ComparePage(
        path=urls.page("compare", b.lang),
        alternates=page_alternates("compare"),
        title=_("Compare areas"),
        description=_(
            "Compare up to 8 municipalities, arrondissements, provinces, regions or Belgium: any measure, as a number, per 1000 inhabitants or by profile, month by month or year by year."
        ),
        max=COMPARE_MAX,
        measures=tuple(
            Choice(id=m.code, label=b.measure_name(m), groups=" ".join(m.groups))
            for m in b.lk.measures
        ),
        indicators=(
            Choice(id="per_1000", label=_("Per 1000 inhabitants")),
            Choice(id="count", label=_("Number of beneficiaries")),
            Choice(id="share", label=_("Share of a profile category")),
        ),
        categories=tuple(
            ChoiceGroup(
                id=dim,
                dimension=_(GROUP_LABELS[dim]),
                options=tuple(
                    Choice(id=f"{dim}.{cat}", label=_(CATEGORY_LABELS[cat])) for cat in cats
                ),
            )
            for dim, cats in GROUP_CATEGORIES.items()
        ),
        levels={lvl: _(LEVEL_LABELS[lvl]) for lvl in LEVELS},
        data=compare.INDEX,
        default=compare_link(b, COUNTRY).split("?", 1)[1],
        downloads=tuple(
            Download(label=b.measure_name(m), file=urls.measure_csv(m.code)) for m in b.lk.measures
        ),
        data_page=urls.page("data", b.lang),
    )
