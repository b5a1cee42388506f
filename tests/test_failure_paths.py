"""What a run does when something breaks: each failure is a finding, and the rest still builds."""

from __future__ import annotations

from pathlib import Path

from pipeline import config
from pipeline.config import Dirs
from pipeline.core.findings import errors
from pipeline.core.outcomes import CountryResult, Status
from pipeline.run.build import validate_country
from pipeline.run.runner import run
from pipeline.run.tasks import Reporter, Shared

from .fakes import FailingPdf, fake_pdf, fast_build

GOOD = (
    "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"
    "Gulu,2000,maize,10,400,20,9000\n"
    "Lira,1000,beans,5,100,10,2000\n"
)


def test_a_brief_that_fails_to_render_fails_alone_and_leaves_no_pdf(dirs: Dirs) -> None:
    (dirs.raw / "uganda.csv").write_text(GOOD, encoding="utf-8")
    (dirs.raw / "tanzania.csv").write_text(GOOD, encoding="utf-8")
    run(dirs, render=fake_pdf)
    assert (dirs.reports / "uganda.pdf").is_file()

    outcome = run(
        dirs, force=True, render=FailingPdf("uganda.csv", RuntimeError("layout exploded"))
    )

    status = {c.file: c.status for c in outcome.countries}
    assert status == {"tanzania.csv": Status.BUILT, "uganda.csv": Status.FAILED}
    (uganda,) = [c for c in outcome.countries if c.file == "uganda.csv"]
    (finding,) = [f for f in uganda.findings if f.rule == "render-failed"]
    assert finding.message == "The brief could not be rendered: layout exploded"
    assert not (dirs.reports / "uganda.pdf").exists()  # never an old brief beside a failure
    assert (dirs.reports / "tanzania.pdf").is_file()
    assert not outcome.ok
    # A failed country is not recorded as done: the next run tries it again.
    again = run(dirs, render=fake_pdf)
    assert {c.file: c.status for c in again.countries}["uganda.csv"] is Status.BUILT


def test_an_unreadable_programme_fails_each_valid_country_with_a_finding(dirs: Dirs) -> None:
    (dirs.raw / "uganda.csv").write_text(GOOD, encoding="utf-8")
    (dirs.raw / config.PROGRAMME_FILE).write_text("name: [unclosed\n", encoding="utf-8")

    outcome = run(dirs, render=fake_pdf)

    (uganda,) = outcome.countries
    assert uganda.status is Status.FAILED
    assert [f.rule for f in errors(uganda.findings)] == ["no-programme"]
    assert "programme.yaml is not valid YAML" in outcome.content_error
    assert not (dirs.reports / "uganda.pdf").exists()
    assert not outcome.ok
    # The data itself was valid: its processed table and findings were still written.
    assert (dirs.processed / "uganda.csv").is_file()
    assert outcome.invariant() == (2, 2, 0, 0)


def test_a_file_refused_for_its_header_counts_its_rows_as_refused(dirs: Dirs) -> None:
    path = dirs.raw / "uganda.csv"
    path.write_text("Territory,Farmers\nGulu,400\nLira,100\n\nApac,50\n", encoding="utf-8")

    result, table, indicators = validate_country(path)

    assert [(f.rule, f.line) for f in result.findings] == [("missing-column", 1)]
    assert result.status is Status.REFUSED and table is None and indicators is None
    # Three data rows (the blank line is none): read, and all in a refused file.
    assert (result.rows_read, result.rows_accepted, result.rows_refused) == (3, 0, 3)


def test_a_file_with_no_header_at_all_has_no_rows_to_count(dirs: Dirs) -> None:
    path = dirs.raw / "uganda.csv"
    path.write_text("just some notes\nand more notes\n", encoding="utf-8")
    result, _, _ = validate_country(path)
    assert [f.rule for f in result.findings] == ["no-header"]
    assert (result.rows_read, result.rows_refused) == (0, 0)


def _buggy_task(path: Path, dirs: Dirs, shared: Shared, reporter: Reporter) -> CountryResult:
    if path.stem == "uganda":
        raise KeyError("value_per_member_usd")  # as a bug in our own code would
    return fast_build(path, dirs, shared, reporter)


def test_a_bug_on_one_file_fails_that_country_alone(dirs: Dirs) -> None:
    (dirs.raw / "uganda.csv").write_text(GOOD, encoding="utf-8")
    (dirs.raw / "tanzania.csv").write_text(GOOD, encoding="utf-8")

    outcome = run(dirs, task=_buggy_task, render=fake_pdf)

    status = {c.file: c.status for c in outcome.countries}
    assert status == {"tanzania.csv": Status.BUILT, "uganda.csv": Status.FAILED}
    (uganda,) = [c for c in outcome.countries if c.file == "uganda.csv"]
    (finding,) = uganda.findings
    assert finding.rule == "internal-error" and "(KeyError)" in finding.message
    # The traceback is in the log the finding names, never on the terminal.
    log = dirs.reports / "errors.log"
    assert str(log) in finding.message and "KeyError: 'value_per_member_usd'" in log.read_text()
    # The bug struck before uganda's rows were read, and the finding says they are not counted.
    assert "not counted" in finding.message
    assert outcome.invariant() == (2, 2, 0, 0)


def test_a_narrative_that_cannot_be_printed_fails_its_country_with_the_officers_fix(
    dirs: Dirs,
) -> None:
    """Not a maintainer's bug: the finding names the .md file and what to write instead."""
    (dirs.raw / "uganda.csv").write_text(GOOD, encoding="utf-8")
    (dirs.raw / "tanzania.csv").write_text(GOOD, encoding="utf-8")
    (dirs.raw / "uganda.md").write_text("# मुंबई\n", encoding="utf-8")

    outcome = run(dirs, render=fake_pdf)

    status = {c.file: c.status for c in outcome.countries}
    assert status == {"tanzania.csv": Status.BUILT, "uganda.csv": Status.FAILED}
    (uganda,) = [c for c in outcome.countries if c.file == "uganda.csv"]
    (finding,) = errors(uganda.findings)
    assert (finding.rule, finding.value) == ("bad-narrative", "uganda.md")
    assert "Devanagari" in finding.message and "maintainers" not in finding.fix
    assert not (dirs.reports / "uganda.pdf").exists()
