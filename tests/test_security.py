"""What we publish cannot run code it should not: escaping, no inline script or handlers, CSP."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace

import pytest

from barometer.i18n import load_lang
from barometer.pages import navigation
from barometer.pages.builder import PageBuilder
from barometer.pages.entity import entity_page
from barometer.pages.types import SiteModel
from barometer.render import render_site
from barometer.vocabulary import LANGS

pytestmark = pytest.mark.xdist_group("site")

PAYLOAD = '<script>alert(1)</script>" onmouseover="alert(2)'


def test_a_hostile_municipality_name_is_escaped_everywhere(page_inputs):
    lk = page_inputs.lookups
    hostile = {**lk.entities["44021"], **dict.fromkeys(("name_nl", "name_fr", "name_de"), PAYLOAD)}
    inputs = replace(page_inputs, lookups=replace(lk, entities={**lk.entities, "44021": hostile}))
    b = PageBuilder(inputs, load_lang("nl"))
    pages = (entity_page(b, "44021"), entity_page(b, "44000"))
    site = SiteModel(
        pages={lang: pages if lang == "nl" else () for lang in LANGS},
        redirects=dict.fromkeys(LANGS, ()),
        nav={lang: navigation(PageBuilder(inputs, load_lang(lang))) for lang in LANGS},
    )
    files = render_site(
        site,
        defaultdict(lambda: "<svg></svg>"),
        base_url="https://example.github.io/barometer/",
        meta={"synthetic": True, "extract_date": "2026-11-02"},
        epoch=None,
    )
    html = "".join(data.decode() for path, data in files.items() if str(path).startswith("nl/"))
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # title, h1, links …
    assert "<script>alert" not in html
    assert 'onmouseover="alert' not in html


@pytest.fixture(params=["fast", pytest.param("full", marks=pytest.mark.slow)])
def site_root(request):
    """The fast fixture's site, and (slow) the full site."""
    if request.param == "fast":
        return request.getfixturevalue("fast_site").root
    return request.getfixturevalue("built_site")[0]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", re.I)
STYLE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
HTTP_LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']?http://""", re.I)
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def test_no_inline_script_style_handler_or_insecure_link_in_the_site(site_root):
    """Every page: a Content-Security-Policy without any 'unsafe-*' (no inline script or style,
    no eval, no WebAssembly), nothing it would block (inline scripts, handlers, style
    attributes, javascript: URLs), no plain-http link, and no referrer sent to other sites."""
    checked = 0
    for p in site_root.rglob("*.html"):
        html = p.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL, STYLE, HTTP_LINK):
            assert not pattern.search(html), (p, pattern.pattern, pattern.search(html))
        policy = CSP.search(html)
        assert policy, p
        assert "unsafe" not in policy.group(1), p
        directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
        assert directives["script-src"] == directives["style-src"] == "'self'", p
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert '<meta name="referrer" content="strict-origin-when-cross-origin">' in html, p
        checked += 1
    assert checked > 130  # the fast site: 140 pages


def test_the_stylesheet_has_a_class_for_every_colour_and_width(site_root):
    from barometer import charts

    css = (site_root / "assets/site.css").read_text(encoding="utf-8")
    for colour in charts.legend_colours():
        assert f".{charts.swatch(colour)}{{--c:{colour}}}" in css
    assert ".w-0{--w:0}" in css and ".w-100{--w:100}" in css
