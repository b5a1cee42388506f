"""Shared test helpers: fixture paths and temporary project folders."""

from __future__ import annotations

import gc
import hashlib
import importlib
import json
import math
import os
import pickle
import shutil
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import astuple
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings

from pipeline import config
from pipeline.config import Dirs
from tests import tier, untraced

if TYPE_CHECKING:
    from pipeline.present import chart_sets, render

FIXTURES = Path(__file__).parent / "fixtures"
#: Copies of the files shipped in data/raw (Kenya's real table, programme.yaml, settings.yaml).
#: Tests read these, never the live data/raw, so an officer's own countries, targets or IATI
#: keys never change a test's outcome. After a deliberate change to a shipped file, copy it here.
SEED = FIXTURES / "seed"
#: The folder whose sitecustomize.py pauses coverage in the processes tests start.
CHILDREN = Path(__file__).parent / "children"

# CI decides what lands: there (HYPOTHESIS_PROFILE=ci, set by .ci/run) every property runs a
# fixed sequence of examples, so a run on a clean machine repeats the one checked before it
# landed; elsewhere each run explores new examples and keeps any failure in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None)
# The fast tier (make test-fast, tests/tier.py): properties run a fifth of their examples, and
# those without their own number run 20.
settings.register_profile("fast", max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("fast" if tier.FAST else "default"))

#: A test fails if WeasyPrint logs a warning (tests/quiet_weasyprint.py); pytester tests it.
pytest_plugins = ["tests.quiet_weasyprint", "pytester"]


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests do not wait for the disk. Writes stay atomic (temporary file, then rename), and
    tests/test_outputs.py checks that write_atomic flushes to the disk before it renames; but
    durability after a power cut is not observable in a test, and the suite's ~4,500 fsyncs
    cost about 10 s of a run on an ext4 /tmp."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


#: How many drawn charts a worker keeps (a Kenya brief has six).
CHARTS_KEPT = 256


@pytest.fixture(scope="session", autouse=True)
def _charts_drawn_once_per_worker() -> Iterator[None]:
    """A chart drawn earlier in this worker from the same inputs is reused.

    Drawing and writing the SVG is about 60% of a build with the stand-in PDF renderer, and
    the orchestration tests build the same Kenya again and again. A chart is a pure function
    of its inputs (tests/test_trust.py checks its bytes across processes, each drawing its
    own), so reuse changes no test's outcome: the key is every input, and the drawing function
    itself, so a test that replaces one still sees its own. Each distinct chart is still drawn
    and written, once per worker; tests/test_charts.py calls the drawing functions directly."""
    # Imported here, in the test workers: pytest-xdist's controller loads this file too, and
    # WeasyPrint and matplotlib would hold up the start of the workers by seconds.
    from pipeline.present import brief_context, chart_sets

    drawn: OrderedDict[bytes, chart_sets.Chart] = OrderedDict()
    svgs: OrderedDict[int, tuple[object, str]] = OrderedDict()
    chart, svg = chart_sets._chart, brief_context.figure_svg

    def kept(name: str, spec: Any, rows: Any, fmt: Any, level: Any, s: Any) -> chart_sets.Chart:
        draw = chart_sets.DRAW.get(name, chart_sets.bars)
        try:
            key = hashlib.sha256(
                pickle.dumps((name, spec, rows, repr(fmt), level, s, id(draw)))
            ).digest()
        except (pickle.PicklingError, TypeError, AttributeError):
            return chart(name, spec, rows, fmt, level, s)
        if key not in drawn:
            drawn[key] = chart(name, spec, rows, fmt, level, s)
            if len(drawn) > CHARTS_KEPT:
                drawn.popitem(last=False)
        drawn.move_to_end(key)
        return drawn[key]

    def written(figure: Any) -> str:
        # The figure is kept with its SVG, so its id is never reused while the entry lives.
        if id(figure) not in svgs:
            svgs[id(figure)] = (figure, svg(figure))
            if len(svgs) > CHARTS_KEPT:
                svgs.popitem(last=False)
        return svgs[id(figure)][1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(chart_sets, "_chart", kept)
        patch.setattr(brief_context, "figure_svg", written)
        yield


@pytest.fixture(scope="session", autouse=True)
def _each_document_laid_out_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A real PDF laid out earlier in this run, by any worker, from the same inputs is reused.

    WeasyPrint is the largest cost of the slow tests, and many of them build the shipped
    Kenya. A PDF is a pure function of its inputs (tests/test_trust.py checks its bytes
    across processes, each laying it out), so the key is every input: the HTML, the page
    limit, the attached files and the date, with the project's own templates (a test with
    its own templates is laid out afresh). A render that fails is not kept: it fails again.
    The folder is this run's own (pytest's base temporary folder), so no run sees another's."""
    from pipeline.present import brief, overview, render
    from tests import scenarios  # here: it imports this module's fixture paths

    root = tmp_path_factory.getbasetemp()
    folder = (root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root) / "laid-out"
    folder.mkdir(exist_ok=True)
    templates_dir = config.TEMPLATES_DIR.resolve()
    real = render.html_to_pdf

    def kept(
        html: str,
        templates: Path,
        max_pages: int,
        files: Sequence[render.EmbeddedFile] = (),
        date: datetime | None = None,
    ) -> render.Pdf:
        if Path(templates).resolve() != templates_dir:
            return real(html, templates, max_pages, files, date)
        inputs = (html, max_pages, [astuple(f) for f in files], date)
        path = folder / f"{hashlib.sha256(pickle.dumps(inputs)).hexdigest()}.pdf"
        if path.is_file():
            pages, data = path.read_bytes().split(b"\n", 1)
            return render.Pdf(data, int(pages))
        pdf = real(html, templates, max_pages, files, date)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(f"{pdf.pages}\n".encode() + pdf.data)
        partial.replace(path)  # whole or absent, for the other worker
        return pdf

    with pytest.MonkeyPatch.context() as patch:
        for module in (brief, overview, scenarios):
            patch.setattr(module, "html_to_pdf", kept)
        yield


@pytest.fixture(scope="session", autouse=True)
def _coverage_paused_inside_libraries() -> Iterator[None]:
    """Under `make test`, coverage stops tracing inside the functions tests/untraced.py's
    UNTRACED names, and starts again inside those RETRACED names: in this process, and in every
    Python process a test starts (tests/children/sitecustomize.py, found through PYTHONPATH)."""
    import coverage

    if coverage.Coverage.current() is None:
        yield
        return
    wraps = untraced.wrappings()
    with pytest.MonkeyPatch.context() as patch:
        for name in wraps:
            for cls, method, function in untraced.wrapped(importlib.import_module(name), wraps):
                patch.setattr(cls, method, function)
        patch.setenv("PYTHONPATH", str(CHILDREN), prepend=os.pathsep)
        yield


@pytest.fixture
def dirs(tmp_path: Path) -> Dirs:
    """A raw/processed/reports tree in a temporary folder, with the real programme and settings."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in (config.PROGRAMME_FILE, config.SETTINGS_FILE):
        shutil.copy(SEED / name, raw / name)
    return Dirs(raw=raw, processed=tmp_path / "processed", reports=tmp_path / "reports")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once the tests are collected, the objects every test shares (the imported modules of
    pandas, matplotlib, WeasyPrint, hypothesis and the pipeline) leave the garbage collector's
    care: its full collections no longer walk them, which took about a tenth of a property
    test's time (as `gc.freeze()` after imports does for each build worker, run/parallel.py)."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under `make mutation`, run the fastest tests first: a mutant dies at its first failing
    test (mutmut runs pytest -x), so a killed mutant costs a fraction of a second rather than
    the whole of its tests. Outside mutmut the order is the files' own."""
    if not os.environ.get("MUTANT_UNDER_TEST"):
        return
    stats = Path("mutants") / "mutmut-stats.json"
    if not stats.exists():
        return
    durations: dict[str, float] = json.loads(stats.read_text())["duration_by_test"]
    items.sort(key=lambda item: durations.get(item.nodeid, math.inf))


#: Why the browser tests skip, in one line (pyproject's -rs prints it once, with the count).
NO_CHROMIUM = (
    "Chromium is not installed, so the web editions were not tested in a browser: "
    "install it with `sudo apt-get install chromium` (.ci/run does)."
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium, one for the whole session, driven by playwright (whose own
    browsers are never downloaded). Tests that need it skip, saying so, when it is absent."""
    from tests.goldens import CHROMIUM

    if not CHROMIUM.is_file():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()
