"""Change over time: a country's totals by period, and growth only between whole totals."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.compute.indicators import CountrySummary
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.present.gaps import reporting_note
from pipeline.read.periods import parse_period


def comparable(before: CountrySummary, after: CountrySummary, column: str) -> bool:
    """True when both periods report `column` for every territory, and before is above 0."""
    whole = all(s.reporting[column] == s.territories for s in (before, after))
    return whole and getattr(before, column) > 0


def same_length(first: str, second: str) -> bool:
    """True when two period labels span as many months: a year and a year, never a half."""
    a, b = parse_period(first), parse_period(second)
    return a is not None and b is not None and a.months == b.months


def _growth(
    before: tuple[str, CountrySummary] | None,
    after: tuple[str, CountrySummary],
    column: str,
    fmt: Formatter,
) -> dict[str, str]:
    """A growth cell: the change on the period before, or "–" and why it is not given."""
    if before is None:
        return {"text": NOT_REPORTED, "note": ""}
    if not same_length(before[0], after[0]):
        return {"text": NOT_REPORTED, "note": fmt._("periods of different lengths")}
    (_, a), (_, b) = before, after
    if not comparable(a, b, column):
        return {"text": NOT_REPORTED, "note": ""}
    return {"text": fmt.percent(getattr(b, column) / getattr(a, column) - 1), "note": ""}


def trend_rows(
    trend: list[tuple[str, CountrySummary]], fmt: Formatter, dps: dict[str, int]
) -> list[dict[str, Any]]:
    """One row per period: totals (partial ones marked), and growth on the period before."""
    rows = []
    previous: tuple[str, CountrySummary] | None = None
    for period, s in trend:
        sums = [
            (
                c,
                fmt.number(getattr(s, c), dps["volume_sold_t"] if c == "volume_sold_t" else 0),
            )
            for c in ("pmgs", "members", "volume_sold_t")
        ]
        rows.append(
            {
                "period": period,
                "numbers": [
                    {"text": fmt.number(s.territories), "note": ""},
                    *({"text": text, "note": reporting_note(s, c, fmt)} for c, text in sums),
                    {
                        "text": fmt.usd(s.value_usd, dps["value_usd"]),
                        "note": reporting_note(s, "value_usd", fmt),
                    },
                    _growth(previous, (period, s), "members", fmt),
                    _growth(previous, (period, s), "value_usd", fmt),
                ],
            }
        )
        previous = (period, s)
    return rows


def trend_frame(trend: list[tuple[str, CountrySummary]]) -> pd.DataFrame:
    """Each period's value of sales and members, as the trend chart draws them."""
    return pd.DataFrame(
        {
            "period": [p for p, _ in trend],
            "value_usd": [s.value_usd for _, s in trend],
            "members": [s.members for _, s in trend],
        }
    )
