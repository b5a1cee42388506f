"""Figures: every value a brief or the overview states, made once with its qualifiers.

Pure functions from validated tables and summaries to `core.figure.Figure` values: each with
its own precision (never more decimals than its own data has), its coverage, and the flags
that put it in doubt. The present stage shows them and never recomputes them.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from pipeline.compute.indicators import (
    CountrySummary,
    country_summary,
    in_period,
    periods,
)
from pipeline.compute.plausibility import FLAG_RULES, FLAGGED_INDICATORS
from pipeline.core.figure import Coverage, Figure, Flag, figure_id
from pipeline.core.findings import Finding
from pipeline.core.frames import line_of
from pipeline.core.registry import INDICATORS, Kind, decimals

#: The figures a summary states: every indicator but the shares (a total's share is 100%).
SUMMARY_INDICATORS: tuple[str, ...] = tuple(
    n for n, i in INDICATORS.items() if i.kind is not Kind.SHARE
)

#: A total whose value would change by more than this share without a flagged territory's
#: row says so beside it ("160 per group; 87 without Tana River, flagged").
FLAG_INFLUENCE = 0.2


def make_figure(
    country: str,
    name: str,
    value: float,
    coverage: Coverage,
    period: str = "",
    territory: str = "",
) -> Figure:
    """A figure with its ID and its own precision (the registry's rule applied to its value)."""
    return Figure(
        figure_id(country, name, period, territory),
        name,
        float(value),
        decimals(name, value),
        coverage,
        period=period,
        territory=territory,
    )


def summary_figures(
    s: CountrySummary, country: str, period: str, of: str = "territories"
) -> dict[str, Figure]:
    """The figures of a group of territories (a country, or the programme: `country`
    "programme"), each with how many of the group's territories reported it."""
    return {
        name: make_figure(
            country, name, s.values[name], Coverage(s.reporting[name], s.territories, of), period
        )
        for name in SUMMARY_INDICATORS
        if name in s.values
    }


def territory_figures(row: pd.Series, country: str) -> dict[str, Figure]:
    """The figures of one territory's row of the indicators table: a figure is reported (1 of
    1) or not (0 of 1); a ratio or share counts as reported when both its sides were."""
    territory = str(row["territory"])
    period = row["period"] if "period" in row and isinstance(row["period"], str) else ""
    out = {}
    for name, spec in INDICATORS.items():
        if name not in row:
            continue  # members by sex and age, when the file does not give them
        sides = [n for n in (spec.numerator, spec.denominator) if n] or list(
            spec.difference or [name]
        )
        reported = all(not math.isnan(float(row[n])) for n in sides)
        out[name] = make_figure(
            country, name, float(row[name]), Coverage(int(reported), 1), period, territory
        )
    return out


def territory_flags(findings: Iterable[Finding], frame: pd.DataFrame) -> dict[int, list[Flag]]:
    """The flags of each territory's row (by line), from the plausibility findings."""
    out: dict[int, list[Flag]] = {}
    for f in findings:
        if f.rule in FLAG_RULES and f.line is not None and f.line in frame.index:
            territory = str(frame.at[f.line, "territory"])
            out.setdefault(f.line, []).append(Flag(f.rule, territory, f.line, f.message))
    return out


def _concerns(flag: Flag, name: str) -> bool:
    """True when `flag` puts a figure of `name` in doubt (its own, or a ratio built on it)."""
    doubted = FLAGGED_INDICATORS.get(flag.rule, ())
    spec = INDICATORS[name]
    return name in doubted or any(side in doubted for side in (spec.numerator, spec.denominator))


#: The totals of a period's rows without some of them, by the rows left out: how many rows
#: are left, and their summary (None when none is).
WithoutRows = dict[tuple[Hashable, ...], tuple[int, CountrySummary | None]]


def flag_influence(
    total: Figure,
    rows: pd.DataFrame,
    flags: Mapping[int, list[Flag]],
    country: str,
    without_rows: WithoutRows | None = None,
) -> Figure:
    """`total` with the flags of the rows it rests on: a flagged row whose figures would change
    the total by more than FLAG_INFLUENCE if left out. Each such flag carries the total
    without every flagged row (itself a figure, as the brief states it).

    `without_rows` keeps the totals of `rows` without the rows in doubt, by those rows: most
    indicators of a period doubt the same rows, and their totals are summed once."""
    doubted = tuple(
        line
        for line in rows.index
        if any(_concerns(flag, total.indicator) for flag in flags.get(line_of(line), []))
    )
    if not doubted or total.missing:
        return total
    memo = {} if without_rows is None else without_rows
    if doubted not in memo:
        rest = rows.drop(index=list(doubted))
        memo[doubted] = (len(rest), country_summary(rest) if len(rest) else None)
    left, summary = memo[doubted]
    without = _value(summary, total.indicator) if summary is not None else math.nan
    mine = tuple(
        flag for line in doubted for flag in flags[int(line)] if _concerns(flag, total.indicator)
    )
    if math.isnan(without):  # nothing is left without them: the whole figure is in doubt
        return replace(total, flags=mine)
    if abs(without - total.value) <= FLAG_INFLUENCE * abs(total.value):
        return total
    names = ", ".join(str(rows.at[line, "territory"]) for line in doubted)
    other = make_figure(
        country,
        total.indicator,
        without,
        Coverage(left, left),
        total.period,
        f"without {names}",
    )
    return replace(total, flags=tuple(replace(flag, without=other) for flag in mine))


def _value(s: CountrySummary, name: str) -> float:
    return s.values.get(name, math.nan)


@dataclass(frozen=True)
class FigureSet:
    """Every figure of one country's brief: totals by period, and each territory's row."""

    country: str  #: ISO alpha-3
    totals: dict[str, dict[str, Figure]]  #: period -> indicator -> the country's figure
    territories: dict[int, dict[str, Figure]]  #: line -> indicator -> the territory's figure
    summaries: dict[str, CountrySummary] = field(default_factory=dict)  #: period -> sums

    def total(self, name: str, period: str) -> Figure:
        """The country's figure of `name` in `period`."""
        return self.totals[period][name]

    def row(self, line: int) -> dict[str, Figure]:
        """A territory's figures."""
        return self.territories[line]


def brief_figures(
    country: str, indicators: pd.DataFrame, findings: Iterable[Finding] = ()
) -> FigureSet:
    """Every figure a country's brief states, each with its coverage, precision and flags."""
    flags = territory_flags(findings, indicators)
    totals: dict[str, dict[str, Figure]] = {}
    summaries: dict[str, CountrySummary] = {}
    for period in periods(indicators):
        rows = in_period(indicators, period)
        s = summaries[period] = country_summary(rows)
        without_rows: WithoutRows = {}
        totals[period] = {
            name: flag_influence(f, rows, flags, country, without_rows)
            for name, f in summary_figures(s, country, period).items()
        }
    territories = {}
    for line, row in indicators.iterrows():
        own = flags.get(line_of(line), [])
        territories[line_of(line)] = {
            name: replace(f, flags=tuple(x for x in own if _concerns(x, name)))
            for name, f in territory_figures(row, country).items()
        }
    return FigureSet(country, totals, territories, summaries)


def share_total(figures: FigureSet, period: str) -> Figure:
    """The country's share of its own value of sales in `period`: 100% (what the indicators
    table's total row states), or no value when it sold nothing."""
    whole = figures.total(str(INDICATORS["value_share"].numerator), period)
    return make_figure(
        figures.country,
        "value_share",
        1.0 if whole.value > 0 else math.nan,
        whole.coverage,
        period,
    )


def leading(ind: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` territories with the largest value of sales, in file order."""
    if len(ind) <= limit:
        return ind
    top = ind["value_usd"].fillna(-1).nlargest(limit, keep="first").index
    return ind.loc[sorted(top)]


def others_figures(others: pd.DataFrame, country: str, whole: Figure) -> dict[str, Figure]:
    """The figures of the table's row "N other territories": the sums and ratios of the
    territories it does not list one by one, and their share of the country's value `whole`.
    Their IDs end in ".others" (the share's in ".others.share")."""
    o = summary_figures(country_summary(others), country, whole.period)
    out = {n: replace(f, id=f"{f.id}.others") for n, f in o.items()}
    part = out["value_usd"].value
    out["value_share"] = replace(
        whole,
        id=f"{out['value_usd'].id}.share",
        indicator="value_share",
        value=part / whole.value if whole.value > 0 and not math.isnan(part) else math.nan,
        decimals=0,
    )
    return out


def unlisted(indicators: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The latest period's territories a brief's table does not list one by one (it lists the
    `limit` with the largest value of sales), which its row "N other territories" sums."""
    ind = in_period(indicators, periods(indicators)[-1])
    return ind.drop(leading(ind, limit).index)


def flagged_totals(totals: Mapping[str, Figure]) -> dict[str, dict[str, object]]:
    """The totals that rest on flagged rows, as a record: indicator -> the total without
    them and the flagged territories (what the overview needs to say so)."""
    out: dict[str, dict[str, object]] = {}
    for name, f in totals.items():
        if not f.flags:
            continue
        without = next((x.without for x in f.flags if x.without is not None), None)
        out[name] = {
            # None: nothing is left without the flagged rows (the whole figure is in doubt)
            "without": without.value if without is not None else None,
            "territories": sorted({x.territory for x in f.flags}),
        }
    return out


def with_recorded_flags(
    figures: Mapping[str, Figure], flagged: Mapping[str, Mapping[str, object]]
) -> dict[str, Figure]:
    """A country's summary figures with the flags its record carries (`flagged_totals`)."""
    out = dict(figures)
    for name, record in flagged.items():
        if name not in out:
            continue
        f = out[name]
        territories = [str(t) for t in record.get("territories", [])]  # type: ignore[attr-defined]
        value = record.get("without")
        without = (
            make_figure(
                f.id.split(".")[0],
                name,
                float(value),  # type: ignore[arg-type]
                f.coverage,
                f.period,
                "without " + ", ".join(territories),
            )
            if value is not None
            else None
        )
        out[name] = replace(
            f, flags=tuple(Flag("flagged", t, None, "", without) for t in territories)
        )
    return out
