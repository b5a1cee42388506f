"""Build countries across processes: heavy imports once per worker, a crash fails one country."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pipeline.config import Dirs
from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.outcomes import CountryResult, Status
from pipeline.core.rules import file_error
from pipeline.read.tables import count_rows
from pipeline.run.tasks import CountryTask, Shared

OnEvent = Callable[[Path], None]
OnDone = Callable[[CountryResult], None]


def default_jobs() -> int:
    """The cores this process may use (cgroup and affinity aware where the OS says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _warm() -> None:
    """Pay pandas, matplotlib and WeasyPrint imports once, when the worker starts."""
    import pipeline.present.brief
    import pipeline.run.build  # noqa: F401


def _build(task: CountryTask | None, path: Path, dirs: Dirs, shared: Shared) -> CountryResult:
    if task is None:
        from pipeline.run.build import build_country

        task = build_country
    try:
        return task(path, dirs, shared)
    except Exception as exc:  # noqa: BLE001 (a bug on one file must not stop the others)
        return _failed(path, "internal-error", f"{type(exc).__name__}: {exc}".strip(": "))


def _failed(path: Path, rule: str, message: str) -> CountryResult:
    """A country whose build broke: failed, its rows counted as refused so none go missing."""
    result = CountryResult(path.name, status=Status.FAILED)
    try:
        result.country = resolve_country(path.stem)
    except UnknownCountry:
        pass
    result.rows_read = result.rows_refused = count_rows(path)
    result.findings.append(file_error(path.name, rule, message))
    return result


def build_countries(
    paths: Iterable[Path],
    dirs: Dirs,
    shared: Shared,
    jobs: int,
    on_start: OnEvent | None = None,
    on_done: OnDone | None = None,
    task: CountryTask | None = None,
) -> dict[Path, CountryResult]:
    """Build each country, in this process when jobs is 1, else in a pool of `jobs` workers.

    `task` builds one country (default `build.build_country`); tests inject stand-ins.
    """
    paths = list(paths)
    results: dict[Path, CountryResult] = {}

    def finish(path: Path, result: CountryResult) -> None:
        results[path] = result
        if on_done:
            on_done(result)

    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            if on_start:
                on_start(path)
            finish(path, _build(task, path, dirs, shared))
        return results
    broken = _pool_run(paths, dirs, shared, min(jobs, len(paths)), on_start, finish, task)
    # A dead worker breaks the whole pool, so every country it had not finished is suspect.
    # Retry each alone: the one that crashes again fails; the others build normally.
    for path in broken:
        again = _pool_run([path], dirs, shared, 1, None, finish, task)
        if again:
            finish(
                path, _failed(path, "worker-crashed", "The process building this country stopped.")
            )
    return results


def _pool_run(
    paths: list[Path],
    dirs: Dirs,
    shared: Shared,
    jobs: int,
    on_start: OnEvent | None,
    finish: Callable[[Path, CountryResult], None],
    task: CountryTask | None,
) -> dict[Path, BaseException]:
    """Run `paths` in a fresh pool; return the countries lost to a broken pool."""
    broken: dict[Path, BaseException] = {}
    # forkserver: workers never inherit this process's threads (the progress display's),
    # and they fork from a server that has already paid the heavy imports once.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.run.build", "pipeline.present.brief"])
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_warm) as pool:
        futures: dict[Future[CountryResult], Path] = {}
        for path in paths:
            futures[pool.submit(_build, task, path, dirs, shared)] = path
            if on_start:
                on_start(path)
        for future in as_completed(futures):
            path = futures[future]
            try:
                finish(path, future.result())
            except BrokenProcessPool as exc:
                broken[path] = exc
    return broken
