"""Charts to SVG: every spec drawn once, in parallel, cached by the hash of its spec.

Input:  chart specs (:mod:`barometer.charts`) keyed by :class:`~barometer.vocabulary.ChartKey`.
Output: SVG text keyed by the chart's slug. Line charts and maps are drawn in Python
        (:mod:`barometer.svgchart`, a few milliseconds each, across the cores); the scatters are
        rendered by vl-convert through a cache (``data/cache/svg/``, by the sha256 of the spec).

SVGs are language-neutral: no titles or legends inside (those are HTML, in the page's language),
years on time axes, and numbers with English separators that :func:`localise_svg` rewrites for
nl/fr/de (2.5 → 2,5; 1,234 → 1.234 or 1 234). One drawing serves four languages.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from barometer.charts import one_decimal
from barometer.forked import STATE, pool, shared
from barometer.svgchart import native, native_kind
from barometer.vocabulary import LANGS, ChartKey
from barometer.write import sweep

log = logging.getLogger(__name__)

POOL_FROM = 32
"""Render in forked workers only from this many items: each worker starts vl-convert's JavaScript
runtime (about a second), more than a few renders in one process cost."""

_GEOMETRY = re.compile(r'\b(d|transform)="([^"]*)"')
_DECIMAL = re.compile(r"-?\d+\.\d+")


def minify_svg(svg: str) -> str:
    """Round path and transform coordinates to 0.1 px (a third of the bytes, invisible)."""
    return _GEOMETRY.sub(
        lambda m: (
            f'{m.group(1)}="{_DECIMAL.sub(lambda d: one_decimal(float(d.group(0))), m.group(2))}"'
        ),
        svg,
    )


_CLIP_ID = re.compile(r'(?<=id=")clip\d+(?=")|(?<=url\(#)clip\d+(?=\))')


def stable_ids(svg: str, stem: str) -> str:
    """Name vl-convert's clip paths after the chart: it numbers them with a counter of the
    process (``clip1`` in a fresh process, ``clip5`` after four renders), so the same chart came
    out in different bytes depending on what the process drew before; numbered within the chart
    they would collide between two charts of one page."""
    names: dict[str, str] = {}

    def rename(m: re.Match[str]) -> str:
        return names.setdefault(m.group(0), f"{stem}-{len(names) + 1}")

    return _CLIP_ID.sub(rename, svg)


def _render_one(spec_json: str) -> str:
    import vl_convert as vlc

    stem = "clip-" + hashlib.sha256(spec_json.encode()).hexdigest()[:8]
    return stable_ids(minify_svg(vlc.vegalite_to_svg(json.loads(spec_json))), stem)


def render_cached(
    items: dict[str, str],
    render_one,  # noqa: ANN001 - a picklable function: text → str | bytes
    cache_dir: Path | None,
    suffix: str,
    workers: int | None = None,
) -> dict[str, str | bytes]:
    """Render every item (key → source text) in parallel, each cached by the hash of its text."""
    binary = suffix.endswith(".png")
    if cache_dir is not None:
        sweep(cache_dir, ".tmp-")  # files a killed build was writing
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
        if n > 1 and len(keys) > POOL_FROM:
            with pool(n) as workers_:
                rendered = workers_.map(render_one, [todo[k] for k in keys], chunksize=16)
        else:
            rendered = [render_one(todo[k]) for k in keys]
        for key, result in zip(keys, rendered, strict=True):
            out[key] = result
            if cache_dir is not None:
                cache_dir.mkdir(parents=True, exist_ok=True)
                tmp = cache_dir / f".tmp-{os.getpid()}-{hashes[key]}{suffix}"
                if binary:
                    tmp.write_bytes(result)
                else:
                    tmp.write_text(result, encoding="utf-8")
                tmp.replace(cache_dir / f"{hashes[key]}{suffix}")
    log.info("rendered %d %s files (%d from cache)", len(todo), suffix, len(items) - len(todo))
    return out


def _draw(key: ChartKey) -> str:
    svg = native(STATE["specs"][key])
    assert svg is not None, f"{key.slug} is not drawn in Python"
    return svg


def render_svgs(
    specs: dict[ChartKey, dict], cache_dir: Path | None, workers: int | None = None
) -> dict[str, str]:
    """Every spec as SVG text, keyed by the chart's slug: line charts and maps drawn in Python
    (:mod:`barometer.svgchart`, a few milliseconds each, across the cores), the scatters
    rendered by vl-convert in parallel through the cache."""
    out: dict[str, str] = {}
    lines = [k for k, s in specs.items() if native_kind(s) in ("line", "choropleth", "strip")]
    for key, spec in specs.items():
        if native_kind(spec) == "locator":  # one projection shared by all: fastest here
            out[key.slug] = _draw_spec(spec)
    n = workers or os.cpu_count() or 1
    with shared(specs=specs):
        if n > 1 and len(lines) > 64:
            with pool(n) as workers_:
                drawn = workers_.map(_draw, lines, chunksize=64)
        else:
            drawn = [_draw(k) for k in lines]
    out.update((k.slug, svg) for k, svg in zip(lines, drawn, strict=True))
    log.info("drew %d line charts and maps", len(out))
    texts = {
        k.slug: json.dumps(s, sort_keys=True) for k, s in specs.items() if native_kind(s) is None
    }
    for slug, svg in render_cached(texts, _render_one, cache_dir, ".svg", workers).items():
        out[slug] = svg if isinstance(svg, str) else svg.decode("utf-8")
    return out


def _draw_spec(spec: dict) -> str:
    svg = native(spec)
    assert svg is not None
    return svg


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


_SIZE = re.compile(r'<svg[^>]*?\swidth="([0-9.]+)"[^>]*?\sheight="([0-9.]+)"')
_FLUID_SIZE = re.compile(r'<svg[^>]*?\sdata-size="([0-9]+)x([0-9]+)"')
"""A fluid chart (:func:`barometer.svgchart.line_chart`): no size of its own, the width it is
drawn for and the height it needs."""


@dataclass(frozen=True)
class ChartImage:
    """A chart published as an image file: its site path and size in CSS pixels."""

    path: str
    width: int
    height: int
    underlay: str | None = None
    """An image drawn under this one, shared by many charts (the locators' outline of
    Belgium: 6 of their 6.6 KB, once instead of 621 times)."""
    fluid: bool = False
    """Drawn for any width (its text does not scale): the page gives it the width of its
    column and its own height."""


_UNDERLAY = re.compile(r'(<g [^>]*>)(<path fill="#eef1f5"[^>]*/>)')
"""A locator's first mark: the regions in outline (the same in every locator)."""


def split_underlay(svg: str) -> tuple[str, str] | None:
    """(the outline alone, the SVG without it), or None when the SVG has no outline."""
    m = _UNDERLAY.search(svg)
    if m is None:
        return None
    below = svg[: m.start(2)] + svg[m.end(2) :]
    outline = svg[: m.end(2)] + svg[svg.index("</g>", m.end(2)) :]  # the marks after it dropped
    return outline, below


def chart_images(
    svgs: dict[str, str], keys: list[ChartKey]
) -> tuple[dict[str, str], dict[str, dict[str, ChartImage]]]:
    """The files of the charts pages show as images, and where each language finds each chart.

    A chart whose localised SVG is the same in every language (most: their labels are years and
    whole numbers) is one file, ``charts/<slug>.svg``; otherwise one file per distinct
    localisation, named after the first language that uses it (``charts/<slug>.nl.svg`` serves
    nl, fr and de when only the decimal comma differs from English). Returns (site path → SVG
    text, slug → language → image).
    """
    files: dict[str, str] = {}
    images: dict[str, dict[str, ChartImage]] = {}
    for key in keys:
        texts = {lang: localise_svg(svgs[key.slug], lang) for lang in LANGS}
        m = _FLUID_SIZE.search(texts["en"]) or _SIZE.search(texts["en"])
        if m is None:
            raise ValueError(f"chart {key.slug}: an SVG without width and height")
        width, height = round(float(m.group(1))), round(float(m.group(2)))
        underlay = None
        if key.kind == "locator" and (parts := split_underlay(texts["en"])) is not None:
            outline, area = parts  # a locator has no localised text: one drawing for all
            underlay = f"charts/outline-{hashlib.sha256(outline.encode()).hexdigest()[:10]}.svg"
            files[underlay] = outline
            texts = dict.fromkeys(texts, area)
        shared = len(set(texts.values())) == 1
        first_with: dict[str, str] = {}
        images[key.slug] = {}
        for lang, text in texts.items():
            owner = first_with.setdefault(text, lang)
            path = f"charts/{key.slug}.svg" if shared else f"charts/{key.slug}.{owner}.svg"
            files[path] = text
            images[key.slug][lang] = ChartImage(
                path, width, height, underlay, fluid=m.re is _FLUID_SIZE
            )
    return files, images


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
