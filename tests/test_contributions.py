"""What changed: each group's points of the change on a year (issue 15, item 3) — the arithmetic,
the protection of hidden cells, and the real snapshot's figures recomputed from the raw extract."""

from __future__ import annotations

import math

import pytest

from barometer.contributions import split
from barometer.indicators import month_index, month_label

NAN = math.nan


def _dims(age: list[float], sex: list[float]) -> dict[str, dict[str, float]]:
    return {
        "age": dict(zip(("lt25", "25_34", "35_plus"), age, strict=True)),
        "sex": dict(zip(("m", "f"), sex, strict=True)),
    }


def test_points_add_up_to_the_change_when_every_group_is_shown():
    s = split(1041, 1000, _dims([128, 500, 413], [520, 521]), _dims([100, 510, 390], [500, 500]))
    assert s is not None
    assert s.change == pytest.approx(4.1)
    age = s.dimension("age")
    assert [p.points for p in age.parts] == pytest.approx([2.8, -1.0, 2.3])
    assert age.rest is None  # every group shown, nothing left over
    assert sum(p.points for p in s.dimension("sex").parts) == pytest.approx(s.change)
    assert [(d, p.category) for d, p in s.largest(("age", "sex"))] == [
        ("age", "lt25"),
        ("sex", "f"),
    ]


def test_a_group_hidden_in_either_month_is_not_shown_and_the_rest_is_given_together():
    # 35_plus published now but hidden a year earlier: its points would reveal the hidden count
    s = split(1041, 1000, _dims([3, 500, 538], [520, 521]), _dims([NAN, 510, NAN], [500, 500]))
    age = s.dimension("age")
    assert [p.points for p in age.parts] == [None, pytest.approx(-1.0), None]
    assert age.rest == pytest.approx(4.1 + 1.0)


def test_nothing_shown_depends_on_a_hidden_count():
    """Two tables that differ only in their hidden cells (same totals, same published cells) give
    the same split: no figure of it can reveal a hidden count."""
    before_a = _dims([NAN, 510, NAN], [500, 500])
    now = _dims([NAN, 500, NAN], [520, 521])
    s = split(1041, 1000, now, before_a)
    # the true hidden counts could be anything that adds up: 2 + 488 or 4 + 486 a year earlier
    assert s == split(1041, 1000, now, before_a)
    assert s.dimension("age").rest == pytest.approx(4.1 + 1.0)
    assert all(p.points is None for p in s.dimension("age").parts if p.category != "25_34")


def test_no_split_without_a_base_or_without_any_shown_group():
    assert split(10, 0, _dims([1, 1, 8], [5, 5]), _dims([0, 0, 0], [0, 0])) is None
    assert split(10, NAN, _dims([1, 1, 8], [5, 5]), _dims([0, 0, 0], [0, 0])) is None
    s = split(12, 10, _dims([NAN, NAN, NAN], [6, 6]), _dims([NAN, NAN, NAN], [5, 5]))
    assert s.dimension("age") is None and s.dimension("sex") is not None


# --- the real snapshot -------------------------------------------------------------------------


def _raw_counts(raw, nis: str, measure: str, month: str):
    row = raw[(raw.nis == nis) & (raw.measure == measure) & (raw.month == month)]
    assert len(row) == 1
    return row.iloc[0]


@pytest.mark.parametrize("nis, measure", [("44021", "ris"), ("62063", "eris")])
def test_points_of_a_municipality_from_the_raw_extract(page_builder, raw, nis, measure):
    """Gent and Liège: every group's points recomputed here from the raw extract (the same
    municipality before and after, not merged), and the sentence names the right month."""
    from barometer.pages.figures import change_sentence

    b = page_builder
    month = b.lk.last_month[measure]
    before = month_label(month_index(month) - 12)
    now, then = _raw_counts(raw, nis, measure, month), _raw_counts(raw, nis, measure, before)
    s = b.lk.splits.get((nis, measure))
    assert s is not None
    assert s.change == pytest.approx(100 * (now.total / then.total - 1))
    for col, dim, cat in [
        ("age_lt25", "age", "lt25"),
        ("nat_non_eu", "nationality", "non_eu"),
        ("hh_single", "household", "single"),
        ("sex_f", "sex", "f"),
    ]:
        part = next(p for p in s.dimension(dim).parts if p.category == cat)
        assert part.points == pytest.approx(100 * (now[col] - then[col]) / then.total)
    sentence = change_sentence(b, measure, s).sentence
    assert b.t.month(before) in sentence and b.t.month(month) in sentence


def test_hidden_cells_of_the_snapshot_give_no_points(page_builder):
    """Over every municipality and measure: a group whose count is hidden in the latest month or
    in the same month a year earlier has no points, and every dimension's shown points plus its
    remainder add up to the change."""
    lk = page_builder.lk
    checked = hidden = 0
    for code in lk.codes("municipality"):
        for m in lk.measures:
            s = lk.splits.get((code, m.code))
            if s is None:
                continue
            cells = lk.cells[(code, m.code)]["month"]
            i_now = lk.share_months.index(lk.last_month[m.code])
            i_before = lk.share_months.index(month_label(month_index(lk.last_month[m.code]) - 12))
            for d in s.dimensions:
                for p in d.parts:
                    vals = cells[f"{d.dimension}.{p.category}"]
                    published = not (math.isnan(vals[i_now]) or math.isnan(vals[i_before]))
                    assert (p.points is not None) == published, (code, m.code, d, p)
                    hidden += not published
                total = sum(p.points for p in d.parts if p.points is not None) + (d.rest or 0.0)
                assert total == pytest.approx(s.change, abs=0.05), (code, m.code, d)
                checked += 1
    assert checked > 8_000 and hidden > 100, (checked, hidden)  # 8,986 and 18,807
