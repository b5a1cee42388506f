"""Plausibility flags: figures that validate but deserve a second look. Never changes data."""

from __future__ import annotations

import pandas as pd

from pipeline import config
from pipeline.check.locate import cell, finding
from pipeline.check.validate import CountryTable
from pipeline.compute.indicators import median_of_others, period_key
from pipeline.core.findings import Finding, Severity
from pipeline.core.formatting import Formatter, isolated

#: The rules of the flags a brief shows: figures that validate but deserve a second look.
FLAG_RULES = frozenset(
    {"members-per-pmg-outlier", "price-outlier", "members-above-target", "value-without-volume"}
)


def _flag(table: CountryTable, line: int, column: str, rule: str, message: str) -> Finding:
    spec = table.columns[column]
    value = cell(table.raw.row(line), spec).strip()
    return finding(table.raw, Severity.WARNING, line, spec.label, value, rule, message)


def _outliers(series: pd.Series, medians: pd.Series) -> pd.Series:
    """Ratio of each value to the median of the others, where that ratio is extreme."""
    # A median of 0 (or of nothing) is no yardstick: such territories are not compared.
    ratio = series / medians.where(medians > 0)
    factor = config.PLAUSIBILITY_FACTOR
    return ratio[(ratio > factor) | (ratio < 1 / factor)]


def plausibility_findings(
    table: CountryTable, indicators: pd.DataFrame, fmt: Formatter | None = None
) -> list[Finding]:
    """Warnings for outlying group sizes and prices, members above target, half-reported sales.

    Messages are in the brief's language, since the brief quotes them.
    """
    fmt = fmt or Formatter()
    n, usd = fmt.number, fmt.usd
    out: list[Finding] = []
    # Compare territories within their own period: prices and groups change over time.
    groups = period_key(indicators)
    medians = {
        c: median_of_others(indicators[c], groups) for c in ("members_per_pmg", "price_usd_per_t")
    }
    for line, ratio in _outliers(
        indicators["members_per_pmg"], medians["members_per_pmg"]
    ).items():
        row = indicators.loc[line]
        out.append(
            _flag(
                table,
                line,
                "members",
                "members-per-pmg-outlier",
                fmt._(
                    "{territory} reports {members} members in {pmgs} PMGs, {size} per group, "
                    "against a median of {median} in the other territories ({ratio} times)."
                ).format(
                    territory=isolated(row.territory),
                    members=n(row.members),
                    pmgs=n(row.pmgs),
                    size=n(row.members_per_pmg),
                    median=n(medians["members_per_pmg"][line]),
                    ratio=n(ratio, 1),
                ),
            )
        )
    for line, ratio in _outliers(
        indicators["price_usd_per_t"], medians["price_usd_per_t"]
    ).items():
        row = indicators.loc[line]
        out.append(
            _flag(
                table,
                line,
                "value_usd",
                "price-outlier",
                fmt._(
                    "{territory} sold at {price} per tonne, against a median of {median} in the "
                    "other territories ({ratio} times)."
                ).format(
                    territory=isolated(row.territory),
                    price=usd(row.price_usd_per_t),
                    median=usd(medians["price_usd_per_t"][line]),
                    ratio=n(ratio, 1),
                ),
            )
        )
    for line, row in indicators[
        indicators["members"] > indicators["target_households"]
    ].iterrows():
        out.append(
            _flag(
                table,
                int(line),
                "members",
                "members-above-target",
                fmt._(
                    "{territory} reports {members} members but only {households} target "
                    "households."
                ).format(
                    territory=isolated(row.territory),
                    members=n(row.members),
                    households=n(row.target_households),
                ),
            )
        )
    half = indicators["volume_sold_t"].isna() != indicators["value_usd"].isna()
    for line, row in indicators[half].iterrows():
        missing = "volume_sold_t" if pd.isna(row.volume_sold_t) else "value_usd"
        out.append(
            _flag(
                table,
                int(line),
                missing,
                "value-without-volume",
                (
                    fmt._(
                        "{territory} reports a value of sales but no volume, so its price per "
                        "tonne cannot be computed."
                    )
                    if missing == "volume_sold_t"
                    else fmt._(
                        "{territory} reports a volume of sales but no value, so its price per "
                        "tonne cannot be computed."
                    )
                ).format(territory=isolated(row.territory)),
            )
        )
    return out
