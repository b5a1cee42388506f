"""Field data as it really arrives: warnings, currencies, workbooks, and garbled bytes."""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.check.validate import country_table
from pipeline.compute.indicators import territory_indicators
from pipeline.compute.plausibility import plausibility_findings
from pipeline.core.findings import Severity, errors
from pipeline.core.outcomes import Status
from pipeline.read.columns import REQUIRED
from pipeline.read.rates import read_exchange_rates
from pipeline.read.tables import read_table
from pipeline.run.build import validate_country
from tests.tier import examples

from .conftest import FIXTURES

HEADER = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)"


#: The fixtures are Kenya's: the country and programme names a Totals row may carry.
KENYA = ("kenya", "Kenya", "KE", "KEN", "Learning Alliance")


def _warnings(path: Path) -> list[tuple[int | None, str, str]]:
    table = country_table(read_table(path), names=KENYA, country="KEN")
    assert table.ok, [f.as_text() for f in table.findings if f.severity is Severity.ERROR]
    found = list(table.findings)
    if table.ok:
        found += plausibility_findings(table, territory_indicators(table.territories))
    return [(f.line, f.column, f.rule) for f in found if f.severity is Severity.WARNING]


EXPECTED_WARNINGS = {
    "plausibility.csv": [
        (1, "", "renamed-headers"),
        (6, "Volume sold (t)", "not-reported"),
        (5, "Members", "members-above-target"),
        (5, "Members", "members-per-pmg-implausible"),
        (5, "Value (US$)", "price-outlier"),
    ],
    # #19: "Value ('000) (US$)" is in thousands, applied exactly and stated (13.103 -> 13,103).
    "thousands_header.csv": [
        (2, "", "renamed-headers"),
        (2, "Value ('000) (US$)", "converted"),
    ],
    # #19: a last row named after the country, or all its districts, holding the sums.
    "country_name_totals.csv": [(1, "", "renamed-headers"), (6, "Territory", "totals-by-name")],
    "all_districts_totals.csv": [(1, "", "renamed-headers"), (5, "Territory", "totals-by-name")],
    # #19: notes under the table are notes; Lamu has not reported yet and is a territory.
    "notes_under_table.csv": [
        (1, "", "renamed-headers"),
        (4, "Volume sold (t)", "not-reported"),
        (5, "Products", "not-reported"),
        (5, "PMGs", "not-reported"),
        (5, "Members", "not-reported"),
        (5, "Volume sold (t)", "not-reported"),
        (5, "Value (US$)", "not-reported"),
        (7, "", "note-row"),
        (8, "", "note-row"),
    ],
    # #26: women at 0% and youth at 100% of a whole country's members: to check.
    "no_women.csv": [
        (None, "Members (female)", "part-share-extreme"),
        (None, "Youth members", "part-share-extreme"),
        (1, "", "renamed-headers"),
    ],
    "trimmed_and_extra_column.csv": [
        (1, "Rainfall (mm)", "unknown-column"),
        (1, "", "renamed-headers"),
        (2, "Territory", "trimmed-spaces"),
    ],
}


def test_every_warning_fixture_is_catalogued() -> None:
    names = sorted(p.name for p in (FIXTURES / "warnings").glob("*.csv"))
    assert names == sorted(EXPECTED_WARNINGS)


@pytest.mark.parametrize("name", sorted(EXPECTED_WARNINGS))
def test_warning_fixture_findings(name: str) -> None:
    assert _warnings(FIXTURES / "warnings" / name) == EXPECTED_WARNINGS[name]


@pytest.mark.parametrize(
    ("name", "territories", "value"),
    [
        ("thousands_header.csv", 3, 137431.0),
        ("country_name_totals.csv", 4, 140653.0),
        ("all_districts_totals.csv", 3, 137431.0),
        ("notes_under_table.csv", 4, 137431.0),
    ],
)
def test_the_issues_examples_give_the_right_figures(
    name: str, territories: int, value: float
) -> None:
    table = country_table(read_table(FIXTURES / "warnings" / name), names=KENYA, country="KEN")
    assert len(table.territories) == territories
    assert table.territories["value_usd"].sum() == value


RATES = "currency,period,units_per_usd\nKES,2004,80\nTZS,,1000\n"


@pytest.mark.parametrize(
    "table",
    [
        (
            "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (KES),Period\n"
            'A,100,x,2,20,1,"80,000",2004\n'
        ),
        (
            "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value,Currency\n"
            "A,100,x,2,20,1,1000000,TZS\n"
        ),
    ],
)
def test_local_currency_is_converted_with_its_rate(tmp_path: Path, table: str) -> None:
    (tmp_path / "rates.csv").write_text(RATES)
    (tmp_path / "x.csv").write_text(table)
    result = country_table(
        read_table(tmp_path / "x.csv"), read_exchange_rates(tmp_path / "rates.csv")
    )
    assert result.ok
    assert result.territories["value_usd"].tolist() == [1000.0]
    assert len(result.conversions) == 1
    assert any(f.rule == "converted" and "US$ at" in f.message for f in result.findings)


def test_missing_rate_names_currency_and_period(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_text(
        "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (KES),Period\n"
        "A,100,x,2,20,1,80000,2005\n"
    )
    result = country_table(read_table(tmp_path / "x.csv"), {("KES", "2004"): 80.0})
    (error,) = [f for f in result.findings if f.severity is Severity.ERROR]
    assert (error.line, error.column, error.rule) == (2, "Value (KES)", "missing-exchange-rate")
    assert error.message == "No exchange rate for KES in period 2005 in exchange_rates.csv."


def test_workbook_reads_country_sheet_below_title(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["not this sheet"])
    sheet = book.create_sheet("Kenya")
    sheet.append(["Impact of a learning alliance – case of Kenya"])
    sheet.append([])
    sheet.append(HEADER.split(","))
    sheet.append(["Mbeere", 5000, "greengrams, cowpeas", 9, 447, 3.5, 13103])
    path = tmp_path / "kenya.xlsx"
    book.save(path)
    result, table, _ = validate_country(path)
    assert result.status is Status.VALIDATED, [f.as_text() for f in result.findings]
    assert table is not None and table.raw.header_line == 3
    assert table.territories.loc[4, ["volume_sold_t", "value_usd"]].tolist() == [3.5, 13103.0]


def test_csv_saved_as_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kenya.xlsx"
    path.write_text(HEADER + "\nA,1,x,1,1,1,1\n")
    result, _, _ = validate_country(path)
    assert (result.status, result.findings[0].rule) == (Status.REFUSED, "bad-workbook")


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.binary(max_size=400)
    | st.text(alphabet=',;\t"\n\r -0123456789.aéT', max_size=300).map(
        lambda t: (HEADER + "\n" + t).encode("utf-8")
    )
)
def test_garbled_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "kenya.csv"
    path.write_bytes(data)
    result, _, _ = validate_country(path)
    # Validation alone never builds: the file is refused, invalid, or valid, and a file that is
    # not valid always carries an error that says why.
    assert result.status in {Status.REFUSED, Status.INVALID, Status.VALIDATED}
    assert (result.status is Status.VALIDATED) == (not errors(result.findings))
    assert result.rows_read == result.rows_accepted + result.rows_rejected + result.rows_refused


ROWS = [
    ("Mbeere", 5000, "greengrams, cowpeas", 9, 447, 32.0, 13103.0),
    ("Tana River", 4125, "kales & tomatoes", 5, 4000, 3.5, 3222.0),
]


def _rewrite(delimiter: str, decimal: str, group: str, quote_all: bool) -> str:
    def number(value: float) -> str:
        whole, _, frac = f"{value:.2f}".rstrip("0").rstrip(".").partition(".")
        grouped = f"{int(whole):,}".replace(",", group)
        return grouped + (decimal + frac if frac else "")

    def cell(text: str) -> str:
        return f'"{text}"' if quote_all or delimiter in text or "," in text else text

    lines = ["Title row", delimiter.join(HEADER.split(","))]
    for row in ROWS:
        lines.append(
            delimiter.join(
                [
                    cell(row[0]),
                    cell(number(row[1])),
                    cell(row[2]),
                    *(cell(number(v)) for v in row[3:]),
                ]
            )
        )
    return "\r\n".join(lines) + "\r\n"


@settings(
    max_examples=examples(40),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    dialect=st.sampled_from(
        [(",", ".", ","), (";", ",", "."), (";", ",", " "), ("\t", ".", ","), ("\t", ",", ".")]
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    quote_all=st.booleans(),
)
def test_valid_table_survives_any_supported_rewrite(
    tmp_path: Path, dialect, encoding: str, quote_all: bool
) -> None:
    delimiter, decimal, group = dialect
    path = tmp_path / "kenya.csv"
    path.write_bytes(_rewrite(delimiter, decimal, group, quote_all).encode(encoding))
    result, table, _indicators = validate_country(path)
    assert result.status is Status.VALIDATED, [f.as_text() for f in result.findings]
    expected = pd.DataFrame(ROWS, columns=list(REQUIRED))
    got = table.territories.reset_index(drop=True)[list(expected.columns)]
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_a_space_that_groups_digits_is_no_extra_space(tmp_path: Path) -> None:
    """ "3 200" with the no-break space Excel writes in French is a thousands separator, read
    as 3200: no "extra spaces removed" warning for it; a name's doubled space still gets one."""
    path = tmp_path / "kenya.csv"
    path.write_text(
        "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"
        'Kirinyaga,3\u00a0200,maize,12,410,45.5,"15\u00a0923"\n'
        'Tana  River,2\u00a0800,beans,9,350,30.2,"12\u00a0484"\n',
        encoding="utf-8",
    )
    result, table, _ = validate_country(path)
    assert table is not None and list(table.territories["target_households"]) == [3200, 2800]
    trimmed = [(f.line, f.column) for f in result.findings if f.rule == "trimmed-spaces"]
    assert trimmed == [(3, "Territory")]


#: Accented small letters whose Mac Roman and DOS (cp850) bytes read in Windows-1252 as a
#: character no name holds inside a word. Left out, as the README says: á, ã and õ in DOS
#: (a no-break space, Æ, ä) and í and ë on a Mac (’ and ‘, which names do hold).
INSIDE = "éèêàâäçôöûüùîïñóú"


@st.composite
def _accented_name(draw: st.DrawFn) -> str:
    """A name with accented small letters inside its words: "Kéniéba", "Ségou"."""
    ascii_letters = st.sampled_from("bdgklmnrstu")
    inside = draw(st.lists(ascii_letters | st.sampled_from(INSIDE), min_size=1, max_size=6))
    if not any(c in INSIDE for c in inside):
        inside.append(draw(st.sampled_from(INSIDE)))
    # "Ka" first: a name can never fold into a totals word ("Sûm" is "Sum").
    return "Ka" + draw(ascii_letters) + "".join(inside) + draw(ascii_letters)


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    names=st.lists(_accented_name(), min_size=1, max_size=3, unique=True),
    encoding=st.sampled_from(["mac_roman", "cp850", "cp1252"]),
)
def test_names_saved_on_a_mac_or_in_dos_are_refused_never_garbled(
    tmp_path: Path, names: list[str], encoding: str
) -> None:
    """Mac Roman and DOS files decode as valid Windows-1252, with every accented name garbled
    ("KŽniŽba"). Such a file is refused, naming the first such word and its line; a
    Windows-1252 file with the same
    names reads them exactly."""
    lines = [f"{name},{1000 + i},maize,4,120,10,4200" for i, name in enumerate(names)]
    path = tmp_path / "mali.csv"
    path.write_bytes("\n".join([HEADER, *lines, ""]).encode(encoding))

    result, table, _ = validate_country(path)

    if encoding == "cp1252":
        # charset-normalizer may judge a name as odd as "Bééééb" to be noise, and refuse the
        # file as of no known encoding; it is never refused as a Mac's or DOS's.
        if result.status is not Status.VALIDATED:
            assert [f.rule for f in result.findings] == ["unknown-encoding"]
        else:
            assert list(table.territories["territory"]) == names
    else:
        # Bytes Windows-1252 does not define (a Mac's è, ê, ç) leave no encoding to guess.
        refusal = result.findings[0]
        assert result.status is Status.REFUSED
        assert refusal.rule in {"unsure-encoding", "unknown-encoding"}
        if refusal.rule == "unsure-encoding":
            assert (refusal.line, refusal.value) == (2, names[0].encode(encoding).decode("cp1252"))


def test_a_windows_file_keeps_its_apostrophes_dashes_and_ellipses(tmp_path: Path) -> None:
    """What Windows-1252 text does hold after a letter is no sign of a Mac or DOS file."""
    path = tmp_path / "kenya.csv"
    path.write_bytes(
        (
            f"{HEADER}\n"
            "Murang’a,1000,maize – beans,4,120,10,4200\n"
            "“Kitui”,800,sorghum…,2,60,5,900\n"
            "Note: provisional…\n"
        ).encode("cp1252")
    )
    result, table, _ = validate_country(path)
    assert result.status is Status.VALIDATED, [f.as_text() for f in result.findings]
    assert list(table.territories["territory"]) == ["Murang’a", "“Kitui”"]
