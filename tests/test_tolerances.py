"""Every tolerance on both sides and just past it; every documented token read as documented.

These tests kill the mutants `make mutation` found alive (docs/mutation.md): a Totals row that
is smaller than its territories, a tolerance loosened or miscounted by a decimal, a precision
not shifted for kg or thousands, a Unicode minus read as plus, N/A and Jumla kuu.
"""

from __future__ import annotations

import math
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.check.figures import (
    column_letter,
    overlong_cells,
    representable,
    scaled,
    typed_decimals,
)
from pipeline.check.totals import Kind, totals_kind
from pipeline.core.findings import Severity
from pipeline.read.cells import COMMA, POINT, decimals_written, parse_decimal, parse_number
from pipeline.read.raw import RawRow
from pipeline.run.build import validate_country

HEADER = ["Territory", "Target households", "Products", "PMGs", "Members"]


def _validate(tmp_path: Path, volume: str, value: str, rows: list[tuple[str, str, str]]):
    """kenya.csv with territories (name, volume, value) and the rules it breaks; the last row
    may be a Totals row of two territories."""
    lines = [",".join([*HEADER, f'"{volume}"', f'"{value}"'])]
    for name, vol, val in rows:
        counts = "100,x,2,20" if totals_kind(name, ("Kenya",)) is None else "200,,4,40"
        lines.append(f'{name},{counts},"{vol}","{val}"')
    path = tmp_path / "kenya.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, table, indicators = validate_country(path)
    assert table is not None, result
    errors = [(f.line, f.rule) for f in table.findings if f.severity is Severity.ERROR]
    return table, indicators, errors


MISMATCH = "totals-mismatch"


@pytest.mark.parametrize(
    ("a", "total", "agrees"),
    [
        ("100", "250", True),
        ("100", "249", False),  # a Totals row smaller than its territories
        ("100", "251", False),  # and one larger
        ("100.4", "250", True),  # written to the unit: agrees to half a unit either way
        ("99.6", "250", True),
        ("100.6", "250", False),
        ("99.4", "250", False),
        ("100.54", "250.5", True),  # written to the tenth: half a tenth
        ("100.46", "250.5", True),
        ("100.56", "250.5", False),
        ("100.44", "250.5", False),
        ("100.504", "250.50", True),  # to the hundredth
        ("100.506", "250.50", False),
        ("100.496", "250.50", True),
        ("100.494", "250.50", False),
        ("100.494", "250.5", True),
    ],
)
def test_totals_agree_to_half_the_last_digit_written(
    tmp_path: Path, a: str, total: str, agrees: bool
) -> None:
    rows = [("A", "1", a), ("B", "1", "150"), ("Total", "2", total)]
    _, _, errors = _validate(tmp_path, "Volume sold (t)", "Value (US$)", rows)
    assert errors == ([] if agrees else [(4, MISMATCH)])


@pytest.mark.parametrize(
    ("b", "agrees"),
    [("600", True), ("600.4", True), ("599.6", True), ("600.6", False), ("599.4", False)],
)
def test_a_kg_total_agrees_to_half_a_kilogram(tmp_path: Path, b: str, agrees: bool) -> None:
    """A total written in kg to the unit is precise to the gram's thousand: 0.0005 t."""
    rows = [("A", "400", "1"), ("B", b, "1"), ("Total", "1000", "2")]
    _, _, errors = _validate(tmp_path, "Volume sold (kg)", "Value (US$)", rows)
    assert errors == ([] if agrees else [(4, MISMATCH)])


@pytest.mark.parametrize(
    ("a", "agrees"), [("100", True), ("100.4", True), ("100.6", False), ("99.4", False)]
)
def test_a_total_in_thousands_agrees_to_half_a_thousand(
    tmp_path: Path, a: str, agrees: bool
) -> None:
    rows = [("A", "1", a), ("B", "1", "150"), ("Total", "2", "250")]
    table, _, errors = _validate(tmp_path, "Volume sold (t)", "Value ('000) (US$)", rows)
    assert errors == ([] if agrees else [(4, MISMATCH)])
    assert table.totals[0].figures["value_usd"] == 250_000


def test_a_mismatch_names_both_figures(tmp_path: Path) -> None:
    rows = [("A", "1", "1000.25"), ("B", "1", "1500"), ("Total", "2", "2,600")]
    table, _, _ = _validate(tmp_path, "Volume sold (t)", "Value (US$)", rows)
    (finding,) = [f for f in table.findings if f.rule == MISMATCH]
    assert finding.value == "2,600" and finding.column == "Value (US$)"
    assert "says 2,600 for Value (US$)" in finding.message
    assert "add up to 2,500.25." in finding.message
    rows = [("A", "1", "1000.5"), ("B", "1", "1500"), ("Total", "2", "2,600")]
    table, _, _ = _validate(tmp_path, "Volume sold (t)", "Value (US$)", rows)
    (finding,) = [f for f in table.findings if f.rule == MISMATCH]
    assert "add up to 2,500.5." in finding.message


def test_a_subtotal_row_is_a_warning_naming_it(tmp_path: Path) -> None:
    rows = [("A", "1", "100"), ("Sub-total East", "1", "100"), ("B", "1", "150")]
    table, _, errors = _validate(tmp_path, "Volume sold (t)", "Value (US$)", rows)
    assert errors == [] and list(table.territories["territory"]) == ["A", "B"]
    (finding,) = [f for f in table.findings if f.rule == "subtotal-row"]
    assert (finding.severity, finding.line) == (Severity.WARNING, 3)
    assert (finding.column, finding.value) == ("Territory", "Sub-total East")
    assert finding.message == (
        '"Sub-total East" is a subtotal row: it is not a territory and is left out of the sums.'
    )


def test_a_total_of_a_column_nobody_reported_must_be_zero(tmp_path: Path) -> None:
    rows = [("A", "1", "-"), ("B", "1", "n/a"), ("Total", "2", "5")]
    table, _, errors = _validate(tmp_path, "Volume sold (t)", "Value (US$)", rows)
    assert errors == [(4, MISMATCH)]
    (finding,) = [f for f in table.findings if f.rule == MISMATCH]
    assert finding.message.endswith("but the territories add up to 0.")
    rows = [("A", "1", "-"), ("B", "1", "n/a"), ("Total", "2", "0")]
    _, _, errors = _validate(tmp_path, "Volume sold (t)", "Value (US$)", rows)
    assert errors == []


@pytest.mark.parametrize("label", ["Jumla kuu", "JUMLA KUU:", "Jumla", "Total général"])
def test_swahili_and_french_totals_rows_reconcile(tmp_path: Path, label: str) -> None:
    assert totals_kind(label) is Kind.TOTAL
    rows = [("A", "1", "100"), ("B", "1", "150"), (label, "2", "251")]
    table, _, errors = _validate(tmp_path, "Volume sold (t)", "Value (US$)", rows)
    assert errors == [(4, MISMATCH)]
    assert list(table.territories["territory"]) == ["A", "B"]


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Jumla kuu Kenya", Kind.TOTAL),
        ("Kenya jumla kuu", Kind.TOTAL),
        ("Jumla kuu Eastern", Kind.SUBTOTAL),
        ("Eastern jumla", Kind.SUBTOTAL),
        ("Eastern sub total", Kind.SUBTOTAL),
        # A region's name of three words and more before or after the word
        ("Upper Tana River total", Kind.SUBTOTAL),
        ("Upper Tana River subtotal", Kind.SUBTOTAL),
        ("Upper Tana River sub total", Kind.SUBTOTAL),
        ("Total Upper Tana River", Kind.SUBTOTAL),
        ("Subtotal Upper Tana River", Kind.SUBTOTAL),
        ("Upper Tana River", None),
        ("Sub totals", Kind.SUBTOTAL),
        ("Eastern", None),
        ("Jumlaville", None),
        ("---", None),
    ],
)
def test_totals_words_with_and_without_names(label: str, kind: Kind | None) -> None:
    assert totals_kind(label, ("Kenya",)) is kind


@pytest.mark.parametrize("minus", ["-", "\u2212"])
def test_a_minus_sign_in_either_form_is_negative(minus: str) -> None:
    assert parse_number(f"{minus}4", POINT) == -4.0
    assert parse_number(f"{minus}1,234.5", POINT) == -1234.5
    assert parse_number(f"{minus}1.234,5", COMMA) == -1234.5
    assert parse_number("+4", POINT) == 4.0
    assert parse_decimal(f"{minus}0,25", COMMA) == parse_decimal("-0.25", POINT)


def test_a_unicode_minus_in_a_file_is_a_negative_figure_refused(tmp_path: Path) -> None:
    rows = [("A", "1", "\u2212100"), ("B", "1", "150")]
    _, _, errors = _validate(tmp_path, "Volume sold (t)", "Value (US$)", rows)
    assert (2, "type-error") not in errors
    assert errors and all(line == 2 for line, _ in errors), errors


@pytest.mark.parametrize(
    ("text", "fmt", "places"),
    [("12", POINT, 0), ("12.5", POINT, 1), ("1,234.50", POINT, 2), ("12,125", COMMA, 3)],
)
def test_decimals_written_is_the_precision_of_the_text(text: str, fmt, places: int) -> None:
    assert decimals_written(text, fmt) == places
    assert decimals_written(f"  {text} ", fmt) == places


def test_decimals_written_of_a_non_number_is_zero() -> None:
    assert decimals_written("abc", POINT) == 0


@pytest.mark.parametrize("marker", ["N/A", "n/a", "-", "\u2013", "\u2014", ""])
def test_not_reported_is_a_gap_never_a_zero(tmp_path: Path, marker: str) -> None:
    rows = [("A", "1", marker), ("B", "1", "150")]
    table, indicators, errors = _validate(tmp_path, "Volume sold (t)", "Value (US$)", rows)
    assert errors == []
    values = list(table.territories["value_usd"])
    assert math.isnan(values[0]) and values[1] == 150
    assert indicators is not None
    assert math.isnan(indicators["value_per_member_usd"].iloc[0])


@pytest.mark.parametrize(
    ("index", "letters"),
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (51, "AZ"), (52, "BA"), (701, "ZZ")]
    + [(702, "AAA")],
)
def test_column_letters_are_excels(index: int, letters: str) -> None:
    assert column_letter(index) == letters


@pytest.mark.parametrize(
    ("number", "places"),
    [(1.25, 2), (3.5, 1), (1e-7, 7), (0.1 + 0.2, 15), (1e-20, 15), (1e21, 0), (-2.5, 1)],
)
def test_a_typed_number_carries_the_decimals_excel_shows(number: float, places: int) -> None:
    assert typed_decimals(number) == places


@pytest.mark.parametrize(
    ("value", "text", "ok"),
    [
        (1.0, "1", True),
        (0.0, "0", True),
        (0.0, "0.000", True),
        (0.0, "-0", True),
        (0.0, "0.0001e-400", False),  # a non-zero text that underflowed to 0
        (0.0, "5e-400", False),
        (math.inf, "1e400", False),
        (-math.inf, "-1e400", False),
        (1e-310, "1e-310", False),  # subnormal
        (-1e-310, "-1e-310", False),
        (2.3e-308, "2.3e-308", True),  # just above the smallest normal float
        (sys.float_info.min, "2.2250738585072014e-308", True),  # the smallest normal float
        (1e308, "1e308", True),
    ],
)
def test_only_finite_normal_figures_are_representable(value: float, text: str, ok: bool) -> None:
    assert representable(value, text) is ok


def test_scaling_is_exact_and_minus_zero_is_zero() -> None:
    assert scaled(13.103, Decimal("13.103"), Decimal(1000)) == 13103.0
    assert scaled(0.1, Decimal("0.1"), Decimal("0.001")) == 0.0001
    assert str(scaled(-0.0, Decimal("-0"), Decimal(1000))) == "0.0"
    assert str(scaled(-0.0, None, Decimal(1))) == "0.0"
    assert scaled(7.5, None, Decimal(1000)) == 7.5  # a typed number already in its unit
    assert scaled(2.0, Decimal("NaN"), Decimal(1000)) == 2.0
    assert scaled(3.0, Decimal(3), Decimal(2)) == 6.0  # any factor but 1 multiplies


def test_overlong_cells_are_those_past_the_limit() -> None:
    row = RawRow(2, ("abc", "abcd", "", "abcde"), "abc,abcd,,abcde")
    assert overlong_cells(row, 3) == [1, 3]
    assert overlong_cells(row, 5) == []


def test_a_figure_past_range_is_an_error_naming_its_text(tmp_path: Path) -> None:
    rows = [("A", "1", "9" * 400), ("B", "1", "150")]
    table, _, errors = _validate(tmp_path, "Volume sold (t)", "Value (US$)", rows)
    assert (2, "number-out-of-range") in errors
    (finding,) = [f for f in table.findings if f.rule == "number-out-of-range"]
    assert finding.value == "9" * 40 + "…" and finding.column == "Value (US$)"
    assert math.isnan(table.territories["value_usd"].iloc[0]) if len(table.territories) else True


PERIODS = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$),Period"


def _period_errors(tmp_path: Path, body: str) -> list[tuple[int | None, str]]:
    path = tmp_path / "kenya.csv"
    path.write_text(f"{PERIODS}\n{body}", encoding="utf-8")
    result, table, _ = validate_country(path)
    assert table is not None, result
    return [(f.line, f.rule) for f in table.findings if f.severity is Severity.ERROR]


def test_each_period_totals_row_is_reconciled_with_its_own_period(tmp_path: Path) -> None:
    body = (
        "A,100,x,2,20,1,100,2004\nB,100,x,2,20,1,150,2004\nTotal,200,,4,40,2,250,2004\n"
        "A,100,x,2,20,1,10,2005\nB,100,x,2,20,1,15,2005\nTotal,200,,4,40,2,25,2005\n"
    )
    assert _period_errors(tmp_path, body) == []
    assert _period_errors(tmp_path, body.replace(",25,2005", ",275,2005")) == [(7, MISMATCH)]


def test_a_totals_row_without_a_period_is_the_whole_file(tmp_path: Path) -> None:
    body = "A,100,x,2,20,1,100,2004\nB,100,x,2,20,1,150,2004\nTotal,200,,4,40,2,250,\n"
    assert _period_errors(tmp_path, body) == []


def test_a_period_with_a_totals_row_alone_adds_up_to_zero(tmp_path: Path) -> None:
    body = (
        "A,100,x,2,20,1,100,2004\nB,100,x,2,20,1,150,2004\nTotal,200,,4,40,2,250,2004\n"
        "Total,0,,0,0,0,1,2005\n"
    )
    assert _period_errors(tmp_path, body) == [(5, MISMATCH)]
