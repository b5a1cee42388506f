"""Derived indicators: per territory and for the whole country. Pure functions, no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame

from pipeline.check.schemas import TerritoryIndicators, TerritoryInput
from pipeline.read.columns import NUMERIC
from pipeline.read.periods import sort_key


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN (not infinity) where the denominator is 0 or missing."""
    return (numerator / denominator.where(denominator > 0)).astype(float)


@pa.check_types
def territory_indicators(
    territories: DataFrame[TerritoryInput],
) -> DataFrame[TerritoryIndicators]:
    """Each territory's figures with reach, members per PMG, value per member, price and share.

    The share of value is within the territory's period.
    """
    value = territories["value_usd"]
    total_value = value.groupby(period_key(territories)).transform(lambda v: v.sum(min_count=1))
    return territories.assign(
        reach=ratio(territories["members"], territories["target_households"]),
        members_per_pmg=ratio(territories["members"], territories["pmgs"]),
        value_per_member_usd=ratio(territories["value_usd"], territories["members"]),
        price_usd_per_t=ratio(territories["value_usd"], territories["volume_sold_t"]),
        value_share=ratio(value, total_value),
    )


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
    """Headline figures of one country: sums over reported cells, and ratios of those sums."""

    territories: int
    target_households: float
    pmgs: float
    members: float
    volume_sold_t: float
    value_usd: float
    reach: float
    value_per_member_usd: float
    price_usd_per_t: float
    not_reported: dict[str, int]  #: column -> number of territories that did not report it

    @property
    def members_per_pmg(self) -> float:
        """Members over PMGs, as the totals row shows them."""
        return self.members / self.pmgs if self.pmgs else math.nan

    def partial(self, column: str) -> bool:
        """True when the total of `column` leaves out territories that did not report it."""
        return self.not_reported.get(column, 0) > 0


def paired_ratio(df: pd.DataFrame, numerator: str, denominator: str) -> float:
    """Ratio of sums over the territories that reported both figures."""
    both = df[[numerator, denominator]].dropna()
    denom = both[denominator].sum()
    return float(both[numerator].sum() / denom) if denom > 0 else math.nan


def country_summary(indicators: pd.DataFrame) -> CountrySummary:
    """Country totals and ratios; a blank cell never counts as zero."""
    sums = {c: float(indicators[c].sum(min_count=1)) for c in NUMERIC}
    return CountrySummary(
        territories=len(indicators),
        **sums,
        reach=paired_ratio(indicators, "members", "target_households"),
        value_per_member_usd=paired_ratio(indicators, "value_usd", "members"),
        price_usd_per_t=paired_ratio(indicators, "value_usd", "volume_sold_t"),
        not_reported={c: int(indicators[c].isna().sum()) for c in NUMERIC},
    )


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
    return np.where(k < position, ranked[k], ranked[k + 1])
