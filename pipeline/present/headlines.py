"""The headline tiles of a brief: six figures, each saying whether it is whole, partial or absent."""

from __future__ import annotations

import math
from typing import Any

from pipeline.compute.indicators import CountrySummary
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.present.gaps import reporting_note, undefined_note


def _sum_tile(
    s: CountrySummary, column: str, label: str, value: str, fmt: Formatter, note: str = ""
) -> dict[str, Any]:
    """A tile for a total: "–" and "not reported" when no territory reported it."""
    if s.missing(column):
        return {"label": label, "value": NOT_REPORTED, "notes": [fmt._("not reported")]}
    partial = reporting_note(s, column, fmt)
    return {"label": label, "value": value, "notes": [n for n in (partial, note) if n]}


def _ratio_phrase(s: CountrySummary, name: str, text: str, fmt: Formatter) -> str:
    """A ratio's phrase under a tile, marked when partial; "" when it has no value."""
    if math.isnan(getattr(s, name)):
        return ""
    partial = reporting_note(s, name, fmt)
    return f"{text} ({partial})" if partial else text


def headlines(s: CountrySummary, fmt: Formatter, volume_dp: int) -> list[dict[str, Any]]:
    """The six headline tiles."""
    per_member = s.value_per_member_usd
    return [
        _sum_tile(
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
        _sum_tile(
            s,
            "pmgs",
            fmt._("Producer marketing groups"),
            fmt.number(s.pmgs),
            fmt,
            _ratio_phrase(
                s,
                "members_per_pmg",
                fmt._("{n} members per group").format(n=fmt.number(s.members_per_pmg)),
                fmt,
            ),
        ),
        _sum_tile(
            s,
            "members",
            fmt._("PMG members"),
            fmt.number(s.members),
            fmt,
            _ratio_phrase(
                s,
                "reach",
                fmt._("reach {reach} of target households").format(reach=fmt.percent(s.reach)),
                fmt,
            ),
        ),
        _sum_tile(
            s,
            "volume_sold_t",
            fmt._("Volume sold"),
            f"{fmt.number(s.volume_sold_t, volume_dp)} t",
            fmt,
            _ratio_phrase(
                s,
                "price_usd_per_t",
                fmt._("at {price} per tonne").format(price=fmt.usd(s.price_usd_per_t)),
                fmt,
            ),
        ),
        _sum_tile(
            s,
            "value_usd",
            fmt._("Value of sales"),
            fmt.usd(s.value_usd),
            fmt,
            fmt._("collective sales by PMGs"),
        ),
        {
            "label": fmt._("Value per member"),
            "value": fmt.usd(per_member, 2),
            "notes": [
                _ratio_phrase(s, "value_per_member_usd", fmt._("sales value ÷ members"), fmt)
                if not math.isnan(per_member)
                else undefined_note(s, "value_per_member_usd", fmt)
            ],
        },
    ]
