"""Reader of the 565-municipality boundaries (GeoJSON, WGS84).

Input:  geo/belgium_municipalities_565_2025_derived.geojson (property ``nis``).
Output: a mapping 2025 code → shapely geometry, after checking that every 2025 municipality has
        exactly one valid (Multi)Polygon and that no other code is present.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import shapely
from shapely.geometry import shape

from barometer.errors import DataError, Problem
from barometer.sources.textio import NIS, decode_utf8, display_name, read_bytes

POLYGONAL = ("Polygon", "MultiPolygon")
_CODE = re.compile(NIS)


def read_boundaries(path: Path, codes_2025: set[str]) -> dict[str, shapely.Geometry]:
    name = display_name(path)
    data = read_bytes(path)
    if not data.strip():
        raise DataError(Problem(name, 0, "-", "a GeoJSON FeatureCollection", "an empty file"))
    text = decode_utf8(data, name)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(Problem(name, exc.lineno, "-", "valid JSON", exc.msg)) from None
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(doc.get("features"), list)
    ):
        raise DataError(
            Problem(
                name,
                1,
                "type",
                "a GeoJSON FeatureCollection",
                repr(doc.get("type") if isinstance(doc, dict) else doc)[:60],
            )
        )
    problems: list[Problem] = []
    geoms: dict[str, shapely.Geometry] = {}
    for i, feat in enumerate(doc["features"]):
        where = f"features[{i}]"
        props = feat.get("properties") or {}
        code = props.get("nis")
        if not (isinstance(code, str) and _CODE.fullmatch(code)):
            problems.append(
                Problem(name, 1, f"{where}.properties.nis", "a 5-digit REFNIS code", repr(code))
            )
            continue
        if code not in codes_2025:
            problems.append(
                Problem(name, 1, f"{where}.properties.nis", "a 2025 municipality code", code)
            )
            continue
        if code in geoms:
            problems.append(
                Problem(
                    name, 1, f"{where}.properties.nis", "each municipality once", f"{code} again"
                )
            )
            continue
        geom = feat.get("geometry") or {}
        if geom.get("type") not in POLYGONAL:
            problems.append(
                Problem(
                    name,
                    1,
                    f"{where}.geometry",
                    "a Polygon or MultiPolygon",
                    repr(geom.get("type")),
                )
            )
            continue
        try:
            g = shape(geom)
        except (ValueError, TypeError, AttributeError, IndexError) as exc:
            problems.append(Problem(name, 1, f"{where}.geometry", "valid coordinates", str(exc)))
            continue
        if g.is_empty or not g.is_valid:
            problems.append(
                Problem(
                    name,
                    1,
                    f"{where}.geometry",
                    f"a valid polygon for {code}",
                    shapely.is_valid_reason(g),
                )
            )
            continue
        geoms[code] = g
    for code in sorted(codes_2025 - set(geoms)):
        problems.append(
            Problem(
                name,
                1,
                "features",
                f"a geometry for every 2025 municipality, including {code}",
                "none",
            )
        )
    if problems:
        raise DataError(problems)
    return dict(sorted(geoms.items()))
