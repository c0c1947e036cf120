"""Preview images (Open Graph / Twitter cards): one 1200×630 PNG per area, rendered at build time.

A card is an SVG made by a pure function — the area's name, its latest integration income per
1000 inhabitants, a sparkline of the monthly series, its locator map and, while the input is
synthetic, a "synthetic data" band — converted to PNG by vl-convert's resvg (fonts bundled, no
browser). Cards are language-neutral (one per area, shared by the four language versions): the name
is the local one (bilingual in Brussels) and the measure is named in Dutch, French and German.
PNGs are cached by the hash of their SVG like the charts (:func:`barometer.charts.render_cached`).
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 1200, 630
PNG_SCALE = 0.5
"""Cards are drawn at 1200×630 and saved at 600×315 (about a quarter of the bytes; the minimum
for a large Twitter card is 300×157 and Open Graph shows 600×315 sharply)."""
BLUE = "#0b3c8c"


def _sparkline(values: list[float], x: float, y: float, w: float, h: float) -> str:
    pts = [(i, v) for i, v in enumerate(values) if v == v]
    if len(pts) < 2:
        return ""
    lo = min(v for _, v in pts)
    hi = max(v for _, v in pts)
    span = (hi - lo) or 1.0
    n = max(len(values) - 1, 1)
    path = " ".join(
        f"{'M' if k == 0 else 'L'}{x + w * i / n:.1f},{y + h - h * (v - lo) / span:.1f}"
        for k, (i, v) in enumerate(pts)
    )
    return (
        f'<path d="{path}" fill="none" stroke="{BLUE}" stroke-width="4" stroke-linejoin="round"/>'
    )


def _fit(text: str, max_width: float, size: int) -> int:
    """A font size at which ``text`` fits ``max_width`` (average glyph ≈ 0.55 em)."""
    return int(min(size, max_width / max(1, 0.55 * len(text))))


def _nested(svg: str, x: float, y: float, w: float, h: float) -> str:
    """Place a rendered SVG (the locator map) inside the card."""
    m = re.search(r'viewBox="([^"]+)"', svg)
    view = m.group(1) if m else f"0 0 {w} {h}"
    inner = svg[svg.index(">") + 1 : svg.rindex("</svg>")]
    return f'<svg x="{x}" y="{y}" width="{w}" height="{h}" viewBox="{view}">{inner}</svg>'


def card_svg(
    *,
    name: str,
    level: str,
    value: str,
    month: str,
    measure: str,
    series: list[float],
    locator: str | None,
    synthetic: bool,
) -> str:
    """The SVG of one card. Every text argument is plain text (escaped here)."""
    size = _fit(name, 700 if locator else 1080, 76)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Liberation Sans, Arial, sans-serif">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<rect width="{WIDTH}" height="14" fill="{BLUE}"/>',
        f'<text x="60" y="82" font-size="30" fill="#444">{escape("Barometer · Baromètre · Barometer")}</text>',
        f'<text x="60" y="{150 + size // 2}" font-size="{size}" font-weight="bold" fill="{BLUE}">{escape(name)}</text>',
        f'<text x="60" y="{200 + size // 2}" font-size="28" fill="#555">{escape(level)}</text>',
        f'<text x="60" y="390" font-size="120" font-weight="bold" fill="#111">{escape(value)}<tspan font-size="60" font-weight="normal" dx="12">‰</tspan></text>',
        f'<text x="60" y="440" font-size="28" fill="#444">{escape(measure)}</text>',
        f'<text x="60" y="480" font-size="28" fill="#444">{escape(month)}</text>',
        _sparkline(series, 60, 500, 700, 56),
    ]
    if locator:
        parts.append(_nested(locator, 800, 150, 340, 272))
    if synthetic:
        parts.append(f'<rect y="{HEIGHT - 56}" width="{WIDTH}" height="56" fill="#fff3cd"/>')
        parts.append(
            f'<text x="{WIDTH - 40}" y="{HEIGHT - 18}" font-size="28" text-anchor="end" fill="#6b4e00">'
            f"{escape('SYNTHETIC DATA · DONNÉES SYNTHÉTIQUES · SYNTHETISCHE DATA')}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


PNG_COLOURS = 32
"""Colours of a card's palette: cards are flat (text, a line, a map in a few shades), so 32
colours look the same as full colour at a seventh of the bytes (≈ 9 kB instead of 60 kB)."""


def png(svg: str) -> bytes:
    """The card as a palette PNG (rendered by resvg through vl-convert, quantised by Pillow)."""
    import io

    import vl_convert as vlc
    from PIL import Image

    image = Image.open(io.BytesIO(vlc.svg_to_png(svg, scale=PNG_SCALE))).convert("RGB")
    quantised = image.quantize(
        colors=PNG_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    quantised.save(out, "PNG")  # optimize: 5 % fewer bytes for five times the time
    return out.getvalue()
