"""Derived indicators: per territory and for the whole country. Pure functions, no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd
from pandera.typing import DataFrame

from pipeline.check.schemas import TerritoryIndicators, TerritoryInput
from pipeline.core.names import identity
from pipeline.core.registry import (
    INDICATORS,
    OPTIONAL_RATIOS,
    RATIOS,
    Kind,
    optional_derived,
    optional_given,
)
from pipeline.core.registry import REPORTED as NUMERIC
from pipeline.read.periods import sort_key


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN (not infinity) where the denominator is 0 or missing."""
    return (numerator / denominator.where(denominator > 0)).astype(float)


def territory_indicators(
    territories: DataFrame[TerritoryInput],
) -> DataFrame[TerritoryIndicators]:
    """Each territory's figures with every derived indicator of the registry: the ratios
    (reach, members per PMG, value per member, price), then the shares of value.

    A share is within the territory's period: a period's shares add up to 1. The models in
    the signature are not checked again here: the input was validated against TerritoryInput
    to make the findings, and tests/test_indicators.py holds the output to
    TerritoryIndicators for any table that validates.
    """
    derived: dict[str, pd.Series] = {}
    for name, spec in INDICATORS.items():
        if spec.optional:
            continue
        if spec.kind is Kind.RATIO:
            numerator, denominator = RATIOS[name]
            derived[name] = ratio(territories[numerator], territories[denominator])
        elif spec.kind is Kind.SHARE:
            part = territories[str(spec.numerator)]
            whole = part.groupby(period_key(territories)).transform(lambda v: v.sum(min_count=1))
            derived[name] = ratio(part, whole)
    # Members by sex and age, only where the file gives them (#26): men where women are given.
    for name in optional_derived(optional_given(territories.columns)):
        spec = INDICATORS[name]
        if spec.difference:
            minuend, subtrahend = spec.difference
            derived[name] = (territories[minuend] - territories[subtrahend]).astype(float)
        else:
            numerator, denominator = OPTIONAL_RATIOS[name]
            derived[name] = ratio(territories[numerator], territories[denominator])
    return cast(DataFrame[TerritoryIndicators], territories.assign(**derived))


def period_key(frame: pd.DataFrame) -> pd.Series:
    """Each row's canonical period, "" when the file gives none."""
    if "period" in frame:
        return frame["period"].fillna("").astype(str)
    return pd.Series("", index=frame.index, dtype=str)


def periods(frame: pd.DataFrame) -> list[str]:
    """The periods a table covers, earliest first ([""] when it gives none)."""
    labels = sorted(set(period_key(frame)))
    return labels if labels == [""] else sorted(labels, key=sort_key)


def in_period(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    """The rows of one period."""
    return frame[period_key(frame) == period]


@dataclass(frozen=True)
class CountrySummary:
    """Headline figures of a group of territories: sums over the territories that reported each
    figure, and ratios of sums over the territories that reported both sides.

    Every reported and ratio indicator of the registry is an attribute: `s.value_usd`.
    """

    territories: int
    #: reported figure or ratio -> its value (NaN: not reported, or a divisor of 0)
    values: dict[str, float]
    #: figure or ratio -> territories that reported it (for a ratio: both its sides)
    reporting: dict[str, int]
    #: ratio -> (numerator, denominator) summed over the territories that reported both
    parts: dict[str, tuple[float, float]]
    #: the territories summed, as matched across files and periods (names.identity): two
    #: periods' totals compare like with like only over the same territories. Not a figure:
    #: left out of equality and of the flat record (a summary read back has none).
    names: frozenset[str] = field(default=frozenset(), compare=False)

    def __getattr__(self, name: str) -> float:
        # Only called for names that are not fields: the registry's indicators.
        if name.startswith("__") or name == "values":
            raise AttributeError(name)
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def partial(self, name: str) -> bool:
        """True when the figure or ratio leaves out territories that did not report it."""
        return 0 < self.reporting[name] < self.territories

    def missing(self, name: str) -> bool:
        """True when no territory reported the figure (for a ratio: both its sides)."""
        return self.reporting[name] == 0

    def given(self, name: str) -> bool:
        """True when the figure was summed: always for the required ones; for members by sex
        and age, when the country's file has their column."""
        return name in self.values

    def flat(self) -> dict[str, float]:
        """Every figure as a number, for the run's records and the overview."""
        out: dict[str, float] = {"territories": float(self.territories)}
        for name in self.values:
            out[name] = float(self.values[name])
            out[f"{name}_reporting"] = float(self.reporting[name])
        for name, (numerator, denominator) in self.parts.items():
            out[f"{name}_numerator"], out[f"{name}_denominator"] = numerator, denominator
        return out


def _parts(df: pd.DataFrame, numerator: str, denominator: str) -> tuple[int, float, float]:
    both = df[[numerator, denominator]].dropna()
    return len(both), float(both[numerator].sum()), float(both[denominator].sum())


def country_summary(indicators: pd.DataFrame) -> CountrySummary:
    """Country totals and ratios; a blank cell never counts as zero.

    Members by sex and age (#26) are summed only where the file has their columns; then the
    women's and youth's shares are ratios of sums, and men (members − women) the difference
    of sums over the territories that reported both.
    """
    values = {c: float(indicators[c].sum(min_count=1)) for c in NUMERIC}
    reporting = {c: int(indicators[c].notna().sum()) for c in NUMERIC}
    parts: dict[str, tuple[float, float]] = {}
    for name, (numerator, denominator) in RATIOS.items():
        reporting[name], top, bottom = _parts(indicators, numerator, denominator)
        parts[name] = (top, bottom)
        values[name] = top / bottom if bottom > 0 else math.nan
    given = optional_given(indicators.columns)
    for c in given:
        values[c] = float(indicators[c].sum(min_count=1))
        reporting[c] = int(indicators[c].notna().sum())
    for name in optional_derived(given):
        spec = INDICATORS[name]
        if spec.difference:
            whole, part = spec.difference
            reporting[name], top, bottom = _parts(indicators, whole, part)
            values[name] = top - bottom if reporting[name] else math.nan
        else:
            numerator, denominator = OPTIONAL_RATIOS[name]
            reporting[name], top, bottom = _parts(indicators, numerator, denominator)
            parts[name] = (top, bottom)
            values[name] = top / bottom if bottom > 0 else math.nan
    # Tables built by hand (tests, the overview's sums) may carry no territory column.
    named = "territory" in indicators.columns
    names = frozenset(map(identity, indicators["territory"].astype(str))) if named else frozenset()
    return CountrySummary(len(indicators), values, reporting, parts, names)


def median_of_others(series: pd.Series, groups: pd.Series | None = None) -> pd.Series:
    """For each row, the median of the other rows' values in its group (NaN with < 2 others).

    Each group is sorted once: leaving out the value at sorted position p shifts every later
    value down by one, so the others' middle is read straight from the sorted array (O(n log n),
    where dropping each row in turn was O(n²): 0.57 s for a 2,000-territory country).
    """
    out = pd.Series(math.nan, index=series.index, dtype=float)
    keys = groups if groups is not None else pd.Series("", index=series.index)
    for _, members in series.groupby(keys):
        values = members.dropna()
        n = len(values)
        if n < 3:
            continue  # fewer than two others
        order = np.argsort(values.to_numpy(dtype=float), kind="stable")
        ranked = values.to_numpy(dtype=float)[order]
        position = np.empty(n, dtype=int)
        position[order] = np.arange(n)
        half = (n - 1) // 2
        if (n - 1) % 2:
            middle = _kth_of_others(ranked, position, half)
        else:
            below = _kth_of_others(ranked, position, half - 1)
            middle = (below + _kth_of_others(ranked, position, half)) / 2
        out[values.index] = middle
    return out


def _kth_of_others(ranked: np.ndarray, position: np.ndarray, k: int) -> np.ndarray:
    """For every row, the k-th smallest value once its own (at sorted `position`) is left out."""
    return cast(np.ndarray, np.where(k < position, ranked[k], ranked[k + 1]))


def summary_from_flat(flat: dict[str, float]) -> CountrySummary:
    """A summary back from its flat record (CountrySummary.flat)."""

    def get(key: str) -> float:
        return float(flat.get(key, math.nan))

    extra = tuple(n for n in (*OPTIONAL_GIVEN_ORDER,) if n in flat)
    ratios = (*RATIOS, *(n for n in OPTIONAL_RATIOS if n in flat))
    return CountrySummary(
        int(flat.get("territories", 0)),
        {name: get(name) for name in (*NUMERIC, *RATIOS, *extra)},
        {n: int(flat.get(f"{n}_reporting", 0)) for n in (*NUMERIC, *RATIOS, *extra)},
        {n: (get(f"{n}_numerator"), get(f"{n}_denominator")) for n in ratios},
    )


def combined_summary(summaries: list[CountrySummary]) -> CountrySummary:
    """Several groups as one: sums, reporting counts and ratio parts added up."""

    def total(values: list[float]) -> float:
        reported = [v for v in values if not math.isnan(v)]
        return float(sum(reported)) if reported else math.nan

    given = tuple(n for n in OPTIONAL_GIVEN_ORDER if any(s.given(n) for s in summaries))
    summed = (*NUMERIC, *(n for n in given if INDICATORS[n].kind is not Kind.RATIO))
    values = {c: total([s.values.get(c, math.nan) for s in summaries]) for c in summed}
    reporting = {
        n: sum(s.reporting.get(n, 0) for s in summaries) for n in (*NUMERIC, *RATIOS, *given)
    }
    parts: dict[str, tuple[float, float]] = {}
    for name in (*RATIOS, *(n for n in given if n in OPTIONAL_RATIOS)):
        counted = [s.parts[name] for s in summaries if s.reporting.get(name)]
        top, bottom = sum(p[0] for p in counted), sum(p[1] for p in counted)
        parts[name] = (float(top), float(bottom))
        values[name] = top / bottom if bottom > 0 else math.nan
    order = {n: i for i, n in enumerate((*NUMERIC, *RATIOS, *given))}
    values = dict(sorted(values.items(), key=lambda kv: order[kv[0]]))
    return CountrySummary(sum(s.territories for s in summaries), values, reporting, parts)


#: Members by sex and age and what is computed from them, in the order a summary holds them.
OPTIONAL_GIVEN_ORDER: tuple[str, ...] = (
    *optional_given(INDICATORS),
    *optional_derived(optional_given(INDICATORS)),
)
