"""Stage 4: page models — plain dicts of formatted numbers, labels, links and chart keys.

Inputs:  the Model (canonical tables, indicator table, neighbours, reconciliation).
Output:  :class:`SiteModel`: for each language, one dict per page; templates only fill them in.

All pandas work happens once, in :class:`Lookups` (whole-table pivots into dicts of arrays);
building a page is dictionary lookups and formatting, never a pandas call.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from barometer import charts, urls
from barometer.i18n import Lang, entity_name, load_lang, short_name
from barometer.vocabulary import (
    CATEGORY_LABELS,
    COUNTRY,
    GROUP_CATEGORIES,
    GROUP_LABELS,
    LANGS,
)

MEASURES = ("ris", "eris", "gpmi", "spi")
CHART_GAP_SHARE = 0.01
"""A higher-level month whose non-reporting members hold more than 1 % of its population is a gap
in charts (it stays in tables and downloads, flagged ``incomplete``): e.g. Flanders in December
2021, when Antwerpen did not report."""


# --- lookups: the only place with pandas ------------------------------------------------------------


@dataclass
class Series:
    periods: list[str]
    count: np.ndarray
    per_1000: np.ndarray


@dataclass
class Lookups:
    """Pivots of the indicator table, keyed for page building."""

    entities: dict[str, dict]
    children: dict[str, list[str]]
    monthly: dict[tuple[str, str], Series]
    yearly: dict[tuple[str, str], Series]
    latest: dict[tuple[str, str], dict[tuple[str, str, str], tuple[float, str]]]
    last_month: dict[str, str]
    neighbours: dict[str, list[str]]
    peers: dict[str, list[str]]
    former: list[dict]
    ranked_count: dict[tuple[str, str, str], int] = field(default_factory=dict)
    gaps: set[tuple[str, str, str]] = field(default_factory=set)
    """(geo, measure, month) left out of charts: members with over CHART_GAP_SHARE of the population missing."""
    income: dict[str, dict[int, float]] = field(default_factory=dict)
    """Average net taxable income per declaration: code → year → EUR (municipalities)."""
    cells: dict[tuple[str, str], dict[str, dict[str, list[float]]]] = field(default_factory=dict)
    """(geo, measure) → 'year'|'month' → 'dim.cat' → breakdown counts (NaN = missing or
    suppressed) aligned on share_years/share_months (the periods with breakdowns)."""
    share_years: list[str] = field(default_factory=list)
    share_months: list[str] = field(default_factory=list)
    derived: dict[str, object] = field(default_factory=dict)
    """Language-neutral models computed once and shared by the four languages (scatter, compare)."""


def build_lookups(model) -> Lookups:  # noqa: ANN001 - pipeline.Model (avoid an import cycle)
    canon, table = model.canon, model.indicators.table
    ent = canon.entities.fillna("")
    entities = {r["code"]: dict(r) for r in ent.to_dict("records")}
    children: dict[str, list[str]] = defaultdict(list)
    for r in entities.values():
        if r["parent"]:
            children[r["parent"]].append(r["code"])
    last = model.indicators.last_month

    monthly = _series(table, "month")
    yearly = _series(table, "year")

    latest_rows = table[
        (table.period_type == "month")
        & (table.period.astype(str) == table.measure.astype(str).map(last))
    ]
    latest: dict[tuple[str, str], dict] = defaultdict(dict)
    for g, m, ind, dim, cat, v, f in zip(
        latest_rows.geo_code.astype(str),
        latest_rows.measure.astype(str),
        latest_rows.indicator.astype(str),
        latest_rows.dimension.astype(str),
        latest_rows.category.astype(str),
        latest_rows.value.to_numpy(),
        latest_rows.flag.astype(str),
        strict=True,
    ):
        latest[(g, m)][(ind, dim, cat)] = (float(v), f)
    ranked_count: dict[tuple[str, str, str], int] = {}
    rk = latest_rows[
        latest_rows.indicator.isin(["rank_region", "rank_country"]) & latest_rows.value.notna()
    ]
    region = rk.geo_code.astype(str).map({c: e["region"] for c, e in entities.items()})
    for (m, lvl, reg), n in (
        rk[rk.indicator == "rank_region"]
        .groupby([rk.measure.astype(str), rk.geo_level.astype(str), region])
        .size()
        .items()
    ):
        ranked_count[(m, lvl, reg)] = int(n)
    for (m, lvl), n in (
        rk[rk.indicator == "rank_country"]
        .groupby([rk.measure.astype(str), rk.geo_level.astype(str)])
        .size()
        .items()
    ):
        ranked_count[(m, lvl, COUNTRY)] = int(n)

    nb = model.neighbours
    neighbours = {c: list(g.other) for c, g in nb[nb.kind == "neighbour"].groupby("code")}
    peers = {c: list(g.sort_values("rank").other) for c, g in nb[nb.kind == "peer"].groupby("code")}
    cm = canon.code_map
    gone = cm[cm.code != cm.code_2025]
    former = [dict(r) for r in gone.to_dict("records")]
    inc = model.indicators.incomplete
    big = inc[(inc.period_type == "month") & (inc.missing_population_share > CHART_GAP_SHARE)]
    gaps = set(zip(big.geo_code, big.measure, big.period, strict=True))
    income: dict[str, dict[int, float]] = defaultdict(dict)
    for y, c, v in zip(
        canon.income.year, canon.income.code, canon.income.average_per_declaration, strict=True
    ):
        if v == v:
            income[c][int(y)] = float(v)
    cells, share_periods = _breakdown_counts(table)
    return Lookups(
        entities,
        dict(children),
        monthly,
        yearly,
        dict(latest),
        last,
        neighbours,
        peers,
        former,
        ranked_count,
        gaps,
        dict(income),
        cells,
        share_periods["year"],
        share_periods["month"],
    )


def _breakdown_counts(table: pd.DataFrame) -> tuple[dict, dict[str, list[str]]]:
    """Breakdown counts per (geo, measure), per period type, aligned on that type's periods.

    Suppressed cells are NaN (the table hides their counts).
    """
    sh = table[(table.indicator == "count") & (table.dimension != "total")]
    out: dict[tuple[str, str], dict] = defaultdict(lambda: {"year": {}, "month": {}})
    periods: dict[str, list[str]] = {}
    for ptype in ("year", "month"):
        sub = sh[sh.period_type == ptype]
        wide = sub.assign(
            geo_code=sub.geo_code.astype(str),
            measure=sub.measure.astype(str),
            cell=sub.dimension.astype(str) + "." + sub.category.astype(str),
            period=sub.period.astype(str),
        ).pivot_table(
            index=["geo_code", "measure", "cell"],
            columns="period",
            values="value",
            aggfunc="first",
            dropna=False,
        )
        periods[ptype] = [str(p) for p in wide.columns]
        for (g, m, cell), vals in zip(wide.index, wide.to_numpy().tolist(), strict=True):
            out[(g, m)][ptype][cell] = vals
    return dict(out), periods


def _series(table: pd.DataFrame, period_type: str) -> dict[tuple[str, str], Series]:
    """(geo, measure) → count and per 1000 over the periods of one type, as arrays."""
    sub = table[
        (table.period_type == period_type)
        & (table.dimension == "total")
        & table.indicator.isin(["count", "per_1000"])
    ]
    wide = (
        sub.assign(
            geo_code=sub.geo_code.astype(str),
            measure=sub.measure.astype(str),
            period=sub.period.astype(str),
            indicator=sub.indicator.astype(str),
        )
        .pivot_table(
            index=["geo_code", "measure", "period"],
            columns="indicator",
            values="value",
            aggfunc="first",
            dropna=False,
            observed=True,
        )
        .reset_index()
        .sort_values(["geo_code", "measure", "period"])
    )
    keys = wide[["geo_code", "measure"]].to_numpy()
    bounds = np.flatnonzero((keys[1:] != keys[:-1]).any(axis=1)) + 1
    starts, ends = np.r_[0, bounds], np.r_[bounds, len(wide)]
    periods = wide.period.astype(object).to_numpy()
    cnt = wide["count"].to_numpy(dtype="float64")
    rate = wide["per_1000"].to_numpy(dtype="float64")
    return {
        (keys[s][0], keys[s][1]): Series(list(periods[s:e]), cnt[s:e], rate[s:e])
        for s, e in zip(starts, ends, strict=True)
    }


# --- helpers -----------------------------------------------------------------------------------------


def _fixed_page(b: PageBuilder, name: str) -> dict:
    """Template, path and language alternates of a page that exists once per language
    (methodology, data, search, scatter, compare, notes)."""
    return {
        "template": f"{name}.html",
        "path": urls.page(name, b.t.code),
        "alternates": {lang: urls.page(name, lang) for lang in LANGS},
    }


def chain(lk: Lookups, code: str) -> list[str]:
    """The entity and its parents up to Belgium: [code, arrondissement, province, region, 01000]."""
    out = [code]
    while lk.entities[out[-1]]["parent"]:
        out.append(lk.entities[out[-1]]["parent"])
    return out


def _value(
    lk: Lookups, code: str, measure: str, ind: str, dim: str = "total", cat: str = "total"
) -> tuple[float, str]:
    return lk.latest.get((code, measure), {}).get((ind, dim, cat), (math.nan, ""))


def _nan(v: float) -> bool:
    return v is None or v != v


@dataclass
class SiteModel:
    """Every page of every language, as plain dicts; chart specs to render (key → spec)."""

    pages: dict[str, list[dict]]
    specs: dict[str, dict]
    redirects: dict[str, list[dict]]
    files: dict[str, bytes] = field(default_factory=dict)
    """Data files made while building pages (the compare tool's data)."""
    cards: dict[str, dict] = field(default_factory=dict)
    """Preview card of each area (code → the keyword arguments of :func:`cards.card_svg`
    except ``locator``, which is the key of its locator chart)."""


class PageBuilder:
    """Builds the page dicts of one language from the lookups."""

    def __init__(self, lk: Lookups, lang: Lang, model, specs: dict[str, dict]) -> None:  # noqa: ANN001
        self.lk, self.t, self.model, self.specs = lk, lang, model, specs
        self._ = lang.gettext

    # names and links
    def name(self, code: str) -> str:
        return entity_name(self.lk.entities[code], self.t.code)

    def short(self, code: str) -> str:
        return short_name(self.name(code))

    def url(self, code: str) -> str:
        return urls.entity(self.lk.entities[code], self.t.code)

    def link(self, code: str) -> dict:
        return {"name": self.name(code), "url": self.url(code), "code": code}

    def measure_label(self, m: str) -> str:
        return self.t.measure(m)

    # numbers
    def count(self, v: float) -> str:
        return self.t.number(v, 0)

    def rate(self, v: float) -> str:
        if _nan(v):
            return "–"
        return self.t.number(v, 2 if v < 10 else 1)

    def flag_note(self, flag: str) -> str:
        _ = self._
        notes = []
        for part in flag.split(";") if flag else []:
            if part == "incomplete":
                notes.append(_("incomplete: some municipalities did not report"))
            elif part == "missing":
                notes.append(_("no claim received"))
            elif part.startswith("population_year="):
                notes.append(_("population of {year}").format(year=part.split("=")[1]))
            elif part.startswith("population_years="):
                notes.append(
                    _("populations of {years}").format(years=part.split("=")[1].replace("-", "–"))
                )
            elif part == "no_base":
                notes.append(_("no base to compare with"))
        return "; ".join(notes)

    # chart pieces
    def evolution_figure(self, codes: list[str], measure: str, key: str) -> dict | None:
        """A monthly per-1000 line chart of ``codes`` (the first bold), its legend, summary and table.

        The accessible table gives the yearly figures of the same lines (annual averages divided
        by the population), so that it stays readable and light.
        """
        _ = self._
        first = self.lk.monthly.get((codes[0], measure))
        if first is None:
            return None  # Herstappe: no figures of its own
        if key not in self.specs:
            rows = []
            for i, c in enumerate(codes):
                s = self.lk.monthly.get((c, measure))
                if s is not None:
                    rows += [
                        (p, i, round(v, 3))
                        for p, v in zip(s.periods, s.per_1000.tolist(), strict=True)
                        if v == v and (c, measure, p) not in self.lk.gaps
                    ]
            self.specs[key] = charts.evolution(rows)
            self.lk.derived.setdefault("chart_codes", {})[key] = list(codes)  # type: ignore[union-attr]
        valid = [(p, v) for p, v in zip(first.periods, first.per_1000, strict=True) if not _nan(v)]
        summary = ""
        if valid:
            (p0, v0), (p1, v1) = valid[0], valid[-1]
            summary = _("{name}: {v1} per 1000 inhabitants in {m1}, against {v0} in {m0}.").format(
                name=self.name(codes[0]),
                v1=self.rate(v1),
                m1=self.t.month(p1),
                v0=self.rate(v0),
                m0=self.t.month(p0),
            )
        legend = [
            {"name": self.name(c), "colour": charts.LINE_COLOURS[i], "main": i == 0}
            for i, c in enumerate(codes)
        ]
        years = [self.lk.yearly.get((c, measure)) for c in codes]
        lookup = [
            dict(zip(y.periods, y.per_1000, strict=True)) if y is not None else {} for y in years
        ]
        table_rows = (
            [
                [p] + [self.rate(d.get(p, math.nan)) for d in lookup]
                for p in reversed(years[0].periods)
            ]
            if years[0]
            else []
        )
        return {
            "key": key,
            "summary": summary,
            "legend": legend,
            "columns": [self.name(c) for c in codes],
            "rows": table_rows,
        }

    def breakdown(self, code: str, parent: str | None, measure: str) -> list[dict]:
        out = []
        for dim, cats in GROUP_CATEGORIES.items():
            rows = []
            for cat in cats:
                count, flag = _value(self.lk, code, measure, "count", dim, cat)
                share, _f = _value(self.lk, code, measure, "share", dim, cat)
                pshare = (
                    _value(self.lk, parent, measure, "share", dim, cat)[0] if parent else math.nan
                )
                suppressed = "suppressed" in flag
                rows.append(
                    {
                        "label": self.t.gettext(CATEGORY_LABELS[cat]),
                        "count": "< 5" if suppressed else self.count(count),
                        "share": "–" if _nan(share) else self.t.percent(share, 0),
                        "share_pct": 0 if _nan(share) else round(100 * share),
                        "parent_share": "–" if _nan(pshare) else self.t.percent(pshare, 0),
                        "parent_pct": 0 if _nan(pshare) else round(100 * pshare),
                        "suppressed": suppressed,
                    }
                )
            out.append({"label": self.t.gettext(GROUP_LABELS[dim]), "rows": rows})
        return out


def build_site_model(model, notes: list | None = None) -> SiteModel:  # noqa: ANN001
    from barometer import explore, page_types

    lk = build_lookups(model)
    specs: dict[str, dict] = {}
    pages: dict[str, list[dict]] = {}
    redirects: dict[str, list[dict]] = {}
    for code in LANGS:
        b = PageBuilder(lk, load_lang(code), model, specs)
        pages[code] = page_types.all_pages(b) + explore.note_pages(b, notes or [])
        index = next(p for p in pages[code] if p["template"] == "notes.html")
        home = next(p for p in pages[code] if p["template"] == "home.html")
        home["notes"] = index["notes"][:3]
        home["notes_url"] = index["path"]
        redirects[code] = page_types.redirect_pages(b)
    return SiteModel(
        pages=pages,
        specs=specs,
        redirects=redirects,
        files=dict(lk.derived["compare"]),  # type: ignore[call-overload]
        cards=card_models(lk, model),
    )


def card_models(lk: Lookups, model) -> dict[str, dict]:  # noqa: ANN001
    """What each area's preview image shows (language-neutral)."""
    from barometer.cards import plain_number

    t = {code: load_lang(code) for code in ("nl", "fr", "de")}
    measure = " · ".join(dict.fromkeys(t[c].measure("ris") for c in t))
    month = lk.last_month["ris"]
    out = {}
    for code, e in lk.entities.items():
        s = lk.monthly.get((code, "ris"))
        series = (
            [
                v if (code, "ris", p) not in lk.gaps else math.nan
                for p, v in zip(s.periods, s.per_1000.tolist(), strict=True)
            ]
            if s is not None
            else []
        )
        value = _value(lk, code, "ris", "per_1000")[0]
        out[code] = {
            "name": entity_name(e, "en"),
            "level": f"NIS {code}",
            "value": plain_number(value),
            "month": month,
            "measure": measure,
            "series": series,
            "locator": f"locator-{code}" if code != COUNTRY else None,
            "synthetic": bool(model.canon.meta.synthetic),
        }
    return out
