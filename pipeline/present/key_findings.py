"""Key findings: short sentences written from the data, never hard-coded.

A sentence cites only figures that were reported; a partial total or ratio says how many
territories it covers, and nothing is compared with a figure that does not exist.
"""

from __future__ import annotations

import math

import pandas as pd

from pipeline.compute.indicators import CountrySummary
from pipeline.core.findings import Finding
from pipeline.core.formatting import Formatter, isolated
from pipeline.present.gaps import figure_name, names_list, reporting_note
from pipeline.present.trend import comparable, same_length
from pipeline.read.columns import NUMERIC


def _complete(s: CountrySummary) -> bool:
    return all(s.reporting[c] == s.territories for c in NUMERIC)


def _partial(text: str, s: CountrySummary, name: str, fmt: Formatter) -> str:
    note = reporting_note(s, name, fmt)
    return f"{text} ({note})" if note else text


def lead_sentence(
    country: str, s: CountrySummary, fmt: Formatter, dps: dict[str, int] | None = None
) -> str:
    """The opening line of the brief: only reported figures, partial ones marked.

    Volume and value show the brief's own decimals (`figure_decimals`).
    """
    dps = dps or {}
    volume_dp, value_dp = dps.get("volume_sold_t", 1), dps.get("value_usd", 0)
    territories = fmt.number(s.territories)
    if _complete(s):
        return fmt.ngettext(
            "In {country}, the agro-enterprise approach was applied by {pmgs} producer marketing "
            "groups (PMGs) with {members} members in {territories} territory, who together sold "
            "{volume} tonnes of produce worth {value}.",
            "In {country}, the agro-enterprise approach was applied by {pmgs} producer marketing "
            "groups (PMGs) with {members} members in {territories} territories, who together sold "
            "{volume} tonnes of produce worth {value}.",
            s.territories,
        ).format(
            country=isolated(country),
            pmgs=fmt.number(s.pmgs),
            members=fmt.number(s.members),
            territories=territories,
            volume=fmt.number(s.volume_sold_t, volume_dp),
            value=fmt.usd(s.value_usd, value_dp),
        )
    phrases = {
        "target_households": fmt._("{n} target households"),
        "pmgs": fmt._("{n} producer marketing groups (PMGs)"),
        "members": fmt._("{n} PMG members"),
        "volume_sold_t": fmt._("{n} tonnes of produce sold"),
        "value_usd": fmt._("sales worth {n}"),
    }
    reported = [
        _partial(
            phrases[c].format(
                n=fmt.usd(s.value_usd, value_dp)
                if c == "value_usd"
                else fmt.number(getattr(s, c), volume_dp if c == "volume_sold_t" else 0)
            ),
            s,
            c,
            fmt,
        )
        for c in NUMERIC
        if not s.missing(c)
    ]
    opening = fmt.ngettext(
        "In {country}, the agro-enterprise approach was applied in {n} territory.",
        "In {country}, the agro-enterprise approach was applied in {n} territories.",
        s.territories,
    ).format(country=isolated(country), n=territories)
    sentences = [opening]
    if reported:
        sentences.append(
            fmt._("The figures reported are {figures}.").format(figures=names_list(reported, fmt))
        )
    missing = [figure_name(c, fmt) for c in NUMERIC if s.missing(c)]
    if missing:
        sentences.append(
            fmt._("Not reported: {figures}.").format(figures=names_list(missing, fmt))
        )
    return " ".join(sentences)


def _extremes(ind: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series] | None:
    """The rows with the highest and lowest value, when at least two differ."""
    data = ind.dropna(subset=[column])
    if len(data) < 2 or data[column].max() == data[column].min():
        return None
    return data.loc[data[column].idxmax()], data.loc[data[column].idxmin()]


def _ratio_findings(s: CountrySummary, fmt: Formatter) -> list[str]:
    """Reach, sales per member and price, each only when it has a value."""
    has = {name: not math.isnan(getattr(s, name)) for name in s.parts}
    whole = not any(s.partial(name) for name in s.parts)
    if all(has.values()) and whole and s.reporting["target_households"] == s.territories:
        return [
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
    out = []
    if has["reach"]:
        out.append(
            _partial(
                fmt._("PMG members are {reach} of the {households} target households").format(
                    reach=fmt.percent(s.reach), households=fmt.number(s.parts["reach"][1])
                ),
                s,
                "reach",
                fmt,
            )
            + "."
        )
    if has["value_per_member_usd"]:
        out.append(
            _partial(
                fmt._("Sales averaged {per_member} per member").format(
                    per_member=fmt.usd(s.value_per_member_usd, 2)
                ),
                s,
                "value_per_member_usd",
                fmt,
            )
            + "."
        )
    if has["price_usd_per_t"]:
        out.append(
            _partial(
                fmt._("Groups sold at {price} per tonne on average").format(
                    price=fmt.usd(s.price_usd_per_t)
                ),
                s,
                "price_usd_per_t",
                fmt,
            )
            + "."
        )
    return out


def key_findings(
    s: CountrySummary,
    ind: pd.DataFrame,
    flags: list[Finding],
    fmt: Formatter,
    dps: dict[str, int] | None = None,
) -> list[str]:
    """Up to five findings a donor should read first; none cites a figure not reported."""
    out = _ratio_findings(s, fmt)
    valued = ind.dropna(subset=["value_usd"])
    if len(valued) >= 2 and valued["value_usd"].max() > 0:
        top = valued.loc[valued["value_usd"].idxmax()]
        of_total = (
            fmt._("of the total of the {n} territories reporting").format(
                n=fmt.number(s.reporting["value_usd"])
            )
            if s.partial("value_usd")
            else fmt._("of the total")
        )
        out.append(
            (
                fmt._(
                    "{territory} contributed the largest share of value: {value}, {share} "
                    "{of_total}, from {pmgs} PMGs."
                )
                if pd.notna(top.pmgs)
                else fmt._(
                    "{territory} contributed the largest share of value: {value}, {share} "
                    "{of_total}."
                )
            ).format(
                territory=isolated(top.territory),
                value=fmt.usd(top.value_usd, (dps or {}).get("value_usd", 0)),
                share=fmt.percent(top.value_share),
                of_total=of_total,
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
                low_territory=isolated(low.territory),
                high=fmt.usd(high.price_usd_per_t),
                high_territory=isolated(high.territory),
            )
        )
    if reach := _extremes(ind, "reach"):
        high, low = reach
        out.append(
            fmt._(
                "Reach was lowest in {low_territory}, where members are {low} of {households} "
                "target households, and highest in {high_territory} ({high})."
            ).format(
                low_territory=isolated(low.territory),
                low=fmt.percent(low.reach),
                households=fmt.number(low.target_households),
                high_territory=isolated(high.territory),
                high=fmt.percent(high.reach),
            )
        )
    # Flag messages are the validation findings' own words: English, for the officer too.
    out.extend(fmt._("To check: {message}").format(message=f.message) for f in flags[:1])
    return out[:5]


def trend_finding(
    trend: list[tuple[str, CountrySummary]], fmt: Formatter, dps: dict[str, int] | None = None
) -> str | None:
    """One sentence on the change from the first period to the latest, if both are whole and
    equally long (a year is never compared with a half year)."""
    if len(trend) < 2:
        return None
    (first, a), (last, b) = trend[0], trend[-1]
    if not same_length(first, last) or not comparable(a, b, "value_usd"):
        return None
    change = b.value_usd / a.value_usd - 1
    text = (
        fmt._("The value of sales grew by {change} from {first} to {last}, to {value}")
        if change >= 0
        else fmt._("The value of sales fell by {change} from {first} to {last}, to {value}")
    )
    members = ""
    if comparable(a, b, "members"):
        members = fmt._("; membership went from {before} to {after}").format(
            before=fmt.number(a.members), after=fmt.number(b.members)
        )
    return (
        text.format(
            change=fmt.percent(abs(change)),
            first=first,
            last=last,
            value=fmt.usd(b.value_usd, (dps or {}).get("value_usd", 0)),
        )
        + members
        + "."
    )
