"""Coverage paused inside third-party code that never calls back into pipeline/.

`make test` measures branch coverage of pipeline/ in the same run. On Python 3.11 coverage's
tracer is called for every line of every module while it is on, not only pipeline/'s: each
library runs about twice as slowly under it (measured per test file: 1.8–2.0 times). Pausing
it while a library works alone (laying out or reading a PDF, writing a workbook, validating a
data package) changes no line of pipeline/ that coverage counts, so the floor measures the
same thing, sooner. Where such a library calls back into pipeline/ (a chart's tick labels, the
PDF renderer's asset fetcher), `retraced` turns coverage back on for the call. Only the thread
that pauses is affected; nothing here runs outside a coverage run.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import coverage

P = ParamSpec("P")
R = TypeVar("R")

#: The coverage run paused on the main thread, if any (while paused it is no longer
#: `Coverage.current()`, so it is kept here to be started again).
_paused: coverage.Coverage | None = None


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def untraced() -> Iterator[None]:
    """Coverage off for the block when it is measuring, on the main thread; else nothing."""
    global _paused
    measuring = coverage.Coverage.current()
    if measuring is None or _paused is not None or not _main_thread():
        yield  # no coverage run, or already paused
        return
    measuring.stop()
    _paused = measuring
    try:
        yield
    finally:
        _paused = None
        measuring.start()


@contextmanager
def retraced() -> Iterator[None]:
    """Coverage back on for the block when it runs inside `untraced` code; else nothing."""
    global _paused
    measuring = _paused
    if measuring is None or not _main_thread():
        yield
        return
    _paused = None
    measuring.start()
    try:
        yield
    finally:
        measuring.stop()
        _paused = measuring


def traced(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, traced even when paused code calls it (see `retraced`)."""

    @functools.wraps(function)
    def traced_call(*args: P.args, **kwargs: P.kwargs) -> R:
        with retraced():
            return function(*args, **kwargs)

    return traced_call


def paused(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, run with coverage paused (see `untraced`)."""

    @functools.wraps(function)
    def untraced_call(*args: P.args, **kwargs: P.kwargs) -> R:
        with untraced():
            return function(*args, **kwargs)

    return untraced_call
