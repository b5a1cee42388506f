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
    OPTIONAL_DERIVED,
    OPTIONAL_RATIOS,
    OPTIONAL_REPORTED,
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
    # A share of members (women, youth) is a part of a whole: never above 1 (#26).
    most = 1 if spec.kind is Kind.SHARE or (spec.optional and spec.kind is Kind.RATIO) else None
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
    # Members by sex and age: columns a file may leave out (#26).
    fields(locals(), OPTIONAL_REPORTED, reported, Series[float] | None)
    period: Series[str] | None = pa.Field(
        nullable=True, description=N_("Reporting period, e.g. 2004, 2003-2004, 2005-Q2")
    )
    notes: Series[str] | None = pa.Field(nullable=True, description=N_("Free-text remarks"))

    @pa.check(*COUNTS, *OPTIONAL_REPORTED, name="whole-number")
    def whole_number(cls, series: Series[float]) -> pd.Series[bool]:
        """Households, groups and people are counted in whole numbers."""
        return series.isna() | (series % 1 == 0)

    @pa.dataframe_check(name="members-below-pmgs")
    def members_at_least_pmgs(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """Every PMG has at least one member, so members >= PMGs where both are reported."""
        return df["members"].isna() | df["pmgs"].isna() | (df["members"] >= df["pmgs"])

    @pa.dataframe_check(name="sales-without-sellers")
    def sales_have_sellers(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """Sales come from members of PMGs, and a value from produce sold: a territory that
        reports sales cannot report 0 PMGs or 0 members, nor a value with 0 tonnes. (Read as
        given, its value would raise the country's value per member and per tonne.)"""
        sold = (df["value_usd"] > 0) | (df["volume_sold_t"] > 0)
        no_sellers = (df["pmgs"] == 0) | (df["members"] == 0)
        no_produce = (df["value_usd"] > 0) & (df["volume_sold_t"] == 0)
        return ~((sold & no_sellers) | no_produce)

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
    fields(locals(), OPTIONAL_DERIVED, derived, Series[float] | None)

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
    # Members by sex and age and their shares (#26): only when a country's file gives them.
    fields(locals(), (*OPTIONAL_REPORTED, *OPTIONAL_RATIOS), total, Series[float] | None)
    fields(
        locals(),
        tuple(f"{n}_reporting" for n in OPTIONAL_REPORTED),
        reporting,
        Series[int] | None,
    )

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


class FigureLineage(pa.DataFrameModel):
    """How each figure of a country's brief was made, one row per figure and input
    (reports/open-data/<country>-lineage.csv, attached to the brief).

    An input is a cell of the country file (where it is, as written, as read, as converted) or
    another figure (a share's whole). README, "Publishing results", says how to trace one.
    """

    figure_id: Series[str] = pa.Field(
        description="The figure's stable ID: country, indicator, territory or total, period"
    )
    indicator: Series[str] = pa.Field(
        isin=list(INDICATORS), description="Indicator code (the README lists them)"
    )
    period: Series[str] = pa.Field(nullable=True, description="Reporting period, if any")
    territory: Series[str] = pa.Field(
        nullable=True, description="Territory the figure is of; blank for the country's total"
    )
    shown: Series[str] = pa.Field(description="The figure as printed in the brief")
    value: Series[float] = pa.Field(
        nullable=True, description="The figure at full precision; blank when it has no value"
    )
    formula: Series[str] = pa.Field(description="How the figure is made, in words")
    expression: Series[str] = pa.Field(
        description="The formula over the inputs' names (indicator codes, or figure IDs)"
    )
    transform: Series[str] = pa.Field(
        description="What was done to this input: identity, unit conversion, currency "
        "conversion, aggregation, ratio"
    )
    role: Series[str] = pa.Field(
        nullable=True,
        isin=["term", "numerator", "denominator"],
        description="How the input enters the expression: summed (term), or a side of a ratio "
        "of sums; blank for a figure with no input",
    )
    input: Series[str] = pa.Field(nullable=True, description="The input's name in the expression")
    input_figure: Series[str] = pa.Field(
        nullable=True, description="The ID of the figure that is the input, when it is one"
    )
    input_file: Series[str] = pa.Field(nullable=True, description="The file the cell is in")
    input_sha256: Series[str] = pa.Field(
        nullable=True, str_matches=r"^[0-9a-f]{64}$", description="SHA-256 of that file's bytes"
    )
    sheet: Series[str] = pa.Field(nullable=True, description="The workbook sheet, if any")
    line: Series[int] = pa.Field(
        ge=1, nullable=True, description="Physical line (or sheet row) of the cell, 1-based"
    )
    column: Series[str] = pa.Field(
        nullable=True, description="The cell's column header as written"
    )
    raw_text: Series[str] = pa.Field(nullable=True, description="The cell as written")
    parsed_value: Series[float] = pa.Field(
        nullable=True, description="The number the cell holds, in its column's unit and scale"
    )
    factor: Series[float] = pa.Field(
        gt=0,
        nullable=True,
        description="The column's unit and scale to the indicator's unit (kg to t: 0.001; "
        "'000: 1000), exact",
    )
    currency: Series[str] = pa.Field(
        nullable=True, description="ISO 4217 currency the value was converted from"
    )
    rate: Series[float] = pa.Field(
        gt=0, nullable=True, description="Units of that currency per US$"
    )
    rate_file: Series[str] = pa.Field(nullable=True, description="The file the rate is in")
    rate_line: Series[int] = pa.Field(
        ge=1, nullable=True, description="The rate's line in that file"
    )
    converted_value: Series[float] = pa.Field(
        nullable=True,
        description="The cell's figure in the indicator's unit: parsed_value × factor ÷ rate",
    )
    left_out: Series[str] = pa.Field(
        nullable=True, description="Territories the figure leaves out, and why"
    )

    class Config:
        strict = True
        name = "figure lineage"
