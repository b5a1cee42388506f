"""Planned column widths: they fill the text width exactly, figures always fit, and the
longest text gets the widest column (present/table_layout.py), for any table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.formatting import Formatter
from pipeline.present.brief_tables import impact_table
from pipeline.present.measure import text_mm
from pipeline.present.table_layout import (
    PADDING_MM,
    SLACK_MM,
    TEXT_WIDTH_MM,
    lines,
    number_column,
    plan,
    text_column,
)
from tests.tier import examples

WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=30)
TEXTS = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
FIGURES = st.integers(0, 10**10).map(lambda n: f"{n:,}")


@settings(max_examples=examples(200), deadline=None)
@given(
    texts=st.lists(st.lists(TEXTS, min_size=1, max_size=6), min_size=0, max_size=3),
    figures=st.lists(st.lists(FIGURES, min_size=1, max_size=6), min_size=1, max_size=9),
)
def test_widths_fill_the_text_width_and_every_figure_fits(
    texts: list[list[str]], figures: list[list[str]]
) -> None:
    columns = [text_column(t) for t in texts] + [number_column(f) for f in figures]
    laid = plan(columns)
    assert sum(laid.widths) == pytest.approx(100, abs=0.01)
    mm = [w * TEXT_WIDTH_MM / 100 for w in laid.widths]
    for width, column in zip(mm, columns, strict=True):
        # A figure never wraps: its column holds the widest of them (at the table's scale).
        assert width >= column.need * laid.scale + PADDING_MM - 1e-6
    if laid.scale < 1:  # only when the figures alone are wider than the page
        assert sum(c.need + PADDING_MM + SLACK_MM for c in columns) > TEXT_WIDTH_MM


@settings(max_examples=examples(100), deadline=None)
@given(short=TEXTS, extra=st.lists(WORDS, min_size=4, max_size=20))
def test_the_longer_text_gets_the_wider_column(short: str, extra: list[str]) -> None:
    long = " ".join([short, *extra])
    figures = [number_column(["140,653"]) for _ in range(5)]
    laid = plan([text_column([short]), text_column([long]), *figures])
    assert laid.widths[1] >= laid.widths[0] - 1e-6


def test_a_hundred_character_name_gets_the_widest_column() -> None:
    """The issue's example: the name wrapped to six lines in a narrow column while Products
    had spare width."""
    name = (
        "Northern Highlands Agro-Pastoral Livelihood Zone incorporating the Upper Rift "
        "Valley Settlement Area"
    )
    fmt = Formatter()

    def row(territory: str, products: str) -> dict:
        return {
            "territory": territory,
            "flagged": False,
            "products": [{"name": p, "note": ""} for p in products.split(", ")],
            "numbers": [{"text": "1,234", "note": ""} for _ in range(5)],
        }

    rows = [row(name, "milk"), row("Arusha", "groundnuts, honey, sweet potato, beans")]
    totals = [{"text": "99,999", "note": ""} for _ in range(5)]
    table = impact_table(rows, totals, [], {}, fmt)
    widths = table["widths"]
    assert widths[0] == max(widths)
    name_mm = widths[0] * TEXT_WIDTH_MM / 100 - PADDING_MM - SLACK_MM
    # The name wraps to three lines at most: it is about 150 mm long on one line.
    assert lines([text_mm(w, 8, bold=True) for w in name.split()], 1.0, name_mm) <= 3


def test_lines_counts_wrapped_and_broken_words() -> None:
    assert lines([10, 10, 10], 1, 35) == 1
    assert lines([10, 10, 10], 1, 21) == 2
    assert lines([50], 1, 20) == 3  # a word wider than the line breaks inside it
