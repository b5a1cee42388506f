"""Build one country as an independent task: its input file to its outputs (the heavy part)."""

from __future__ import annotations

from pathlib import Path
from typing import cast

import pandas as pd
from pandera.typing import DataFrame

from pipeline import config
from pipeline.check.schemas import TerritoryInput
from pipeline.check.target_match import country_targets
from pipeline.check.validate import CountryTable, country_table
from pipeline.compute.figures import brief_figures, flagged_totals, share_total
from pipeline.compute.indicators import country_summary, in_period, periods, territory_indicators
from pipeline.compute.lineage import LINEAGE_FIELDS, figure_lineage, lineage_records
from pipeline.compute.plausibility import FLAG_RULES, plausibility_findings
from pipeline.compute.targets import RESULT_COLUMNS, TargetResults, results_against_targets
from pipeline.config import Dirs
from pipeline.core.countries import Country, UnknownCountry, resolve_country
from pipeline.core.findings import FileRefused
from pipeline.core.formatting import Formatter
from pipeline.core.i18n import SOURCE_LANGUAGE
from pipeline.core.outcomes import CountryResult, Status, refused
from pipeline.core.rules import file_error
from pipeline.read.programme import (
    read_narrative,
)
from pipeline.read.tables import count_rows, read_table
from pipeline.run.outputs import (
    csv_bytes,
    findings_csv,
    frame_csv,
    rejected_csv,
    remove,
    write_atomic,
)
from pipeline.run.tasks import SILENT, PdfRenderer, Reporter, Shared


def validate_country(
    path: Path, shared: Shared | None = None, reporter: Reporter = SILENT
) -> tuple[CountryResult, CountryTable | None, pd.DataFrame | None]:
    """Read and validate one country file, with indicators if it is valid; never raises.

    `reporter` is told the file's rows as soon as they are read.
    """
    result = CountryResult(path.name)
    try:
        result.country = resolve_country(path.stem)
    except UnknownCountry as exc:
        finding = file_error(path.name, "unknown-country", str(exc), value=path.stem)
        try:
            result.rows_read = result.rows_refused = count_rows(path)
        except OSError:
            pass  # unreadable as well as unnamed: no rows to count
        reporter.rows(path.name, result.rows_read)
        return refused(result, finding), None, None
    names = sheet_names(result.country, path.stem)
    try:
        raw = read_table(path, names)
    except FileRefused as exc:
        result.rows_read = result.rows_refused = exc.rows
        return refused(result, exc.finding), None, None
    except OSError as exc:
        message = f"The file could not be read: {exc.strerror or exc}."
        return refused(result, file_error(path.name, "unreadable-file", message)), None, None
    result.encoding = raw.encoding
    result.rows_read = len(raw.rows)
    reporter.rows(path.name, result.rows_read)  # before the heavy part: a crash keeps the count
    try:
        programmes = shared.programmes.values() if shared else ()
        programme = tuple(n for p in programmes for n in (p.name, p.short_name))
        table = country_table(raw, shared.rates if shared else None, names + programme)
    except FileRefused as exc:
        result.rows_refused = len(raw.rows)
        return refused(result, exc.finding), None, None
    result.rows_rejected = len(table.rejected)
    result.rows_accepted = result.rows_read - result.rows_rejected
    result.findings = list(table.findings)
    if not table.ok:
        result.status = Status.INVALID
        return result, table, None
    indicators = territory_indicators(cast(DataFrame[TerritoryInput], table.territories))
    result.language = shared.language(result.country) if shared else "en"
    flags = plausibility_findings(table, indicators, Formatter(result.language))
    result.findings += flags
    result.flags = len(flags)
    result.period = periods(indicators)[-1]
    latest = country_summary(in_period(indicators, result.period))
    result.summary = latest.flat()
    figures = brief_figures(result.country.alpha_3, indicators, flags)
    result.flagged = flagged_totals(figures.totals[result.period])
    result.status = Status.VALIDATED
    return result, table, indicators


def against_targets(
    result: CountryResult,
    table: CountryTable | None,
    indicators: pd.DataFrame | None,
    shared: Shared,
) -> TargetResults | None:
    """The country's results against its targets (None when targets.csv names it not).

    Every finding on its targets joins the country's findings; a bad target is left out.
    """
    if shared.targets is None or result.country is None:
        return None
    alpha_3 = result.country.alpha_3
    if table is None or indicators is None:  # no brief: only the file's own checks apply
        result.findings += shared.targets.for_country(alpha_3)[1]
        return None
    kept, found = country_targets(shared.targets, alpha_3, table)
    result.findings += found
    if not kept and not found:
        return None
    frame = results_against_targets(indicators, kept)
    results = TargetResults(shared.targets.file, shared.targets.sha256, frame, len(found))
    latest = results.latest(result.period)
    columns = ["indicator", "period", "target", "actual", "achieved", "partial", "decrease"]
    result.targets = [
        {str(k): (None if pd.isna(v) else v) for k, v in row.items()}
        for row in latest[columns].to_dict("records")
    ]
    return results


def sheet_names(country: Country, stem: str) -> tuple[str, ...]:
    """Names a workbook's sheet may carry for this country, in order of preference."""
    return (stem, country.name, country.alpha_2, country.alpha_3)


def build_country(
    path: Path,
    dirs: Dirs,
    shared: Shared,
    reporter: Reporter = SILENT,
    render: PdfRenderer | None = None,
) -> CountryResult:
    """One country, inputs to outputs: validation files always, a brief when the data is valid.

    `reporter` is told the rows when read and the result when validated; `render` turns the
    brief's HTML into PDF bytes: WeasyPrint unless a test injects one.
    """
    result, table, indicators = validate_country(path, shared, reporter)
    targets = against_targets(result, table, indicators, shared)
    reporter.validated(result)
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
                [
                    config.processed_csv(dirs.processed, slug),
                    config.results_csv(dirs.processed, slug),
                    *config.brief_outputs(dirs.reports, slug),
                    *config.country_open_data(dirs.reports, slug),
                ]
            )
        return result
    processed = frame_csv(indicators)
    write_atomic(config.processed_csv(dirs.processed, slug), processed)
    result.outputs.append(config.processed_csv(dirs.processed, slug))
    results_csv = config.results_csv(dirs.processed, slug)
    results = None
    if targets is not None:
        results = frame_csv(targets.frame[list(RESULT_COLUMNS)].set_index("indicator"))
        write_atomic(results_csv, results)
        result.outputs.append(results_csv)
    else:
        remove([results_csv])
    if not shared.brief:
        return result
    lang = result.language
    if lang not in shared.programmes:
        result.status = Status.FAILED
        result.findings.append(file_error(path.name, "no-programme", value=config.PROGRAMME_FILE))
        remove(config.brief_outputs(dirs.reports, slug))  # its programme text is no more
        return result
    from pipeline.present.brief import brief_editions, brief_pdf  # heavy: only when needed
    from pipeline.present.brief_context import BriefData, Framing
    from pipeline.present.render import EmbeddedFile
    from pipeline.present.web import Download

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
    if results is not None:
        files.append(
            EmbeddedFile(
                f"{slug}-results.csv",
                results,
                f"{result.name}: results against targets from {targets.file}",  # type: ignore[union-attr]
                "Data",
            )
        )
    from pipeline.run.open_data import (
        open_data_names,
        publishing,
        write_country_open_data,
        write_lineage,
    )

    # How each figure was made, cell by cell: attached, published, and the brief's appendix.
    figures = brief_figures(result.country.alpha_3, indicators, flags)  # type: ignore[union-attr]
    shares = [share_total(figures, period) for period in figures.totals]
    lineage = figure_lineage(figures, table, Formatter(lang), shares)
    lineage_data = csv_bytes(LINEAGE_FIELDS, lineage_records(lineage, table.raw))
    files.append(
        EmbeddedFile(
            config.lineage_csv(Path(), slug).name,
            lineage_data,
            f"{result.name}: how each figure of the brief was made, from which cells of "
            f"{path.name}",
            "Supplement",
        )
    )
    try:
        narrative = read_narrative(path.with_suffix(".md"), lang)
        # The web edition carries the same files, as links.
        data = BriefData(result.country, table, indicators, flags, targets, figures, lineage)  # type: ignore[arg-type]
        html, web = brief_editions(
            data,
            Framing(
                shared.programmes[lang],
                Formatter(lang),
                shared.stamp,
                narrative,
                shared.settings.youth_age,
            ),
            dirs.templates,
            open_data_names(slug, publishing(dirs)),
            tuple(Download(f.name, f.data, f.description) for f in files),
            slug,
        )
        pdf = brief_pdf(html, dirs, files, shared.stamp, render)
    except Exception as exc:  # noqa: BLE001 (one country's failure never stops the others)
        result.status = Status.FAILED
        result.findings.append(
            file_error(path.name, "render-failed", f"The brief could not be rendered: {exc}")
        )
        remove(
            [
                *config.brief_outputs(dirs.reports, slug),
                *config.country_open_data(dirs.reports, slug),
            ]
        )
        return result
    write_atomic(config.brief_pdf(dirs.reports, slug), pdf.data)
    write_atomic(config.brief_web(dirs.reports, slug), web.encode("utf-8"))
    result.outputs += config.brief_outputs(dirs.reports, slug)
    # The same figures for donors' systems: open data follows the brief.
    programme = shared.programmes[SOURCE_LANGUAGE]
    result.outputs += write_country_open_data(
        indicators,
        processed,
        result.country,  # type: ignore[arg-type]
        dirs,
        programme,
        results,
    )
    result.outputs.append(write_lineage(lineage_data, result.country, dirs))  # type: ignore[arg-type]
    result.pages = pdf.pages
    result.status = Status.BUILT
    return result
