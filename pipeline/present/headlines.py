"""The headline tiles of a brief: six figures, each saying whether it is whole, partial or absent."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pipeline.compute.indicators import CountrySummary
from pipeline.core.formatting import NOT_REPORTED, Formatter, decimals_needed
from pipeline.present.gaps import reporting_note, undefined_note


def sum_tile(
    s: CountrySummary, column: str, label: str, value: str, fmt: Formatter, note: str = ""
) -> dict[str, Any]:
    """A tile for a total: "–" and "not reported" when no territory reported it."""
    if s.missing(column):
        return {"label": label, "value": NOT_REPORTED, "notes": [fmt._("not reported")]}
    partial = reporting_note(s, column, fmt)
    return {"label": label, "value": value, "notes": [n for n in (partial, note) if n]}


def ratio_phrase(s: CountrySummary, name: str, text: str, fmt: Formatter) -> str:
    """A ratio's phrase under a tile, marked when partial; "" when it has no value."""
    if math.isnan(getattr(s, name)):
        return ""
    partial = reporting_note(s, name, fmt)
    return f"{text} ({partial})" if partial else text


def figure_decimals(frame: pd.DataFrame) -> dict[str, int]:
    """The decimals of every volume and value a brief shows, one choice per brief.

    Volumes show every reported figure to the kg, with at least one decimal; money is in
    whole dollars, or to the cent when any value has cents: never one decimal.
    """
    cents = decimals_needed(list(frame["value_usd"]), 2) > 0
    return {
        "volume_sold_t": max(1, decimals_needed(list(frame["volume_sold_t"]), 3)),
        "value_usd": 2 if cents else 0,
    }


def headlines(s: CountrySummary, fmt: Formatter, dps: dict[str, int]) -> list[dict[str, Any]]:
    """The six headline tiles."""
    return [
        sum_tile(
            s,
            "target_households",
            fmt._("Target households"),
            fmt.number(s.target_households),
            fmt,
            fmt.ngettext("in {n} territory", "in {n} territories", s.territories).format(
                n=fmt.number(s.territories)
            )
            if not s.partial("target_households")
            else "",
        ),
        sum_tile(
            s,
            "pmgs",
            fmt._("Producer marketing groups"),
            fmt.number(s.pmgs),
            fmt,
            ratio_phrase(
                s,
                "members_per_pmg",
                fmt._("{n} members per group").format(n=fmt.number(s.members_per_pmg)),
                fmt,
            ),
        ),
        sum_tile(
            s,
            "members",
            fmt._("PMG members"),
            fmt.number(s.members),
            fmt,
            ratio_phrase(
                s,
                "reach",
                fmt._("reach {reach} of target households").format(reach=fmt.percent(s.reach)),
                fmt,
            ),
        ),
        sum_tile(
            s,
            "volume_sold_t",
            fmt._("Volume sold"),
            f"{fmt.number(s.volume_sold_t, dps['volume_sold_t'])} t",
            fmt,
            ratio_phrase(
                s,
                "price_usd_per_t",
                fmt._("at {price} per tonne").format(price=fmt.usd(s.price_usd_per_t)),
                fmt,
            ),
        ),
        sum_tile(
            s,
            "value_usd",
            fmt._("Value of sales"),
            fmt.usd(s.value_usd, dps["value_usd"]),
            fmt,
            fmt._("collective sales by PMGs"),
        ),
        per_member_tile(s, fmt),
    ]


def per_member_tile(s: CountrySummary, fmt: Formatter) -> dict[str, Any]:
    """The value per member tile: a ratio, or why it has none."""
    per_member = s.value_per_member_usd
    return {
        "label": fmt._("Value per member"),
        "value": fmt.usd(per_member, 2),
        "notes": [
            ratio_phrase(s, "value_per_member_usd", fmt._("sales value ÷ members"), fmt)
            if not math.isnan(per_member)
            else undefined_note(s, "value_per_member_usd", fmt)
        ],
    }
