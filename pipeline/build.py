"""Build each country as an independent task, its inputs to its outputs; then the run's report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import pandas as pd

from pipeline import config
from pipeline.content import ContentError, Programme, read_narrative, read_programme
from pipeline.countries import Country, UnknownCountry, resolve_country
from pipeline.findings import FileRefused, Finding
from pipeline.formatting import Formatter
from pipeline.indicators import territory_indicators
from pipeline.load import ExchangeRates, read_exchange_rates, read_table
from pipeline.outputs import (
    findings_csv,
    frame_csv,
    rejected_csv,
    remove,
    remove_stale_temporaries,
    write_atomic,
)
from pipeline.plausibility import plausibility_findings
from pipeline.rules import file_error
from pipeline.validate import CountryTable, country_table


@dataclass(frozen=True)
class Dirs:
    """Where a run reads and writes; every path may be absolute and anywhere."""

    raw: Path = config.RAW_DIR
    processed: Path = config.PROCESSED_DIR
    reports: Path = config.REPORTS_DIR
    templates: Path = config.TEMPLATES_DIR


class Status(StrEnum):
    """What became of one country file."""

    BUILT = "built"
    VALIDATED = "validated"  #: passed validation; no brief was asked for
    INVALID = "invalid"  #: rows with errors: no brief
    REFUSED = "refused"  #: the whole file was refused
    FAILED = "failed"  #: validated, but the brief could not be rendered


@dataclass
class CountryResult:
    """The outcome of one country task, with everything the summary and report need."""

    file: str
    country: Country | None = None
    status: Status = Status.REFUSED
    findings: list[Finding] = field(default_factory=list)
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_refused: int = 0
    outputs: list[Path] = field(default_factory=list)
    pages: int = 0
    encoding: str = ""

    @property
    def name(self) -> str:
        """Country name, or the file name when it names no country."""
        return self.country.name if self.country else self.file


def country_files(raw: Path, only: list[str] | None = None) -> list[Path]:
    """The country tables in `raw`, optionally only those whose stem names one of `only`."""
    files = sorted(
        p
        for p in raw.iterdir()
        if p.suffix.lower() in config.TABLE_SUFFIXES
        and p.is_file()
        and not p.name.startswith(".")
        and p.name not in config.RESERVED_FILES
    )
    if only:
        wanted = {_country_key(n) for n in only}
        files = [p for p in files if _country_key(p.stem) in wanted]
    return files


def _country_key(name: str) -> str:
    try:
        return resolve_country(name).alpha_3
    except UnknownCountry:
        return name.casefold()


def _refused(result: CountryResult, finding: Finding) -> CountryResult:
    result.status = Status.REFUSED
    result.findings.append(finding)
    return result


def validate_country(
    path: Path, rates: ExchangeRates | None = None
) -> tuple[CountryResult, CountryTable | None, pd.DataFrame | None]:
    """Read and validate one country file, with indicators if it is valid; never raises."""
    result = CountryResult(path.name)
    try:
        result.country = resolve_country(path.stem)
    except UnknownCountry as exc:
        finding = file_error(path.name, "unknown-country", str(exc), value=path.stem)
        result.rows_read = result.rows_refused = _rows_if_readable(path)
        return _refused(result, finding), None, None
    try:
        raw = read_table(path, sheet_names(result.country, path.stem))
    except FileRefused as exc:
        return _refused(result, exc.finding), None, None
    result.encoding = raw.encoding
    result.rows_read = len(raw.rows)
    try:
        table = country_table(raw, rates)
    except FileRefused as exc:
        result.rows_refused = len(raw.rows)
        return _refused(result, exc.finding), None, None
    result.rows_rejected = len(table.rejected)
    result.rows_accepted = result.rows_read - result.rows_rejected
    result.findings = list(table.findings)
    if not table.ok:
        result.status = Status.INVALID
        return result, table, None
    indicators = territory_indicators(table.territories)
    result.findings += plausibility_findings(table, indicators)
    result.status = Status.VALIDATED
    return result, table, indicators


def _rows_if_readable(path: Path) -> int:
    """Data rows of a file refused for its name, so the row count still adds up."""
    try:
        return len(read_table(path).rows)
    except FileRefused:
        return 0


def sheet_names(country: Country, stem: str) -> tuple[str, ...]:
    """Names a workbook's sheet may carry for this country, in order of preference."""
    return (stem, country.name, country.alpha_2, country.alpha_3)


def build_country(
    path: Path,
    dirs: Dirs,
    programme: Programme | None,
    brief: bool = True,
    fmt: Formatter | None = None,
    rates: ExchangeRates | None = None,
) -> CountryResult:
    """One country, inputs to outputs: validation files always, a brief when the data is valid."""
    result, table, indicators = validate_country(path, rates)
    slug = result.country.slug if result.country else None
    if slug:
        write_atomic(config.validation_csv(dirs.processed, slug), findings_csv(result.findings))
        if table is not None and table.rejected:
            write_atomic(
                config.rejected_csv(dirs.processed, slug),
                rejected_csv(table.rejected, result.findings),
            )
        else:
            remove([config.rejected_csv(dirs.processed, slug)])
    if indicators is None or table is None or slug is None:
        # A brief built from earlier data must not outlive the data that now fails.
        if slug:
            remove(
                [config.processed_csv(dirs.processed, slug), config.brief_pdf(dirs.reports, slug)]
            )
        return result
    write_atomic(config.processed_csv(dirs.processed, slug), frame_csv(indicators))
    result.outputs.append(config.processed_csv(dirs.processed, slug))
    if not brief:
        return result
    if programme is None:
        result.status = Status.FAILED
        return result
    from pipeline.brief import brief_html, brief_pdf  # heavy imports: only when needed

    flags = [f for f in result.findings if f.rule in _FLAG_RULES]
    try:
        narrative = read_narrative(path.with_suffix(".md"))
        html = brief_html(
            result.country,
            table,
            indicators,
            flags,
            programme,
            narrative,
            dirs,
            fmt or Formatter(),
        )  # type: ignore[arg-type]
        pdf = brief_pdf(html, dirs)
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


_FLAG_RULES = {
    "members-per-pmg-outlier",
    "price-outlier",
    "members-above-target",
    "value-without-volume",
}


def _duplicate_countries(files: list[Path]) -> dict[Path, Finding]:
    """Two files naming one country (kenya.csv and KE.csv) are both refused."""
    by_country: dict[str, list[Path]] = {}
    for path in files:
        by_country.setdefault(_country_key(path.stem), []).append(path)
    clashes = {}
    for group in (g for g in by_country.values() if len(g) > 1):
        names = " and ".join(p.name for p in group)
        for path in group:
            clashes[path] = file_error(
                path.name, "duplicate-country", f"{names} name the same country.", value=path.stem
            )
    return clashes


@dataclass
class RunResult:
    """All countries of one run."""

    countries: list[CountryResult]
    content_error: str = ""  #: programme.yaml or exchange_rates.csv could not be read

    @property
    def ok(self) -> bool:
        """True when every country built (or validated) and the programme file was readable."""
        good = {Status.BUILT, Status.VALIDATED}
        return not self.content_error and all(c.status in good for c in self.countries)

    def invariant(self) -> tuple[int, int, int, int]:
        """(read, accepted, rejected, in refused files); read is always the sum of the rest."""
        read = sum(c.rows_read for c in self.countries)
        accepted = sum(c.rows_accepted for c in self.countries)
        rejected = sum(c.rows_rejected for c in self.countries)
        refused = sum(c.rows_refused for c in self.countries)
        if read != accepted + rejected + refused:
            raise AssertionError(
                f"Row invariant broken: {read} != {accepted} + {rejected} + {refused}"
            )
        return read, accepted, rejected, refused


def run(
    dirs: Dirs,
    only: list[str] | None = None,
    brief: bool = True,
    on_done: Callable[[CountryResult], None] | None = None,
) -> RunResult:
    """Build every country in `dirs.raw` (or those named) and the validation report."""
    remove_stale_temporaries(dirs.processed, dirs.reports)
    programme: Programme | None = None
    content_error = ""
    if brief:
        try:
            programme = read_programme(dirs.raw / config.PROGRAMME_FILE)
        except ContentError as exc:
            content_error = str(exc)
    rates: ExchangeRates = {}
    try:
        rates = read_exchange_rates(dirs.raw / config.EXCHANGE_RATES_FILE)
    except FileRefused as exc:
        content_error = f"{content_error} {exc.finding.as_text()}".strip()
    files = country_files(dirs.raw, only)
    clashes = _duplicate_countries(files)
    results = []
    for path in files:
        if path in clashes:
            result = _refused(CountryResult(path.name), clashes[path])
        else:
            result = build_country(path, dirs, programme, brief, rates=rates)
        results.append(result)
        if on_done:
            on_done(result)
    outcome = RunResult(results, content_error)
    from pipeline.report import validation_html

    write_atomic(config.validation_report(dirs.reports), validation_html(outcome, dirs))
    return outcome


__all__ = ["CountryResult", "Dirs", "RunResult", "Status", "run"]
