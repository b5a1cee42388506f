"""Periods in every form order by time, never as text; a share is within its own period."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from pipeline.compute.indicators import in_period, period_key, periods
from pipeline.read.periods import (
    latest,
    month_end,
    month_start,
    parse_period,
    period_dates,
    sort_key,
    span,
)
from pipeline.read.periods import period_key as written_period_key


def test_periods_across_forms_order_by_time_not_text() -> None:
    labels = ["2005-Q2", "2010", "2005", "2005-H2", "2004-2005", "2005-Q1", "2005-H1", "2005-Q4"]
    expected = ["2005-Q1", "2005-H1", "2005-Q2", "2004-2005", "2005", "2005-H2", "2005-Q4"]
    expected.append("2010")
    assert sorted(labels, key=sort_key) == expected
    assert sorted(labels) != expected  # as text, the order would differ
    assert latest(["2005-Q2", "2010", "2009-2010", "2005"]) == "2010"
    assert latest(["2005-H1", "2005-Q2"]) == "2005-Q2"  # same end: the later start


def test_a_table_lists_its_periods_earliest_first() -> None:
    frame = pd.DataFrame({"period": ["2005", "2005-Q1", "2004-2005", "2005-H2", "2005-Q1"]})
    assert periods(frame) == ["2005-Q1", "2004-2005", "2005", "2005-H2"]
    assert periods(pd.DataFrame({"x": [1, 2]})) == [""]
    assert periods(pd.DataFrame({"period": [None, None]})) == [""]
    assert list(period_key(frame.iloc[:3])) == ["2005", "2005-Q1", "2004-2005"]
    assert list(period_key(pd.DataFrame({"period": [None, "2005"]}))) == ["", "2005"]
    assert list(in_period(frame, "2005-Q1").index) == [1, 4]


@pytest.mark.parametrize(
    ("text", "first", "last", "months"),
    [
        ("2004", date(2004, 1, 1), date(2004, 12, 31), 12),
        ("2003-2004", date(2003, 1, 1), date(2004, 12, 31), 24),
        ("2005-Q1", date(2005, 1, 1), date(2005, 3, 31), 3),
        ("2005-Q4", date(2005, 10, 1), date(2005, 12, 31), 3),
        ("2004-Q1", date(2004, 1, 1), date(2004, 3, 31), 3),
        ("2005-H2", date(2005, 7, 1), date(2005, 12, 31), 6),
        ("h1/2005", date(2005, 1, 1), date(2005, 6, 30), 6),
        ("2005 H2", date(2005, 7, 1), date(2005, 12, 31), 6),
        ("2003 / 2004", date(2003, 1, 1), date(2004, 12, 31), 24),
    ],
)
def test_a_period_covers_its_months(text: str, first: date, last: date, months: int) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.first_day, period.last_day, period.months) == (first, last, months)
    assert period_dates(period.label, (date(1, 1, 1), date(1, 1, 1))) == (first, last)


@pytest.mark.parametrize("text", ["2004-2004", "2005-H0", "2005-Q0", "20045", "2005-X1", "Q2"])
def test_near_misses_of_the_period_forms_are_refused(text: str) -> None:
    assert parse_period(text) is None and written_period_key(text) is None


def test_a_blank_period_is_the_whole_span() -> None:
    whole = (date(2003, 3, 1), date(2004, 10, 31))
    assert written_period_key("  ") == ""
    assert period_dates("", whole) == whole


@pytest.mark.parametrize(
    ("start", "end", "first", "last"),
    [
        ("2003-03", "2004-10", date(2003, 3, 1), date(2004, 10, 31)),
        ("2003-03-15", "2004-02", date(2003, 3, 15), date(2004, 2, 29)),
        ("2003-12", "2003-12-20", date(2003, 12, 1), date(2003, 12, 20)),
        ("2003-12", "2003-12", date(2003, 12, 1), date(2003, 12, 31)),
    ],
)
def test_a_span_of_months_or_dates(start: str, end: str, first: date, last: date) -> None:
    assert span(start, end) == (first, last)


def test_a_span_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="2004-10 – 2003-03 ends before it starts"):
        span("2004-10", "2003-03")
    assert span("2004-10-31", "2004-10-31") == (date(2004, 10, 31), date(2004, 10, 31))


def test_months_count_from_year_zero() -> None:
    assert month_start(2004 * 12) == date(2004, 1, 1)
    assert month_start(2004 * 12 + 11) == date(2004, 12, 1)
    assert month_end(2004 * 12 + 1) == date(2004, 2, 29)
    assert month_end(2005 * 12 + 1) == date(2005, 2, 28)


def test_value_share_is_within_each_period() -> None:
    from pipeline.compute.indicators import territory_indicators

    frame = pd.DataFrame(
        {
            "territory": ["A", "B", "A", "B"],
            "period": ["2004", "2004", "2005", "2005"],
            "target_households": [10.0, 10.0, 10.0, 10.0],
            "products": ["x", "x", "x", "x"],
            "pmgs": [1.0, 1.0, 1.0, 1.0],
            "members": [5.0, 5.0, 5.0, 5.0],
            "volume_sold_t": [1.0, 1.0, 1.0, 1.0],
            "value_usd": [100.0, 300.0, 50.0, math.nan],
        },
        index=[2, 3, 4, 5],  # physical lines, as the validated table keeps them
    )
    shares = list(territory_indicators(frame)["value_share"])
    assert shares[:3] == [0.25, 0.75, 1.0] and math.isnan(shares[3])
