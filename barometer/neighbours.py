"""Neighbours and peers of every municipality.

Inputs:  the TopoJSON (municipalities layer), ENTITIES, POPULATION, INCOME.
Outputs: NEIGHBOURS: (code, kind, other, rank, distance) with kind ``neighbour`` (shares a
         border) or ``peer`` (one of the 10 most similar municipalities).

- Neighbours share at least one arc of the topology: a common stretch of border, not a single
  point. Arcs are shared exactly where the boundaries coincide after quantisation.
- Peers: the 10 municipalities of the same region closest in (log population, log average
  income per declaration), each axis divided by its standard deviation over all municipalities.
  Population: the latest 1 January available for each municipality; income: the latest income
  year. Herstappe (no OCMW, no figures) is never a peer. Ties are broken by code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import numpy as np
import pandas as pd

from barometer.schema import TableSchema
from barometer.vocabulary import HERSTAPPE

PEERS = 10

NEIGHBOURS = TableSchema(
    name="neighbours",
    columns={"code": "str", "kind": "str", "other": "str", "rank": "int", "distance": "float"},
    key=("code", "kind", "other"),
    sort=("code", "kind", "rank"),
    doc="neighbour: shares a border (rank by code, distance NaN); peer: rank 1-10 by distance",
)


def _arc_ids(arcs: list) -> Iterator[int]:
    for x in arcs:
        if isinstance(x, list):
            yield from _arc_ids(x)
        else:
            yield x if x >= 0 else ~x


def border_neighbours(topology: dict) -> dict[str, list[str]]:
    users: dict[int, set[str]] = defaultdict(set)
    for g in topology["objects"]["municipalities"]["geometries"]:
        for a in _arc_ids(g["arcs"]):
            users[a].add(g["id"])
    out: dict[str, set[str]] = defaultdict(set)
    for codes in users.values():
        for c in codes:
            out[c] |= codes - {c}
    return {c: sorted(v) for c, v in sorted(out.items())}


def similarity_features(
    entities: pd.DataFrame, population: pd.DataFrame, income: pd.DataFrame
) -> pd.DataFrame:
    munis = entities[entities.level == "municipality"].set_index("code")
    pop = population.sort_values("year").groupby("code").last()
    inc = income[income.year == income.year.max()].set_index("code")
    return pd.DataFrame(
        {
            "region": munis.region,
            "log_pop": np.log(pop.total.reindex(munis.index).astype("float64")),
            "log_income": np.log(inc.average_per_declaration.reindex(munis.index)),
        }
    )


def peers(features: pd.DataFrame, k: int = PEERS) -> pd.DataFrame:
    z = features[["log_pop", "log_income"]] / features[["log_pop", "log_income"]].std()
    rows = []
    for _region, grp in features.groupby("region"):
        codes = grp.index.to_numpy()
        x = z.loc[codes].to_numpy()
        d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(axis=2))
        candidates = codes != HERSTAPPE
        for i, code in enumerate(codes):
            ok = candidates & (codes != code) & np.isfinite(d[i])
            idx = np.flatnonzero(ok)
            order = idx[np.lexsort((codes[idx], d[i, idx]))][:k]
            rows += [(code, "peer", codes[j], r + 1, float(d[i, j])) for r, j in enumerate(order)]
    return pd.DataFrame(rows, columns=["code", "kind", "other", "rank", "distance"])


def neighbours_and_peers(
    topology: dict, entities: pd.DataFrame, population: pd.DataFrame, income: pd.DataFrame
) -> pd.DataFrame:
    nb = border_neighbours(topology)
    rows = [
        (c, "neighbour", o, r + 1, np.nan) for c, others in nb.items() for r, o in enumerate(others)
    ]
    border = pd.DataFrame(rows, columns=["code", "kind", "other", "rank", "distance"])
    out = pd.concat(
        [border, peers(similarity_features(entities, population, income))], ignore_index=True
    )
    out["rank"] = out["rank"].astype("int64")
    out["distance"] = out.distance.astype("float64")
    for c in ("code", "kind", "other"):
        out[c] = out[c].astype(str)
    return NEIGHBOURS.conform(out)
