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


def test_the_remainder_is_what_the_hidden_groups_together_contributed():
    """Whatever the true hidden counts are (two fills that agree with the published totals and
    cells), the groups not shown together contributed exactly the remainder: it is the change
    minus published points, nothing about any one hidden group."""
    published_before, published_now = (
        _dims([NAN, 510, NAN], [500, 500]),
        _dims([NAN, 500, NAN], [520, 521]),
    )
    s = split(1041, 1000, published_now, published_before)
    assert all(p.points is None for p in s.dimension("age").parts if p.category != "25_34")
    for (lt25_then, plus_then), (lt25_now, plus_now) in [
        ((2, 488), (3, 538)),
        ((4, 486), (1, 540)),
    ]:
        assert lt25_then + 510 + plus_then == 1000 and lt25_now + 500 + plus_now == 1041
        true_points = 100 * ((lt25_now - lt25_then) + (plus_now - plus_then)) / 1000
        assert s.dimension("age").rest == pytest.approx(true_points)
    assert s.dimension("age").hidden


def test_a_shortfall_with_every_group_shown_is_not_called_hidden():
    """Every group shown, but they add up to less than the total (a member's month missing from
    the breakdowns): the difference is shown, and not as hidden groups."""
    s = split(1041, 1000, _dims([128, 500, 400], [520, 521]), _dims([100, 510, 390], [500, 500]))
    age = s.dimension("age")
    assert not age.hidden and age.rest == pytest.approx(4.1 - (2.8 - 1.0 + 1.0))


def test_the_sentence_names_no_group_smaller_than_the_hidden_ones():
    """A shown group whose points are smaller than those of the groups not shown is not 'the
    largest contribution': the dimension names none."""
    s = split(1041, 1000, _dims([NAN, 501, NAN], [520, 521]), _dims([NAN, 500, NAN], [500, 500]))
    assert s.dimension("age").rest == pytest.approx(4.0)
    assert [d for d, _ in s.largest(("age", "sex"))] == ["sex"]


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
    sentence = change_sentence(b, nis, measure, s).sentence
    assert b.t.month(before) in sentence and b.t.month(month) in sentence


COLUMN = {"sex": "sex_", "age": "age_", "nationality": "nat_", "household": "hh_"}


def test_every_municipality_s_points_from_the_raw_extract(page_builder, raw):
    """Over every municipality and measure of the extract, against the raw extract (not the
    project's tables): a group with 1 to 4 people in the latest month or a year earlier (hidden
    by the primary rule) has no points, and every group with points has exactly the points of
    its raw counts."""
    lk = page_builder.lk
    by_key = raw.set_index(["nis", "measure", "month"])
    keys = set(by_key.index)
    checked = hidden = 0
    for code in lk.codes("municipality"):
        for m in lk.measures:
            s = lk.splits.get((code, m.code))
            month = lk.last_month[m.code]
            before = month_label(month_index(month) - 12)
            if s is None or not {(code, m.code, month), (code, m.code, before)} <= keys:
                continue
            now, then = by_key.loc[(code, m.code, month)], by_key.loc[(code, m.code, before)]
            for d in s.dimensions:
                for p in d.parts:
                    col = COLUMN[d.dimension] + p.category
                    if 1 <= now[col] <= 4 or 1 <= then[col] <= 4:
                        assert p.points is None, (code, m.code, col)
                        hidden += 1
                    if p.points is not None:
                        expected = 100 * (now[col] - then[col]) / then.total
                        assert p.points == pytest.approx(expected, abs=1e-6), (code, m.code, col)
                checked += 1
    assert checked > 6_000 and hidden > 10_000, (checked, hidden)  # 6,204 and 10,727
