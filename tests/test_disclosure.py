"""Disclosure control on generated small geographies (hypothesis; no snapshot): a reader's attack
(tests/disclosure_attack.py) on the published table, read back from the CSV writer, recovers no
hidden cell and no small unpublished month (issue 16).

The geographies are where the greedy pass is most stressed: levels with a single member (a region
with one arrondissement, a province with one arrondissement), municipalities of one to three
people a month, categories that are empty all year, missing claims, and a year whose months are
partly published (the last 12 months start in October of the first year).
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from barometer import compare, disclosure, paths
from barometer.beneficiaries import BENEFICIARIES_WIDE, derive
from barometer.canonical import Canonical
from barometer.catalogue import load_catalogue
from barometer.export import to_csv_bytes
from barometer.geography import ENTITIES
from barometer.indicators import compute_indicators
from barometer.population import POPULATION
from barometer.sources.extract import ExtractMeta
from barometer.vocabulary import COUNT_COLUMNS, GROUPS
from tests.conftest import examples
from tests.disclosure_attack import attack

MONTHS = [f"{y}-{m:02d}" for y in (2019, 2020) for m in range(1, 13)]


def geography(rng: np.random.Generator) -> pd.DataFrame:
    """Belgium; a region with 1-2 provinces of 1-2 arrondissements; a region with a single
    arrondissement and no province (as Brussels); 1-3 municipalities per arrondissement."""
    rows = [{"code": "01000", "level": "country", "parent": ""}]
    rows += [
        {"code": r, "level": "region", "parent": "01000", "region": r} for r in ("02000", "04000")
    ]
    arrs: list[tuple[str, str, str]] = [("21000", "", "04000")]
    for p in range(int(rng.integers(1, 3))):
        prov = f"{p + 3}0000"
        rows.append(
            {
                "code": prov,
                "level": "province",
                "parent": "02000",
                "province": prov,
                "region": "02000",
            }
        )
        for a in range(int(rng.integers(1, 3))):
            arrs.append((f"{p + 3}{a + 1}000", prov, "02000"))
    munis = []
    for arr, prov, reg in arrs:
        rows.append(
            {
                "code": arr,
                "level": "arrondissement",
                "parent": prov or reg,
                "arrondissement": arr,
                "province": prov,
                "region": reg,
            }
        )
        for k in range(int(rng.integers(1, 4))):
            code = f"{arr[:2]}{k + 1:03d}"
            munis.append(code)
            rows.append(
                {
                    "code": code,
                    "level": "municipality",
                    "parent": arr,
                    "arrondissement": arr,
                    "province": prov,
                    "region": reg,
                }
            )
    df = pd.DataFrame(rows).fillna("")
    for c in ("name_nl", "name_fr", "name_de"):
        df[c] = df.code
    df["predecessors"] = ""
    df["formed"] = ""
    order = {"country": 0, "region": 1, "province": 2, "arrondissement": 3, "municipality": 4}
    df = df.assign(o=df.level.map(order)).sort_values(["o", "code"]).drop(columns="o")
    return ENTITIES.conform(df)


def make_canon(seed: int) -> Canonical:
    """A small random canonical input: tiny and skewed counts, missing claims, three measures
    and DIS derived from two of them."""
    rng = np.random.default_rng(seed)
    entities = geography(rng)
    munis = entities.loc[entities.level == "municipality", "code"].tolist()
    rows = []
    for measure in ("eris", "ris", "empl_dis"):
        size = {c: rng.choice([0, 1, 2, 3, 6, 20, 80]) for c in munis}
        for month in MONTHS:
            for code in munis:
                base = {"measure": measure, "month": month, "municipality_2025": code}
                if rng.random() < 0.04:
                    rows.append(base | dict.fromkeys(COUNT_COLUMNS, pd.NA))
                    continue
                total = int(rng.poisson(size[code]))
                row = base | {"total": total}
                for cols in GROUPS.values():
                    # skewed: some categories are empty most of the time
                    p = rng.dirichlet(np.full(len(cols), 0.4))
                    row.update(dict(zip(cols, map(int, rng.multinomial(total, p)), strict=True)))
                rows.append(row)
    wide = pd.DataFrame(rows)
    for c in COUNT_COLUMNS:
        wide[c] = wide[c].astype("Int64")
    for c in ("measure", "month", "municipality_2025"):
        wide[c] = wide[c].astype(str)
    catalogue = load_catalogue(paths.MEASURES_TOML)
    wide = derive(
        BENEFICIARIES_WIDE.conform(wide),
        {"dis": ("ris", "empl_dis")},
        {"dis": catalogue.get("dis").groups},
    )
    pop = pd.DataFrame(
        [
            {"year": y, "code": c, "men": pd.NA, "women": pd.NA, "total": 5000, "source": "test"}
            for c in munis
            for y in (2019, 2020)
        ]
    )
    for c in ("men", "women", "total"):
        pop[c] = pop[c].astype("Int64")
    pop["year"] = pop.year.astype("int64")
    pop["code"] = pop.code.astype(str)
    pop["source"] = pop.source.astype(str)
    meta = ExtractMeta(
        synthetic=True,
        publisher="test",
        extract_date="2021-01-05",
        first_month="2019-01",
        last_month="2020-12",
        measures={"ris": {}, "eris": {}, "empl_dis": {}},
        stable_after_months={"ris": 2, "eris": 3, "empl_dis": 2},
    )
    return Canonical(
        meta=meta,
        entities=entities,
        code_map=pd.DataFrame(),
        population=POPULATION.conform(pop),
        income=pd.DataFrame(),
        beneficiaries_wide=wide,
        published_totals=pd.DataFrame(),
        topology={},
        catalogue=catalogue,
    )


def published(canon: Canonical) -> pd.DataFrame:
    """The indicator table as a reader gets it: written by the CSV writer and read back."""
    table = compute_indicators(canon).table
    return pd.read_csv(io.BytesIO(to_csv_bytes(table)), dtype=str, keep_default_na=False)


def parents(canon: Canonical) -> dict[str, str]:
    return dict(zip(canon.entities.code, canon.entities.parent.fillna(""), strict=True))


@settings(
    max_examples=examples(15),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # a seed does not shrink
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.integers(0, 2**32 - 1))
def test_a_reader_recovers_no_hidden_cell(seed):
    canon = make_canon(seed)
    table = published(canon)
    result = attack(table, parents(canon), derived=canon.catalogue.derived())
    assert result.relations["year"] > 0 and result.relations["geography"] > 0
    assert result.relations["derived"] > 0
    assert (result.cells.state == "unpublished").any()  # a year with partly published months
    recovered = result.recovered()
    assert recovered.empty, recovered.head(10).to_string()
    small = result.recovered_unpublished_small()
    assert small.empty, small.head(10).to_string()
    # totals are never hidden; hidden cells carry no value; their shares are hidden with them
    values = pd.to_numeric(table.value, errors="coerce")
    hidden = table.flag.str.contains("suppressed")
    assert not hidden[table.dimension == "total"].any()
    assert values[hidden].isna().all()
    counts = table[(table.indicator == "count") & (table.dimension != "total")]
    key = ["geo_code", "measure", "period_type", "period", "dimension", "category"]
    shares = table[table.indicator == "share"].set_index(key)
    hidden_keys = counts[counts.flag.str.contains("suppressed")].set_index(key).index
    assert shares.loc[hidden_keys].flag.str.contains("suppressed").all()


def test_published_annual_averages_have_one_decimal():
    table = published(make_canon(7))
    year = table[(table.period_type == "year") & (table.indicator == "count") & (table.value != "")]
    decimals = year.value.str.partition(".")[2].str.len()
    assert len(year) > 100 and decimals.max() == 1  # averages of months are rarely whole


def _old_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The suppression before issue 16: primary cells and one complementary cell per group."""

    def within_groups(yearly, monthly, unpublished, parents, headline, derived):  # noqa: ANN001, ANN202, ARG001
        def mask(frame: pd.DataFrame) -> pd.DataFrame:
            out = {}
            for cols in GROUPS.values():
                v = frame[list(cols)].to_numpy(dtype="float64", na_value=np.nan)
                m = disclosure.primary(v)
                single = m.sum(axis=1) == 1
                cand = np.where(m | np.isnan(v), np.inf, v)
                best = np.argmin(cand, axis=1)
                rows = np.flatnonzero(single & np.isfinite(cand.min(axis=1)))
                m[rows, best[rows]] = True
                out.update({c: m[:, j] for j, c in enumerate(cols)})
            return pd.DataFrame(out, index=frame.index)[list(disclosure.CELL_COLUMNS)]

        return disclosure.Protection(yearly=mask(yearly), monthly=mask(monthly))

    monkeypatch.setattr("barometer.indicators.protect", within_groups)


def test_the_attack_breaks_the_rule_that_protected_each_group_on_its_own(monkeypatch):
    """The attack has teeth: on the rule this issue replaced, it recovers hidden cells."""
    _old_rule(monkeypatch)
    found = 0
    for seed in range(3):
        canon = make_canon(seed)
        found += len(attack(published(canon), parents(canon)).recovered())
    assert found > 0


def test_protection_is_deterministic_and_reports_its_work():
    canon = make_canon(11)
    a, b = compute_indicators(canon), compute_indicators(canon)
    pd.testing.assert_frame_equal(a.table, b.table)
    rep = a.report["disclosure"]
    assert rep["primary"] > 0 and rep["complementary"] > 0 and rep["audit_rounds"] >= 1


def test_families_of_measures_are_protected_alone_with_the_same_cells(monkeypatch):
    """No relation joins two families (DIS with its components; eris alone), so forked workers
    protect them one by one: the same table as one process."""
    assert disclosure.families(
        ["eris", "ris", "empl_dis", "dis"], {"dis": ("ris", "empl_dis")}
    ) == [
        ["eris"],
        ["ris", "empl_dis", "dis"],
    ]
    canon = make_canon(3)
    alone = compute_indicators(canon)
    monkeypatch.setattr(disclosure, "PARALLEL_FROM", 0)  # workers even for a small table
    forked = compute_indicators(canon)
    pd.testing.assert_frame_equal(alone.table, forked.table)
    assert forked.report["disclosure"] == alone.report["disclosure"]
    assert alone.report["disclosure"]["complementary"] > 0


def test_complementary_cells_prefer_small_municipal_counts():
    """A lone hidden municipal cell whose arrondissement is published is protected by hiding a
    second municipality, not the arrondissement (cheaper: lower level)."""
    cols = list(disclosure.CELL_COLUMNS)

    def frame(rows):  # noqa: ANN001, ANN202
        f = pd.DataFrame(rows)
        for c in cols:
            f[c] = f.get(c, 0.0)
        return f

    base = {"measure": "ris", "period": "2020-01", "year": 2020}
    # m1 has 2 men and 8 women; m2 6 and 4; m3 30 and 30: the arrondissement 38 and 42
    rows = []
    for code, level, m, f in (
        ("11000", "arrondissement", 38, 42),
        ("11001", "municipality", 2, 8),
        ("11002", "municipality", 6, 4),
        ("11003", "municipality", 30, 30),
    ):
        r = base | {"geo_code": code, "geo_level": level, "total": m + f, "sex_m": m, "sex_f": f}
        r["n_missing"] = 0
        r |= {c: 0.0 for c in cols if not c.startswith("sex")}
        r["age_lt25"] = r["nat_be"] = r["hh_single"] = m + f
        rows.append(r)
    monthly = frame(rows)
    yearly = monthly.iloc[:0].assign(months=[], published_months=[])
    prot = disclosure.protect(
        yearly,
        monthly,
        monthly.iloc[:0],
        parents={"11001": "11000", "11002": "11000", "11003": "11000", "11000": ""},
        headline={"ris": "2020-02"},
    )
    hidden = prot.monthly.set_index(monthly.geo_code)[["sex_m", "sex_f"]]
    # m1: men (2) primary, women (8) its complement in the group; the arrondissement's men and
    # women each have one hidden member: the cheapest other municipality's (m2: 6 and 4)
    assert hidden.loc["11001"].tolist() == [True, True]
    assert hidden.loc["11002"].tolist() == [True, True]
    assert hidden.loc["11003"].tolist() == [False, False]
    assert hidden.loc["11000"].tolist() == [False, False]


def test_a_derived_measure_is_a_relation_between_measures():
    """DIS = integration income + employment, cell by cell: with DIS and the integration income
    published, a hidden employment cell would be their difference; protection must hide a
    second cell of that relation (and the audit must find nothing left)."""
    cols = list(disclosure.CELL_COLUMNS)
    parts = {"ris": (20, 30), "empl_dis": (3, 7)}
    parts["dis"] = (23, 37)
    rows = []
    for measure, (m, f) in parts.items():
        r = {"measure": measure, "period": "2020-01", "year": 2020, "geo_code": "01000"}
        r |= {"geo_level": "country", "total": m + f, "sex_m": m, "sex_f": f, "n_missing": 0}
        r |= {c: 0.0 for c in cols if not c.startswith("sex")}
        r["age_lt25"] = r["nat_be"] = r["hh_single"] = m + f
        rows.append(r)
    monthly = pd.DataFrame(rows)
    yearly = monthly.iloc[:0].assign(months=[], published_months=[])

    def hidden(derived):  # noqa: ANN001, ANN202
        prot = disclosure.protect(
            yearly,
            monthly,
            monthly.iloc[:0],
            parents={"01000": ""},
            headline=dict.fromkeys(parts, "2020-01"),
            derived=derived,
        )
        return prot.monthly.set_index(monthly.measure)[["sex_m", "sex_f"]]

    alone = hidden({})  # the old rule: each measure on its own
    assert alone.loc["empl_dis"].tolist() == [True, True]
    assert not alone.loc["ris"].any() and not alone.loc["dis"].any()  # 23 − 20 = 3 revealed
    joined = hidden({"dis": ("ris", "empl_dis")})
    for col in ("sex_m", "sex_f"):
        in_relation = joined[col]
        assert in_relation["empl_dis"] and in_relation.sum() >= 2, joined


def test_compare_data_keeps_annual_averages_to_one_decimal():
    assert compare.YEAR_SCALE == 10
    entry = compare.encode_entity(
        months={"2020-01": 0},
        years={"2020": 0},
        pop={"2020": 1000.0},
        monthly=(["2020-01"], [3.0], [3.0]),
        yearly=(["2020"], [2.3], [2.3]),
        cells={},
    )
    assert entry["y"] == [23]
    doc = {
        "months": ["2020-01"],
        "years": ["2020"],
        "share_months": [],
        "share_years": [],
        "pop": {"x": [1000]},
        "series": {"ris": {"x": entry}},
    }
    assert compare.decode(doc, "ris", "x")["year"]["count"] == [2.3]
