"""Results against targets: % achieved, change from baseline, progress. Pure functions.

Not reported stays not reported: without a target or an actual there is no % achieved, and
without a baseline (or when the target equals it) there is no progress.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from pipeline.check.targets import Target
from pipeline.compute.indicators import country_summary, in_period
from pipeline.core.figure import figure_id
from pipeline.core.registry import INDICATORS, RATIOS, TARGETED

#: Columns of data/processed/<country>-results.csv, in order.
RESULT_COLUMNS = (
    "indicator",
    "level",
    "territory",
    "period",
    "baseline",
    "baseline_year",
    "target",
    "actual",
    "achieved",
    "change_from_baseline",
    "progress",
    "partial",
    "decrease",
)


def _missing(value: float) -> bool:
    return value is None or math.isnan(value)


def decrease(baseline: float, target: float) -> bool:
    """True when the target is below its baseline: a decrease is sought."""
    return not _missing(baseline) and not _missing(target) and target < baseline


def achieved(actual: float, target: float, baseline: float = math.nan) -> float:
    """The share of the target achieved: actual ÷ target (0.94 is 94% of target).

    When a decrease is sought (a target below its baseline), it is the share of the
    reduction made, (baseline − actual) ÷ (baseline − target): meeting the target is 100%,
    and a figure that grew is below 0. NaN when a figure is missing or the target is 0.
    """
    if decrease(baseline, target):
        return progress(actual, baseline, target)
    if _missing(actual) or _missing(target) or target <= 0:
        return math.nan
    return actual / target


def change_from_baseline(actual: float, baseline: float) -> float:
    """Actual − baseline; NaN when either is missing."""
    if _missing(actual) or _missing(baseline):
        return math.nan
    return actual - baseline


def progress(actual: float, baseline: float, target: float) -> float:
    """(Actual − baseline) ÷ (target − baseline): the way from baseline to target covered."""
    if _missing(actual) or _missing(baseline) or _missing(target) or target == baseline:
        return math.nan
    return (actual - baseline) / (target - baseline)


def actual_figure(indicators: pd.DataFrame, indicator: str, territory: str) -> tuple[float, bool]:
    """The actual figure of one period's indicators, and whether it leaves territories out.

    A territory's own cell; for the country, the total of a summed indicator or the ratio of
    totals, over the territories that reported it (as the brief's totals are).
    """
    spec = INDICATORS[indicator].target
    assert spec is not None, f"{indicator} takes no target"  # targets.csv was checked
    if territory:
        row = indicators[indicators["territory"] == territory]
        value = float(row[spec.actual].iloc[0]) if len(row) else math.nan
        return value, False
    summary = country_summary(indicators)
    partial = any(summary.partial(c) for c in _inputs(spec.actual))
    return float(getattr(summary, spec.actual)), partial


def _inputs(actual: str) -> tuple[str, ...]:
    """The reported columns an actual figure is made from: a ratio's two sides, or itself."""
    return RATIOS.get(actual, (actual,))


def results_against_targets(indicators: pd.DataFrame, targets: list[Target]) -> pd.DataFrame:
    """One row per target: baseline, target, actual, % achieved, change and progress.

    Country targets first, then territory targets, each in the order of the indicator list.
    """
    order = list(TARGETED)
    rows = []
    for t in sorted(targets, key=lambda t: (bool(t.territory), order.index(t.indicator), t.line)):
        actual, partial = actual_figure(
            in_period(indicators, t.data_period), t.indicator, t.territory
        )
        rows.append(
            {
                "indicator": t.indicator,
                "level": "territory" if t.territory else "country",
                "territory": t.territory,
                "period": t.period or t.data_period,
                "baseline": t.baseline,
                "baseline_year": t.baseline_year,
                "target": t.target,
                "actual": actual,
                "achieved": achieved(actual, t.target, t.baseline),
                "change_from_baseline": change_from_baseline(actual, t.baseline),
                "progress": progress(actual, t.baseline, t.target),
                "partial": partial,
                "decrease": decrease(t.baseline, t.target),
                "data_period": t.data_period,
                "line": t.line,
            }
        )
    # data_period: the country file's period compared with ("" when it gives none); line: the
    # target's line of targets.csv.
    return pd.DataFrame(rows, columns=[*RESULT_COLUMNS, "data_period", "line"])


@dataclass(frozen=True)
class TargetsSource:
    """The cells of targets.csv a country's baselines and targets were read from."""

    source_file: str  #: the file's own name ("targets.csv")
    sheet: str  #: its workbook sheet; "" for a text file
    labels: dict[str, str]  #: column -> header as written
    written: dict[tuple[int, str], str]  #: (line, "baseline" or "target") -> cell as written


def value_figure_id(country: str, indicator: str, period: str, territory: str, kind: str) -> str:
    """The ID of a target's or baseline's figure (`kind`): its actual figure's, and the kind,
    e.g. "KEN.members.mbeere.all.target" (the actual of a target on households reached is
    the members figure)."""
    spec = INDICATORS[indicator].target
    actual = spec.actual if spec else indicator
    return f"{figure_id(country, actual, period, territory)}.{kind}"


@dataclass(frozen=True)
class TargetResults:
    """A country's results against targets, and where its targets came from."""

    file: str  #: the targets file's name
    sha256: str
    frame: pd.DataFrame  #: `results_against_targets`; empty when every target was left out
    left_out: int  #: targets of this country left out, each with a finding
    #: where each baseline and target figure came from (a lineage cites them)
    source: TargetsSource | None = None

    def latest(self, period: str) -> pd.DataFrame:
        """The country targets compared with `period`'s figures (the headline period)."""
        country = self.frame[self.frame["level"] == "country"]
        return country[country["data_period"] == period]
