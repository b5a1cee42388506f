"""Coverage paused inside third-party code while it works alone.

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
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, ParamSpec, TypeVar

import coverage

P = ParamSpec("P")
R = TypeVar("R")

#: The coverage tracer paused on the main thread, if any.
_paused: Any = None


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def untraced() -> Iterator[None]:
    """Coverage's tracer off for the block when a coverage run traces this (main) thread;
    else nothing.

    The tracer itself is taken off the thread and put back (sys.settrace): under
    pytest-xdist a worker runs two coverage collectors, pytest-cov's and the one its
    subprocess patch starts, and stopping the first through the API only hands the thread to
    the second. The tracer is put back at the same depth of calls it was taken off at, so
    the calls and returns it sees stay paired (coverage supports a tracer restored so)."""
    global _paused
    tracer = sys.gettrace()
    measuring = tracer is not None and coverage.Coverage.current() is not None
    if not measuring or _paused is not None or not _main_thread():
        yield  # no coverage run here, or already paused
        return
    sys.settrace(None)
    _paused = tracer
    try:
        yield
    finally:
        _paused = None
        sys.settrace(tracer)


@contextmanager
def retraced() -> Iterator[None]:
    """Coverage's tracer back on for the block when it runs inside `untraced` code."""
    global _paused
    tracer = _paused
    if tracer is None or not _main_thread():
        yield
        return
    _paused = None
    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(None)
        _paused = tracer


def traced(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, traced even when paused code calls it (see `retraced`)."""
    return _within(retraced, function)


def paused(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, run with coverage paused (see `untraced`)."""
    return _within(untraced, function)


def _within(
    context: Callable[[], AbstractContextManager[None]], function: Callable[P, R]
) -> Callable[P, R]:
    @functools.wraps(function)
    def call(*args: P.args, **kwargs: P.kwargs) -> R:
        with context():
            return function(*args, **kwargs)

    return call
