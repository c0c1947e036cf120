"""Charts and maps: altair → Vega-Lite specs, pre-rendered to SVG with vl-convert.

Specs are plain dicts built by pure functions (no I/O). ``render_svgs`` renders many specs in
parallel across the cores and caches each SVG by the sha256 of its spec (``data/cache/svg/``),
so an unchanged chart is never rendered twice.

SVGs are language-neutral: no titles or legends inside (those are HTML, in the page's language),
years on time axes, and numbers rendered with English separators that ``localise_svg`` rewrites
for nl/fr/de (2.5 → 2,5; 1,234 → 1.234 or 1 234). One render serves four languages.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from functools import cache
from pathlib import Path

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


def data_rows(spec: dict) -> list[dict]:
    """The rows of a spec's inline data as objects (parsing the CSV text of a line chart)."""
    data = spec["data"]
    values = data["values"]
    if not isinstance(values, str):
        return values
    lines = values.splitlines()
    fields = lines[0].split(",")
    numeric = {k for k, v in data["format"].get("parse", {}).items() if v == "number"}
    return [
        {
            k: (int(x) if x.lstrip("-").isdigit() else float(x)) if k in numeric else x
            for k, x in zip(fields, line.split(","), strict=True)
        }
        for line in lines[1:]
    ]


def evolution(
    rows: list[tuple[str, int, float]],
    *,
    width: int = 640,
    height: int = 220,
    points: bool = False,
) -> dict:
    """Monthly per 1000: one line per entity (``line`` in drawing order), the first bold.

    ``rows``: (period 'YYYY-MM', line (0 = the entity, 1… = comparisons), value).
    Altair builds and validates the spec once (:func:`_evolution_template`); each chart only
    fills in its data and the line scales.
    """
    spec = json.loads(_evolution_template(width, height))
    n = max((r[1] for r in rows), default=0) + 1
    # inline CSV text: one string per chart instead of a dict per point (a build holds ~2,500
    # of these charts at once: ~70 MB instead of ~700 MB)
    spec["data"] = {
        "values": "date,line,value\n" + "".join(f"{p}-01,{i},{v!r}\n" for p, i, v in rows),
        "format": {"type": "csv", "parse": EVOLUTION_PARSE},
    }
    enc = spec["encoding"]
    enc["color"]["scale"] = {"domain": list(range(n)), "range": LINE_COLOURS[:n]}
    enc["strokeWidth"]["scale"] = {"domain": list(range(n)), "range": [3] + [1.5] * (n - 1)}
    if points:  # sparse periods (published yearly figures): show where the data are
        spec["mark"] = {"type": "line", "point": True}
    spec["usermeta"] = {"native": "line"}  # drawn by barometer.svgchart (Vega ignores usermeta)
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


# --- rendering ----------------------------------------------------------------------------------


_GEOMETRY = re.compile(r'\b(d|transform)="([^"]*)"')
_DECIMAL = re.compile(r"-?\d+\.\d+")


def one_decimal(v: float) -> str:
    """An SVG coordinate to 0.1 px, shortest form ("12", "12.5", never "-0")."""
    text = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def minify_svg(svg: str) -> str:
    """Round path and transform coordinates to 0.1 px (a third of the bytes, invisible)."""
    return _GEOMETRY.sub(
        lambda m: (
            f'{m.group(1)}="{_DECIMAL.sub(lambda d: one_decimal(float(d.group(0))), m.group(2))}"'
        ),
        svg,
    )


def _render_one(spec_json: str) -> str:
    import vl_convert as vlc

    return minify_svg(vlc.vegalite_to_svg(json.loads(spec_json)))


def render_cached(
    items: dict[str, str],
    render_one,  # noqa: ANN001 - a picklable function: text → str | bytes
    cache_dir: Path | None,
    suffix: str,
    workers: int | None = None,
) -> dict[str, str | bytes]:
    """Render every item (key → source text) in parallel, each cached by the hash of its text."""
    binary = suffix.endswith(".png")
    out: dict[str, str | bytes] = {}
    todo: dict[str, str] = {}
    hashes = {k: hashlib.sha256(v.encode()).hexdigest()[:24] for k, v in items.items()}
    for key in items:
        path = cache_dir / f"{hashes[key]}{suffix}" if cache_dir else None
        if path is not None and path.is_file():
            out[key] = path.read_bytes() if binary else path.read_text(encoding="utf-8")
        else:
            todo[key] = items[key]
    if todo:
        n = workers or min(len(todo), os.cpu_count() or 1)
        keys = list(todo)
        if n > 1 and len(keys) > 4:
            from barometer.forked import pool

            with pool(n) as workers_:
                rendered = workers_.map(render_one, [todo[k] for k in keys], chunksize=16)
        else:
            rendered = [render_one(todo[k]) for k in keys]
        for key, result in zip(keys, rendered, strict=True):
            out[key] = result
            if cache_dir is not None:
                cache_dir.mkdir(parents=True, exist_ok=True)
                tmp = cache_dir / f".{hashes[key]}{suffix}.part"
                if binary:
                    tmp.write_bytes(result)
                else:
                    tmp.write_text(result, encoding="utf-8")
                tmp.replace(cache_dir / f"{hashes[key]}{suffix}")
    log.info("rendered %d %s files (%d from cache)", len(todo), suffix, len(items) - len(todo))
    return out


def _draw(key: str) -> str:
    from barometer.forked import STATE
    from barometer.svgchart import native

    return native(STATE["specs"][key])  # type: ignore[return-value]


def render_svgs(
    specs: dict[str, dict], cache_dir: Path | None, workers: int | None = None
) -> dict[str, str]:
    """Every spec (key → spec) as SVG text: line charts and maps drawn in Python
    (:mod:`barometer.svgchart`, a few milliseconds each, across the cores), the scatters
    rendered by vl-convert in parallel through the cache."""
    from barometer.forked import pool, shared
    from barometer.svgchart import native, native_kind

    out: dict[str, str] = {}
    lines = [k for k, s in specs.items() if native_kind(s) in ("line", "choropleth")]
    for key, spec in specs.items():
        if native_kind(spec) == "locator":  # one projection shared by all: fastest here
            out[key] = native(spec)  # type: ignore[assignment]
    n = workers or os.cpu_count() or 1
    with shared(specs=specs):
        if n > 1 and len(lines) > 64:
            with pool(n) as workers_:
                out.update(zip(lines, workers_.map(_draw, lines, chunksize=64), strict=True))
        else:
            out.update((k, _draw(k)) for k in lines)
    log.info("drew %d line charts and maps", len(out))
    texts = {k: json.dumps(s, sort_keys=True) for k, s in specs.items() if native_kind(s) is None}
    out.update(render_cached(texts, _render_one, cache_dir, ".svg", workers))  # type: ignore[arg-type]
    return out


_TEXT = re.compile(r"(<text[^>]*>)([^<]*)(</text>)")
_NUMBER = re.compile(r"^[−\-]?[\d.,]+%?$")
SEPARATORS = {"en": (",", "."), "nl": (".", ","), "de": (".", ","), "fr": ("\u202f", ",")}


_ROLE = re.compile(r' (?:role|aria-roledescription|aria-label)="[^"]*"')


def accessible_svg(svg: str) -> str:
    """Hide a chart's SVG from assistive technology: the figure around it (role="img" with a
    one-sentence summary, plus the data table) is its text alternative. Vega's own roles and
    descriptions are dropped, and links inside maps leave the tab order (the same pages are
    linked in the HTML)."""
    svg = _ROLE.sub("", svg)
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return svg.replace("<a ", '<a tabindex="-1" ')


def localise_svg(svg: str, lang: str) -> str:
    """Rewrite the separators of numeric labels (rendered in English) for a language; make the
    SVG presentational (:func:`accessible_svg`)."""
    svg = accessible_svg(svg)
    if lang == "en":
        return svg
    thousands, decimal = SEPARATORS[lang]

    def swap(m: re.Match[str]) -> str:
        text = m.group(2)
        if not _NUMBER.match(text):
            return m.group(0)
        text = text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)
        return m.group(1) + text + m.group(3)

    return _TEXT.sub(swap, svg)
