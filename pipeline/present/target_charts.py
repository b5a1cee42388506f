"""The overview's achievement chart: % of target by country and indicator (no I/O)."""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from pipeline.core.formatting import Formatter
from pipeline.present.chart_sets import Chart
from pipeline.present.charts import BLUE, INK, STYLE, blank_figure, hbar_axes, value_labels


def achievement_by_country(data: pd.DataFrame, fmt: Formatter) -> Figure:
    """Bars of % achieved ("label", "achieved" columns), with the target drawn at 100%."""
    figure = blank_figure()
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["label"]))
        bars = ax.barh(range(len(data)), data["achieved"] * 100, color=BLUE, height=0.6)
        value_labels(ax, bars, [fmt.percent(v) for v in data["achieved"]])
        right = max(ax.get_xlim()[1], 110.0)
        ax.set_xlim(0, right)
        ax.axvline(100, color=INK, linewidth=0.8, linestyle="--", zorder=2)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fmt.percent(x / 100)))
        ax.set_xlabel(fmt._("Achieved (percent of target)"))
    return figure


def achievement_chart(data: pd.DataFrame, fmt: Formatter) -> Chart:
    """The chart with its question and its alt text, written from the data."""
    parts = [
        f"{label}: {fmt.percent(v)}"
        for label, v in zip(data["label"], data["achieved"], strict=True)
    ]
    return Chart(
        fmt._("How close did each country come to its targets?"),
        fmt._(
            "Bar chart of the share of each target achieved, by country and indicator; the "
            "dashed line is the target."
        )
        + " "
        + "; ".join(parts)
        + ".",
        achievement_by_country(data, fmt),
    )
