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


@dataclass(frozen=True)
class Chart:
    """A chart as placed in a brief: the question it answers, its alt text and its figure."""

    question: str
    alt: str
    figure: Figure


def _series_alt(prefix: str, data: pd.DataFrame, column: str, show: Callable[[float], str]) -> str:
    parts = [
        f"{t}: {show(v)}"
        for t, v in zip(data["territory"], data[column], strict=True)
        if pd.notna(v)
    ]
    return f"{prefix} " + "; ".join(parts) + "."


def country_charts(
    ind: pd.DataFrame, fmt: Formatter, average_price: float, flagged: set[int]
) -> list[Chart]:
    """The brief's charts, each with the donor question it answers and alt text from the data."""
    by_value = ind.sort_values("value_usd", ascending=False)
    by_price = ind.sort_values("price_usd_per_t", ascending=False)
    return [
        Chart(
            fmt._("Where did the value of sales come from?"),
            _series_alt(
                fmt._("Bar chart of the value of sales by territory."),
                by_value,
                "value_usd",
                fmt.usd,
            ),
            value_by_territory(ind, fmt),
        ),
        Chart(
            fmt._("How many target households have joined a group?"),
            _series_alt(
                fmt._("Bar chart of members as a share of target households (reach)."),
                ind,
                "reach",
                fmt.percent,
            ),
            reach_by_territory(ind, fmt),
        ),
        Chart(
            fmt._("What price per tonne did groups obtain?"),
            _series_alt(
                fmt._(
                    "Bar chart of the average price per tonne; the country average is {price}."
                ).format(price=fmt.usd(average_price)),
                by_price,
                "price_usd_per_t",
                fmt.usd,
            ),
            price_by_territory(ind, fmt, average_price, fmt._("country average {price}")),
        ),
        Chart(
            fmt._("How large are the groups?"),
            _series_alt(
                fmt._("Bar chart of members per PMG."), ind, "members_per_pmg", fmt.number
            ),
            members_per_pmg(ind, fmt, flagged),
        ),
    ]


def trend_chart(trend: pd.DataFrame, fmt: Formatter) -> Chart:
    """The change-over-time chart of a country that reports several periods."""
    parts = [
        fmt._("{period}: {value} from {members} members").format(
            period=p, value=fmt.usd(v), members=fmt.number(m)
        )
        for p, v, m in zip(trend["period"], trend["value_usd"], trend["members"], strict=True)
    ]
    return Chart(
        fmt._("How did sales and membership change over time?"),
        fmt._("Bar charts of the value of sales and of PMG members by period.")
        + " "
        + "; ".join(parts)
        + ".",
        change_over_time(trend, fmt),
    )


def overview_charts(countries: pd.DataFrame, fmt: Formatter, average_price: float) -> list[Chart]:
    """The overview's charts: countries compared (one row per country, named in "territory")."""
    by_value = countries.sort_values("value_usd", ascending=False)
    return [
        Chart(
            fmt._("Which countries sold the most?"),
            _series_alt(
                fmt._("Bar chart of the value of sales by country."),
                by_value,
                "value_usd",
                fmt.usd,
            ),
            value_by_territory(countries, fmt),
        ),
        Chart(
            fmt._("How many target households have joined a group?"),
            _series_alt(
                fmt._("Bar chart of members as a share of target households, by country."),
                countries,
                "reach",
                fmt.percent,
            ),
            reach_by_territory(countries, fmt),
        ),
        Chart(
            fmt._("How much did each member sell?"),
            _series_alt(
                fmt._("Bar chart of the value of sales per member, by country."),
                countries.sort_values("value_per_member_usd", ascending=False),
                "value_per_member_usd",
                lambda v: fmt.usd(v, 2),
            ),
            value_per_member(countries, fmt),
        ),
        Chart(
            fmt._("What price per tonne did groups obtain?"),
            _series_alt(
                fmt._(
                    "Bar chart of the average price per tonne by country; the programme "
                    "average is {price}."
                ).format(price=fmt.usd(average_price)),
                countries.sort_values("price_usd_per_t", ascending=False),
                "price_usd_per_t",
                fmt.usd,
            ),
            price_by_territory(countries, fmt, average_price, fmt._("programme average {price}")),
        ),
    ]
