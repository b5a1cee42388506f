"""Shared test helpers: fixture paths and temporary project folders."""

from __future__ import annotations

import json
import math
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from pipeline import config
from pipeline.config import Dirs

FIXTURES = Path(__file__).parent / "fixtures"
#: Copies of the files shipped in data/raw (Kenya's real table, programme.yaml, settings.yaml).
#: Tests read these, never the live data/raw, so an officer's own countries, targets or IATI
#: keys never change a test's outcome. After a deliberate change to a shipped file, copy it here.
SEED = FIXTURES / "seed"

# CI decides what lands: there (HYPOTHESIS_PROFILE=ci, set by .ci/run) every property runs a
# fixed sequence of examples, so a run on a clean machine repeats the one checked before it
# landed; elsewhere each run explores new examples and keeps any failure in .hypothesis/.
settings.register_profile("ci", derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

#: A test fails if WeasyPrint logs a warning (tests/quiet_weasyprint.py); pytester tests it.
pytest_plugins = ["tests.quiet_weasyprint", "pytester"]


@pytest.fixture
def dirs(tmp_path: Path) -> Dirs:
    """A raw/processed/reports tree in a temporary folder, with the real programme and settings."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in (config.PROGRAMME_FILE, config.SETTINGS_FILE):
        shutil.copy(SEED / name, raw / name)
    return Dirs(raw=raw, processed=tmp_path / "processed", reports=tmp_path / "reports")


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
