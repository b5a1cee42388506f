"""The data dictionary: one pandera model per table, with units and meaning on every field.

Every indicator's field (its description, bounds and whether it is a count) comes from the
indicator registry (`pipeline.core.registry`): the dictionary is generated from one definition.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Index, Series

from pipeline.core.names import identity
from pipeline.core.registry import (
    CEILINGS,
    DERIVED,
    INDICATORS,
    N_,
    RATIOS,
    REPORTED,
    TARGETED,
    Kind,
)
from pipeline.core.registry import WHOLE_NUMBERS as COUNTS

# The models below add one field per indicator of the registry, in their class bodies
# (`fields(...)`): adding an indicator to the registry adds its column to the data dictionary,
# to the processed tables' checks and to the open data's Table Schema, with nothing else to edit.


def reported(column: str) -> Any:
    """A reported figure: not below 0, not above its ceiling (the registry's), may be missing.

    NaN means not reported, never zero. (A typed function, where a dict of keyword arguments
    would hide every argument's type from mypy.)
    """
    return pa.Field(
        ge=0, le=CEILINGS[column], nullable=True, description=INDICATORS[column].description
    )


def derived(column: str) -> Any:
    """A computed indicator: not below 0 (a share not above 1), missing where it cannot be
    computed; its description from the registry."""
    spec = INDICATORS[column]
    most = 1 if spec.kind is Kind.SHARE else None
    return pa.Field(ge=0, le=most, nullable=True, description=spec.description)


def fields(namespace: dict[str, Any], names: tuple[str, ...], make: Any, kind: Any) -> None:
    """Add a field `kind` (e.g. Series[float]) made by `make(name)` for each of `names` to the
    class body `namespace`: pandera reads a model's fields from its annotations and values."""
    annotations = namespace.setdefault("__annotations__", {})
    for name in names:
        annotations[name] = kind
        namespace[name] = make(name)


class TerritoryInput(pa.DataFrameModel):
    """One territory's reported figures for one period, as typed from the country file.

    The index is the physical line of the row in the original file. A missing number
    (NaN) means *not reported*, never zero.
    """

    line: Index[int] = pa.Field(ge=1, description="Physical line in the source file (1-based)")
    territory: Series[str] = pa.Field(
        description=N_("Territory (district or area) where the programme works")
    )
    products: Series[str] = pa.Field(
        nullable=True, description=N_("Products marketed, separated by commas or semicolons")
    )
    fields(locals(), REPORTED, reported, Series[float])
    period: Series[str] | None = pa.Field(
        nullable=True, description=N_("Reporting period, e.g. 2004, 2003-2004, 2005-Q2")
    )
    notes: Series[str] | None = pa.Field(nullable=True, description=N_("Free-text remarks"))

    @pa.check(*COUNTS, name="whole-number")
    def whole_number(cls, series: Series[float]) -> pd.Series[bool]:
        """Households, groups and people are counted in whole numbers."""
        return series.isna() | (series % 1 == 0)

    @pa.dataframe_check(name="members-below-pmgs")
    def members_at_least_pmgs(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """Every PMG has at least one member, so members >= PMGs where both are reported."""
        return df["members"].isna() | df["pmgs"].isna() | (df["members"] >= df["pmgs"])

    @pa.dataframe_check(name="duplicate-territory")
    def unique_territory(cls, df: pd.DataFrame) -> pd.Series[bool]:
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

    fields(locals(), DERIVED, derived, Series[float])

    class Config:
        strict = True
        name = "territory indicators"


def total(column: str) -> Any:
    """A country total of a territory column: its description, not below 0, may be missing."""
    return pa.Field(ge=0, nullable=True, description=INDICATORS[column].description)


def reporting(column: str) -> Any:
    """How many territories reported a figure that a country total sums ("x_reporting")."""
    summed = column.removesuffix("_reporting")
    return pa.Field(ge=0, description=f"Territories that reported the figure summed in {summed}")


class CountryTotals(pa.DataFrameModel):
    """One valid country's latest-period totals and ratios (data/processed/overview.csv).

    Sums are over the territories that reported each figure; ratios are of those sums.
    """

    territory: Series[str] = pa.Field(unique=True, description="Country")
    period: Series[str] = pa.Field(
        nullable=True, description="Latest reporting period of the country's file, if it has any"
    )
    territories: Series[int] = pa.Field(ge=0, description="Territories in the latest period")
    fields(locals(), (*REPORTED, *RATIOS), total, Series[float])
    value_share: Series[float] = pa.Field(
        ge=0, le=1, nullable=True, description="Share of the programme's total value (0-1)"
    )
    fields(locals(), tuple(f"{n}_reporting" for n in REPORTED), reporting, Series[int])

    @pa.check(*COUNTS, name="whole-number")
    def whole_number(cls, series: Series[float]) -> pd.Series[bool]:
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
        isin=list(TARGETED),
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
        nullable=True,
        description="Share of the target achieved: actual / target (1 = 100%); for a "
        "decrease, (baseline - actual) / (baseline - target)",
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
    decrease: Series[bool] = pa.Field(
        description="True when the target is below its baseline: a decrease is sought, and "
        "achieved is the share of the reduction made"
    )
