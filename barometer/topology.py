"""One simplified TopoJSON with municipalities, arrondissements, provinces and regions.

Input:  2025 code → municipal geometry (validated), ENTITIES (the hierarchy).
Output: a TopoJSON dict with four objects (``municipalities``, ``arrondissements``,
        ``provinces``, ``regions``); each geometry has ``id`` = its REFNIS code. Higher levels are
        dissolved from the municipalities, so borders coincide and arcs are shared.

The source map has hairline gaps between some neighbours; dissolving turns them into tiny
holes. Holes smaller than ``SLIVER_DEG2`` are dropped: the smallest real hole at these levels is
the Brussels-Capital Region inside the Flemish Region and Vlaams-Brabant (about 0.02 deg²).
"""

from __future__ import annotations

import json

import pandas as pd
import shapely
import topojson
from shapely.geometry import mapping

QUANTIZATION = 1e5
"""Grid of the TopoJSON (1e5 steps over Belgium's ~4° extent ≈ 3 m)."""
SLIVER_DEG2 = 5e-4
"""Interior rings smaller than this (≈ 3.5 km²) are dissolve artefacts, not enclaves."""

LAYERS = {
    "municipalities": "municipality",
    "arrondissements": "arrondissement",
    "provinces": "province",
    "regions": "region",
}


def _drop_slivers(g: shapely.Geometry) -> shapely.Geometry:
    polys = list(g.geoms) if g.geom_type == "MultiPolygon" else [g]
    kept = [
        shapely.Polygon(
            p.exterior, [r for r in p.interiors if shapely.Polygon(r).area >= SLIVER_DEG2]
        )
        for p in polys
        if p.area >= SLIVER_DEG2 / 50 or len(polys) == 1
    ]
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


def dissolve(
    geoms: dict[str, shapely.Geometry], entities: pd.DataFrame
) -> dict[str, dict[str, shapely.Geometry]]:
    """Geometries per layer: municipalities as given, higher levels as unions of their members."""
    munis = entities[entities.level == "municipality"].set_index("code")
    layers: dict[str, dict[str, shapely.Geometry]] = {"municipalities": dict(geoms)}
    for layer, level in list(LAYERS.items())[1:]:
        groups = munis.groupby(level).groups
        layers[layer] = {
            code: _drop_slivers(shapely.union_all([geoms[m] for m in members]))
            for code, members in sorted(groups.items())
            if code
        }
    return layers


def build_topology(geoms: dict[str, shapely.Geometry], entities: pd.DataFrame) -> dict:
    """Build, quantise and simplify the four-layer TopoJSON; deterministic for equal inputs."""
    layers = dissolve(geoms, entities)
    # d3-geo (Vega's renderer) reads rings on the sphere: exteriors must run clockwise, or a
    # polygon is taken as "everything but" its outline and fills the whole map
    features = [
        {
            "type": "Feature",
            "properties": {"layer": layer, "code": code},
            "geometry": mapping(shapely.orient_polygons(g, exterior_cw=True)),
        }
        for layer, items in layers.items()
        for code, g in items.items()
    ]
    # the source is already generalised (GISCO 1:1M, ~17k points): quantise, do not simplify
    topo = topojson.Topology(
        {"type": "FeatureCollection", "features": features}, prequantize=QUANTIZATION
    )
    text = topo.to_json()
    assert text is not None, "topojson returns the document when no file is given"
    doc = json.loads(text)
    (collection,) = doc["objects"].values()
    objects: dict[str, dict] = {
        layer: {"type": "GeometryCollection", "geometries": []} for layer in LAYERS
    }
    for geom in collection["geometries"]:
        props = geom.pop("properties")
        geom["id"] = props["code"]
        objects[props["layer"]]["geometries"].append(geom)
    doc["objects"] = objects
    _fix_winding(doc)
    return doc


def _ring_area2(doc: dict, ring: list[int], arcs: list[list[tuple[int, int]]]) -> int:
    """Twice the signed area of a ring in quantised units (exact integer arithmetic)."""
    pts: list[tuple[int, int]] = []
    for i in ring:
        part = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts += part if not pts else part[1:]
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:], strict=False))


def _fix_winding(doc: dict) -> None:
    """Make exteriors clockwise and holes counter-clockwise, as d3-geo requires.

    The topojson package builds one arc for a ring shared whole by two polygons (an enclave:
    Linter inside Zoutleeuw, Amel inside Sankt Vith, …) and references it the same way from
    both, so one side comes out reversed. Reversing a ring in TopoJSON = reversed arc list with
    every index complemented.
    """
    arcs = []
    for arc in doc["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x, y))
        arcs.append(pts)
    for obj in doc["objects"].values():
        for geom in obj["geometries"]:
            polys = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
            for poly in polys:
                for k, ring in enumerate(poly):
                    clockwise = _ring_area2(doc, ring, arcs) < 0
                    if clockwise != (k == 0):
                        poly[k] = [~i for i in reversed(ring)]


def topology_json(doc: dict) -> str:
    """Compact, key-sorted JSON text (byte-identical for identical input)."""
    return json.dumps(doc, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
