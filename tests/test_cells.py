"""Numbers parse under one format per file; products keep their notes."""

import math

import pytest

from pipeline.read.cells import (
    COMMA,
    POINT,
    CellText,
    Product,
    parse_number,
    product_list,
    settle,
    settle_format,
)
from tests.tier import examples


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


# --- #19 rule 2: the number format is settled from all cells; doubt refuses, never guesses.

from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.read.cells import (
    Settlement,
    is_error_value,
    is_missing,
    parse_decimal,
)

#: How offices write a number: decimal mark, thousands separator, delimiter of their files.
DIALECTS = [
    (".", ",", ","),
    (",", ".", ";"),
    (",", " ", ";"),
    (".", ",", "\t"),
    (".", "", ","),
]


def written(value: Decimal, decimal: str, group: str, grouped: bool) -> str:
    whole, _, frac = f"{value:f}".partition(".")
    if grouped and group:
        whole = f"{int(whole):,}".replace(",", group)
    return whole + (decimal + frac if frac else "")


def _unambiguous(text: str) -> bool:
    """A cell that reads as one number, whatever the format (or in one format only)."""
    readings = {parse_decimal(text, f) for f in (POINT, COMMA)} - {None}
    return len(readings) == 1


@st.composite
def files(draw: st.DrawFn) -> tuple[str, list[tuple[CellText, Decimal]]]:
    """A file's numeric cells in one dialect, with at most one cell typed in another way."""
    decimal, group, delimiter = draw(st.sampled_from(DIALECTS))
    grouped = draw(st.booleans())
    cells = []
    for line in range(2, 2 + draw(st.integers(1, 8))):
        count = draw(st.booleans())
        places = 0 if count else draw(st.integers(0, 3))
        value = draw(st.decimals(0, 9_999_999, places=places))
        cells.append(
            (CellText(line, "Value", written(value, decimal, group, grouped), count), value)
        )
    if draw(st.booleans()):  # one cell typed in another dialect, as a field office might
        other_decimal, other_group, _ = draw(st.sampled_from(DIALECTS))
        value = draw(st.decimals(0, 99_999, places=draw(st.integers(0, 3))))
        text = written(value, other_decimal, other_group, draw(st.booleans()))
        if _unambiguous(text):  # "13,103" alone is either number: no reader can know
            cells.append((CellText(99, "Volume", text), value))
    return delimiter, cells


@given(files())
@settings(max_examples=examples(300), deadline=None)
def test_every_cell_is_read_as_written_or_the_file_is_refused(file) -> None:
    delimiter, cells = file
    settled = settle(delimiter, [c for c, _ in cells])
    if settled.doubts:
        return  # refused, naming the cell
    for cell, value in cells:
        assert parse_decimal(cell.text, settled.fmt) == value, (cell, settled.fmt)


@given(
    st.lists(st.decimals(1000, 9_999_999, places=0), min_size=1, max_size=4),
    st.lists(st.decimals(0, 999, places=3), min_size=1, max_size=4),
    st.sampled_from(["\t", ","]),
    st.sampled_from([" ", "\u00a0", "\u202f"]),
)
@settings(max_examples=examples(100), deadline=None)
def test_thousands_written_with_spaces_make_the_comma_the_decimal_mark(
    counts: list[Decimal], volumes: list[Decimal], delimiter: str, space: str
) -> None:
    """French Excel's tab ("Unicode Text") or quoted-comma export: "5 000" and "1,250". A
    file groups thousands one way, so "1,250" is 1.25, never 1,250 (#20's CSV trial)."""
    cells = [CellText(2 + i, "Households", written(v, ",", space, True), True) for i, v in
             enumerate(counts)]  # fmt: skip
    cells += [CellText(10 + i, "Volume", written(v, ",", space, True)) for i, v in
              enumerate(volumes)]  # fmt: skip
    settled = settle(delimiter, cells)
    assert not settled.doubts
    for cell, value in zip(cells, [*counts, *volumes], strict=True):
        assert parse_decimal(cell.text, settled.fmt) == value, cell


def test_thousands_beside_a_decimal_comma_are_refused_naming_both() -> None:
    cells = [CellText(3, "Value (US$)", "13,103"), CellText(6, "Volume sold (t)", "3,5")]
    (doubt,) = settle(",", cells).doubts
    assert (doubt.cell.line, doubt.rule) == (3, "mixed-number-formats")
    assert doubt.other is not None and doubt.other.line == 6
    assert '"13,103" (line 3, Value (US$))' in doubt.message and '"3,5" (line 6' in doubt.message


def test_a_decimal_point_in_a_semicolon_file_settles_no_doubt_on_its_own() -> None:
    cells = [CellText(2, "Volume", "12,125"), CellText(3, "Volume", "3.5")]
    (doubt,) = settle(";", cells).doubts
    assert doubt.cell.line == 2 and doubt.other is not None and doubt.other.line == 3


def test_a_grouped_count_beside_a_decimal_comma_is_a_contradiction() -> None:
    cells = [CellText(2, "Target households", "5,000", count=True)]
    cells.append(CellText(5, "Volume sold (t)", "3,5"))
    (doubt,) = settle(",", cells).doubts
    assert doubt.rule == "mixed-number-formats"
    assert "5,000 is a count, so its comma separates thousands" in doubt.message


@pytest.mark.parametrize(
    ("delimiter", "cells", "expected"),
    [
        # A decimal comma with thousands in points or spaces: "12,125" has three decimals.
        (";", [("12,125", False), ("1.234,5", False)], Decimal("12.125")),
        (";", [("12,125", False), ("13 103", False), ("3,5", False)], Decimal("12.125")),
        # Three decimals written elsewhere in the same column.
        (";", [("12,125", False), ("0,250", False)], Decimal("12.125")),
        # A decimal point in a comma file: the comma can only separate thousands.
        (",", [("12,125", False), ("3.5", False)], Decimal(12125)),
        # A decimal comma in a tab file, proven by two cells, with thousands in points.
        ("\t", [("12,125", False), ("3,5", False), ("1.234,5", False)], Decimal("12.125")),
    ],
)
def test_an_ambiguous_cell_proven_by_the_rest_of_the_file(delimiter, cells, expected) -> None:
    settled = settle(delimiter, [CellText(i, "Volume", t, c) for i, (t, c) in enumerate(cells, 2)])
    assert not settled.doubts
    assert parse_decimal("12,125", settled.fmt) == expected


@pytest.mark.parametrize(
    "text", ["#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#n/a", "Err:502"]
)
def test_error_values_are_errors_never_not_reported(text: str) -> None:
    assert is_error_value(text) and not is_missing(text)


@pytest.mark.parametrize("text", ["N/A", "n/a", "-", "", "–"])
def test_not_reported_markers_are_not_errors(text: str) -> None:
    assert is_missing(text) and not is_error_value(text)


def test_a_format_is_described_in_plain_words() -> None:
    assert POINT.label == "decimal point, comma thousands"
    assert COMMA.label == "decimal comma, point or space thousands"


def test_a_doubt_says_both_readings_and_what_proved_the_format() -> None:
    cells = [CellText(2, "Volume", "12,125"), CellText(3, "Volume", "3,5")]
    (doubt,) = settle(",", cells).doubts
    assert doubt.message == (
        '"12,125" (line 2, Volume) reads as 12.125 in the format as "3,5" (line 3, Volume) has '
        "a decimal comma, but as 12,125 in the usual format of this kind of file; nothing else "
        "in the file says which, so its figures cannot be read for sure."
    )
    cells = [CellText(2, "Volume", " 12,125 "), CellText(3, "Volume", "3.5")]
    (doubt,) = settle(";", cells).doubts
    assert doubt.message.startswith(
        '"12,125" (line 2, Volume) reads as 12,125 in the format as "3.5" (line 3, Volume) has '
        "a decimal point, but as 12.125 in the usual"
    )


def test_two_formats_in_one_file_name_both_cells_in_line_order() -> None:
    cells = [CellText(7, "Value", "3,5"), CellText(4, "Volume", "1,234.5")]
    settled = settle(",", cells)
    (doubt,) = settled.doubts
    assert (doubt.cell.line, doubt.other.line if doubt.other else None) == (4, 7)
    assert doubt.message == (
        '"1,234.5" (line 4, Volume) and "3,5" (line 7, Value) are written in two different '
        "number formats (1,234.5 has a decimal point; 3,5 has a decimal comma): one file "
        "cannot use both, so none of its figures can be read for sure."
    )
    assert settled.proof is not None and settled.proof.line == 4


def test_the_proof_of_a_format_is_its_first_cell() -> None:
    cells = [CellText(2, "V", "447"), CellText(3, "V", "3,5"), CellText(4, "V", "2,25")]
    settled = settle(",", cells)
    assert settled.fmt == COMMA and settled.proof is not None and settled.proof.line == 3
    none = settle(";", [CellText(2, "V", "1.500")])
    assert (none.fmt, none.proof, none.doubts) == (COMMA, None, ())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a (x, y); b,, c (note) ; (z)", ["a (x, y)", "b", "c (note)", "(z)"]),
        # One product a line, as Alt+Enter writes them in a cell.
        ("maize\nbeans\r\nsoya (not sold yet)", ["maize", "beans", "soya (not sold yet)"]),
        ("  maize  grain ", ["maize grain"]),
        ("XL-7 maize; Ex sorghum", ["XL-7 maize", "Ex sorghum"]),  # split on , and ; only
        ("", []),
    ],
)
def test_products_split_outside_brackets(text: str, expected: list[str]) -> None:
    assert [str(p) for p in product_list(text)] == expected


def test_brackets_inside_a_note_keep_the_product_whole() -> None:
    assert [str(p) for p in product_list("kales (sold (fresh, dried), in 2004), fish")] == [
        "kales (sold (fresh, dried), in 2004)",
        "fish",
    ]


def test_a_product_note_is_kept_apart() -> None:
    (product,) = product_list("cotton ( not sold yet )")
    assert (product.name, product.note) == ("cotton", "not sold yet")


@pytest.mark.parametrize("text", [" N/A ", "\tn/a", "N/a", " - ", "—", " – ", "   "])
def test_not_reported_marks_are_read_in_any_case_and_with_spaces_around(text: str) -> None:
    assert is_missing(text) and not is_error_value(text)


@pytest.mark.parametrize("text", ["n.a.", "na", "NA", "0", "--", "N/A N/A", "- 4", "nil"])
def test_near_misses_of_not_reported_are_not_not_reported(text: str) -> None:
    """Only the declared marks are gaps: anything else is refused with a suggestion."""
    assert not is_missing(text) and not is_error_value(text)


@pytest.mark.parametrize(
    "text",
    [" #N/A ", "#DIV/0!\t", "#SPILL!", "#CALC!", "#GETTING_DATA", "#ERROR!", "err:502", "#ERR502"],
)
def test_an_error_value_is_an_error_with_spaces_around_and_in_any_case(text: str) -> None:
    assert is_error_value(text) and not is_missing(text)


@pytest.mark.parametrize(
    "text", ["N/A", "#N/A!", "Err:50", "Err:5021", "#NAME", "x #N/A", "DIV/0!"]
)
def test_near_misses_of_error_values_are_not_error_values(text: str) -> None:
    assert not is_error_value(text)


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("-4", POINT, Decimal(-4)),
        ("\u22124", POINT, Decimal(-4)),  # the Unicode minus sign, as Word and some exports write
        ("\u22123,5", COMMA, Decimal("-3.5")),
        ("-1,234.5", POINT, Decimal("-1234.5")),
        ("+4", POINT, Decimal(4)),
        ("+3,5", COMMA, Decimal("3.5")),
        ("\u20134", POINT, None),  # an en dash is no minus sign
        ("4-", POINT, None),
        ("- 4", POINT, None),
        ("(4)", POINT, None),  # an accountant's negative is not read as a number
        ("--4", POINT, None),
    ],
)
def test_a_sign_is_read_only_where_it_is_a_sign(text: str, fmt, expected) -> None:
    assert parse_decimal(text, fmt) == expected


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("13 103", POINT, 13103),
        ("13\u00a0103.5", POINT, 13103.5),  # no-break space
        ("13\u202f103", POINT, 13103),  # narrow no-break space, French Excel's
        ("1,234,567", POINT, 1234567),
        ("1.234.567,5", COMMA, 1234567.5),
        ("13 103,5", COMMA, 13103.5),
        ("0,250", COMMA, 0.25),
        ("0,250", POINT, None),  # a group of thousands never starts with 0
        ("1,23,456", POINT, None),  # groups are of three digits
        ("1,2345", POINT, None),
        ("12345,678", POINT, None),  # grouped digits start with at most three
        ("1.234,5", POINT, None),  # the other format's grouping
        ("1,234.5", COMMA, None),
        ("13103", COMMA, 13103),
        ("30%", COMMA, None),
        ("3.", POINT, None),
        (".5", POINT, None),
    ],
)
def test_thousands_separators_are_those_of_the_files_format(text: str, fmt, expected) -> None:
    assert parse_number(text, fmt) == expected


def test_a_column_in_thousands_makes_three_decimals_believable() -> None:
    """In a file two cells prove uses decimal commas, "12,125" in a Value ('000) column is
    12.125 thousand; in a column not in thousands, with nothing else to prove it, refused."""
    proofs = [CellText(2, "Volume", "3,5"), CellText(3, "Volume", "2,25")]
    thousands = CellText(4, "Value ('000)", "12,125", thousands=True)
    assert settle(",", [*proofs, thousands]) == Settlement(COMMA, proofs[0])
    plain = CellText(4, "Value", "12,125")
    (doubt,) = settle(",", [*proofs, plain]).doubts
    assert doubt.cell == plain and doubt.other == proofs[0]


def test_three_decimals_prove_only_their_own_column() -> None:
    proofs = [CellText(2, "Volume", "3,5"), CellText(3, "Price", "0,250")]
    believed, doubtful = CellText(4, "Price", "12,125"), CellText(5, "Volume", "13,250")
    (doubt,) = settle(",", [*proofs, believed, doubtful]).doubts
    assert doubt.cell == doubtful


def test_a_semicolon_file_two_cells_prove_uses_a_decimal_point_reads_its_commas_as_thousands() -> (
    None
):
    """The mirror of a comma file with decimal commas: "12,125" is 12,125; "12.125" could be
    12.125 or 12,125, and nothing else in the file says which."""
    proofs = [CellText(2, "Volume", "3.5"), CellText(3, "Volume", "2.25")]
    whole, doubtful = CellText(4, "Value", "12,125"), CellText(5, "Value", "12.125")
    settled = settle(";", [*proofs, whole, doubtful])
    assert settled.fmt == POINT and settled.proof == proofs[0]
    assert [d.cell for d in settled.doubts] == [doubtful]
    assert parse_decimal("12,125", settled.fmt) == 12125
    assert "reads as 12.125 in the format as" in settled.doubts[0].message
    # Three decimals elsewhere in its column prove them, with points as with commas.
    price = [CellText(6, "Value", "0.250"), CellText(7, "Value", "3.5")]
    assert settle(";", [*price, doubtful]) == Settlement(POINT, price[0])


@pytest.mark.parametrize(
    "others",
    [
        [CellText(4, "Value", "13 103"), CellText(5, "Value", "447")],  # spaces, then a plain one
        [CellText(1, "Value", "1.234,5")],  # points, before the proofs
    ],
)
def test_thousands_written_another_way_anywhere_in_the_file_prove_three_decimals(others) -> None:
    proofs = [CellText(2, "Volume", "3,5"), CellText(3, "Volume", "2,25")]
    settled = settle(
        "\t", sorted([*proofs, *others], key=lambda c: c.line) + [CellText(9, "Price", "12,125")]
    )
    assert settled.fmt == COMMA and not settled.doubts


def test_a_doubt_writes_each_reading_as_a_plain_number() -> None:
    """In a file proven to use decimal commas, "1,250" reads as 1.25, never 1.250."""
    cells = [CellText(2, "Volume", "1,250"), CellText(3, "Volume", "3,5")]
    (doubt,) = settle(",", cells).doubts
    assert doubt.message.startswith('"1,250" (line 2, Volume) reads as 1.25 in the format as ')
    assert "but as 1,250 in the usual format" in doubt.message
    cells = [CellText(2, "Volume", "12,120"), CellText(3, "Volume", "3,5")]
    (doubt,) = settle(",", cells).doubts
    assert "reads as 12.12 in the format" in doubt.message
    assert "but as 12,120 in the usual format" in doubt.message


def test_two_formats_say_why_each_cell_proves_its_own() -> None:
    """A count with decimals has a decimal point (a fractional count is refused elsewhere); a
    count grouped with points proves decimal commas."""
    cells = [CellText(2, "Members", "12.5", count=True), CellText(3, "Volume", "3,5")]
    (doubt,) = settle(",", cells).doubts
    assert "(12.5 has a decimal point; 3,5 has a decimal comma)" in doubt.message
    cells = [CellText(2, "Households", "5.000", count=True), CellText(3, "Volume", "3.5")]
    (doubt,) = settle(",", cells).doubts
    assert "(5.000 is a count, so its point separates thousands; 3.5 has" in doubt.message


def test_bare_cells_in_two_formats_read_with_a_decimal_point() -> None:
    """settle_format (targets.csv, suggestions) of cells proving both formats: the decimal
    point, whose file settle() refuses naming both cells."""
    assert settle_format(";", ["3.5", "3,5"], []) == POINT
    assert settle_format(";", ["3,5"], ["5,000"]) == POINT


def _three_decimals(draw: st.DrawFn, mark: str) -> list[str]:
    whole = draw(st.lists(st.integers(1, 999), min_size=1, max_size=5))
    frac = draw(st.lists(st.integers(0, 999), min_size=len(whole), max_size=len(whole)))
    return [f"{w}{mark}{f:03d}" for w, f in zip(whole, frac, strict=True)]


@settings(max_examples=examples(60), deadline=None)
@given(data=st.data(), delimiter=st.sampled_from([",", "\t"]), mark=st.sampled_from([".", ","]))
def test_a_separator_with_three_digits_after_it_is_read_only_when_the_file_proves_its_role(
    data: st.DataObject, delimiter: str, mark: str
) -> None:
    """ "12.000" is 12 in an English file and 12,000 in a Portuguese one; "12,500" in a tab
    file is 12,500 from English Excel and 12.5 from French Excel. With nothing else in the
    file to say which, the file is refused naming the first such cell, never guessed. A cell
    that proves the format settles them all, each read in it."""
    assume(not (delimiter == "," and mark == ","))  # a comma file quotes "12,500": thousands
    texts = _three_decimals(data.draw, mark)
    cells = [CellText(2 + i, "Volume", t) for i, t in enumerate(texts)]

    alone = settle(delimiter, cells)
    assert [(d.cell.line, d.rule) for d in alone.doubts][:1] == [(2, "ambiguous-number")]
    assert all(d.rule == "ambiguous-number" for d in alone.doubts)

    # Proven a decimal point ("3.5"), or a decimal comma by two cells ("3,5", "2,25"); a
    # comma against the file's convention has three decimals only where "0,250" in the same
    # column says so (one mistyped cell never makes every figure a thousand times smaller).
    proofs = data.draw(st.sampled_from([["3.5"], ["3,5", "2,25"]]), label="proof")
    fmt = POINT if proofs == ["3.5"] else COMMA
    more = [CellText(20 + i, "Value", p) for i, p in enumerate(proofs)]
    more += [CellText(30, "Volume", "0,250")] if fmt is COMMA else []
    proven = settle(delimiter, [*cells, *more])
    assert not proven.doubts and proven.fmt == fmt
    for text in texts:
        whole, _, frac = text.partition(mark)
        expected = Decimal(f"{whole}.{frac}") if mark == fmt.decimal else Decimal(whole + frac)
        assert parse_decimal(text, proven.fmt) == expected
