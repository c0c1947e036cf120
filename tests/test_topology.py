"""The four-layer TopoJSON: every 2025 code once, light, and drawable by d3-geo."""

from __future__ import annotations

import json

import shapely

from barometer.topology import topology_json


def _decode(topo, obj):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(idx):
        pts = []
        for i in idx:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts += part if not pts else part[1:]
        return pts

    out = {}
    for g in topo["objects"][obj]["geometries"]:
        polys = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        out[g["id"]] = [[ring(r) for r in poly] for poly in polys]
    return out


def test_layers_and_codes(canon):
    objs = canon.topology["objects"]
    ent = canon.entities
    for layer, level in [
        ("municipalities", "municipality"),
        ("arrondissements", "arrondissement"),
        ("provinces", "province"),
        ("regions", "region"),
    ]:
        ids = [g["id"] for g in objs[layer]["geometries"]]
        assert len(ids) == len(set(ids))
        assert sorted(ids) == sorted(ent.loc[ent.level == level, "code"])


def test_size_under_400_kb(canon):
    assert len(topology_json(canon.topology).encode()) < 400_000


def test_winding_is_what_d3_expects(canon):
    """Exterior rings clockwise, holes counter-clockwise, in every layer (else a map fills the globe)."""
    for layer in canon.topology["objects"]:
        for code, polys in _decode(canon.topology, layer).items():
            for poly in polys:
                for k, ring in enumerate(poly):
                    assert shapely.LinearRing(ring).is_ccw == (k > 0), (layer, code, k)


def test_areas_match_the_source(canon, snapshot):
    src = json.loads(
        (snapshot / "geo/belgium_municipalities_565_2025_derived.geojson").read_text(
            encoding="utf-8"
        )
    )
    source_area = {
        f["properties"]["nis"]: shapely.geometry.shape(f["geometry"]).area for f in src["features"]
    }
    munis = _decode(canon.topology, "municipalities")
    for code in ("44021", "21004", "23106", "13002"):
        area = sum(shapely.Polygon(p[0], p[1:]).area for p in munis[code])
        assert abs(area - source_area[code]) / source_area[code] < 0.01
    regions = _decode(canon.topology, "regions")
    flanders = sum(shapely.Polygon(p[0], p[1:]).area for p in regions["02000"])
    expected = sum(
        a for c, a in source_area.items() if canon.entities.set_index("code").region[c] == "02000"
    )
    assert abs(flanders - expected) / expected < 0.005
    # Brussels is a hole in the Flemish Region, not a sliver that was dropped
    assert any(len(p) > 1 for p in regions["02000"])
