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


def test_no_inline_script_handler_or_javascript_url_in_the_site(built_site):
    site = built_site[0]
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    js_url = re.compile(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", re.I)
    csp = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')
    checked = 0
    for p in site.rglob("*.html"):
        html = p.read_text(encoding="utf-8")
        assert not inline_script.search(html), p
        assert not handler.search(html), p
        assert not js_url.search(html), p
        policy = csp.search(html)
        assert policy, p
        directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
        assert directives["script-src"].startswith("'self'"), p
        assert (
            "unsafe-inline" not in directives["script-src"]
            and "'unsafe-eval'" not in directives["script-src"]
        )
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        checked += 1
    assert checked > 2700
