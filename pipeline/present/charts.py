"""Chart figures. Each function takes indicators and returns a matplotlib Figure (no I/O)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator
from matplotlib.typing import RcKeyType

from pipeline import config
from pipeline.core.figure import Figure as Stated  # a stated figure; Figure is the chart
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.core.registry import INDICATORS, Unit, decimals
from pipeline.present.measure import text_pt

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
BLUE, SKY, ORANGE, VERMILLION, GREY = "#0072B2", "#56B4E9", "#E69F00", "#D55E00", "#BBBBBB"
INK = "#222222"
#: Bars whose fill has less than 3:1 contrast with the white page (WCAG 1.4.11) are outlined
#: in a darker shade of their own colour that has it; blue and vermillion need none.
OUTLINE = {SKY: BLUE, ORANGE: "#8F6300", GREY: "#767676"}
OUTLINE_PT = 0.6


def outlined(colour: str | list[str]) -> dict[str, Any]:
    """barh/bar keyword arguments: the fill, and the outline its contrast asks for."""
    colours = [colour] if isinstance(colour, str) else colour
    edges = [OUTLINE.get(c, c) for c in colours]
    return {
        "color": colour,
        "edgecolor": edges[0] if isinstance(colour, str) else edges,
        "linewidth": OUTLINE_PT,
    }


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


#: Chart geometry, in inches. Width: two charts side by side across the A4 text block. Height:
#: a band on top for a legend or a reference line's label, the bars (a fixed height per bar, so
#: four bars make a short chart and fifteen a tall one), and the ticks and axis label below.
WIDTH = 3.35
BAND = 0.2
AXIS = 0.37
BARE_AXIS = 0.06  #: an axis without labels: each bar is labelled with its value
PER_BAR = 0.17
LEAST_BARS = 0.62
#: A share of members (#26) is a compact chart: no band (it has no legend nor reference line)
#: and thinner bars, so that with it Kenya's brief still starts its programme narrative on
#: page 2 and keeps to its three pages in every language (tests/test_layout.py).
COMPACT_BAND, COMPACT_PER_BAR, COMPACT_LEAST_BARS = 0.06, 0.14, 0.5
#: The change-over-time chart: two panels across the text block.
TREND_SIZE = (WIDTH * 2, 2.0)
#: Text sizes of the charts, in points: ticks and axis labels, and labels at the bar ends.
TICK_PT, LABEL_PT, REFERENCE_PT = 7.5, 6.5, 6.0
#: Distance between a bar's end and its label, and the clearance kept around a label (points).
LABEL_PAD, CLEAR = 2.0, 1.5
#: Nothing is drawn closer than this to the figure's edges (figure fraction).
EDGE = 0.012


def blank_figure(bars: int, axis: float = AXIS, compact: bool = False) -> Figure:
    """An empty chart figure tall enough for `bars` bars, over an axis `axis` inches tall;
    `compact`: without the band on top, and with thinner bars."""
    band = COMPACT_BAND if compact else BAND
    per_bar, least = (COMPACT_PER_BAR, COMPACT_LEAST_BARS) if compact else (PER_BAR, LEAST_BARS)
    height = band + axis + max(least, per_bar * bars)
    with mpl.rc_context(STYLE):
        figure = Figure(figsize=(WIDTH, height))
        figure.subplots_adjust(left=0.3, right=0.95, top=1 - band / height, bottom=axis / height)
        return figure


#: Longest bar label drawn in full; longer names end in "…" (tables and alt text give them whole).
LABEL_CHARS = 24


def short_label(text: str) -> str:
    """A bar label that fits beside a half-page chart."""
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def short_labels(names: Iterable[object]) -> dict[str, str]:
    """Each name's bar label, no two alike: a name whose short form another shares keeps its
    end as well ("Zone with a long na…rict 12"), or stays whole when even that is not enough."""
    every = list(dict.fromkeys(str(n) for n in names))
    forms = {n: short_label(n) for n in every}
    shared = Counter(forms.values())
    for form in [f for f, k in shared.items() if k > 1]:
        group = [n for n in every if forms[n] == form]
        for tail in range(1, LABEL_CHARS - 4):
            if len({n[-tail:] for n in group}) == len(group):
                for n in group:
                    forms[n] = n[: LABEL_CHARS - 1 - tail].rstrip() + "…" + n[-tail:]
                break
        else:
            forms.update({n: n for n in group})
    if len(set(forms.values())) < len(forms):  # a kept end met another name: none shortened
        return {n: n for n in every}
    return forms


def hbar_axes(figure: Figure, labels: list[str]) -> Axes:
    short = short_labels(labels)
    labels = [short[str(label)] for label in labels]
    # Room on the left for the longest label, measured in the charts' own face.
    widest = max((text_pt(label, TICK_PT) for label in labels), default=0.0)
    left = (widest + 6) / (WIDTH * 72)
    figure.subplots_adjust(left=min(0.5, max(0.12, left)))
    with mpl.rc_context(STYLE):
        ax = figure.add_subplot()
    ax.set_yticks(range(len(labels)), labels=labels)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    return ax


def tick_decimals(x: float) -> int:
    """The decimals a tick value needs: ticks are round numbers, and 0.4 is not "0"."""
    for places in range(6):
        scaled = x * 10**places
        if abs(scaled - round(scaled)) < 1e-6 * max(1.0, abs(scaled)):
            return places
    return 6


def _axis_numbers(ax: Axes, fmt: Formatter) -> None:
    """Plain thousands-separated ticks, with the decimals each needs; the unit is in the
    axis label."""
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fmt.number(x, tick_decimals(x))))


def _ticks(xmax: float, axes_pt: float, label: Callable[[float], str]) -> MaxNLocator:
    """As many ticks on [0, xmax] as fit (up to five) with their labels clear of each other."""
    for bins in (4, 3, 2, 1):
        locator = MaxNLocator(nbins=bins)
        ticks = [t for t in locator.tick_values(0, xmax) if 0 <= t <= xmax]
        if len(ticks) < 2:
            break
        step_pt = (ticks[1] - ticks[0]) / xmax * axes_pt
        if max(text_pt(label(t), TICK_PT) for t in ticks) + 4 <= step_pt:
            break
    return locator


def _label_starts(
    ends: list[float], widths: list[float], xmax: float, axes_pt: float, avoid: float | None
) -> list[float]:
    """Where each label starts (data units), past its bar's end and clear of the line."""
    per_pt = xmax / axes_pt
    starts = []
    for end, width in zip(ends, widths, strict=True):
        start = end + LABEL_PAD * per_pt
        if avoid is not None and end - CLEAR * per_pt <= avoid <= start + (width + CLEAR) * per_pt:
            start = max(start, avoid + LABEL_PAD * per_pt)
        starts.append(start)
    return starts


def value_labels(
    ax: Axes,
    bars: Sequence[Any],
    texts: list[str],
    room: float = 1.05,
    avoid: float | None = None,
) -> list[float]:
    """Value labels at the bar ends, inside the axes and clear of a reference line at
    x = `avoid`; the axis reaches far enough for every label, its ticks are as many as fit,
    and the last tick label stays inside the figure. Returns where each label starts.

    Set the axis' tick formatter first: the ticks' widths are measured with it. A label that
    would straddle the reference line starts just past it instead, so the line never
    crosses a figure. The geometry is settled in numbers, then given to matplotlib once.
    """
    label = ax.xaxis.get_major_formatter()
    ends = [float(b.get_x() + b.get_width()) for b in bars]
    rows = [float(b.get_y() + b.get_height() / 2) for b in bars]
    widths = [text_pt(t, LABEL_PT) for t in texts]
    box = ax.get_position()
    left, right = box.x0, box.x1
    xmax = max([*ends, avoid or 0.0, 1e-9]) * room
    starts, locator = ends, MaxNLocator(nbins=4)
    for _ in range(6):
        axes_pt = (right - left) * WIDTH * 72
        starts = _label_starts(ends, widths, xmax, axes_pt, avoid)
        # A label ends inside the axes: start + (width + clearance) × xmax / axes_pt <= xmax.
        wanted = max(
            [xmax]
            + [
                s / (1 - (w + CLEAR) / axes_pt)
                for s, w in zip(starts, widths, strict=True)
                if w + CLEAR < axes_pt * 0.9
            ]
        )
        grew = wanted > xmax * 1.0001
        xmax = wanted * 1.01 if grew else xmax
        locator = _ticks(xmax, axes_pt, label)
        ticks = [t for t in locator.tick_values(0, xmax) if 0 < t <= xmax]
        # The last tick label's right end, left + width × share + half, stays in the figure.
        moved = False
        if ticks:
            half = text_pt(label(ticks[-1]), TICK_PT) / 2 / (WIDTH * 72)
            fitted = min(0.97, left + (1 - EDGE - half - left) / (ticks[-1] / xmax))
            moved = abs(fitted - right) >= 1e-4
            right = fitted
        if not moved and not grew:
            break
    ax.figure.subplots_adjust(right=right)
    ax.set_xlim(0, xmax)
    ax.xaxis.set_major_locator(locator)
    for start, y, text in zip(starts, rows, texts, strict=True):
        # A white backing keeps labels readable over the grid.
        ax.text(
            start,
            y,
            text,
            va="center",
            ha="left",
            fontsize=LABEL_PT,
            color=INK,
            zorder=3,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3},
        )
    return starts


def x_label(ax: Axes, text: str) -> None:
    """The axis label, centred under the axes, or moved in as far as it must to lie inside
    the figure (long territory names push the axes right)."""
    ax.set_xlabel(text)
    box = ax.get_position()
    half = text_pt(text, TICK_PT) / 2 / (WIDTH * 72)
    centre = min(max(box.x0 + box.width / 2, EDGE + half), 1 - EDGE - half)
    ax.xaxis.label.set_x((centre - box.x0) / box.width)


def reference_line(ax: Axes, x: float, label: str) -> None:
    """A dashed line at `x` across the bars, labelled in the band above the axes, where no
    bar or value label is; the label lies inside the figure, as near the line as fits."""
    ax.axvline(x, color=INK, linewidth=0.8, linestyle="--", zorder=2)
    lo, hi = ax.get_xlim()
    box = ax.get_position()
    at = box.x0 + box.width * (x - lo) / (hi - lo)  # the line, in figure fraction
    half = text_pt(label, REFERENCE_PT) / 2 / (WIDTH * 72)
    centre = min(max(at, EDGE + half), 1 - EDGE - half)
    figure = ax.get_figure(root=True)
    assert isinstance(figure, Figure)  # our charts are whole figures, never sub-figures
    figure.text(
        centre,
        box.y1 + 0.2 * BAND / figure.get_figheight(),
        label,
        fontsize=REFERENCE_PT,
        color=INK,
        ha="center",
        va="bottom",
    )


@dataclass(frozen=True)
class ChartSetting:
    """What a document's charts share: its reference figure and its flagged rows."""

    #: the document's average price (country or programme), for the price chart's line
    average: Stated | None = None
    #: msgid: the average's label ("country average {price}")
    average_label: str = ""
    #: lines (rows of the brief's table) whose group size is flagged for checking
    flagged: frozenset[int] = frozenset()
    #: each charted indicator's lines whose figure is flagged, for what the web edition says
    flags: dict[str, frozenset[int]] = field(default_factory=dict)


def value_text(name: str, value: float, fmt: Formatter) -> str:
    """A bar's value as every other place writes that figure: its own precision and unit."""
    return fmt.value(name, value, decimals(name, value))


#: Bar colours by indicator; the others are sky blue.
COLOURS = {"value_usd": BLUE, "price_usd_per_t": ORANGE}


def _axis(name: str) -> str:
    chart = INDICATORS[name].chart
    return chart.axis if chart else ""


def bars(data: pd.DataFrame, name: str, fmt: Formatter, s: ChartSetting) -> Figure:
    """Plain bars of one indicator by territory (or country), each with its value."""
    # A share of members (0-1) is drawn in percent, compact, on an axis from 0 without tick
    # labels: its question and each bar's label say the share (#26), and the brief keeps to
    # its pages (Portuguese Kenya with a gap starts its narrative on page 2 only so).
    share = INDICATORS[name].unit is Unit.SHARE
    figure = blank_figure(len(data), BARE_AXIS, compact=True) if share else blank_figure(len(data))
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["territory"]))
        lengths = data[name] * 100 if share else data[name]
        drawn = ax.barh(
            range(len(lengths)), lengths, height=0.6, **outlined(COLOURS.get(name, SKY))
        )
        _axis_numbers(ax, fmt)
        if share:
            ax.set_xlim(0, 100)
        value_labels(ax, drawn, [value_text(name, v, fmt) for v in data[name]])
        if share:
            ax.tick_params(axis="x", labelbottom=False, length=0)
        else:
            x_label(ax, fmt._(_axis(name)))
    return figure


def value_by_territory(data: pd.DataFrame, name: str, fmt: Formatter, s: ChartSetting) -> Figure:
    """Where did the sales value come from? Bars of value, largest first, with shares."""
    figure = blank_figure(len(data))
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["territory"]))
        drawn = ax.barh(range(len(data)), data[name], color=BLUE, height=0.6)
        _axis_numbers(ax, fmt)
        value_labels(
            ax,
            drawn,
            [
                f"{value_text(name, v, fmt)} ({fmt.percent(share)})"
                for v, share in zip(data[name], data["value_share"], strict=True)
            ],
        )
        x_label(ax, fmt._(_axis(name)))
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
    figure = blank_figure(len(data))
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["territory"]))
        targets = ax.barh(
            range(len(data)),
            households,
            height=0.7,
            **outlined(GREY),
            label=fmt._(INDICATORS[str(spec.denominator)].label),
        )
        ax.barh(
            range(len(data)),
            members,
            color=BLUE,
            height=0.4,
            label=fmt._(INDICATORS[str(spec.numerator)].label),
        )
        _axis_numbers(ax, fmt)
        # Members may outnumber target households: each label goes past the longer bar.
        longer = [max(t, m) for t, m in zip(households, members, strict=True)]
        for bar, end in zip(targets, longer, strict=True):
            bar.set_width(end)
        value_labels(ax, targets, [fmt.percent(r) for r in data[name]])
        for bar, target in zip(targets, households, strict=True):
            bar.set_width(target)
        x_label(ax, fmt._(_axis(name)))
        # In the band above the bars, anchored to the figure: long names never push it off.
        figure.legend(
            loc="upper left",
            bbox_to_anchor=(EDGE, 1.0),
            ncol=2,
            fontsize=6,
            frameon=False,
            borderaxespad=0.1,
            handlelength=1.5,
            columnspacing=1.2,
        )
    return figure


def price_by_territory(data: pd.DataFrame, name: str, fmt: Formatter, s: ChartSetting) -> Figure:
    """What price per tonne did groups obtain? Bars of US$/t against the document's average."""
    figure = blank_figure(len(data))
    average = s.average
    line = average.value if average is not None and math.isfinite(average.value) else None
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["territory"]))
        drawn = ax.barh(range(len(data)), data[name], height=0.6, **outlined(ORANGE))
        _axis_numbers(ax, fmt)
        # The average may lie beyond every bar (it also counts sales of no volume).
        value_labels(ax, drawn, [value_text(name, p, fmt) for p in data[name]], avoid=line)
        if line is not None and average is not None:
            reference_line(ax, line, fmt._(s.average_label).format(price=fmt.figure(average)))
        x_label(ax, fmt._(_axis(name)))
    return figure


def members_per_pmg(data: pd.DataFrame, name: str, fmt: Formatter, s: ChartSetting) -> Figure:
    """How large are the groups? Members per PMG; flagged territories in vermillion."""
    figure = blank_figure(len(data))
    with mpl.rc_context(STYLE):
        ax = hbar_axes(figure, list(data["territory"]))
        colours = [VERMILLION if line in s.flagged else SKY for line in data.index]
        drawn = ax.barh(range(len(data)), data[name], height=0.6, **outlined(colours))
        _axis_numbers(ax, fmt)
        value_labels(
            ax,
            drawn,
            [
                value_text(name, v, fmt) + (" " + fmt._("(check)") if line in s.flagged else "")
                for line, v in data[name].items()
            ],
        )
        x_label(ax, fmt._(_axis(name)))
    return figure


#: The draw function of each charted indicator whose bars need more than `bars`.
DRAW: dict[str, Callable[[pd.DataFrame, str, Formatter, ChartSetting], Figure]] = {
    "value_usd": value_by_territory,
    "reach": reach_by_territory,
    "price_usd_per_t": price_by_territory,
    "members_per_pmg": members_per_pmg,
}


def change_over_time(trend: pd.DataFrame, fmt: Formatter) -> Figure:
    """How did sales and membership change? Value and members by period, side by side.

    Each panel's left margin is as wide as its widest tick label, and the labels over the
    bars shrink (down to 5 pt) and then alternate in height so that neighbours never touch.
    """
    panels = [
        ("value_usd", BLUE, fmt._("Value of sales (US$)")),
        ("members", ORANGE, fmt._("PMG members (number)")),
    ]
    width_pt, height = TREND_SIZE[0] * 72, TREND_SIZE[1]
    ticks = []
    tops = {c: float(trend[c].max()) if trend[c].max() > 0 else 0.0 for c, *_ in panels}
    for column, *_ in panels:
        ymax = tops[column] * 1.25 or 1.0
        values = [t for t in MaxNLocator(nbins=4).tick_values(0, ymax) if 0 <= t <= ymax]
        widest = max(text_pt(fmt.number(t, tick_decimals(t)), TICK_PT) for t in values)
        ticks.append((ymax, widest + 6))
    gap = 14.0
    axes_pt = (width_pt * (1 - 2 * EDGE) - ticks[0][1] - ticks[1][1] - gap) / 2
    with mpl.rc_context(STYLE):
        figure = Figure(figsize=TREND_SIZE)
        left = width_pt * EDGE
        for (column, colour, title), (ymax, margin) in zip(panels, ticks, strict=True):
            left += margin
            ax = figure.add_axes((left / width_pt, 0.2, axes_pt / width_pt, 0.7), label=column)
            left += axes_pt + gap
            # A period that did not report the figure gets no bar, and "–" in its place.
            reported = trend[column].notna()
            positions = [i for i, ok in enumerate(reported) if ok]
            bars = ax.bar(positions, trend[column][reported], width=0.6, **outlined(colour))
            ax.set_xticks(range(len(trend)), labels=list(trend["period"]))
            ax.set_xlim(-0.5, len(trend) - 0.5)
            texts = [fmt.number(v, decimals(column, v)) for v in trend[column][reported]]
            step = axes_pt / max(len(trend), 1)
            widest = max((text_pt(t, LABEL_PT) for t in texts), default=0.0)
            size = max(5.0, min(LABEL_PT, LABEL_PT * (step - 3) / widest)) if widest else LABEL_PT
            stagger = widest * size / LABEL_PT + 3 > step
            for n, (bar, text) in enumerate(zip(bars, texts, strict=True)):
                ax.annotate(
                    text,
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 2 + (size + 1.5) * (n % 2 if stagger else 0)),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=size,
                    color=INK,
                )
            for i in (i for i, ok in enumerate(reported) if not ok):
                ax.text(i, 0, NOT_REPORTED, ha="center", va="bottom", fontsize=6.5, color=INK)
            # Room above the tallest bar for its label, two rows of them when staggered.
            label_share = (2 + (size + 1.5) * (2 if stagger else 1)) / (0.7 * height * 72)
            ax.set_ylim(0, max(ymax, tops[column] / (1 - label_share)))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
            ax.yaxis.set_major_formatter(
                FuncFormatter(lambda y, _: fmt.number(y, tick_decimals(y)))
            )
            ax.grid(axis="y", color="#E5E5E5", linewidth=0.6)
            ax.set_axisbelow(True)
            ax.set_title(title, fontsize=7.5, loc="left", color=INK)
    return figure
