"""Incremental and parallel builds: behaviour, never time (speed is `make bench`'s job).

Orchestration is the subject here, so runs use the stand-in PDF renderer (tests/fakes.py);
validation, indicators, charts and HTML are real. One test builds a real large PDF.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from pypdf import PdfReader

from bench.synthetic import country_csv
from pipeline import config
from pipeline.config import Dirs
from pipeline.core.outcomes import Status
from pipeline.run import manifest as manifest_module
from pipeline.run.manifest import Manifest, read_manifest
from pipeline.run.progress import Progress
from pipeline.run.runner import run as real_run

from .conftest import SEED
from .fakes import FAKE_PDF_HEADER, crashing_build, fake_pdf

PROJECT = Path(__file__).resolve().parents[1]
run = partial(real_run, render=fake_pdf)


def _portfolio(dirs: Dirs, sizes: dict[str, int]) -> None:
    for seed, (name, size) in enumerate(sizes.items()):
        (dirs.raw / f"{name}.csv").write_text(country_csv(size, seed), encoding="utf-8")


def _tree(*folders: Path) -> dict[str, bytes]:
    return {
        f"{folder.name}/{p.relative_to(folder)}": p.read_bytes()
        for folder in folders
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _stamps(*folders: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for f in folders for p in f.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built_pair(tmp_path_factory: pytest.TempPathFactory) -> Dirs:
    """Uganda and Tanzania, built once per module; each test gets its own copy."""
    root = tmp_path_factory.mktemp("pair")
    (root / "raw").mkdir()
    for name in (config.PROGRAMME_FILE, config.SETTINGS_FILE):
        shutil.copy(SEED / name, root / "raw" / name)
    dirs = Dirs(root / "raw", root / "processed", root / "reports")
    _portfolio(dirs, {"uganda": 3, "tanzania": 4})
    first = run(dirs)
    assert not first.up_to_date and all(not c.unchanged for c in first.countries)
    return dirs


@pytest.fixture
def two_countries(built_pair: Dirs, tmp_path: Path) -> Dirs:
    """A copy of the built pair: raw data and the outputs of its first run."""
    for folder in (built_pair.raw, built_pair.processed, built_pair.reports):
        shutil.copytree(folder, tmp_path / folder.name, dirs_exist_ok=True)
    return Dirs(tmp_path / "raw", tmp_path / "processed", tmp_path / "reports")


def test_an_unchanged_input_is_not_rebuilt(two_countries: Dirs) -> None:
    dirs = two_countries
    first = run(dirs)  # the copied tree is current: its manifest's relative paths still hold
    assert first.up_to_date
    stamps = _stamps(dirs.processed, dirs.reports)

    again = run(dirs)

    assert again.up_to_date
    assert [c.status for c in again.countries] == [c.status for c in first.countries]
    assert all(c.unchanged for c in again.countries)
    assert _stamps(dirs.processed, dirs.reports) == stamps  # not one file written
    assert again.invariant() == first.invariant()


def test_one_changed_country_rebuilds_it_and_the_overview(two_countries: Dirs) -> None:
    dirs = two_countries
    overview = (dirs.reports / "overview.pdf").read_bytes()
    tanzania = (dirs.reports / "tanzania.pdf").stat().st_mtime_ns
    (dirs.raw / "uganda.csv").write_text(country_csv(5, seed=99), encoding="utf-8")

    outcome = run(dirs)

    rebuilt = {c.file: not c.unchanged for c in outcome.countries}
    assert rebuilt == {"tanzania.csv": False, "uganda.csv": True}
    assert (dirs.reports / "tanzania.pdf").stat().st_mtime_ns == tanzania
    assert (dirs.reports / "overview.pdf").read_bytes() != overview


def test_a_changed_template_rebuilds_everything(two_countries: Dirs, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(config.TEMPLATES_DIR, templates)
    dirs = Dirs(two_countries.raw, two_countries.processed, two_countries.reports, templates)
    run(dirs)
    with (templates / "brief.css").open("a", encoding="utf-8") as css:
        css.write("\nh1 { color: #000; }\n")

    outcome = run(dirs)

    assert not outcome.up_to_date
    assert all(not c.unchanged for c in outcome.countries)


def test_a_changed_narrative_rebuilds_that_country(two_countries: Dirs) -> None:
    dirs = two_countries
    run(dirs)
    (dirs.raw / "uganda.md").write_text("New narrative.\n", encoding="utf-8")
    rebuilt = {c.file for c in run(dirs).countries if not c.unchanged}
    assert rebuilt == {"uganda.csv"}


def test_incremental_output_equals_a_full_build(two_countries: Dirs) -> None:
    dirs = two_countries
    run(dirs)
    (dirs.raw / "uganda.csv").write_text(country_csv(6, seed=7), encoding="utf-8")
    run(dirs)
    incremental = _tree(dirs.processed, dirs.reports)
    shutil.rmtree(dirs.processed)
    shutil.rmtree(dirs.reports)
    run(dirs, force=True)
    assert _tree(dirs.processed, dirs.reports) == incremental


def test_force_rebuilds_everything(two_countries: Dirs) -> None:
    run(two_countries)
    outcome = run(two_countries, force=True)
    assert not outcome.up_to_date and all(not c.unchanged for c in outcome.countries)


def test_a_removed_country_takes_its_outputs_with_it(two_countries: Dirs) -> None:
    dirs = two_countries
    run(dirs)
    (dirs.raw / "uganda.csv").unlink()
    outcome = run(dirs)
    assert [c.file for c in outcome.countries] == ["tanzania.csv"]
    assert not (dirs.reports / "uganda.pdf").exists()
    assert not (dirs.processed / "uganda.csv").exists()
    overview = (dirs.reports / "overview.pdf").read_bytes()
    assert overview.startswith(FAKE_PDF_HEADER) and b"Tanzania" in overview
    assert b"Uganda" not in overview


def test_a_tampered_output_is_rebuilt(two_countries: Dirs) -> None:
    dirs = two_countries
    run(dirs)
    (dirs.reports / "uganda.pdf").write_bytes(b"not a pdf")
    outcome = run(dirs)
    assert {c.file for c in outcome.countries if not c.unchanged} == {"uganda.csv"}
    assert (dirs.reports / "uganda.pdf").read_bytes().startswith(FAKE_PDF_HEADER)


def test_parallel_output_equals_serial_output(dirs: Dirs) -> None:
    _portfolio(dirs, {"uganda": 3, "tanzania": 4, "kenya": 2, "rwanda": 3})
    serial = run(dirs, jobs=1)
    serial_tree = _tree(dirs.processed, dirs.reports)
    shutil.rmtree(dirs.processed)
    shutil.rmtree(dirs.reports)

    parallel = run(dirs, jobs=2)

    assert _tree(dirs.processed, dirs.reports) == serial_tree
    assert [c.file for c in parallel.countries] == [c.file for c in serial.countries]


def test_a_crashed_worker_fails_only_its_country(dirs: Dirs) -> None:
    _portfolio(dirs, {"uganda": 3, "tanzania": 4, "kenya": 2})

    outcome = run(dirs, jobs=2, task=crashing_build("tanzania"))

    status = {c.file: c.status for c in outcome.countries}
    assert status == {
        "kenya.csv": Status.BUILT,
        "tanzania.csv": Status.FAILED,
        "uganda.csv": Status.BUILT,
    }
    (tanzania,) = [c for c in outcome.countries if c.file == "tanzania.csv"]
    assert [f.rule for f in tanzania.findings] == ["worker-crashed"]
    assert not outcome.ok
    assert (dirs.reports / "uganda.pdf").is_file() and (dirs.reports / "kenya.pdf").is_file()
    assert not (dirs.reports / "tanzania.pdf").exists()
    # The worker died before it read the file, and the parent never reads a file that may
    # have killed a worker: its rows are not counted, and the finding says so (a crash after
    # the rows were read counts them: tests/test_runs.py).
    assert outcome.invariant() == (7, 7, 0, 0)
    assert "not counted" in tanzania.findings[0].message


@pytest.mark.slow  # lays out and writes the real PDF of 1,030 territories
def test_a_large_country_gets_a_readable_brief(dirs: Dirs) -> None:
    # Over a thousand territories, so that counts carry a group separator; `make bench`
    # measures one of 2,000 (docs/benchmarks.md).
    (dirs.raw / "uganda.csv").write_text(country_csv(1030, seed=1), encoding="utf-8")
    (result,) = real_run(dirs).countries  # the PDF is the subject: WeasyPrint lays it out
    assert result.status is Status.BUILT and result.pages <= 8
    reader = PdfReader(dirs.reports / "uganda.pdf")
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "1,000 other territories" in text
    assert "The 30 territories with the largest value of sales are listed" in text
    attached = reader.attachments["uganda.csv"][0].decode("utf-8-sig")
    assert len(attached.splitlines()) == 1031  # header + every territory


def test_cli_help_names_jobs_and_force() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "report", "--help"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--jobs N" in done.stdout and "--force" in done.stdout


def test_a_corrupt_manifest_means_a_full_rebuild(two_countries: Dirs) -> None:
    run(two_countries)
    config.manifest(two_countries.reports).write_text("{not json", encoding="utf-8")
    outcome = run(two_countries)
    assert all(not c.unchanged for c in outcome.countries)
    assert json.loads(config.manifest(two_countries.reports).read_text(encoding="utf-8"))


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_and_in_a_log(two_countries: Dirs) -> None:
    for stream in (_Terminal(), io.StringIO()):
        with Progress(stream) as progress:
            run(two_countries, force=True, on_start=progress.started, on_done=progress.done)
        text = stream.getvalue()
        assert "Uganda" in text and "built uganda.pdf" in text
        with Progress(stream) as progress:
            run(two_countries, on_start=progress.started, on_done=progress.done)
        assert "2 countries unchanged since the last build" in stream.getvalue()


def test_a_damaged_manifest_never_deletes_outside_the_output_folders(
    two_countries: Dirs, tmp_path: Path
) -> None:
    dirs = two_countries
    run(dirs)
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me", encoding="utf-8")
    manifest = json.loads(config.manifest(dirs.reports).read_text(encoding="utf-8"))
    entry = manifest["countries"]["uganda.csv"]
    entry["outputs"] = {"../precious.txt": "0" * 64, **entry["outputs"]}
    config.manifest(dirs.reports).write_text(json.dumps(manifest), encoding="utf-8")
    (dirs.raw / "uganda.csv").unlink()
    run(dirs)
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not (dirs.reports / "uganda.pdf").exists()


def _damage(dirs: Dirs, change: Callable[[dict], object], keep: bool = False) -> str:
    """Change the manifest as `change` does (then put it back unless `keep`); why it is
    no longer trusted."""
    path = config.manifest(dirs.reports)
    good = path.read_text(encoding="utf-8")
    assert read_manifest(path)[1] == ""
    body = json.loads(good)
    change(body)
    path.write_text(json.dumps(body), encoding="utf-8")
    recorded, reason = read_manifest(path)
    assert recorded == Manifest()  # nothing of it is trusted
    if not keep:
        path.write_text(good, encoding="utf-8")
    return reason


def test_a_manifest_that_cannot_be_trusted_says_why_and_everything_rebuilds(
    two_countries: Dirs,
) -> None:
    dirs = two_countries
    moved = _damage(
        dirs, lambda m: m["countries"].update({"kenya.csv": m["countries"].pop("uganda.csv")})
    )
    assert "each country must be listed under its own file name" in moved
    absolute = _damage(dirs, lambda m: m["reports"].update({"/etc/passwd": "0" * 64}))
    assert "expected a path relative to the reports folder" in absolute
    older = _damage(dirs, lambda m: m.update(manifest_version=1))
    assert older.endswith("manifest.json was written by another version of Impact Briefs")
    _damage(dirs, lambda m: m["countries"]["tanzania.csv"].update(file="kenya.csv"), keep=True)
    outcome = run(dirs)
    assert not outcome.up_to_date
    assert [c.unchanged for c in outcome.countries] == [False, False]


def test_an_oversized_manifest_is_not_read(
    two_countries: Dirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manifest_module, "MAX_MANIFEST_BYTES", 100)
    recorded, reason = read_manifest(config.manifest(two_countries.reports))
    assert recorded == Manifest() and reason.endswith("manifest.json is larger than 100 bytes")
