"""Country and portfolio summaries: sums of what was reported, ratios of sums, kept and read
back without loss; each number worked out here from the rows."""

from __future__ import annotations

import copy
import math
import pickle

import pandas as pd
import pytest

from pipeline.compute.indicators import (
    CountrySummary,
    combined_summary,
    country_summary,
    ratio,
    summary_from_flat,
)

ROWS = pd.DataFrame(
    {
        "target_households": [1000.0, 500.0, math.nan],
        "pmgs": [4.0, 0.0, 3.0],
        "members": [200.0, 150.0, math.nan],
        "volume_sold_t": [10.0, 30.0, 5.0],
        "value_usd": [5000.0, 4000.0, 1000.0],
    }
)


def test_a_ratio_is_nan_where_the_divisor_is_zero_negative_or_missing() -> None:
    top = pd.Series([10.0, 10.0, 10.0, 10.0, math.nan])
    bottom = pd.Series([4.0, 0.0, -2.0, math.nan, 5.0])
    out = list(ratio(top, bottom))
    assert out[0] == 2.5 and all(math.isnan(v) for v in out[1:])


def test_a_summary_sums_what_was_reported_and_divides_the_sums_of_both_sides() -> None:
    s = country_summary(ROWS)
    assert s.territories == 3
    assert (s.value_usd, s.members, s.pmgs) == (10000.0, 350.0, 7.0)
    assert s.reporting["members"] == 2 and s.reporting["value_usd"] == 3
    # members per PMG over the rows that gave both: (200 + 150) / (4 + 0)
    assert s.parts["members_per_pmg"] == (350.0, 4.0) and s.members_per_pmg == 87.5
    assert s.reporting["members_per_pmg"] == 2
    assert s.parts["price_usd_per_t"] == (10000.0, 45.0)
    assert s.value_per_member_usd == 9000 / 350
    assert s.partial("members") and not s.partial("value_usd") and not s.missing("members")


def test_a_figure_nobody_reported_is_missing_not_zero() -> None:
    s = country_summary(ROWS.assign(members=math.nan))
    assert math.isnan(s.members) and s.missing("members") and not s.partial("members")
    assert math.isnan(s.reach) and s.reporting["reach"] == 0
    assert s.parts["reach"] == (0.0, 0.0)


def test_a_ratio_of_sums_whose_divisor_is_zero_has_no_value() -> None:
    s = country_summary(ROWS.assign(pmgs=[0.0, 0.0, 0.0]))
    assert math.isnan(s.members_per_pmg) and s.reporting["members_per_pmg"] == 2


def test_a_summary_has_no_other_attributes() -> None:
    s = country_summary(ROWS)
    with pytest.raises(AttributeError):
        _ = s.nothing_of_the_kind
    with pytest.raises(AttributeError):
        _ = s.__length_hint__
    assert not hasattr(s, "__deepcopy_hook__")


def test_asking_a_summary_for_what_it_lacks_names_the_name_asked_for() -> None:
    s = country_summary(ROWS)
    with pytest.raises(AttributeError, match="^nothing_of_the_kind$"):
        _ = s.nothing_of_the_kind
    with pytest.raises(AttributeError, match="^__length_hint__$"):
        _ = s.__length_hint__


def test_a_summary_copied_or_sent_to_another_process_is_the_same() -> None:
    s = country_summary(ROWS)
    for back in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s), copy.copy(s)):
        assert back.values == s.values and back.reporting == s.reporting
        assert back.parts == s.parts and back.territories == 3 and back.reach == s.reach


def test_a_summary_half_rebuilt_by_pickle_says_what_it_lacks_instead_of_recursing() -> None:
    """While pickle or copy rebuilds a summary its fields are not set yet: asking for them (or
    for a hook such as __setstate__) must be a plain AttributeError naming it, never a loop."""
    half = object.__new__(CountrySummary)
    with pytest.raises(AttributeError, match="^values$"):
        _ = half.values
    with pytest.raises(AttributeError, match="^__setstate__$"):
        _ = half.__setstate__


def test_a_summary_read_back_from_its_record_is_the_same() -> None:
    s = country_summary(ROWS)
    flat = s.flat()
    assert flat["territories"] == 3.0 and flat["members_reporting"] == 2.0
    assert flat["members_per_pmg_numerator"] == 350.0
    assert flat["members_per_pmg_denominator"] == 4.0
    assert flat["reach_reporting"] == 2.0
    back = summary_from_flat(flat)
    assert back.territories == 3 and back.reporting == s.reporting and back.parts == s.parts
    assert back.values == s.values
    empty = summary_from_flat({})
    assert empty.territories == 0 and math.isnan(empty.value_usd)
    assert empty.reporting["value_usd"] == 0 and math.isnan(empty.parts["reach"][0])


def test_a_portfolio_adds_its_countries() -> None:
    a = country_summary(ROWS)
    b = country_summary(ROWS.assign(members=math.nan, value_usd=[1.0, 2.0, 3.0]))
    both = combined_summary([a, b])
    assert both.territories == 6
    assert both.members == 350.0  # b reported no members: left out, not a zero
    assert both.value_usd == 10006.0
    assert both.reporting["members"] == 2 and both.reporting["value_usd"] == 6
    # b's members-per-PMG has no parts (nobody reported both sides): a's alone
    assert both.parts["members_per_pmg"] == (350.0, 4.0) and both.members_per_pmg == 87.5
    assert both.parts["price_usd_per_t"] == (10006.0, 90.0)
    assert both.price_usd_per_t == 10006.0 / 90.0
    none = combined_summary([b, b])
    assert math.isnan(none.members) and math.isnan(none.reach)
    assert none.parts["reach"] == (0.0, 0.0)


def test_a_summary_of_no_rows() -> None:
    s = CountrySummary(0, {"value_usd": math.nan}, {"value_usd": 0}, {})
    assert s.missing("value_usd") and not s.partial("value_usd")


def test_a_divisor_below_one_still_divides() -> None:
    """Half a tonne sold is a volume: a ratio's divisor need only be above 0."""
    assert list(ratio(pd.Series([10.0]), pd.Series([0.5]))) == [20.0]
    s = country_summary(ROWS.assign(volume_sold_t=[0.25, 0.25, math.nan]))
    assert s.price_usd_per_t == 9000 / 0.5
    both = combined_summary([s])
    assert both.price_usd_per_t == 9000 / 0.5


def test_a_portfolio_adds_the_members_by_sex_and_age_of_the_countries_that_give_them() -> None:
    """Women and youth are summed like the counts, their shares are ratios of the summed parts,
    and a portfolio holds its figures in the registry's order, the optional ones last (#26)."""
    a = country_summary(ROWS.assign(members_women=[80.0, 70.0, math.nan]))
    b = country_summary(ROWS)  # no women column: not counted, not a zero
    both = combined_summary([a, b])
    assert both.values["members_women"] == 150.0
    assert both.reporting["members_women"] == 2
    assert both.parts["women_share"] == (150.0, 350.0)
    assert both.values["women_share"] == 150.0 / 350.0
    assert list(both.values) == [*list(b.values), "members_women", "members_men", "women_share"]


def test_one_member_who_is_a_woman_is_a_share_of_one() -> None:
    """A share's divisor need only be above 0: one member, a woman, is 100% women (#26)."""
    rows = pd.DataFrame(
        {
            **{c: [1.0] for c in ("target_households", "pmgs", "volume_sold_t", "value_usd")},
            "members": [1.0],
            "members_women": [1.0],
        }
    )
    s = country_summary(rows)
    assert s.values["women_share"] == 1.0
    assert combined_summary([s]).values["women_share"] == 1.0
