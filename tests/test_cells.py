"""Numbers parse under one format per file; products keep their notes."""

import math

import pytest

from pipeline.read.cells import COMMA, POINT, Product, parse_number, product_list, settle_format


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("13,103", POINT, 13103.0),
        ("3.5", POINT, 3.5),
        (" 447 ", POINT, 447.0),
        ("1,234,567.25", POINT, 1234567.25),
        ("3,5", COMMA, 3.5),
        ("13.103", COMMA, 13103.0),
        ("13\u202f103", COMMA, 13103.0),
        ("-4", POINT, -4.0),
        ("about 30", POINT, None),
        ("n.a.", POINT, None),
        ("13,10", POINT, None),
        ("1.2.3", POINT, None),
        ("30%", POINT, None),
    ],
)
def test_parse_number(text: str, fmt, expected: float | None) -> None:
    result = parse_number(text, fmt)
    assert result == expected or (expected is None and result is None)
    assert result is None or not math.isnan(result)


@pytest.mark.parametrize(
    ("delimiter", "numeric", "counts", "expected"),
    [
        (",", ["13,103", "3.5"], ["5,000"], POINT),
        (";", ["13.103", "3,5"], ["5.000"], COMMA),
        (";", ["447"], ["5.000"], COMMA),
        (";", ["447"], ["5,000"], POINT),
        (";", ["447"], ["447"], COMMA),
        (",", ["447"], ["447"], POINT),
    ],
)
def test_settle_format(delimiter: str, numeric: list[str], counts: list[str], expected) -> None:
    assert settle_format(delimiter, numeric, counts) == expected


def test_product_list_keeps_notes_and_ampersands() -> None:
    assert product_list("greengrams, cotton (not sold yet)") == [
        Product("greengrams"),
        Product("cotton", "not sold yet"),
    ]
    assert product_list("fish & horticulture; kales (a, b)") == [
        Product("fish & horticulture"),
        Product("kales", "a, b"),
    ]
    assert str(Product("cotton", "not sold yet")) == "cotton (not sold yet)"
