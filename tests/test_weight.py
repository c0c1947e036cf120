"""Page weight budgets (gzipped bytes of the built files; deterministic, so not a timed test).

A page type may exceed its budget by at most 10 % before this fails (issue #7):
a municipality page with its inline SVG 60 KB, the shared CSS and JavaScript together 350 KB,
the compare tool's data 375 KB a measure (its index and the measures' files together), the TopoJSON
400 KB.
"""

from __future__ import annotations

import gzip
import json

import pytest

from barometer import compare

pytestmark = pytest.mark.xdist_group("site")

KB = 1000
TOLERANCE = 1.10


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def test_municipality_pages_within_budget(built_site):
    site = built_site[0]
    pages = sorted((site / "nl/gemeente").glob("*/index.html"))
    sizes = {p.parent.name: gz(p.read_bytes()) for p in pages}
    biggest = max(sizes, key=sizes.get)
    assert sizes[biggest] <= 60 * KB * TOLERANCE, (biggest, sizes[biggest])
    assert sizes["44021-gent"] <= 60 * KB


def test_shared_css_and_javascript_within_budget(built_site):
    site = built_site[0]
    assets = [p for p in (site / "assets").iterdir() if p.suffix in (".css", ".js")]
    assert {p.name for p in assets} >= {"site.css", "app.js", "vega.js"}
    assert sum(gz(p.read_bytes()) for p in assets) <= 350 * KB * TOLERANCE


def test_compare_data_and_topojson_within_budget(built_site):
    site = built_site[0]
    measures = json.loads((site / compare.INDEX).read_bytes())["measures"]
    parts = [compare.INDEX, *(compare.series_file(m) for m in measures)]
    assert sum(gz((site / p).read_bytes()) for p in parts) <= 375 * KB * len(measures) * TOLERANCE
    assert gz((site / "data/belgium.topo.json").read_bytes()) <= 400 * KB * TOLERANCE
