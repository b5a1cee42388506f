"""Run a build: find the country files, build each, then the run-wide reports and manifest.

A run is a few named steps over one `RunOptions`: plan what changed, build what must be
built, write the run-wide reports, record the manifest. Data flows down and results come
back up: no step reaches another through module state.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from functools import partial
from pathlib import Path
from typing import TypedDict, Unpack

from pipeline import config
from pipeline.config import Dirs
from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.findings import Finding
from pipeline.core.i18n import language_of
from pipeline.core.outcomes import CountryResult, RunResult, Status, refused
from pipeline.run.fixes import write_fixes
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
from pipeline.run.tasks import CountryTask, PdfRenderer, Shared


@dataclass(frozen=True)
class RunOptions:
    """What a run is asked to do, and the stand-ins a test may inject."""

    #: build just these countries (file stem, name or ISO code); None: every country file
    only: list[str] | None = None
    brief: bool = True  #: False: validate only, build no brief
    lang: str | None = None  #: add an edition in this language to each brief (--lang)
    jobs: int = 1  #: countries built at once; 0: one per core
    force: bool = False  #: rebuild every country, changed or not
    #: every country builds in a worker process, even with jobs 1: a crash fails it alone
    isolate: bool = False
    lock_timeout: float = LOCK_TIMEOUT_S  #: seconds to wait for another run's folders
    on_start: Callable[[Path], None] | None = None  #: told as each country starts
    on_done: Callable[[CountryResult], None] | None = None  #: told as each country ends
    task: CountryTask | None = None  #: one country's build (tests); picklable
    render: PdfRenderer | None = None  #: HTML to PDF (tests); picklable
    #: build the countries on this Dask scheduler (tcp://…, tls://…, or "local"); None: here
    scheduler: str | None = None
    scheduler_security: Path | None = None  #: distributed's TLS settings for tls:// (YAML)

    @property
    def whole(self) -> bool:
        """A full run: the overview and validation report are rebuilt with it."""
        return not self.only


class RunChanges(TypedDict, total=False):
    """`RunOptions` fields given by keyword to `run` (test_runner checks they are the same)."""

    only: list[str] | None
    brief: bool
    lang: str | None
    jobs: int
    force: bool
    isolate: bool
    lock_timeout: float
    on_start: Callable[[Path], None] | None
    on_done: Callable[[CountryResult], None] | None
    task: CountryTask | None
    render: PdfRenderer | None
    scheduler: str | None
    scheduler_security: Path | None


def run(dirs: Dirs, options: RunOptions | None = None, **changes: Unpack[RunChanges]) -> RunResult:
    """Build the countries whose inputs changed (all with `force`), then the run-wide reports.

    A run that names countries (`only`) builds just those and leaves the overview and
    the validation report to the next full run. One run at a time holds the output folders
    (`BuildLocked` after `lock_timeout` seconds). Options may be given as a `RunOptions`, or
    by keyword (`run(dirs, force=True)`), or both.
    """
    chosen = replace(options or RunOptions(), **changes)
    with locked_outputs(dirs, chosen.lock_timeout):
        return _run(dirs, chosen)


@dataclass
class Plan:
    """What a run found: every country file, what each is made of, and what must be built."""

    files: list[Path]
    chosen: list[Path]  #: the files the run is asked about
    recorded: Manifest  #: the manifest as the last run left it
    notes: list[str]  #: what the run says besides the countries (an untrusted manifest)
    shared_hash: dict[str, str]
    own: dict[Path, dict[str, str]]  #: each file's own inputs, hashed
    prints: dict[Path, str]  #: each file's fingerprint: everything its outputs depend on
    run_print: str  #: the fingerprint of the run-wide reports
    #: files in data/raw that are not read, each with why and what to do (every run names them)
    unused: list[Finding] = field(default_factory=list)
    results: dict[Path, CountryResult] = field(default_factory=dict)  #: known without building
    todo: list[Path] = field(default_factory=list)  #: to build
    #: file name → editions an earlier --lang added whose PDF is still there: kept
    kept: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: file name → the only languages to render (--lang added one; the rest are as they were)
    partial: dict[str, tuple[str, ...]] = field(default_factory=dict)
    current: bool = False  #: nothing to do: every output as the inputs would make it


def _run(dirs: Dirs, options: RunOptions) -> RunResult:
    plan = plan_run(dirs, options)
    if plan.current:
        for path in plan.chosen:
            _tell(options, plan.results[path])
        return RunResult(
            [plan.results[p] for p in plan.chosen], up_to_date=True, unused_files=plan.unused
        )
    shared, content_error = shared_inputs(dirs, options.brief, options.lang)
    shared = replace(shared, kept=plan.kept, only_editions=plan.partial)
    for path in plan.chosen:
        if path in plan.results:
            _tell(options, plan.results[path])  # unchanged: reported first, then the built
    outcome, early = build(plan, shared, dirs, options)
    _pages_kept(plan, outcome)
    outcome.content_error = content_error
    manifest = record(plan, outcome, dirs)
    if options.whole:
        run_reports(outcome, shared, dirs, options, early)
        write_fixes(
            outcome.countries, dirs, {p.name: plan.own[p].get(p.name, "") for p in plan.files}
        )
        manifest.fingerprint = plan.run_print
        manifest.errors = " ".join(e for e in (content_error, outcome.overview_error) if e)
        manifest.reports = _hashes(dirs.reports, run_outputs(dirs, options.brief, shared))
    if not options.brief:
        _keep_briefs(plan.recorded, manifest, outcome.countries)
    _remove_unproduced(plan.recorded, manifest, outcome.countries, dirs)
    write_atomic(config.manifest(dirs.reports), manifest.to_json())
    return outcome


def _tell(options: RunOptions, result: CountryResult) -> None:
    if options.on_done:
        options.on_done(result)


def plan_run(dirs: Dirs, options: RunOptions) -> Plan:
    """Fingerprint every country file; recall the unchanged ones; refuse clashing ones."""
    recorded, distrust = read_manifest(config.manifest(dirs.reports))
    previous = Manifest() if options.force else recorded
    files = country_files(dirs.raw)
    unused = unused_files(dirs.raw, files)  # named in the summary and the report, every run
    clashes = _duplicate_countries(files)
    targets = config.targets_file(dirs.raw)
    own = _own_hashes(files, targets)
    shared_hash = shared_hashes(dirs)
    # Not --lang: an edition it adds is an output, built beside the others, never a reason
    # to build the others again.
    key = (options.brief,)
    prints = {
        p: fingerprint(shared_hash, own[p], (*key, clashes[p].message if p in clashes else ""))
        for p in files
    }
    # targets.csv is every named country's input; its rows naming no country are the report's.
    targets_hash = input_hashes([targets]) if targets else {}
    plan = Plan(
        files,
        named(files, options.only) if options.only else files,
        recorded,
        [f"{distrust}: every country is rebuilt."] if distrust else [],
        shared_hash,
        own,
        prints,
        fingerprint(
            shared_hash,
            {p.name: prints[p] for p in files},
            (*key, targets_hash, [(f.file, f.message) for f in unused]),
        ),
        unused=unused,
    )
    for path in files:
        plan.kept[path.name] = _kept_editions(recorded, path.name, dirs.reports)
    for path in plan.chosen:
        cached = _cached(previous, path, prints[path], dirs.reports)
        wanted = _added(cached, options.lang) if cached is not None else None
        if cached is not None and wanted:
            plan.partial[path.name] = wanted  # valid and current: only the new edition is built
            plan.todo.append(path)
        elif cached is not None:
            plan.results[path] = cached
        elif path in clashes:
            plan.results[path] = _clash(path, clashes[path], dirs)
        else:
            plan.todo.append(path)
    reports_current = (
        previous.fingerprint == plan.run_print
        and not previous.errors
        and outputs_intact(dirs.reports, previous.reports)
    )
    plan.current = (
        not plan.todo
        and all(r.unchanged for r in plan.results.values())
        and (reports_current or not options.whole)
        and set(recorded.countries) <= {p.name for p in files}
    )
    return plan


def _kept_editions(recorded: Manifest, file: str, reports: Path) -> tuple[str, ...]:
    """The editions an earlier --lang added to a country whose PDF is still there: an officer
    who deletes one has said it is not wanted."""
    entry = recorded.countries.get(file)
    if entry is None:
        return ()
    result = entry.result.model_dump(mode="json")
    try:
        slug = resolve_country(result["country"]).slug if result["country"] else ""
    except UnknownCountry:
        return ()
    return tuple(
        tag
        for tag in result.get("asked", [])
        if slug and config.brief_pdf(reports, f"{slug}.{language_of(tag)}").is_file()
    )


def _added(cached: CountryResult, lang: str | None) -> tuple[str, ...]:
    """The language --lang asks for, if a built country has no edition in it yet."""
    if lang is None or cached.status is not Status.BUILT:
        return ()
    have = {language_of(tag) for tag in cached.editions}
    return () if language_of(lang) in have else (language_of(lang),)


def _pages_kept(plan: Plan, outcome: RunResult) -> None:
    """A country built for a new edition only keeps the page count of its main edition."""
    for path, result in zip(plan.chosen, outcome.countries, strict=True):
        entry = plan.recorded.countries.get(path.name)
        if path.name in plan.partial and entry is not None and not result.pages:
            result.pages = int(entry.result.model_dump()["pages"])


def _own_hashes(files: list[Path], targets: Path | None) -> dict[Path, dict[str, str]]:
    """Each file's own inputs, hashed: its table, narratives, and targets.csv if it names it."""
    with_targets: frozenset[str] = frozenset()
    if targets is not None:  # read only when there is one: a no-op run stays light
        from pipeline.read.targets import countries_named

        with_targets = countries_named(targets)
    return {
        p: input_hashes(own_inputs(p, targets if _country_key(p.stem) in with_targets else None))
        for p in files
    }


def _clash(path: Path, finding: Finding, dirs: Dirs) -> CountryResult:
    """A file refused because another names the same country: neither file's data stands."""
    from pipeline.read.tables import count_rows

    rows = count_rows(path)
    result = refused(CountryResult(path.name, rows_read=rows), finding)
    result.rows_refused = rows
    remove(_country_outputs(path, dirs))  # no brief
    return result


def build(
    plan: Plan, shared: Shared, dirs: Dirs, options: RunOptions
) -> tuple[RunResult, EarlyOverview]:
    """Build the countries to build: in workers, the overview started beside the last ones."""
    from pipeline.run.parallel import Batch, build_countries, default_jobs

    jobs = options.jobs or default_jobs()
    task = options.task
    if task is None and options.render is not None:
        from pipeline.run.build import build_country

        task = partial(build_country, render=options.render)
    results = dict(plan.results)
    early = EarlyOverview(plan.chosen, results, shared, dirs, options.render)
    overview_due = (
        options.whole
        and options.brief
        and bool(shared.programmes)
        and (options.isolate or jobs > 1)
    )
    batch = Batch(dirs, shared, task, options.on_start, options.on_done)
    notes = list(plan.notes)
    if options.scheduler:
        from pipeline.run.cluster import build_on_cluster

        built, where = build_on_cluster(
            plan.todo, batch, options.scheduler, options.scheduler_security
        )
        notes += [where] if where else []
    else:
        built, early.future = build_countries(
            plan.todo, batch, jobs, options.isolate, early if overview_due else None
        )
    results.update(built)
    outcome = RunResult([results[p] for p in plan.chosen], notes=notes, unused_files=plan.unused)
    outcome.input_findings = shared.targets.unattributed if shared.targets else []
    return outcome, early


def record(plan: Plan, outcome: RunResult, dirs: Dirs) -> Manifest:
    """The manifest of this run's countries; the others (not asked for) as they were."""
    manifest = plan.recorded.model_copy(deep=True)
    manifest.shared = plan.shared_hash
    manifest.countries = {
        p.name: manifest.countries[p.name]
        for p in plan.files
        if p not in plan.chosen and p.name in manifest.countries
    }
    for path, result in zip(plan.chosen, outcome.countries, strict=True):
        if result.status is not Status.FAILED:  # a failure is retried next run
            manifest.countries[path.name] = _entry(
                path, plan.prints[path], plan.own[path], result, dirs
            )
    return manifest


def run_reports(
    outcome: RunResult, shared: Shared, dirs: Dirs, options: RunOptions, early: EarlyOverview
) -> None:
    """The run-wide reports of a full run: the overview, the open data, the validation report."""
    if options.brief and shared.programmes:
        outcome.overview_error, outcome.overview = early.outcome(outcome.countries) or overview(
            outcome, shared, dirs, options.render, options.isolate
        )
        outcome.open_data_notice = open_data(outcome, shared, dirs, options.isolate)
    if options.brief and not outcome.overview and not outcome.overview_error:
        outcome.notes.append(no_overview(outcome, dirs, shared))
    write_validation_report(outcome, dirs)


def _keep_briefs(recorded: Manifest, manifest: Manifest, results: list[CountryResult]) -> None:
    """A validation run builds no brief, and takes none away: each country that still
    validates keeps its brief and open data, and the overview stays (still recorded, so that
    they go with their country later). A country that stopped validating lost its brief when
    it was checked."""
    for result in results:
        old, new = recorded.countries.get(result.file), manifest.countries.get(result.file)
        if old is not None and new is not None and result.status.succeeded:
            outputs = {**old.outputs, **new.outputs}
            editions = {k: getattr(old.result, k) for k in ("editions", "asked", "pages")}
            record_ = new.result.model_copy(update=editions)
            manifest.countries[result.file] = new.model_copy(
                update={"outputs": outputs, "result": record_}
            )
    manifest.reports = {**recorded.reports, **manifest.reports}


def _remove_unproduced(
    recorded: Manifest, manifest: Manifest, results: list[CountryResult], dirs: Dirs
) -> None:
    """Delete what an earlier run recorded and the current inputs no longer produce.

    Outputs follow their country, not their file: after kenya.csv became Kenya.csv or
    kenya.xlsx, kenya.pdf is the new file's brief, and stays.
    """
    base = dirs.reports
    produced = {p.resolve() for r in results for p in r.outputs}
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
        *config.every_edition(dirs.reports, slug),
        config.processed_csv(dirs.processed, slug),
        config.validation_csv(dirs.processed, slug),
        config.rejected_csv(dirs.processed, slug),
    ]


def _cached(manifest: Manifest, path: Path, print_: str, base: Path) -> CountryResult | None:
    """The recorded result of a country whose inputs and outputs are as they were.

    An edition that --lang added and whose PDF the officer deleted is no longer wanted: it
    leaves the record (its web page goes with it), and the rest stands.
    """
    entry = manifest.countries.get(path.name)
    if entry is None or entry.fingerprint != print_:
        return None
    try:
        result = entry.country_result(base)
    except (KeyError, TypeError, ValueError):
        return None  # a record we cannot read is rebuilt, never trusted
    slug = result.country.slug if result.country else ""
    gone = [
        tag
        for tag in result.asked
        if not config.brief_pdf(base, f"{slug}.{language_of(tag)}").is_file()
    ]
    if gone:
        dropped = {
            p.resolve()
            for tag in gone
            for p in config.brief_outputs(base, f"{slug}.{language_of(tag)}")
        }
        result.outputs = [p for p in result.outputs if p.resolve() not in dropped]
        result.editions = [t for t in result.editions if t not in gone]
        result.asked = [t for t in result.asked if t not in gone]
        result.unchanged = False  # its record changes
    kept = {os.path.relpath(p, base) for p in result.outputs}
    if not outputs_intact(base, {k: v for k, v in entry.outputs.items() if k in kept}):
        return None
    return result


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


#: The option names, for tests and `RunChanges` (which must list the same ones).
OPTION_NAMES = tuple(f.name for f in fields(RunOptions))
