"""Change over time: a country's totals by period, and growth only between whole totals of
periods that follow each other (equally long, and not overlapping)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.compute.figures import FigureSet
from pipeline.compute.indicators import CountrySummary
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.present.claims import change_claim, claim, qualifier
from pipeline.read.periods import parse_period

#: The totals the change-over-time table shows, after the number of territories.
TREND_FIGURES = ("pmgs", "members", "volume_sold_t", "value_usd")


def comparable(before: CountrySummary, after: CountrySummary, column: str) -> bool:
    """True when both periods report `column` for every territory, the same territories in
    both (a district that stopped reporting is not a fall), and before is above 0."""
    whole = all(s.reporting[column] == s.territories for s in (before, after))
    return whole and before.names == after.names and before.values[column] > 0


def same_length(first: str, second: str) -> bool:
    """True when two period labels span as many months: a year and a year, never a half."""
    a, b = parse_period(first), parse_period(second)
    return a is not None and b is not None and a.months == b.months


def overlap(first: str, second: str) -> bool:
    """True when two periods share a month: a cumulative 2003-2004 beside 2004 (or 2004-2005)
    are not one after the other, and are never compared as if they were."""
    a, b = parse_period(first), parse_period(second)
    if a is None or b is None:
        return False
    return a.first_day <= b.last_day and b.first_day <= a.last_day


def overlapping(labels: list[str]) -> list[tuple[str, str]]:
    """Every pair of a table's periods that overlap."""
    return [(a, b) for i, a in enumerate(labels) for b in labels[i + 1 :] if overlap(a, b)]


def _growth(
    before: tuple[str, CountrySummary] | None,
    after: tuple[str, CountrySummary],
    column: str,
    fmt: Formatter,
) -> dict[str, Any]:
    """A growth cell: the change on the period before, or "–" and why it is not given."""
    if before is None:
        return {"text": NOT_REPORTED, "note": ""}
    if overlap(before[0], after[0]):
        return {"text": NOT_REPORTED, "note": fmt._("periods overlap")}
    if not same_length(before[0], after[0]):
        return {"text": NOT_REPORTED, "note": fmt._("periods of different lengths")}
    (_, a), (_, b) = before, after
    if not comparable(a, b, column):
        return {"text": NOT_REPORTED, "note": ""}
    return {"text": change_claim(b.values[column] / a.values[column] - 1, fmt), "note": ""}


def trend_rows(figures: FigureSet, fmt: Formatter) -> list[dict[str, Any]]:
    """One row per period: totals (with their qualifiers), and growth on the period before."""
    rows = []
    previous: tuple[str, CountrySummary] | None = None
    for label, totals in figures.totals.items():
        s = figures.summaries[label]
        rows.append(
            {
                "period": label,
                "numbers": [
                    {"text": fmt.number(s.territories), "note": ""},
                    *(
                        {
                            "text": claim(totals[c], fmt, bare=c != "value_usd"),
                            "note": qualifier(totals[c], fmt, parentheses=False),
                        }
                        for c in TREND_FIGURES
                    ),
                    _growth(previous, (label, s), "members", fmt),
                    _growth(previous, (label, s), "value_usd", fmt),
                ],
            }
        )
        previous = (label, s)
    return rows


def trend_frame(figures: FigureSet) -> pd.DataFrame:
    """Each period's value of sales and members, as the trend chart draws them."""
    labels = list(figures.totals)
    return pd.DataFrame(
        {
            "period": labels,
            "value_usd": [figures.total("value_usd", p).value for p in labels],
            "members": [figures.total("members", p).value for p in labels],
        }
    )
