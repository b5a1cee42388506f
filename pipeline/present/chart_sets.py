"""Which charts a document shows: the donor question each answers, its alt text and its figure.

The charts are the registry's (`core.registry`, each indicator's `chart`): a brief draws its
territories, the overview its countries, with the same code. Adding a chart means giving an
indicator a `ChartSpec` and, where its bars need more than the plain ones, a draw function in
`present.charts.DRAW`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from pipeline.core.formatting import Formatter
from pipeline.core.registry import INDICATORS, ChartSpec
from pipeline.present.charts import DRAW, ChartSetting, bars, change_over_time
from pipeline.present.gaps import chart_gaps
from pipeline.present.headlines import Level


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


def _chart(
    name: str, spec: ChartSpec, rows: pd.DataFrame, fmt: Formatter, level: Level, s: ChartSetting
) -> Chart:
    """One indicator's chart of the rows that reported what it needs; a line in its place when
    none did."""
    brief = level == "brief"
    question = fmt._(spec.question if brief else spec.overview_question)
    drawable, note = chart_gaps(rows, spec.needs, spec.divisor, fmt)
    data = rows.loc[drawable]
    if data.empty:
        return Chart(question, note, None, note)
    if not (data[name] > 0).any():  # bars of length 0 show nothing
        note = fmt._("Not drawn: every reported value is 0.")
        return Chart(question, note, None, note)
    if len(data) == 1:  # one bar compares with nothing: the tables give the figure
        alone = fmt._(
            "Not drawn: only one territory reported these figures; the tables give them."
        )
        note = f"{alone} {note}" if note else alone
        return Chart(question, note, None, note)
    ordered = data.sort_values(name, ascending=False) if spec.largest_first else data
    prefix = fmt._(spec.alt if brief else spec.overview_alt).format(
        price=fmt.value("price_usd_per_t", s.average, s.places["price_usd_per_t"])
    )
    alt = _series_alt(prefix, ordered, name, lambda v: fmt.value(name, v, s.places[name]))
    figure = DRAW.get(name, bars)(ordered, name, fmt, s)
    return Chart(question, alt + (f" {note}" if note else ""), figure, note)


def charts(rows: pd.DataFrame, fmt: Formatter, level: Level, setting: ChartSetting) -> list[Chart]:
    """The level's charts, in the registry's order, each with the donor question it answers and
    alt text from the data: a brief's rows are territories, the overview's are countries
    (named in "territory")."""
    return [
        _chart(name, spec.chart, rows, fmt, level, setting)
        for name, spec in INDICATORS.items()
        if spec.chart is not None
        and (spec.chart.in_brief if level == "brief" else bool(spec.chart.overview_question))
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
