"""The data dictionary: one pandera model per table, with units and meaning on every field."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Index, Series

from pipeline.config import CEILINGS
from pipeline.core.i18n import N_
from pipeline.core.names import identity
from pipeline.read.targets import INDICATORS as TARGET_INDICATORS

#: Figures counted in whole numbers (households, groups, people): written as integers.
COUNTS = ("target_households", "pmgs", "members")


def figure(column: str, description: str) -> Any:
    """A reported figure: not below 0, not above its ceiling (config.CEILINGS), may be missing.

    NaN means not reported, never zero. (A typed function, where a dict of keyword arguments
    would hide every argument's type from mypy.)
    """
    return pa.Field(ge=0, le=CEILINGS[column], nullable=True, description=description)


class TerritoryInput(pa.DataFrameModel):
    """One territory's reported figures for one period, as typed from the country file.

    The index is the physical line of the row in the original file. A missing number
    (NaN) means *not reported*, never zero.
    """

    line: Index[int] = pa.Field(ge=1, description="Physical line in the source file (1-based)")
    territory: Series[str] = pa.Field(
        description=N_("Territory (district or area) where the programme works")
    )
    target_households: Series[float] = figure(
        "target_households", N_("Target population, in number of households")
    )
    products: Series[str] = pa.Field(
        nullable=True, description=N_("Products marketed, separated by commas or semicolons")
    )
    pmgs: Series[float] = figure(
        "pmgs", N_("Producer marketing groups (PMGs) formed, in number of groups")
    )
    members: Series[float] = figure(
        "members", N_("Farmers who are members of the PMGs, in number of people")
    )
    volume_sold_t: Series[float] = figure(
        "volume_sold_t", N_("Volume sold collectively by the PMGs, in tonnes")
    )
    value_usd: Series[float] = figure(
        "value_usd", N_("Value of the collective sales, in US dollars")
    )
    period: Series[str] | None = pa.Field(
        nullable=True, description=N_("Reporting period, e.g. 2004, 2003-2004, 2005-Q2")
    )
    notes: Series[str] | None = pa.Field(nullable=True, description=N_("Free-text remarks"))

    @pa.check(*COUNTS, name="whole-number")
    def whole_number(cls, series: Series[float]) -> Series[bool]:
        """Households, groups and people are counted in whole numbers."""
        return series.isna() | (series % 1 == 0)

    @pa.dataframe_check(name="members-below-pmgs")
    def members_at_least_pmgs(cls, df: pd.DataFrame) -> Series[bool]:
        """Every PMG has at least one member, so members >= PMGs where both are reported."""
        return df["members"].isna() | df["pmgs"].isna() | (df["members"] >= df["pmgs"])

    @pa.dataframe_check(name="duplicate-territory")
    def unique_territory(cls, df: pd.DataFrame) -> Series[bool]:
        """A territory appears once per period; Unicode form, invisible characters, case and
        spacing do not make it different."""
        key = df["territory"].map(identity)
        keys = [key] + ([df["period"].fillna("")] if "period" in df else [])
        return ~pd.concat(keys, axis=1).duplicated(keep=False)

    class Config:
        strict = True
        name = "territory input"


# pandera keeps the names of dataframe checks ("members-below-pmgs") only in the first schema
# built of a model and its subclasses: build this one first, so that the finding rules never
# depend on which table was described first in a process.
TerritoryInput.to_schema()


class TerritoryIndicators(TerritoryInput):
    """One validated territory with the indicators a donor reads (data/processed/<country>.csv)."""

    reach: Series[float] = pa.Field(
        ge=0, nullable=True, description="Members as a share of target households (0-1)"
    )
    members_per_pmg: Series[float] = pa.Field(
        ge=0, nullable=True, description="Average members per PMG, in people per group"
    )
    value_per_member_usd: Series[float] = pa.Field(
        ge=0, nullable=True, description="Value of sales per member, in US dollars"
    )
    price_usd_per_t: Series[float] = pa.Field(
        ge=0, nullable=True, description="Average price obtained, in US dollars per tonne"
    )
    value_share: Series[float] = pa.Field(
        ge=0, le=1, nullable=True, description="Share of the country's total value (0-1)"
    )

    class Config:
        strict = True
        name = "territory indicators"


def total(column: str) -> Any:
    """A country total of a territory column: its description, not below 0, may be missing."""
    described = TerritoryIndicators.__fields__[column][1].description
    return pa.Field(ge=0, nullable=True, description=described)


def reporting(column: str) -> Any:
    """How many territories reported a figure that a country total sums."""
    return pa.Field(ge=0, description=f"Territories that reported the figure summed in {column}")


class CountryTotals(pa.DataFrameModel):
    """One valid country's latest-period totals and ratios (data/processed/overview.csv).

    Sums are over the territories that reported each figure; ratios are of those sums.
    """

    territory: Series[str] = pa.Field(unique=True, description="Country")
    period: Series[str] = pa.Field(
        nullable=True, description="Latest reporting period of the country's file, if it has any"
    )
    territories: Series[int] = pa.Field(ge=0, description="Territories in the latest period")
    target_households: Series[float] = total("target_households")
    pmgs: Series[float] = total("pmgs")
    members: Series[float] = total("members")
    volume_sold_t: Series[float] = total("volume_sold_t")
    value_usd: Series[float] = total("value_usd")
    reach: Series[float] = total("reach")
    value_per_member_usd: Series[float] = total("value_per_member_usd")
    price_usd_per_t: Series[float] = total("price_usd_per_t")
    value_share: Series[float] = pa.Field(
        ge=0, le=1, nullable=True, description="Share of the programme's total value (0-1)"
    )
    target_households_reporting: Series[int] = reporting("target_households")
    pmgs_reporting: Series[int] = reporting("pmgs")
    members_reporting: Series[int] = reporting("members")
    volume_sold_t_reporting: Series[int] = reporting("volume_sold_t")
    value_usd_reporting: Series[int] = reporting("value_usd")

    @pa.check(*COUNTS, name="whole-number")
    def whole_number(cls, series: Series[float]) -> Series[bool]:
        """Sums of whole numbers are whole numbers."""
        return series.isna() | (series % 1 == 0)

    class Config:
        strict = True
        coerce = True  # the overview's counts arrive as floats from each country's summary
        name = "country totals"


class ResultsAgainstTargets(pa.DataFrameModel):
    """One country's results against its targets (data/processed/<country>-results.csv).

    One row per target of targets.csv that was kept; figures are in the indicator's unit.
    """

    indicator: Index[str] = pa.Field(
        isin=list(TARGET_INDICATORS),
        description="Indicator code (the README lists them, with their units)",
    )
    level: Series[str] = pa.Field(
        isin=["country", "territory"],
        description="Whether the target is the country's or a territory's",
    )
    territory: Series[str] = pa.Field(
        nullable=True, description="Territory of a territory target; blank for the country"
    )
    period: Series[str] = pa.Field(
        nullable=True, description="Reporting period of the target, e.g. 2003-2004"
    )
    baseline: Series[float] = pa.Field(
        ge=0, nullable=True, description="Baseline, in the indicator's unit; blank if none"
    )
    baseline_year: Series[float] = pa.Field(
        ge=1900, le=2100, nullable=True, description="Year of the baseline"
    )
    target: Series[float] = pa.Field(ge=0, description="Target, in the indicator's unit")
    actual: Series[float] = pa.Field(
        ge=0, nullable=True, description="Actual, in the indicator's unit; blank if not reported"
    )
    achieved: Series[float] = pa.Field(
        ge=0, nullable=True, description="Share of the target achieved: actual / target (1 = 100%)"
    )
    change_from_baseline: Series[float] = pa.Field(
        nullable=True, description="Actual minus baseline, in the indicator's unit"
    )
    progress: Series[float] = pa.Field(
        nullable=True,
        description="Progress from baseline to target: (actual - baseline) / (target - baseline)",
    )
    partial: Series[bool] = pa.Field(
        description="True when the actual sums only the territories that reported the figure"
    )
