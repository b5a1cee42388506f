"""Figures: every value a brief or the overview states, made once with its qualifiers.

Pure functions from validated tables and summaries to `core.figure.Figure` values; the
present stage shows them and never recomputes them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from pipeline.compute.indicators import CountrySummary
from pipeline.core.figure import Coverage, Figure, Flag, figure_id
from pipeline.core.registry import INDICATORS, REPORTED, Kind, decimals

#: The figures a summary states: every indicator but the shares (a total's share is 100%).
SUMMARY_INDICATORS: tuple[str, ...] = tuple(
    n for n, i in INDICATORS.items() if i.kind is not Kind.SHARE
)


def precision(frame: pd.DataFrame) -> dict[str, int]:
    """Each indicator's decimals, from the figures reported in `frame`: one written form of
    each indicator throughout a document."""
    return {
        name: decimals(name, list(frame[name]) if name in frame and name in REPORTED else [])
        for name in INDICATORS
    }


def summary_figures(
    s: CountrySummary,
    country: str,
    period: str,
    places: Mapping[str, int],
    of: str = "territories",
    flags: Mapping[str, tuple[Flag, ...]] | None = None,
) -> dict[str, Figure]:
    """The figures of a group of territories (a country, or the programme: `country`
    "programme"), each with how many of the group's territories reported it."""
    flags = flags or {}
    return {
        name: Figure(
            figure_id(country, name, period),
            name,
            float(getattr(s, name)),
            places[name],
            Coverage(s.reporting[name], s.territories, of),
            flags.get(name, ()),
            period,
        )
        for name in SUMMARY_INDICATORS
    }


def territory_figures(
    row: pd.Series,
    country: str,
    places: Mapping[str, int],
    flags: tuple[Flag, ...] = (),
) -> dict[str, Figure]:
    """The figures of one territory's row of the indicators table: a figure is reported (1 of
    1) or not (0 of 1); a ratio or share counts as reported when both its sides were."""
    territory = str(row["territory"])
    period = str(row["period"]) if "period" in row and isinstance(row["period"], str) else ""
    out = {}
    for name, spec in INDICATORS.items():
        value = float(row[name])
        sides = [n for n in (spec.numerator, spec.denominator) if n] or [name]
        reported = all(not math.isnan(float(row[n])) for n in sides)
        out[name] = Figure(
            figure_id(country, name, period, territory),
            name,
            value,
            places[name],
            Coverage(int(reported), 1),
            tuple(f for f in flags if _flag_concerns(f.rule, name)),
            period,
            territory,
        )
    return out


#: The indicators each plausibility flag puts in doubt.
FLAGGED_INDICATORS: dict[str, tuple[str, ...]] = {
    "members-per-pmg-outlier": ("members", "members_per_pmg"),
    "price-outlier": ("value_usd", "price_usd_per_t"),
    "members-above-target": ("members", "reach"),
    "value-without-volume": ("price_usd_per_t",),
}


def _flag_concerns(rule: str, indicator: str) -> bool:
    return indicator in FLAGGED_INDICATORS.get(rule, ())
