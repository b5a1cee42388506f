"""The output folders of a run: created, locked for one run at a time, cleaned of leftovers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from filelock import FileLock, Timeout

from pipeline import config
from pipeline.config import Dirs
from pipeline.run.outputs import remove_stale_temporaries

#: How long a run waits for another run on the same folders before it gives up.
LOCK_TIMEOUT_S = 5.0


class BuildLocked(RuntimeError):
    """Another run holds the output folders; the message says which lock."""


@contextmanager
def locked_outputs(dirs: Dirs, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the output folders for this run alone; temporaries left by a killed run go first.

    Creating the folders and their lock files also proves they can be written: an OSError
    here names the folder, before anything was built.
    """
    folders = sorted({dirs.processed.resolve(), dirs.reports.resolve()})
    with ExitStack() as held:
        for folder in folders:  # always in one order, so two runs never wait on each other
            folder.mkdir(parents=True, exist_ok=True)
            lock = FileLock(config.lock_file(folder))
            try:
                held.enter_context(lock.acquire(timeout=timeout))
            except Timeout:
                raise BuildLocked(
                    f"another build is running on these folders (it holds {lock.lock_file}). "
                    "Wait for it to finish, then run again."
                ) from None
        # Only now: another run's temporary files are its writes in progress, not leftovers.
        remove_stale_temporaries(*folders)
        yield
