"""Chart figures. Each function takes indicators and returns a matplotlib Figure (no I/O)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.typing import RcKeyType

from pipeline import config
from pipeline.core.figure import Figure as Stated  # a stated figure; Figure is the chart
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.core.registry import INDICATORS, decimals

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
BLUE, SKY, ORANGE, VERMILLION, GREY = "#0072B2", "#56B4E9", "#E69F00", "#D55E00", "#BBBBBB"
INK = "#222222"
SIZE = (3.35, 2.3)  #: inches: two charts side by side across an A4 text block

#: Fonts for the scripts matplotlib's own DejaVu Sans lacks (templates/fonts/README.md).
FALLBACK_FONTS = {
    "Noto Sans Ethiopic": "NotoSansEthiopic-Regular.ttf",
    "Noto Sans Arabic": "NotoSansArabic-Regular.ttf",
    "Noto Sans CJK JP": "NotoSansCJKjp-Fullwidth-Regular.otf",
    "Noto Emoji": "NotoEmoji-Regular.ttf",
}
#: The documents' own text face: measured by matplotlib, then named in the SVG by its
#: stylesheet name ("Briefs Sans"), so a chart's text is set exactly as it was laid out.
TEXT_FONTS = ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf")
for _file in (*TEXT_FONTS, *FALLBACK_FONTS.values()):
    font_manager.fontManager.addfont(config.TEMPLATES_DIR / config.FONTS_FOLDER / _file)

STYLE: dict[RcKeyType, Any] = {
    # Glyph by glyph, the first family that has it: names in any covered script print.
    "font.family": ["DejaVu Sans", *FALLBACK_FONTS],
    "font.stretch": "condensed",  # the shipped DejaVu Sans Condensed, the body text's face
    "font.size": 7.5,
    "axes.edgecolor": "#888888",
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "svg.fonttype": "none",  # real text in the PDF: selectable, searchable, smaller
    "svg.hashsalt": "impact-briefs",  # stable ids, so identical data gives identical bytes
    "text.parse_math": False,  # a territory named "$x_$" is text, not mathtext
}


def blank_figure() -> Figure:
    with mpl.rc_context(STYLE):
        figure = Figure(figsize=SIZE)
        figure.subplots_adjust(left=0.3, right=0.95, top=0.97, bottom=0.2)
        return figure


#: Longest bar label drawn in full; longer names end in "…" (tables and alt text give them whole).
LABEL_CHARS = 24


def short_label(text: str) -> str:
    """A bar label that fits beside a half-page chart."""
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def hbar_axes(figure: Figure, labels: list[str]) -> Axes:
    labels = [short_label(str(label)) for label in labels]
    # Room on the left for the longest label (about 1.65% of the width per character).
    longest = max((len(label) for label in labels), default=0)
    figure.subplots_adjust(left=min(0.45, max(0.18, 0.04 + 0.0165 * longest)))
    with mpl.rc_context(STYLE):
        ax = figure.add_subplot()
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    return ax


def _axis_numbers(ax: Axes, fmt: Formatter) -> None:
    """Plain thousands-separated ticks; the unit is in the axis label."""
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fmt.number(x)))


def value_labels(ax: Axes, bars: BarContainer, texts: list[str], room: float = 1.5) -> None:
    """Value labels at the bar ends, with room on the right so none is clipped."""
    # A white backing keeps labels readable where a reference line crosses them.
    ax.bar_label(
        bars,
        labels=texts,
        padding=2,
        fontsize=6.5,
        color=INK,
        zorder=3,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3},
    )
    # The longest label (about 1.5% of the figure's width per character at 6.5 pt) must fit
    # between the longest bar and the axes' right edge.
    axes_width = ax.get_position().width
    need = max((len(t) for t in texts), default=0) * 0.015 + 0.02
    room = max(room, axes_width / max(axes_width - need, 0.05))
    widths = [b.get_width() for b in bars] or [1.0]
    ax.set_xlim(0, max(max(widths), 1e-9) * room)


@dataclass(frozen=True)
class ChartSetting:
    """What a document's charts share: its reference figure and its flagged rows."""

    #: the document's average price (country or programme), for the price chart's line
    average: Stated | None = None
    #: msgid: the average's label ("country average {price}")
    average_label: str = ""
    #: lines (rows of the brief's table) whose group size is flagged for checking
    flagged: frozenset[int] = frozenset()


def value_text(name: str, value: float, fmt: Formatter) -> str:
    """A bar's value as every other place writes that figure: its own precision and unit."""
    return fmt.value(name, value, decimals(name, value))


#: Bar colours by indicator; the others are sky blue.
COLOURS = {"value_usd": BLUE, "price_usd_per_t": ORANGE}


def bars(data: pd.DataFrame, name: str, fmt: Formatter, s: ChartSetting) -> Figure:
    """Plain bars of one indicator by territory (or country), each with its value."""
    figure = blank_figure()
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["territory"]))
        bar = ax.barh(range(len(data)), data[name], color=COLOURS.get(name, SKY), height=0.6)
        value_labels(ax, bar, [value_text(name, v, fmt) for v in data[name]])
        _axis_numbers(ax, fmt)
        ax.set_xlabel(fmt._(_axis(name)))
    return figure


def _axis(name: str) -> str:
    chart = INDICATORS[name].chart
    return chart.axis if chart else ""


def value_by_territory(data: pd.DataFrame, name: str, fmt: Formatter, s: ChartSetting) -> Figure:
    """Where did the sales value come from? Bars of value, largest first, with shares."""
    figure = blank_figure()
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["territory"]))
        bars = ax.barh(range(len(data)), data[name], color=BLUE, height=0.6)
        value_labels(
            ax,
            bars,
            [
                f"{value_text(name, v, fmt)} ({fmt.percent(share)})"
                for v, share in zip(data[name], data["value_share"], strict=True)
            ],
        )
        _axis_numbers(ax, fmt)
        ax.set_xlabel(fmt._(_axis(name)))
    return figure


def reach_by_territory(data: pd.DataFrame, name: str, fmt: Formatter, s: ChartSetting) -> Figure:
    """How many target households have joined a PMG? Members drawn over target households.

    Each bar pair is the ratio's own two sides (for a country: its figures over the territories
    that reported both), so the label states what the bars show. The label sits past the
    longer bar, never on a bar of the other series.
    """
    spec = INDICATORS[name]
    members = data.get(f"{name}_numerator", data[str(spec.numerator)])
    households = data.get(f"{name}_denominator", data[str(spec.denominator)])
    figure = blank_figure()
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["territory"]))
        ax.barh(
            range(len(data)),
            households,
            color=GREY,
            height=0.7,
            label=fmt._(INDICATORS[str(spec.denominator)].label),
        )
        ax.barh(
            range(len(data)),
            members,
            color=BLUE,
            height=0.4,
            label=fmt._(INDICATORS[str(spec.numerator)].label),
        )
        for y, (end, reach) in enumerate(
            zip(pd.concat([households, members], axis=1).max(axis=1), data[name], strict=True)
        ):
            ax.text(end, y, f" {fmt.percent(reach)}", va="center", fontsize=6.5, color=INK)
        ax.set_xlim(0, max(households.max(), members.max()) * 1.25)
        _axis_numbers(ax, fmt)
        ax.set_xlabel(fmt._(_axis(name)))
        # Anchored to the figure, not the axes, so long territory names never push it off.
        figure.legend(
            loc="upper left",
            bbox_to_anchor=(0.01, 0.995),
            ncol=2,
            fontsize=6,
            frameon=False,
            borderaxespad=0.2,
        )
        figure.subplots_adjust(top=0.88)
    return figure


def price_by_territory(data: pd.DataFrame, name: str, fmt: Formatter, s: ChartSetting) -> Figure:
    """What price per tonne did groups obtain? Bars of US$/t against the document's average."""
    figure = blank_figure()
    average = s.average.value if s.average is not None else math.nan
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["territory"]))
        bars = ax.barh(range(len(data)), data[name], color=ORANGE, height=0.6)
        value_labels(ax, bars, [value_text(name, p, fmt) for p in data[name]])
        if s.average is not None and math.isfinite(average):
            # The average may lie beyond every bar (it also counts sales of no volume).
            ax.set_xlim(0, max(ax.get_xlim()[1], average * 1.15))
            ax.axvline(average, color=INK, linewidth=0.8, linestyle="--", zorder=2)
            ax.set_ylim(len(data) - 0.5, -1.3)
            right = average > 0.55 * ax.get_xlim()[1]  # near the right edge: write it leftwards
            label = fmt._(s.average_label).format(price=fmt.figure(s.average))
            ax.text(
                average,
                -0.85,
                f"{label} " if right else f" {label}",
                fontsize=6,
                color=INK,
                va="center",
                ha="right" if right else "left",
            )
        _axis_numbers(ax, fmt)
        ax.set_xlabel(fmt._(_axis(name)))
    return figure


def members_per_pmg(data: pd.DataFrame, name: str, fmt: Formatter, s: ChartSetting) -> Figure:
    """How large are the groups? Members per PMG; flagged territories in vermillion."""
    figure = blank_figure()
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["territory"]))
        colours = [VERMILLION if line in s.flagged else SKY for line in data.index]
        bars = ax.barh(range(len(data)), data[name], color=colours, height=0.6)
        value_labels(
            ax,
            bars,
            [
                value_text(name, v, fmt) + (" " + fmt._("(check)") if line in s.flagged else "")
                for line, v in data[name].items()
            ],
        )
        ax.set_xlabel(fmt._(_axis(name)))
        _axis_numbers(ax, fmt)
    return figure


#: The draw function of each charted indicator whose bars need more than `bars`.
DRAW: dict[str, Callable[[pd.DataFrame, str, Formatter, ChartSetting], Figure]] = {
    "value_usd": value_by_territory,
    "reach": reach_by_territory,
    "price_usd_per_t": price_by_territory,
    "members_per_pmg": members_per_pmg,
}


def change_over_time(trend: pd.DataFrame, fmt: Formatter) -> Figure:
    """How did sales and membership change? Value and members by period, side by side."""
    with mpl.rc_context(STYLE):
        figure = Figure(figsize=(SIZE[0] * 2, SIZE[1]))
        figure.subplots_adjust(left=0.1, right=0.97, top=0.9, bottom=0.2, wspace=0.35)
        for position, (column, colour, title) in enumerate(
            [
                ("value_usd", BLUE, fmt._("Value of sales (US$)")),
                ("members", ORANGE, fmt._("PMG members (number)")),
            ]
        ):
            ax = figure.add_subplot(1, 2, position + 1)
            # A period that did not report the figure gets no bar, and "–" in its place.
            reported = trend[column].notna()
            positions = [i for i, ok in enumerate(reported) if ok]
            bars = ax.bar(positions, trend[column][reported], color=colour, width=0.6)
            ax.set_xticks(range(len(trend)), labels=list(trend["period"]))
            ax.set_xlim(-0.5, len(trend) - 0.5)
            ax.bar_label(
                bars,
                labels=[fmt.number(v, decimals(column, v)) for v in trend[column][reported]],
                padding=2,
                fontsize=6.5,
                color=INK,
            )
            for i in (i for i, ok in enumerate(reported) if not ok):
                ax.text(i, 0, NOT_REPORTED, ha="center", va="bottom", fontsize=6.5, color=INK)
            top = trend[column].max()
            ax.set_ylim(0, float(top) * 1.2 if top > 0 else 1.0)
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: fmt.number(y)))
            ax.grid(axis="y", color="#E5E5E5", linewidth=0.6)
            ax.set_axisbelow(True)
            ax.set_title(title, fontsize=7.5, loc="left", color=INK)
    return figure
