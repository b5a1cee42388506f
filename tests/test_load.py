"""Files are read as Excel saved them: encodings, delimiters, title rows, physical lines."""

from pathlib import Path

import pytest

from pipeline.core.findings import FileRefused
from pipeline.read.tables import read_table

TEXT = (
    "Title of the table,,\n\nTerritory,Target households,Products,PMGs,Members,"
    'Volume sold (t),Value (US$)\nKoné,"1,000",maïs,4,120,10.5,"4,200"\n'
)


@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [
        ("utf-8", b"", "utf_8"),
        ("utf-8", b"\xef\xbb\xbf", "utf_8_sig"),
        ("cp1252", b"", "cp1252"),
    ],
)
def test_encodings(tmp_path: Path, encoding: str, bom: bytes, expected: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(bom + TEXT.encode(encoding))
    table = read_table(path)
    assert table.encoding == expected
    assert table.rows[0].cells[0] == "Koné" and table.rows[0].cells[2] == "maïs"


def test_utf16_tab_separated(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    text = TEXT.replace(",", "\t").replace('"1\t000"', "1000").replace('"4\t200"', "4200")
    path.write_bytes(text.encode("utf-16"))
    table = read_table(path)
    assert (table.encoding, table.delimiter) == ("utf_16", "\t")
    assert table.rows[0].cells[:2] == ("Koné", "1000")


def test_physical_lines_count_titles_blanks_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode() + b",,,,,,\r\nB,1,x,1,1,1,1\r\n")
    table = read_table(path)
    assert table.header_line == 3
    assert [r.line for r in table.rows] == [4, 6]
    assert table.blank_lines == (5,)
    assert table.rows[0].text == 'Koné,"1,000",maïs,4,120,10.5,"4,200"'


def test_sep_hint_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "sep=;\nTerritory;Target households;Products;PMGs;Members;Volume sold (t);"
        "Value (US$)\nA;1.000;maize, beans;4;120;10,5;4.200\n"
    )
    table = read_table(path)
    assert (table.delimiter, table.header_line, table.rows[0].line) == (";", 2, 3)
    assert table.rows[0].cells[2] == "maize, beans"


def test_trailing_empty_columns_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "Territory,Target households,Products,PMGs,Members,Volume sold (t),"
        "Value (US$),,\nA,1,x,1,1,1,1,,\n"
    )
    table = read_table(path)
    assert len(table.header) == 7 and len(table.rows[0].cells) == 7


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"", "empty-file"),
        (b"  \n\n", "empty-file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "workbook-not-csv"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary-file"),
        (
            b"Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n",
            "no-data-rows",
        ),
        (b"just,some,text\n1,2,3\n", "no-header"),
    ],
)
def test_refused_files(tmp_path: Path, content: bytes, rule: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(FileRefused) as info:
        read_table(path)
    assert info.value.finding.rule == rule
    assert info.value.finding.file == "x.csv" and info.value.finding.fix


def test_nul_bytes_in_utf8_text_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(TEXT.replace("Koné", "Kor\x00hogo").encode("utf-8"))
    with pytest.raises(FileRefused) as info:
        read_table(path)
    assert info.value.finding.rule == "binary-file"
