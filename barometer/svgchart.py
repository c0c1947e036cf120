"""Static charts drawn as SVG in Python: line charts, locator maps and choropleth maps.

Input:  the Vega-Lite spec of a chart (:func:`barometer.charts.evolution`,
        :func:`barometer.charts.locator`), which stays the one description of the chart (the
        interactive versions are still rendered by Vega in the browser).
Output: SVG text in the same conventions as the vl-convert renders (language-neutral, English
        number separators for :func:`barometer.charts.localise_svg`, no roles).

Why: a site has ~2,500 line charts, ~620 locator maps and ~50 choropleths; vl-convert needs
60-85 ms for a line chart or a locator and ~400 ms for a map (compiling Vega-Lite, running Vega),
Python draws one in a few milliseconds (and links the maps' areas to relative URLs, which
vl-convert resolves against a vega-datasets address). The scales follow
d3's rules (``ticks``, ``nice``, zero-based linear y, time x with ticks every 5 years, Mercator
fitted to the extent), and ``tests/test_svgchart.py`` compares tick labels, tick positions, line
vertices and the locator's position with vl-convert's renders of the same specs.

One deliberate difference: a monthly line is broken where months are missing (no claim received,
a gap in the series) instead of being joined across the gap — missing is not zero, and not a
straight line either.
"""

from __future__ import annotations

import math
from datetime import date
from functools import cached_property
from xml.sax.saxutils import escape

from barometer.charts import FONT, data_columns, one_decimal, strip_fraction

E10, E5, E2 = math.sqrt(50), math.sqrt(10), math.sqrt(2)
AXIS_COLOUR, GRID_COLOUR, LABEL_COLOUR = "#888", "#e6e6e6", "#333"
LABEL_SIZE = 11
PLOT_TOP, PLOT_BOTTOM, PLOT_SIDE = 16, 22, 3
"""A line chart's room above the plot (the top value label), below it (the years) and at its
sides (the lines' round ends), in pixels."""
EVENT_COLOUR = "#7a4d9e"
"""The dotted lines and numbers of the dated events (a colour no line has)."""
NARROW_YEARS = 6
"""A yearly axis with more labels than this shows every other one on a narrow screen."""


# --- scales (d3-array / d3-scale) ---------------------------------------------------------------


def tick_increment(start: float, stop: float, count: int) -> float:
    """d3.tickIncrement: a 1, 2 or 5 × 10^k step (negative = 1 / step for small steps)."""
    step = (stop - start) / max(0, count)
    power = math.floor(math.log10(step))
    error = step / 10**power
    factor = 10 if error >= E10 else 5 if error >= E5 else 2 if error >= E2 else 1
    return factor * 10**power if power >= 0 else -(10**-power) / factor


def ticks(start: float, stop: float, count: int) -> list[float]:
    """d3.ticks for start < stop: round values covering the interval, about ``count`` of them."""
    if not stop > start:
        return [start]
    inc = tick_increment(start, stop, count)
    if inc > 0:
        r0, r1 = math.ceil(start / inc), math.floor(stop / inc)
        return [i * inc for i in range(r0, r1 + 1)]
    inc = -inc
    r0, r1 = math.ceil(start * inc), math.floor(stop * inc)
    return [i / inc for i in range(r0, r1 + 1)]


def nice(start: float, stop: float, count: int = 10) -> tuple[float, float]:
    """d3 linear scale ``nice``: extend the domain to round values."""
    previous = None
    for _ in range(10):
        step = tick_increment(start, stop, count)
        if step == previous:
            break
        if step > 0:
            start, stop = math.floor(start / step) * step, math.ceil(stop / step) * step
        elif step < 0:
            start, stop = math.ceil(start * step) / step, math.floor(stop * step) / step
        else:
            break
        previous = step
    return start, stop


def label(value: float) -> str:
    """A tick label: trimmed decimals, English thousands separators (localised afterwards)."""
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _days(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


# --- compact path data ---------------------------------------------------------------------------

UNIT = 2
"""Path coordinates are written in half pixels, as whole numbers: marks are drawn in a group
``scale(.5)`` (:data:`HALF`), every coordinate to 0.25 px of its place — invisible — and a
line's step from one month to the next is a pair of small integers (``l5-3``): less than half
the bytes of absolute coordinates to 0.1 px."""
HALF = 'transform="scale(.5)"'


def _number_list(values: list[int]) -> str:
    """Numbers of a path's argument list, separated only where a sign does not separate them."""
    return " ".join(map(str, values)).replace(" -", "-")


def path_data(runs: list[list[tuple[float, float]]], close: bool = False) -> str:
    """Path data of polylines (``runs`` of points in pixels), in half pixels, relative after each
    start: ``M12 40l5-3 5 2…``; ``close`` closes each run (a ring)."""
    out = []
    for run in runs:
        if not run:
            continue
        pts = [(round(x * UNIT), round(y * UNIT)) for x, y in run]
        moves = []
        for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False):
            if (x1, y1) != (x0, y0):
                moves += [x1 - x0, y1 - y0]
        out.append("M" + _number_list(list(pts[0])))
        if moves:
            out.append("l" + _number_list(moves))
        if close:
            out.append("z")
    return "".join(out)


SIMPLIFY = 0.3
"""Line charts drop a point that lies within this many pixels of the line through its
neighbours (Ramer-Douglas-Peucker): invisible, and smooth stretches shrink to a few points."""


def simplify(
    points: list[tuple[float, float]], tolerance: float = SIMPLIFY
) -> list[tuple[float, float]]:
    """Ramer-Douglas-Peucker: the fewest points whose polyline is within ``tolerance`` of all."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        (x0, y0), (x1, y1) = points[lo], points[hi]
        dx, dy = x1 - x0, y1 - y0
        norm = math.hypot(dx, dy) or 1.0
        worst, at = 0.0, -1
        for k in range(lo + 1, hi):
            x, y = points[k]
            dist = abs(dy * (x - x0) - dx * (y - y0)) / norm
            if dist > worst:
                worst, at = dist, k
        if worst > tolerance:
            keep[at] = True
            stack += [(lo, at), (at, hi)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def decode_path(d: str) -> list[tuple[float, float]]:
    """The vertices (in pixels) of path data written by :func:`path_data` (for the tests)."""
    import re

    vertices: list[tuple[float, float]] = []
    x = y = 0
    for cmd, args in re.findall(r"([MlLz])([^MlLz]*)", d):
        nums = [int(n) for n in re.findall(r"-?[0-9]+", args)]
        for k in range(0, len(nums) - 1, 2):
            if cmd == "l":
                x, y = x + nums[k], y + nums[k + 1]
            else:
                x, y = nums[k], nums[k + 1]
            vertices.append((x / UNIT, y / UNIT))
    return vertices


# --- line chart ---------------------------------------------------------------------------------


def _fluid_root(width: int, height: int) -> str:
    """The root of a fluid drawing and the start of its style: no viewBox, the size it is shown
    at (``data-size``: the width it is drawn for and the height it needs), text in CSS pixels,
    strokes that do not scale."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="marks fluid" width="100%" height="100%"'
        f' data-size="{width}x{height}"'
        f' font-family="{escape(FONT, {chr(39): "&#39;"})}" font-size="{LABEL_SIZE}px">'
        "<style>path{vector-effect:non-scaling-stroke}"
    )


def line_chart(spec: dict) -> str:
    """The SVG of an evolution spec: lines by ``line`` (0 = the entity, drawn last, bold).

    The drawing is fluid: its root has no viewBox (``width``/``height`` 100 %, the size it is
    shown at is the image's), the plot is a nested SVG that stretches to the width it is given
    (``preserveAspectRatio="none"``, strokes that do not scale), and the labels are text in CSS
    pixels placed by percentage: at 360 px wide its labels are 11 px as at 1280 px, where a
    scaled drawing of 673 px would shrink them to about 5 px. The value labels sit above their
    grid lines inside the plot (no margin whose width would have to follow the labels').
    """
    width, height = spec["width"], spec["height"]
    inline = spec["data"]["values"]
    if isinstance(inline, str):
        cols = data_columns(spec)
    else:
        cols = {k: [v[k] for v in inline] for k in ("date", "line", "value") if inline}
        if inline and any("p" in v for v in inline):
            cols["p"] = [v.get("p", 0) for v in inline]
    dates, values = cols.get("date", []), cols.get("value", [])
    line_of = cols.get("line", [])
    part_of = cols.get("p") or [0] * len(dates)
    enc = spec["encoding"]
    colours = enc["color"]["scale"]["range"]
    widths = enc["strokeWidth"]["scale"]["range"]
    mark = spec["mark"]
    points = isinstance(mark, dict) and bool(mark.get("point"))

    ordinal: dict[str, int] = {}  # the lines share their dates
    days = [ordinal.get(d) or ordinal.setdefault(d, _days(d)) for d in dates]
    d0, d1 = (min(days), max(days)) if days else (0, 1)
    d1 = d1 if d1 > d0 else d0 + 1
    top = max(values, default=0.0)
    y0, y1 = nice(0.0, top if top > 0 else 1.0)

    def x(day: int) -> float:
        return (day - d0) / (d1 - d0) * width

    def y(v: float) -> float:
        return height - (v - y0) / (y1 - y0) * height

    first, last = date.fromordinal(d0), date.fromordinal(d1)
    step = 5 if last.year - first.year >= 10 else 1
    years = [
        yr for yr in range(first.year, last.year + 1) if yr % step == 0 and date(yr, 1, 1) >= first
    ]
    x_ticks = [(yr, x(date(yr, 1, 1).toordinal())) for yr in years]
    y_ticks = [(t, y(t)) for t in ticks(y0, y1, 5)]
    total = PLOT_TOP + height + PLOT_BOTTOM
    # the plot's box in half pixels, a little wider than the lines so that their round ends
    # at the first and last month are not cut
    box_x, box_w = -PLOT_SIDE * UNIT, (width + 2 * PLOT_SIDE) * UNIT

    def pct(px: float) -> str:
        return f"{(px * UNIT - box_x) / box_w * 100:.2f}".rstrip("0").rstrip(".") + "%"

    alternate = step == 1 and len(x_ticks) > NARROW_YEARS
    out = [
        _fluid_root(width + 2 * PLOT_SIDE, total)
        + ("@media (max-width:480px){.alt{display:none}}" if alternate else "")
        + "</style>",
        f'<svg y="{PLOT_TOP}" width="100%" height="{height}" viewBox="{box_x} 0 {box_w}'
        f' {height * UNIT}" preserveAspectRatio="none" overflow="visible" fill="none">',
        # grid: vertical at the year ticks, horizontal at the value ticks
        f'<path stroke="{GRID_COLOUR}" d="'
        + "".join(f"M{round(px * UNIT) + 1},0V{height * UNIT}" for _, px in x_ticks)
        + "".join(f"M0,{round(py * UNIT) + 1}H{width * UNIT}" for _, py in y_ticks)
        + '"/>',
        # axis line and tick marks
        f'<path stroke="{AXIS_COLOUR}" d="M0,{height * UNIT + 1}H{width * UNIT}'
        + "".join(f"M{round(px * UNIT) + 1},{height * UNIT}v{5 * UNIT}" for _, px in x_ticks)
        + '"/>',
    ]
    marks = [
        (n, x(day))
        for iso, n in spec.get("usermeta", {}).get("events", [])
        if d0 <= (day := _days(iso)) <= d1
    ]
    if marks:  # dated events: dotted lines under the lines, their numbers above the plot
        out.append(
            f'<path stroke="{EVENT_COLOUR}" stroke-dasharray="2 3" d="'
            + "".join(f"M{round(px * UNIT)},0V{height * UNIT}" for _, px in marks)
            + '"/>'
        )
    lines: dict[tuple[int, int], list[tuple[int, float]]] = {}
    for day, value, i, p in zip(days, values, line_of, part_of, strict=True):
        lines.setdefault((i, p), []).append((day, value))
    dash = " ".join(
        f"{d:g}" for d in enc.get("strokeDash", {}).get("scale", {}).get("range", [[], []])[1]
    )
    out.append('<g stroke-linejoin="round" stroke-linecap="round">')
    for i, p in sorted(lines, key=lambda k: (-k[0], k[1])):  # the entity (0) last, on top
        pts = sorted(lines[(i, p)])
        colour, stroke = colours[i % len(colours)], widths[i % len(widths)]
        if p:  # provisional months: dashed from the last stable point
            d = path_data([[(x(a), y(b)) for a, b in pts]])
            out.append(
                f'<path stroke="{colour}" stroke-width="{stroke:g}"'
                f' stroke-dasharray="{dash}" d="{d}"/>'
            )
            continue
        runs = [pts] if points else _runs(pts)
        d = path_data(
            [
                [(x(a), y(b)) for a, b in run]
                if points
                else simplify([(x(a), y(b)) for a, b in run])
                for run in runs
            ]
        )
        if d:
            out.append(f'<path stroke="{colour}" stroke-width="{stroke:g}" d="{d}"/>')
        dots = pts if points else [run[0] for run in runs if len(run) == 1]
        if dots:  # yearly points, and months standing alone between gaps: round ends of
            # zero-length segments (a circle would stretch with the plot)
            d = "".join(f"M{round(x(a) * UNIT)} {round(y(b) * UNIT)}h0" for a, b in dots)
            out.append(
                f'<path stroke="{colour}" stroke-width="{(5 if points else 2 * stroke):g}"'
                f' d="{d.replace(" -", "-")}"/>'
            )
    out.append("</g></svg>")
    if marks:
        out.append(f'<g fill="{EVENT_COLOUR}" font-weight="700" text-anchor="middle">')
        out += [f'<text x="{pct(px)}" y="{PLOT_TOP - 4}">{n}</text>' for n, px in marks]
        out.append("</g>")
    # labels: years under the axis, values above their grid lines at the left
    out.append(f'<g fill="{LABEL_COLOUR}">')
    for k, (yr, px) in enumerate(x_ticks):
        anchor = "start" if px < 1 else "end" if px > width - 1 else "middle"
        alt = ' class="alt"' if alternate and k % 2 else ""
        out.append(
            f'<text{alt} x="{pct(px)}" y="{PLOT_TOP + height + 16}" text-anchor="{anchor}">{yr}</text>'
        )
    for t, py in y_ticks:
        out.append(
            f'<text x="0" y="{one_decimal(PLOT_TOP + py - 4)}" stroke="#fff" stroke-width="3"'
            f' paint-order="stroke">{label(t)}</text>'
        )
    out.append("</g></svg>")
    return "".join(out)


def _runs(pts: list[tuple[int, float]]) -> list[list[tuple[int, float]]]:
    """Split a monthly line where a month is missing (more than 31 days between points)."""
    runs: list[list[tuple[int, float]]] = []
    for p in pts:
        if runs and p[0] - runs[-1][-1][0] <= 31:
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


# --- locator map ----------------------------------------------------------------------------------


class Projected:
    """A TopoJSON's polygons projected once (Mercator fitted to ``width`` × ``height``, as Vega's
    ``fit`` does) and written as SVG paths on demand."""

    def __init__(self, topology: dict, width: float, height: float) -> None:
        self.topology = topology
        transform = topology.get("transform")
        arcs = []
        for arc in topology["arcs"]:
            pts = []
            qx = qy = 0
            for dx, dy in arc:
                if transform:
                    qx, qy = qx + dx, qy + dy
                    lon = qx * transform["scale"][0] + transform["translate"][0]
                    lat = qy * transform["scale"][1] + transform["translate"][1]
                else:
                    lon, lat = dx, dy
                lam, phi = math.radians(lon), math.radians(lat)
                pts.append((lam, -math.log(math.tan(math.pi / 4 + phi / 2))))
            arcs.append(pts)
        xs = [p[0] for a in arcs for p in a]
        ys = [p[1] for a in arcs for p in a]
        x0, y0 = min(xs), min(ys)
        k = min(width / (max(xs) - x0), height / (max(ys) - y0))
        ox = (width - k * (max(xs) - x0)) / 2
        oy = (height - k * (max(ys) - y0)) / 2
        self.arcs = [[(ox + k * (px - x0), oy + k * (py - y0)) for px, py in a] for a in arcs]
        self.geometries = {
            (layer, g["id"]): g
            for layer, obj in topology["objects"].items()
            for g in obj["geometries"]
        }

    def _ring(self, ring: list[int]) -> str:
        pts: list[tuple[float, float]] = []
        for i in ring:
            part = self.arcs[i] if i >= 0 else self.arcs[~i][::-1]
            pts += part if not pts else part[1:]
        kept: list[tuple[float, float]] = []
        for p in pts:  # thin to half a pixel: invisible at this size, a fraction of the bytes
            if not kept or abs(p[0] - kept[-1][0]) + abs(p[1] - kept[-1][1]) >= 0.5:
                kept.append(p)
        if len(kept) < 3:
            return ""
        return path_data([kept], close=True)

    @cached_property
    def regions(self) -> str:
        """All regions: the outline every locator shares."""
        return self.path("regions")

    def path(self, layer: str, code: str | None = None) -> str:
        """The SVG path data of one geometry of ``layer``, or of all of them."""
        geoms = (
            [self.geometries[(layer, code)]]
            if code is not None
            else self.topology["objects"][layer]["geometries"]
        )
        out = []
        for g in geoms:
            polys = [g["arcs"]] if g["type"] == "Polygon" else g.get("arcs", [])
            out += [self._ring(ring) for poly in polys for ring in poly]
        return "".join(out)


_PROJECTIONS: dict[tuple[int, float, float], Projected] = {}


def _projected(topology: dict, width: float, height: float) -> Projected:
    """One projection per topology and size (the spec of every locator holds the same dict)."""
    key = (id(topology), width, height)
    proj = _PROJECTIONS.get(key)
    if proj is None or proj.topology is not topology:
        proj = _PROJECTIONS[key] = Projected(topology, width, height)
    return proj


def locator_map(spec: dict) -> str:
    """The SVG of a locator spec: the regions in outline, one entity filled."""
    width, height = spec["width"], spec["height"]
    regions, entity = spec["layer"]
    proj = _projected(regions["data"]["values"], width, height)
    layer = entity["data"]["format"]["feature"]
    code = entity["transform"][0]["filter"]["equal"]
    rm, em = regions["mark"], entity["mark"]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}">'
        f'<g {HALF} stroke-linejoin="round" fill-rule="evenodd">'
        f'<path fill="{rm["fill"]}" stroke="{rm["stroke"]}"'
        f' stroke-width="{rm["strokeWidth"] * UNIT:g}" d="{proj.regions}"/>'
        f'<path fill="{em["fill"]}" stroke="{em["stroke"]}"'
        f' stroke-width="{em["strokeWidth"] * UNIT:g}" d="{proj.path(layer, code)}"/>'
        "</g></svg>"
    )


def choropleth_map(spec: dict) -> str:
    """The SVG of a choropleth spec: every area grey, the areas with figures in their class
    colour (a link where the spec has one), the regions' borders on top."""
    width, height = spec["width"], spec["height"]
    base, classes, mesh = spec["layer"]
    proj = _projected(base["data"]["values"], width, height)
    layer = base["data"]["format"]["feature"]
    rows = classes["transform"][0]["from"]["data"]["values"]
    colours = classes["encoding"]["color"]["scale"]["range"]
    bm, cm, mm = base["mark"], classes["mark"], mesh["mark"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        f' class="marks" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<g {HALF} stroke-linejoin="round" fill-rule="evenodd">',
        f'<path fill="{bm["fill"]}" stroke="{bm["stroke"]}"'
        f' stroke-width="{bm["strokeWidth"] * UNIT:g}" d="{proj.path(layer)}"/>',
    ]
    for row in rows:
        if (layer, row["id"]) not in proj.geometries:
            continue
        shape = (
            f'<path fill="{colours[row["k"]]}" stroke="{cm["stroke"]}"'
            f' stroke-width="{cm["strokeWidth"] * UNIT:g}" d="{proj.path(layer, row["id"])}"/>'
        )
        if "href" in row:
            shape = f'<a xlink:href="{escape(row["href"], {chr(34): "&quot;"})}">{shape}</a>'
        out.append(shape)
    out.append(
        f'<path fill="none" stroke="{mm["stroke"]}" stroke-width="{mm["strokeWidth"] * UNIT:g}"'
        f' d="{proj.regions}"/></g></svg>'
    )
    return "".join(out)


STRIP_TOP, STRIP_BOTTOM = 2, 18
"""A strip's room above its ticks and below them (the axis labels), in pixels."""
STRIP_UNITS = 1000
"""A strip's ticks are placed on a grid of this many steps across its width."""


def strip_chart(spec: dict) -> str:
    """The SVG of a strip spec (:func:`barometer.charts.strip`): a tick per area at its rate,
    coloured by region, on a fluid drawing like :func:`line_chart` (labels 11 px at any width).
    A page marks an area on it at :func:`barometer.charts.strip_fraction` of its width."""
    height = spec["height"]
    lo, hi = spec["encoding"]["x"]["scale"]["domain"]
    colours = spec["encoding"]["color"]["scale"]["range"]
    opacity = spec["mark"]["opacity"]
    by_group: dict[int, set[int]] = {}
    for row in spec["data"]["values"]:
        x = round(strip_fraction(spec, row["v"]) * STRIP_UNITS)
        by_group.setdefault(row["g"], set()).add(x)
    total = STRIP_TOP + height + STRIP_BOTTOM
    out = [
        _fluid_root(spec["width"], total) + "</style>",
        f'<svg y="{STRIP_TOP}" width="100%" height="{height}" viewBox="0 0 {STRIP_UNITS} {height}"'
        f' preserveAspectRatio="none" overflow="visible" fill="none">',
        f'<path stroke="{AXIS_COLOUR}" d="M0 {height - 0.5}H{STRIP_UNITS}"/>',
    ]
    for g in sorted(by_group):
        d = "".join(f"M{x} 0v{height}" for x in sorted(by_group[g]))
        out.append(
            f'<path stroke="{colours[g % len(colours)]}" stroke-opacity="{opacity}" d="{d}"/>'
        )
    out.append(f'</svg><g fill="{LABEL_COLOUR}">')
    for t in ticks(lo, hi, spec["encoding"]["x"]["axis"]["tickCount"]):
        frac = (t - lo) / (hi - lo)
        anchor = "start" if frac < 0.01 else "end" if frac > 0.99 else "middle"
        out.append(
            f'<text x="{frac * 100:.2f}%" y="{STRIP_TOP + height + 14}"'
            f' text-anchor="{anchor}">{label(t)}</text>'
        )
    out.append("</g></svg>")
    return "".join(out)


def native_kind(spec: dict) -> str | None:
    """'line' or 'locator' for the specs this module draws, else None (→ vl-convert)."""
    return spec.get("usermeta", {}).get("native")


def native(spec: dict) -> str | None:
    """The SVG of a spec this module draws, else None."""
    kind = native_kind(spec)
    if kind == "line":
        return line_chart(spec)
    if kind == "locator":
        return locator_map(spec)
    if kind == "choropleth":
        return choropleth_map(spec)
    if kind == "strip":
        return strip_chart(spec)
    return None
