"""The programme-wide overview: every country's latest figures compared (no file writes)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from pipeline import __version__, config
from pipeline.compute.figures import summary_figures, with_recorded_flags
from pipeline.compute.indicators import summary_from_flat
from pipeline.core.figure import Figure
from pipeline.core.findings import errors, warnings
from pipeline.core.formatting import NOT_REPORTED, Formatter, isolated
from pipeline.core.frames import line_of
from pipeline.core.outcomes import CountryResult, Status
from pipeline.core.registry import N_, RATIOS
from pipeline.present.brief_context import (
    Framing,
    chart_context,
    definitions,
    headers,
    reporting_end,
)
from pipeline.present.brief_tables import achievement_table, compare_table, status_table
from pipeline.present.chart_sets import charts, not_drawn
from pipeline.present.charts import ChartSetting
from pipeline.present.claims import claim, markup_list, qualified, qualifier, say, say_n
from pipeline.present.overview_figures import (
    country_frame,
    country_summaries,
    figure_cells,
    not_reported_lines,
    overview_columns,
    overview_headlines,
    programme_summary,
)
from pipeline.present.overview_targets import overview_targets_context
from pipeline.present.render import EmbeddedFile, Pdf, html_to_pdf
from pipeline.present.templating import environment
from pipeline.present.web import Download, web_page
from pipeline.read.programme import Programme


def _spread(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The countries that have `column`, when at least two differ (else none)."""
    data = frame.dropna(subset=[column])
    return data if len(data) >= 2 and data[column].max() > data[column].min() else data[:0]


def _unlike(figures: list[Figure]) -> bool:
    """True when figures compared across countries cover different periods, or some leave out
    territories: such a comparison says so."""
    return len({f.period for f in figures}) > 1 or any(f.partial for f in figures)


def _caveat(fmt: Formatter) -> Markup:
    return say(
        fmt,
        "The countries' figures are for different periods or leave out territories, so they "
        "do not rank the countries.",
    )


def overview_findings(
    frame: pd.DataFrame,
    countries: dict[str, dict[str, Figure]],
    results: list[CountryResult],
    t: dict[str, Figure],
    fmt: Formatter,
) -> list[Markup]:
    """Which country leads, which lags, what stands out, which figures are flagged, and who is
    missing. A comparison of countries whose figures differ in period or coverage says so."""
    out: list[Markup] = []
    valued = frame.dropna(subset=["value_usd"])
    if len(valued) >= 2 and valued["value_usd"].max() > 0:  # one country leads nothing
        top = countries[str(valued.iloc[0].territory)]
        share = replace(
            top["value_usd"],
            id=top["value_usd"].id + ".share",
            indicator="value_share",
            value=float(valued.iloc[0].value_share),
            decimals=0,
        )
        compared = [countries[str(c)]["value_usd"] for c in valued["territory"]]
        text = (
            say(
                fmt,
                "{country} reported the largest sales, {value}, {share} of the sales reported "
                "({reporting}).",
                country=isolated(valued.iloc[0].territory),
                value=qualified(top["value_usd"], fmt),
                share=claim(share, fmt),
                reporting=qualifier(t["value_usd"], fmt, parentheses=False),
            )
            if t["value_usd"].partial
            else say(
                fmt,
                "{country} leads with sales of {value}, {share} of the programme total.",
                country=isolated(valued.iloc[0].territory),
                value=qualified(top["value_usd"], fmt),
                share=claim(share, fmt),
            )
        )
        out.append(text + (Markup(" ") + _caveat(fmt) if _unlike(compared) else Markup("")))
    per_member = _spread(frame, "value_per_member_usd")
    if len(per_member):
        high = str(per_member.loc[line_of(per_member["value_per_member_usd"].idxmax())].territory)
        low = str(per_member.loc[line_of(per_member["value_per_member_usd"].idxmin())].territory)
        text = say(
            fmt,
            "Sales per member ranged from {low} in {low_country} to {high} in {high_country}.",
            low=qualified(countries[low]["value_per_member_usd"], fmt),
            low_country=isolated(low),
            high=qualified(countries[high]["value_per_member_usd"], fmt),
            high_country=isolated(high),
        )
        compared = [countries[str(c)]["value_per_member_usd"] for c in per_member["territory"]]
        out.append(text + (Markup(" ") + _caveat(fmt) if _unlike(compared) else Markup("")))
    reach = _spread(frame, "reach")
    if len(reach):
        low = str(reach.loc[line_of(reach["reach"].idxmin())].territory)
        text = say(
            fmt,
            "Reach lags in {country}: members are {reach} of target households.",
            country=isolated(low),
            reach=qualified(countries[low]["reach"], fmt),
        )
        compared = [countries[str(c)]["reach"] for c in reach["territory"]]
        out.append(text + (Markup(" ") + _caveat(fmt) if _unlike(compared) else Markup("")))
    if flagged := _flagged_countries(results, fmt):
        out.append(flagged)
    missing = [r for r in results if not r.status.succeeded]
    if missing:
        out.append(
            say_n(
                fmt,
                "{n} country file is not in these figures: see its status below.",
                "{n} country files are not in these figures: see their status below.",
                len(missing),
                n=fmt.number(len(missing)),
            )
        )
    return out


def _flagged_countries(results: list[CountryResult], fmt: Formatter) -> Markup | None:
    """Every country with figures flagged for checking, each with how many."""
    flagged = sorted(
        (fmt.country_name(r.country), r.flags)
        for r in results
        if r.flags and r.country and r.status.succeeded
    )
    if not flagged:
        return None
    names = [
        say_n(
            fmt,
            "{country} ({n} figure)",
            "{country} ({n} figures)",
            n,
            country=isolated(c),
            n=fmt.number(n),
        )
        for c, n in flagged
    ]
    return say_n(
        fmt,
        "Figures flagged for checking with the field office, listed in its brief: {countries}.",
        "Figures flagged for checking with the field offices, listed in their briefs: "
        "{countries}.",
        len(flagged),
        countries=markup_list(names, fmt),
    )


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
    figures = summary_figures(t, "programme", "")
    summaries = sorted(
        ((name, r, summary_from_flat(r.summary)) for r, name in country_summaries(results, fmt)),
        key=lambda row: (math.isnan(row[2].value_usd), -(row[2].value_usd or 0)),
    )
    countries = {
        name: with_recorded_flags(
            summary_figures(s, r.country.alpha_3 if r.country else name, r.period), r.flagged
        )
        for name, r, s in summaries
    }
    columns = overview_columns(figures)
    rows = [
        {
            "country": name,
            "period": r.period or NOT_REPORTED,
            "numbers": figure_cells(s.territories, countries[name], fmt, columns),
        }
        for name, r, s in summaries
    ]
    against = overview_targets_context(results, countries, fmt)  # results against targets (#15)
    totals = figure_cells(t.territories, figures, fmt, columns)
    # One bar per chart compares nothing: charts start at two countries.
    drawn = (
        charts(
            chart_frame(frame.head(config.MAX_TERRITORIES_CHARTED), results, fmt),
            fmt,
            "overview",
            ChartSetting(figures["price_usd_per_t"], N_("programme average {price}")),
        )
        if len(frame) >= 2
        else []
    )
    statuses = _status_rows(results, fmt)
    show_periods = any(r.period for _, r, _ in summaries)
    return {
        **against,
        "lang": fmt.tag,
        "programme": programme,
        "headlines": overview_headlines(figures, len(frame), t.territories, fmt)
        if len(frame)
        else [],
        "findings": overview_findings(frame, countries, results, figures, fmt),
        "rows": rows,
        "headers": headers(columns, fmt),
        "totals": totals,
        "compare": compare_table(rows, totals, fmt, columns, show_periods),
        "show_periods": show_periods,
        "achievement_layout": achievement_table(against["achievement"], fmt),
        "not_reported": not_reported_lines([(n, r.period, s) for n, r, s in summaries], t, fmt),
        "countries_charted": min(len(frame), config.MAX_TERRITORIES_CHARTED),
        "several_periods": len(set(frame["period"])) > 1 if len(frame) else False,
        "charts": [chart_context(c) for c in drawn if c.figure is not None],
        "charts_not_drawn": not_drawn(drawn, fmt),
        "statuses": statuses,
        "status_layout": status_table(statuses, fmt),
        "report_name": config.validation_report(config.REPORTS_DIR).name,
        "definitions": definitions(fmt),
        "version": __version__,
        "created": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "published": fmt.date(stamp.date()),
        "data_as_of": _latest_end(programme, [r.period for _, r, _ in summaries], fmt),
    }


def _latest_end(programme: Programme, labels: list[str], fmt: Formatter) -> str:
    """The last day any country's figures report on, in words ("" when unknown)."""
    ends = [day for label in labels if (day := reporting_end(programme, label))]
    return fmt.date(max(ends)) if ends else ""


def chart_frame(frame: pd.DataFrame, results: list[CountryResult], fmt: Formatter) -> pd.DataFrame:
    """The countries as the charts draw them: each ratio's two sides beside it, summed over
    the territories that reported both, so that a bar shows what its label states."""
    parts = {
        name: summary_from_flat(r.summary).parts for r, name in country_summaries(results, fmt)
    }
    columns = {
        f"{ratio}_{side}": [parts[str(c)][ratio][i] for c in frame["territory"]]
        for ratio in RATIOS
        for i, side in enumerate(("numerator", "denominator"))
    }
    return frame.assign(**columns)


def overview_html(results: list[CountryResult], framing: Framing, templates: Path) -> str:
    """The overview brief as HTML, from the templates in `templates`."""
    env = environment(templates, framing.fmt.catalog)
    return env.get_template("overview.html.j2").render(
        overview_context(results, framing), web=None
    )


def overview_editions(
    results: list[CountryResult], framing: Framing, templates: Path, table: bytes
) -> tuple[str, str]:
    """The overview's HTML for the PDF and its web edition, from one context."""
    context = overview_context(results, framing)
    env = environment(templates, framing.fmt.catalog)
    html = env.get_template("overview.html.j2").render(context, web=None)
    download = Download("overview.csv", table, framing.fmt._("Every country's latest figures"))
    return html, web_page(
        "overview.html.j2", context, templates, framing.fmt, (download,), "overview"
    )


def overview_pdf(
    results: list[CountryResult],
    framing: Framing,
    templates: Path,
    table: bytes,
    render: Callable[..., Pdf] | None = None,
) -> tuple[bytes, str]:
    """The overview brief as PDF bytes, carrying its table as an attachment, and its web
    edition."""
    html, web = overview_editions(results, framing, templates, table)
    attachment = EmbeddedFile("overview.csv", table, "Every country's latest figures", "Data")
    pdf = (render or html_to_pdf)(html, templates, config.MAX_PAGES, [attachment], framing.stamp)
    return pdf.data, web
