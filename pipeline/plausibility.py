"""Plausibility flags: figures that validate but deserve a second look. Never changes data."""

from __future__ import annotations

import pandas as pd

from pipeline import config
from pipeline.findings import Finding, Severity
from pipeline.indicators import median_of_others
from pipeline.locate import cell, finding
from pipeline.validate import CountryTable


def _flag(table: CountryTable, line: int, column: str, rule: str, message: str) -> Finding:
    spec = table.columns[column]
    value = cell(table.raw.row(line), spec).strip()
    return finding(table.raw, Severity.WARNING, line, spec.label, value, rule, message)


def _outliers(series: pd.Series, medians: pd.Series) -> pd.Series:
    """Ratio of each value to the median of the others, where that ratio is extreme."""
    ratio = series / medians
    factor = config.PLAUSIBILITY_FACTOR
    return ratio[(ratio > factor) | (ratio < 1 / factor)]


def plausibility_findings(table: CountryTable, indicators: pd.DataFrame) -> list[Finding]:
    """Warnings for outlying group sizes and prices, members above target, half-reported sales."""
    out: list[Finding] = []
    medians = {c: median_of_others(indicators[c]) for c in ("members_per_pmg", "price_usd_per_t")}
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
                f"{row.territory} reports {row.members:,.0f} members in {row.pmgs:,.0f} PMGs, "
                f"{row.members_per_pmg:,.0f} per group, against a median of "
                f"{medians['members_per_pmg'][line]:,.0f} in the other territories "
                f"({ratio:,.1f} times).",
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
                f"{row.territory} sold at US${row.price_usd_per_t:,.0f} per tonne, against a median "
                f"of US${medians['price_usd_per_t'][line]:,.0f} in the other territories "
                f"({ratio:,.1f} times).",
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
                f"{row.territory} reports {row.members:,.0f} members but only "
                f"{row.target_households:,.0f} target households.",
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
                f"{row.territory} reports a {'value' if missing == 'volume_sold_t' else 'volume'} "
                f"of sales but no {'volume' if missing == 'volume_sold_t' else 'value'}, so its "
                "price per tonne cannot be computed.",
            )
        )
    return out
