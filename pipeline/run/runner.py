"""Run a build: find the country files, build each, then the run-wide reports and manifest."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from pipeline import config
from pipeline.config import Dirs, translated_path
from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.findings import FileRefused, Finding
from pipeline.core.i18n import LANGUAGES, SOURCE_LANGUAGE, TRANSLATIONS
from pipeline.core.outcomes import CountryResult, RunResult, Status, refused
from pipeline.core.rules import file_error
from pipeline.read.rates import ExchangeRates, read_exchange_rates
from pipeline.read.targets import countries_named, read_targets, targets_path
from pipeline.run.folders import LOCK_TIMEOUT_S, locked_outputs
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
from pipeline.run.outputs import remove, write_atomic
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
    # Content files are read only when something is built: a run with nothing to do skips
    # the content models (pydantic), Markdown and Babel.
    from pipeline.read.content_files import ContentError
    from pipeline.read.programme import (
        Programme,
        Settings,
        build_timestamp,
        read_programme,
        read_settings,
    )

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
    targets = None
    if path := targets_path(dirs.raw):
        from pipeline.check.targets import targets_table  # pandas: only when there is work

        try:
            targets = targets_table(read_targets(path))
        except FileRefused as exc:
            errors.append(exc.finding.as_text() + " No brief shows targets until it is fixed.")
    shared = Shared(programmes, rates, stamp, brief, settings, lang, targets)
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
    isolate: bool = False,
    lock_timeout: float = LOCK_TIMEOUT_S,
) -> RunResult:
    """Build the countries whose inputs changed (all with `force`), then the run-wide reports.

    A run that names countries (`only`) builds just those and leaves the overview and
    the validation report to the next full run. One run at a time holds the output folders
    (`BuildLocked` after `lock_timeout` seconds). With `isolate`, every country builds in a
    worker process, even with `jobs` 1, so that a crash fails that country alone; `jobs` 0
    means one per core. Tests may
    inject the country `task` or the PDF `render`er (both picklable, for the workers).
    """
    with locked_outputs(dirs, lock_timeout):
        return _run(dirs, only, brief, on_done, lang, jobs, force, on_start, task, render, isolate)


def _run(
    dirs: Dirs,
    only: list[str] | None,
    brief: bool,
    on_done: Callable[[CountryResult], None] | None,
    lang: str | None,
    jobs: int,
    force: bool,
    on_start: Callable[[Path], None] | None,
    task: CountryTask | None,
    render: PdfRenderer | None,
    isolate: bool,
) -> RunResult:
    recorded, distrust = read_manifest(config.manifest(dirs.reports))
    notes = [f"{distrust}: every country is rebuilt."] if distrust else []
    previous = Manifest() if force else recorded
    shared_hash = shared_hashes(dirs)
    files = country_files(dirs.raw)
    clashes = _duplicate_countries(files)
    chosen = named(files, only) if only else files
    targets = targets_path(dirs.raw)
    with_targets = countries_named(targets)
    own = {
        p: input_hashes(own_inputs(p, targets if _country_key(p.stem) in with_targets else None))
        for p in files
    }
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
            remove(_country_outputs(path, dirs))  # neither file's data stands: no brief
        else:
            todo.append(path)
    # targets.csv is every named country's input; its rows naming no country are the report's.
    targets_hash = input_hashes([targets]) if targets else {}
    run_print = fingerprint(
        shared_hash, {p.name: prints[p] for p in files}, (brief, lang, targets_hash)
    )
    whole = not only
    reports_current = (
        previous.fingerprint == run_print
        and not previous.errors
        and outputs_intact(dirs.reports, previous.reports)
    )
    if (
        not todo
        and (reports_current or not whole)
        and set(recorded.countries) <= {p.name for p in files}
    ):
        for path in chosen:
            if on_done:
                on_done(results[path])
        return RunResult([results[p] for p in chosen], up_to_date=True)

    shared, content_error = shared_inputs(dirs, brief, lang)
    for path in chosen:
        if path in results and on_done:
            on_done(results[path])  # unchanged: reported first, then the ones being built
    from pipeline.run.parallel import build_countries, default_jobs

    jobs = jobs or default_jobs()

    if task is None and render is not None:
        from pipeline.run.build import build_country

        task = partial(build_country, render=render)
    early = _EarlyOverview(chosen, results, shared, dirs, render)
    overview_due = whole and brief and bool(shared.programmes) and (isolate or jobs > 1)
    built, early.future = build_countries(
        todo, dirs, shared, jobs, on_start, on_done, task, isolate, early if overview_due else None
    )
    results.update(built)
    outcome = RunResult([results[p] for p in chosen], content_error, notes=notes)
    manifest = recorded.model_copy(deep=True)
    outcome.input_findings = shared.targets.unattributed if shared.targets else []
    manifest.shared = shared_hash
    manifest.countries = {
        p.name: manifest.countries[p.name]
        for p in files
        if p not in chosen and p.name in manifest.countries  # not asked for: as they were
    }
    for path in chosen:
        if results[path].status is not Status.FAILED:  # a failure is retried next run
            manifest.countries[path.name] = _entry(
                path, prints[path], own[path], results[path], dirs
            )
    if whole:
        if brief and shared.programmes:
            outcome.overview_error, outcome.overview = early.outcome(
                outcome.countries
            ) or _overview(outcome, shared, dirs, render, isolate)
            outcome.open_data_notice = _open_data(outcome, shared, dirs, isolate)
        if brief and not outcome.overview and not outcome.overview_error:
            outcome.notes.append(_no_overview(outcome, dirs, shared))
        write_validation_report(outcome, dirs)
        manifest.fingerprint = run_print
        manifest.errors = " ".join(e for e in (content_error, outcome.overview_error) if e)
        manifest.reports = _hashes(dirs.reports, run_outputs(dirs, brief))
    _remove_unproduced(recorded, manifest, results, dirs)
    write_atomic(config.manifest(dirs.reports), manifest.to_json())
    return outcome


class _EarlyOverview:
    """The overview, started in the pool beside the last briefs once every country validated.

    It needs only validated results: each valid country is counted as built. If a brief then
    fails, or the pool breaks, the overview is built again from the final results.
    """

    def __init__(
        self,
        chosen: list[Path],
        results: dict[Path, CountryResult],
        shared: Shared,
        dirs: Dirs,
        render: PdfRenderer | None,
    ) -> None:
        self.chosen, self.results, self.shared = chosen, results, shared
        self.dirs, self.render = dirs, render
        self.assumed: list[CountryResult] = []
        self.future: Future[tuple[str, Path | None]] | None = None

    def __call__(
        self, validated: dict[Path, CountryResult]
    ) -> tuple[Callable[..., tuple[str, Path | None]], tuple[object, ...]]:
        """The overview job, from the countries already known and those just validated."""
        known = {**self.results, **validated}
        self.assumed = [_as_built(known[p], self.shared.brief) for p in self.chosen]
        return build_overview, (self.assumed, self.shared, self.dirs, self.render)

    def outcome(self, final: list[CountryResult]) -> tuple[str, Path | None] | None:
        """What the early overview gave, if it was built from what the run really produced."""
        if self.future is None or self.future.cancelled():
            return None
        try:
            built = self.future.result()
        except Exception:  # noqa: BLE001 (a broken pool: build it again, alone)
            return None
        same = [(r.status, r.findings) for r in self.assumed] == [
            (r.status, r.findings) for r in final
        ]
        return built if same else None


def _as_built(result: CountryResult, brief: bool) -> CountryResult:
    """A validated country as it will stand once its brief is written."""
    if brief and result.status is Status.VALIDATED:
        return replace(result, status=Status.BUILT)
    return result


def _overview(
    outcome: RunResult, shared: Shared, dirs: Dirs, render: PdfRenderer | None, isolate: bool
) -> tuple[str, Path | None]:
    """Build the overview, in a worker when countries are isolated (imports paid there once)."""
    if not isolate:
        return build_overview(outcome.countries, shared, dirs, render)
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.run.parallel import in_worker

    try:
        return in_worker(build_overview, outcome.countries, shared, dirs, render)
    except BrokenProcessPool:
        remove([config.overview_pdf(dirs.reports), config.overview_csv(dirs.processed)])
        return "The process building the overview stopped (out of memory?).", None


def _open_data(outcome: RunResult, shared: Shared, dirs: Dirs, isolate: bool) -> str:
    """Write the run-wide open data, in a worker when countries are isolated: this process
    then never imports pandas or pandera. An invalid IATI file still fails the run, loudly."""
    from pipeline.run.open_data import write_open_data

    args = (outcome.countries, shared, dirs, outcome.overview is not None)
    if not isolate:
        return write_open_data(*args)
    from concurrent.futures.process import BrokenProcessPool

    from pipeline.run.parallel import in_worker

    try:
        return in_worker(write_open_data, *args)
    except BrokenProcessPool:
        return "The process writing the open data stopped (out of memory?); run again."


def _no_overview(outcome: RunResult, dirs: Dirs, shared: Shared) -> str:
    """Why there is no overview this run, in words; its outputs are gone with the reason."""
    remove([config.overview_pdf(dirs.reports), config.overview_csv(dirs.processed)])
    if not shared.programmes:
        return f"No overview: {config.PROGRAMME_FILE} could not be read."
    return (
        "No overview: no country validated, so there are no figures to compare. "
        f"{config.overview_pdf(dirs.reports).name} and "
        f"{config.overview_csv(dirs.processed).name} were removed."
    )


def _remove_unproduced(
    recorded: Manifest, manifest: Manifest, results: dict[Path, CountryResult], dirs: Dirs
) -> None:
    """Delete what an earlier run recorded and the current inputs no longer produce.

    Outputs follow their country, not their file: after kenya.csv became Kenya.csv or
    kenya.xlsx, kenya.pdf is the new file's brief, and stays.
    """
    base = dirs.reports
    produced = {p.resolve() for r in results.values() for p in r.outputs}
    produced |= {(base / rel).resolve() for rel in manifest.recorded_outputs()}
    ours = (dirs.reports.resolve(), dirs.processed.resolve())
    stale = {(base / rel).resolve() for rel in recorded.recorded_outputs()} - produced
    # Only files in our output folders, whatever a damaged manifest may say.
    remove(sorted(p for p in stale if any(p.is_relative_to(folder) for folder in ours)))


def _country_outputs(path: Path, dirs: Dirs) -> list[Path]:
    """Every output a country file may have produced, found from the country it names."""
    try:
        slug = resolve_country(path.stem).slug
    except UnknownCountry:
        return []
    return [
        config.brief_pdf(dirs.reports, slug),
        config.processed_csv(dirs.processed, slug),
        config.validation_csv(dirs.processed, slug),
        config.rejected_csv(dirs.processed, slug),
    ]


def _cached(manifest: Manifest, path: Path, print_: str, base: Path) -> CountryResult | None:
    """The recorded result of a country whose inputs and outputs are as they were."""
    entry = manifest.countries.get(path.name)
    if entry is None or entry.fingerprint != print_ or not outputs_intact(base, entry.outputs):
        return None
    try:
        return entry.country_result(base)
    except (KeyError, TypeError, ValueError):
        return None  # a record we cannot read is rebuilt, never trusted


def _entry(
    path: Path, print_: str, own: dict[str, str], result: CountryResult, dirs: Dirs
) -> Entry:
    return Entry.model_validate(
        {
            "file": path.name,
            "fingerprint": print_,
            "inputs": own,
            "outputs": _hashes(dirs.reports, result.outputs),
            "result": result.to_json(),
        },
        strict=False,
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


def own_inputs(path: Path, targets: Path | None = None) -> list[Path]:
    """A country's own input files: its table, its narratives, and targets.csv if it names it."""
    narrative = path.with_suffix(".md")
    own = [path, narrative, *(translated_path(narrative, lang) for lang in TRANSLATIONS)]
    return own + ([targets] if targets else [])
