"""Page types for exploring: the income scatters and the compare tool.

The language-neutral part of each (chart specs, fits, dot positions, the compare data file) is
computed once in ``b.lk.derived`` and shared by the four languages; the ``*_page`` functions only
add words and number formats.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from barometer import charts, compare, scatter, urls
from barometer.pages import (
    MEASURES,
    PageBuilder,
    _fixed_page,
    _nan,
    _value,
)
from barometer.vocabulary import (
    CATEGORY_LABELS,
    COUNTRY,
    GROUP_CATEGORIES,
    GROUP_LABELS,
    HERSTAPPE,
    LEVEL_LABELS,
    REGIONS,
)

SCATTER_MEASURE = "ris"
RATE_TICKS = [0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]
COMPARE_MAX = 8


@dataclass(frozen=True)
class ScatterChart:
    key: str
    frame: scatter.Frame
    fit: scatter.Fit
    positions: dict[str, tuple[float, float]]

    @property
    def size(self) -> tuple[int, int]:
        p = charts.SCATTER_PADDING
        return (
            self.frame.width + p["left"] + p["right"],
            self.frame.height + p["top"] + p["bottom"],
        )


@dataclass(frozen=True)
class ScatterModel:
    year: int
    growth_period: tuple[str, str]
    rows: list[dict]
    rate: ScatterChart
    growth: ScatterChart | None
    """None without 12 months of history (no growth yet)."""


def _chart(
    b: PageBuilder,
    key: str,
    rows: list[dict],
    field: str,
    *,
    log: bool,
    y_format: str,
    ticks: list[float] | None,
) -> ScatterChart | None:
    pts = [r for r in rows if not _nan(r[field]) and (r[field] > 0 or not log)]
    if len(pts) < 3:
        return None
    xs = [r["income"] for r in pts]
    ys = [r[field] for r in pts]
    fit = scatter.least_squares(xs, [math.log(y) for y in ys] if log else ys)
    x_axis = scatter.padded(xs, log=False)
    y_axis = scatter.padded(ys, log=log)
    pad = charts.SCATTER_PADDING
    frame = scatter.Frame(640, 400, x_axis, y_axis, pad["left"], pad["top"])
    ticks = [t for t in ticks or [] if y_axis.lo <= t <= y_axis.hi] or None
    b.specs[key] = charts.scatter(
        [(r["income"], r[field], r["region_index"]) for r in pts],
        scatter.trend_points(fit, x_axis, log=log),
        x_domain=(x_axis.lo, x_axis.hi),
        y_domain=(y_axis.lo, y_axis.hi),
        y_log=log,
        y_format=y_format,
        y_ticks=ticks,
        width=frame.width,
        height=frame.height,
    )
    positions = {r["code"]: scatter.position(frame, r["income"], r[field]) for r in pts}
    return ScatterChart(key=key, frame=frame, fit=fit, positions=positions)


def scatter_model(b: PageBuilder) -> ScatterModel | None:
    """The scatters' data, fits and dot positions (computed once, shared by the languages).

    None when no year has both income and rates for at least 3 municipalities (an extract that
    does not reach the fiscal years): the page says so and area pages leave the scatter out.
    """
    if "scatter" in b.lk.derived:
        return b.lk.derived["scatter"]  # type: ignore[return-value]
    m = SCATTER_MEASURE
    munis = [c for c, e in b.lk.entities.items() if e["level"] == "municipality"]
    years_with_rate = {
        int(p)
        for c in munis
        if (s := b.lk.yearly.get((c, m))) is not None
        for p, v in zip(s.periods, s.per_1000, strict=True)
        if not _nan(v)
    }
    income_years = {y for c in munis for y in b.lk.income.get(c, {})}
    common = years_with_rate & income_years
    if not common:
        b.lk.derived["scatter"] = None
        return None
    year = max(common)
    rows = []
    for c in munis:
        inc = b.lk.income.get(c, {}).get(year, math.nan)
        s = b.lk.yearly.get((c, m))
        rate = (
            dict(zip(s.periods, s.per_1000.tolist(), strict=True)).get(str(year), math.nan)
            if s is not None
            else math.nan
        )
        growth = _value(b.lk, c, m, "growth_12m")[0]
        if _nan(inc):
            continue
        rows.append(
            {
                "code": c,
                "region_index": REGIONS.index(b.lk.entities[c]["region"]),
                "income": inc,
                "rate": rate,
                "growth": growth,
            }
        )
    last = b.lk.last_month[m]
    first_year, first_month = int(last[:4]) - 1, last[5:]
    rate = _chart(b, f"scatter-income-{m}", rows, "rate", log=True, y_format="~r", ticks=RATE_TICKS)
    if rate is None:
        b.lk.derived["scatter"] = None
        return None
    model = ScatterModel(
        year=year,
        growth_period=(f"{first_year}-{first_month}", last),
        rows=rows,
        rate=rate,
        growth=_chart(
            b, f"scatter-growth-{m}", rows, "growth", log=False, y_format=".1%", ticks=None
        ),
    )
    b.lk.derived["scatter"] = model
    return model


def _region_legend(b: PageBuilder) -> list[dict]:
    return [
        {"name": b.name(r), "colour": charts.REGION_COLOURS[i], "main": False}
        for i, r in enumerate(REGIONS)
    ]


def _r_text(b: PageBuilder, r: float) -> str:
    return b.t.number(r, 2)


def scatter_page(b: PageBuilder) -> dict:
    _ = b._
    sm = scatter_model(b)
    if sm is None:
        return {
            **_fixed_page(b, "scatter"),
            "title": _("Integration income and taxable income"),
            "description": _("No year has both integration income figures and fiscal income yet."),
            "rate": None,
        }
    rate_fit = sm.rate.fit
    # exp(slope · 1000) − 1: the relative difference in the rate for 1000 EUR more income
    per_1000_eur = math.exp(rate_fit.slope * 1000) - 1
    by_name = sorted(sm.rows, key=lambda r: b.name(r["code"]).casefold())
    year = str(sm.year)
    growth_from, growth_to = (b.t.month(p) for p in sm.growth_period)
    options = []
    for r in by_name:
        c = r["code"]
        p1 = sm.rate.positions.get(c)
        p2 = sm.growth.positions.get(c) if sm.growth else None
        options.append(
            {
                "code": c,
                "name": b.name(c),
                "rate_xy": f"{p1[0]:.1f},{p1[1]:.1f}" if p1 else "",
                "growth_xy": f"{p2[0]:.1f},{p2[1]:.1f}" if p2 else "",
                "text": _("{name}: {income} € average income, {rate} per 1000 inhabitants").format(
                    name=b.name(c), income=b.count(r["income"]), rate=b.rate(r["rate"])
                ),
            }
        )
    return {
        **_fixed_page(b, "scatter"),
        "title": _("Integration income and taxable income"),
        "description": _(
            "Every municipality's integration income beneficiaries per 1000 inhabitants against the average net taxable income per declaration, {year}."
        ).format(year=year),
        "year": year,
        "measure_label": b.t.measure(SCATTER_MEASURE),
        "legend": _region_legend(b),
        "rate": {
            "key": sm.rate.key,
            "size": sm.rate.size,
            "summary": _(
                "{n} municipalities, {year}: correlation r = {r} between income and the logarithm of the rate (a negative r: fewer beneficiaries per 1000 inhabitants where incomes are higher)."
            ).format(n=rate_fit.n, year=year, r=_r_text(b, rate_fit.r)),
            "method": (
                _(
                    "Vertical axis on a logarithmic scale. Dashed line: least-squares fit of the natural logarithm of the rate on income, a straight line on this axis: for each 1,000 € more income, the rate is {pct} lower. r is Pearson's correlation coefficient between income and the logarithm of the rate."
                )
                if per_1000_eur < 0
                else _(
                    "Vertical axis on a logarithmic scale. Dashed line: least-squares fit of the natural logarithm of the rate on income, a straight line on this axis: for each 1,000 € more income, the rate is {pct} higher. r is Pearson's correlation coefficient between income and the logarithm of the rate."
                )
            ).format(pct=b.t.percent(abs(per_1000_eur), 1)),
            "r": _r_text(b, rate_fit.r),
        },
        "growth": {
            "key": sm.growth.key,
            "size": sm.growth.size,
            "summary": _(
                "Average monthly growth from {start} to {end} against the average income of {year} (correlation r = {r})."
            ).format(start=growth_from, end=growth_to, year=year, r=_r_text(b, sm.growth.fit.r)),
            "method": _(
                "Both axes linear. Dashed line: least-squares fit; r is Pearson's correlation coefficient."
            ),
            "r": _r_text(b, sm.growth.fit.r),
        }
        if sm.growth
        else None,
        "options": options,
        "rows": [
            {
                **b.link(r["code"]),
                "region": b.short(b.lk.entities[r["code"]]["region"]),
                "income": b.count(r["income"]),
                "rate": b.rate(r["rate"]),
                "growth": "–" if _nan(r["growth"]) else b.t.percent(r["growth"], 2, signed=True),
            }
            for r in by_name
        ],
    }


def entity_scatter(b: PageBuilder, code: str) -> dict | None:
    """The municipality's own dot on the pre-rendered income scatter (works without JavaScript)."""
    if b.lk.entities[code]["level"] != "municipality":
        return None
    sm = scatter_model(b)
    if sm is None:
        return None
    pos = sm.rate.positions.get(code)
    if pos is None:
        return None
    row = next(r for r in sm.rows if r["code"] == code)
    w, h = sm.rate.size
    return {
        "image": f"charts/{sm.rate.key}.{b.t.code}.svg",
        "width": w,
        "height": h,
        "x": f"{pos[0]:.1f}",
        "y": f"{pos[1]:.1f}",
        "label_x": f"{min(pos[0] + 12, w - 4):.1f}",
        "anchor": "start" if pos[0] < w * 0.7 else "end",
        "label_dx": f"{pos[0] + 12:.1f}" if pos[0] < w * 0.7 else f"{pos[0] - 12:.1f}",
        "name": b.name(code),
        "year": str(sm.year),
        "summary": b._(
            "{name} on the scatter of all municipalities: {income} € average net taxable income per declaration and {rate} integration income beneficiaries per 1000 inhabitants in {year}."
        ).format(
            name=b.name(code),
            income=b.count(row["income"]),
            rate=b.rate(row["rate"]),
            year=sm.year,
        ),
        "url": urls.page("scatter", b.t.code),
        "legend": _region_legend(b),
    }


# --- compare tool ----------------------------------------------------------------------------


def compare_data(b: PageBuilder) -> dict[str, bytes]:
    """The compare tool's data files (layout: :mod:`barometer.compare`), built once: the index
    (``data/compare.json``) and one file of series per measure, loaded when the measure is shown."""
    if "compare" in b.lk.derived:
        return b.lk.derived["compare"]  # type: ignore[return-value]
    from barometer.i18n import entity_name

    lk = b.lk
    months = sorted({p for s in lk.monthly.values() for p in s.periods})
    years = sorted({p for s in lk.yearly.values() for p in s.periods})
    m_index = {p: i for i, p in enumerate(months)}
    y_index = {p: i for i, p in enumerate(years)}
    codes = [c for c in lk.entities if c != HERSTAPPE]
    pops: dict[str, dict[str, float]] = {}
    for code in codes:
        den: dict[str, float] = {}
        for m in MEASURES:  # the same population behind every measure; fill years from any
            s = lk.monthly.get((code, m))
            if s is not None:
                for y, v in compare.year_denominators(
                    s.periods, s.count.tolist(), s.per_1000.tolist()
                ).items():
                    den.setdefault(y, v)
        pops[code] = den
    series: dict[str, dict] = {}
    for m in MEASURES:
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
                *(entity_name(lk.entities[code], lang) for lang in ("nl", "fr", "de", "en")),
            ]
            for code in codes
        ],
        "pop": {c: compare.delta(pops[c].get(y) for y in years) for c in codes},
        "measures": list(MEASURES),
    }

    def text(value: dict) -> bytes:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    files = {compare.INDEX: text(doc)}
    files.update({compare.series_file(m): text(series[m]) for m in MEASURES})
    b.lk.derived["compare"] = files
    return files


def compare_link(b: PageBuilder, code: str) -> str:
    """The compare tool pre-filled with an area, its parents and neighbours (at most 8)."""
    from barometer.pages import chain

    codes = list(dict.fromkeys([*chain(b.lk, code), *b.lk.neighbours.get(code, [])]))
    codes = [c for c in codes if c != HERSTAPPE][:COMPARE_MAX]
    return urls.page("compare", b.t.code) + "?e=" + ",".join(codes) + "&m=ris&i=per_1000&p=month"


def compare_page(b: PageBuilder) -> dict:
    _ = b._
    compare_data(b)  # built once, written by the pipeline (SiteModel.files)
    levels = ["country", "region", "province", "arrondissement", "municipality"]
    return {
        **_fixed_page(b, "compare"),
        "title": _("Compare areas"),
        "description": _(
            "Compare up to 8 municipalities, arrondissements, provinces, regions or Belgium: any measure, as a number, per 1000 inhabitants or by profile, month by month or year by year."
        ),
        "max": COMPARE_MAX,
        "measures": [{"id": m, "label": b.t.measure(m)} for m in MEASURES],
        "indicators": [
            {"id": "per_1000", "label": _("Per 1000 inhabitants")},
            {"id": "count", "label": _("Number of beneficiaries")},
            {"id": "share", "label": _("Share of a profile category")},
        ],
        "categories": [
            {
                "dimension": b.t.gettext(GROUP_LABELS[dim]),
                "options": [
                    {"id": f"{dim}.{cat}", "label": b.t.gettext(CATEGORY_LABELS[cat])}
                    for cat in cats
                ],
            }
            for dim, cats in GROUP_CATEGORIES.items()
        ],
        "levels": {lvl: b.t.gettext(LEVEL_LABELS[lvl]) for lvl in levels},
        "data": "data/compare.json",
        "default": compare_link(b, COUNTRY).split("?", 1)[1],
        "downloads": [{"label": b.t.measure(m), "file": urls.measure_csv(m)} for m in MEASURES],
        "data_page": urls.page("data", b.t.code),
    }


# --- focus notes ------------------------------------------------------------------------------

PUBLISHED_CHART = "published-ris"
PUBLISHED_CODES = (COUNTRY, *REGIONS)


def published_chart(b: PageBuilder) -> str:
    """The published annual averages of Belgium and its regions as a line chart (for the notes)."""
    from barometer.notes import published_figures

    if PUBLISHED_CHART not in b.specs:
        figures = published_figures(b.model.canon.published_totals)
        rows = sorted(
            (f"{year}-07", PUBLISHED_CODES.index(code), fig.value)
            for (kind, code, year), fig in figures.items()
            if kind == "total" and code in PUBLISHED_CODES
        )
        b.specs[PUBLISHED_CHART] = charts.evolution(rows, points=True)
        b.lk.derived.setdefault("chart_codes", {})[PUBLISHED_CHART] = list(PUBLISHED_CODES)  # type: ignore[union-attr]
    return PUBLISHED_CHART


def _chart_table(b: PageBuilder, key: str, codes: list[str], figures: dict) -> dict:
    """The data table under a chart embedded in a note (columns and rows), when known."""
    from barometer.page_types import _map_rows

    if key == PUBLISHED_CHART:
        years = sorted({y for (kind, c, y) in figures if kind == "total" and c in codes})
        rows = [
            [y]
            + [
                b.count(figures[("total", c, y)].value) if ("total", c, y) in figures else "–"
                for c in codes
            ]
            for y in reversed(years)
        ]
        return {"columns": [b.name(c) for c in codes], "rows": rows}
    if key.startswith("evo-") and codes:
        fig = b.evolution_figure(codes, key.rsplit("-", 1)[1], key)
        return {"columns": fig["columns"], "rows": fig["rows"]} if fig else {}
    if key.startswith("map-"):
        parts = key.split("-")
        level = {
            "municipalities": "municipality",
            "arrondissements": "arrondissement",
            "provinces": "province",
            "regions": "region",
        }[parts[1]]
        return {"map_rows": _map_rows(b, parts[2], level)}
    return {}


def _note_path(lang: str, slug: str) -> str:
    return f"{urls.page('notes', lang)}{slug}/"


def note_pages(b: PageBuilder, notes: list) -> list[dict]:  # noqa: ANN001 - list[notes.Note]
    """One page per note of this language, plus the index of notes."""
    from barometer.notes import published_figures, render_note

    published_chart(b)
    figures = published_figures(b.model.canon.published_totals)
    langs_of: dict[str, list[str]] = {}
    for n in notes:
        langs_of.setdefault(n.slug, []).append(n.lang)
    mine = sorted(
        (n for n in notes if n.lang == b.t.code), key=lambda n: (n.date, n.slug), reverse=True
    )
    codes_of = b.lk.derived.get("chart_codes", {})
    pages = []
    for n in mine:
        r = render_note(n, figures, set(b.specs), b.t)
        for part in r.parts:
            if "chart" in part:
                codes = codes_of.get(part["chart"], [])  # type: ignore[union-attr]
                part["legend"] = [
                    {"name": b.name(c), "colour": charts.LINE_COLOURS[i], "main": i == 0}
                    for i, c in enumerate(codes)
                ]
                part.update(_chart_table(b, part["chart"], codes, figures))
        pages.append(
            {
                "template": "note.html",
                "path": _note_path(b.t.code, n.slug),
                "alternates": {lang: _note_path(lang, n.slug) for lang in langs_of[n.slug]},
                "title": n.title,
                "description": n.summary,
                "date": b.t.date(n.date),
                "iso_date": n.date,
                "author": n.author,
                "parts": r.parts,
                "toc": r.toc,
                "sources": r.sources,
                "index": urls.page("notes", b.t.code),
                "searchable": True,
            }
        )
    index = {
        **_fixed_page(b, "notes"),
        "title": b._("Focus notes"),
        "description": b._(
            "Short analyses of the integration income and related aid, written by the barometer's analysts."
        ),
        "notes": [
            {
                "title": p["title"],
                "url": p["path"],
                "date": p["date"],
                "iso_date": p["iso_date"],
                "summary": p["description"],
            }
            for p in pages
        ],
    }
    return [index, *pages]
