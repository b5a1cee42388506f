"""Build one country as an independent task: its input file to its outputs (the heavy part)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pandas as pd
from pandera.typing import DataFrame

from pipeline import config
from pipeline.check.schemas import TerritoryInput
from pipeline.check.target_match import country_targets
from pipeline.check.validate import CountryTable, country_table
from pipeline.compute.figures import (
    FigureSet,
    brief_figures,
    flagged_totals,
    others_figures,
    share_total,
    unlisted,
)
from pipeline.compute.indicators import periods, territory_indicators
from pipeline.compute.lineage import LINEAGE_FIELDS, figure_lineage, lineage_records
from pipeline.compute.plausibility import FLAG_RULES, plausibility_findings
from pipeline.compute.targets import (
    RESULT_COLUMNS,
    TargetResults,
    TargetsSource,
    results_against_targets,
)
from pipeline.config import Dirs
from pipeline.core.countries import Country, UnknownCountry, resolve_country
from pipeline.core.findings import FileRefused
from pipeline.core.formatting import Formatter
from pipeline.core.frames import line_of
from pipeline.core.i18n import SOURCE_LANGUAGE, Edition
from pipeline.core.outcomes import CountryResult, Status, refused
from pipeline.core.rules import file_error
from pipeline.read.content_files import ContentError
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
    result, table, indicators, _ = validated_country(path, shared, reporter)
    return result, table, indicators


def validated_country(
    path: Path, shared: Shared | None = None, reporter: Reporter = SILENT
) -> tuple[CountryResult, CountryTable | None, pd.DataFrame | None, FigureSet | None]:
    """`validate_country`, with the figures of the brief when the table is valid: computed
    once, for the run's record of flagged totals and for the brief itself."""
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
        return refused(result, finding), None, None, None
    names = sheet_names(result.country, path.stem)
    try:
        raw = read_table(path, names)
    except FileRefused as exc:
        result.rows_read = result.rows_refused = exc.rows
        return refused(result, exc.finding), None, None, None
    except OSError as exc:
        message = f"The file could not be read: {exc.strerror or exc}."
        return refused(result, file_error(path.name, "unreadable-file", message)), None, None, None
    result.encoding = raw.encoding
    result.rows_read = len(raw.rows)
    reporter.rows(path.name, result.rows_read)  # before the heavy part: a crash keeps the count
    try:
        programmes = shared.programmes.values() if shared else ()
        programme = tuple(n for p in programmes for n in (p.name, p.short_name))
        table = country_table(raw, shared.rates if shared else None, names + programme)
    except FileRefused as exc:
        result.rows_refused = len(raw.rows)
        return refused(result, exc.finding), None, None, None
    result.rows_rejected = len(table.rejected)
    result.rows_accepted = result.rows_read - result.rows_rejected
    result.findings = list(table.findings)
    if not table.ok:
        result.status = Status.INVALID
        return result, table, None, None
    indicators = territory_indicators(cast(DataFrame[TerritoryInput], table.territories))
    main = shared.editions(result.country, path.name)[0] if shared else None
    result.language = main.language if main else "en"
    flags = plausibility_findings(table, indicators, Formatter(main.locale if main else "en"))
    result.findings += flags
    result.flags = len(flags)
    result.period = periods(indicators)[-1]
    figures = brief_figures(result.country.alpha_3, indicators, flags)
    result.summary = figures.summaries[result.period].flat()
    result.flagged = flagged_totals(figures.totals[result.period])
    result.status = Status.VALIDATED
    return result, table, indicators, figures


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
    t = shared.targets
    source = TargetsSource(t.source_file, t.sheet, t.labels, t.written)
    results = TargetResults(t.file, t.sha256, frame, len(found), source)
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
    result, table, indicators, figures = validated_country(path, shared, reporter)
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
    if indicators is None or table is None or figures is None or slug is None:
        # A brief built from earlier data must not outlive the data that now fails.
        if slug:
            remove(
                [
                    config.processed_csv(dirs.processed, slug),
                    config.results_csv(dirs.processed, slug),
                    *config.every_edition(dirs.reports, slug),
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
    made = _Made(path, result, table, indicators, figures, processed, results, targets)
    return _briefs(made, dirs, shared, render)


@dataclass(frozen=True)
class _Made:
    """What a valid country's editions are all made from."""

    path: Path
    result: CountryResult
    table: CountryTable
    indicators: pd.DataFrame
    figures: FigureSet
    processed: bytes  #: the processed table, as attached and published
    results: bytes | None  #: results against targets, as attached, if it has targets
    targets: TargetResults | None


def _briefs(made: _Made, dirs: Dirs, shared: Shared, render: PdfRenderer | None) -> CountryResult:
    """Every edition of a valid country's brief, and the open data that follow the main one."""
    path, result = made.path, made.result
    country = result.country
    assert country is not None
    slug = country.slug
    chosen = shared.editions(country, path.name)
    result.editions = [e.tag for e in chosen]
    result.asked = shared.asked(country, path.name)
    if any(e.language not in shared.programmes for e in chosen):
        result.status = Status.FAILED
        result.findings.append(file_error(path.name, "no-programme", value=config.PROGRAMME_FILE))
        remove(config.every_edition(dirs.reports, slug))  # its programme text is no more
        return result
    from pipeline.run.open_data import write_country_open_data, write_lineage

    only = shared.only_editions.get(path.name)
    lineage_data = b""
    try:
        for edition in chosen:
            if only is not None and edition.language not in only:
                result.outputs += config.brief_outputs(dirs.reports, edition.stem(slug))
                continue  # as it was: the run asked for another edition only
            pages, lineage = _edition(made, edition, dirs, shared, render)
            result.written[config.brief_pdf(dirs.reports, edition.stem(slug)).name] = pages
            if edition.main:
                result.pages, lineage_data = pages, lineage
    except Exception as exc:  # noqa: BLE001 (one country's failure never stops the others)
        result.status = Status.FAILED
        # The country's narrative (<country>.md) is the officer's to fix; anything else is ours.
        result.findings.append(
            file_error(path.name, "bad-narrative", str(exc), value=path.with_suffix(".md").name)
            if isinstance(exc, ContentError)
            else file_error(path.name, "render-failed", f"The brief could not be rendered: {exc}")
        )
        remove(
            [
                *config.every_edition(dirs.reports, slug),
                *config.country_open_data(dirs.reports, slug),
            ]
        )
        return result
    if only is None or result.language in only:
        # The same figures for donors' systems: open data follows the main edition.
        programme = shared.programmes[SOURCE_LANGUAGE]
        result.outputs += write_country_open_data(
            made.indicators, made.processed, country, dirs, programme, made.results
        )
        result.outputs.append(write_lineage(lineage_data, country, dirs))
    else:  # the main edition is as it was, and so are the open data that follow it
        result.outputs += [p for p in config.country_open_data(dirs.reports, slug) if p.is_file()]
    result.status = Status.BUILT
    return result


def _edition(
    made: _Made, edition: Edition, dirs: Dirs, shared: Shared, render: PdfRenderer | None
) -> tuple[int, bytes]:
    """Write one edition of a country's brief (PDF and web page): its pages, and its lineage
    table, which the main edition publishes. Every word is the edition's language: the flags
    it quotes and the lineage it attaches are written again in it."""
    from pipeline.present.brief import brief_editions, brief_pdf  # heavy: only when needed
    from pipeline.present.brief_context import BriefData, Framing
    from pipeline.present.render import EmbeddedFile
    from pipeline.present.web import Download
    from pipeline.run.open_data import open_data_names, publishing

    path, result, table, indicators = made.path, made.result, made.table, made.indicators
    country = result.country
    assert country is not None
    slug = country.slug
    fmt = Formatter(edition.locale)
    flags = [f for f in result.findings if f.rule in FLAG_RULES]
    if fmt.language != result.language:
        flags = plausibility_findings(table, indicators, fmt)
    name = fmt.country_name(country)
    # The donor gets the numbers and the checks behind them inside the PDF itself, each
    # described in the edition's language (a reader's attachments pane shows it).
    files = [
        EmbeddedFile(
            f"{slug}.csv",
            made.processed,
            fmt._("{country}: territory figures and indicators").format(country=name),
            "Data",
        ),
        EmbeddedFile(
            f"{slug}-validation.csv",
            findings_csv(result.findings),
            fmt._("{country}: validation findings for {file}").format(
                country=name, file=path.name
            ),
            "Supplement",
        ),
    ]
    if made.results is not None and made.targets is not None:
        files.append(
            EmbeddedFile(
                f"{slug}-results.csv",
                made.results,
                fmt._("{country}: results against targets from {file}").format(
                    country=name, file=made.targets.file
                ),
                "Data",
            )
        )
    # How each figure was made, cell by cell: attached, published, and the brief's appendix.
    figures = made.figures
    shares = [share_total(figures, period) for period in figures.totals]
    # The table's row "N other territories" of a large country: its figures are stated too.
    others = unlisted(indicators, config.MAX_TERRITORIES_SHOWN)
    whole = figures.total("value_usd", periods(indicators)[-1])
    lines = [line_of(label) for label in others.index]
    group = (others_figures(others, figures.country, whole), lines) if lines else None
    lineage = figure_lineage(figures, table, fmt, shares, group, made.targets)
    lineage_data = csv_bytes(LINEAGE_FIELDS, lineage_records(lineage, table.raw))
    files.append(
        EmbeddedFile(
            config.lineage_csv(Path(), slug).name,
            lineage_data,
            fmt._(
                "{country}: how each figure of the brief was made, from which cells of {file}"
            ).format(country=name, file=path.name),
            "Supplement",
        )
    )
    narrative = read_narrative(path.with_suffix(".md"), edition.language)
    # The web edition carries the same files, as links.
    data = BriefData(country, table, indicators, flags, made.targets, made.figures, lineage)
    html, web = brief_editions(
        data,
        Framing(
            shared.programmes[edition.language],
            fmt,
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
    stem = edition.stem(slug)
    write_atomic(config.brief_pdf(dirs.reports, stem), pdf.data)
    write_atomic(config.brief_web(dirs.reports, stem), web.encode("utf-8"))
    result.outputs += config.brief_outputs(dirs.reports, stem)
    return pdf.pages, lineage_data
