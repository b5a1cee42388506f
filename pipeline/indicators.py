"""Derived indicators: per territory and for the whole country. Pure functions, no I/O."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pandera.typing import DataFrame

from pipeline.columns import NUMERIC
from pipeline.schemas import TerritoryIndicators, TerritoryInput


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN (not infinity) where the denominator is 0 or missing."""
    return (numerator / denominator.where(denominator > 0)).astype(float)


@pa.check_types
def territory_indicators(
    territories: DataFrame[TerritoryInput],
) -> DataFrame[TerritoryIndicators]:
    """Each territory's figures with reach, members per PMG, value per member, price and share."""
    total_value = territories["value_usd"].sum(min_count=1)
    return territories.assign(
        reach=_ratio(territories["members"], territories["target_households"]),
        members_per_pmg=_ratio(territories["members"], territories["pmgs"]),
        value_per_member_usd=_ratio(territories["value_usd"], territories["members"]),
        price_usd_per_t=_ratio(territories["value_usd"], territories["volume_sold_t"]),
        value_share=territories["value_usd"] / total_value if total_value > 0 else math.nan,
    )


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


def _paired_ratio(df: pd.DataFrame, numerator: str, denominator: str) -> float:
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
        reach=_paired_ratio(indicators, "members", "target_households"),
        value_per_member_usd=_paired_ratio(indicators, "value_usd", "members"),
        price_usd_per_t=_paired_ratio(indicators, "value_usd", "volume_sold_t"),
        not_reported={c: int(indicators[c].isna().sum()) for c in NUMERIC},
    )


def median_of_others(series: pd.Series) -> pd.Series:
    """For each row, the median of the other rows' values (NaN with fewer than two others)."""
    values = series.dropna()
    out = pd.Series(math.nan, index=series.index, dtype=float)
    for index in values.index:
        others = values.drop(index)
        if len(others) >= 2:
            out[index] = float(others.median())
    return out
