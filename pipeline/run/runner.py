"""Run a build: find the country files, build each, then the run-wide reports and manifest."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from pipeline import config
from pipeline.config import Dirs
from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.findings import FileRefused, Finding
from pipeline.core.i18n import LANGUAGES, SOURCE_LANGUAGE, TRANSLATIONS
from pipeline.core.outcomes import CountryResult, RunResult, Status, refused
from pipeline.core.rules import file_error
from pipeline.read.programme import (
    ContentError,
    Programme,
    Settings,
    build_timestamp,
    read_programme,
    read_settings,
    translated_path,
)
from pipeline.read.rates import ExchangeRates, read_exchange_rates
from pipeline.run.manifest import (
    Entry,
    Manifest,
    code_sha256,
    file_sha256,
    fingerprint,
    input_hashes,
    outputs_intact,
    read_manifest,
    tree_sha256,
)
from pipeline.run.open_data import write_open_data
from pipeline.run.outputs import remove, remove_stale_temporaries, write_atomic
from pipeline.run.reports import build_overview, run_outputs, write_validation_report
from pipeline.run.tasks import CountryTask, PdfRenderer, Shared


def country_files(raw: Path) -> list[Path]:
    """The country tables in `raw`."""
    return sorted(
        p
        for p in raw.iterdir()
        if p.suffix.lower() in config.TABLE_SUFFIXES
        and p.is_file()
        and not p.name.startswith(".")
        and p.name not in config.RESERVED_FILES
    )


def named(files: list[Path], names: list[str]) -> list[Path]:
    """The files whose stem names one of `names` (file stem, country name or ISO code)."""
    wanted = {_country_key(n) for n in names}
    return [p for p in files if _country_key(p.stem) in wanted]


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
    jobs: int = 1,
    force: bool = False,
    on_start: Callable[[Path], None] | None = None,
    task: CountryTask | None = None,
    render: PdfRenderer | None = None,
) -> RunResult:
    """Build the countries whose inputs changed (all with `force`), then the run-wide reports.

    A run that names countries (`only`) builds just those and leaves the overview and
    the validation report to the next full run. Tests may inject the country `task` or the
    PDF `render`er (both picklable, for the worker processes).
    """
    remove_stale_temporaries(dirs.processed, dirs.reports)
    previous = Manifest() if force else read_manifest(config.manifest(dirs.reports))
    shared_hash = shared_hashes(dirs)
    files = country_files(dirs.raw)
    clashes = _duplicate_countries(files)
    chosen = named(files, only) if only else files
    own = {p: input_hashes(own_inputs(p)) for p in files}
    own_names = {p.name for p in files}
    prints = {
        p: fingerprint(
            shared_hash, own[p], (brief, lang, clashes[p].message if p in clashes else "")
        )
        for p in files
    }
    results: dict[Path, CountryResult] = {}
    todo = []
    for path in chosen:
        cached = _cached(previous, path, prints[path], dirs.reports)
        if cached is not None:
            results[path] = cached
        elif path in clashes:
            from pipeline.read.tables import count_rows

            rows = count_rows(path)
            results[path] = refused(CountryResult(path.name, rows_read=rows), clashes[path])
            results[path].rows_refused = rows
        else:
            todo.append(path)
    run_print = fingerprint(shared_hash, {p.name: prints[p] for p in files}, (brief, lang))
    whole = not only
    reports_current = (
        previous.fingerprint == run_print
        and not previous.errors
        and outputs_intact(dirs.reports, previous.reports)
    )
    if not todo and (reports_current or not whole):
        for path in chosen:
            if on_done:
                on_done(results[path])
        return RunResult([results[p] for p in chosen], up_to_date=True)

    shared, content_error = shared_inputs(dirs, brief, lang)
    for path in chosen:
        if path in results and on_done:
            on_done(results[path])  # unchanged: reported first, then the ones being built
    from pipeline.run.parallel import build_countries

    if task is None and render is not None:
        from pipeline.run.build import build_country

        task = partial(build_country, render=render)
    results.update(build_countries(todo, dirs, shared, jobs, on_start, on_done, task))
    outcome = RunResult([results[p] for p in chosen], content_error)
    manifest = read_manifest(config.manifest(dirs.reports))
    manifest.shared = shared_hash
    _forget_removed(manifest, own_names, dirs)
    for path in chosen:
        if results[path].status is not Status.FAILED:  # a failure is retried next run
            manifest.countries[path.name] = _entry(
                path, prints[path], own[path], results[path], dirs
            )
        else:
            manifest.countries.pop(path.name, None)
    if whole:
        if brief and shared.programmes:
            outcome.overview_error = build_overview(outcome.countries, shared, dirs, render)
            outcome.open_data_notice = write_open_data(
                outcome.countries, shared, dirs, not outcome.overview_error
            )
        write_validation_report(outcome, dirs)
        manifest.fingerprint = run_print
        manifest.errors = " ".join(e for e in (content_error, outcome.overview_error) if e)
        manifest.reports = _hashes(dirs.reports, run_outputs(dirs, brief))
    write_atomic(config.manifest(dirs.reports), manifest.to_json())
    return outcome


def _forget_removed(manifest: Manifest, present: set[str], dirs: Dirs) -> None:
    """A country file was removed: so are its manifest entry and the outputs built from it."""
    ours = (dirs.reports.resolve(), dirs.processed.resolve())
    for name in [k for k in manifest.countries if k not in present]:
        outputs = [(dirs.reports / rel).resolve() for rel in manifest.countries.pop(name).outputs]
        # Only files in our output folders, whatever a damaged manifest may say.
        remove(p for p in outputs if any(p.is_relative_to(folder) for folder in ours))


def _cached(manifest: Manifest, path: Path, print_: str, base: Path) -> CountryResult | None:
    """The recorded result of a country whose inputs and outputs are as they were."""
    entry = manifest.countries.get(path.name)
    if entry is None or entry.fingerprint != print_ or not outputs_intact(base, entry.outputs):
        return None
    try:
        return CountryResult.from_json(entry.result, [(base / p).resolve() for p in entry.outputs])
    except (KeyError, TypeError, ValueError):
        return None  # a record we cannot read is rebuilt, never trusted


def _entry(
    path: Path, print_: str, own: dict[str, str], result: CountryResult, dirs: Dirs
) -> Entry:
    return Entry(
        file=path.name,
        fingerprint=print_,
        inputs=own,
        outputs=_hashes(dirs.reports, result.outputs),
        result=result.to_json(),
    )


def _hashes(base: Path, paths: list[Path]) -> dict[str, str]:
    return {os.path.relpath(p, base): file_sha256(p) for p in paths if p.is_file()}


def shared_hashes(dirs: Dirs) -> dict[str, str]:
    """Hashes of what every country's outputs depend on, besides its own files."""
    paths = [dirs.raw / n for n in config.SHARED_INPUTS]
    paths += [translated_path(dirs.raw / config.PROGRAMME_FILE, lang) for lang in TRANSLATIONS]
    hashes = input_hashes(paths)
    hashes["templates"] = tree_sha256(dirs.templates, config.TEMPLATE_SUFFIXES)
    hashes["pipeline"] = code_sha256()
    return hashes


def own_inputs(path: Path) -> list[Path]:
    """A country's own input files: its table and its narratives."""
    narrative = path.with_suffix(".md")
    return [path, narrative, *(translated_path(narrative, lang) for lang in TRANSLATIONS)]
