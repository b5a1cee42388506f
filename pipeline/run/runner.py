"""Run a build: find the country files, build each, then the run-wide reports and manifest."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from pipeline import config
from pipeline.config import Dirs
from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.outcomes import CountryResult, RunResult, Status, refused
from pipeline.run.folders import LOCK_TIMEOUT_S, locked_outputs
from pipeline.run.inputs import (
    _country_key,
    _duplicate_countries,
    country_files,
    named,
    own_inputs,
    shared_hashes,
    shared_inputs,
    unused_files,
)
from pipeline.run.manifest import (
    Entry,
    Manifest,
    file_sha256,
    fingerprint,
    input_hashes,
    outputs_intact,
    read_manifest,
)
from pipeline.run.outputs import remove, write_atomic
from pipeline.run.reports import (
    EarlyOverview,
    no_overview,
    open_data,
    overview,
    run_outputs,
    write_validation_report,
)
from pipeline.run.tasks import CountryTask, PdfRenderer


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
    unused = unused_files(dirs.raw, files)  # named in the summary and the report, every run
    clashes = _duplicate_countries(files)
    chosen = named(files, only) if only else files
    targets = config.targets_file(dirs.raw)
    with_targets: frozenset[str] = frozenset()
    if targets is not None:  # read only when there is one: a no-op run stays light
        from pipeline.read.targets import countries_named

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
        shared_hash,
        {p.name: prints[p] for p in files},
        (brief, lang, targets_hash, [(f.file, f.message) for f in unused]),
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
        return RunResult([results[p] for p in chosen], up_to_date=True, unused_files=unused)

    shared, content_error = shared_inputs(dirs, brief, lang)
    for path in chosen:
        if path in results and on_done:
            on_done(results[path])  # unchanged: reported first, then the ones being built
    from pipeline.run.parallel import build_countries, default_jobs

    jobs = jobs or default_jobs()

    if task is None and render is not None:
        from pipeline.run.build import build_country

        task = partial(build_country, render=render)
    early = EarlyOverview(chosen, results, shared, dirs, render)
    overview_due = whole and brief and bool(shared.programmes) and (isolate or jobs > 1)
    built, early.future = build_countries(
        todo, dirs, shared, jobs, on_start, on_done, task, isolate, early if overview_due else None
    )
    results.update(built)
    outcome = RunResult(
        [results[p] for p in chosen], content_error, notes=notes, unused_files=unused
    )
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
            ) or overview(outcome, shared, dirs, render, isolate)
            outcome.open_data_notice = open_data(outcome, shared, dirs, isolate)
        if brief and not outcome.overview and not outcome.overview_error:
            outcome.notes.append(no_overview(outcome, dirs, shared))
        write_validation_report(outcome, dirs)
        manifest.fingerprint = run_print
        manifest.errors = " ".join(e for e in (content_error, outcome.overview_error) if e)
        manifest.reports = _hashes(dirs.reports, run_outputs(dirs, brief))
    if not brief:
        _keep_briefs(recorded, manifest, [results[p] for p in chosen])
    _remove_unproduced(recorded, manifest, results, dirs)
    write_atomic(config.manifest(dirs.reports), manifest.to_json())
    return outcome


def _keep_briefs(recorded: Manifest, manifest: Manifest, results: list[CountryResult]) -> None:
    """A validation run builds no brief, and takes none away: each country that still
    validates keeps its brief and open data, and the overview stays (still recorded, so that
    they go with their country later). A country that stopped validating lost its brief when
    it was checked."""
    for result in results:
        old, new = recorded.countries.get(result.file), manifest.countries.get(result.file)
        if old is not None and new is not None and result.status.succeeded:
            outputs = {**old.outputs, **new.outputs}
            manifest.countries[result.file] = new.model_copy(update={"outputs": outputs})
    manifest.reports = {**recorded.reports, **manifest.reports}


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
