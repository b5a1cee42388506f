"""Build countries on a Dask cluster (`--scheduler`, the `dask` extra): the client's side.

The client reads every input, sends each country as bytes (`remote.Payload`) with what the
run shares sent once to each worker (`remote.Bundle`), and writes what comes back into its
own folders, atomically, as a local build does: the manifest and the lock stay here. No
folder is shared with the workers. A worker lost mid-build costs a retry on another worker;
a country whose task loses two workers, or whose build hits a bug, fails alone.
"""

from __future__ import annotations

import logging
import signal
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import Any

import dask
import yaml
from distributed import Client, Future, KilledWorker, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from pipeline import config
from pipeline.config import Dirs, translated_path
from pipeline.core.i18n import TRANSLATIONS
from pipeline.core.outcomes import CountryResult
from pipeline.run.manifest import code_sha256
from pipeline.run.outputs import log_bug, remove, write_atomic
from pipeline.run.parallel import Batch, _failed, _size, default_jobs
from pipeline.run.remote import (
    PROCESSED,
    REPORTS,
    Bundle,
    Payload,
    Returned,
    SchedulerUnreachable,
    build_remote,
)
from pipeline.run.remote import local_code as code_here

#: `--scheduler local`: a cluster of this machine's cores, started for the run.
LOCAL = "local"
#: Seconds to wait for the scheduler before the run stops, with one line and no output.
CONNECT_TIMEOUT_S = 10


#: A task whose worker dies comes back to the client at once, which retries it alone (the
#: scheduler retries none itself); a worker holds only the task it runs. (A scheduler of one's own
#: is started with the same settings: see the README, Deployment.)
SCHEDULER_SETTINGS = {
    "distributed.scheduler.allowed-failures": 0,
    "distributed.scheduler.worker-saturation": 1.0,
}


class Warm(WorkerPlugin):
    """Each worker pays the heavy imports and its code fingerprint once, when it joins."""

    idempotent = True  # a second run on the same cluster finds it in place
    name = "impact-briefs-warm"

    def setup(self, worker: Any) -> None:
        from pipeline.run.remote import warm

        warm()


class LeaveCtrlC(WorkerPlugin):
    """The workers of `--scheduler local` leave Ctrl-C to the run, as the pool's workers do:
    the terminal sends it to every process of the run, and the run alone decides (it cancels
    what is left and closes the cluster, with no worker's traceback on the terminal)."""

    idempotent = True
    name = "impact-briefs-leave-ctrl-c"

    def setup(self, worker: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def connected(address: str, security: Path | None = None) -> Iterator[Client]:
    """A client of the scheduler at `address` (or of a new local cluster), workers warmed."""
    with ExitStack() as stack:
        target: str | LocalCluster = address
        if address == LOCAL:
            with dask.config.set(SCHEDULER_SETTINGS):
                target = stack.enter_context(
                    LocalCluster(
                        n_workers=default_jobs(),
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",  # any free port: never a clash
                        silence_logs=logging.CRITICAL,
                    )
                )
        options = _security(security) if security is not None else {}
        try:
            client = stack.enter_context(
                Client(target, timeout=CONNECT_TIMEOUT_S, set_as_default=False, **options)
            )
        except (OSError, TimeoutError) as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SchedulerUnreachable(
                f"the Dask scheduler at {address} could not be reached ({reason}). Start it, "
                "check the address, or build on this machine without --scheduler."
            ) from None
        if address == LOCAL:
            client.register_plugin(LeaveCtrlC())
        client.register_plugin(Warm())
        yield client


def _security(path: Path) -> dict[str, Any]:
    """distributed's TLS settings from a YAML file of its own configuration keys
    (`distributed: comm: tls: …`); file names in it are relative to the file."""
    from distributed.security import Security

    try:
        settings = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SchedulerUnreachable(
            f"the security file {path} could not be read ({exc})."
        ) from None
    if not isinstance(settings, dict):
        raise SchedulerUnreachable(f"the security file {path} holds no settings.")
    flat = dict(_flatten(settings, path.parent))
    try:
        with dask.config.set(flat):
            return {"security": Security()}
    except (TypeError, ValueError) as exc:
        raise SchedulerUnreachable(f"the security file {path} is not valid ({exc}).") from None


def _flatten(
    settings: Mapping[str, Any], base: Path, prefix: str = ""
) -> Iterator[tuple[str, Any]]:
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, base, f"{name}.")
        elif isinstance(value, str) and key in ("ca-file", "cert", "key"):
            yield name, str(base / value)
        else:
            yield name, value


def bundle(dirs: Dirs, batch: Batch) -> Bundle:
    """What every country shares, as bytes: the shared files of data/raw and the templates."""
    names = [*config.SHARED_INPUTS]
    names += [translated_path(Path(config.PROGRAMME_FILE), lang).name for lang in TRANSLATIONS]
    raw = {n: (dirs.raw / n).read_bytes() for n in names if (dirs.raw / n).is_file()}
    templates = {
        p.relative_to(dirs.templates).as_posix(): p.read_bytes()
        for p in sorted(dirs.templates.rglob("*"))
        if p.is_file()
    }
    _, parts = code_here()
    return Bundle(batch.shared, raw, templates, code_sha256(), parts, batch.task)


def payload(path: Path, topic: str) -> Payload:
    """One country's own input files as bytes: its table and the narratives beside it."""
    narrative = path.with_suffix(".md")
    own = [path, narrative, *(translated_path(narrative, lang) for lang in TRANSLATIONS)]
    return Payload(path.name, {p.name: p.read_bytes() for p in own if p.is_file()}, topic)


def build_on_cluster(
    paths: list[Path], batch: Batch, address: str, security: Path | None = None
) -> tuple[dict[Path, CountryResult], str]:
    """Build each country on the cluster; the results, and a line saying where they built."""
    if not paths:
        return {}, ""
    with connected(address, security) as client:
        workers = len(client.scheduler_info(n_workers=-1).get("workers", {}))
        results = _Hand(client, batch).build(paths)
    where = "this machine's local cluster" if address == LOCAL else f"the cluster at {address}"
    return results, f"Built on {where} ({workers} worker{'s' if workers != 1 else ''})."


class _Hand:
    """One run's countries, handed out to a cluster and taken back."""

    def __init__(self, client: Client, batch: Batch) -> None:
        self.client, self.batch = client, batch
        self.run = uuid.uuid4().hex[:12]
        self.topic = f"impact-briefs-rows-{self.run}"
        self.rows: dict[str, int] = {}  #: rows each worker read, told as soon as read
        self.results: dict[Path, CountryResult] = {}
        self.futures: dict[Future[Returned], Path] = {}
        # A task, not scattered data: the scheduler keeps it, so that when every worker
        # holding it dies, the next worker gets it again (scattered data would be lost).
        self.shared = client.submit(_given, bundle(batch.dirs, batch), key=f"ib-{self.run}")

    def build(self, paths: list[Path]) -> dict[Path, CountryResult]:
        self.client.subscribe_topic(self.topic, lambda event: _note_rows(self.rows, event))
        try:
            # Largest first: a big country started last would build alone while others idle.
            lost = self._pass(sorted(paths, key=_size, reverse=True), _threads, retry=False)
            # A worker died under these: each is retried alone, so that only a country that
            # kills its worker again fails (as the process pool retries a broken pool's).
            self._pass(lost, lambda _: 1, retry=True)
        except BaseException:
            # Ctrl-C, or an output folder that cannot be written: nothing more is built, and
            # nothing a worker sent back is half-written (each file is written atomically).
            self.client.cancel(list(self.futures), force=True)
            raise
        finally:
            self.client.unsubscribe_topic(self.topic)
        return self.results

    def _pass(self, paths: list[Path], width: Callable[[Client], int], retry: bool) -> list[Path]:
        """Build `paths`, no more out at once than `width` says; the countries whose worker
        died (each to retry), or none when this is the retry."""
        todo, lost = iter(paths), list[Path]()
        done = as_completed([], loop=self.client.loop)
        out = 0
        while True:
            # No more countries out than the cluster has threads: a worker holds only the
            # country it builds, so a worker that dies takes no other country with it.
            for path in islice(todo, max(0, width(self.client) - out)):
                done.add(self._send(path, retry))
                out += 1
            if not out:
                return lost
            future = next(done)
            out -= 1
            # Let go of each result once written: thousands of briefs must not pile up in
            # the workers' memory until the run ends.
            path = self.futures.pop(future)
            if not retry and isinstance(_error(future), KilledWorker):
                lost.append(path)
                continue
            self.results[path] = _outcome(future, path, self.batch.dirs, self.rows)
            future.release()
            if self.batch.on_done:
                self.batch.on_done(self.results[path])

    def _send(self, path: Path, retry: bool) -> Future[Returned]:
        key = f"ib-{self.run}-{path.name}{'-retry' if retry else ''}"
        sent = payload(path, self.topic)  # read only as it is sent
        future = self.client.submit(build_remote, sent, self.shared, key=key)
        self.futures[future] = path
        if self.batch.on_start and not retry:
            self.batch.on_start(path)
        return future


def _error(future: Future[Returned]) -> BaseException | None:
    return future.exception() if future.status == "error" else None


def _threads(client: Client) -> int:
    """The threads of the cluster's workers now (workers may come and go during a run)."""
    threads: dict[str, int] = client.nthreads()
    return max(1, sum(threads.values()))


def _given(shared: Bundle) -> Bundle:
    return shared


def _note_rows(rows: dict[str, int], event: tuple[float, Any]) -> None:
    message = event[1]
    if isinstance(message, dict) and isinstance(message.get("rows"), int):
        rows[str(message.get("file"))] = message["rows"]


def _outcome(
    future: Future[Returned], path: Path, dirs: Dirs, rows: dict[str, int]
) -> CountryResult:
    """A finished task as the country's result, its writes made here."""
    if future.status == "error":
        error = future.exception()
        if isinstance(error, KilledWorker):
            message = (
                "The cluster workers building this country stopped twice (the last was "
                f"{error.last_worker.address}), so it was not built."
            )
            return _failed(path, "worker-lost", message, rows.get(path.name))
        details = "".join(traceback.format_exception(error))
        return _bug(path, dirs, details, rows)
    returned = future.result()
    if returned.refusal:
        message = (
            f"The cluster worker {returned.worker} refused to build this country: its "
            f"installed code differs from this computer's ({returned.refusal}). Its rows were "
            "not read."
        )
        return _failed(path, "worker-code-differs", message, 0)
    if returned.bug or returned.result is None:
        return _bug(path, dirs, returned.bug, rows, returned.worker)
    for where, data in returned.writes:
        target = _local(where, dirs)
        if data is None:
            remove([target])
        else:
            write_atomic(target, data)
    result = returned.result
    result.outputs = [_local(p.as_posix(), dirs) for p in result.outputs]
    return result


def _bug(
    path: Path, dirs: Dirs, details: str, rows: dict[str, int], worker: str = ""
) -> CountryResult:
    on = f" on {worker}" if worker else ""
    log = log_bug(dirs.reports, f"building {path.name}{on}", details)
    message = f"A bug stopped this country's build ({_last_line(details)}); details: {log}"
    return _failed(path, "internal-error", message, rows.get(path.name))


def _last_line(details: str) -> str:
    lines = [line for line in details.strip().splitlines() if line.strip()]
    return lines[-1].split(":", 1)[0] if lines else "unknown"


def _local(where: str, dirs: Dirs) -> Path:
    """A worker's output path (processed/… or reports/…) in this machine's folders."""
    parts = PurePosixPath(where).parts
    folders = {PROCESSED: dirs.processed, REPORTS: dirs.reports}
    if len(parts) < 2 or parts[0] not in folders or ".." in parts:
        raise ValueError(f"a worker named an output outside the output folders: {where}")
    return folders[parts[0]].joinpath(*parts[1:])
