"""Key findings: short sentences written from the data's figures, never hard-coded.

Every figure in a sentence is a `Figure` stated by `claims.claim`, with its qualifiers: a
partial figure says how many territories it covers, a flagged one says so. Nothing is
compared with a figure that does not exist, and a ranking compares figures of one period.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from markupsafe import Markup

from pipeline.compute.figures import FigureSet
from pipeline.core.figure import Figure
from pipeline.core.formatting import Formatter, isolated
from pipeline.core.frames import line_of
from pipeline.core.places import capitalised
from pipeline.core.registry import N_, REPORTED
from pipeline.present.claims import (
    change_claim,
    claim,
    count,
    markup_list,
    period,
    qualified,
    qualified_in_brackets,
    qualifier,
    say,
    say_n,
)
from pipeline.present.gaps import figure_name, names_list
from pipeline.present.trend import comparable, overlap, same_length

#: Key findings a brief shows; one of them is kept for a data-quality flag when there is one.
FINDINGS_SHOWN = 5


def _with(text: Markup, *figures: Figure, fmt: Formatter) -> Markup:
    """A phrase followed by the qualifiers of its figures (coverage, flags), if any."""
    marks = [m for f in figures if (m := qualifier(f, fmt))]
    return text + Markup(" ") + Markup(" ").join(marks) if marks else text


def lead_sentence(
    country: str,
    figures: Mapping[str, Figure],
    territories: int,
    fmt: Formatter,
    place: str | None = None,
) -> Markup:
    """The opening line of the brief: only reported figures, each with its qualifiers.

    `place` is the country with the language's "in" ("au Kenya"): a translation writes
    {in_country}, or {In_country} to open the sentence with it, where English has "In {country}".
    """
    f = figures
    where = place or f"in {country}"
    places = {"in_country": isolated(where), "In_country": isolated(capitalised(where))}
    if all(f[c].coverage.complete for c in REPORTED):
        return say_n(
            fmt,
            "In {country}, the agro-enterprise approach was applied by {pmgs} producer "
            "marketing groups (PMGs) with {members} members in {territories} territory, who "
            "together sold {volume} tonnes of produce worth {value}.",
            "In {country}, the agro-enterprise approach was applied by {pmgs} producer "
            "marketing groups (PMGs) with {members} members in {territories} territories, "
            "who together sold {volume} tonnes of produce worth {value}.",
            territories,
            country=isolated(country),
            **places,
            pmgs=qualified(f["pmgs"], fmt),
            members=qualified(f["members"], fmt),
            territories=count(territories, fmt),
            volume=qualified(f["volume_sold_t"], fmt, bare=True),
            value=qualified(f["value_usd"], fmt),
        )
    phrases = {
        "target_households": "{n} target households",
        "pmgs": "{n} producer marketing groups (PMGs)",
        "members": "{n} PMG members",
        "volume_sold_t": "{n} tonnes of produce sold",
        "value_usd": "sales worth {n}",
    }
    reported = [
        _with(say(fmt, phrases[c], n=claim(f[c], fmt, bare=c == "volume_sold_t")), f[c], fmt=fmt)
        for c in REPORTED
        if not f[c].coverage.missing
    ]
    sentences = [
        say_n(
            fmt,
            "In {country}, the agro-enterprise approach was applied in {n} territory.",
            "In {country}, the agro-enterprise approach was applied in {n} territories.",
            territories,
            country=isolated(country),
            **places,
            n=count(territories, fmt),
        )
    ]
    if reported:
        sentences.append(
            say(fmt, "The figures reported are {figures}.", figures=markup_list(reported, fmt))
        )
    missing = [figure_name(c, fmt) for c in REPORTED if f[c].coverage.missing]
    if missing:
        sentences.append(say(fmt, "Not reported: {figures}.", figures=names_list(missing, fmt)))
    return Markup(" ").join(sentences)


def _extremes(rows: pd.DataFrame, column: str) -> tuple[int, int] | None:
    """The lines of the highest and lowest value, when at least two territories differ."""
    data = rows.dropna(subset=[column])
    if len(data) < 2 or data[column].max() == data[column].min():
        return None
    return line_of(data[column].idxmax()), line_of(data[column].idxmin())


def _ratio_findings(t: Mapping[str, Figure], fmt: Formatter) -> list[Markup]:
    """Reach, sales per member and price, each only when it has a value."""
    names = ("reach", "value_per_member_usd", "price_usd_per_t")
    has = {n: not t[n].missing for n in names}
    households = t["target_households"]
    if all(has.values()) and all(t[n].coverage.complete for n in (*names, "target_households")):
        return [
            say(
                fmt,
                "PMG members are {reach} of the {households} target households, and sales "
                "averaged {per_member} per member at {price} per tonne.",
                reach=qualified(t["reach"], fmt),
                households=qualified(households, fmt),
                per_member=qualified(t["value_per_member_usd"], fmt),
                price=qualified(t["price_usd_per_t"], fmt),
            )
        ]
    out = []
    if has["reach"]:
        out.append(
            _with(
                say(
                    fmt,
                    "PMG members are {reach} of the target households",
                    reach=claim(t["reach"], fmt),
                ),
                t["reach"],
                fmt=fmt,
            )
            + "."
        )
    if has["value_per_member_usd"]:
        out.append(
            _with(
                say(
                    fmt,
                    "Sales averaged {per_member} per member",
                    per_member=claim(t["value_per_member_usd"], fmt),
                ),
                t["value_per_member_usd"],
                fmt=fmt,
            )
            + "."
        )
    if has["price_usd_per_t"]:
        out.append(
            _with(
                say(
                    fmt,
                    "Groups sold at {price} per tonne on average",
                    price=claim(t["price_usd_per_t"], fmt),
                ),
                t["price_usd_per_t"],
                fmt=fmt,
            )
            + "."
        )
    return out


def _largest_share(
    rows: pd.DataFrame, figures: FigureSet, total: Figure, fmt: Formatter
) -> Markup | None:
    """Which territory contributed most to the value of sales, and its share."""
    valued = rows.dropna(subset=["value_usd"])
    if len(valued) < 2 or not valued["value_usd"].max() > 0:
        return None
    top = figures.row(line_of(valued["value_usd"].idxmax()))
    of_total = (
        say(
            fmt,
            "of the total of the {n} territories reporting",
            n=count(total.coverage.reporting, fmt),
        )
        if total.partial
        else say(fmt, "of the total")
    )
    parts = {
        "territory": isolated(top["value_usd"].territory),
        "value": qualified(top["value_usd"], fmt),
        "share": claim(top["value_share"], fmt),
        "of_total": of_total,
    }
    if top["pmgs"].missing:
        return say(
            fmt,
            "{territory} contributed the largest share of value: {value}, {share} {of_total}.",
            **parts,
        )
    return say_n(
        fmt,
        "{territory} contributed the largest share of value: {value}, {share} {of_total}, "
        "from {pmgs} PMG.",
        "{territory} contributed the largest share of value: {value}, {share} {of_total}, "
        "from {pmgs} PMGs.",
        int(top["pmgs"].value),
        pmgs=qualified(top["pmgs"], fmt),
        **parts,
    )


def _ranges(rows: pd.DataFrame, figures: FigureSet, fmt: Formatter) -> list[Markup]:
    """The range of prices, and of reach, across the territories that reported them."""
    out = []
    if price := _extremes(rows, "price_usd_per_t"):
        high, low = (figures.row(line)["price_usd_per_t"] for line in price)
        out.append(
            say(
                fmt,
                "Prices ranged from {low} per tonne in {low_territory} to {high} per tonne in "
                "{high_territory}.",
                low=qualified(low, fmt),
                low_territory=isolated(low.territory),
                high=qualified(high, fmt),
                high_territory=isolated(high.territory),
            )
        )
    if reach := _extremes(rows, "reach"):
        high_row, low_row = (figures.row(line) for line in reach)
        out.append(
            say(
                fmt,
                "Reach was lowest in {low_territory}, where members are {low} of {households} "
                "target households, and highest in {high_territory} ({high}).",
                low_territory=isolated(low_row["reach"].territory),
                low=qualified(low_row["reach"], fmt),
                households=claim(low_row["target_households"], fmt),
                high_territory=isolated(high_row["reach"].territory),
                high=qualified_in_brackets(high_row["reach"], fmt),
            )
        )
    return out


#: A share of members (women, youth) that differs between territories by more than this is a
#: key finding (#26): 15 percentage points.
SHARE_GAP = 0.15


def _share_gaps(rows: pd.DataFrame, figures: FigureSet, fmt: Formatter) -> list[Markup]:
    """The women's and the youth's shares of members where they differ between territories by
    more than SHARE_GAP; nothing when the file does not give them."""
    messages = {
        "women_share": N_(
            "The share of women among members ranges from {low} in {low_territory} to {high} "
            "in {high_territory}."
        ),
        "youth_share": N_(
            "The share of youth among members ranges from {low} in {low_territory} to {high} "
            "in {high_territory}."
        ),
    }
    out = []
    for name, message in messages.items():
        if name not in rows or not (lines := _extremes(rows, name)):
            continue
        high, low = (figures.row(line)[name] for line in lines)
        if high.value - low.value <= SHARE_GAP:
            continue
        out.append(
            say(
                fmt,
                message,
                low=qualified(low, fmt),
                low_territory=isolated(low.territory),
                high=qualified(high, fmt),
                high_territory=isolated(high.territory),
            )
        )
    return out


def flag_finding(messages: list[str], fmt: Formatter) -> Markup | None:
    """The finding kept for data-quality flags: the first flag's own words, and how many more.

    A flag message quotes the validation finding (its figures are the officer's cells), so it
    is marked as a quotation, not as figures of the brief.
    """
    if not messages:
        return None
    quote = Markup('<q class="flag-message">{}</q>').format(messages[0])
    text = say(fmt, "To check: {message}", message=quote)
    if len(messages) > 1:
        more = len(messages) - 1
        text += Markup(" ") + say_n(
            fmt,
            "{n} more figure is flagged in the data notes.",
            "{n} more figures are flagged in the data notes.",
            more,
            n=count(more, fmt),
        )
    return text


def key_findings(
    figures: FigureSet, rows: pd.DataFrame, latest: str, flags: list[str], fmt: Formatter
) -> list[Markup]:
    """The findings a donor should read first, from the latest period's figures; none cites a
    figure not reported. The last one is the data-quality flags' when there are any."""
    t = figures.totals[latest]
    out = _ratio_findings(t, fmt)
    if sentence := _largest_share(rows, figures, t["value_usd"], fmt):
        out.append(sentence)
    out += _share_gaps(rows, figures, fmt)
    out += _ranges(rows, figures, fmt)
    return out + ([flag] if (flag := flag_finding(flags, fmt)) else [])


def shown_findings(findings: list[Markup], flagged: bool) -> list[Markup]:
    """The findings that fit the brief's first page: FINDINGS_SHOWN at most, and a flag's
    finding (the last, when `flagged`) is never crowded out by the others."""
    if not flagged or len(findings) <= FINDINGS_SHOWN:
        return findings[:FINDINGS_SHOWN]
    return [*findings[: FINDINGS_SHOWN - 1], findings[-1]]


def trend_finding(figures: FigureSet, fmt: Formatter) -> Markup | None:
    """One sentence on the change from the first period to the latest, if both are whole,
    over the same territories, equally long and do not overlap (a year is never compared
    with a half year, nor a cumulative 2003-2004 with 2004)."""
    labels = list(figures.totals)
    if len(labels) < 2:
        return None
    first, last = labels[0], labels[-1]
    a, b = figures.summaries[first], figures.summaries[last]
    if overlap(first, last) or not same_length(first, last) or not comparable(a, b, "value_usd"):
        return None
    change = b.value_usd / a.value_usd - 1
    value = figures.total("value_usd", last)
    message = (
        "The value of sales grew by {change} from {first} to {last}, to {value}"
        if change >= 0
        else "The value of sales fell by {change} from {first} to {last}, to {value}"
    )
    text = say(
        fmt,
        message,
        change=change_claim(abs(change), fmt),
        first=period(first),
        last=period(last),
        value=qualified(value, fmt),
    )
    if comparable(a, b, "members"):
        text += say(
            fmt,
            "; membership went from {before} to {after}",
            before=qualified(figures.total("members", first), fmt),
            after=qualified(figures.total("members", last), fmt),
        )
    return text + "."
