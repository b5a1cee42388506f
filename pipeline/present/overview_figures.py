"""The overview's figures: each country's latest totals, the programme's, and their gaps."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pipeline.compute.figures import make_figure
from pipeline.compute.indicators import CountrySummary, combined_summary, summary_from_flat
from pipeline.core.figure import Coverage, Figure
from pipeline.core.formatting import Formatter, isolated
from pipeline.core.outcomes import CountryResult
from pipeline.core.registry import OPTIONAL_RATIOS, OPTIONAL_REPORTED, RATIOS
from pipeline.core.registry import REPORTED as NUMERIC
from pipeline.present.claims import count, qualifier, say_n
from pipeline.present.gaps import capitalised, figure_name, names_list
from pipeline.present.headlines import headlines


def country_summaries(
    results: list[CountryResult], fmt: Formatter
) -> list[tuple[CountryResult, str]]:
    return [
        (r, fmt.country_name(r.country))  # type: ignore[arg-type]
        for r in results
        if r.status.succeeded and r.summary
    ]


def country_frame(results: list[CountryResult], fmt: Formatter) -> pd.DataFrame:
    """One row per valid country (named in "territory", as charts expect), largest value first.

    Ratios are over each country's territories that reported both figures; the
    `*_reporting` columns count the territories that reported each figure.
    """
    summaries = [
        (r, name, summary_from_flat(r.summary)) for r, name in country_summaries(results, fmt)
    ]
    # Members by sex and age (#26) and their shares, where any country's file gives them.
    parts = [
        n
        for n in (*OPTIONAL_REPORTED, *OPTIONAL_RATIOS)
        if any(n in s.values for _, _, s in summaries)
    ]
    counted = [n for n in parts if n in OPTIONAL_REPORTED]
    rows = []
    for r, name, s in summaries:
        rows.append(
            {
                "territory": name,
                "period": r.period,
                "territories": float(s.territories),
                **{c: float(s.values[c]) for c in (*NUMERIC, *RATIOS)},
                **{c: float(s.values.get(c, math.nan)) for c in parts},
                **{f"{c}_reporting": s.reporting[c] for c in NUMERIC},
                **{f"{c}_reporting": s.reporting.get(c, 0) for c in counted},
            }
        )
    columns = ["territory", "period", "territories", *NUMERIC, *RATIOS, *parts]
    reporting = [f"{c}_reporting" for c in (*NUMERIC, *counted)]
    frame = pd.DataFrame(rows, columns=[*columns, *reporting])
    if frame.empty:
        return frame
    total = frame["value_usd"].sum(min_count=1)
    frame = frame.assign(value_share=frame["value_usd"] / total if total > 0 else math.nan)
    return frame.sort_values("value_usd", ascending=False, na_position="last").reset_index(
        drop=True
    )


def programme_summary(results: list[CountryResult]) -> CountrySummary:
    """Programme totals over every valid country's latest period, territory by territory."""
    return combined_summary(
        [summary_from_flat(r.summary) for r in results if r.status.succeeded and r.summary]
    )


#: The countries table's figures, after the number of territories.
OVERVIEW_COLUMNS: tuple[str, ...] = (
    *NUMERIC,
    "reach",
    "value_per_member_usd",
    "price_usd_per_t",
)


#: The shares of members by sex and age the countries table adds when a country gives them.
PART_COLUMNS: tuple[str, ...] = ("women_share", "youth_share")


def overview_columns(figures: dict[str, Figure]) -> tuple[str, ...]:
    """The countries table's figures: the shares of women and youth only when a country's
    file gives their columns (the programme's figures then have them, #26)."""
    return (*OVERVIEW_COLUMNS, *(n for n in PART_COLUMNS if n in figures))


def figure_cells(
    territories: int,
    figures: dict[str, Figure],
    fmt: Formatter,
    names: tuple[str, ...] = OVERVIEW_COLUMNS,
) -> list[dict[str, str]]:
    """A row of the countries table: its territories, then its figures, each with its
    qualifiers under it, as in a brief's table: "2 of 3 reporting", and what a total that
    rests on flagged rows would be without them ("3,842 without Tana River, flagged").
    A country whose file has no column for a share shows it as not reported."""
    cells = [{"text": fmt.number(territories), "note": ""}]
    for name in names:
        f = figures.get(name) or make_figure("", name, math.nan, Coverage(0, territories))
        cells.append(
            {"text": fmt.figure(f, bare=True), "note": qualifier(f, fmt, parentheses=False)}
        )
    return cells


def overview_headlines(
    figures: dict[str, Figure], countries: int, territories: int, fmt: Formatter
) -> list[dict[str, Any]]:
    """The overview's tiles: how many countries, then the programme's figures (the brief's tile
    maker, at the overview's level); a figure no country reported reads "not reported"."""
    countries_tile = {
        "indicator": "countries",
        "label": fmt._("Countries"),
        "value": fmt.number(countries),
        "notes": [
            say_n(fmt, "{n} territory", "{n} territories", territories, n=count(territories, fmt))
        ],
    }
    notes = {"value_usd": fmt._("collective sales by PMGs")}
    return [countries_tile, *headlines(figures, fmt, "overview", notes)]


def not_reported_lines(
    summaries: list[tuple[str, str, CountrySummary]], t: CountrySummary, fmt: Formatter
) -> list[str]:
    """One line per figure some territories did not report, naming their countries."""
    out = []
    for column in NUMERIC:
        if t.reporting[column] == t.territories:
            continue
        countries = [name for name, _, s in summaries if s.reporting[column] < s.territories]
        out.append(
            fmt._("{figure}: not reported by {n} of {total} territories, in {countries}.").format(
                figure=capitalised(figure_name(column, fmt)),
                n=fmt.number(t.territories - t.reporting[column]),
                total=fmt.number(t.territories),
                countries=names_list([isolated(c) for c in countries], fmt),
            )
        )
    return out
