"""The error catalogue: one broken fixture per rule, each with its exact findings."""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.check.validate import country_table
from pipeline.core.findings import FileRefused, Severity
from pipeline.read.rates import read_exchange_rates
from pipeline.read.tables import read_table

from .conftest import FIXTURES
from .tier import examples

#: fixture -> every error it must produce, as (line, column as written, rule).
EXPECTED_ERRORS = {
    "negative_number.csv": [(2, "Volume sold (t)", "negative-number")],
    "fractional_count.csv": [(2, "PMGs", "whole-number")],
    "duplicate_territory.csv": [
        (2, "Territory", "duplicate-territory"),
        (4, "Territory", "duplicate-territory"),
    ],
    "members_below_pmgs.csv": [(2, "Members", "members-below-pmgs")],
    "totals_mismatch.csv": [
        (4, "Members", "totals-mismatch"),
        (4, "Volume sold (t)", "totals-mismatch"),
    ],
    "text_in_number.csv": [(2, "Members", "type-error"), (3, "Value (US$)", "type-error")],
    "extra_cell.csv": [(2, "", "extra-cell")],
    "missing_cell.csv": [(2, "", "missing-cell")],
    "missing_territory.csv": [(2, "Territory", "missing-territory")],
    "bad_period.csv": [(3, "Period", "bad-period")],
    "missing_period.csv": [(3, "Period", "missing-period")],
    # "Total général" is a Totals row and "Sub-total South" a subtotal: neither is a territory.
    "totals_general_mismatch.csv": [(5, "Members", "totals-mismatch")],
    # "Mbéere" in NFC and NFD; "Kitu" with and without a zero-width joiner.
    "unicode_duplicate.csv": [
        (2, "Territory", "duplicate-territory"),
        (3, "Territory", "duplicate-territory"),
        (4, "Territory", "duplicate-territory"),
        (5, "Territory", "duplicate-territory"),
    ],
    # A 400-digit value, values above the ceilings, a volume that underflows; "-0" is fine.
    "out_of_range.csv": [
        (2, "Value (US$)", "number-out-of-range"),
        (3, "Value (US$)", "sales-without-sellers"),  # US$12bn from 0 t ("-0")
        (3, "Value (US$)", "above-ceiling"),
        (4, "Target households", "above-ceiling"),
        (5, "Volume sold (t)", "number-out-of-range"),
    ],
    # #26: members by sex and age, each a part of the members on its row.
    "women_above_members.csv": [(3, "Women members", "part-above-members")],
    # Sales with no PMGs, no members, or a value with no produce sold.
    "sales_without_sellers.csv": [
        (3, "Value (US$)", "sales-without-sellers"),
        (4, "Value (US$)", "sales-without-sellers"),
        (5, "Value (US$)", "sales-without-sellers"),
    ],
    "youth_without_members.csv": [(3, "Members (youth)", "part-without-members")],
    "subgroup_counts.csv": [
        (2, "Female members", "whole-number"),
        (3, "Young members", "negative-number"),
    ],
    "women_totals_mismatch.csv": [(4, "Members (women)", "totals-mismatch")],
    # #19: euros are euros: without an EUR rate every value is an error, never US$.
    "euro_header.csv": [
        (2, "Value (€)", "missing-exchange-rate"),
        (3, "Value (€)", "missing-exchange-rate"),
    ],
    # Sorted with its header row: North moved above the header, where it is not read.
    "row_above_header.csv": [(2, "Territory", "row-above-header")],
    # "Members" merged over men and women: the women's column has no header.
    "unlabelled_column.csv": [(2, "", "unlabelled-column")],
    # An average and a target under the territories: summaries, never territories.
    "summary_rows.csv": [(4, "Territory", "summary-row"), (5, "Territory", "summary-row")],
    # A region's heading and a sentence alone on their rows: neither is a territory.
    "label_only_rows.csv": [
        (2, "Territory", "label-only-row"),
        (5, "Territory", "label-only-row"),
    ],
    # Devanagari and Hangul have no shipped font; Ethiopic and Arabic have (templates/fonts).
    "unprintable_text.csv": [
        (2, "Territory", "unprintable-text"),
        (3, "Products", "unprintable-text"),
    ],
}
#: The fixtures are Kenya's: the country and programme names a Totals row may carry.
KENYA = ("kenya", "Kenya", "KE", "KEN", "Learning Alliance")


def _errors(path: Path) -> list[tuple[int | None, str, str]]:
    table = country_table(read_table(path), names=KENYA, country="KEN")
    return [(f.line, f.column, f.rule) for f in table.findings if f.severity is Severity.ERROR]


def test_every_invalid_fixture_is_catalogued() -> None:
    assert sorted(p.name for p in (FIXTURES / "invalid").glob("*.csv")) == sorted(EXPECTED_ERRORS)


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_invalid_fixture_findings(name: str) -> None:
    assert _errors(FIXTURES / "invalid" / name) == EXPECTED_ERRORS[name]


def test_more_women_than_members_names_the_line_and_both_numbers() -> None:
    table = country_table(read_table(FIXTURES / "invalid" / "women_above_members.csv"))
    (error,) = [f for f in table.findings if f.severity is Severity.ERROR]
    assert error.message == (
        "Women members on line 3 is 75, more than the 60 Members on that line: a part of the "
        "members cannot outnumber them."
    )
    assert error.value == "75" and [r.line for r in table.rejected] == [3]


def test_messages_name_both_numbers_and_lines() -> None:
    table = country_table(read_table(FIXTURES / "invalid" / "totals_mismatch.csv"))
    members = next(f for f in table.findings if f.column == "Members")
    assert members.message == (
        "The Totals row says 181 for Members, but the territories add up to 180."
    )
    assert members.file == "totals_mismatch.csv" and members.value == "181"
    dup = country_table(read_table(FIXTURES / "invalid" / "duplicate_territory.csv"))
    assert "also appears on line 4" in next(f for f in dup.findings if f.line == 2).message
    text = country_table(read_table(FIXTURES / "invalid" / "text_in_number.csv"))
    assert [f.value for f in text.findings if f.rule == "type-error"] == ["about 30", "n.a."]


def test_new_findings_say_what_and_how() -> None:
    dup = country_table(read_table(FIXTURES / "invalid" / "unicode_duplicate.csv"))
    assert [f.message for f in dup.findings if f.line == 4] == [
        'The territory "Kitu" also appears on line 5 as "Kitu<U+200D>".'
    ]
    # Displayed names are NFC: both spellings of Mbéere print the same.
    assert dup.territories.loc[3, "territory"] == "Mb\u00e9ere"
    ranges = country_table(read_table(FIXTURES / "invalid" / "out_of_range.csv"))
    ceiling = next(f for f in ranges.findings if f.line == 3 and f.rule == "above-ceiling")
    assert ceiling.message == (
        "12,000,000,000 is above the ceiling of 10,000,000,000 for Value (US$): "
        "no territory reports that much."
    )
    assert ceiling.fix.startswith("Check the units")
    sales = country_table(read_table(FIXTURES / "invalid" / "sales_without_sellers.csv"))
    assert [f.message for f in sales.findings if f.line == 3] == [
        (
            '"Zomba" reports sales (Value (US$): 6,000) but PMGs: 0, Members: 0, Volume sold '
            "(t): 0: sales come from members of PMGs, and a value from produce sold."
        )
    ]
    assert ranges.territories.isin([float("inf"), float("-inf")]).sum().sum() == 0
    assert str(ranges.territories.loc[3, "volume_sold_t"]) == "0.0"  # "-0" read as 0
    totals = country_table(read_table(FIXTURES / "invalid" / "totals_general_mismatch.csv"))
    assert list(totals.territories["territory"]) == ["North", "South"]
    assert [r.line for r in totals.rejected] == [5]  # the Totals row, with its reason
    assert [(f.line, f.rule) for f in totals.findings if f.rule == "subtotal-row"] == [
        (4, "subtotal-row")
    ]


#: fixture -> (line, rule) of the refusal; exchange-rate files are read as such.
EXPECTED_REFUSALS = {
    "mixed_encoding.csv": (None, "mixed-encoding"),
    # "Members" merged over "Men" and "Women": the header's second row.
    "two_row_header.csv": (2, "two-row-header"),
    # Saved on a Mac: "Kéniéba" would read "KŽniŽba".
    "mac_roman.csv": (3, "unsure-encoding"),
    "conflicting_exchange_rates.csv": (4, "bad-exchange-rates"),
    "exponent_exchange_rate.csv": (2, "bad-exchange-rates"),
    # #19: quoted thousands ("13,103") beside one decimal comma ("3,5"): both named.
    "thousands_beside_decimal_comma.csv": (2, "mixed-number-formats"),
    # #19: two rows of another country, which the Country column says.
    "other_country_rows.csv": (4, "other-country"),
}


def test_every_refused_fixture_is_catalogued() -> None:
    assert sorted(p.name for p in (FIXTURES / "refused").glob("*")) == sorted(EXPECTED_REFUSALS)


@pytest.mark.parametrize("name", sorted(EXPECTED_REFUSALS))
def test_refused_fixture_findings(name: str) -> None:
    path = FIXTURES / "refused" / name
    with pytest.raises(FileRefused) as info:
        if "exchange_rate" in name:
            read_exchange_rates(path)
        else:
            country_table(read_table(path), names=KENYA, country="KEN")
    assert (info.value.finding.line, info.value.finding.rule) == EXPECTED_REFUSALS[name]


def test_refusals_of_the_issue_name_both_places() -> None:
    with pytest.raises(FileRefused) as info:
        country_table(read_table(FIXTURES / "refused" / "thousands_beside_decimal_comma.csv"))
    finding = info.value.finding
    assert (finding.column, finding.value) == ("Value (US$)", "13,103")
    assert '"3,5" (line 5, Volume sold (t))' in finding.message
    with pytest.raises(FileRefused) as info:
        country_table(read_table(FIXTURES / "refused" / "other_country_rows.csv"), country="KEN")
    assert "line(s) 4, 5" in info.value.finding.message


def test_refusals_name_lines_and_both_rates() -> None:
    with pytest.raises(FileRefused) as info:
        read_table(FIXTURES / "refused" / "mixed_encoding.csv")
    assert "bytes on line(s) 3 (e.g. byte 0x92 on line 3)" in info.value.finding.message
    assert "CSV UTF-8" in info.value.finding.fix
    assert info.value.rows == 3  # counted as rows in a refused file
    with pytest.raises(FileRefused) as info:
        read_exchange_rates(FIXTURES / "refused" / "conflicting_exchange_rates.csv")
    assert "79.17 on line 2 and 80.5 on line 4" in info.value.finding.message


def test_rejected_rows_are_kept_verbatim() -> None:
    table = country_table(read_table(FIXTURES / "invalid" / "extra_cell.csv"))
    assert [(r.line, r.text) for r in table.rejected] == [(2, "North,1000,maize,4,120,10,13,103")]
    assert list(table.territories["territory"]) == ["South"]


EXPECTED_CLEAN = pd.DataFrame(
    {
        "territory": ["North", "South"],
        "target_households": [1000.0, 800.0],
        "products": ["maize, beans", "cassava (not sold yet)"],
        "pmgs": [4.0, 2.0],
        "members": [120.0, 60.0],
        "volume_sold_t": [10.5, float("nan")],
        "value_usd": [4200.0, float("nan")],
    }
)


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*.csv")), ids=lambda p: p.name)
def test_valid_variants_read_the_same_figures(path: Path) -> None:
    table = country_table(read_table(path))
    assert table.ok, [f.as_text() for f in table.findings]
    got = table.territories.reset_index(drop=True)[list(EXPECTED_CLEAN.columns)]
    pd.testing.assert_frame_equal(got, EXPECTED_CLEAN, check_dtype=False)
    assert len(table.totals) == 1


def test_blank_cells_are_not_reported_warnings_never_zero() -> None:
    table = country_table(read_table(FIXTURES / "valid" / "clean.csv"))
    warnings = [(f.line, f.column, f.rule) for f in table.findings if f.rule != "renamed-headers"]
    assert warnings == [(3, "Volume sold (t)", "not-reported"), (3, "Value (US$)", "not-reported")]
    assert table.territories.loc[3, "value_usd"] != 0


def test_unknown_column_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "Territory,Target households,Products,PMGs,Members,Volume sold (t),"
        "Value (US$),Rainfall (mm)\nNorth,10,maize,1,5,1,100,900\n"
    )
    table = country_table(read_table(path))
    assert table.ok
    assert [(f.line, f.column, f.rule) for f in table.findings] == [
        (1, "Rainfall (mm)", "unknown-column"),
        (1, "", "renamed-headers"),
    ]
    assert "Rainfall (mm)" not in table.territories.columns


def test_missing_column_refuses_file_listing_found_and_expected(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "Territory,Target households,Products,PMGs,Memebrs,Volume sold (t),"
        "Value (US$)\nNorth,10,maize,1,5,1,100\n"
    )
    with pytest.raises(FileRefused) as info:
        country_table(read_table(path))
    finding = info.value.finding
    assert (finding.line, finding.rule) == (1, "missing-column")
    assert 'Did you mean "Memebrs"?' in finding.fix
    assert "Columns found:" in finding.message and "Columns expected:" in finding.message


def test_text_none_is_a_name_not_a_blank(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"
        "None,10,None,1,5,1,100\n"
    )
    table = country_table(read_table(path))
    assert table.territories.loc[2, ["territory", "products"]].tolist() == ["None", "None"]


def test_a_part_above_its_members_is_never_called_100_percent(tmp_path: Path) -> None:
    path = tmp_path / "malawi.csv"
    path.write_text(
        "Territory,Target households,Products,PMGs,Members,Women members,Volume sold (t),"
        "Value (US$)\nZomba,1000,maize,4,200,220,10,4200\n",
        encoding="utf-8",
    )
    table = country_table(read_table(path))
    assert [(f.line, f.rule) for f in table.findings if f.column == "Women members"] == [
        (2, "part-above-members")
    ]


@settings(max_examples=examples(40), deadline=None)
@given(
    at=st.integers(1, 7),
    values=st.lists(st.sampled_from(["", "", "40", "Women", "x"]), min_size=2, max_size=2),
)
def test_a_column_without_a_header_is_refused_if_it_holds_a_value_else_dropped(
    tmp_path_factory, at: int, values: list[str]
) -> None:
    """Nothing under a blank header is lost in silence: a value anywhere in it refuses the
    file on that value's line; an empty one (Excel's trailing separators) changes nothing."""
    header = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)"
    rows = ["North,1000,maize,4,80,10,4200", "South,800,cassava,2,30,5,900"]

    def insert(line: str, cell: str) -> str:
        cells = line.split(",")
        return ",".join([*cells[:at], cell, *cells[at:]])

    path = tmp_path_factory.mktemp("blank") / "kenya.csv"
    lines = [insert(header, ""), *(insert(r, v) for r, v in zip(rows, values, strict=True))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = country_table(read_table(path), names=KENYA, country="KEN")
    unlabelled = [(f.line, f.value) for f in table.findings if f.rule == "unlabelled-column"]
    filled = [(line, v) for line, v in enumerate(values, 2) if v]
    assert unlabelled == filled[:1]
    if not filled:
        assert list(table.territories["members"]) == [80.0, 30.0]


@settings(max_examples=examples(40), deadline=None)
@given(
    figures=st.lists(
        st.tuples(st.integers(1, 9_000), st.integers(1, 50), st.integers(0, 900)),
        min_size=2,
        max_size=6,
    ),
    moved=st.integers(1, 5),
    title=st.booleans(),
)
def test_territories_sorted_above_the_header_are_refused_each_on_its_line(
    tmp_path_factory, figures: list[tuple[int, int, int]], moved: int, title: bool
) -> None:
    """A sheet sorted with its header row moves territories above the header: each is named
    on its own line, never left out in silence. A title line above the header is no row."""
    header = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)"
    rows = [
        f"T{i},{households},maize,{pmgs},{pmgs * 10},{i + 1},{value}"
        for i, (households, pmgs, value) in enumerate(figures)
    ]
    moved = min(moved, len(rows) - 1)
    top = ["Learning alliance: Kenya,,,,,,"] if title else []
    lines = [*top, *rows[:moved], header, *rows[moved:]]
    path = tmp_path_factory.mktemp("sorted") / "kenya.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = country_table(read_table(path), names=KENYA, country="KEN")
    above = [(f.line, f.value) for f in table.findings if f.rule == "row-above-header"]
    assert above == [(len(top) + 1 + i, f"T{i}") for i in range(moved)]


#: What a merged header's second row says under each part: subgroups, or periods.
SUB_HEADERS = [("Men", "Women"), ("Male", "Female"), ("Hommes", "Femmes"), ("2003", "2004")]
SUB_HEADERS += [("Adults", "Youth"), ("2003-04", "2004-05"), ("Wanaume", "Wanawake")]


@settings(max_examples=examples(40), deadline=None)
@given(
    merged=st.sampled_from(["Members", "Volume sold (t)", "Value (US$)", "PMGs"]),
    parts=st.sampled_from(SUB_HEADERS),
    rows=st.lists(
        st.tuples(st.integers(1, 50), st.integers(60, 400), st.integers(60, 400)),
        min_size=1,
        max_size=5,
    ),
    crlf=st.booleans(),
)
def test_a_header_over_two_rows_is_refused_on_its_second_row(
    tmp_path_factory, merged: str, parts: tuple[str, str], rows, crlf: bool
) -> None:
    """A header cell merged over two columns saves as the header's name over an empty cell,
    with the parts on the line below ("Members" over "Men" and "Women"). Read as data, the
    parts are a territory with no name and the second column has no header: one refusal names
    the line instead, with the fix of writing the header on one row."""
    names = ["Territory", "Target households", "Products", "PMGs", "Members"]
    names += ["Volume sold (t)", "Value (US$)"]
    at = names.index(merged)
    header = [*names[: at + 1], "", *names[at + 1 :]]
    second = [""] * len(header)
    second[at], second[at + 1] = parts
    lines = [",".join(header), ",".join(second)]
    for i, (pmgs, a, b) in enumerate(rows):
        cells = [f"T{i}", "1000", "maize", str(pmgs), str(pmgs * 10), "5", "900"]
        lines.append(",".join([*cells[:at], str(a), str(b), *cells[at + 1 :]]))
    path = tmp_path_factory.mktemp("merged") / "kenya.csv"
    path.write_text(("\r\n" if crlf else "\n").join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FileRefused) as info:
        country_table(read_table(path), names=KENYA, country="KEN")
    assert (info.value.finding.line, info.value.finding.rule) == (2, "two-row-header")
    assert all(part in info.value.finding.message for part in parts)
