"""Indicators are computed from the data, never from zeros standing in for blanks."""

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.check.schemas import TerritoryIndicators, TerritoryInput
from pipeline.check.validate import country_table
from pipeline.compute.indicators import country_summary, median_of_others, territory_indicators
from pipeline.compute.plausibility import plausibility_findings
from pipeline.core.outcomes import Status
from pipeline.read.tables import read_table
from tests.tier import examples

from .conftest import SEED
from .test_oracle import Case, _csv, office_files, validated_case


@pytest.fixture(scope="module")
def kenya():
    return country_table(read_table(SEED / "kenya.csv"))


def test_kenya_totals_match_the_seed_brief(kenya) -> None:
    s = country_summary(territory_indicators(kenya.territories))
    assert (s.territories, s.target_households, s.pmgs, s.members) == (4, 18125, 49, 7842)
    assert (s.volume_sold_t, s.value_usd) == (341.5, 140653)
    assert s.reach == pytest.approx(7842 / 18125)
    assert s.price_usd_per_t == pytest.approx(140653 / 341.5)


def test_territory_indicators(kenya) -> None:
    ind = territory_indicators(kenya.territories).set_index("territory")
    assert ind.loc["Tana River", "members_per_pmg"] == 800
    assert ind.loc["Homabay", "value_share"] == pytest.approx(78175 / 140653)
    assert ind.loc["Kitu", "price_usd_per_t"] == pytest.approx(46153 / 161)
    assert ind["value_share"].sum() == pytest.approx(1.0)


def test_indicators_do_not_mutate_input(kenya) -> None:
    before = kenya.territories.copy()
    territory_indicators(kenya.territories)
    pd.testing.assert_frame_equal(kenya.territories, before)


def test_blanks_stay_out_of_totals_and_zero_divisors_give_nan() -> None:
    frame = pd.DataFrame(
        {
            "territory": ["A", "B"],
            "target_households": [100.0, math.nan],
            "products": ["x", "y"],
            "pmgs": [0.0, 2.0],
            "members": [0.0, 40.0],
            "volume_sold_t": [0.0, 2.0],
            "value_usd": [0.0, 200.0],
        },
        index=pd.Index([2, 3], name="line"),
    )
    ind = territory_indicators(frame)
    assert math.isnan(ind.loc[2, "members_per_pmg"]) and math.isnan(ind.loc[2, "price_usd_per_t"])
    s = country_summary(ind)
    assert s.target_households == 100 and s.reporting["target_households"] == 1
    assert s.partial("target_households") and not s.partial("members")
    assert s.reach == 0.0  # only territory A reported both figures
    assert s.reporting["reach"] == 1 and s.parts["reach"] == (0.0, 100.0)


def test_tana_river_is_flagged_and_nothing_else(kenya) -> None:
    flags = plausibility_findings(kenya, territory_indicators(kenya.territories))
    assert [(f.line, f.column, f.rule) for f in flags] == [
        (6, "Members", "members-per-pmg-implausible")
    ]
    assert "800 per group" in flags[0].message


def test_median_of_others() -> None:
    got = median_of_others(pd.Series([1.0, 2.0, 3.0, math.nan]))
    assert list(got[:3]) == [2.5, 2.0, 1.5] and math.isnan(got[3])


def _median_of_others_by_dropping(series: pd.Series, groups: pd.Series) -> pd.Series:
    """The definition, row by row: the oracle for the sort-once implementation."""
    out = pd.Series(float("nan"), index=series.index, dtype=float)
    for _, members in series.groupby(groups):
        values = members.dropna()
        for index in values.index:
            others = values.drop(index)
            if len(others) >= 2:
                out[index] = float(others.median())
    return out


@settings(max_examples=examples(200), deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False), st.integers(0, 5)),
            st.sampled_from(["2004", "2005"]),
        ),
        max_size=12,
    )
)
def test_median_of_others_equals_its_definition(rows: list[tuple[float | None, str]]) -> None:
    series = pd.Series([float("nan") if v is None else float(v) for v, _ in rows], dtype=float)
    groups = pd.Series([g for _, g in rows], dtype=object)
    expected = _median_of_others_by_dropping(series, groups)
    pd.testing.assert_series_equal(median_of_others(series, groups), expected)


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=office_files(), data=st.data())
def test_the_indicators_of_any_valid_table_keep_to_the_data_dictionary(
    tmp_path: Path, case: Case, data: st.DataObject
) -> None:
    """territory_indicators takes a TerritoryInput and gives a TerritoryIndicators (the pandera
    models). It does not check either at run time: its input has just been validated against
    the same model, which makes the findings, and checking both sides again was 40% of a
    country's validation. This property holds it to both, for any table that validates."""
    result, table, indicators = validated_case(tmp_path, *_csv(case, data), case)
    assume(result.status is Status.VALIDATED)
    assert table is not None and indicators is not None
    TerritoryInput.validate(table.territories)
    TerritoryIndicators.validate(indicators)
    assert list(indicators.columns[: len(table.territories.columns)]) == list(
        table.territories.columns
    )
