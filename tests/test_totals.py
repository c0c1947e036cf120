"""Published totals: units multiplied out, period types kept apart."""

from __future__ import annotations


def test_annual_averages(canon):
    t = canon.published_totals
    annual = t[
        (t.period_type == "annual_average_of_monthly_counts")
        & (t.unit.isin(["persons", "thousand persons"]))
    ]
    be = annual[(annual.code == "01000") & (annual.period == "2017")]
    assert 140_200 in set(be.persons)
    wal = annual[(annual.code == "03000") & (annual.period == "2019")]
    assert 70_600 in set(wal.persons.round())
    percent = t[t.unit == "percent"]
    assert percent.persons.isna().all()
    assert set(t.level) == {"country", "region", "province"}
