"""Coverage paused inside third-party code that never calls back into pipeline/.

`make test` measures branch coverage of pipeline/ in the same run. On Python 3.11 coverage's
tracer is called for every line of every module while it is on, not only pipeline/'s: each
library runs about twice as slowly under it (measured per test file: 1.8–2.0 times). Pausing
it while a library works alone (laying out or reading a PDF, writing a workbook, validating a
data package) changes no line of pipeline/ that coverage counts, so the floor measures the
same thing, sooner. Only the thread that pauses is affected; nothing here runs outside a
coverage run.
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

#: How deep the main thread is inside paused code: only the outermost pause stops and starts.
_depth = 0


@contextmanager
def untraced() -> Iterator[None]:
    """Coverage off for the block when it is measuring, on the main thread; else nothing."""
    global _depth
    measuring = coverage.Coverage.current()
    if measuring is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    if _depth == 0:
        measuring.stop()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            measuring.start()


def paused(function: Callable[P, R]) -> Callable[P, R]:
    """`function`, run with coverage paused (see `untraced`)."""

    @functools.wraps(function)
    def untraced_call(*args: P.args, **kwargs: P.kwargs) -> R:
        with untraced():
            return function(*args, **kwargs)

    return untraced_call
