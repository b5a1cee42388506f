"""The suite stays honest: it never reads the officer's live folders, never rewrites a golden."""

from __future__ import annotations

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import coverage
import pytest

from tests.untraced import retraced, untraced

TESTS = Path(__file__).parent
#: The project's live folders: an officer's own data and outputs. Tests use copies of the seed
#: files (tests/fixtures/seed) in temporary folders instead.
LIVE = {"RAW_DIR", "PROCESSED_DIR", "REPORTS_DIR"}


#: Developer commands kept beside the tests: `make gallery` writes into reports/gallery.
COMMANDS = {"gallery.py"}


def _sources() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "fixtures" not in p.parts)


@pytest.mark.parametrize(
    "path", [p for p in _sources() if p.name not in COMMANDS], ids=lambda p: p.name
)
def test_no_test_reads_the_live_data_folders(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    live = [
        f"line {node.lineno}: {node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in LIVE
    ]
    live += [
        f"line {node.lineno}: Dirs() with the default folders"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Dirs"
        and not node.args
        and not any(k.arg == "raw" for k in node.keywords)
    ]
    assert not live, f"{path.name} reads the live folders: {live}"


def test_only_make_goldens_writes_a_golden() -> None:
    writers = [
        f"{path.name}, line {node.lineno}"
        for path in _sources()
        if path.name != "goldens.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("write_text", "write_bytes")
        and "golden" in ast.unparse(node.func.value).lower()
    ]
    assert not writers, f"only tests/goldens.py (make goldens) may write a golden: {writers}"


def test_every_property_scales_its_examples_with_the_tier() -> None:
    """A property's own max_examples goes through tests.tier.examples(), so the fast tier runs
    a fifth of them: a bare number would hold `make test-fast` to the full count."""
    bare = [
        f"{path.name}, line {node.lineno}"
        for path in _sources()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.keyword)
        and node.arg == "max_examples"
        and isinstance(node.value, ast.Constant)
        and path.name != "conftest.py"  # the fast profile's own default
    ]
    assert not bare, f"write max_examples=examples(N) (tests/tier.py): {bare}"


def _pauses_and_resumes() -> None:
    tracer = sys.gettrace()
    measured = coverage.Coverage.current() is not None
    assert (tracer is not None) == measured
    with untraced():
        assert sys.gettrace() is None
        with untraced():
            assert sys.gettrace() is None
        with retraced():
            assert (sys.gettrace() is not None) == measured
        assert sys.gettrace() is None
    assert (sys.gettrace() is not None) == measured


def test_coverage_pauses_inside_libraries_and_resumes_for_their_calls_back() -> None:
    """tests/untraced.py: paused code (a library) turns the coverage run's tracer off; a call
    back into pipeline/ from it is traced again; nested pauses are one; without a run (make
    test-fast), nothing changes. So in any thread too (a Dask worker builds in its own), while
    this thread stays paused."""
    _pauses_and_resumes()
    with untraced(), ThreadPoolExecutor(1) as pool:
        pool.submit(_pauses_and_resumes).result()
        assert sys.gettrace() is None


def test_a_process_a_test_starts_pauses_in_the_same_libraries() -> None:
    """tests/children/sitecustomize.py: a Python process started by a test under a coverage
    run pauses inside UNTRACED (here odfpy's save) from the module's first import, and is
    traced again inside RETRACED; without a run (make test-fast) nothing is wrapped."""
    code = (
        "import odf.opendocument, matplotlib.ticker as t;"
        "print(hasattr(odf.opendocument.OpenDocument.save, '__wrapped__'),"
        " hasattr(t.FuncFormatter.__call__, '__wrapped__'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    measured = coverage.Coverage.current() is not None
    assert done.stdout.split() == [str(measured)] * 2, done.stderr
