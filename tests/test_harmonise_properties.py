"""Property test: harmonised series equal the sum of predecessors, missing propagates."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from barometer.harmonise import to_2025
from tests.conftest import examples

MONTHS = ["2018-11", "2018-12", "2019-01", "2019-02"]


@st.composite
def scenario(draw):
    n_old = draw(st.integers(2, 6))
    old = [f"1{i:04d}" for i in range(n_old)]
    # before 2019: the old codes; from 2019: each old code merged into one of a few successors
    succ = {c: f"9{draw(st.integers(0, 2)):04d}" for c in old}
    rows = []
    for c in old:
        rows.append(
            {"code": c, "code_2025": succ[c], "valid_from": "2005-01", "valid_to": "2018-12"}
        )
    for s in sorted(set(succ.values())):
        rows.append({"code": s, "code_2025": s, "valid_from": "2019-01", "valid_to": "9999-12"})
    code_map = pd.DataFrame(rows)
    data = []
    for m in MONTHS:
        codes = old if m < "2019-01" else sorted(set(succ.values()))
        for c in codes:
            if draw(st.booleans()) or c.startswith("9"):
                v = draw(st.one_of(st.none(), st.integers(0, 50)))
                data.append({"measure": "ris", "month": m, "code": c, "total": v})
    df = pd.DataFrame(data, columns=["measure", "month", "code", "total"])
    df["total"] = df.total.astype("Int64")
    return code_map, df, succ


@settings(max_examples=examples(150), deadline=None)
@given(scenario())
def test_sums_of_predecessors(s):
    code_map, df, succ = s
    if df.empty:
        return
    out = to_2025(df, code_map, keys=["measure"], period="month", values=["total"]).set_index(
        ["month", "code"]
    )
    for m in MONTHS:
        for target in sorted(set(succ.values())):
            members = [c for c, t in succ.items() if t == target] if m < "2019-01" else [target]
            rows = df[(df.month == m) & df.code.isin(members)]
            key = (m, target)
            if rows.empty:
                assert key not in out.index  # nobody reported: no row at all (not a zero)
                continue
            complete = len(rows) == len(members) and rows.total.notna().all()
            got = out.loc[key, "total"]
            if complete:
                assert got == rows.total.sum()
            else:
                assert pd.isna(got)  # a partial sum is never published as complete
