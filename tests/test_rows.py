"""Every row classified (#19 rule 3) and every fact stated once (#19 rule 6)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.check.rows import _Sums
from pipeline.check.validate import CountryTable, country_table
from pipeline.core.findings import FileRefused, Severity
from pipeline.read.tables import read_table

from .tier import examples

HEADER = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)"
A = "Mbeere,5000,x,9,447,32,13103"
B = "Homabay,5000,x,27,3014,145,78175"
C = "Kitu,4000,x,8,381,161,46153"
SUMS = "14000,,44,3842,338,137431"
KENYA = ("kenya", "Kenya", "KE", "KEN", "Learning Alliance")


def _file(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "kenya.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _table(path: Path) -> CountryTable:
    return country_table(read_table(path), names=KENYA, country="KEN")


def _errors(table: CountryTable) -> list[tuple[int | None, str, str]]:
    return [(f.line, f.column, f.rule) for f in table.findings if f.severity is Severity.ERROR]


def _refusal(path: Path) -> tuple[int | None, str, str]:
    with pytest.raises(FileRefused) as info:
        _table(path)
    finding = info.value.finding
    return finding.line, finding.column, finding.rule


@pytest.mark.parametrize(
    "label", ["Kenya", "KENYA", "All districts", "Whole country", "Learning Alliance"]
)
def test_a_row_named_after_the_country_holding_the_sums_is_the_totals_row(
    tmp_path: Path, label: str
) -> None:
    table = _table(_file(tmp_path, A, B, C, f"{label},{SUMS}"))
    assert table.ok, _errors(table)
    assert list(table.territories["territory"]) == ["Mbeere", "Homabay", "Kitu"]
    assert [t.line for t in table.totals] == [5]
    assert [(f.line, f.rule) for f in table.findings if f.rule == "totals-by-name"] == [
        (5, "totals-by-name")
    ]
    assert table.row_kinds["total"] == 1 and table.row_kinds["territory"] == 3


def test_a_territory_sharing_its_countrys_name_stays_a_territory(tmp_path: Path) -> None:
    table = _table(_file(tmp_path, A, B, "Kenya,100,x,1,10,1,100"))
    assert table.ok and list(table.territories["territory"]) == ["Mbeere", "Homabay", "Kenya"]
    assert not table.totals


def test_an_unlabelled_row_of_sums_is_refused_as_a_probable_totals_row(tmp_path: Path) -> None:
    table = _table(_file(tmp_path, A, B, C, f"Eastern,{SUMS}"))
    assert _errors(table) == [(5, "Territory", "probable-totals-row")]
    # Two other territories at least, and two figures that are not 0.
    two = _table(_file(tmp_path, A, "Eastern,5000,x,9,447,32,13103"))
    assert two.ok


def test_notes_under_the_table_are_notes_never_territories(tmp_path: Path) -> None:
    table = _table(
        _file(
            tmp_path,
            A,
            B,
            "Totals,10000,,36,3461,177,91278",
            "Source: CRS M&E unit,,,,,,",
            "* provisional figures",
            "Checked by the country office,,,,,,",
        )
    )
    assert table.ok, _errors(table)
    assert list(table.territories["territory"]) == ["Mbeere", "Homabay"]
    assert [f.line for f in table.findings if f.rule == "note-row"] == [5, 6, 7]
    assert table.row_kinds["note"] == 3


def test_a_note_with_figures_cannot_be_classified(tmp_path: Path) -> None:
    assert _refusal(_file(tmp_path, A, B, "* Kitu (provisional),4000,x,8,381,161,46153")) == (
        4,
        "",
        "unclassified-row",
    )


def test_a_row_with_text_only_in_an_ignored_column_cannot_be_classified(tmp_path: Path) -> None:
    path = _file(tmp_path, A + ",dry", ",,,,,,,checked", header=HEADER + ",Rainfall")
    assert _refusal(path) == (3, "", "unclassified-row")


def test_a_named_row_that_reports_nothing_is_a_territory_not_yet_reporting(
    tmp_path: Path,
) -> None:
    table = _table(_file(tmp_path, A, B, "Lamu,-,,-,-,-,-"))
    assert table.ok and list(table.territories["territory"]) == ["Mbeere", "Homabay", "Lamu"]


def test_repeated_headers_are_counted_and_must_match(tmp_path: Path) -> None:
    table = _table(_file(tmp_path, A, HEADER, B))
    assert table.ok and list(table.territories["territory"]) == ["Mbeere", "Homabay"]
    assert table.row_kinds["repeated header"] == 1
    moved = HEADER.replace("Value (US$)", "Value (KES)")
    assert _refusal(_file(tmp_path, A, moved, B)) == (3, "Value (US$)", "header-differs")


def test_a_units_row_completes_the_header_and_must_agree_with_it(tmp_path: Path) -> None:
    header = "Territory,Target households,Products,PMGs,Members,Volume sold,Value"
    table = _table(_file(tmp_path, ",households,,no.,no.,kg,US$ '000", A, header=header))
    assert table.ok, _errors(table)
    assert table.territories[["volume_sold_t", "value_usd"]].values.tolist() == [
        [0.032, 13103000.0]
    ]
    assert table.row_kinds["units row"] == 1
    assert _refusal(_file(tmp_path, ",,,,,kg,", A)) == (2, "Volume sold (t)", "unit-conflict")


def test_a_conflict_is_named_in_plain_words(tmp_path: Path) -> None:
    path = tmp_path / "kenya.csv"
    path.write_text(f"Values in KES\n{HEADER}\n{A}\n", encoding="utf-8")
    with pytest.raises(FileRefused) as info:
        country_table(read_table(path))
    assert "give different currencies: USD and KES" in info.value.finding.message


@pytest.mark.parametrize(
    ("title", "outcome"),
    [
        ("Values in KES", (1, "Value (US$)", "unit-conflict")),
        ("Impact of a learning alliance: case of Kenya", None),
        ("Kenya 2004 (values in US$)", None),
        ("All figures in '000", (1, "Target households", "unit-conflict")),
        ("Results in all districts", None),
    ],
)
def test_a_title_line_must_agree_with_the_header(tmp_path: Path, title: str, outcome) -> None:
    path = tmp_path / "kenya.csv"
    path.write_text(f"{title}\n{HEADER}\n{A}\n", encoding="utf-8")
    if outcome is None:
        assert _table(path).ok
    else:
        assert _refusal(path) == outcome


@pytest.mark.parametrize(
    ("note", "outcome"),
    [
        ("Note: values in thousands of US$", (4, "Value (US$)", "unit-conflict")),
        ("* Volumes in kg", (4, "Volume sold (t)", "unit-conflict")),
        ("NB: all figures in '000", (4, "Target households", "unit-conflict")),
        ("(1) Values in KES", (4, "Value (US$)", "unit-conflict")),
        ("Note: values in US$", None),
        ("Source: field offices, data in the M&E database", None),
    ],
)
def test_a_note_of_the_table_must_agree_with_the_header_as_a_title_must(
    tmp_path: Path, note: str, outcome
) -> None:
    """A note under the figures that states their unit, scale or currency is read as a title
    is: "Note: values in thousands of US$" under "Value (US$)" refuses the file, since either
    the figures are a thousand times too small or the note is wrong."""
    path = _file(tmp_path, A, B, f'"{note}",,,,,,')
    if outcome is None:
        assert _table(path).ok, _errors(_table(path))
    else:
        assert _refusal(path) == outcome


def test_a_country_column_must_name_the_files_country(tmp_path: Path) -> None:
    header = HEADER + ",Country"
    ok = _table(_file(tmp_path, A + ",Kenya", B + ",KEN", C + ',"Kenya (KE)"', header=header))
    assert ok.ok
    path = _file(tmp_path, A + ",Kenya", B + ",Uganda", C + ",UG", header=header)
    assert _refusal(path) == (3, "Country", "other-country")
    with pytest.raises(FileRefused) as info:
        _table(path)
    assert "line(s) 3, 4" in info.value.finding.message


@pytest.mark.parametrize("header", ["Pays", "Nchi", "Country name", "ISO3", "Country (ISO3)"])
def test_a_country_column_in_any_common_form(tmp_path: Path, header: str) -> None:
    path = _file(tmp_path, A + ",Tanzania", header=HEADER + f",{header}")
    assert _refusal(path)[2] == "other-country"


def test_every_row_kind_is_counted(tmp_path: Path) -> None:
    table = _table(
        _file(
            tmp_path,
            ",,,,,t,US$",
            A,
            "",
            B,
            HEADER,
            "Sub-total West,10000,,36,3461,177,91278",
            C,
            "Total,14000,,44,3842,338,137431",
            "Note: from the field offices",
        )
    )
    assert table.ok, _errors(table)
    assert table.row_kinds == {
        "territory": 3,
        "total": 1,
        "subtotal": 1,
        "repeated header": 1,
        "units row": 1,
        "note": 1,
        "blank": 1,
    }


def test_a_territory_named_kenya_is_summed_by_an_all_districts_total(tmp_path: Path) -> None:
    table = _table(
        _file(tmp_path, A, B, "Kenya,100,x,1,10,1,100", "All districts,10100,,37,3471,178,91378")
    )
    assert table.ok, _errors(table)
    assert list(table.territories["territory"]) == ["Mbeere", "Homabay", "Kenya"]
    assert [t.line for t in table.totals] == [5]


def test_a_label_alone_below_the_countrys_total_is_a_note_below_a_territory_a_territory(
    tmp_path: Path,
) -> None:
    below_total = _table(_file(tmp_path, A, B, C, f"Kenya,{SUMS}", "Lamu,,,,,,"))
    assert list(below_total.territories["territory"]) == ["Mbeere", "Homabay", "Kitu"]
    assert below_total.row_kinds["note"] == 1
    below_territory = _table(_file(tmp_path, A, B, "Kenya,100,x,1,10,1,100", "Lamu,,,,,,"))
    assert list(below_territory.territories["territory"]) == ["Mbeere", "Homabay", "Kenya", "Lamu"]


def test_two_totals_rows_by_name_are_both_totals(tmp_path: Path) -> None:
    table = _table(_file(tmp_path, A, B, C, f"Kenya,{SUMS}", f"All districts,{SUMS}"))
    assert table.ok, _errors(table)
    assert [t.line for t in table.totals] == [5, 6]


def test_a_totals_label_in_a_column_before_the_territories_is_read(tmp_path: Path) -> None:
    header = "No.," + HEADER
    path = _file(tmp_path, "1," + A, "2," + B, "Total,,10000,,36,3461,177,91278", header=header)
    table = _table(path)
    assert table.ok and [t.line for t in table.totals] == [4]
    assert list(table.territories["territory"]) == ["Mbeere", "Homabay"]


@pytest.mark.parametrize(
    ("label", "note"),
    [
        ("Source: CRS M&E", True),
        ("N.B. provisional", True),
        ("NB: provisional", True),
        ("Note - see below", True),
        ("* provisional figures", True),
        ("† revised", True),
        ("(1) estimated", True),
        ("Prepared by the country office", True),
        # The note words of the other languages of the programme's offices.
        ("Fonte: MINAG 2004", True),
        ("Obs.: dados provisórios", True),
        ("Observação: dados provisórios", True),
        ("Remarque : chiffres provisoires", True),
        ("Fuente: MAG", True),
        ("Chanzo: Ofisi ya CRS", True),
        ("Kumbuka: takwimu za awali", True),
        ("Compiled: J. Okello", True),
        ("Mbeere", False),
        ("Fontenay", False),
        ("Notary", False),
        ("Kitui*", False),
        ("Sourcewell", False),
        ("Notes", False),
    ],
)
def test_what_reads_as_a_note(label: str, note: bool) -> None:
    from pipeline.check.rows import is_note_label

    assert is_note_label(label) is note


_FIGURES = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15),
    st.sampled_from([0.0, -0.0, 0.1, 0.2, 0.3, 1e-300, 5e-324, 1e15, math.nan, math.inf]),
    st.none(),
)


@settings(max_examples=examples(200))
@given(column=st.lists(_FIGURES, min_size=1, max_size=30))
def test_each_rows_others_sum_is_fsum_of_the_others(column: list[float | None]) -> None:
    """check.rows._Sums: the sum of every row less one row's own figure is, to the last bit,
    what math.fsum gives over the other rows' reported figures (blank and NaN left out); None
    when no other row reported one."""
    records: dict[int, dict[str, object]] = {n: {"value": v} for n, v in enumerate(column)}
    sums = _Sums(records, list(records))
    for line, own in enumerate(column):
        others = [
            v for n, v in enumerate(column) if n != line and v is not None and not math.isnan(v)
        ]
        expected = math.fsum(others) if others else None
        got = sums.without(line, "value")
        assert got == expected or (
            got is not None and expected is not None and math.isnan(got) and math.isnan(expected)
        ), (line, own)
