"""Coverage paused inside third-party code while it works alone.

`make test` measures branch coverage of pipeline/ in the same run. On Python 3.11 coverage's
tracer is called for every line of every module while it is on, not only pipeline/'s: each
library runs about twice as slowly under it (measured per test file: 1.8–2.0 times). Pausing
it while a library works alone (laying out or reading a PDF, writing a workbook, validating a
data package) changes no line of pipeline/ that coverage counts, so the floor measures the
same thing, sooner. Where such a library calls back into pipeline/ (a chart's tick labels, the
PDF renderer's asset fetcher), `retraced` turns coverage back on for the call. Only the thread
that pauses is affected; nothing here runs outside a coverage run.

The processes a test starts (the CLI in a subprocess, the build workers, the forkserver they
fork from) pause in the same functions: tests/children/sitecustomize.py patches each one as
its module is first imported there (`pause_on_import`).
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.machinery
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from types import ModuleType
from typing import Any, ParamSpec, TypeVar

import coverage

P = ParamSpec("P")
R = TypeVar("R")

#: Third-party functions that do their work alone: under `make test`, coverage pauses inside
#: them. The largest is WeasyPrint's layout (measured on Kenya: 1.45 s a PDF, 2.5 s traced,
#: 1.65 s paused there), then matplotlib writing a chart's SVG; the others are the tests' own
#: reading of PDFs and writing of workbooks, and the standards' validators.
UNTRACED = (
    ("weasyprint", "HTML", "render"),
    ("weasyprint.document", "Document", "write_pdf"),
    ("matplotlib.figure", "Figure", "savefig"),
    ("matplotlib.figure", "Figure", "draw"),
    ("pypdf._page", "PageObject", "extract_text"),
    ("openpyxl.workbook.workbook", "Workbook", "save"),
    ("openpyxl.reader.excel", "ExcelReader", "read"),
    ("odf.opendocument", "OpenDocument", "save"),
    ("frictionless", "Package", "validate"),
    ("frictionless", "Resource", "validate"),
)
#: Where those libraries call back into pipeline/: traced again for the call, so no line of
#: the pipeline's is lost from the coverage report (a chart's tick labels are formatted while
#: matplotlib writes it; WeasyPrint asks the pipeline's fetcher for fonts and images).
RETRACED = (
    ("matplotlib.ticker", "FuncFormatter", "__call__"),
    ("pipeline.present.render", "OwnAssetsOnly", "fetch"),
)


class _Paused(threading.local):
    """The coverage tracer this thread paused, if any: a tracer is set per thread
    (sys.settrace), and a Dask worker builds in threads of its own."""

    tracer: Any = None


_paused = _Paused()


@contextmanager
def untraced() -> Iterator[None]:
    """Coverage's tracer off for the block when a coverage run traces this thread; else
    nothing.

    The tracer itself is taken off the thread and put back (sys.settrace): under
    pytest-xdist a worker runs two coverage collectors, pytest-cov's and the one its
    subprocess patch starts, and stopping the first through the API only hands the thread to
    the second. The tracer is put back at the same depth of calls it was taken off at, so
    the calls and returns it sees stay paired (coverage supports a tracer restored so)."""
    tracer = sys.gettrace()
    measuring = tracer is not None and coverage.Coverage.current() is not None
    if not measuring or _paused.tracer is not None:
        yield  # no coverage run here, or already paused
        return
    sys.settrace(None)
    _paused.tracer = tracer
    try:
        yield
    finally:
        _paused.tracer = None
        sys.settrace(tracer)


@contextmanager
def retraced() -> Iterator[None]:
    """Coverage's tracer back on for the block when it runs inside `untraced` code."""
    tracer = _paused.tracer
    if tracer is None:
        yield
        return
    _paused.tracer = None
    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(None)
        _paused.tracer = tracer


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


#: (owner class, method, wrapper) for each module whose functions are paused or traced again.
Wrapping = dict[str, list[tuple[str, str, Callable[[Callable[..., Any]], Callable[..., Any]]]]]


def wrappings() -> Wrapping:
    """UNTRACED and RETRACED, by module: what to wrap in each, and how."""
    wanted: Wrapping = {}
    for functions, wrap in ((UNTRACED, paused), (RETRACED, traced)):
        for module, owner, name in functions:
            wanted.setdefault(module, []).append((owner, name, wrap))
    return wanted


def wrapped(module: ModuleType, wraps: Wrapping) -> list[tuple[type, str, Callable[..., Any]]]:
    """(class, method, wrapped method) for each function `wraps` names in `module`."""
    found = []
    for owner, name, wrap in wraps.get(module.__name__, []):
        cls = getattr(module, owner)
        found.append((cls, name, wrap(getattr(cls, name))))
    return found


class _PauseOnImport(importlib.abc.MetaPathFinder):
    """Finds a module as the other finders would, and wraps its named functions once it has
    run: a process that has not imported WeasyPrint yet pauses in it all the same."""

    def __init__(self, wraps: Wrapping) -> None:
        self.wraps = wraps

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name not in self.wraps:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(name, path, target)
            if spec is not None and spec.loader is not None:
                # This spec's own loader: replacing its method changes no other import.
                spec.loader.exec_module = _then_wrapped(  # type: ignore[method-assign,assignment]
                    spec.loader.exec_module, self.wraps
                )
                return spec
        return None


def _then_wrapped(
    run: Callable[[ModuleType], None], wraps: Wrapping
) -> Callable[[ModuleType], None]:
    """A loader's `exec_module` that then wraps the functions `wraps` names in the module."""

    def exec_module(module: ModuleType) -> None:
        run(module)
        for cls, method, function in wrapped(module, wraps):
            setattr(cls, method, function)

    return exec_module


def pause_on_import() -> None:
    """In a process a test started under coverage: pause in UNTRACED and trace RETRACED, as
    the test's own process does, each from the moment its module is imported."""
    sys.meta_path.insert(0, _PauseOnImport(wrappings()))
