"""Change over time: a country's totals by period, and growth only between whole totals."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.compute.indicators import CountrySummary
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.present.gaps import reporting_note


def comparable(before: CountrySummary, after: CountrySummary, column: str) -> bool:
    """True when both periods report `column` for every territory, and before is above 0."""
    whole = all(s.reporting[column] == s.territories for s in (before, after))
    return whole and getattr(before, column) > 0


def trend_rows(
    trend: list[tuple[str, CountrySummary]], fmt: Formatter, dps: dict[str, int]
) -> list[dict[str, Any]]:
    """One row per period: totals (partial ones marked), and growth on the period before."""
    rows = []
    previous: CountrySummary | None = None
    for period, s in trend:
        growth = [
            fmt.percent(getattr(s, c) / getattr(previous, c) - 1)
            if previous is not None and comparable(previous, s, c)
            else NOT_REPORTED
            for c in ("members", "value_usd")
        ]
        sums = [
            (
                c,
                fmt.number(
                    getattr(s, c), max(1, dps["volume_sold_t"]) if c == "volume_sold_t" else 0
                ),
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
                    {"text": growth[0], "note": ""},
                    {"text": growth[1], "note": ""},
                ],
            }
        )
        previous = s
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
