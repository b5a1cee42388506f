"""Build one country as an independent task: its input file to its outputs (the heavy part)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import config
from pipeline.check.validate import CountryTable, country_table
from pipeline.compute.indicators import country_summary, in_period, periods, territory_indicators
from pipeline.compute.plausibility import FLAG_RULES, plausibility_findings
from pipeline.config import Dirs
from pipeline.core.countries import Country, UnknownCountry, resolve_country
from pipeline.core.findings import FileRefused
from pipeline.core.formatting import Formatter
from pipeline.core.outcomes import CountryResult, Status, refused
from pipeline.core.rules import file_error
from pipeline.read.programme import (
    read_narrative,
)
from pipeline.read.tables import count_rows, read_table
from pipeline.run.outputs import (
    findings_csv,
    frame_csv,
    rejected_csv,
    remove,
    write_atomic,
)
from pipeline.run.tasks import Shared


def validate_country(
    path: Path, shared: Shared | None = None
) -> tuple[CountryResult, CountryTable | None, pd.DataFrame | None]:
    """Read and validate one country file, with indicators if it is valid; never raises."""
    result = CountryResult(path.name)
    try:
        result.country = resolve_country(path.stem)
    except UnknownCountry as exc:
        finding = file_error(path.name, "unknown-country", str(exc), value=path.stem)
        result.rows_read = result.rows_refused = count_rows(path)
        return refused(result, finding), None, None
    try:
        raw = read_table(path, sheet_names(result.country, path.stem))
    except FileRefused as exc:
        return refused(result, exc.finding), None, None
    result.encoding = raw.encoding
    result.rows_read = len(raw.rows)
    try:
        table = country_table(raw, shared.rates if shared else None)
    except FileRefused as exc:
        result.rows_refused = len(raw.rows)
        return refused(result, exc.finding), None, None
    result.rows_rejected = len(table.rejected)
    result.rows_accepted = result.rows_read - result.rows_rejected
    result.findings = list(table.findings)
    if not table.ok:
        result.status = Status.INVALID
        return result, table, None
    indicators = territory_indicators(table.territories)
    result.language = shared.language(result.country) if shared else "en"
    flags = plausibility_findings(table, indicators, Formatter(result.language))
    result.findings += flags
    result.flags = len(flags)
    result.period = periods(indicators)[-1]
    latest = country_summary(in_period(indicators, result.period))
    result.summary = latest.flat()
    result.status = Status.VALIDATED
    return result, table, indicators


def sheet_names(country: Country, stem: str) -> tuple[str, ...]:
    """Names a workbook's sheet may carry for this country, in order of preference."""
    return (stem, country.name, country.alpha_2, country.alpha_3)


def build_country(path: Path, dirs: Dirs, shared: Shared) -> CountryResult:
    """One country, inputs to outputs: validation files always, a brief when the data is valid."""
    result, table, indicators = validate_country(path, shared)
    slug = result.country.slug if result.country else None
    findings = findings_csv(result.findings)
    if slug:
        write_atomic(config.validation_csv(dirs.processed, slug), findings)
        result.outputs.append(config.validation_csv(dirs.processed, slug))
        if table is not None and table.rejected:
            write_atomic(
                config.rejected_csv(dirs.processed, slug),
                rejected_csv(table.rejected, result.findings),
            )
            result.outputs.append(config.rejected_csv(dirs.processed, slug))
        else:
            remove([config.rejected_csv(dirs.processed, slug)])
    if indicators is None or table is None or slug is None:
        # A brief built from earlier data must not outlive the data that now fails.
        if slug:
            remove(
                [config.processed_csv(dirs.processed, slug), config.brief_pdf(dirs.reports, slug)]
            )
        return result
    processed = frame_csv(indicators)
    write_atomic(config.processed_csv(dirs.processed, slug), processed)
    result.outputs.append(config.processed_csv(dirs.processed, slug))
    if not shared.brief:
        return result
    lang = result.language
    if lang not in shared.programmes:
        result.status = Status.FAILED
        return result
    from pipeline.present.brief import brief_html, brief_pdf  # heavy imports: only when needed
    from pipeline.present.render import EmbeddedFile

    flags = [f for f in result.findings if f.rule in FLAG_RULES]
    # The donor gets the numbers and the checks behind them inside the PDF itself.
    files = [
        EmbeddedFile(
            f"{slug}.csv", processed, f"{result.name}: territory figures and indicators", "Data"
        ),
        EmbeddedFile(
            f"{slug}-validation.csv",
            findings,
            f"{result.name}: validation findings for {path.name}",
            "Supplement",
        ),
    ]
    try:
        narrative = read_narrative(path.with_suffix(".md"), lang)
        html = brief_html(
            result.country,  # type: ignore[arg-type]
            table,
            indicators,
            flags,
            shared.programmes[lang],
            narrative,
            dirs,
            Formatter(lang),
            shared.stamp,
        )
        pdf = brief_pdf(html, dirs, files, shared.stamp)
    except Exception as exc:  # noqa: BLE001 (one country's failure never stops the others)
        result.status = Status.FAILED
        result.findings.append(
            file_error(path.name, "render-failed", f"The brief could not be rendered: {exc}")
        )
        remove([config.brief_pdf(dirs.reports, slug)])
        return result
    write_atomic(config.brief_pdf(dirs.reports, slug), pdf.data)
    result.outputs.append(config.brief_pdf(dirs.reports, slug))
    result.pages = pdf.pages
    result.status = Status.BUILT
    return result
