"""Runs that lose nothing and never crash (#13): outputs follow their country, state is
untrusted, I/O errors are messages, one run at a time, Ctrl-C, crashes fail one country.

Orchestration is the subject: runs use the stand-in PDF renderer (tests/fakes.py).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from filelock import FileLock
from openpyxl import Workbook

from bench.synthetic import country_csv
from pipeline import config
from pipeline.cli import INTERRUPTED, io_message, main
from pipeline.config import Dirs
from pipeline.core.outcomes import CountryResult, Status
from pipeline.present.render import RenderError
from pipeline.run import outputs, runner
from pipeline.run.build import build_country, validate_country
from pipeline.run.folders import BuildLocked
from pipeline.run.tasks import Reporter, Shared

from .conftest import FIXTURES, SEED
from .fakes import FailingPdf, fake_pdf

PROJECT = Path(__file__).resolve().parents[1]
KENYA = SEED / "kenya.csv"
run = partial(runner.run, render=fake_pdf)
#: As WeasyPrint running out of memory would: the process rendering Tanzania's brief dies.
KILL_RENDERING_TANZANIA = FailingPdf("tanzania.csv", signal=signal.SIGKILL)


def _outputs(dirs: Dirs, slug: str) -> list[Path]:
    return [
        config.brief_pdf(dirs.reports, slug),
        config.processed_csv(dirs.processed, slug),
        config.validation_csv(dirs.processed, slug),
    ]


def _manifest(dirs: Dirs) -> dict:
    return json.loads(config.manifest(dirs.reports).read_text(encoding="utf-8"))


def _cli_args(dirs: Dirs, *args: str) -> list[str]:
    folders = ["--raw", str(dirs.raw), "--processed", str(dirs.processed)]
    return [*args, *folders, "--reports", str(dirs.reports)]


@pytest.fixture
def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], dirs: Dirs
) -> Callable[..., tuple[int, str, str]]:
    """`python -m pipeline` in this process, with the stand-in renderer: (code, out, err)."""
    real = runner.run

    def quick(*args: object, **kwargs: object) -> object:
        return real(*args, **{**kwargs, "render": fake_pdf, "isolate": False, "lock_timeout": 0.2})

    monkeypatch.setattr(runner, "run", quick)

    def call(*args: str) -> tuple[int, str, str]:
        code = main(_cli_args(dirs, *args, "--jobs", "1"))
        out, err = capsys.readouterr()
        assert "Traceback" not in out + err
        return code, out, err

    return call


# 1. Outputs follow their country, not their file.


def test_renaming_kenya_csv_to_Kenya_csv_keeps_the_new_brief(dirs: Dirs) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    run(dirs)
    (dirs.raw / "kenya.csv").rename(dirs.raw / "Kenya.csv")

    (result,) = run(dirs).countries

    assert result.file == "Kenya.csv" and result.status is Status.BUILT
    assert all(p.is_file() for p in _outputs(dirs, "kenya"))
    assert list(_manifest(dirs)["countries"]) == ["Kenya.csv"]
    again = run(dirs)
    assert again.up_to_date and all(p.is_file() for p in _outputs(dirs, "kenya"))


def test_replacing_kenya_csv_by_a_workbook_keeps_the_new_brief(dirs: Dirs) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    run(dirs)
    book = Workbook()
    sheet = book.active
    sheet.append(["Territory", "Target households", "Products", "PMGs", "Members"])
    sheet["F1"], sheet["G1"] = "Volume (MT)", "Value (US$)"
    sheet.append(["Mbeere", 4000, "green grams", 10, 200, 12.5, 5000])
    book.save(dirs.raw / "kenya.xlsx")
    (dirs.raw / "kenya.csv").unlink()

    (result,) = run(dirs).countries

    assert result.status is Status.BUILT, [f.as_text() for f in result.findings]
    assert all(p.is_file() for p in _outputs(dirs, "kenya"))
    assert b"Mbeere" in config.processed_csv(dirs.processed, "kenya").read_bytes()
    assert run(dirs).up_to_date


def test_a_second_file_for_kenya_refuses_both_and_removes_the_old_brief(dirs: Dirs) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    run(dirs)
    assert all(p.is_file() for p in _outputs(dirs, "kenya"))
    shutil.copy(KENYA, dirs.raw / "KE.csv")

    outcome = run(dirs)

    assert {c.file: c.status for c in outcome.countries} == {
        "KE.csv": Status.REFUSED,
        "kenya.csv": Status.REFUSED,
    }
    assert not any(p.exists() for p in _outputs(dirs, "kenya"))
    # No valid country: no overview, and the run says so in words.
    assert not config.overview_pdf(dirs.reports).exists()
    assert not config.overview_csv(dirs.processed).exists()
    assert outcome.overview is None
    assert any("no country validated" in note for note in outcome.notes)


def test_no_overview_when_every_valid_country_failed_to_render_says_so(dirs: Dirs) -> None:
    """A country that validated but could not be rendered is not "no country validated": the
    run's note says which happened, so the officer looks at the rendering error above."""
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    failing = FailingPdf(
        "uganda.csv", RenderError("The brief would have 9 pages; the limit is 8.")
    )

    outcome = run(dirs, render=failing)

    assert [c.status for c in outcome.countries] == [Status.FAILED]
    assert outcome.overview is None
    notes = [n for n in outcome.notes if n.startswith("No overview")]
    assert len(notes) == 1 and "no country validated" not in notes[0]
    assert "1 validated, but could not be rendered" in notes[0]


def test_the_outputs_of_a_refused_country_go_even_without_a_manifest(dirs: Dirs) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    run(dirs)
    config.manifest(dirs.reports).unlink()
    shutil.copy(KENYA, dirs.raw / "KEN.csv")
    run(dirs)
    assert not any(p.exists() for p in _outputs(dirs, "kenya"))


def test_no_valid_country_says_so_and_leaves_no_old_overview(
    dirs: Dirs, cli: Callable[..., tuple[int, str, str]]
) -> None:
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    assert cli("report")[0] == 0
    assert config.overview_csv(dirs.processed).is_file()
    shutil.copy(
        config.PROJECT_ROOT / "tests/fixtures/invalid/negative_number.csv", dirs.raw / "uganda.csv"
    )

    code, out, err = cli("report")

    assert code == 1
    assert "no country validated" in out
    assert "Overview" not in out and "could not be rendered" not in err
    assert not config.overview_csv(dirs.processed).exists()
    assert not config.overview_pdf(dirs.reports).exists()


def test_a_broken_programme_never_reports_an_overview_as_built(
    dirs: Dirs, cli: Callable[..., tuple[int, str, str]]
) -> None:
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    assert cli("report")[0] == 0
    text = (dirs.raw / "programme.yaml").read_text(encoding="utf-8")
    start = text.index("partners:")
    end = text.index("period:")
    broken = text[:start] + "partners:\n  - CIAT\n  - CRS\n" + text[end:]
    (dirs.raw / "programme.yaml").write_text(broken, encoding="utf-8")

    code, out, err = cli("report")

    assert code == 1
    assert "programme.yaml, partners: expected a list of {name, short}" in err
    assert "built" not in out  # neither the brief nor the overview
    assert not config.overview_pdf(dirs.reports).exists()
    assert not config.brief_pdf(dirs.reports, "uganda").exists()


def test_every_output_the_terminal_reports_as_built_exists(
    dirs: Dirs, cli: Callable[..., tuple[int, str, str]]
) -> None:
    shutil.copy(KENYA, dirs.raw / "kenya.csv")
    cli("report")
    (dirs.raw / "kenya.csv").rename(dirs.raw / "Kenya.csv")
    code, out, _ = cli("report")
    built = [line.split(" built ")[1].split()[0] for line in out.splitlines() if " built " in line]
    assert code == 0 and sorted(built) == ["kenya.pdf", "overview.pdf"]
    assert all((dirs.reports / name).is_file() for name in built)


# 2. State is untrusted.


def test_a_damaged_manifest_means_a_full_rebuild_with_one_line(
    dirs: Dirs, cli: Callable[..., tuple[int, str, str]]
) -> None:
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    cli("report")
    manifest = _manifest(dirs)
    manifest["countries"]["uganda.csv"]["outputs"] = ["uganda.pdf"]  # valid JSON, wrong shape
    config.manifest(dirs.reports).write_text(json.dumps(manifest), encoding="utf-8")

    code, out, _ = cli("report")

    assert code == 0
    notes = [line for line in out.splitlines() if "manifest.json is damaged" in line]
    assert len(notes) == 1 and "every country is rebuilt" in notes[0], out
    assert "built uganda.pdf" in out
    assert cli("report")[1].count("Nothing changed") == 1


def test_a_manifest_never_removes_files_outside_the_output_folders(
    dirs: Dirs, tmp_path: Path
) -> None:
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    run(dirs)
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me", encoding="utf-8")
    manifest = _manifest(dirs)
    manifest["countries"]["uganda.csv"]["outputs"]["../precious.txt"] = "0" * 64
    config.manifest(dirs.reports).write_text(json.dumps(manifest), encoding="utf-8")
    (dirs.raw / "uganda.csv").unlink()
    run(dirs)
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not config.brief_pdf(dirs.reports, "uganda").exists()


# 4. I/O errors are user errors.


def test_processed_pointing_at_a_file_is_a_message(
    dirs: Dirs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(runner, "run", partial(runner.run, render=fake_pdf, isolate=False))
    args = ["report", "--raw", str(dirs.raw), "--processed", str(a_file)]

    code = main([*args, "--reports", str(dirs.reports), "--jobs", "1"])

    out, err = capsys.readouterr()
    assert code == 1
    assert err.strip().splitlines() == [err.strip()]  # one line
    assert str(a_file) in err and "a file stands where a folder is needed" in err
    assert "--processed" in err and "Traceback" not in out + err
    assert "maintainers" not in err


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "the file system is read-only"),
        (errno.ENOSPC, "the disk is full"),
    ],
)
def test_an_unwritable_reports_folder_is_a_message(
    dirs: Dirs,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., tuple[int, str, str]],
    code: int,
    words: str,
) -> None:
    # As root, permissions do not stop writes: the error the kernel would give is injected.
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    real = outputs._temporary

    def refuse(path: Path) -> tuple[Path, int]:
        if code == errno.ENOSPC:  # a real full disk: every write to /dev/full fails so
            return path.with_name(".never.tmp"), os.open("/dev/full", os.O_WRONLY)
        if path.parent == dirs.reports:
            raise OSError(code, os.strerror(code), str(path.parent))
        return real(path)

    monkeypatch.setattr(outputs, "_temporary", refuse)

    status, _out, err = cli("report")

    assert status == 1
    assert len(err.strip().splitlines()) == 1 and words in err
    assert "--reports" in err or "--processed" in err
    assert "maintainers" not in err
    assert not list(dirs.reports.rglob("*.tmp")) and not list(dirs.processed.rglob("*.tmp"))


def test_a_bug_goes_to_a_log_never_to_the_terminal(
    dirs: Dirs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> None:
        raise TypeError("unsupported operand")

    monkeypatch.setattr(runner, "run", broken)
    code = main(_cli_args(dirs, "report"))
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    log = config.error_log(dirs.reports)
    assert f"Report it to the maintainers with {log}" in err
    assert "Traceback" in log.read_text(encoding="utf-8")


def _buggy(path: Path, dirs: Dirs, shared: Shared, reporter: Reporter) -> CountryResult:
    if path.stem == "tanzania":
        validate_country(path, shared, reporter)  # reads it, as a build does first
        raise KeyError("value_per_member_usd")
    return build_country(path, dirs, shared, reporter, render=fake_pdf)


def test_a_bug_in_one_country_fails_it_alone_with_a_log(dirs: Dirs) -> None:
    for seed, name in enumerate(("kenya", "tanzania")):
        (dirs.raw / f"{name}.csv").write_text(country_csv(3, seed), encoding="utf-8")
    outcome = run(dirs, task=_buggy)
    status = {c.file: c.status for c in outcome.countries}
    assert status == {"kenya.csv": Status.BUILT, "tanzania.csv": Status.FAILED}
    (finding,) = next(c for c in outcome.countries if c.file == "tanzania.csv").findings
    assert finding.rule == "internal-error"
    assert str(config.error_log(dirs.reports)) in finding.message
    assert "value_per_member_usd" in config.error_log(dirs.reports).read_text(encoding="utf-8")
    assert outcome.invariant() == (8, 4, 0, 4)  # its rows were read, then counted as refused


# 3. A crash fails one country, and the parent never re-reads its file.


@pytest.fixture
def no_reading_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process (the parent) must not read a country file: the workers do."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parent read a country file")

    for module in ("pipeline.read.tables", "pipeline.run.build"):
        monkeypatch.setattr(f"{module}.read_table", refuse, raising=False)
        monkeypatch.setattr(f"{module}.count_rows", refuse, raising=False)


@pytest.mark.usefixtures("no_reading_here")
def test_a_crash_after_reading_counts_the_rows_without_reading_again(dirs: Dirs) -> None:
    for seed, (name, size) in enumerate({"uganda": 3, "tanzania": 4, "kenya": 2}.items()):
        (dirs.raw / f"{name}.csv").write_text(country_csv(size, seed), encoding="utf-8")

    outcome = runner.run(dirs, jobs=2, render=KILL_RENDERING_TANZANIA)

    status = {c.file: c.status for c in outcome.countries}
    assert status["tanzania.csv"] is Status.FAILED
    assert status["kenya.csv"] is status["uganda.csv"] is Status.BUILT
    assert outcome.invariant() == (12, 7, 0, 5)  # nothing lost


@pytest.mark.usefixtures("no_reading_here")
def test_a_crash_fails_its_country_alone_with_one_job(dirs: Dirs) -> None:
    for seed, name in enumerate(("kenya", "tanzania")):
        (dirs.raw / f"{name}.csv").write_text(country_csv(3, seed), encoding="utf-8")

    outcome = runner.run(dirs, jobs=1, isolate=True, render=KILL_RENDERING_TANZANIA)

    status = {c.file: c.status for c in outcome.countries}
    assert status == {"kenya.csv": Status.BUILT, "tanzania.csv": Status.FAILED}
    assert config.brief_pdf(dirs.reports, "kenya").is_file()


# 5. Outputs honour the umask.


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    before = os.umask(0o022)
    yield os.umask
    os.umask(before)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_honour_the_umask(
    dirs: Dirs, umask: Callable[[int], None], mask: int, mode: int
) -> None:
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    umask(mask)
    run(dirs)
    written = [p for p in (*dirs.reports.rglob("*"), *dirs.processed.rglob("*")) if p.is_file()]
    written = [p for p in written if p.name != config.lock_file(p.parent).name]
    assert {p.name for p in written} >= {"uganda.pdf", "manifest.json", "overview.csv"}
    assert {oct(p.stat().st_mode & 0o777) for p in written} == {oct(mode)}


# 6. One run at a time.


def test_a_second_run_waits_then_stops_and_leaves_the_first_runs_files(
    dirs: Dirs, cli: Callable[..., tuple[int, str, str]]
) -> None:
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    dirs.reports.mkdir()
    in_progress = dirs.reports / ".uganda.pdf.0a1b2c.tmp"  # the other run's write
    in_progress.write_bytes(b"half")
    with FileLock(config.lock_file(dirs.reports)):
        with pytest.raises(BuildLocked, match="another build is running on these folders"):
            run(dirs, lock_timeout=0.1)
        code, _, err = cli("report")
        assert in_progress.exists()
    assert code == 1 and "another build is running on these folders" in err
    assert run(dirs).ok
    assert not in_progress.exists()  # a leftover once no run holds the folders


# 7. Ctrl-C.


_INTERRUPTED_CLI = """
import sys
import pipeline.run.runner as runner
import signal
# A terminal's foreground job: Ctrl-C interrupts it, even when the process that started this one
# (a test worker that has run a cluster or a pool) ignores SIGINT and so handed that down.
signal.signal(signal.SIGINT, signal.default_int_handler)
from tests.fakes import FailingPdf
real = runner.run
# The officer presses Ctrl-C while Tanzania's brief is being rendered.
ctrl_c = FailingPdf("tanzania.csv", signal=signal.SIGINT, group=True)
runner.run = lambda *a, **k: real(*a, **{**k, "render": ctrl_c})
from pipeline.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_keeps_finished_briefs_and_the_next_run_recovers(dirs: Dirs) -> None:
    for seed, name in enumerate(("kenya", "tanzania", "uganda", "zambia")):
        (dirs.raw / f"{name}.csv").write_text(country_csv(3, seed), encoding="utf-8")
    command = [sys.executable, "-c", _INTERRUPTED_CLI, *_cli_args(dirs, "report", "--jobs", "1")]
    # A session of its own, as a terminal's foreground job: Ctrl-C reaches all its processes.
    interrupted = subprocess.run(
        command, cwd=PROJECT, capture_output=True, text=True, start_new_session=True, check=False
    )

    assert interrupted.returncode == 130, interrupted.stderr
    assert interrupted.stderr.strip() == INTERRUPTED
    assert "Traceback" not in interrupted.stdout
    assert config.brief_pdf(dirs.reports, "kenya").is_file()
    assert config.brief_pdf(dirs.reports, "tanzania").is_file()  # it was being written: finished
    assert not list(dirs.reports.rglob("*.tmp")) and not list(dirs.processed.rglob("*.tmp"))

    again = run(dirs)

    assert again.ok and len(again.countries) == 4
    assert all(config.brief_pdf(dirs.reports, n).is_file() for n in ("uganda", "zambia"))


def test_jobs_below_zero_is_a_usage_error(dirs: Dirs, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_cli_args(dirs, "report", "--jobs", "-1")) == 2
    assert "error: --jobs must be 1 or more (0 means one per core)." in capsys.readouterr().err
    assert not dirs.reports.exists()


def test_an_error_on_our_lock_or_temporary_file_names_its_folder(dirs: Dirs) -> None:
    lock = dirs.reports / ".build.lock"
    message = io_message(OSError(errno.EACCES, "Permission denied", str(lock)), dirs)
    assert message.startswith(f"{dirs.reports}: permission denied: give your user write access")
    assert "or choose another folder with --reports, then run again" in message


def test_an_overview_that_cannot_be_rendered_fails_the_run_and_keeps_the_briefs(
    dirs: Dirs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (dirs.raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    monkeypatch.setattr(
        runner,
        "run",
        partial(
            runner.run,
            render=FailingPdf(
                "overview.csv", RenderError("The brief would have 9 pages; the limit is 8.")
            ),
            isolate=False,
        ),
    )
    code = main(_cli_args(dirs, "report", "--jobs", "1"))
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    assert "error: The overview could not be rendered: The brief would have 9 pages" in err
    assert config.brief_pdf(dirs.reports, "uganda").is_file()
    assert not config.overview_pdf(dirs.reports).exists()


def test_validating_keeps_the_briefs_of_countries_that_still_validate(dirs: Dirs) -> None:
    for seed, name in enumerate(("kenya", "tanzania", "uganda")):
        (dirs.raw / f"{name}.csv").write_text(country_csv(3, seed), encoding="utf-8")
    assert run(dirs).ok
    shutil.copy(FIXTURES / "invalid" / "negative_number.csv", dirs.raw / "tanzania.csv")
    (dirs.raw / "uganda.csv").unlink()

    checked = run(dirs, brief=False)

    # Kenya still validates: its brief, its open data and the overview stay.
    assert config.brief_pdf(dirs.reports, "kenya").is_file()
    assert config.open_data_table(dirs.reports, "kenya").is_file()
    assert config.overview_pdf(dirs.reports).is_file()
    # Tanzania no longer validates, and Uganda's file is gone: their briefs go.
    assert not config.brief_pdf(dirs.reports, "tanzania").exists()
    assert not config.brief_pdf(dirs.reports, "uganda").exists()
    assert [c.status for c in checked.countries] == [Status.VALIDATED, Status.INVALID]
    # What was kept is still recorded, so it follows its country later.
    (dirs.raw / "kenya.csv").unlink()
    run(dirs, brief=False)
    assert not config.brief_pdf(dirs.reports, "kenya").exists()


def test_run_takes_by_keyword_exactly_the_options_a_run_has() -> None:
    assert set(runner.RunChanges.__annotations__) == set(runner.OPTION_NAMES)
    with pytest.raises(TypeError):
        runner.run(Dirs(raw=Path("nowhere")), colour=True)  # type: ignore[call-arg]
