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
from barometer.sources.textio import (
    LIMIT_PER_CHECK,
    NIS,
    display_name,
    load_json,
    read_bytes,
)

POLYGONAL = ("Polygon", "MultiPolygon")
_CODE = re.compile(NIS)


def read_boundaries(path: Path, codes_2025: set[str]) -> dict[str, shapely.Geometry]:
    """Read the boundaries; every feature of another shape than expected is a problem, not a crash.

    A feature that is ``null``, whose ``properties`` is not an object or whose ``geometry`` is not
    a GeoJSON geometry object is reported with the line of the feature and its index.
    """
    name = display_name(path)
    data = read_bytes(path)
    if not data.strip():
        raise DataError(Problem(name, 0, "-", "a GeoJSON FeatureCollection", "an empty file"))
    doc = load_json(data, name)
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
                "a GeoJSON FeatureCollection with a list of features",
                repr(doc.get("type") if isinstance(doc, dict) else type(doc).__name__),
            )
        )
    text = data.decode("utf-8")
    problems: list[tuple[int, str, str, str]] = []  # (feature index, column, expected, found)
    geoms: dict[str, shapely.Geometry] = {}
    for i, feat in enumerate(doc["features"]):
        where = f"features[{i}]"
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            problems.append((i, where, "a GeoJSON Feature object", _kind(feat)))
            continue
        props = feat.get("properties")
        if not isinstance(props, dict):
            problems.append((i, f"{where}.properties", "an object", _kind(props)))
            continue
        code = props.get("nis")
        if not (isinstance(code, str) and _CODE.fullmatch(code)):
            problems.append((i, f"{where}.properties.nis", "a 5-digit REFNIS code", repr(code)))
            continue
        if code not in codes_2025:
            problems.append((i, f"{where}.properties.nis", "a 2025 municipality code", code))
            continue
        if code in geoms:
            problems.append(
                (i, f"{where}.properties.nis", "each municipality once", f"{code} again")
            )
            continue
        geom = feat.get("geometry")
        if not isinstance(geom, dict) or geom.get("type") not in POLYGONAL:
            found = repr(geom.get("type")) if isinstance(geom, dict) else _kind(geom)
            problems.append((i, f"{where}.geometry", "a Polygon or MultiPolygon object", found))
            continue
        try:
            g = shape(geom)
        except Exception as exc:  # noqa: BLE001 - shapely raises many kinds for bad coordinates
            problems.append((i, f"{where}.geometry", "valid coordinates", f"{type(exc).__name__}"))
            continue
        if g.is_empty or not g.is_valid:
            problems.append(
                (i, f"{where}.geometry", f"a valid polygon for {code}", shapely.is_valid_reason(g))
            )
            continue
        geoms[code] = g
    out = []
    if problems:
        lines = _feature_lines(text)
        out = [
            Problem(name, lines.get(i, 1), column, expected, found)
            for i, column, expected, found in problems
        ]
    for code in sorted(codes_2025 - set(geoms)):
        out.append(
            Problem(
                name,
                1,
                "features",
                f"a geometry for every 2025 municipality, including {code}",
                "none",
            )
        )
    if out:
        raise DataError(out[:LIMIT_PER_CHECK], max(0, len(out) - LIMIT_PER_CHECK))
    return dict(sorted(geoms.items()))


def _kind(value: object) -> str:
    """How a JSON value is named in a message."""
    if value is None:
        return "null"
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    for t, word in kinds.items():
        if isinstance(value, t):
            return f"{word} {json.dumps(value)[:40]}" if t in (str, bool) else word
    return f"a number {value!r}"


def _feature_lines(text: str) -> dict[int, int]:
    """Feature index → the line where it starts (only computed when there are problems).

    Steps over the top-level ``features`` array element by element with the JSON decoder, so a
    pretty-printed file gets each feature's own line and a one-line file line 1.
    """
    out: dict[int, int] = {}
    m = re.search(r'"features"\s*:\s*\[', text)
    if m is None:
        return out
    decoder = json.JSONDecoder()
    pos, i = m.end(), 0
    seen, line = 0, 1
    space = re.compile(r"[\s,]*")
    try:
        while True:
            pos = space.match(text, pos).end()  # type: ignore[union-attr]
            if pos >= len(text) or text[pos] == "]":
                return out
            line += text.count("\n", seen, pos)
            seen = pos
            out[i] = line
            _, pos = decoder.raw_decode(text, pos)
            i += 1
    except (ValueError, RecursionError):
        return out
