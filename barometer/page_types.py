"""One function per page type: a PageBuilder in, plain page dicts out (``*_page``).

Every page dict has: template, path (relative, ending in '/'), title, description, alternates
(language → path of the same page) and the content its template shows.
"""

from __future__ import annotations

import math

from barometer import charts, explore, urls
from barometer.i18n import entity_name
from barometer.pages import (
    MEASURES,
    PageBuilder,
    _fixed_page,
    _nan,
    _value,
    chain,
)
from barometer.vocabulary import COUNTRY, HERSTAPPE, LANGS, LEVEL_LABELS

RANKED = ("municipality", "arrondissement", "province")


def _alternates(fn) -> dict[str, str]:  # noqa: ANN001 - fn: lang → path
    return {lang: fn(lang) for lang in LANGS}


def all_pages(b: PageBuilder) -> list[dict]:
    pages = [home_page(b), methodology_page(b), data_page(b)]
    pages += [measure_page(b, m) for m in MEASURES]
    pages += [explore.scatter_page(b), explore.compare_page(b), search_page(b)]
    pages += [entity_page(b, code) for code in b.lk.entities]
    return pages


# --- figures shared by pages -------------------------------------------------------------------------


def key_figures(b: PageBuilder, code: str, measure: str) -> dict:
    _ = b._
    count, cflag = _value(b.lk, code, measure, "count")
    rate, rflag = _value(b.lk, code, measure, "per_1000")
    yoy, yflag = _value(b.lk, code, measure, "yoy_change")
    growth, _g = _value(b.lk, code, measure, "growth_12m")
    return {
        "month": b.t.month(b.lk.last_month[measure]),
        "count": b.count(count),
        "per_1000": b.rate(rate),
        "yoy": "–" if _nan(yoy) else b.t.percent(yoy, 1, signed=True),
        "yoy_direction": "none"
        if _nan(yoy)
        else ("up" if yoy > 0.0005 else "down" if yoy < -0.0005 else "flat"),
        "growth": "–" if _nan(growth) else b.t.percent(growth, 2, signed=True),
        "notes": "; ".join(n for n in (b.flag_note(cflag), b.flag_note(rflag)) if n),
        "missing": _nan(count),
    }


def comparison(b: PageBuilder, codes: list[str], measure: str) -> list[dict]:
    rows = []
    for i, c in enumerate(codes):
        count, _f = _value(b.lk, c, measure, "count")
        rate, rflag = _value(b.lk, c, measure, "per_1000")
        yoy, _y = _value(b.lk, c, measure, "yoy_change")
        rows.append(
            {
                **b.link(c),
                "level": b.t.gettext(LEVEL_LABELS[b.lk.entities[c]["level"]]),
                "count": b.count(count),
                "per_1000": b.rate(rate),
                "yoy": "–" if _nan(yoy) else b.t.percent(yoy, 1, signed=True),
                "note": b.flag_note(rflag),
                "self": i == 0,
            }
        )
    return rows


def _map_classes(b: PageBuilder, measure: str, level: str) -> tuple[dict[str, int], list[float]]:
    values = {
        c: _value(b.lk, c, measure, "per_1000")[0]
        for c, e in b.lk.entities.items()
        if e["level"] == level
    }
    return charts.quantile_classes(values)


def _legend(b: PageBuilder, breaks: list[float]) -> list[dict]:
    items = [
        {"colour": charts.CLASS_COLOURS[i], "label": f"{b.rate(lo)} – {b.rate(hi)}"}
        for i, (lo, hi) in enumerate(zip(breaks, breaks[1:], strict=False))
    ]
    return items + [{"colour": charts.NO_DATA, "label": b._("no data")}]


def _map_rows(b: PageBuilder, measure: str, level: str) -> list[dict]:
    """The data table of a map: every area of the level, by name, with its rate."""
    codes = [c for c, e in b.lk.entities.items() if e["level"] == level and c != HERSTAPPE]
    return [
        {"name": b.name(c), "per_1000": b.rate(_value(b.lk, c, measure, "per_1000")[0])}
        for c in sorted(codes, key=lambda c: b.name(c).casefold())
    ]


def _tooltips(b: PageBuilder, measure: str, level: str) -> dict[str, tuple[str, float]]:
    """Names in the language of each municipality's region (shared by all four pages) and rates."""
    out = {}
    for c, e in b.lk.entities.items():
        v = _value(b.lk, c, measure, "per_1000")[0]
        if e["level"] == level and not _nan(v):
            out[c] = (entity_name(e, "en") if level == "municipality" else b.name(c), v)
    return out


def municipality_map(b: PageBuilder, measure: str) -> dict:
    classes, breaks = _map_classes(b, measure, "municipality")
    key = f"map-municipalities-{measure}"
    if key not in b.specs:
        b.specs[key] = charts.choropleth(
            b.model.canon.topology,
            classes,
            layer="municipalities",
            tooltips=_tooltips(b, measure, "municipality"),
        )
    return {
        "key": key,
        "spec": f"charts/{key}.json",
        "legend": _legend(b, breaks),
        "rows": _map_rows(b, measure, "municipality"),
        "summary": b._(
            "Beneficiaries per 1000 inhabitants in every municipality, {month}; five classes with equal numbers of municipalities."
        ).format(month=b.t.month(b.lk.last_month[measure])),
    }


# --- pages ---------------------------------------------------------------------------------------------


def home_page(b: PageBuilder) -> dict:
    _ = b._
    regions = [c for c, e in b.lk.entities.items() if e["level"] == "region"]
    provinces = [c for c, e in b.lk.entities.items() if e["level"] == "province"]
    munis = sorted(
        (c for c, e in b.lk.entities.items() if e["level"] == "municipality"),
        key=lambda c: b.name(c).casefold(),
    )
    evo = b.evolution_figure([COUNTRY, *regions], "ris", "evo-home-ris")
    evo["spec"] = "charts/evo-home-ris.json"
    return {
        "template": "home.html",
        "path": urls.home(b.t.code),
        "alternates": _alternates(urls.home),
        "title": _("Barometer of social integration"),
        "description": _(
            "Monthly beneficiaries of the integration income and related aid per municipality in Belgium, per 1000 inhabitants, with their evolution and profile."
        ),
        "figures": key_figures(b, COUNTRY, "ris"),
        "map": municipality_map(b, "ris"),
        "evolution": evo,
        "measures": [
            {
                "label": b.t.measure(m),
                "url": urls.measure(m, b.t.code),
                "figures": key_figures(b, COUNTRY, m),
            }
            for m in MEASURES
        ],
        "regions": [b.link(c) for c in regions],
        "provinces": [b.link(c) for c in provinces],
        "country": b.link(COUNTRY),
        "municipalities": [
            {
                **b.link(c),
                "also": " ".join(
                    sorted(
                        {b.lk.entities[c][f"name_{x}"] for x in ("nl", "fr", "de")} - {b.name(c)}
                    )
                ),
            }
            for c in munis
        ],
    }


def entity_page(b: PageBuilder, code: str) -> dict:
    _ = b._
    ent = b.lk.entities[code]
    parents = chain(b.lk, code)
    measures = []
    parent = ent["parent"] or None
    for m in MEASURES:
        evo = b.evolution_figure(parents, m, f"evo-{code}-{m}")
        ranks = None
        if ent["level"] in RANKED:
            rr, _f = _value(b.lk, code, m, "rank_region")
            rc, _f = _value(b.lk, code, m, "rank_country")
            level = ent["level"]
            if not _nan(rr):
                ranks = {
                    "region": _("{rank} of {n} in {where}").format(
                        rank=int(rr),
                        n=b.lk.ranked_count.get((m, level, ent["region"]), 0),
                        where=b.name(ent["region"]),
                    ),
                    "country": _("{rank} of {n} in Belgium").format(
                        rank=int(rc), n=b.lk.ranked_count.get((m, level, COUNTRY), 0)
                    ),
                }
        measures.append(
            {
                "id": m,
                "label": b.t.measure(m),
                "url": urls.measure(m, b.t.code),
                "figures": key_figures(b, code, m),
                "comparison": comparison(b, parents, m),
                "evolution": evo,
                "breakdown": b.breakdown(code, parent, m) if code != HERSTAPPE else [],
                "parent_name": b.name(parent) if parent else "",
                "ranks": ranks,
            }
        )
    neighbours = [b.link(c) for c in b.lk.neighbours.get(code, [])]
    peers = [b.link(c) for c in b.lk.peers.get(code, [])]

    def side(codes: list[dict]) -> list[dict]:
        rows = []
        for link in codes:
            rate, _f = _value(b.lk, link["code"], "ris", "per_1000")
            cnt, _f = _value(b.lk, link["code"], "ris", "count")
            rows.append({**link, "count": b.count(cnt), "per_1000": b.rate(rate)})
        return rows

    locator_key = f"locator-{code}"
    if code != COUNTRY and locator_key not in b.specs:
        layer = {
            "municipality": "municipalities",
            "arrondissement": "arrondissements",
            "province": "provinces",
            "region": "regions",
        }[ent["level"]]
        b.specs[locator_key] = charts.locator(b.model.canon.topology, code, layer)
    merger = None
    if ent["predecessors"]:
        preds = ent["predecessors"].split("|")
        names = [
            b.lk.entities.get(p, {}).get(f"name_{b.t.code if b.t.code != 'en' else 'nl'}")
            or _former_name(b, p)
            for p in preds
        ]
        merger = _(
            "Formed on {date} from {names}. Its earlier figures are the sums of these municipalities, month by month."
        ).format(date=b.t.date(ent["formed"]), names=", ".join(names))
    children = sorted(b.lk.children.get(code, []), key=lambda c: b.name(c).casefold())
    child_rows = []
    for c in children:
        rate, _f = _value(b.lk, c, "ris", "per_1000")
        child_rows.append({**b.link(c), "per_1000": b.rate(rate)})
    level_label = b.t.gettext(LEVEL_LABELS[ent["level"]])
    name = b.name(code)
    return {
        "template": "entity.html",
        "path": b.url(code),
        "alternates": _alternates(lambda lang: urls.entity(ent, lang)),
        "title": name,
        "description": _(
            "{name}: beneficiaries of the integration income and related aid, per 1000 inhabitants, evolution and profile."
        ).format(name=name),
        "code": code,
        "name": name,
        "level": ent["level"],
        "level_label": level_label,
        "other_names": sorted({ent["name_nl"], ent["name_fr"], ent["name_de"]} - {name}),
        "breadcrumbs": [b.link(c) for c in reversed(parents[1:])],
        "measures": measures,
        "neighbours": side(neighbours),
        "peers": side(peers),
        "children": child_rows,
        "children_label": b.t.gettext(LEVEL_LABELS[b.lk.entities[children[0]]["level"]])
        if children
        else "",
        "locator": locator_key if code != COUNTRY else None,
        "merger": merger,
        "herstappe": code == HERSTAPPE,
        "csv": urls.entity_csv(code),
        "og_image": f"og/{code}.png",
        "searchable": True,
        "scatter": explore.entity_scatter(b, code),
        "compare_url": explore.compare_link(b, code),
    }


def _former_record_name(b: PageBuilder, f: dict) -> str:
    """A former municipality's name in the page's language (English: its Dutch REFNIS name)."""
    return f["name_nl"] if b.t.code in ("nl", "en") else f[f"name_{b.t.code}"]


def _former_name(b: PageBuilder, code: str) -> str:
    return next((_former_record_name(b, f) for f in b.lk.former if f["code"] == code), code)


def measure_page(b: PageBuilder, m: str) -> dict:
    _ = b._
    regions = [c for c, e in b.lk.entities.items() if e["level"] == "region"]
    level_maps = []
    for level, layer in (
        ("region", "regions"),
        ("province", "provinces"),
        ("arrondissement", "arrondissements"),
    ):
        classes, breaks = _map_classes(b, m, level)
        links = {
            c: urls.entity(e, b.t.code) for c, e in b.lk.entities.items() if e["level"] == level
        }
        key = f"map-{layer}-{m}-{b.t.code}"
        # links differ per language, so these maps are rendered per language
        b.specs[key] = charts.choropleth(
            b.model.canon.topology,
            classes,
            layer=layer,
            links={c: "../../" + u for c, u in links.items()},
        )
        level_maps.append(
            {
                "key": key,
                "level": b.t.gettext(LEVEL_LABELS[level]),
                "legend": _legend(b, breaks),
                "layer": layer,
                "rows": _map_rows(b, m, level),
                "summary": _(
                    "{level}: beneficiaries per 1000 inhabitants, {month}; five classes with equal numbers of areas; each area links to its page."
                ).format(
                    level=b.t.gettext(LEVEL_LABELS[level]), month=b.t.month(b.lk.last_month[m])
                ),
            }
        )
    ranking = []
    for c, e in b.lk.entities.items():
        if e["level"] != "municipality" or c == HERSTAPPE:
            continue
        rate, _f = _value(b.lk, c, m, "per_1000")
        cnt, _f = _value(b.lk, c, m, "count")
        rank, _f = _value(b.lk, c, m, "rank_country")
        ranking.append(
            {
                **b.link(c),
                "region": b.short(e["region"]),
                "count": b.count(cnt),
                "per_1000": b.rate(rate),
                "rank": "–" if _nan(rank) else str(int(rank)),
                "_r": math.inf if _nan(rank) else rank,
            }
        )
    ranking.sort(key=lambda r: (r["_r"], r["name"]))
    for r in ranking:
        del r["_r"]
    return {
        "template": "measure.html",
        "path": urls.measure(m, b.t.code),
        "alternates": _alternates(lambda lang: urls.measure(m, lang)),
        "title": b.t.measure(m),
        "description": b.model.canon.meta.measures[m][b.t.code]
        if b.t.code in b.model.canon.meta.measures[m]
        else b.t.measure(m),
        "measure": m,
        "official_name": b.model.canon.meta.measures[m].get(b.t.code, ""),
        "definition": _definition(b, m),
        "figures": key_figures(b, COUNTRY, m),
        "map": municipality_map(b, m),
        "level_maps": level_maps,
        "evolution": {
            **b.evolution_figure([COUNTRY, *regions], m, f"evo-regions-{m}"),
            "spec": f"charts/evo-regions-{m}.json",
        },
        "breakdown": b.breakdown(COUNTRY, None, m),
        "ranking": ranking,
        "csv": urls.measure_csv(m),
        "searchable": True,
    }


def _definition(b: PageBuilder, m: str) -> list[str]:
    _ = b._
    texts = {
        "ris": [
            _(
                "The integration income (leefloon, revenu d'intégration) is the minimum income paid by the public centre for social welfare (OCMW/CPAS) to people who have no sufficient resources and cannot claim them otherwise, under the law of 26 May 2002 on the right to social integration."
            ),
            _(
                "The figure is the number of persons who received it in the month; a yearly figure is the average of the twelve monthly numbers."
            ),
        ],
        "eris": [
            _(
                "The equivalent integration income is financial aid paid by the OCMW/CPAS, under the law of 8 July 1976, to people who have no right to the integration income — mostly foreign nationals registered in the population register who are not entitled to it."
            ),
            _("It is concentrated in Brussels and the large cities."),
        ],
        "gpmi": [
            _(
                "An individualised social integration project (GPMI/PIIS) is a written agreement between the beneficiary and the OCMW/CPAS about steps towards work, training or social participation. It has been compulsory for new beneficiaries since 1 November 2016."
            ),
            _(
                "Everyone counted here also receives the integration income; the ratio to the integration income shows how widely projects are used."
            ),
        ],
        "spi": [
            _(
                "The socio-professional integration exemption (SPI/ISP) lets a beneficiary keep part of the income earned from work or training on top of the integration income, as an incentive to take up work."
            ),
            _("Everyone counted here also receives the integration income."),
        ],
    }
    return texts[m]


def methodology_page(b: PageBuilder) -> dict:
    _ = b._
    meta = b.model.canon.meta
    rec = b.model.reconciliation
    rows = []
    for r in rec.itertuples():
        rows.append(
            {
                "where": entity_name(b.lk.entities[r.geo_code], b.t.code),
                "period": r.period,
                "kind": {
                    "annual_average": _("annual average"),
                    "average_of_months": _("average of months"),
                    "month": _("single month"),
                }[r.kind],
                "computed": b.count(r.computed),
                "published": b.count(r.published),
                "difference": b.t.percent(r.relative_difference, 2, signed=True),
                "checked": bool(r.checked),
                "url": str(r.source_url).split()[0],  # some add "(2021 version of the page)"
            }
        )
    pop = b.model.canon.population
    region_of = {c: e["region"] for c, e in b.lk.entities.items()}
    years = {}
    for reg in ("02000", "03000", "04000"):
        ys = sorted(
            {int(y) for y, c in zip(pop.year, pop.code, strict=True) if region_of.get(c) == reg}
        )
        years[reg] = ys
    denominators = [
        {
            "region": b.name(reg),
            "last": str(ys[-1]),
            "gaps": ", ".join(str(y) for y in range(2005, ys[-1]) if y not in ys) or "–",
        }
        for reg, ys in years.items()
    ]
    return {
        **_fixed_page(b, "methodology"),
        "title": _("Methodology"),
        "description": _(
            "Sources, definitions and methods of the barometer of social integration."
        ),
        "last_months": [
            {
                "label": b.t.measure(m),
                "month": b.t.month(b.lk.last_month[m]),
                "stable": meta.stable_after_months[m],
            }
            for m in MEASURES
        ],
        "extract_date": b.t.date(meta.extract_date),
        "synthetic": meta.synthetic,
        "reconciliation": rows,
        "denominators": denominators,
        "sources": [
            {"publisher": s.publisher, "licence": s.licence, "page": s.page, "file": s.file}
            for s in (b.model.canon.inputs.sources if b.model.canon.inputs else ())
        ],
    }


def data_page(b: PageBuilder) -> dict:
    _ = b._
    return {
        **_fixed_page(b, "data"),
        "title": _("Data and downloads"),
        "description": _(
            "Download every published figure of the barometer as CSV, with a Frictionless data package."
        ),
        "measures": [
            {"label": b.t.measure(m), "file": urls.measure_csv(m), "id": m} for m in MEASURES
        ],
        "entities": [
            {**b.link(c), "file": urls.entity_csv(c)}
            for c in sorted(
                b.lk.entities,
                key=lambda c: (
                    ["country", "region", "province", "arrondissement", "municipality"].index(
                        b.lk.entities[c]["level"]
                    ),
                    b.name(c).casefold(),
                ),
            )
            if c != HERSTAPPE
        ],
    }


def search_page(b: PageBuilder) -> dict:
    _ = b._
    return {
        **_fixed_page(b, "search"),
        "title": _("Search"),
        "description": _(
            "Search the municipalities, areas, measures and focus notes of the barometer."
        ),
        "index": "pagefind/",
        "home": urls.home(b.t.code),
        "wasm": True,  # Pagefind searches with WebAssembly
    }


def redirect_pages(b: PageBuilder) -> list[dict]:
    """Pages of former municipality codes that point to their successor."""
    out = []
    for f in b.lk.former:
        succ = f["code_2025"]
        name = _former_record_name(b, f)
        out.append(
            {
                "template": "redirect.html",
                "path": urls.former(f["code"], name, b.t.code),
                "title": name,
                "target": b.url(succ),
                "target_name": b.name(succ),
                "code": f["code"],
                "until": f["valid_to"],
            }
        )
    return out
