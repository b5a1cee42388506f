"""Which charts a brief shows: the donor question each answers, its alt text and its figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from pipeline.core.formatting import Formatter
from pipeline.present.charts import (
    change_over_time,
    members_per_pmg,
    price_by_territory,
    reach_by_territory,
    value_by_territory,
    value_per_member,
)
from pipeline.present.gaps import chart_gaps


@dataclass(frozen=True)
class Chart:
    """A chart as placed in a brief: the question it answers, its alt text and its figure.

    `figure` is None when nothing could be drawn; `note` then says why, or else names the
    territories left out for want of figures.
    """

    question: str
    alt: str
    figure: Figure | None
    note: str = ""


def _series_alt(prefix: str, data: pd.DataFrame, column: str, show: Callable[[float], str]) -> str:
    parts = [
        f"{t}: {show(v)}"
        for t, v in zip(data["territory"], data[column], strict=True)
        if pd.notna(v)
    ]
    return f"{prefix} " + "; ".join(parts) + "."


@dataclass(frozen=True)
class _Spec:
    """What a chart draws: the column it shows, the figures it needs and its divisor."""

    column: str
    needs: tuple[str, ...]
    divisor: str | None = None


VALUE = _Spec("value_usd", ("value_usd",))
REACH = _Spec("reach", ("members", "target_households"), "target_households")
PRICE = _Spec("price_usd_per_t", ("value_usd", "volume_sold_t"), "volume_sold_t")
GROUP_SIZE = _Spec("members_per_pmg", ("members", "pmgs"), "pmgs")
PER_MEMBER = _Spec("value_per_member_usd", ("value_usd", "members"), "members")


def _chart(
    question: str,
    spec: _Spec,
    rows: pd.DataFrame,
    fmt: Formatter,
    alt: Callable[[pd.DataFrame], str],
    draw: Callable[[pd.DataFrame], Figure],
) -> Chart:
    """A chart of the rows that reported what it needs; a line in its place when none did."""
    drawable, note = chart_gaps(rows, spec.needs, spec.divisor, fmt)
    data = rows.loc[drawable]
    if data.empty:
        return Chart(question, note, None, note)
    if not (data[spec.column] > 0).any():  # bars of length 0 show nothing
        note = fmt._("Not drawn: every reported value is 0.")
        return Chart(question, note, None, note)
    if len(data) == 1:  # one bar compares with nothing: the tables give the figure
        alone = fmt._(
            "Not drawn: only one territory reported these figures; the tables give them."
        )
        note = f"{alone} {note}" if note else alone
        return Chart(question, note, None, note)
    return Chart(question, alt(data) + (f" {note}" if note else ""), draw(data), note)


def country_charts(
    ind: pd.DataFrame,
    fmt: Formatter,
    average_price: float,
    flagged: set[int],
    value_dp: int = 0,
) -> list[Chart]:
    """The brief's charts, each with the donor question it answers and alt text from the data.

    Values show `value_dp` decimals, as everywhere else in the brief.
    """

    def usd(value: float) -> str:
        return fmt.usd(value, value_dp)

    return [
        _chart(
            fmt._("Where did the value of sales come from?"),
            VALUE,
            ind,
            fmt,
            lambda d: _series_alt(
                fmt._("Bar chart of the value of sales by territory."),
                d.sort_values("value_usd", ascending=False),
                "value_usd",
                usd,
            ),
            lambda d: value_by_territory(d, fmt, value_dp),
        ),
        _chart(
            fmt._("How many target households have joined a group?"),
            REACH,
            ind,
            fmt,
            lambda d: _series_alt(
                fmt._("Bar chart of members as a share of target households (reach)."),
                d,
                "reach",
                fmt.percent,
            ),
            lambda d: reach_by_territory(d, fmt),
        ),
        _chart(
            fmt._("What price per tonne did groups obtain?"),
            PRICE,
            ind,
            fmt,
            lambda d: _series_alt(
                fmt._(
                    "Bar chart of the average price per tonne; the country average is {price}."
                ).format(price=fmt.usd(average_price)),
                d.sort_values("price_usd_per_t", ascending=False),
                "price_usd_per_t",
                fmt.usd,
            ),
            lambda d: price_by_territory(d, fmt, average_price, fmt._("country average {price}")),
        ),
        _chart(
            fmt._("How large are the groups?"),
            GROUP_SIZE,
            ind,
            fmt,
            lambda d: _series_alt(
                fmt._("Bar chart of members per PMG."), d, "members_per_pmg", fmt.number
            ),
            lambda d: members_per_pmg(d, fmt, flagged),
        ),
    ]


def trend_chart(trend: pd.DataFrame, fmt: Formatter, value_dp: int = 0) -> Chart:
    """The change-over-time chart of a country that reports several periods."""
    parts = [
        fmt._("{period}: {value} from {members} members").format(
            period=p, value=fmt.usd(v, value_dp), members=fmt.number(m)
        )
        for p, v, m in zip(trend["period"], trend["value_usd"], trend["members"], strict=True)
    ]
    return Chart(
        fmt._("How did sales and membership change over time?"),
        fmt._("Bar charts of the value of sales and of PMG members by period.")
        + " "
        + "; ".join(parts)
        + ".",
        change_over_time(trend, fmt, value_dp),
    )


def overview_charts(
    countries: pd.DataFrame, fmt: Formatter, average_price: float, value_dp: int = 0
) -> list[Chart]:
    """The overview's charts: countries compared (one row per country, named in "territory")."""

    def usd(value: float) -> str:
        return fmt.usd(value, value_dp)

    return [
        _chart(
            fmt._("Which countries sold the most?"),
            VALUE,
            countries,
            fmt,
            lambda d: _series_alt(
                fmt._("Bar chart of the value of sales by country."),
                d.sort_values("value_usd", ascending=False),
                "value_usd",
                usd,
            ),
            lambda d: value_by_territory(d, fmt, value_dp),
        ),
        _chart(
            fmt._("How many target households have joined a group?"),
            REACH,
            countries,
            fmt,
            lambda d: _series_alt(
                fmt._("Bar chart of members as a share of target households, by country."),
                d,
                "reach",
                fmt.percent,
            ),
            lambda d: reach_by_territory(d, fmt),
        ),
        _chart(
            fmt._("How much did each member sell?"),
            PER_MEMBER,
            countries,
            fmt,
            lambda d: _series_alt(
                fmt._("Bar chart of the value of sales per member, by country."),
                d.sort_values("value_per_member_usd", ascending=False),
                "value_per_member_usd",
                lambda v: fmt.usd(v, 2),
            ),
            lambda d: value_per_member(d, fmt),
        ),
        _chart(
            fmt._("What price per tonne did groups obtain?"),
            PRICE,
            countries,
            fmt,
            lambda d: _series_alt(
                fmt._(
                    "Bar chart of the average price per tonne by country; the programme "
                    "average is {price}."
                ).format(price=fmt.usd(average_price)),
                d.sort_values("price_usd_per_t", ascending=False),
                "price_usd_per_t",
                fmt.usd,
            ),
            lambda d: price_by_territory(
                d, fmt, average_price, fmt._("programme average {price}")
            ),
        ),
    ]
