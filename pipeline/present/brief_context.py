"""Everything a brief template shows, formatted in Python from validated data (no I/O)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from pipeline import __version__, config
from pipeline.check.validate import CountryTable
from pipeline.compute.figures import (
    FigureSet,
    brief_figures,
    leading,
    others_figures,
    share_total,
)
from pipeline.compute.indicators import in_period, periods
from pipeline.compute.lineage import Lineage
from pipeline.compute.targets import TargetResults
from pipeline.core.countries import Country
from pipeline.core.figure import Figure
from pipeline.core.findings import Finding
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.core.frames import line_of
from pipeline.core.registry import INDICATORS, N_, optional_given, table_columns
from pipeline.present.appendix import appendix_entries
from pipeline.present.brief_tables import (
    impact_table,
    indicators_table,
    results_table,
    trend_table,
)
from pipeline.present.chart_sets import Chart, charts, not_drawn, trend_chart
from pipeline.present.charts import ChartSetting
from pipeline.present.claims import (
    cell_marks,
    claim,
    count,
    link_to,
    linked,
    linked_ids,
    qualifier,
    say,
    say_n,
    star,
)
from pipeline.present.gaps import not_reported_notes
from pipeline.present.headlines import headlines
from pipeline.present.key_findings import (
    key_findings,
    lead_sentence,
    shown_findings,
    trend_finding,
)
from pipeline.present.render import figure_svg, svg_data_uri
from pipeline.present.short_names import shorten_repeats
from pipeline.present.targets_context import targets_context
from pipeline.present.trend import trend_rows
from pipeline.read.cells import product_list
from pipeline.read.periods import period_dates, span
from pipeline.read.programme import Narrative, Programme

#: The indicators a brief may chart.
CHARTED = tuple(n for n, i in INDICATORS.items() if i.chart is not None)


def definitions(
    fmt: Formatter, given: tuple[str, ...] = (), youth_age: tuple[int, int] = (15, 35)
) -> list[tuple[str, str]]:
    """Terms a donor may not know, defined in the brief's language (the registry's); members by
    sex and age only when the file gives them (`given`), youth with its ages (settings.yaml)."""
    ages = fmt._("{low} to {high}").format(
        low=fmt.number(youth_age[0]), high=fmt.number(youth_age[1])
    )
    out = [
        (fmt._(term), fmt._(meaning).replace("{ages}", ages))
        for term, meaning in (
            i.definition
            for i in INDICATORS.values()
            if i.definition and (not i.optional or i.name in given)
        )
    ]
    if {"members_women", "members_youth"} <= set(given):
        # Both in one entry of one line, so that the data notes keep to the body's pages.
        out = out[:-2] + [(fmt._(BOTH_PARTS[0]), fmt._(BOTH_PARTS[1]).replace("{ages}", ages))]
    return out


#: The data notes' one definition of women and youth members, when a file gives both.
BOTH_PARTS = (
    N_("Women, youth"),
    N_("Members who are women, or aged {ages} years."),
)


def headers(names: tuple[str, ...], fmt: Formatter) -> list[dict[str, str]]:
    """A table's column headings for these indicators: each one's heading and unit."""
    return [
        {"label": fmt._(INDICATORS[n].header), "unit": fmt._(INDICATORS[n].header_unit) % {}}
        for n in names
    ]


@dataclass(frozen=True)
class Provenance:
    """Where a brief's numbers come from."""

    file: str
    sha256: str
    encoding: str
    rows_read: int
    rows_accepted: int


def _cell(f: Figure, fmt: Formatter) -> dict[str, Any]:
    """A table cell: the figure (its unit is in the column heading), marked on the cell
    (claims.cell_marks), whether it is "not reported", and its qualifiers: a territory's own
    flagged figure is starred ("4,000*"), a total says how many reported and what it would be
    without flagged rows, under it."""
    text, marks = escape(fmt.figure(f, bare=True)), cell_marks(f)
    figure = None if f.missing else f.id
    if mark := star(f):
        return {
            "text": text + mark,
            "marks": marks,
            "missing": f.missing,
            "note": "",
            "id": figure,
        }
    return {
        "text": text,
        "marks": marks,
        "missing": f.missing,
        "note": qualifier(f, fmt, parentheses=False),
        "id": figure,
    }


def _table_rows(ind: pd.DataFrame, figures: FigureSet, fmt: Formatter) -> list[dict[str, Any]]:
    numbers, derived = table_columns(ind.columns)
    rows = []
    for line, r in ind.iterrows():
        own = figures.row(line_of(line))
        products = product_list(r.products) if isinstance(r.products, str) else []
        rows.append(
            {
                "territory": r.territory,
                "flagged": False,  # each flagged figure carries its own star
                "others": False,
                "products": [{"name": p.name, "note": p.note} for p in products],
                "numbers": [_cell(own[c], fmt) for c in numbers],
                "indicators": [_cell(own[c], fmt) for c in derived],
            }
        )
    return rows


def _linked_cell(cell: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """A table cell whose figures link to their appendix entries: the cell's own figure
    (marked on the cell, not in its text), and any its qualifier states."""
    text = link_to(cell["text"], cell["id"]) if cell["id"] in known else cell["text"]
    return {**cell, "text": text, "note": linked(cell["note"], known)}


def _others_row(
    others: pd.DataFrame, country: str, whole: Figure, fmt: Formatter
) -> dict[str, Any]:
    """One row summing the territories not listed: a group's figures, its share of `whole`
    (their lineage: compute/lineage.py, from the same `others_figures`)."""
    numbers, derived = table_columns(others.columns)
    o = others_figures(others, country, whole)
    return {
        "territory": fmt.ngettext(
            "{n} other territory", "{n} other territories", len(others)
        ).format(n=fmt.number(len(others))),
        "flagged": False,
        "others": True,
        "products": [],
        "numbers": [_cell(o[c], fmt) for c in numbers],
        "indicators": [_cell(o[c], fmt) for c in derived],
    }


def ratio_of(part: float, whole: float) -> float:
    """part / whole; NaN when either is not reported or the whole is not above 0."""
    return part / whole if whole > 0 and not math.isnan(part) else math.nan


@dataclass(frozen=True)
class BriefData:
    """What one country's brief is made from: its validated table and what was found in it."""

    country: Country
    table: CountryTable
    indicators: pd.DataFrame
    flags: list[Finding] = field(default_factory=list)  #: plausibility flags to show
    targets: TargetResults | None = None  #: its results against targets, if it has any
    #: its figures, when already made (else they are made from the indicators)
    figures: FigureSet | None = None
    lineage: Sequence[Lineage] = ()  #: how each figure was made: the appendix's entries


@dataclass(frozen=True)
class Framing:
    """What frames a document in its language: the programme, its date, the country's own
    narrative, and the formatter of the language."""

    programme: Programme
    fmt: Formatter
    stamp: datetime
    narrative: Narrative | None = None
    youth_age: tuple[int, int] = (15, 35)  #: the ages "youth" means (settings.yaml)


def brief_context(data: BriefData, framing: Framing, provenance: Provenance) -> dict[str, Any]:
    """The template context of one country's brief; headline figures are the latest period's."""
    country, table, indicators, flags, targets = (
        data.country,
        data.table,
        data.indicators,
        data.flags,
        data.targets,
    )
    programme, narrative, fmt, stamp = (
        framing.programme,
        framing.narrative,
        framing.fmt,
        framing.stamp,
    )
    all_periods = periods(indicators)
    latest = all_periods[-1]
    ind = in_period(indicators, latest)
    parts = optional_given(ind.columns)  # members by sex and age, where given
    figures = data.figures or brief_figures(country.alpha_3, indicators, flags)
    t = figures.totals[latest]
    s = figures.summaries[latest]
    share = share_total(figures, latest)
    numbers, derived = table_columns(ind.columns)
    partial = [c for c in numbers if t[c].partial]
    gaps = not_reported_notes(ind, fmt)
    # A large country shows its leading territories; the full table is attached to the PDF.
    shown = leading(ind, config.MAX_TERRITORIES_SHOWN)
    others = ind.drop(shown.index)
    drawn = charts(
        leading(ind, config.MAX_TERRITORIES_CHARTED),
        fmt,
        "brief",
        ChartSetting(
            t["price_usd_per_t"],
            N_("country average {price}"),
            # The group-size chart marks only group sizes flagged, not a territory's other flags.
            frozenset(
                line for line in ind.index if figures.row(int(line))["members_per_pmg"].flagged
            ),
            {
                name: frozenset(line for line in ind.index if figures.row(int(line))[name].flagged)
                for name in CHARTED
                if name in ind
            },
        ),
    )
    messages = [f.message for f in flags if f.line in ind.index]
    findings = key_findings(figures, ind, latest, messages, fmt)
    if sentence := trend_finding(figures, fmt):
        findings.insert(1, sentence)
    name = fmt.country_name(country)
    several = len(all_periods) > 1
    # Results against targets (issue 15): their own keys, all empty without targets.
    against = targets_context(targets, figures, latest, name, fmt)
    if against["target_finding"]:
        findings.insert(1, against["target_finding"])
    rows = _table_rows(shown, figures, fmt) + (
        [_others_row(others, country.alpha_3, t["value_usd"], fmt)] if len(others) else []
    )
    # Each headline, table total and key-finding figure links to how it was made.
    known = {lineage.figure.id for lineage in data.lineage}
    totals = [_linked_cell(_cell(t[c], fmt), known) for c in numbers]
    totals_indicators = [_linked_cell(_cell(t.get(c, share), fmt), known) for c in derived]
    tiles = [
        {**h, "value": linked(h["value"], known), "notes": [linked(n, known) for n in h["notes"]]}
        for h in headlines(t, fmt, "brief", _tile_notes(t, s.territories, fmt))
    ]
    stated = [
        linked(f, known)
        for f in shorten_repeats(shown_findings(findings, bool(messages)), ind["territory"])
    ]
    ids = linked_ids(
        [
            *(x for h in tiles for x in (h["value"], *h["notes"])),
            *stated,
            *(x for c in (*totals, *totals_indicators) for x in (c["text"], c["note"])),
        ]
    )
    cells = [*totals, *totals_indicators]
    cells += [c for r in rows for c in (*r["numbers"], *r["indicators"])]
    trend_table_rows = trend_rows(figures, fmt) if several else []
    return {
        **against,
        "lang": fmt.tag,
        "country": name,
        "programme": programme,
        "period": latest,
        "periods": all_periods if several else [],
        "lead": lead_sentence(name, t, s.territories, fmt, fmt.in_country(country)),
        "headlines": tiles,
        "findings": stated,
        "rows": rows,
        # One territory: its row is the total, so the tables show it once.
        "single": len(rows) == 1,
        "impact": impact_table(
            rows, totals, against["target_columns"], against["target_cells"], fmt, numbers
        ),
        "indicators": indicators_table(rows, totals_indicators, name, fmt, derived),
        "results": results_table(against["target_rows"], against["target_periods"], fmt),
        "figure_headers": headers(numbers, fmt),
        "indicator_headers": headers(derived, fmt),
        # A long table may break across pages rather than leave a page empty before it.
        "long_table": len(rows) > 12 or sum(len(str(r["territory"])) for r in rows) > 400,
        "territories_shown": len(shown),
        "territories_charted": min(len(ind), config.MAX_TERRITORIES_CHARTED),
        "territories_total": len(ind),
        "totals": totals,
        "totals_indicators": totals_indicators,
        "partial_totals": partial,
        "dashes": any(c["text"] == NOT_REPORTED for c in cells),
        "not_reported": gaps,
        "not_reported_mark": NOT_REPORTED,
        "charts": [chart_context(c) for c in drawn if c.figure is not None],
        "charts_not_drawn": not_drawn(drawn, fmt),
        "trend_rows": trend_table_rows,
        "trend": trend_table(trend_table_rows, fmt),
        "trend_chart": chart_context(trend_chart(figures, fmt)) if several else None,
        "narrative": narrative,
        "conversions": conversion_sentences(table, fmt),
        "flags": [f.message for f in flags[: config.MAX_FLAGS_LISTED]],
        "flags_more": max(0, len(flags) - config.MAX_FLAGS_LISTED),
        "totals_rows": [t.line for t in table.totals],
        "row_kinds": table.row_kinds,
        "definitions": definitions(fmt, parts, framing.youth_age),
        # Members by sex and age add a chart, table columns and notes: the data notes are set
        # tighter then, so that the brief keeps to its pages in every language.
        "parts": bool(parts),
        "appendix": appendix_entries(data.lineage, ids, table.raw.file, name, fmt),
        "lineage_file": config.lineage_csv(Path(), country.slug).name,
        "provenance": provenance,
        "sha_short": provenance.sha256[:12],
        "version": __version__,
        "created": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "published": fmt.date(stamp.date()),
        "data_as_of": _date(reporting_end(programme, latest), fmt),
    }


def reporting_end(programme: Programme, latest: str) -> date | None:
    """The last day the brief's figures report on: its latest period's, else the programme's
    (None when programme.yaml gives no dates)."""
    try:
        whole = span(programme.period_start, programme.period_end)
    except ValueError:
        whole = None
    if latest:
        return period_dates(latest, whole or (date.min, date.max))[1]
    return whole[1] if whole else None


def _date(day: date | None, fmt: Formatter) -> str:
    return fmt.date(day) if day else ""


#: A column's scale, in words, in a data note (each a msgid: N_ marks it for the catalogs).
_SCALED = {
    1_000: N_('Figures in "{label}" are in thousands: each was multiplied by {factor}, exactly.'),
    1_000_000: N_(
        'Figures in "{label}" are in millions: each was multiplied by {factor}, exactly.'
    ),
}


def conversion_sentences(table: CountryTable, fmt: Formatter) -> list[str]:
    """Each unit or currency conversion applied, as the data notes state it in the edition's
    language, the currency named as CLDR names it (the validation findings say the same in
    English, for officers)."""
    notes = []
    volume = table.columns["volume_sold_t"]
    if volume.unit_factor != 1:
        notes.append(
            fmt._('Volumes given in kilograms ("{label}") were converted to tonnes.').format(
                label=volume.label
            )
        )
    for column in table.columns.values():
        if column.scale != 1:
            message = _SCALED.get(
                column.scale, N_('Figures in "{label}" were each multiplied by {factor}, exactly.')
            )
            notes.append(
                fmt._(message).format(label=column.label, factor=fmt.number(column.scale))
            )
    for currency, period, rate in table.conversions:
        parts = {
            "currency": currency,
            "name": fmt.currency_name(currency),
            "rate": fmt.plain(rate),
            "period": period,
        }
        if period:
            message = fmt._(
                "Values in {currency} ({name}) were converted to US$ at {rate} {currency} per "
                "US$ for {period} (exchange_rates.csv)."
            )
        else:
            message = fmt._(
                "Values in {currency} ({name}) were converted to US$ at {rate} {currency} per "
                "US$ (exchange_rates.csv)."
            )
        notes.append(message.format(**parts))
    return notes


def _tile_notes(
    figures: dict[str, Figure], territories: int, fmt: Formatter
) -> dict[str, Markup | str]:
    """The brief's tiles' own notes: how many territories the households are in, what the
    value of sales is."""
    notes: dict[str, Markup | str] = {"value_usd": fmt._("collective sales by PMGs")}
    if parts := members_parts(figures, fmt):
        notes["members"] = parts
    if not figures["target_households"].partial:
        notes["target_households"] = say_n(
            fmt,
            "in {n} territory",
            "in {n} territories",
            territories,
            n=count(territories, fmt),
        )
    return notes


def members_parts(figures: Mapping[str, Figure], fmt: Formatter) -> Markup | str:
    """The line under the members' tile: "52% women, 20% youth", each share with its coverage
    ("2 of 3 reporting"); "" when the file gives neither column (#26)."""
    phrases = {
        "women_share": (N_("{share} women"), N_("women not reported")),
        "youth_share": (N_("{share} youth"), N_("youth not reported")),
    }
    parts = []
    for name, (message, missing) in phrases.items():
        if name not in figures:
            continue
        f = figures[name]
        if f.missing:
            parts.append(say(fmt, missing))
            continue
        mark = qualifier(f, fmt)
        text = say(fmt, message, share=claim(f, fmt))
        parts.append(text + Markup(" ") + mark if mark else text)
    return Markup(", ").join(parts) if parts else ""


def chart_context(chart: Chart) -> dict[str, Any]:
    """A chart as the templates place it: its image, or the line that stands in its place.

    The SVG is drawn once: the PDF embeds it as a data: URI, the web edition inline, beside
    its short finding and its data (`data`, a `ChartData`).
    """
    svg = figure_svg(chart.figure) if chart.figure is not None else ""
    return {
        "question": chart.question,
        "alt": chart.alt,
        "src": svg_data_uri(svg) if svg else "",
        "svg": svg,
        "note": chart.note,
        "finding": chart.finding,
        "data": chart.data,
    }
