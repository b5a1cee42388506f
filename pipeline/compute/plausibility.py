"""Plausibility flags: figures that validate but deserve a second look. Never changes data.

Two kinds of yardstick, both per territory and period:
- relative: far from the median of the country's other territories (PLAUSIBILITY_FACTOR);
- absolute: outside the range a figure can plausibly take anywhere (the registry's
  `plausible` bounds, each with its reasoning), so that one territory alone can be flagged.

A figure that was not reported is a gap, never a flag: the brief says "not reported".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pandas as pd

from pipeline import config
from pipeline.check.locate import cell, finding
from pipeline.check.validate import CountryTable
from pipeline.compute.indicators import median_of_others, period_key
from pipeline.core.findings import Finding, Severity
from pipeline.core.formatting import Formatter, isolated
from pipeline.core.frames import line_of
from pipeline.core.registry import INDICATORS

#: The indicators each plausibility flag puts in doubt, in the territory's own row: its
#: figures, and any total or ratio built on them.
FLAGGED_INDICATORS: dict[str, tuple[str, ...]] = {
    "members-per-pmg-outlier": ("members", "pmgs", "members_per_pmg"),
    "members-per-pmg-implausible": ("members", "pmgs", "members_per_pmg"),
    "price-outlier": ("value_usd", "volume_sold_t", "price_usd_per_t"),
    "price-implausible": ("value_usd", "volume_sold_t", "price_usd_per_t"),
    "value-per-member-implausible": ("value_usd", "members", "value_per_member_usd"),
    "members-above-target": ("members", "target_households", "reach"),
}
#: The rules of the flags a brief shows: figures that validate but deserve a second look.
FLAG_RULES = frozenset(FLAGGED_INDICATORS)
#: The cell each flag points to (its finding's column): where the officer should look first.
_CELL = {
    "members-per-pmg-outlier": "members",
    "members-per-pmg-implausible": "members",
    "price-outlier": "value_usd",
    "price-implausible": "value_usd",
    "value-per-member-implausible": "value_usd",
    "members-above-target": "members",
}


def _flag(table: CountryTable, line: int, rule: str, message: str) -> Finding:
    spec = table.columns[_CELL[rule]]
    value = cell(table.raw.row(line), spec).strip()
    return finding(table.raw, Severity.WARNING, line, spec.label, value, rule, message)


def _outliers(series: pd.Series, medians: pd.Series) -> pd.Series:
    """Ratio of each value to the median of the others, where that ratio is extreme."""
    # A median of 0 (or of nothing) is no yardstick: such territories are not compared.
    ratio = series / medians.where(medians > 0)
    factor = config.PLAUSIBILITY_FACTOR
    return ratio[(ratio > factor) | (ratio < 1 / factor)]


def _outside(series: pd.Series, name: str) -> pd.Series:
    """The values outside the registry's plausible bounds of `name`."""
    low, high = INDICATORS[name].plausible
    out = pd.Series(False, index=series.index)
    if low is not None:
        out |= series < low
    if high is not None:
        out |= series > high
    return series[out & series.notna()]


def plausibility_findings(
    table: CountryTable, indicators: pd.DataFrame, fmt: Formatter | None = None
) -> list[Finding]:
    """Warnings for group sizes, prices and sales per member that are outliers among the
    territories or implausible anywhere, and for members above target.

    Messages are in the brief's language, since the brief quotes them. A territory flagged
    by both yardsticks for one figure gets the absolute flag only: it says more.
    """
    fmt = fmt or Formatter()
    out: list[Finding] = []
    flagged: set[tuple[int, str]] = set()
    for rule, name, says in _absolute_checks(fmt):
        for line, value in _outside(indicators[name], name).items():
            row = cast(pd.Series, indicators.loc[line_of(line)])
            out.append(_flag(table, line_of(line), rule, says(row, value)))
            flagged.add((line_of(line), name))
    # Compare territories within their own period: prices and groups change over time.
    groups = period_key(indicators)
    for rule, name, compares in _relative_checks(fmt):
        medians = median_of_others(indicators[name], groups)
        for line, ratio in _outliers(indicators[name], medians).items():
            if (line_of(line), name) in flagged:
                continue
            row = cast(pd.Series, indicators.loc[line_of(line)])
            out.append(
                _flag(table, line_of(line), rule, compares(row, medians[line_of(line)], ratio))
            )
    for line, row in indicators[
        indicators["members"] > indicators["target_households"]
    ].iterrows():
        out.append(
            _flag(
                table,
                line_of(line),
                "members-above-target",
                fmt._(
                    "{territory} reports {members} members but only {households} target "
                    "households."
                ).format(
                    territory=isolated(row.territory),
                    members=fmt.number(row.members),
                    households=fmt.number(row.target_households),
                ),
            )
        )
    return sorted(out, key=lambda f: (f.line or 0, f.rule))


def _absolute_checks(
    fmt: Formatter,
) -> list[tuple[str, str, Callable[[pd.Series, float], str]]]:
    """(rule, indicator, message) of each absolute bound."""
    n, usd = fmt.number, fmt.usd
    _, most_per_group = INDICATORS["members_per_pmg"].plausible
    low_price, high_price = INDICATORS["price_usd_per_t"].plausible
    _, most_per_member = INDICATORS["value_per_member_usd"].plausible
    return [
        (
            "members-per-pmg-implausible",
            "members_per_pmg",
            lambda row, value: fmt._(
                "{territory} reports {members} members in {pmgs} PMGs, {size} per group: a "
                "group of more than {most} could hardly sell as one."
            ).format(
                territory=isolated(row.territory),
                members=n(row.members),
                pmgs=n(row.pmgs),
                size=n(value),
                most=n(most_per_group),
            ),
        ),
        (
            "price-implausible",
            "price_usd_per_t",
            lambda row, value: fmt._(
                "{territory} sold at {price} per tonne, outside the {low} to {high} a tonne "
                "that farm produce sells for: check the units of volume and value."
            ).format(
                territory=isolated(row.territory),
                price=usd(value),
                low=usd(low_price),
                high=usd(high_price),
            ),
        ),
        (
            "value-per-member-implausible",
            "value_per_member_usd",
            lambda row, value: fmt._(
                "{territory} reports sales of {value} per member, more than {most}: check "
                "that the value is in US$ and the members are people."
            ).format(
                territory=isolated(row.territory),
                value=usd(value, 2 if value < 1000 else 0),
                most=usd(most_per_member),
            ),
        ),
    ]


def _relative_checks(
    fmt: Formatter,
) -> list[tuple[str, str, Callable[[pd.Series, float, float], str]]]:
    """(rule, indicator, message) of each comparison with the country's other territories."""
    n, usd = fmt.number, fmt.usd
    return [
        (
            "members-per-pmg-outlier",
            "members_per_pmg",
            lambda row, median, ratio: fmt._(
                "{territory} reports {members} members in {pmgs} PMGs, {size} per group, "
                "against a median of {median} in the other territories ({ratio} times)."
            ).format(
                territory=isolated(row.territory),
                members=n(row.members),
                pmgs=n(row.pmgs),
                size=n(row.members_per_pmg),
                median=n(median),
                ratio=n(ratio, 1),
            ),
        ),
        (
            "price-outlier",
            "price_usd_per_t",
            lambda row, median, ratio: fmt._(
                "{territory} sold at {price} per tonne, against a median of {median} in the "
                "other territories ({ratio} times)."
            ).format(
                territory=isolated(row.territory),
                price=usd(row.price_usd_per_t),
                median=usd(median),
                ratio=n(ratio, 1),
            ),
        ),
    ]
