"""Shared test helpers: fixture paths, temporary project folders and log capture."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import config
from pipeline.config import Dirs

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def dirs(tmp_path: Path) -> Dirs:
    """A raw/processed/reports tree in a temporary folder, with the real programme and settings."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in (config.PROGRAMME_FILE, config.SETTINGS_FILE):
        shutil.copy(config.RAW_DIR / name, raw / name)
    return Dirs(raw=raw, processed=tmp_path / "processed", reports=tmp_path / "reports")


@pytest.fixture
def weasyprint_logs(caplog: pytest.LogCaptureFixture) -> Iterator[list[logging.LogRecord]]:
    """WeasyPrint's log records during a test; rendering tests assert there are none."""
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        records: list[logging.LogRecord] = []
        yield records
        records.extend(
            r
            for r in caplog.records
            if r.name.startswith("weasyprint") and r.levelno >= logging.WARNING
        )
