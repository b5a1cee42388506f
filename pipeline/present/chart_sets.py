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
    finding: str = ""  #: what the chart shows, in one short sentence (the web edition's alt)
    data: ChartData | None = None  #: the figures the bars show, as a table (the web edition)


@dataclass(frozen=True)
class ChartData:
    """The figures a chart draws, as a table: one row per bar (or group of bars).

    `rows` are the figures as the chart writes them; `values` the same figures exactly, for a
    CSV download. The first column names the row (territory, country or period).
    """

    headings: tuple[str, ...]  #: each column's heading, with its unit
    names: tuple[str, ...]  #: each column's machine name (the CSV's header)
    rows: tuple[tuple[str, ...], ...]
    values: tuple[tuple[str | float, ...], ...]


def _heading(name: str, fmt: Formatter) -> str:
    indicator = INDICATORS[name]
    return f"{fmt._(indicator.header)} {fmt._(indicator.header_unit) % {}}".strip()


def chart_data(
    data: pd.DataFrame,
    first: tuple[str, str],
    columns: dict[str, pd.Series],
    fmt: Formatter,
    check: frozenset[int] = frozenset(),
) -> ChartData:
    """The table of a chart: `first` is the naming column (machine name, heading), `columns`
    the indicators drawn, each by its registry name. The rows in `check` (lines) say that
    their last figure is flagged."""
    names = list(data[first[0]])
    series = list(columns.items())
    marks = [_check(line, check, fmt) for line in data.index]
    return ChartData(
        (first[1], *(_heading(n, fmt) for n, _ in series)),
        (first[0], *(n for n, _ in series)),
        tuple(
            (str(label), *(value_text(n, float(s.iloc[i]), fmt) for n, s in series[:-1]))
            + (value_text(series[-1][0], float(series[-1][1].iloc[i]), fmt) + marks[i],)
            for i, label in enumerate(names)
        ),
        tuple(
            (str(label), *(float(s.iloc[i]) for _, s in series)) for i, label in enumerate(names)
        ),
    )


def _drawn_columns(name: str, spec: ChartSpec, data: pd.DataFrame) -> dict[str, pd.Series]:
    """The figures a chart of `name` draws: the ratio's two sides as the bars use them (a
    country's are summed over the territories that reported both), then the indicator."""
    indicator = INDICATORS[name]
    sides = {indicator.numerator: "numerator", indicator.denominator: "denominator"}
    columns: dict[str, pd.Series] = {}
    for need in spec.needs:
        if need == name:
            continue
        own = f"{name}_{sides[need]}" if need in sides else ""
        columns[need] = data[own] if own in data else data[need]
    columns[name] = data[name]
    return columns


def _check(line: object, check: frozenset[int], fmt: Formatter) -> str:
    return " (" + fmt._("flagged") + ")" if line in check else ""


def extremes_finding(
    label: str, data: pd.DataFrame, name: str, fmt: Formatter, check: frozenset[int] = frozenset()
) -> str:
    """ "Value of sales: highest in A, US$9; lowest in B, US$1." The chart in a sentence; a
    figure flagged for checking says so, as its bar does."""
    ordered = data.sort_values(name, ascending=False, kind="stable")
    values = ordered[name].astype(float).tolist()
    names = ordered["territory"].astype(str).tolist()
    lines = list(ordered.index)
    return fmt._(
        "{indicator}: highest in {top}, {top_value}; lowest in {bottom}, {bottom_value}."
    ).format(
        indicator=label,
        top=names[0],
        top_value=value_text(name, values[0], fmt) + _check(lines[0], check, fmt),
        bottom=names[-1],
        bottom_value=value_text(name, values[-1], fmt) + _check(lines[-1], check, fmt),
    )


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
    # The group-size chart marks its flagged bars "(check)" (charts.members_per_pmg); the
    # words and tables of the web edition mark every flagged figure.
    check = s.flags.get(name, frozenset())
    return Chart(
        question,
        alt + (f" {note}" if note else ""),
        figure,
        note,
        topic,
        finding=extremes_finding(fmt._(INDICATORS[name].label), ordered, name, fmt, check),
        data=chart_data(
            ordered,
            ("territory", fmt._("Territory") if brief else fmt._("Country")),
            _drawn_columns(name, spec, ordered),
            fmt,
            check,
        ),
    )


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
        and (not spec.optional or _compares(name, spec.chart, rows))
    ]


def _compares(name: str, spec: ChartSpec, rows: pd.DataFrame) -> bool:
    """An optional chart (the women's share) is drawn only when at least two rows report what
    it needs: else it is left out without a word, as its column may not exist (#26)."""
    if name not in rows or any(n not in rows for n in spec.needs):
        return False
    both = rows[list(spec.needs)].notna().all(axis=1)
    if spec.divisor:
        both &= rows[spec.divisor] > 0
    return int(both.sum()) >= 2


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
    first, last = trend.iloc[0], trend.iloc[-1]
    finding = " ".join(
        fmt._("{indicator}: {first} in {start}, {last} in {end}.").format(
            indicator=fmt._(INDICATORS[column].label),
            first=value_text(column, float(first[column]), fmt),
            start=first["period"],
            last=value_text(column, float(last[column]), fmt),
            end=last["period"],
        )
        for column in ("value_usd", "members")
    )
    return Chart(
        fmt._("How did sales and membership change over time?"),
        alt + (f" {note}" if note else ""),
        change_over_time(trend, fmt),
        note,
        finding=finding,
        data=chart_data(
            trend,
            ("period", fmt._("Period")),
            {"value_usd": trend["value_usd"], "members": trend["members"]},
            fmt,
        ),
    )
