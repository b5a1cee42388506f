"""The overview's results against targets: each country's achievement, and the programme's."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pandas as pd

from pipeline.compute.figures import make_figure
from pipeline.compute.targets import achieved
from pipeline.core.figure import Coverage, Figure
from pipeline.core.formatting import Formatter
from pipeline.core.frames import as_float
from pipeline.core.outcomes import CountryResult
from pipeline.core.registry import INDICATORS, TARGETED, decimals
from pipeline.present.brief_context import chart_context
from pipeline.present.claims import claim, qualifier
from pipeline.present.target_charts import achievement_chart
from pipeline.present.targets_context import indicator_labels, tile_of

_COLUMNS = ["country", "indicator", "period", "target", "actual", "achieved", "partial"]


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
    results: list[CountryResult], countries: dict[str, dict[str, Figure]], fmt: Formatter
) -> dict[str, Any]:
    """Template keys of the overview's targets section; empty lists when no country has one.

    Each actual is the country's own figure (`countries`, by name), with its qualifiers: a
    partial actual says how many territories it covers, in the table and the chart.
    """
    frame = achievement_frame(results, fmt)
    labels = indicator_labels(fmt)
    groups = []
    for code, rows in frame.groupby("indicator", sort=False):
        indicator = str(code)
        actual_name = tile_of(indicator)
        spec = INDICATORS[indicator].target
        total = programme_total(rows) if spec and spec.summed else None

        def target(value: float, country: str, name: str = actual_name) -> Figure:
            return replace(
                make_figure(country, name, value, Coverage(1, 1)), id=f"{country}.{name}.target"
            )

        cells = []
        for r in rows.itertuples():
            actual = countries[str(r.country)][actual_name]
            cells.append(
                {
                    "country": r.country,
                    "period": r.period,
                    "target": claim(target(as_float(r.target), str(r.country)), fmt),
                    "actual": claim(actual, fmt),
                    "actual_note": qualifier(actual, fmt, parentheses=False),
                    "achieved": fmt.percent(as_float(r.achieved)),
                    "bar": _bar(as_float(r.achieved)),
                    "over": as_float(r.achieved) > 1,
                }
            )
        groups.append(
            {
                "indicator": labels[indicator],
                "rows": cells,
                "total": {
                    "label": fmt.ngettext(
                        "Programme ({n} country)",
                        "Programme ({n} countries)",
                        int(total["countries"]),
                    ).format(n=fmt.number(total["countries"])),
                    "target": fmt.value(
                        actual_name, total["target"], decimals(actual_name, total["target"])
                    ),
                    "actual": fmt.value(
                        actual_name, total["actual"], decimals(actual_name, total["actual"])
                    ),
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
            f"{c} · {labels[i]}" + (" *" if p else "")
            for c, i, p in zip(f["country"], f["indicator"], f["partial"], strict=True)
        ]
    )
    return {
        "achievement": groups,
        "achievement_chart": chart_context(achievement_chart(charted.head(15), fmt))
        if len(charted)
        else None,
        "achievement_partial": bool(frame["partial"].fillna(False).astype(bool).any()),
    }
