"""The overview's results against targets: each country's achievement, and the programme's."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pipeline.compute.targets import achieved
from pipeline.core.formatting import Formatter
from pipeline.core.outcomes import CountryResult
from pipeline.core.registry import INDICATORS, TARGETED
from pipeline.present.brief_context import chart_context
from pipeline.present.target_charts import achievement_chart
from pipeline.present.targets_context import figure, indicator_labels

_COLUMNS = ["country", "indicator", "period", "target", "actual", "achieved"]


def achievement_frame(results: list[CountryResult], fmt: Formatter) -> pd.DataFrame:
    """One row per country target of a valid country's latest period, in indicator order."""
    rows = [
        {**t, "country": fmt.country_name(r.country)}
        for r in results
        if r.status.succeeded and r.country
        for t in r.targets
    ]
    frame = pd.DataFrame(rows, columns=_COLUMNS).astype(
        {"target": float, "actual": float, "achieved": float}
    )
    order = {code: i for i, code in enumerate(TARGETED)}
    return frame.sort_values(
        ["indicator", "country"], key=lambda s: s.map(order) if s.name == "indicator" else s
    ).reset_index(drop=True)


def programme_total(rows: pd.DataFrame) -> dict[str, float]:
    """The summed total of the countries with a target and an actual, against their targets."""
    both = rows.dropna(subset=["target", "actual"])
    target, actual = float(both["target"].sum()), float(both["actual"].sum())
    return {
        "countries": len(both),
        "target": target,
        "actual": actual,
        "achieved": achieved(actual, target) if len(both) else math.nan,
    }


def _bar(value: float) -> int:
    return 0 if math.isnan(value) else round(min(value, 1.0) * 100)


def overview_targets_context(
    results: list[CountryResult], fmt: Formatter, dps: dict[str, int]
) -> dict[str, Any]:
    """Template keys of the overview's targets section; empty lists when no country has one."""
    frame = achievement_frame(results, fmt)
    labels = indicator_labels(fmt)
    groups = []
    for code, rows in frame.groupby("indicator", sort=False):
        indicator = str(code)
        spec = INDICATORS[indicator].target
        total = programme_total(rows) if spec and spec.summed else None
        groups.append(
            {
                "indicator": labels[indicator],
                "rows": [
                    {
                        "country": r.country,
                        "period": r.period,
                        "target": figure(indicator, r.target, fmt, dps),
                        "actual": figure(indicator, r.actual, fmt, dps),
                        "achieved": fmt.percent(r.achieved),
                        "bar": _bar(r.achieved),
                        "over": r.achieved > 1,
                    }
                    for r in rows.itertuples()
                ],
                "total": {
                    "label": fmt.ngettext(
                        "Programme ({n} country)",
                        "Programme ({n} countries)",
                        int(total["countries"]),
                    ).format(n=fmt.number(total["countries"])),
                    "target": figure(indicator, total["target"], fmt, dps),
                    "actual": figure(indicator, total["actual"], fmt, dps),
                    "achieved": fmt.percent(total["achieved"]),
                    "bar": _bar(total["achieved"]),
                    "over": total["achieved"] > 1,
                }
                if total and total["countries"] > 1  # one country's total is its own row
                else None,
            }
        )
    charted = frame.dropna(subset=["achieved"]).assign(
        label=lambda f: [
            f"{c} · {labels[i]}" for c, i in zip(f["country"], f["indicator"], strict=True)
        ]
    )
    return {
        "achievement": groups,
        "achievement_chart": chart_context(achievement_chart(charted.head(15), fmt))
        if len(charted)
        else None,
    }
