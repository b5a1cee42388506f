"""The overview's results against targets: each country's achievement, and the programme's.

One row per country and one column per indicator: each cell the share of the target achieved,
a bar full at the target, and "actual of target", where the actual is the country's own figure
with its qualifiers (coverage, flags), as the country's brief states it.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pandas as pd
from markupsafe import Markup

from pipeline.compute.figures import make_figure
from pipeline.compute.targets import achieved
from pipeline.core.figure import Coverage, Figure
from pipeline.core.formatting import Formatter
from pipeline.core.frames import as_float
from pipeline.core.outcomes import CountryResult
from pipeline.core.registry import INDICATORS, TARGETED
from pipeline.present.claims import claim, qualifier, say, say_n
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
    return 0 if math.isnan(value) else round(min(max(value, 0.0), 1.0) * 100)


def _target(country: str, indicator: str, value: float) -> Figure:
    """A target, as a figure in the unit of the actual it is compared with."""
    name = tile_of(indicator)
    return replace(
        make_figure(country, name, value, Coverage(1, 1)), id=f"{country}.{name}.target"
    )


def _cell(actual: Figure, target: Figure, share: float, fmt: Formatter) -> dict[str, Any]:
    """One country's achievement on one indicator: "% achieved", a bar, and "actual of target"
    with the actual's qualifiers."""
    of = say(fmt, "{actual} of {target}", actual=claim(actual, fmt), target=claim(target, fmt))
    mark = qualifier(actual, fmt)
    return {
        "achieved": fmt.percent(share),
        "bar": _bar(share),
        "over": not math.isnan(share) and share > 1,
        "of": of + Markup(" ") + mark if mark else of,
    }


def _total_cell(code: str, total: dict[str, float], fmt: Formatter) -> dict[str, Any]:
    """The programme's total of a summed indicator, over the countries with both figures."""
    name, count = tile_of(code), int(total["countries"])

    def stated(value: float, kind: str) -> Figure:
        figure = make_figure("programme", name, value, Coverage(count, count, "countries"))
        return replace(figure, id=f"programme.{name}.{kind}")

    cell = _cell(stated(total["actual"], "actual"), stated(total["target"], "target"), 0.0, fmt)
    share = total["achieved"]
    cell.update(achieved=fmt.percent(share), bar=_bar(share), over=share > 1)
    cell["of"] = say_n(
        fmt,
        "{figures}, {n} country",
        "{figures}, {n} countries",
        count,
        figures=cell["of"],
        n=fmt.number(count),
    )
    return cell


def overview_targets_context(
    results: list[CountryResult], countries: dict[str, dict[str, Figure]], fmt: Formatter
) -> dict[str, Any]:
    """Template keys of the overview's targets section, empty when no country has a target.

    One row per country and one column per indicator; then the programme's total of each
    summed indicator, over the countries with both a target and an actual (ratios and shares
    are not added up). `countries` are each country's figures, by name.
    """
    frame = achievement_frame(results, fmt)
    labels = indicator_labels(fmt)
    codes = [str(c) for c in frame["indicator"].drop_duplicates()]
    names = sorted(set(frame["country"]), key=lambda c: (c.casefold(), c))
    codes_of = {r.country: r for r in results if r.country}
    rows = []
    for country in names:
        mine = frame[frame["country"] == country]
        by_code = {str(r.indicator): r for r in mine.itertuples()}
        alpha_3 = next((c.alpha_3 for c in codes_of if fmt.country_name(c) == country), country)
        rows.append(
            {
                "country": country,
                "cells": [
                    _cell(
                        countries[country][tile_of(c)],
                        _target(alpha_3, c, as_float(by_code[c].target)),
                        as_float(by_code[c].achieved),
                        fmt,
                    )
                    if c in by_code
                    else None
                    for c in codes
                ],
            }
        )
    totals: list[dict[str, Any] | None] = []
    for code in codes:
        total = programme_total(frame[frame["indicator"] == code])
        spec = INDICATORS[code].target
        if not (spec and spec.summed) or total["countries"] < 2:  # a ratio, or one country
            totals.append(None)
            continue
        totals.append(_total_cell(code, total, fmt))
    return {
        "achievement": {
            "indicators": [labels[c] for c in codes],
            "rows": rows,
            "total": {"label": fmt._("Programme"), "cells": totals} if any(totals) else None,
        }
        if rows
        else None,
        # The table is the chart: each cell draws its share of the target as a bar.
        "achievement_question": fmt._("How close did each country come to its targets?"),
    }
