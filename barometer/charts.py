"""Charts and maps as Vega-Lite specs: plain dicts built by pure functions (no I/O).

The specs are drawn as static SVG by :mod:`barometer.svgchart` (line charts and maps) or
vl-convert (the scatters) in :mod:`barometer.chartrender`, and re-rendered with tooltips by Vega
in the browser (:func:`interactive_spec`).

SVGs are language-neutral: no titles or legends inside (those are HTML, in the page's language),
years on time axes, and numbers rendered with English separators that ``localise_svg`` rewrites
for nl/fr/de (2.5 → 2,5; 1,234 → 1.234 or 1 234). One render serves four languages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from functools import cache

import altair as alt
import pandas as pd

log = logging.getLogger(__name__)

#: colour-blind-safe palette for lines (Okabe-Ito), the entity first in a dark blue
LINE_COLOURS = [
    "#0b3c8c",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#999999",
    "#000000",
]
#: ColorBrewer YlGnBu, 5 classes (colour-blind safe, sequential)
CLASS_COLOURS = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
NO_DATA = "#d4d4d4"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

CONFIG = {
    "aria": False,  # the page gives the chart its accessible name and data table, in its language
    "view": {"stroke": None},
    "font": FONT,
    "axis": {
        "labelFontSize": 11,
        "labelColor": "#333",
        "gridColor": "#e6e6e6",
        "domainColor": "#888",
        "tickColor": "#888",
    },
    "background": "transparent",
}


def _spec(chart: alt.TopLevelMixin) -> dict:
    spec = chart.to_dict()
    spec.pop("$schema", None)
    return spec


@cache
def _evolution_template(width: int, height: int) -> str:
    """The line chart built (and schema-validated) once by altair, with a placeholder for data."""
    chart = (
        alt.Chart(alt.Data(values=[{"date": "2005-01-01", "line": 0, "value": 0.0}]))
        .mark_line()
        .encode(
            x=alt.X(
                "date:T",
                title=None,
                axis=alt.Axis(format="%Y", tickCount={"interval": "year", "step": 5}, labelAngle=0),
            ),
            y=alt.Y("value:Q", title=None, axis=alt.Axis(format="~r", tickCount=5)),
            color=alt.Color(
                "line:N", legend=None, scale=alt.Scale(domain=[0], range=LINE_COLOURS[:1])
            ),
            strokeWidth=alt.StrokeWidth(
                "line:N", legend=None, scale=alt.Scale(domain=[0], range=[3])
            ),
            order=alt.Order("line:Q", sort="descending"),
        )
        .properties(width=width, height=height)
        .configure(**CONFIG)
    )
    return json.dumps(_spec(chart))


EVOLUTION_PARSE = {"date": "date", "line": "number", "value": "number"}
DASH = [5, 4]
"""Dashes of a line's provisional months (px)."""


def data_rows(spec: dict) -> list[dict]:
    """The rows of a spec's inline data as objects (parsing the CSV text of a line chart)."""
    values = spec["data"]["values"]
    if not isinstance(values, str):
        return values
    cols = data_columns(spec)
    return [dict(zip(cols, row, strict=True)) for row in zip(*cols.values(), strict=True)]


def data_columns(spec: dict) -> dict[str, list]:
    """The columns of a spec's inline CSV text (numbers parsed: whole ones as int)."""
    data = spec["data"]
    lines = data["values"].splitlines()
    fields = lines[0].split(",")
    numeric = {k for k, v in data["format"].get("parse", {}).items() if v == "number"}
    columns = list(zip(*(line.split(",") for line in lines[1:]), strict=True)) or [()] * len(fields)
    return {
        k: _numbers(col) if k in numeric else list(col)
        for k, col in zip(fields, columns, strict=True)
    }


def _numbers(texts: Sequence[str]) -> list[int | float]:
    try:
        return list(map(int, texts))
    except ValueError:
        return [int(x) if x.lstrip("-").isdigit() else float(x) for x in texts]


def evolution(
    rows: list[tuple[str, int, float]],
    *,
    width: int = 640,
    height: int = 220,
    points: bool = False,
    provisional: list[tuple[str, int, float]] | None = None,
    events: list[tuple[str, int]] | None = None,
) -> dict:
    """Monthly per 1000: one line per entity (``line`` in drawing order), the first bold.

    ``rows``: (period 'YYYY-MM', line (0 = the entity, 1… = comparisons), value).
    ``provisional``: rows of the months after the last stable one, drawn dashed from each line's
    last stable point (column ``p`` = 1 in the data; Vega-Lite's ``strokeDash``).
    ``events``: (day, number) of the dated events (:mod:`barometer.events`) to mark.
    Altair builds and validates the spec once (:func:`_evolution_template`); each chart only
    fills in its data and the line scales.
    """
    spec = json.loads(_evolution_template(width, height))
    n = max((r[1] for r in rows), default=0) + 1
    # inline CSV text: one string per chart instead of a dict per point (a build holds ~2,500
    # of these charts at once: ~70 MB instead of ~700 MB)
    if provisional:
        last = {i: (p, v) for p, i, v in sorted(rows)}
        dashed = {r[1] for r in provisional}
        joins = [(p, i, v) for i, (p, v) in last.items() if i in dashed]
        text = "date,line,value,p\n" + "".join(f"{p}-01,{i},{v!r},0\n" for p, i, v in rows)
        text += "".join(f"{p}-01,{i},{v!r},1\n" for p, i, v in sorted(joins + provisional))
        parse = {**EVOLUTION_PARSE, "p": "number"}
        spec["encoding"]["strokeDash"] = {
            "field": "p",
            "type": "nominal",
            "legend": None,
            "scale": {"domain": [0, 1], "range": [[1, 0], DASH]},
        }
    else:
        text = "date,line,value\n" + "".join(f"{p}-01,{i},{v!r}\n" for p, i, v in rows)
        parse = EVOLUTION_PARSE
    spec["data"] = {"values": text, "format": {"type": "csv", "parse": parse}}
    enc = spec["encoding"]
    enc["color"]["scale"] = {"domain": list(range(n)), "range": LINE_COLOURS[:n]}
    enc["strokeWidth"]["scale"] = {"domain": list(range(n)), "range": [3] + [1.5] * (n - 1)}
    if points:  # sparse periods (published yearly figures): show where the data are
        spec["mark"] = {"type": "line", "point": True}
    # drawn by barometer.svgchart (Vega ignores usermeta), with the dated events (day, number)
    # as numbered dotted lines: the pages list them
    spec["usermeta"] = {"native": "line", **({"events": events} if events else {})}
    return spec


def choropleth(
    topology: dict,
    values: dict[str, int],
    *,
    layer: str,
    width: int = 560,
    height: int = 460,
    links: dict[str, str] | None = None,
    tooltips: dict[str, tuple[str, float]] | None = None,
) -> dict:
    """A map of one layer: ``values`` maps a code to a class index (0-4); absent = no data (grey).

    ``tooltips`` (code → (name, value)) travel in the data for the interactive version; the
    static SVG does not show them.

    With ``links`` (code → URL), every shape is a link (Vega ``href``), for maps that lead to
    the next level.
    """
    rows = [
        {
            "id": code,
            "k": k,
            **({"href": links[code]} if links and code in links else {}),
            **(
                {"n": tooltips[code][0], "v": round(tooltips[code][1], 2)}
                if tooltips and code in tooltips
                else {}
            ),
        }
        for code, k in sorted(values.items())
    ]
    spec: dict = {
        "usermeta": {"native": "choropleth"},  # the static SVG is drawn by barometer.svgchart
        "width": width,
        "height": height,
        "projection": {"type": "mercator"},
        "layer": [
            {
                "data": {"values": topology, "format": {"type": "topojson", "feature": layer}},
                "mark": {
                    "type": "geoshape",
                    "fill": NO_DATA,
                    "stroke": "#ffffff",
                    "strokeWidth": 0.3,
                },
            },
            {
                "data": {"values": topology, "format": {"type": "topojson", "feature": layer}},
                "transform": [
                    {
                        "lookup": "id",
                        "from": {
                            "data": {"values": rows},
                            "key": "id",
                            "fields": ["k"]
                            + (["href"] if links else [])
                            + (["n", "v"] if tooltips else []),
                        },
                    },
                    {"filter": "datum.k != null"},
                ],
                "mark": {
                    "type": "geoshape",
                    "stroke": "#ffffff",
                    "strokeWidth": 0.3 if layer == "municipalities" else 0.8,
                    **({"cursor": "pointer"} if links else {}),
                },
                "encoding": {
                    "color": {
                        "field": "k",
                        "type": "ordinal",
                        "legend": None,
                        "scale": {
                            "domain": list(range(len(CLASS_COLOURS))),
                            "range": CLASS_COLOURS,
                        },
                    },
                    **({"href": {"field": "href", "type": "nominal"}} if links else {}),
                },
            },
            {
                "data": {"values": topology, "format": {"type": "topojson", "mesh": "regions"}},
                "mark": {"type": "geoshape", "fill": None, "stroke": "#333333", "strokeWidth": 0.8},
            },
        ],
        "config": CONFIG,
    }
    return spec


def locator(topology: dict, code: str, layer: str, *, width: int = 200, height: int = 160) -> dict:
    """Belgium's regions in outline with one entity filled: where is it?"""
    return {
        "usermeta": {"native": "locator"},  # drawn by barometer.svgchart
        "width": width,
        "height": height,
        "projection": {"type": "mercator"},
        "layer": [
            {
                "data": {"values": topology, "format": {"type": "topojson", "feature": "regions"}},
                "mark": {
                    "type": "geoshape",
                    "fill": "#eef1f5",
                    "stroke": "#8a94a6",
                    "strokeWidth": 0.7,
                },
            },
            {
                "data": {"values": topology, "format": {"type": "topojson", "feature": layer}},
                "transform": [{"filter": {"field": "id", "equal": code}}],
                "mark": {
                    "type": "geoshape",
                    "fill": "#0b3c8c",
                    "stroke": "#0b3c8c",
                    "strokeWidth": 0.8,
                },
            },
        ],
        "config": CONFIG,
    }


#: regions in the scatters (Okabe-Ito: Flanders, Wallonia, Brussels)
REGION_COLOURS = ["#0072b2", "#d55e00", "#009e73"]


def swatch(colour: str) -> str:
    """The class that paints a legend's swatch in ``colour`` (``c-0b3c8c``): colours come from a
    stylesheet, not from style attributes (the Content-Security-Policy has no 'unsafe-inline')."""
    return "c-" + colour.lstrip("#").lower()


def legend_colours() -> list[str]:
    """Every colour a legend may show (the stylesheet has a class for each)."""
    return list(dict.fromkeys([*LINE_COLOURS, *REGION_COLOURS, *CLASS_COLOURS, NO_DATA]))


#: fixed padding around a scatter's plot area (autosize none): the plot origin is at (left, top)
SCATTER_PADDING = {"left": 56, "top": 10, "right": 24, "bottom": 28}


def scatter(
    points: list[tuple[float, float, int]],
    trend: list[tuple[float, float]],
    *,
    x_domain: tuple[float, float],
    y_domain: tuple[float, float],
    y_log: bool,
    y_format: str,
    y_ticks: list[float] | None = None,
    width: int = 640,
    height: int = 400,
) -> dict:
    """Dots (x, y, region index) coloured by region, and the fitted trend as a dashed line.

    Both scales have explicit domains (no 'nice', no zero) so that :func:`scatter.position`
    knows where every dot lands.
    """
    x_enc = {
        "field": "x",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": list(x_domain), "nice": False, "zero": False},
        "axis": {"format": ",.0f", "tickCount": 6, "labelFlush": True},
    }
    y_scale: dict = {"domain": list(y_domain), "nice": False, "zero": False}
    if y_log:
        y_scale["type"] = "log"
    y_axis: dict = {"format": y_format, "labelFlush": True}
    if y_ticks:
        y_axis["values"] = y_ticks
    y_enc = {"field": "y", "type": "quantitative", "title": None, "scale": y_scale, "axis": y_axis}
    return {
        "width": width,
        "height": height,
        "autosize": {"type": "none"},
        "padding": dict(SCATTER_PADDING),
        "layer": [
            {
                "data": {"values": [{"x": x, "y": y, "g": g} for x, y, g in points]},
                "mark": {"type": "circle", "size": 22, "opacity": 0.75, "clip": True},
                "encoding": {
                    "x": x_enc,
                    "y": y_enc,
                    "color": {
                        "field": "g",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": [0, 1, 2], "range": REGION_COLOURS},
                    },
                },
            },
            {
                "data": {"values": [{"x": x, "y": y} for x, y in trend]},
                "mark": {
                    "type": "line",
                    "color": "#222222",
                    "strokeDash": [6, 4],
                    "strokeWidth": 1.5,
                    "clip": True,
                },
                "encoding": {"x": x_enc, "y": y_enc},
            },
        ],
        "config": CONFIG,
    }


def strip(
    values: list[tuple[float, int]],
    domain: tuple[float, float],
    *,
    width: int = 640,
    height: int = 26,
) -> dict:
    """Every municipality's rate as a tick on one axis, coloured by region (``values``: rate,
    region index): where an area stands among all. The x ``domain`` is explicit so that a page
    can mark a rate on it."""
    return {
        "width": width,
        "height": height,
        "data": {"values": [{"v": v, "g": g} for v, g in values]},
        "mark": {"type": "tick", "opacity": 0.5, "thickness": 1},
        "encoding": {
            "x": {
                "field": "v",
                "type": "quantitative",
                "title": None,
                "scale": {"domain": list(domain), "nice": False},
                "axis": {"tickCount": 5},
            },
            "color": {
                "field": "g",
                "type": "nominal",
                "legend": None,
                "scale": {"domain": [0, 1, 2], "range": REGION_COLOURS},
            },
        },
        "usermeta": {"native": "strip"},
    }


def strip_fraction(spec: dict, value: float) -> float:
    """Where ``value`` lies across a strip (:func:`strip`), from 0 (left) to 1 (right): its
    ticks and the marks a page draws over it."""
    lo, hi = spec["encoding"]["x"]["scale"]["domain"]
    return min(max((value - lo) / (hi - lo), 0.0), 1.0)


def quantile_classes(values: dict[str, float], k: int = 5) -> tuple[dict[str, int], list[float]]:
    """Quantile classes (equal numbers of entities per class); breaks rounded to 2 significant digits.

    Returns the class of each code (values that are NaN are left out: no data) and the k+1 breaks.
    """
    s = pd.Series(values, dtype="float64").dropna()
    if s.empty:
        return {}, []
    qs = s.quantile([i / k for i in range(k + 1)]).to_list()
    breaks = [float(f"{q:.2g}") if q else 0.0 for q in qs]
    breaks[0], breaks[-1] = float(s.min()), float(s.max())
    inner = sorted(set(breaks[1:-1]))
    classes = {code: int(sum(v >= b for b in inner)) for code, v in s.items()}
    return classes, [breaks[0], *inner, breaks[-1]]


def one_decimal(v: float) -> str:
    """An SVG coordinate to 0.1 px, shortest form ("12", "12.5", never "-0")."""
    text = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def interactive_spec(spec: dict) -> str:
    """The spec a browser re-renders with tooltips: the topology by URL instead of inline, and
    line-chart data as row objects (the tooltips add to them)."""
    doc = dict(spec)
    if "layer" in doc:
        doc["layer"] = [_topology_by_url(layer) for layer in doc["layer"]]
    if isinstance(doc.get("data", {}).get("values"), str):
        doc["data"] = {"values": data_rows(doc)}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _topology_by_url(layer: dict) -> dict:
    data = layer.get("data", {})
    values = data.get("values")
    if not (isinstance(values, dict) and values.get("type") == "Topology"):
        return layer
    rest = {k: v for k, v in data.items() if k != "values"}
    return {**layer, "data": {**rest, "url": "../data/belgium.topo.json"}}
