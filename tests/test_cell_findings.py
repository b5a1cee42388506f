"""Each cell that is not a figure says so in its own words, naming its cell; the rest of its row
is still read."""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook

from pipeline.core.findings import Severity
from pipeline.run.build import validate_country

HEADER = ["Territory", "Target households", "Products", "PMGs", "Members", "Volume sold (t)"]
HEADER += ["Value (US$)", "Notes"]


def _errors(path: Path):
    result, table, _ = validate_country(path)
    assert table is not None, result
    return table, [f for f in table.findings if f.severity is Severity.ERROR]


def test_error_values_and_text_are_findings_naming_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "kenya.csv"
    rows = ["A,100,x,2,20,1,#DIV/0!,#N/A", "B,100,x,2,20,1 t,150,ok"]
    path.write_text("\n".join([",".join(HEADER), *rows]) + "\n", encoding="utf-8")
    table, (error_value, type_error) = _errors(path)
    assert (error_value.line, error_value.column, error_value.value) == (
        2,
        "Value (US$)",
        "#DIV/0!",
    )
    assert error_value.rule == "error-value"
    assert error_value.message == (
        "Cell G2 holds the spreadsheet error #DIV/0!: the formula behind it failed, so the "
        "figure is unknown. It is not read as not reported (write -, n/a or leave the cell "
        "blank for that)."
    )
    assert (type_error.line, type_error.column, type_error.value) == (3, "Volume sold (t)", "1 t")
    assert type_error.rule == "type-error"
    assert type_error.message == (
        '"1 t" is not a number in this file\'s format (decimal point, comma thousands).'
    )
    a, b = table.territories.to_dict("records")
    assert math.isnan(a["value_usd"]) and a["volume_sold_t"] == 1.0
    assert a["notes"] == "#N/A"  # a note is words: an error value there is only text
    assert math.isnan(b["volume_sold_t"]) and b["value_usd"] == 150.0 and b["notes"] == "ok"


def test_a_formula_without_a_value_names_its_cell(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["A", 100, "x", 2, 20, 1, "=2*50", "fine"])
    sheet.append(["B", 100, "x", 2, 20, 1, 150, None])
    path = tmp_path / "kenya.xlsx"
    book.save(path)
    table, (error,) = _errors(path)
    assert (error.line, error.column, error.value) == (2, "Value (US$)", "G2")
    assert error.message == (
        "Cell G2 holds a formula with no stored value, so its figure is unknown."
    )
    a, b = table.territories.to_dict("records")
    assert math.isnan(a["value_usd"]) and a["notes"] == "fine"
    assert b["notes"] is None or (isinstance(b["notes"], float) and math.isnan(b["notes"]))


def test_a_typed_figure_keeps_its_precision_and_unit(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([*HEADER[:5], "Volume sold (kg)", "Value ('000) (US$)"])
    sheet.append(["A", 100, "x", 2, 20, 1500.5, 1.25])
    sheet.append(["B", 100, "x", 2, 20, "2,000", "0.5"])
    sheet.append(["Total", 200, None, 4, 40, 3500.5, 1.75])
    path = tmp_path / "kenya.xlsx"
    book.save(path)
    table, errors = _errors(path)
    assert errors == []
    a, b = table.territories.to_dict("records")
    assert (a["volume_sold_t"], a["value_usd"]) == (1.5005, 1250.0)
    assert (b["volume_sold_t"], b["value_usd"]) == (2.0, 500.0)
    (total,) = table.totals
    # 3500.5 kg is to the tenth of a kg: four decimals of a tonne; 1.75 thousand, to the ten
    assert total.decimals["volume_sold_t"] == 4 and total.decimals["value_usd"] == -1


def test_a_typed_figure_past_range_names_its_number(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append([*HEADER[:6], "Value ('000) (US$)"])
    sheet.append(["A", 100, "x", 2, 20, 1, 1e308])
    sheet.append(["B", 100, "x", 2, 20, 1, 150])
    path = tmp_path / "kenya.xlsx"
    book.save(path)
    table, (error,) = _errors(path)
    assert (error.line, error.rule, error.value) == (2, "number-out-of-range", "1e+308")
    assert math.isnan(table.territories.to_dict("records")[0]["value_usd"])


def test_a_figure_past_range_after_a_blank_one_is_still_found(tmp_path: Path) -> None:
    path = tmp_path / "kenya.csv"
    rows = ["A,100,x,2,20,-," + "9" * 400 + ",", "B,100,x,2,20,1,150,"]
    path.write_text("\n".join([",".join(HEADER), *rows]) + "\n", encoding="utf-8")
    _, (error,) = _errors(path)
    assert (error.line, error.column, error.rule) == (2, "Value (US$)", "number-out-of-range")
    assert error.value == "9" * 40 + "…"
