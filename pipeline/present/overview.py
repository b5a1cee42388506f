"""The programme-wide overview: every country's latest figures compared (no file writes)."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__, config
from pipeline.compute.indicators import paired_ratio, ratio
from pipeline.core.findings import errors, warnings
from pipeline.core.formatting import NOT_REPORTED, Formatter
from pipeline.core.outcomes import CountryResult, Status
from pipeline.present.brief_context import chart_context, definitions
from pipeline.present.chart_sets import overview_charts
from pipeline.present.templating import environment
from pipeline.read.programme import Programme

_SUMS = ("territories", "target_households", "pmgs", "members", "volume_sold_t", "value_usd")


def country_frame(results: list[CountryResult], fmt: Formatter) -> pd.DataFrame:
    """One row per valid country (named in "territory", as charts expect), largest value first."""
    rows = [
        {"territory": fmt.country_name(r.country), "period": r.period, **r.summary}  # type: ignore[arg-type]
        for r in results
        if r.status.succeeded and r.summary
    ]
    frame = pd.DataFrame(rows, columns=["territory", "period", *_SUMS])
    if frame.empty:
        return frame
    total = frame["value_usd"].sum(min_count=1)
    frame = frame.assign(
        reach=ratio(frame["members"], frame["target_households"]),
        value_per_member_usd=ratio(frame["value_usd"], frame["members"]),
        price_usd_per_t=ratio(frame["value_usd"], frame["volume_sold_t"]),
        value_share=frame["value_usd"] / total if total > 0 else math.nan,
    )
    return frame.sort_values("value_usd", ascending=False, na_position="last").reset_index(
        drop=True
    )


def programme_totals(frame: pd.DataFrame) -> dict[str, float]:
    """Sums over countries, and ratios over the countries that reported both figures."""
    totals = {c: float(frame[c].sum(min_count=1)) for c in _SUMS}
    totals["countries"] = len(frame)
    totals["reach"] = paired_ratio(frame, "members", "target_households")
    totals["value_per_member_usd"] = paired_ratio(frame, "value_usd", "members")
    totals["price_usd_per_t"] = paired_ratio(frame, "value_usd", "volume_sold_t")
    return totals


def overview_findings(
    frame: pd.DataFrame, results: list[CountryResult], fmt: Formatter
) -> list[str]:
    """Which country leads, which lags, what stands out, and who is missing."""
    out: list[str] = []
    valued = frame.dropna(subset=["value_usd"])
    if len(valued) >= 1:
        top = valued.iloc[0]
        out.append(
            fmt._("{country} leads with sales of {value}, {share} of the programme total.").format(
                country=top.territory,
                value=fmt.usd(top.value_usd),
                share=fmt.percent(top.value_share),
            )
        )
    per_member = frame.dropna(subset=["value_per_member_usd"])
    if len(per_member) >= 2:
        high = per_member.loc[per_member["value_per_member_usd"].idxmax()]
        low = per_member.loc[per_member["value_per_member_usd"].idxmin()]
        out.append(
            fmt._(
                "Sales per member ranged from {low} in {low_country} to {high} in {high_country}."
            ).format(
                low=fmt.usd(low.value_per_member_usd, 2),
                low_country=low.territory,
                high=fmt.usd(high.value_per_member_usd, 2),
                high_country=high.territory,
            )
        )
    reach = frame.dropna(subset=["reach"])
    if len(reach) >= 2:
        low = reach.loc[reach["reach"].idxmin()]
        out.append(
            fmt._("Reach lags in {country}: members are {reach} of target households.").format(
                country=low.territory, reach=fmt.percent(low.reach)
            )
        )
    flagged = sorted(
        ((r.flags, fmt.country_name(r.country)) for r in results if r.flags and r.country),
        reverse=True,
    )
    if flagged:
        count, country = flagged[0]
        out.append(
            fmt.ngettext(
                "{country} has {n} figure flagged for checking with the field office.",
                "{country} has {n} figures flagged for checking with the field office.",
                count,
            ).format(country=country, n=count)
        )
    missing = [r for r in results if not r.status.succeeded]
    if missing:
        out.append(
            fmt.ngettext(
                "{n} country file is not in these figures: see its status below.",
                "{n} country files are not in these figures: see their status below.",
                len(missing),
            ).format(n=len(missing))
        )
    return out


def _status_rows(results: list[CountryResult], fmt: Formatter) -> list[dict[str, Any]]:
    words = {
        Status.BUILT: fmt._("brief built"),
        Status.VALIDATED: fmt._("valid"),
        Status.INVALID: fmt._("failed validation"),
        Status.REFUSED: fmt._("file refused"),
        Status.FAILED: fmt._("brief failed"),
    }
    return [
        {
            "country": fmt.country_name(r.country) if r.country else r.file,
            "file": r.file,
            "ok": r.status.succeeded,
            "status": words[r.status],
            "period": r.period or NOT_REPORTED,
            "errors": fmt.number(len(errors(r.findings))),
            "warnings": fmt.number(len(warnings(r.findings))),
        }
        for r in sorted(results, key=lambda r: r.name)
    ]


def overview_context(
    results: list[CountryResult], programme: Programme, fmt: Formatter, stamp: datetime
) -> dict[str, Any]:
    """The template context of the overview brief."""
    frame = country_frame(results, fmt)
    t = programme_totals(frame)
    rows = [
        {
            "country": r.territory,
            "period": r.period or NOT_REPORTED,
            "numbers": [
                fmt.number(r.territories),
                fmt.number(r.target_households),
                fmt.number(r.pmgs),
                fmt.number(r.members),
                fmt.number(r.volume_sold_t, 1),
                fmt.number(r.value_usd),
                fmt.percent(r.reach),
                fmt.usd(r.value_per_member_usd, 2),
                fmt.usd(r.price_usd_per_t),
            ],
        }
        for r in frame.itertuples()
    ]
    return {
        "lang": fmt.locale,
        "programme": programme,
        "headlines": [
            {
                "label": fmt._("Countries"),
                "value": fmt.number(t["countries"]),
                "note": fmt._("{n} territories").format(n=fmt.number(t["territories"])),
            },
            {
                "label": fmt._("Target households"),
                "value": fmt.number(t["target_households"]),
                "note": fmt._("reach {reach} of target households").format(
                    reach=fmt.percent(t["reach"])
                ),
            },
            {
                "label": fmt._("Producer marketing groups"),
                "value": fmt.number(t["pmgs"]),
                "note": fmt._("{n} members").format(n=fmt.number(t["members"])),
            },
            {
                "label": fmt._("Volume sold"),
                "value": f"{fmt.number(t['volume_sold_t'], 1)} t",
                "note": fmt._("at {price} per tonne").format(price=fmt.usd(t["price_usd_per_t"])),
            },
            {
                "label": fmt._("Value of sales"),
                "value": fmt.usd(t["value_usd"]),
                "note": fmt._("collective sales by PMGs"),
            },
            {
                "label": fmt._("Value per member"),
                "value": fmt.usd(t["value_per_member_usd"], 2),
                "note": fmt._("sales value ÷ members"),
            },
        ]
        if len(frame)
        else [],
        "findings": overview_findings(frame, results, fmt),
        "rows": rows,
        "totals": [
            fmt.number(t["territories"]),
            fmt.number(t["target_households"]),
            fmt.number(t["pmgs"]),
            fmt.number(t["members"]),
            fmt.number(t["volume_sold_t"], 1),
            fmt.number(t["value_usd"]),
            fmt.percent(t["reach"]),
            fmt.usd(t["value_per_member_usd"], 2),
            fmt.usd(t["price_usd_per_t"]),
        ],
        "countries_charted": min(len(frame), config.MAX_TERRITORIES_CHARTED),
        "several_periods": len(set(frame["period"])) > 1 if len(frame) else False,
        # One bar per chart compares nothing: charts start at two countries.
        "charts": [
            chart_context(c)
            for c in overview_charts(
                frame.head(config.MAX_TERRITORIES_CHARTED), fmt, t["price_usd_per_t"]
            )
        ]
        if len(frame) >= 2
        else [],
        "statuses": _status_rows(results, fmt),
        "report_name": config.validation_report(config.REPORTS_DIR).name,
        "definitions": definitions(fmt),
        "version": __version__,
        "created": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "published": fmt.date(stamp.date()),
    }


def overview_html(
    results: list[CountryResult],
    programme: Programme,
    fmt: Formatter,
    stamp: datetime,
    templates: Path,
) -> str:
    """The overview brief as HTML."""
    env = environment(templates, fmt.catalog)
    return env.get_template("overview.html.j2").render(
        overview_context(results, programme, fmt, stamp)
    )


def overview_pdf(
    results: list[CountryResult],
    programme: Programme,
    fmt: Formatter,
    stamp: datetime,
    templates: Path,
    table: bytes,
) -> bytes:
    """The overview brief as PDF bytes, carrying its table as an attachment."""
    from pipeline.present.render import EmbeddedFile, html_to_pdf

    html = overview_html(results, programme, fmt, stamp, templates)
    attachment = EmbeddedFile("overview.csv", table, "Every country's latest figures", "Data")
    return html_to_pdf(html, templates, config.MAX_PAGES, [attachment], stamp).data
