"""The programme-wide overview: every country's latest figures compared (no file writes)."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__, config
from pipeline.compute.figures import precision, summary_figures
from pipeline.compute.indicators import CountrySummary, summary_from_flat
from pipeline.core.findings import errors, warnings
from pipeline.core.formatting import NOT_REPORTED, Formatter, isolated
from pipeline.core.outcomes import CountryResult, Status
from pipeline.core.registry import N_
from pipeline.present.brief_context import Framing, chart_context, definitions, headers
from pipeline.present.chart_sets import charts
from pipeline.present.charts import ChartSetting
from pipeline.present.gaps import reporting_note
from pipeline.present.overview_figures import (
    OVERVIEW_COLUMNS,
    country_frame,
    country_summaries,
    figure_cells,
    not_reported_lines,
    overview_headlines,
    programme_summary,
)
from pipeline.present.overview_targets import overview_targets_context
from pipeline.present.render import EmbeddedFile, Pdf, html_to_pdf
from pipeline.present.templating import environment


def _spread(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The countries that have `column`, when at least two differ (else none)."""
    data = frame.dropna(subset=[column])
    return data if len(data) >= 2 and data[column].max() > data[column].min() else data[:0]


def overview_findings(
    frame: pd.DataFrame,
    results: list[CountryResult],
    fmt: Formatter,
    t: CountrySummary,
    value_dp: int = 0,
) -> list[str]:
    """Which country leads, which lags, what stands out, and who is missing."""
    out: list[str] = []
    valued = frame.dropna(subset=["value_usd"])
    if len(valued) >= 1 and valued["value_usd"].max() > 0:
        top = valued.iloc[0]
        text = (
            fmt._(
                "{country} leads with sales of {value}, {share} of the sales reported "
                "({reporting})."
            )
            if t.partial("value_usd")
            else fmt._("{country} leads with sales of {value}, {share} of the programme total.")
        )
        out.append(
            text.format(
                country=isolated(top.territory),
                value=fmt.usd(top.value_usd, value_dp),
                share=fmt.percent(top.value_share),
                reporting=reporting_note(t, "value_usd", fmt),
            )
        )
    per_member = _spread(frame, "value_per_member_usd")
    if len(per_member):
        high = per_member.loc[per_member["value_per_member_usd"].idxmax()]
        low = per_member.loc[per_member["value_per_member_usd"].idxmin()]
        out.append(
            fmt._(
                "Sales per member ranged from {low} in {low_country} to {high} in {high_country}."
            ).format(
                low=fmt.usd(low.value_per_member_usd, 2),
                low_country=isolated(low.territory),
                high=fmt.usd(high.value_per_member_usd, 2),
                high_country=isolated(high.territory),
            )
        )
    reach = _spread(frame, "reach")
    if len(reach):
        low = reach.loc[reach["reach"].idxmin()]
        out.append(
            fmt._("Reach lags in {country}: members are {reach} of target households.").format(
                country=isolated(low.territory), reach=fmt.percent(low.reach)
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
            ).format(country=isolated(country), n=count)
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


def overview_context(results: list[CountryResult], framing: Framing) -> dict[str, Any]:
    """The template context of the overview brief."""
    programme, fmt, stamp = framing.programme, framing.fmt, framing.stamp
    frame = country_frame(results, fmt)
    t = programme_summary(results)
    # One choice of decimals for the whole overview, as in each country's brief.
    places = precision(frame)  # one written form of each indicator in the whole overview
    dps = {c: places[c] for c in ("volume_sold_t", "value_usd")}
    figures = summary_figures(t, "programme", "", places)
    summaries = sorted(
        (
            (name, r.period, summary_from_flat(r.summary), r.country.alpha_3 if r.country else "")
            for r, name in country_summaries(results, fmt)
        ),
        key=lambda row: (math.isnan(row[2].value_usd), -(row[2].value_usd or 0)),
    )
    rows = [
        {
            "country": name,
            "period": period or NOT_REPORTED,
            "numbers": figure_cells(s.territories, summary_figures(s, code, period, places), fmt),
        }
        for name, period, s, code in summaries
    ]
    return {
        **overview_targets_context(results, fmt, dps),  # results against targets (issue 15)
        "lang": fmt.locale,
        "programme": programme,
        "headlines": overview_headlines(figures, len(frame), t.territories, fmt)
        if len(frame)
        else [],
        "findings": overview_findings(frame, results, fmt, t, dps["value_usd"]),
        "rows": rows,
        "headers": headers(OVERVIEW_COLUMNS, fmt),
        "totals": figure_cells(t.territories, figures, fmt),
        "not_reported": not_reported_lines([(n, p, s) for n, p, s, _ in summaries], t, fmt),
        "countries_charted": min(len(frame), config.MAX_TERRITORIES_CHARTED),
        "several_periods": len(set(frame["period"])) > 1 if len(frame) else False,
        # One bar per chart compares nothing: charts start at two countries.
        "charts": [
            chart_context(c)
            for c in charts(
                frame.head(config.MAX_TERRITORIES_CHARTED),
                fmt,
                "overview",
                ChartSetting(places, t.price_usd_per_t, N_("programme average {price}")),
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


def overview_html(results: list[CountryResult], framing: Framing, templates: Path) -> str:
    """The overview brief as HTML, from the templates in `templates`."""
    env = environment(templates, framing.fmt.catalog)
    return env.get_template("overview.html.j2").render(overview_context(results, framing))


def overview_pdf(
    results: list[CountryResult],
    framing: Framing,
    templates: Path,
    table: bytes,
    render: Callable[..., Pdf] | None = None,
) -> bytes:
    """The overview brief as PDF bytes, carrying its table as an attachment."""
    html = overview_html(results, framing, templates)
    attachment = EmbeddedFile("overview.csv", table, "Every country's latest figures", "Data")
    return (render or html_to_pdf)(
        html, templates, config.MAX_PAGES, [attachment], framing.stamp
    ).data
