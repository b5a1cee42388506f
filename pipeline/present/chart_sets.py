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

from pipeline.compute.figures import FigureSet
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.core.registry import INDICATORS, ChartSpec
from pipeline.present.charts import DRAW, ChartSetting, bars, change_over_time, value_text
from pipeline.present.gaps import chart_gap_reasons, figure_name, names_list
from pipeline.present.headlines import Level
from pipeline.present.trend import overlapping, trend_frame


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
    topic: str = ""  #: what the chart shows ("reach"), for the line that says why it is not drawn
    reason: str = ""  #: why it is not drawn, in a phrase ("members not reported"); "" if drawn


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
    drawable, reasons = chart_gap_reasons(rows, spec.needs, spec.divisor, fmt)
    topic = figure_name(name, fmt)
    data = rows.loc[drawable]
    if data.empty:
        note = fmt._("Not drawn: {reasons}.").format(reasons=reasons)
        return Chart(question, note, None, note, topic, reasons)
    note = fmt._("Left out: {reasons}.").format(reasons=reasons) if reasons else ""
    if not (data[name] > 0).any():  # bars of length 0 show nothing
        note = fmt._("Not drawn: every reported value is 0.")
        return Chart(question, note, None, note, topic, fmt._("every reported value is 0"))
    if len(data) == 1:  # one bar compares with nothing: the tables give the figure
        alone = fmt._(
            "Not drawn: only one territory reported these figures; the tables give them."
        )
        reason = fmt._("only one territory reported these figures")
        if reasons:  # and why the others did not
            reason = f"{reason}: {reasons}"
        return Chart(question, f"{alone} {note}" if note else alone, None, alone, topic, reason)
    ordered = data.sort_values(name, ascending=False) if spec.largest_first else data
    prefix = fmt._(spec.alt if brief else spec.overview_alt).format(
        price=fmt.figure(s.average) if s.average is not None else NOT_REPORTED
    )
    alt = _series_alt(prefix, ordered, name, lambda v: value_text(name, v, fmt))
    figure = DRAW.get(name, bars)(ordered, name, fmt, s)
    return Chart(question, alt + (f" {note}" if note else ""), figure, note, topic)


def not_drawn(charts: list[Chart], fmt: Formatter) -> str:
    """One line for the charts that could not be drawn, saying why ("" when all were)."""
    missing = [c for c in charts if c.figure is None]
    if not missing:
        return ""
    reasons: dict[str, list[str]] = {}
    for c in missing:
        reasons.setdefault(c.reason, []).append(c.topic)
    if len(missing) == len(charts) and len(reasons) == 1:
        return fmt._(
            "No chart is drawn: {reason}. Every figure reported is in the tables."
        ).format(reason=missing[0].reason)
    parts = [
        fmt._("{charts} ({reason})").format(charts=names_list(topics, fmt), reason=reason)
        for reason, topics in reasons.items()
    ]
    return fmt._("Charts not drawn: {charts}. Every figure reported is in the tables.").format(
        charts="; ".join(parts)
    )


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


def trend_chart(figures: FigureSet, fmt: Formatter) -> Chart:
    """The change-over-time chart of a country that reports several periods; when periods
    overlap, its note says they are not a sequence."""
    trend = trend_frame(figures)
    parts = [
        fmt._("{period}: {value} from {members} members").format(
            period=p,
            value=value_text("value_usd", v, fmt),
            members=value_text("members", m, fmt),
        )
        for p, v, m in zip(trend["period"], trend["value_usd"], trend["members"], strict=True)
    ]
    pairs = overlapping(list(trend["period"]))
    note = (
        fmt._("Periods overlap ({pairs}): they are not one after the other.").format(
            pairs=fmt._("; ").join(fmt._("{a} and {b}").format(a=a, b=b) for a, b in pairs)
        )
        if pairs
        else ""
    )
    alt = (
        fmt._("Bar charts of the value of sales and of PMG members by period.")
        + " "
        + "; ".join(parts)
        + "."
    )
    return Chart(
        fmt._("How did sales and membership change over time?"),
        alt + (f" {note}" if note else ""),
        change_over_time(trend, fmt),
        note,
    )
