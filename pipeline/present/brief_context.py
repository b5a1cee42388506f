"""Everything a brief template shows, formatted in Python from validated data (no I/O)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from pipeline import __version__, config
from pipeline.check.normalise import conversion_notes
from pipeline.check.validate import CountryTable
from pipeline.compute.indicators import CountrySummary, country_summary, in_period, periods
from pipeline.compute.targets import TargetResults
from pipeline.core.countries import Country
from pipeline.core.findings import Finding
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.present.chart_sets import Chart, country_charts, trend_chart
from pipeline.present.gaps import not_reported_notes, reporting_note
from pipeline.present.headlines import figure_decimals, headlines
from pipeline.present.key_findings import key_findings, lead_sentence, trend_finding
from pipeline.present.render import figure_data_uri
from pipeline.present.targets_context import targets_context
from pipeline.present.trend import trend_frame, trend_rows
from pipeline.read.cells import product_list
from pipeline.read.columns import NUMERIC
from pipeline.read.programme import Narrative, Programme


def definitions(fmt: Formatter) -> list[tuple[str, str]]:
    """Terms a donor may not know, defined in the brief's language."""
    return [
        (
            fmt._("PMG"),
            fmt._(
                "Producer marketing group: a farmer group that sells its members' produce "
                "together."
            ),
        ),
        (
            fmt._("Target households"),
            fmt._("Households the programme set out to reach in a territory."),
        ),
        (fmt._("Reach"), fmt._("PMG members as a share of target households.")),
        (fmt._("Members per PMG"), fmt._("Members divided by PMGs: the average size of a group.")),
        (fmt._("Value per member"), fmt._("Value of sales divided by members (US$).")),
        (fmt._("Price"), fmt._("Value of sales divided by volume sold (US$ per tonne).")),
        (fmt._("t"), fmt._("Metric tonnes.")),
    ]


@dataclass(frozen=True)
class Provenance:
    """Where a brief's numbers come from."""

    file: str
    sha256: str
    encoding: str
    rows_read: int
    rows_accepted: int


def _cell(text: str, missing: bool = False, note: str = "") -> dict[str, Any]:
    """A table cell: its text, whether it is "not reported", and a note under it."""
    return {"text": text, "missing": missing, "note": note}


def _table_rows(
    ind: pd.DataFrame, fmt: Formatter, flagged: set[int], dps: dict[str, int]
) -> list[dict[str, Any]]:
    rows = []
    for line, r in ind.iterrows():
        products = product_list(r.products) if isinstance(r.products, str) else []
        rows.append(
            {
                "territory": r.territory,
                "long_words": long_words(r.territory, r.products),
                "flagged": line in flagged,
                "others": False,
                "products": [{"name": p.name, "note": p.note} for p in products],
                "numbers": [
                    _cell(fmt.number(r[c], dps.get(c, 0)), pd.isna(r[c])) for c in NUMERIC
                ],
                "indicators": [
                    _cell(fmt.percent(r.reach)),
                    _cell(fmt.number(r.members_per_pmg)),
                    _cell(fmt.usd(r.value_per_member_usd, 2)),
                    _cell(fmt.usd(r.price_usd_per_t)),
                    _cell(fmt.percent(r.value_share)),
                ],
            }
        )
    return rows


#: A word longer than this may not fit a table column: its cell may break it anywhere.
LONG_WORD = 16


def long_words(*texts: object) -> bool:
    """True when a name or product list has a word too long for a table column."""
    return any(len(w) > LONG_WORD for t in texts if isinstance(t, str) for w in t.split())


def leading(ind: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` territories with the largest value of sales, in file order."""
    if len(ind) <= limit:
        return ind
    top = ind["value_usd"].fillna(-1).nlargest(limit, keep="first").index
    return ind.loc[sorted(top)]


def _others_row(
    others: pd.DataFrame, s: CountrySummary, fmt: Formatter, dps: dict[str, int]
) -> dict[str, Any]:
    """One row summing the territories not listed."""
    o = country_summary(others)
    return {
        "territory": fmt.ngettext(
            "{n} other territory", "{n} other territories", len(others)
        ).format(n=fmt.number(len(others))),
        "long_words": False,
        "flagged": False,
        "others": True,
        "products": [],
        "numbers": _sum_cells(o, fmt, dps),
        "indicators": _ratio_cells(o, fmt, ratio_of(o.value_usd, s.value_usd)),
    }


def ratio_of(part: float, whole: float) -> float:
    """part / whole; NaN when either is not reported or the whole is not above 0."""
    return part / whole if whole > 0 and not math.isnan(part) else math.nan


def _sum_cells(s: CountrySummary, fmt: Formatter, dps: dict[str, int]) -> list[dict[str, Any]]:
    """The impact table's figures for a group of territories, partial totals marked."""
    return [
        _cell(
            fmt.number(getattr(s, c), dps.get(c, 0)),
            s.missing(c),
            reporting_note(s, c, fmt),
        )
        for c in NUMERIC
    ]


def _ratio_cells(s: CountrySummary, fmt: Formatter, share: float) -> list[dict[str, Any]]:
    """The indicators table's figures for a group of territories, partial ratios marked."""
    return [
        _cell(fmt.percent(s.reach), note=reporting_note(s, "reach", fmt)),
        _cell(fmt.number(s.members_per_pmg), note=reporting_note(s, "members_per_pmg", fmt)),
        _cell(
            fmt.usd(s.value_per_member_usd, 2), note=reporting_note(s, "value_per_member_usd", fmt)
        ),
        _cell(fmt.usd(s.price_usd_per_t), note=reporting_note(s, "price_usd_per_t", fmt)),
        _cell(fmt.percent(share), note=reporting_note(s, "value_usd", fmt)),
    ]


def brief_context(
    country: Country,
    table: CountryTable,
    indicators: pd.DataFrame,
    programme: Programme,
    narrative: Narrative | None,
    flags: list[Finding],
    provenance: Provenance,
    fmt: Formatter,
    stamp: datetime,
    targets: TargetResults | None = None,
) -> dict[str, Any]:
    """The template context of one country's brief; headline figures are the latest period's."""
    all_periods = periods(indicators)
    latest = all_periods[-1]
    ind = in_period(indicators, latest)
    trend = [(p, country_summary(in_period(indicators, p))) for p in all_periods]
    s = trend[-1][1]  # the latest period's summary
    flagged = {f.line for f in flags if f.line is not None and f.line in ind.index}
    dps = figure_decimals(indicators)
    partial = [c for c in NUMERIC if s.partial(c)]
    gaps = not_reported_notes(ind, fmt)
    # A large country shows its leading territories; the full table is attached to the PDF.
    shown = leading(ind, config.MAX_TERRITORIES_SHOWN)
    others = ind.drop(shown.index)
    charts = country_charts(
        leading(ind, config.MAX_TERRITORIES_CHARTED),
        fmt,
        s.price_usd_per_t,
        # The group-size chart marks only group sizes flagged, not a territory's other flags.
        {f.line for f in flags if f.rule == "members-per-pmg-outlier" and f.line in flagged},
        dps["value_usd"],
    )
    findings = key_findings(s, ind, flags, fmt, dps)
    if sentence := trend_finding(trend, fmt, dps):
        findings.insert(1, sentence)
    name = fmt.country_name(country)
    several = len(all_periods) > 1
    # Results against targets (issue 15): their own keys, all empty without targets.
    against = targets_context(targets, latest, name, fmt, dps)
    if against["target_finding"]:
        findings.insert(1, against["target_finding"])
    rows = _table_rows(shown, fmt, flagged, dps) + (
        [_others_row(others, s, fmt, dps)] if len(others) else []
    )
    totals = _sum_cells(s, fmt, dps)
    totals_indicators = _ratio_cells(s, fmt, 1.0 if s.value_usd > 0 else math.nan)
    cells = [*totals, *totals_indicators]
    cells += [c for r in rows for c in (*r["numbers"], *r["indicators"])]
    return {
        **against,
        "lang": fmt.locale,
        "country": name,
        "programme": programme,
        "period": latest,
        "periods": all_periods if several else [],
        "lead": lead_sentence(name, s, fmt, dps),
        "headlines": headlines(s, fmt, dps),
        "findings": findings[:5],
        "rows": rows,
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
        "charts": [chart_context(c) for c in charts],
        "trend_rows": trend_rows(trend, fmt, dps) if several else [],
        "trend_chart": chart_context(trend_chart(trend_frame(trend), fmt, dps["value_usd"]))
        if several
        else None,
        "narrative": narrative,
        "conversions": [
            note for _, note in conversion_notes(table.columns, list(table.conversions))
        ],
        "flags": [f.message for f in flags[: config.MAX_FLAGS_LISTED]],
        "flags_more": max(0, len(flags) - config.MAX_FLAGS_LISTED),
        "totals_rows": [t.line for t in table.totals],
        "row_kinds": table.row_kinds,
        "definitions": definitions(fmt),
        "provenance": provenance,
        "sha_short": provenance.sha256[:12],
        "version": __version__,
        "created": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "published": fmt.date(stamp.date()),
    }


def chart_context(chart: Chart) -> dict[str, str]:
    """A chart as the template places it: its image, or the line that stands in its place."""
    src = figure_data_uri(chart.figure) if chart.figure is not None else ""
    return {"question": chart.question, "alt": chart.alt, "src": src, "note": chart.note}
