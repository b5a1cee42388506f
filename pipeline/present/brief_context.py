"""Everything a brief template shows, formatted in Python from validated data (no I/O)."""

from __future__ import annotations

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
from pipeline.core.formatting import NOT_REPORTED, Formatter, decimals_needed
from pipeline.present.chart_sets import Chart, country_charts, trend_chart
from pipeline.present.key_findings import key_findings, lead_sentence, trend_finding
from pipeline.present.render import figure_data_uri
from pipeline.present.targets_context import targets_context
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


def _cell(text: str, missing: bool = False) -> dict[str, Any]:
    return {"text": text, "missing": missing}


def _table_rows(
    ind: pd.DataFrame, fmt: Formatter, flagged: set[int], volume_dp: int
) -> list[dict[str, Any]]:
    rows = []
    for line, r in ind.iterrows():
        products = product_list(r.products) if isinstance(r.products, str) else []
        rows.append(
            {
                "territory": r.territory,
                "flagged": line in flagged,
                "others": False,
                "products": [{"name": p.name, "note": p.note} for p in products],
                "numbers": [
                    _cell(fmt.number(r.target_households), pd.isna(r.target_households)),
                    _cell(fmt.number(r.pmgs), pd.isna(r.pmgs)),
                    _cell(fmt.number(r.members), pd.isna(r.members)),
                    _cell(fmt.number(r.volume_sold_t, volume_dp), pd.isna(r.volume_sold_t)),
                    _cell(fmt.number(r.value_usd), pd.isna(r.value_usd)),
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


def leading(ind: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` territories with the largest value of sales, in file order."""
    if len(ind) <= limit:
        return ind
    top = ind["value_usd"].fillna(-1).nlargest(limit, keep="first").index
    return ind.loc[sorted(top)]


def _others_row(
    others: pd.DataFrame, s: CountrySummary, fmt: Formatter, volume_dp: int
) -> dict[str, Any]:
    """One row summing the territories not listed."""
    o = country_summary(others)
    return {
        "territory": fmt.ngettext(
            "{n} other territory", "{n} other territories", len(others)
        ).format(n=fmt.number(len(others))),
        "flagged": False,
        "others": True,
        "products": [],
        "numbers": _sum_cells(o, fmt, volume_dp),
        "indicators": _ratio_cells(
            o, fmt, o.value_usd / s.value_usd if s.value_usd else float("nan")
        ),
    }


def _sum_cells(s: CountrySummary, fmt: Formatter, volume_dp: int) -> list[dict[str, Any]]:
    """The impact table's figures for a group of territories."""
    return [
        _cell(fmt.number(s.target_households)),
        _cell(fmt.number(s.pmgs)),
        _cell(fmt.number(s.members)),
        _cell(fmt.number(s.volume_sold_t, volume_dp)),
        _cell(fmt.number(s.value_usd)),
    ]


def _ratio_cells(s: CountrySummary, fmt: Formatter, share: float) -> list[dict[str, Any]]:
    """The indicators table's figures for a group of territories."""
    return [
        _cell(fmt.percent(s.reach)),
        _cell(fmt.number(s.members_per_pmg)),
        _cell(fmt.usd(s.value_per_member_usd, 2)),
        _cell(fmt.usd(s.price_usd_per_t)),
        _cell(fmt.percent(share)),
    ]


def headlines(s: CountrySummary, fmt: Formatter, volume_dp: int) -> list[dict[str, str]]:
    """The six headline tiles."""
    return [
        {
            "label": fmt._("Target households"),
            "value": fmt.number(s.target_households),
            "note": fmt._("in {n} territories").format(n=fmt.number(s.territories)),
        },
        {
            "label": fmt._("Producer marketing groups"),
            "value": fmt.number(s.pmgs),
            "note": fmt._("{n} members per group").format(n=fmt.number(s.members_per_pmg)),
        },
        {
            "label": fmt._("PMG members"),
            "value": fmt.number(s.members),
            "note": fmt._("reach {reach} of target households").format(reach=fmt.percent(s.reach)),
        },
        {
            "label": fmt._("Volume sold"),
            "value": f"{fmt.number(s.volume_sold_t, volume_dp)} t",
            "note": fmt._("at {price} per tonne").format(price=fmt.usd(s.price_usd_per_t)),
        },
        {
            "label": fmt._("Value of sales"),
            "value": fmt.usd(s.value_usd),
            "note": fmt._("collective sales by PMGs"),
        },
        {
            "label": fmt._("Value per member"),
            "value": fmt.usd(s.value_per_member_usd, 2),
            "note": fmt._("sales value ÷ members"),
        },
    ]


def trend_rows(trend: list[tuple[str, CountrySummary]], fmt: Formatter) -> list[dict[str, Any]]:
    """One row per period: totals, and growth on the period before."""
    rows = []
    previous: CountrySummary | None = None
    for period, s in trend:
        growth = [
            fmt.percent(getattr(s, c) / getattr(previous, c) - 1)
            if previous is not None and getattr(previous, c) > 0
            else NOT_REPORTED
            for c in ("members", "value_usd")
        ]
        rows.append(
            {
                "period": period,
                "numbers": [
                    _cell(fmt.number(s.territories)),
                    _cell(fmt.number(s.pmgs)),
                    _cell(fmt.number(s.members)),
                    _cell(fmt.number(s.volume_sold_t, 1)),
                    _cell(fmt.usd(s.value_usd)),
                    _cell(growth[0]),
                    _cell(growth[1]),
                ],
            }
        )
        previous = s
    return rows


def _trend_frame(trend: list[tuple[str, CountrySummary]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": [p for p, _ in trend],
            "value_usd": [s.value_usd for _, s in trend],
            "members": [s.members for _, s in trend],
        }
    )


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
    volume_dp = decimals_needed(list(ind["volume_sold_t"]))
    partial = [c for c in NUMERIC if s.partial(c)]
    # A large country shows its leading territories; the full table is attached to the PDF.
    shown = leading(ind, config.MAX_TERRITORIES_SHOWN)
    others = ind.drop(shown.index)
    charts = country_charts(
        leading(ind, config.MAX_TERRITORIES_CHARTED), fmt, s.price_usd_per_t, flagged
    )
    findings = key_findings(s, ind, flags, fmt)
    if sentence := trend_finding(trend, fmt):
        findings.insert(1, sentence)
    name = fmt.country_name(country)
    several = len(all_periods) > 1
    # Results against targets (issue 15): their own keys, all empty without targets.
    against = targets_context(targets, latest, name, fmt)
    if against["target_finding"]:
        findings.insert(1, against["target_finding"])
    return {
        **against,
        "lang": fmt.locale,
        "country": name,
        "programme": programme,
        "period": latest,
        "periods": all_periods if several else [],
        "lead": lead_sentence(name, s, fmt),
        "headlines": headlines(s, fmt, volume_dp),
        "findings": findings[:5],
        "rows": _table_rows(shown, fmt, flagged, volume_dp)
        + ([_others_row(others, s, fmt, volume_dp)] if len(others) else []),
        "territories_shown": len(shown),
        "territories_charted": min(len(ind), config.MAX_TERRITORIES_CHARTED),
        "territories_total": len(ind),
        "totals": _sum_cells(s, fmt, volume_dp),
        "totals_indicators": _ratio_cells(s, fmt, 1.0),
        "partial_totals": partial,
        "not_reported_mark": NOT_REPORTED,
        "charts": [chart_context(c) for c in charts],
        "trend_rows": trend_rows(trend, fmt) if several else [],
        "trend_chart": chart_context(trend_chart(_trend_frame(trend), fmt)) if several else None,
        "narrative": narrative,
        "conversions": [
            note for _, note in conversion_notes(table.columns, list(table.conversions))
        ],
        "flags": [f.message for f in flags[: config.MAX_FLAGS_LISTED]],
        "flags_more": max(0, len(flags) - config.MAX_FLAGS_LISTED),
        "totals_rows": [t.line for t in table.totals],
        "definitions": definitions(fmt),
        "provenance": provenance,
        "sha_short": provenance.sha256[:12],
        "version": __version__,
        "created": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "published": fmt.date(stamp.date()),
    }


def chart_context(chart: Chart) -> dict[str, str]:
    return {"question": chart.question, "alt": chart.alt, "src": figure_data_uri(chart.figure)}
