"""The extract on the 2025 geography: nothing lost, nothing double-counted, missing ≠ zero."""

from __future__ import annotations

import pandas as pd

from barometer.vocabulary import COUNT_COLUMNS


def test_every_month_maps_to_at_most_565_codes_none_lost_no_herstappe(canon, raw):
    cm = canon.code_map.set_index("code").code_2025
    expected = raw.assign(code=raw.nis.map(cm)).groupby(["measure", "month"]).code.agg(frozenset)
    reported = canon.beneficiaries_wide[canon.beneficiaries_wide.measure.isin(raw.measure)]
    got = reported.groupby(["measure", "month"]).municipality_2025.agg(frozenset)
    assert expected.index.equals(got.index)
    assert (expected == got).all()
    assert got.map(len).max() <= 565
    assert got.map(len).loc[("ris", "2018-12")] == 564  # 588 codes (no Herstappe) → 564
    assert not got.map(lambda s: "73028" in s).any()


def test_national_sums_are_preserved(canon, raw):
    """Per month: harmonised sum + what sits in successors made missing == raw sum. No one lost."""
    wide = canon.beneficiaries_wide
    wide = wide[wide.measure.isin(raw.measure)]  # the reported measures (not the derived ones)
    cm = canon.code_map.set_index("code").code_2025
    raw_sum = raw.groupby(["measure", "month"]).total.sum()
    ours = wide.groupby(["measure", "month"]).total.sum()
    missing = wide[wide.total.isna()].set_index(["measure", "month", "municipality_2025"]).index
    keyed = raw.assign(code=raw.nis.map(cm)).set_index(["measure", "month", "code"])
    in_missing = keyed[keyed.index.isin(missing)].groupby(level=[0, 1]).total.sum()
    assert (ours + in_missing.reindex(ours.index, fill_value=0) == raw_sum).all()
    complete = wide.groupby(["measure", "month"]).total.apply(lambda s: s.notna().all())
    assert complete.sum() > 300
    assert (raw_sum[complete] == ours[complete]).all()
    assert (
        raw[(raw.measure == "ris") & (raw.month == "2017-10")].total.sum()
        == ours.loc[("ris", "2017-10")]
        == 140_678
    )


def test_successor_series_is_the_sum_of_predecessors_month_by_month(canon, raw):
    wide = canon.beneficiaries_wide.set_index(["measure", "month", "municipality_2025"])
    preds = raw[raw.nis.isin(["23023", "23024", "23032"]) & (raw.month < "2025-01")]
    for col in ("total", "sex_f", "age_lt25", "hh_family"):
        expected = preds.groupby(["measure", "month"])[col].sum(min_count=3)
        got = wide.xs("23106", level="municipality_2025")[col].reindex(expected.index)
        pd.testing.assert_series_equal(
            got.astype("float64"), expected.astype("float64"), check_names=False
        )


def test_missing_stays_missing_and_zero_stays_zero(canon, raw):
    cm = canon.code_map.set_index("code").code_2025
    wide = canon.beneficiaries_wide.set_index(["measure", "month", "municipality_2025"])
    empty = raw[raw.total.isna()].assign(code=lambda d: d.nis.map(cm))
    keys = list(zip(empty.measure, empty.month, empty.code, strict=True))
    assert len(keys) == 1956  # SCHEMA.md: 1,956 empty rows (no claim)
    assert wide.loc[keys, COUNT_COLUMNS].isna().all().all()
    zeros = raw[(raw.total == 0) & (raw.nis == raw.nis.map(cm))]
    zkeys = list(zip(zeros.measure, zeros.month, zeros.nis, strict=True))
    assert (wide.loc[zkeys, "total"] == 0).all()


def test_long_table(canon):
    long = canon.beneficiaries
    assert list(long.columns) == [
        "measure",
        "month",
        "municipality_2025",
        "dimension",
        "category",
        "count",
    ]
    assert len(long) == len(canon.beneficiaries_wide) * 15
    sub = long[
        (long.measure == "ris") & (long.month == "2020-06") & (long.municipality_2025 == "44021")
    ]
    by = sub.set_index("category")["count"]
    assert by["m"] + by["f"] == by["total"]
    assert sorted(sub.dimension.unique()) == ["age", "household", "nationality", "sex", "total"]


def test_meta(canon):
    assert canon.meta.synthetic is True
    assert canon.meta.extract_date == "2026-12-01"
    assert canon.meta.previous_vintage == "2026-11-02"
    assert canon.previous_meta is not None and canon.previous_meta.extract_date == "2026-11-02"
    assert canon.meta.stable_after_months == {
        "ris": 4, "gpmi": 4, "spi": 4, "eris": 7, "empl_dis": 4, "empl_das": 7, "dmh": 9
    }  # fmt: skip
    assert canon.meta.not_collected == {"dmh": ["hh_cohabiting", "hh_single", "hh_family"]}
