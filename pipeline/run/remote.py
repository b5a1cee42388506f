"""One country's build on a cluster worker: bytes in, bytes out, no shared folders.

A worker gets the country's input files as bytes (`Payload`) and, once per run, what every
country shares (`Bundle`: content, settings, templates, the client's code fingerprint). It
builds in a private temporary folder, writes nothing there that outlives the task, and sends
back the result with every write and removal the build asked for (`Returned`); the client
makes them in its own folders, atomically, as a local build does. So a worker never reads
the client's data/raw nor writes its reports/, wherever it runs and whatever its working
directory. This module never imports distributed: it runs under it.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
import traceback
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.config import Dirs
from pipeline.core.outcomes import CountryResult
from pipeline.run.manifest import code_difference, code_parts, code_sha256
from pipeline.run.outputs import recorded
from pipeline.run.tasks import CountryTask, Reporter, Shared

#: The folders of a build, as the worker's paths name them back to the client.
PROCESSED, REPORTS = "processed", "reports"


class SchedulerUnreachable(RuntimeError):
    """The scheduler could not be reached, or its security settings could not be read."""


@dataclass(frozen=True)
class Bundle:
    """What every country of one run shares, sent once to each worker."""

    shared: Shared
    raw: dict[str, bytes]  #: the shared files of data/raw (programme, settings, rates) by name
    templates: dict[str, bytes]  #: the templates folder, by relative path
    code: str  #: the client's code fingerprint, as the manifest records it
    parts: dict[str, object]  #: what that fingerprint hashes, to say what differs
    task: CountryTask | None = None  #: one country's build; default `build.build_country`

    @property
    def digest(self) -> str:
        """An id of the files, so a worker lays them out once per run."""
        digest = hashlib.sha256()
        for name, data in sorted(self.templates.items()):
            digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
        return digest.hexdigest()


@dataclass(frozen=True)
class Payload:
    """One country's task: its file's name and its own input files' bytes."""

    file: str
    inputs: dict[str, bytes]  #: the table, its narratives, targets.csv if it names it
    topic: str = ""  #: where the worker says how many rows it read ("" tells no one)


@dataclass
class Returned:
    """What a worker sends back: the result and the writes, or why it built nothing."""

    worker: str
    result: CountryResult | None = None  #: outputs relative: processed/… or reports/…
    writes: list[tuple[str, bytes | None]] = field(default_factory=list)  #: bytes, or removal
    refusal: str = ""  #: why this worker refused the task (its code differs)
    bug: str = ""  #: the traceback of a bug that stopped the build


#: One build at a time in a worker process: matplotlib's state is not thread-safe.
_one_at_a_time = threading.Lock()
#: The shared files laid out by this process, by `Bundle.digest`.
_laid_out: dict[str, tempfile.TemporaryDirectory[str]] = {}


@cache
def local_code() -> tuple[str, dict[str, object]]:
    """This process's code fingerprint and its parts (computed once: the code cannot change)."""
    return code_sha256(), code_parts()


def warm() -> None:
    """Pay the heavy imports and the code fingerprint once per worker, as the fork server does."""
    import gc

    import pipeline.present.brief
    import pipeline.run.build  # noqa: F401

    local_code()
    gc.freeze()  # the imports' long-lived objects: see parallel._worker_start


def _templates(bundle: Bundle) -> Path:
    key = bundle.digest
    if key not in _laid_out:
        folder = tempfile.TemporaryDirectory(prefix="impact-briefs-templates-")
        for name, data in bundle.templates.items():
            path = Path(folder.name, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        _laid_out.clear()  # one run's templates at a time
        _laid_out[key] = folder
    return Path(_laid_out[key].name)


def _address() -> str:
    """This worker's address, as the scheduler knows it ("" outside a worker)."""
    try:
        from distributed import get_worker

        return str(get_worker().address)
    except (ImportError, ValueError):
        return ""


def build_remote(payload: Payload, bundle: Bundle) -> Returned:
    """Build one country from bytes, in a private folder; never raises for the country's sake."""
    worker = _address()
    here, parts = local_code()
    if here != bundle.code:
        difference = code_difference(bundle.parts, parts) or "its code fingerprint differs"
        return Returned(worker, refusal=difference)
    with _one_at_a_time, tempfile.TemporaryDirectory(prefix="impact-briefs-") as tmp:
        root = Path(tmp)
        dirs = Dirs(root / "raw", root / PROCESSED, root / REPORTS, _templates(bundle))
        dirs.raw.mkdir()
        for name, data in {**bundle.raw, **payload.inputs}.items():
            (dirs.raw / name).write_bytes(data)
        task = bundle.task
        if task is None:
            from pipeline.run.build import build_country

            task = build_country
        try:
            with recorded() as writes:
                result = task(dirs.raw / payload.file, dirs, bundle.shared, _reporter(payload))
        except Exception:  # noqa: BLE001 (a bug on one country must not stop the others)
            return Returned(worker, bug=traceback.format_exc())
        result.outputs = [p.relative_to(root) for p in result.outputs]
        return Returned(worker, result, [(str(p.relative_to(root)), data) for p, data in writes])


def _reporter(payload: Payload) -> Reporter:
    """Tell the client each file's rows as soon as they are read: a worker lost later still
    has its rows counted (the cluster's events carry them)."""
    if not payload.topic:
        return Reporter()
    topic = payload.topic

    def rows(file: str, count: int) -> None:
        from distributed import get_worker

        get_worker().log_event(topic, {"file": file, "rows": count})

    return Reporter(rows=rows)
