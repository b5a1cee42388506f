"""A pytest plugin: any test during which WeasyPrint logs a warning or an error fails.

As in WeasyPrint's own test suite, a log line from the renderer is a defect of the test's
subject (a missing glyph, an ignored CSS rule, a refused fetch), even when a PDF came out.
A test that provokes such a log on purpose says so with `@pytest.mark.weasyprint_logs_expected`.
"""

from __future__ import annotations

import logging
from collections.abc import Generator

import pytest

LOGGER = "weasyprint"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "weasyprint_logs_expected: the test provokes WeasyPrint warnings on purpose"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    handler = _Collect()
    logger = logging.getLogger(LOGGER)
    logger.addHandler(handler)
    try:
        result = yield
    finally:
        logger.removeHandler(handler)
    if handler.records and item.get_closest_marker("weasyprint_logs_expected") is None:
        lines = "\n".join(f"  {r.levelname}: {r.getMessage()}" for r in handler.records)
        pytest.fail(f"WeasyPrint logged during the test:\n{lines}", pytrace=False)
    return result
