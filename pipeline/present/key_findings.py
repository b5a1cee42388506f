"""Key findings: short sentences written from the data, never hard-coded."""

from __future__ import annotations

import pandas as pd

from pipeline.compute.indicators import CountrySummary
from pipeline.core.findings import Finding
from pipeline.core.formatting import Formatter


def lead_sentence(country: str, s: CountrySummary, fmt: Formatter) -> str:
    """The opening line of the brief."""
    return fmt._(
        "In {country}, the agro-enterprise approach was applied by {pmgs} producer marketing "
        "groups (PMGs) with {members} members in {territories} territories, who together sold "
        "{volume} tonnes of produce worth {value}."
    ).format(
        country=country,
        pmgs=fmt.number(s.pmgs),
        members=fmt.number(s.members),
        territories=fmt.number(s.territories),
        volume=fmt.number(s.volume_sold_t, 1),
        value=fmt.usd(s.value_usd),
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
        fmt._(
            "PMG members are {reach} of the {households} target households, and sales "
            "averaged {per_member} per member at {price} per tonne."
        ).format(
            reach=fmt.percent(s.reach),
            households=fmt.number(s.target_households),
            per_member=fmt.usd(s.value_per_member_usd, 2),
            price=fmt.usd(s.price_usd_per_t),
        )
    ]
    if ind["value_usd"].notna().any():
        top = ind.loc[ind["value_usd"].idxmax()]
        out.append(
            fmt._(
                "{territory} contributed the largest share of value: {value}, {share} of the "
                "total, from {pmgs} PMGs."
            ).format(
                territory=top.territory,
                value=fmt.usd(top.value_usd),
                share=fmt.percent(top.value_share),
                pmgs=fmt.number(top.pmgs),
            )
        )
    if price := _extremes(ind, "price_usd_per_t"):
        high, low = price
        out.append(
            fmt._(
                "Prices ranged from {low} per tonne in {low_territory} to {high} per tonne in "
                "{high_territory}."
            ).format(
                low=fmt.usd(low.price_usd_per_t),
                low_territory=low.territory,
                high=fmt.usd(high.price_usd_per_t),
                high_territory=high.territory,
            )
        )
    if reach := _extremes(ind, "reach"):
        high, low = reach
        out.append(
            fmt._(
                "Reach was lowest in {low_territory}, where members are {low} of {households} "
                "target households, and highest in {high_territory} ({high})."
            ).format(
                low_territory=low.territory,
                low=fmt.percent(low.reach),
                households=fmt.number(low.target_households),
                high_territory=high.territory,
                high=fmt.percent(high.reach),
            )
        )
    # Flag messages are the validation findings' own words: English, for the officer too.
    out.extend(fmt._("To check: {message}").format(message=f.message) for f in flags[:1])
    return out[:5]


def trend_finding(trend: list[tuple[str, CountrySummary]], fmt: Formatter) -> str | None:
    """One sentence on the change from the first period to the latest, if there are two."""
    if len(trend) < 2:
        return None
    (first, a), (last, b) = trend[0], trend[-1]
    if not (a.value_usd > 0 and b.value_usd == b.value_usd):
        return None
    change = b.value_usd / a.value_usd - 1
    text = (
        fmt._("The value of sales grew by {change} from {first} to {last}, to {value}")
        if change >= 0
        else fmt._("The value of sales fell by {change} from {first} to {last}, to {value}")
    )
    members = ""
    if a.members > 0 and b.members == b.members:
        members = fmt._("; membership went from {before} to {after}").format(
            before=fmt.number(a.members), after=fmt.number(b.members)
        )
    return (
        text.format(
            change=fmt.percent(abs(change)), first=first, last=last, value=fmt.usd(b.value_usd)
        )
        + members
        + "."
    )
