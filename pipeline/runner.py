"""Run a build: find the country files, build each, then the run-wide reports and manifest."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from pipeline import config
from pipeline.content import (
    ContentError,
    Programme,
    Settings,
    build_timestamp,
    read_programme,
    read_settings,
)
from pipeline.countries import UnknownCountry, resolve_country
from pipeline.findings import FileRefused, Finding
from pipeline.i18n import LANGUAGES, SOURCE_LANGUAGE
from pipeline.load import ExchangeRates, read_exchange_rates
from pipeline.manifest import (
    Entry,
    Manifest,
    code_sha256,
    file_sha256,
    fingerprint,
    input_hashes,
    read_manifest,
    tree_sha256,
)
from pipeline.outputs import remove_stale_temporaries, write_atomic
from pipeline.rules import file_error
from pipeline.tasks import CountryResult, Dirs, RunResult, Shared, Status, refused


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


def shared_inputs(dirs: Dirs, brief: bool = True, lang: str | None = None) -> tuple[Shared, str]:
    """The run-wide inputs, and what is wrong with them ("" when nothing is)."""
    programmes: dict[str, Programme] = {}
    errors = []
    stamp = datetime(1970, 1, 1, tzinfo=UTC)
    settings = Settings()
    try:
        settings = read_settings(dirs.raw / config.SETTINGS_FILE, LANGUAGES)
    except ContentError as exc:
        errors.append(str(exc))
    if brief:
        try:
            for language in LANGUAGES:
                programmes[language] = read_programme(dirs.raw / config.PROGRAMME_FILE, language)
            published = programmes[SOURCE_LANGUAGE].published
            stamp = build_timestamp(published, os.environ.get("SOURCE_DATE_EPOCH"))
        except ContentError as exc:
            programmes = {}
            errors.append(str(exc))
    rates: ExchangeRates = {}
    try:
        rates = read_exchange_rates(dirs.raw / config.EXCHANGE_RATES_FILE)
    except FileRefused as exc:
        errors.append(exc.finding.as_text())
    shared = Shared(programmes, rates, stamp, brief, settings, lang)
    return shared, " ".join(errors)


def run(
    dirs: Dirs,
    only: list[str] | None = None,
    brief: bool = True,
    on_done: Callable[[CountryResult], None] | None = None,
    lang: str | None = None,
) -> RunResult:
    """Build every country in `dirs.raw` (or those named), the overview and the reports."""
    remove_stale_temporaries(dirs.processed, dirs.reports)
    shared, content_error = shared_inputs(dirs, brief, lang)
    files = country_files(dirs.raw, only)
    clashes = _duplicate_countries(files)
    results = []
    for path in files:
        if path in clashes:
            result = refused(CountryResult(path.name), clashes[path])
        else:
            from pipeline.build import build_country  # heavy: only when there is work

            result = build_country(path, dirs, shared)
        results.append(result)
        if on_done:
            on_done(result)
    outcome = RunResult(results, content_error)
    if brief and shared.programmes:
        outcome.overview_error = build_overview(results, shared, dirs)
    from pipeline.report import validation_html

    write_atomic(config.validation_report(dirs.reports), validation_html(outcome, dirs))
    write_atomic(
        config.manifest(dirs.reports),
        run_manifest(dirs, shared_hashes(dirs), files, results).to_json(),
    )
    return outcome


def build_overview(results: list[CountryResult], shared: Shared, dirs: Dirs) -> str:
    """Write reports/overview.pdf and its table; "" when built, else what went wrong."""
    from pipeline.formatting import Formatter
    from pipeline.outputs import frame_csv
    from pipeline.overview import country_frame, overview_html
    from pipeline.render import EmbeddedFile, html_to_pdf

    lang = shared.lang or shared.settings.default_language
    fmt = Formatter(lang)
    table = frame_csv(country_frame(results, fmt).set_index("territory"))
    try:
        html = overview_html(results, shared.programmes[lang], fmt, shared.stamp, dirs.templates)
        css = (dirs.templates / "brief.css").read_text(encoding="utf-8")
        attachment = EmbeddedFile("overview.csv", table, "Every country's latest figures", "Data")
        pdf = html_to_pdf(html, css, config.MAX_PAGES, [attachment], shared.stamp)
    except Exception as exc:  # noqa: BLE001 (the country briefs stand without it)
        config.overview_pdf(dirs.reports).unlink(missing_ok=True)
        return f"The overview could not be rendered: {exc}"
    write_atomic(config.overview_csv(dirs.processed), table)
    write_atomic(config.overview_pdf(dirs.reports), pdf.data)
    return ""


def shared_hashes(dirs: Dirs) -> dict[str, str]:
    """Hashes of what every country's outputs depend on, besides its own files."""
    hashes = input_hashes([dirs.raw / n for n in config.SHARED_INPUTS])
    hashes["templates"] = tree_sha256(dirs.templates, config.TEMPLATE_SUFFIXES)
    hashes["pipeline"] = code_sha256()
    return hashes


def own_inputs(path: Path) -> list[Path]:
    """A country's own input files: its table and its optional narrative."""
    return [path, path.with_suffix(".md")]


def run_manifest(
    dirs: Dirs, shared: dict[str, str], files: list[Path], results: list[CountryResult]
) -> Manifest:
    """The manifest of this run, keeping entries of countries it did not touch."""
    manifest = read_manifest(config.manifest(dirs.reports))
    manifest.shared = shared
    present = {p.name for p in country_files(dirs.raw)}
    manifest.countries = {k: v for k, v in manifest.countries.items() if k in present}
    base = dirs.reports
    for path, result in zip(files, results, strict=True):
        own = input_hashes(own_inputs(path))
        manifest.countries[path.name] = Entry(
            file=path.name,
            fingerprint=fingerprint(shared, own, result.status is not Status.VALIDATED),
            inputs=own,
            outputs={os.path.relpath(p, base): file_sha256(p) for p in result.outputs},
            result=result.to_json(base),
        )
    reports = [
        config.validation_report(dirs.reports),
        config.overview_pdf(dirs.reports),
        config.overview_csv(dirs.processed),
    ]
    manifest.reports = {os.path.relpath(p, base): file_sha256(p) for p in reports if p.is_file()}
    return manifest
