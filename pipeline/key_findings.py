"""Key findings: short sentences written from the data, never hard-coded."""

from __future__ import annotations

import pandas as pd

from pipeline.findings import Finding
from pipeline.formatting import Formatter
from pipeline.indicators import CountrySummary


def lead_sentence(country: str, s: CountrySummary, fmt: Formatter) -> str:
    """The opening line of the brief."""
    return (
        f"In {country}, the agro-enterprise approach was applied by {fmt.number(s.pmgs)} "
        f"producer marketing groups (PMGs) with {fmt.number(s.members)} members in "
        f"{s.territories} territories, who together sold {fmt.number(s.volume_sold_t, 1)} "
        f"tonnes of produce worth {fmt.usd(s.value_usd)}."
    )


def _extremes(ind: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series] | None:
    data = ind.dropna(subset=[column])
    if len(data) < 2:
        return None
    return data.loc[data[column].idxmax()], data.loc[data[column].idxmin()]


def key_findings(
    s: CountrySummary, ind: pd.DataFrame, flags: list[Finding], fmt: Formatter
) -> list[str]:
    """Three to five findings a donor should read first."""
    out = [
        (
            f"PMG members are {fmt.percent(s.reach)} of the {fmt.number(s.target_households)} "
            f"target households, and sales averaged {fmt.usd(s.value_per_member_usd, 2)} per "
            f"member at {fmt.usd(s.price_usd_per_t)} per tonne."
        )
    ]
    if ind["value_usd"].notna().any():
        top = ind.loc[ind["value_usd"].idxmax()]
        out.append(
            f"{top.territory} contributed the largest share of value: "
            f"{fmt.usd(top.value_usd)}, {fmt.percent(top.value_share)} of the total, "
            f"from {fmt.number(top.pmgs)} PMGs."
        )
    if price := _extremes(ind, "price_usd_per_t"):
        high, low = price
        out.append(
            f"Prices ranged from {fmt.usd(low.price_usd_per_t)} per tonne in "
            f"{low.territory} to {fmt.usd(high.price_usd_per_t)} per tonne in "
            f"{high.territory}."
        )
    if reach := _extremes(ind, "reach"):
        high, low = reach
        out.append(
            f"Reach was lowest in {low.territory}, where members are "
            f"{fmt.percent(low.reach)} of {fmt.number(low.target_households)} target "
            f"households, and highest in {high.territory} ({fmt.percent(high.reach)})."
        )
    out.extend(f"To check: {f.message}" for f in flags[:1])
    return out[:5]
