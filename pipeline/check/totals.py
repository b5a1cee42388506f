"""The Totals row: recognised by its label, never a territory, reconciled with the sums."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from pipeline.check.locate import finding as _finding
from pipeline.core.findings import Finding, Severity
from pipeline.read.columns import Column
from pipeline.read.raw import RawTable

TOTALS_LABEL = re.compile(r"^(grand\s+)?totals?:?$", re.IGNORECASE)


@dataclass(frozen=True)
class TotalsRow:
    """A Totals row as given in the file: its line, period and the figures it states."""

    line: int
    period: str | None
    figures: dict[str, float]
    decimals: dict[str, int]


def totals_findings(
    raw: RawTable, frame: pd.DataFrame, totals: list[TotalsRow], columns: dict[str, Column]
) -> list[Finding]:
    """Reconcile each Totals row with the sums of its period's territories."""
    findings = []
    for row in totals:
        rows = frame
        if row.period and "period" in frame:
            rows = frame[frame["period"] == row.period]
        for name, stated in row.figures.items():
            computed = float(rows[name].sum(min_count=1)) if len(rows) else 0.0
            computed = 0.0 if math.isnan(computed) else computed
            # Agree to the precision the total was written with (140,653 vs 140,652.6 agrees).
            tolerance = 0.5 * 10 ** -row.decimals.get(name, 0) + 1e-9
            if abs(stated - computed) > tolerance:
                label = columns[name].label
                findings.append(
                    _finding(
                        raw,
                        Severity.ERROR,
                        row.line,
                        label,
                        _fmt(stated),
                        "totals-mismatch",
                        f"The Totals row says {_fmt(stated)} for {label}, but the territories "
                        f"add up to {_fmt(computed)}.",
                    )
                )
    return findings


def _fmt(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2f}".rstrip("0")
