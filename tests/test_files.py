"""Every file in data/raw accounted for, every workbook format read alike (#19 rule 4).

The .xls, .xlsb and .ods fixtures are committed (tests/fixtures/formats/make_fixtures.py says
how each was made): no maintained Python library writes .xls or .xlsb.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from pipeline import config
from pipeline.check.validate import country_table
from pipeline.cli import main
from pipeline.config import Dirs
from pipeline.core.findings import FileRefused, Severity
from pipeline.core.outcomes import Status
from pipeline.read.tables import read_table
from pipeline.run import runner
from pipeline.run.build import validate_country
from pipeline.run.inputs import country_files, is_leftover, unused_files

from .conftest import FIXTURES, SEED
from .fakes import fake_pdf

FORMATS = FIXTURES / "formats"
KENYA = SEED / "kenya.csv"
run = partial(runner.run, render=fake_pdf)
FIGURES = ["territory", "target_households", "pmgs", "members", "volume_sold_t", "value_usd"]


def _copy(source: Path, folder: Path, name: str) -> Path:
    shutil.copy(source, folder / name)
    return folder / name


@pytest.mark.parametrize("suffix", ["xls", "xlsb", "ods"])
def test_kenya_saved_as_another_workbook_reads_the_same_figures(
    tmp_path: Path, suffix: str
) -> None:
    csv = validate_country(_copy(KENYA, tmp_path, "kenya.csv"))[1]
    result, table, _ = validate_country(
        _copy(FORMATS / f"kenya.{suffix}", tmp_path, f"kenya.{suffix}")
    )
    assert result.status is Status.VALIDATED, [f.as_text() for f in result.findings]
    assert csv is not None and table is not None
    # The visible sheet named after the country; the hidden "2003 (old)" is never read.
    assert table.raw.file == f"kenya.{suffix} [Kenya]"
    got = table.territories[FIGURES].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, csv.territories[FIGURES].reset_index(drop=True))
    assert [t.figures for t in table.totals] == [t.figures for t in csv.totals]


@pytest.mark.parametrize("suffix", ["xls", "xlsb", "ods"])
def test_error_cells_are_errors_in_every_workbook_format(tmp_path: Path, suffix: str) -> None:
    table = country_table(
        read_table(_copy(FORMATS / f"errors.{suffix}", tmp_path, f"kenya.{suffix}"))
    )
    assert [
        (f.line, f.column, f.rule, f.value) for f in table.findings if f.severity is Severity.ERROR
    ] == [
        (3, "Volume sold (mts)", "error-value", "#N/A"),
        (3, "Value (in US$)", "error-value", "#DIV/0!"),
    ]
    assert not [f for f in table.findings if f.rule == "not-reported"]


def test_an_xlsx_error_cell_is_an_error_never_not_reported(tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["Territory", "Target households", "Products", "PMGs", "Members"])
    book.active["F1"], book.active["G1"] = "Volume sold (t)", "Value (US$)"
    book.active.append(["A", 100, "x", 2, 20, "#N/A", 100])
    book.active["F2"].data_type = "e"
    book.save(tmp_path / "kenya.xlsx")
    table = country_table(read_table(tmp_path / "kenya.xlsx"))
    assert [(f.line, f.rule, f.value) for f in table.findings if f.severity is Severity.ERROR] == [
        (2, "error-value", "#N/A")
    ]


@pytest.mark.parametrize(
    ("stored", "said"),
    [
        (446.99999999999994, "is stored as 446.99"),
        (447.00000000000006, "which the sheet shows as 447"),
        (447.5, "has a fraction"),
    ],
)
def test_a_count_a_formula_left_a_hair_off_whole_is_named_as_such(
    tmp_path: Path, stored: float, said: str
) -> None:
    """Excel shows 446.99999999999994 as 447: "a count has a fraction" alone would puzzle the
    officer, so the finding says what is stored and how to round it; a real fraction is one."""
    book = Workbook()
    book.active.append(["Territory", "Target households", "Products", "PMGs", "Members"])
    book.active["F1"], book.active["G1"] = "Volume sold (t)", "Value (US$)"
    book.active.append(["A", 100, "x", 2, stored, 5, 100])
    book.save(tmp_path / "kenya.xlsx")
    table = country_table(read_table(tmp_path / "kenya.xlsx"))
    (error,) = [f for f in table.findings if f.severity is Severity.ERROR]
    assert (error.line, error.rule) == (2, "whole-number")
    assert said in error.message


@pytest.mark.parametrize(
    ("suffix", "row"), [("xls", "65,536"), ("xlsb", "1,000,000"), ("ods", "1,000,000")]
)
def test_a_sheet_past_the_limits_is_refused_before_it_is_loaded(
    tmp_path: Path, suffix: str, row: str
) -> None:
    with pytest.raises(FileRefused) as info:
        read_table(_copy(FORMATS / f"far.{suffix}", tmp_path, f"kenya.{suffix}"))
    assert info.value.finding.rule == "sheet-too-large"
    assert f"reaches row {row}" in info.value.finding.message


LEFTOVERS = [
    "~$kenya.xlsx",
    ".~lock.kenya.ods#",
    ".DS_Store",
    "Thumbs.db",
    "desktop.ini",
    "._kenya.csv",
    "kenya.csv~",
]


@pytest.mark.parametrize("name", LEFTOVERS)
def test_leftovers_are_ignored_and_never_a_second_country_file(dirs: Dirs, name: str) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    (dirs.raw / name).write_bytes(b"\x00lock")
    assert is_leftover(name)
    assert country_files(dirs.raw) == [dirs.raw / "kenya.csv"]
    assert unused_files(dirs.raw, country_files(dirs.raw)) == []
    (result,) = run(dirs, brief=False).countries
    assert result.status is Status.VALIDATED


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], dirs: Dirs
) -> Callable[..., tuple[int, str]]:
    real = runner.run

    def quick(*args: object, **kwargs: object) -> object:
        return real(*args, **{**kwargs, "render": fake_pdf, "isolate": False})

    monkeypatch.setattr(runner, "run", quick)

    def call(command: str = "report") -> tuple[int, str]:
        folders = ["--raw", str(dirs.raw), "--processed", str(dirs.processed)]
        code = main([command, *folders, "--reports", str(dirs.reports), "--jobs", "1"])
        out, err = capsys.readouterr()
        return code, out + err

    return call


def test_kenya_resaved_as_ods_builds_and_keeps_its_brief(dirs: Dirs, cli) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    assert cli()[0] == 0
    (dirs.raw / "kenya.csv").unlink()
    shutil.copy(FORMATS / "kenya.ods", dirs.raw / "kenya.ods")
    code, out = cli()
    assert code == 0, out
    assert config.brief_pdf(dirs.reports, "kenya").is_file()
    assert config.overview_pdf(dirs.reports).is_file()
    assert b"Mbeere" in config.processed_csv(dirs.processed, "kenya").read_bytes()


@pytest.mark.parametrize("name", ["kenya.numbers", "kenya.pdf", "Kenya.docx"])
def test_an_unreadable_format_is_refused_like_any_country_never_absent(
    dirs: Dirs, cli, name: str
) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    assert cli()[0] == 0
    (dirs.raw / "kenya.csv").unlink()
    (dirs.raw / name).write_bytes(b"PK\x03\x04 not a table we read")
    code, out = cli()
    assert code == 1
    assert name in out and "unreadable-format" in out and "save it as .xlsx or .csv" in out
    # Its old brief goes, and the run says why, naming the file.
    assert not config.brief_pdf(dirs.reports, "kenya").exists()
    report = config.validation_report(dirs.reports).read_text(encoding="utf-8")
    assert name in report and "unreadable-format" in report


def test_a_country_file_beside_a_pdf_of_the_same_name_are_both_refused(dirs: Dirs) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    (dirs.raw / "kenya.pdf").write_bytes(b"%PDF-1.7")
    outcome = run(dirs)
    assert {c.file: (c.status, c.findings[0].rule) for c in outcome.countries} == {
        "kenya.csv": (Status.REFUSED, "duplicate-country"),
        "kenya.pdf": (Status.REFUSED, "duplicate-country"),
    }


def test_every_other_file_is_named_with_why_and_what_to_do(dirs: Dirs, cli) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    (dirs.raw / "notes.docx").write_bytes(b"doc")
    (dirs.raw / "README.txt").write_text("read me")
    (dirs.raw / "uganda.md").write_text("# Uganda")
    (dirs.raw / ".hidden.csv").write_text("x")
    (dirs.raw / "archive").mkdir()
    (dirs.raw / "targets.csv").write_text("country,indicator,target\nKenya,pmgs,60\n")
    (dirs.raw / "targets.xlsx").write_bytes(b"PK")
    (dirs.raw / "exchange_rates.xlsx").write_bytes(b"PK")
    named = {f.file: f for f in unused_files(dirs.raw, country_files(dirs.raw))}
    assert sorted(named) == [
        ".hidden.csv",
        "README.txt",
        "archive",
        "exchange_rates.xlsx",
        "notes.docx",
        "targets.xlsx",
        "uganda.md",
    ]
    assert "read only as exchange_rates.csv" in named["exchange_rates.xlsx"].message
    assert all(
        f.severity is Severity.WARNING and f.rule == "file-not-used" and f.fix
        for f in named.values()
    )
    code, out = cli()
    assert code == 0, out
    assert all(f'Not read                 "{n}"' in out or n in out for n in named)
    report = config.validation_report(dirs.reports).read_text(encoding="utf-8")
    assert all(n in report for n in named)


def test_a_file_added_to_a_built_folder_is_named_in_the_next_report(dirs: Dirs) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    run(dirs)
    assert run(dirs).up_to_date
    (dirs.raw / "kenya 2004 notes.docx").write_bytes(b"doc")
    outcome = run(dirs)
    assert [f.file for f in outcome.unused_files] == ["kenya 2004 notes.docx"]
    assert "kenya 2004 notes.docx" in config.validation_report(dirs.reports).read_text(
        encoding="utf-8"
    )
    again = run(dirs)
    assert again.up_to_date and [f.file for f in again.unused_files] == ["kenya 2004 notes.docx"]


def test_every_rule_of_the_closed_world_is_catalogued_with_its_fix() -> None:
    from pipeline.core.rules import RULES

    new = [
        "header-token",
        "conflicting-header",
        "currency-conflict",
        "unknown-currency",
        "error-value",
        "mixed-number-formats",
        "unclassified-row",
        "header-differs",
        "unit-conflict",
        "other-country",
        "probable-totals-row",
        "unreadable-format",
        "file-not-used",
        "note-row",
        "repeated-header",
        "units-row",
        "totals-by-name",
    ]
    assert all(RULES[code].description and RULES[code].fix for code in new)


def test_every_finding_says_what_to_check_or_do_never_nothing() -> None:
    """A warning that asks for nothing is noise an officer learns to skip: each rule's fix
    names what to check or change (a reading the tool made is checked by the person who
    knows the table)."""
    from pipeline.core.rules import RULES

    idle = [
        code
        for code, rule in RULES.items()
        if any(w in rule.fix.lower() for w in ("nothing to do", "to silence this"))
    ]
    assert idle == []
