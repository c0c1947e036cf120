"""Line charts and locator maps drawn in Python agree with vl-convert's renders of the same specs."""

from __future__ import annotations

import re

import pytest

from barometer import charts, svgchart
from barometer.chartrender import minify_svg
from barometer.pages.chartspecs import evolution_spec, gap_months
from barometer.vocabulary import ChartKey

pytestmark = pytest.mark.xdist_group("site")

_TEXT = re.compile(r'<text[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*>([^<]*)</text>')
_PAIR = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


_FLUID_TEXT = re.compile(r'<text[^>]* x="([-\d.]+)(%?)" y="([-\d.]+)"[^>]*>([^<]*)</text>')


def _labels(svg: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """(x-axis labels with their x, y-axis labels with their y) — y labels sit at x = -7."""
    found = [(t, float(x), float(y)) for x, y, t in _TEXT.findall(svg)]
    xs = [(t, x) for t, x, _ in found if x != -7]
    ys = [(t, y - 3) for t, x, y in found if x == -7]
    return xs, ys


def _fluid_labels(svg: str, width: int) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """The same from our fluid chart, in the plot's pixels at its nominal width: years placed by
    percentage of the plot's box, values 4 px above their grid line."""
    side, top = svgchart.PLOT_SIDE, svgchart.PLOT_TOP
    found = _FLUID_TEXT.findall(svg)
    below = top + 20  # the years are under the plot; event numbers above it are not labels
    xs = [
        (t, float(x) / 100 * (width + 2 * side) - side)
        for x, pc, y, t in found
        if pc and float(y) > below
    ]
    ys = [(t, float(y) - top + 4) for x, pc, y, t in found if not pc]
    return xs, ys


def _vertices(svg: str, colour: str) -> list[tuple[float, float]]:
    """Every vertex of the paths stroked in ``colour``, in pixels (ours: compact half-pixel path
    data in a group scaled by a half; Vega's: absolute coordinates)."""
    out = []
    for tag in re.findall(r"<path[^>]*>", svg):
        if f'stroke="{colour}"' in tag:
            d = re.search(r' d="([^"]*)"', tag).group(1)
            if "," in d:
                out += [(float(a), float(b)) for a, b in _PAIR.findall(d)]
            else:
                out += svgchart.decode_path(d)
    return out


def _distance_to_polyline(p: tuple[float, float], line: list[tuple[float, float]]) -> float:
    best = float("inf")
    for (x0, y0), (x1, y1) in zip(line, line[1:], strict=False):
        dx, dy = x1 - x0, y1 - y0
        t = (
            0.0
            if dx == dy == 0
            else max(0.0, min(1.0, ((p[0] - x0) * dx + (p[1] - y0) * dy) / (dx * dx + dy * dy)))
        )
        best = min(best, ((p[0] - x0 - t * dx) ** 2 + (p[1] - y0 - t * dy) ** 2) ** 0.5)
    return best


def test_ticks_and_nice_follow_d3():
    assert svgchart.ticks(0, 30, 5) == [0, 5, 10, 15, 20, 25, 30]
    assert svgchart.ticks(0, 1, 10) == [i / 10 for i in range(11)]
    assert svgchart.ticks(0, 150_000, 5) == [i * 20_000 for i in range(8)]
    assert svgchart.nice(0, 27.4) == (0, 28)
    assert svgchart.nice(0, 0.87) == (0, 0.9)
    assert svgchart.nice(0, 143_210) == (0, 160_000)
    assert [svgchart.label(v) for v in (0, 2.5, 0.35, 150_000)] == ["0", "2.5", "0.35", "150,000"]


def _gappy_municipality(lk) -> str:  # noqa: ANN001
    """A municipality whose integration-income series has a missing month inside it."""
    codes = sorted({c for c, m, _ in lk.gaps if m == "ris" and len(c) == 5 and c[2:] != "000"})
    assert codes, "the snapshot has municipalities with missing months"
    return codes[0]


@pytest.mark.parametrize("which", ["gent", "home", "gaps", "published"])
def test_line_charts_match_vega(page_inputs, which):
    import vl_convert as vlc

    lk = page_inputs.lookups
    if which == "published":
        spec = page_inputs.charts.specs[ChartKey("published", measure="ris")]
    else:
        codes = {
            "gent": ("44021", "44000", "40000", "02000", "01000"),
            "home": ("01000", "02000", "03000", "04000"),
            "gaps": (_gappy_municipality(lk), "01000"),
        }[which]
        spec = evolution_spec(lk, codes, "ris", gap_months(lk))
    native = svgchart.native(spec)
    vega = vlc.vegalite_to_svg(spec)

    (nx, ny), (vx, vy) = _fluid_labels(native, spec["width"]), _labels(vega)
    # the same values; ours group thousands (50,000, localised per language), Vega's ~r does not
    assert [t.replace(",", "") for t, _ in ny] == [t for t, _ in vy] and len(ny) >= 3
    for (_, a), (_, b_) in zip(ny, vy, strict=True):
        assert a == pytest.approx(b_, abs=0.6)
    assert [t for t, _ in nx] == [t for t, _ in vx] and len(nx) >= 3
    for (_, a), (_, b_) in zip(nx, vx, strict=True):
        assert a == pytest.approx(b_, abs=0.6)
    # the text is 11 px at any width: the root has no viewBox that would scale it
    assert 'width="100%"' in native and "viewBox" not in native[: native.index(">")]
    # the area's own line: the same vertices (Vega joins across a missing month, we break)
    main = charts.LINE_COLOURS[0]
    got, want = _vertices(native, main), _vertices(vega, main)
    if which == "published":  # Vega draws the points as separate symbols
        got = got[: len(want)]
    assert len(want) >= 5 and 2 <= len(got) <= len(want)
    # ours keeps fewer points (a point within 0.3 px of the line through its neighbours goes):
    # every point Vega draws is within 0.3 px (+ 0.25 px of half-pixel rounding) of our line,
    # and every point we keep is one of Vega's
    for p in want:
        assert _distance_to_polyline(p, got) <= 0.56, p
    for p in got:
        assert min(abs(p[0] - q[0]) + abs(p[1] - q[1]) for q in want) <= 0.5, p
    if which == "gaps":  # the line is broken where the month is missing
        d = re.search(
            f'<path stroke="{main}" stroke-width="[0-9.]+"[^>]* d="([^"]*)"', native
        ).group(1)
        assert d.count("M") > 1


def _box(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.parametrize(
    "code,layer",
    [
        ("44021", "municipalities"),
        ("63023", "municipalities"),  # Eupen, in the German-speaking east
        ("21000", "arrondissements"),  # Brussels: the hole in Flanders
        ("80000", "provinces"),  # Luxembourg
        ("03000", "regions"),
    ],
)
def test_locators_put_the_area_where_vega_does(canon, code, layer):
    """Relative to Belgium's outline, the filled area has the same extent (within 1 %)."""
    import vl_convert as vlc

    spec = charts.locator(canon.topology, code, layer)
    native, vega = svgchart.native(spec), vlc.vegalite_to_svg(spec)
    for svg in (native, vega):
        assert svg.count('fill="#0b3c8c"') == 1
    boxes = []
    for svg in (native, vega):
        outline = _box(_vertices(svg, "#8a94a6"))
        area = _box(_vertices(svg, "#0b3c8c"))
        w, h = outline[2] - outline[0], outline[3] - outline[1]
        boxes.append(
            [
                (area[0] - outline[0]) / w,
                (area[1] - outline[1]) / h,
                (area[2] - outline[0]) / w,
                (area[3] - outline[1]) / h,
            ]
        )
    assert boxes[0] == pytest.approx(boxes[1], abs=0.01)
    assert len(native) < len(minify_svg(vega))  # thinned to half a pixel


@pytest.mark.parametrize("layer", ["municipalities", "provinces"])
def test_choropleths_match_vega_and_link_relatively(canon, layer):
    import vl_convert as vlc

    geoms = canon.topology["objects"][layer]["geometries"]
    codes = sorted(g["id"] for g in geoms)[1:]  # the first has no data: grey
    classes = {c: i % len(charts.CLASS_COLOURS) for i, c in enumerate(codes)}
    links = {c: f"../../x/{c}/" for c in codes} if layer == "provinces" else None
    spec = charts.choropleth(canon.topology, classes, layer=layer, links=links)
    native, vega = svgchart.native(spec), vlc.vegalite_to_svg(spec)

    def fills(svg: str) -> dict[str, int]:
        found = re.findall(r'<path[^>]*fill="(#[0-9a-f]{6})"', svg)
        return {c: found.count(c) for c in set(found) if c in charts.CLASS_COLOURS}

    assert (
        fills(native)
        == fills(vega)
        == {
            colour: sum(1 for k in classes.values() if charts.CLASS_COLOURS[k] == colour)
            for colour in charts.CLASS_COLOURS
        }
    )
    assert _box(_vertices(native, "#ffffff")) == pytest.approx(
        _box(_vertices(vega, "#ffffff")), abs=0.6
    )
    if links:  # relative, as in the page (vl-convert resolves them against vega-datasets)
        assert sorted(re.findall(r'xlink:href="([^"]*)"', native)) == sorted(links.values())


def test_a_locator_is_published_over_one_shared_outline(fast_site):
    """The outline of Belgium is one file under every locator; the locator's own file holds only
    the area, and the two together are the drawing (same size, stacked by site.css)."""
    from barometer.chartrender import split_underlay

    srcs = []
    for page in ("en/municipality/11002-antwerpen", "fr/commune/58001-la-louviere"):
        html = fast_site.page(page)
        locator = html[html.index('<div class="locator"') :]
        locator = locator[: locator.index("</div>")]
        srcs.append(
            re.findall(r'<img src="\.\./\.\./\.\./([^"]+)" width="200" height="160"', locator)
        )
    assert [len(s) for s in srcs] == [2, 2]
    assert srcs[0][0] == srcs[1][0] and srcs[0][0].startswith("charts/outline-")
    outline = (fast_site.root / srcs[0][0]).read_text(encoding="utf-8")
    area = (fast_site.root / srcs[0][1]).read_text(encoding="utf-8")
    assert 'fill="#eef1f5"' in outline and 'fill="#0b3c8c"' not in outline
    assert 'fill="#0b3c8c"' in area and 'fill="#eef1f5"' not in area
    assert split_underlay(area) is None


def test_vl_convert_clip_ids_do_not_depend_on_what_the_process_drew_before():
    """vl-convert numbers clip paths with a process-wide counter: renamed after the chart, the
    same spec gives the same bytes however many charts came before, and two charts differ."""
    import json

    from barometer.chartrender import _render_one

    spec = {
        "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 3}]},
        "mark": {"type": "point", "clip": True},
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
    first = _render_one(json.dumps(spec))
    _render_one(json.dumps(spec | {"width": 99}))  # moves vl-convert's counter on
    again = _render_one(json.dumps(spec))
    assert first == again and 'clip-path="url(#clip-' in first
    other = _render_one(json.dumps(spec | {"width": 99}))
    ids = set(re.findall(r'id="(clip-[^"]+)"', first))
    assert ids and not ids & set(re.findall(r'id="(clip-[^"]+)"', other))
