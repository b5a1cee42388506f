"""Build countries across processes: heavy imports once per worker, a crash fails one country."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing.queues import SimpleQueue
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any, TypeVar

from pipeline.config import Dirs
from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.outcomes import CountryResult, Status
from pipeline.core.rules import file_error
from pipeline.run.outputs import log_bug
from pipeline.run.tasks import CountryTask, Reporter, Shared

Outcome = TypeVar("Outcome")
#: What a worker tells the parent while it builds: ("rows", file, count) or
#: ("validated", file, CountryResult).
Report = tuple[str, str, object]
OnEvent = Callable[[Path], None]
OnDone = Callable[[CountryResult], None]
#: Given every country's validated result, a job to run beside the last briefs, or None.
FollowUp = Callable[[dict[Path, CountryResult]], tuple[Callable[..., Any], tuple[Any, ...]] | None]

#: A worker's own state, set once by its initializer (`_worker_start`): where its builds
#: report to the parent, and the event the parent sets when the run stops (Ctrl-C), after
#: which the worker starts no other country. None in the parent's own process.
_reports: SimpleQueue[Report] | None = None
_stopping: Event | None = None


def default_jobs() -> int:
    """The cores this process may use (cgroup and affinity aware where the OS says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _worker_start(reports: SimpleQueue[Report], stopping: Event) -> None:
    """Pay the heavy imports once; keep where to report to the parent; leave Ctrl-C."""
    global _reports, _stopping
    # The terminal sends Ctrl-C to every process of the run: the parent alone decides, and
    # lets each worker finish the country it is writing, so nothing is left half-written.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _reports, _stopping = reports, stopping
    import pipeline.present.brief
    import pipeline.run.build  # noqa: F401

    # The imports leave ~1M long-lived objects that every full collection would walk again
    # (0.1-0.2 s a brief, measured): set them aside; the briefs' own garbage is still collected.
    gc.freeze()


def _reporter(seen: dict[str, int]) -> Reporter:
    """A build's reporter: it notes the rows in `seen`, and in a worker tells the parent."""
    queue = _reports
    if queue is None:  # in the parent's own process: the rows are all it needs
        return Reporter(rows=seen.__setitem__)

    def rows(file: str, count: int) -> None:
        seen[file] = count
        queue.put(("rows", file, count))

    return Reporter(rows, lambda result: queue.put(("validated", result.file, result)))


def _build(
    task: CountryTask | None, path: Path, dirs: Dirs, shared: Shared
) -> CountryResult | None:
    if _stopping is not None and _stopping.is_set():
        return None  # the run was interrupted: this country is left for the next one
    if task is None:
        from pipeline.run.build import build_country

        task = build_country
    seen: dict[str, int] = {}  # the rows the build got to read before anything broke
    try:
        return task(path, dirs, shared, _reporter(seen))
    except OSError:
        raise  # the output folder or the disk: the whole run stops with a clear message
    except Exception as exc:  # noqa: BLE001 (a bug on one file must not stop the others)
        log = log_bug(dirs.reports, f"building {path.name}")
        message = f"A bug stopped this country's build ({type(exc).__name__}); details: {log}"
        return _failed(path, "internal-error", message, seen.get(path.name))


def _failed(path: Path, rule: str, message: str, rows: int | None) -> CountryResult:
    """A country whose build broke: failed, its rows (if it got to read them) counted as refused.

    The rows come from the builder's own report: this process never reads the file again,
    since reading it may be what broke the build.
    """
    result = CountryResult(path.name, status=Status.FAILED)
    try:
        result.country = resolve_country(path.stem)
    except UnknownCountry:
        pass
    if rows is None:
        message += " It stopped before its rows were read, so they are not counted."
    result.rows_read = result.rows_refused = rows or 0
    result.findings.append(file_error(path.name, rule, message))
    return result


@dataclass(frozen=True)
class Batch:
    """What every country of one build shares: its folders, inputs, task and listeners."""

    dirs: Dirs
    shared: Shared
    task: CountryTask | None = None  #: one country's build; default `build.build_country`
    on_start: OnEvent | None = None  #: told as each country starts
    on_done: OnDone | None = None  #: told as each country ends


def build_countries(
    paths: Iterable[Path],
    batch: Batch,
    jobs: int,
    isolate: bool = False,
    then: FollowUp | None = None,
) -> tuple[dict[Path, CountryResult], Future[Any] | None]:
    """Build each country: in worker processes, or in this one when jobs is 1 and not `isolate`.

    With `isolate`, even one country builds in a worker, so that a crash fails it alone.
    In workers, `then` is asked for a follow-up job once every country has been validated;
    the job runs in the same pool beside the last briefs, and its future is returned.
    """
    paths = list(paths)
    results: dict[Path, CountryResult] = {}

    def finish(path: Path, result: CountryResult) -> None:
        results[path] = result
        if batch.on_done:
            batch.on_done(result)

    if not paths:
        return results, None
    if not isolate and (jobs <= 1 or len(paths) <= 1):
        for path in paths:
            if batch.on_start:
                batch.on_start(path)
            finish(path, _build(batch.task, path, batch.dirs, batch.shared))  # type: ignore[arg-type]
        return results, None
    rows: dict[str, int] = {}
    # Up to one worker per country, and one more for the follow-up job if there is one.
    jobs = max(1, min(jobs, len(paths) + (then is not None)))
    # Largest first: a big country started last would build alone while the other cores idle.
    by_size = sorted(paths, key=_size, reverse=True)
    broken, followed = _pool_run(by_size, batch, jobs, finish, rows, then)
    # A dead worker breaks the whole pool, so every country it had not finished is suspect.
    # Retry each alone: the one that crashes again fails; the others build normally.
    quiet = replace(batch, on_start=None)
    for path in broken:
        if _pool_run([path], quiet, 1, finish, rows)[0]:
            message = "The process building this country stopped."
            finish(path, _failed(path, "worker-crashed", message, rows.get(path.name)))
    return results, followed


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # unreadable: its builder will say so


def _context() -> multiprocessing.context.ForkServerContext:
    # forkserver: workers never inherit this process's threads (the progress display's),
    # and they fork from a server that has already paid the heavy imports, once per run.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.run.build", "pipeline.present.brief"])
    return context


def in_worker(function: Callable[..., Outcome], *args: object) -> Outcome:
    """`function(*args)` run in a worker process: this one never imports WeasyPrint.

    A crash of the worker raises BrokenProcessPool here, and stops nothing else.
    """
    context = _context()
    start = (context.SimpleQueue(), context.Event())
    with ProcessPoolExecutor(1, context, _worker_start, start) as pool:
        return pool.submit(function, *args).result()


class _Inbox:
    """What the workers of one pool reported while they built: rows read, countries validated."""

    def __init__(self, queue: SimpleQueue[Report], rows: dict[str, int]) -> None:
        self.queue, self.rows = queue, rows
        self.validated: dict[str, CountryResult] = {}

    def drain(self) -> None:
        while not self.queue.empty():
            kind, file, value = self.queue.get()
            if kind == "rows":
                self.rows[file] = value  # type: ignore[assignment]
            else:
                self.validated[file] = value  # type: ignore[assignment]


def _follow_up(
    then: FollowUp, pool: ProcessPoolExecutor, paths: list[Path], inbox: _Inbox
) -> Future[Any] | None:
    """The follow-up job, submitted once every country has been validated (else None)."""
    if not all(p.name in inbox.validated for p in paths):
        return None
    job = then({p: inbox.validated[p.name] for p in paths})
    if job is None:
        return None
    function, args = job
    return pool.submit(function, *args)


def _pool_run(
    paths: list[Path],
    batch: Batch,
    jobs: int,
    finish: Callable[[Path, CountryResult], None],
    rows: dict[str, int],
    then: FollowUp | None = None,
) -> tuple[list[Path], Future[Any] | None]:
    """Run `paths` in a fresh pool; return the countries lost to a broken pool, and the
    follow-up's future (None if it was never started)."""
    broken: list[Path] = []
    context = _context()
    inbox = _Inbox(context.SimpleQueue(), rows)
    stopping = context.Event()
    pool = ProcessPoolExecutor(jobs, context, _worker_start, (inbox.queue, stopping))
    followed: Future[Any] | None = None
    try:
        futures: dict[Future[CountryResult | None], Path] = {}
        for path in paths:
            futures[pool.submit(_build, batch.task, path, batch.dirs, batch.shared)] = path
            if batch.on_start:
                batch.on_start(path)
        pending: set[Future[Any]] = set(futures)
        while pending:
            # Short waits while a follow-up is due: validation reports arrive between results.
            timeout = 0.05 if then is not None and followed is None else None
            done, pending = wait(pending, timeout, return_when=FIRST_COMPLETED)
            inbox.drain()
            for future in (f for f in done if f is not followed):
                path = futures[future]
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken.append(path)
                    continue
                if result is not None:
                    finish(path, result)
                    inbox.validated[path.name] = result  # final: supersedes the early report
            if then is not None and followed is None and not broken and not stopping.is_set():
                followed = _follow_up(then, pool, paths, inbox)
                pending |= {followed} if followed is not None else set()
    except BaseException:
        # Ctrl-C, or an output folder that cannot be written: start nothing new, and let
        # the workers finish the country each is writing (they ignore Ctrl-C).
        stopping.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)
        inbox.drain()
        inbox.queue.close()
    return broken, followed
