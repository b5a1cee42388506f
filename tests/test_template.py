"""The template workbook: headers in the officer's language, Excel's checks, no formulas, an
Instructions sheet from the data dictionary; filled in, it validates and builds a brief."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pipeline import config
from pipeline.check.schemas import TerritoryInput
from pipeline.cli import main
from pipeline.config import Dirs
from pipeline.core.i18n import translations
from pipeline.core.outcomes import Status
from pipeline.core.registry import OPTIONAL_REPORTED
from pipeline.read.header_forms import template_header
from pipeline.run.runner import run

from .fakes import fake_pdf

FILLED = [  # Kenya's seed figures, typed as an officer types them
    ("Mbeere", 5000, "greengrams, blackgrams, cowpeas", 9, 447, 32, 13103, None),
    ("Homabay", 5000, "groundnuts, sweet potato", 27, 3014, 145, 78175, "USD"),
    ("Kitu", 4000, "greengrams, cotton (not sold yet)", 8, 381, 161, 46153, ""),
    ("Tana River", 4125, "greengrams, cowpeas", 5, 4000, 3.5, 3222, None),
]


def _template(tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "out"
    assert main(["template", "kenya", "--out", str(out), *args]) == 0
    return out / "kenya-template.xlsx"


def _fill(template: Path, target: Path, rows: list[tuple[object, ...]], period: str = "") -> None:
    """Fill the template as an officer would, and save it (openpyxl stands in for Excel)."""
    book = load_workbook(template)
    sheet = book["Kenya"]
    for r, row in enumerate(rows, start=2):
        values = list(row)
        if period:
            values.insert(1, period)
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(r, c, value)
    book.save(target)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_template_has_the_headers_checks_and_no_formulas(tmp_path: Path, lang: str) -> None:
    path = _template(tmp_path, "--lang", lang, "--periods", "2004", "2005 q1")
    book = load_workbook(path)
    assert book.sheetnames[0] == "Kenya" and book.active.title == "Kenya"
    sheet = book["Kenya"]
    headers = [c.value for c in sheet[1]]
    names = ["territory", "period", "target_households", "products", "pmgs", "members"]
    names += ["volume_sold_t", "value_usd", "currency", "notes"]
    assert headers == [template_header(n, lang) for n in names]
    assert sheet.freeze_panes == "A2"
    assert all(sheet.column_dimensions[chr(65 + i)].width >= 10 for i in range(len(names)))
    checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    rows = config.MAX_DATA_ROWS + 1
    assert checks[f"B2:B{rows}"].type == "list"
    assert checks[f"B2:B{rows}"].formula1 == '"2004,2005-Q1"'
    for letter in "CEF":  # households, PMGs, members: whole numbers from 0
        assert (
            checks[f"{letter}2:{letter}{rows}"].type,
            checks[f"{letter}2:{letter}{rows}"].formula1,
        ) == ("whole", "0")
    assert checks[f"G2:G{rows}"].type == "decimal" and checks[f"G2:G{rows}"].formula1 == "0"
    value = checks[f"H2:H{rows}"]
    assert (value.type, value.operator, value.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert checks[f"I2:I{rows}"].formula1 == '"USD,KES"'
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(re.search(rb"<f[ >]", archive.read(n)) for n in sheets)


def test_the_instructions_come_from_the_data_dictionary(tmp_path: Path) -> None:
    book = load_workbook(_template(tmp_path, "--lang", "fr"))
    text = "\n".join(
        str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value
    )
    french = translations("fr")
    for name, column in TerritoryInput.to_schema().columns.items():
        # Members by sex and age are optional columns the template does not write (#26).
        if name != "period" and name not in OPTIONAL_REPORTED:
            assert french.gettext(str(column.description)) in text, name
    assert "kenya.xlsx" in text and "100 000 000" in text.replace("\u202f", " ")


@pytest.mark.slow  # a real PDF: the brief an officer gets from the filled template
def test_a_filled_template_validates_and_builds_a_brief(dirs: Dirs, tmp_path: Path) -> None:
    _fill(_template(tmp_path), dirs.raw / "kenya.xlsx", FILLED)
    (kenya,) = run(dirs).countries
    assert kenya.status is Status.BUILT, [f.as_text() for f in kenya.findings]
    assert not [f for f in kenya.findings if f.severity == "error"]
    # The template's own Instructions sheet is known by its document property: not named.
    assert not [f for f in kenya.findings if f.rule == "unread-sheet"]
    assert kenya.summary["value_usd"] == 140_653 and kenya.summary["members"] == 7_842
    assert config.brief_pdf(dirs.reports, "kenya").stat().st_size > 0


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_filled_template_with_periods_validates_in_either_language(
    dirs: Dirs, tmp_path: Path, lang: str
) -> None:
    _fill(
        _template(tmp_path, "--lang", lang, "--periods", "2004"),
        dirs.raw / "kenya.xlsx",
        FILLED,
        "2004",
    )
    (kenya,) = run(dirs, render=fake_pdf).countries
    assert kenya.status is Status.BUILT and kenya.period == "2004"
    assert not [f for f in kenya.findings if f.rule == "unread-sheet"]


def test_the_same_template_twice_is_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1099180800")
    first = _template(tmp_path / "a").read_bytes()
    assert _template(tmp_path / "b").read_bytes() == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["template", "Kenia"], "Did you mean: Kenya"),
        (
            ["template", "kenya", "--periods", "spring"],
            '"spring" is not a period: write it as 2004',
        ),
    ],
)
def test_a_template_request_that_cannot_be_met_says_why(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_the_template_is_never_written_into_the_raw_folder(tmp_path: Path) -> None:
    from pipeline.run.template import TemplateError, write_template

    raw = tmp_path / "raw"
    raw.mkdir()
    for out in (raw, raw / "sub"):
        with pytest.raises(TemplateError, match="is the raw data folder"):
            write_template("kenya", [], "en", out, raw)
    assert not any(raw.rglob("*.xlsx"))
