"""End to end: data/raw in, briefs, processed tables and the validation report out."""

import re
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import Dirs
from pipeline.core.outcomes import Status
from pipeline.run.runner import run

from . import goldens
from .conftest import FIXTURES, SEED
from .fakes import fake_pdf, fake_text

SYNTHETIC = (
    "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"
    'Nord,"2,000","sorghum, millet",10,400,20.25,"9,000"\n'
    "Sud,1500,groundnuts (not sold yet),6,300,,\n"
)


def _text(pdf: Path) -> str:
    return goldens.pdf_text(pdf)


@pytest.fixture(scope="module")
def kenya_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Dirs, object]:
    """The shipped Kenya data built once into a temporary folder."""
    root = tmp_path_factory.mktemp("kenya")
    dirs = Dirs(raw=SEED, processed=root / "processed", reports=root / "reports")
    return dirs, run(dirs)


@pytest.mark.slow
def test_kenya_brief_has_the_seed_figures(kenya_build) -> None:
    dirs, outcome = kenya_build
    (kenya,) = outcome.countries
    # Three pages of brief, two of the appendix "How each figure was made" (#25).
    assert kenya.status is Status.BUILT and kenya.pages == 5
    text = _text(dirs.reports / "kenya.pdf")
    for expected in [
        "Mbeere",
        "Homabay",
        "Kitu",
        "Tana River",
        "18,125",
        "49",
        "7,842",
        "341.5",
        "140,653",
        "cotton (not sold yet)",
        "Key findings",
        "Data notes",
        "How each figure was made",
        "Page 1 of",
    ]:
        assert expected in text, expected
    assert re.search(r"Homabay contributed the largest share of value: US\$78,175", text)


@pytest.mark.slow
def test_kenya_processed_and_validation_outputs(kenya_build) -> None:
    dirs, _ = kenya_build
    processed = (dirs.processed / "kenya.csv").read_text(encoding="utf-8-sig").splitlines()
    assert processed[0].startswith("line,territory,target_households")
    assert processed[0].endswith("price_usd_per_t,value_share")
    assert len(processed) == 5
    findings = (dirs.processed / "validation" / "kenya.csv").read_text(encoding="utf-8-sig")
    assert "members-per-pmg-implausible" in findings
    report = (dirs.reports / "validation.html").read_text(encoding="utf-8")
    assert "Kenya" in report and "built" in report


@pytest.mark.slow
def test_second_country_needs_no_code_change(dirs: Dirs) -> None:
    (dirs.raw / "burkina-faso.csv").write_text(SYNTHETIC, encoding="utf-8")
    outcome = run(dirs)
    (result,) = outcome.countries
    assert result.status is Status.BUILT, [f.as_text() for f in result.findings]
    text = _text(dirs.reports / "burkina-faso.pdf")
    assert "Burkina Faso" in text and "Nord" in text and "3,500" in text
    assert "20.25" in text and "groundnuts (not sold yet)" in text
    # Sud's blank volume and value print as not reported, in the impact table (after its
    # households, PMGs and members) and in the indicators table (its value-based ratios).
    assert re.search(r"^Sud groundnuts \(not sold yet\) 1,500 6 300 – –$", text, re.MULTILINE)
    assert re.search(r"^Sud 20% 50 – – –$", text, re.MULTILINE)


def test_bad_country_does_not_stop_others(dirs: Dirs) -> None:
    shutil.copy(FIXTURES / "invalid" / "negative_number.csv", dirs.raw / "uganda.csv")
    (dirs.raw / "rwanda.csv").write_text(SYNTHETIC, encoding="utf-8")
    (dirs.raw / "atlantis.csv").write_text(SYNTHETIC, encoding="utf-8")
    outcome = run(dirs, render=fake_pdf)
    status = {c.file: c.status for c in outcome.countries}
    assert status == {
        "atlantis.csv": Status.REFUSED,
        "rwanda.csv": Status.BUILT,
        "uganda.csv": Status.INVALID,
    }
    assert not outcome.ok
    assert (dirs.reports / "rwanda.pdf").exists() and not (dirs.reports / "uganda.pdf").exists()
    rejected = (dirs.processed / "validation" / "uganda-rejected.csv").read_text("utf-8-sig")
    assert "North,1000,maize,4,120,-10,4200" in rejected and "negative-number" in rejected
    assert outcome.invariant() == (6, 3, 1, 2)  # atlantis.csv's 2 rows are in a refused file


def test_stale_brief_is_removed_when_data_turns_invalid(dirs: Dirs) -> None:
    (dirs.raw / "rwanda.csv").write_text(SYNTHETIC, encoding="utf-8")
    run(dirs, render=fake_pdf)
    assert (dirs.reports / "rwanda.pdf").exists()
    shutil.copy(FIXTURES / "invalid" / "negative_number.csv", dirs.raw / "rwanda.csv")
    run(dirs, render=fake_pdf)
    assert not (dirs.reports / "rwanda.pdf").exists()
    assert not (dirs.processed / "rwanda.csv").exists()


def test_two_files_for_one_country_are_both_refused(dirs: Dirs) -> None:
    (dirs.raw / "kenya.csv").write_text(SYNTHETIC, encoding="utf-8")
    (dirs.raw / "KE.csv").write_text(SYNTHETIC, encoding="utf-8")
    outcome = run(dirs, brief=False)
    assert [(c.file, c.findings[0].rule) for c in outcome.countries] == [
        ("KE.csv", "duplicate-country"),
        ("kenya.csv", "duplicate-country"),
    ]


def _cli(dirs: Dirs, *args: str) -> int:
    return main(
        [
            *args,
            "--raw",
            str(dirs.raw),
            "--processed",
            str(dirs.processed),
            "--reports",
            str(dirs.reports),
        ]
    )


@pytest.mark.slow
def test_cli_exit_codes(dirs: Dirs, capsys: pytest.CaptureFixture[str]) -> None:
    (dirs.raw / "rwanda.csv").write_text(SYNTHETIC, encoding="utf-8")
    assert _cli(dirs, "validate") == 0
    assert _cli(dirs, "report", "--country", "RW") == 0
    out = capsys.readouterr().out
    assert "Rwanda" in out and "built rwanda.pdf" in out and "Rows: 2 read = 2 accepted" in out
    shutil.copy(FIXTURES / "invalid" / "text_in_number.csv", dirs.raw / "uganda.csv")
    assert _cli(dirs, "report") == 1
    out = capsys.readouterr().out
    assert 'uganda.csv, line 2, column "Members"' in out
    assert (dirs.reports / "rwanda.pdf").exists()
    assert _cli(dirs, "report", "--country", "france") == 2
    assert main(["report", "--raw", str(dirs.raw / "nowhere")]) == 2
    assert main(["frobnicate"]) == 2


@pytest.mark.parametrize("command", [[], ["report"], ["validate"], ["fix"], ["template"]])
def test_every_command_has_help_with_an_example(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--help"]) == 0
    assert "Example" in capsys.readouterr().out


def test_brief_states_the_exchange_rate(dirs: Dirs) -> None:
    (dirs.raw / "exchange_rates.csv").write_text("currency,period,units_per_usd\nKES,,80\n")
    (dirs.raw / "kenya.csv").write_text(
        "Territory,Target households,Products,PMGs,Members,Volume sold (kg),Value (KES)\n"
        'Mbeere,5000,greengrams,9,447,"32,000","1,048,240"\n'
        "Kitu,4000,cotton,8,381,161000,3692240\n"
    )
    outcome = run(dirs, render=fake_pdf)
    assert [c.file for c in outcome.countries] == ["kenya.csv"]  # the rates file is no country
    text = fake_text(dirs.reports / "kenya.pdf")  # its HTML: the wording is the subject
    assert "converted to US$ at 80 KES per US$" in text
    assert "13,103" in text and "193.0" in text
