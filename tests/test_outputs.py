"""Outputs are formula-safe for Excel and written atomically."""

import os
import stat
import tempfile
from pathlib import Path

import pytest

from pipeline import config
from pipeline.core.findings import FileRefused
from pipeline.read.tables import read_table
from pipeline.run.outputs import csv_bytes, log_bug, remove_stale_temporaries, write_atomic


@pytest.mark.parametrize("cell", ["=HYPERLINK(1)", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_escaped(cell: str) -> None:
    text = csv_bytes(["a"], [[cell]]).decode("utf-8-sig")
    assert text.splitlines()[1].lstrip('"').startswith("'")


def test_plain_cells_are_untouched() -> None:
    assert csv_bytes(["a", "b"], [["Kitu", 3.5]]).decode("utf-8-sig") == "a,b\nKitu,3.5\n"


def test_atomic_write_replaces_and_leaves_no_temporaries(tmp_path: Path) -> None:
    target = tmp_path / "out" / "x.pdf"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(os.listdir(target.parent)) == ["x.pdf"]


def test_a_write_reaches_the_disk_before_it_replaces_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fsync of the new bytes, then of the folder after the rename: a power cut leaves the old
    file or the new one, never a truncated one (tests/conftest.py turns fsync off elsewhere)."""
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")
    seen: list[tuple[bool, bytes]] = []

    def watched(fd: int) -> None:
        folder = stat.S_ISDIR(os.fstat(fd).st_mode)
        seen.append((folder, target.read_bytes()))

    monkeypatch.setattr(os, "fsync", watched)
    write_atomic(target, b"new")
    # The file's own fsync comes while the target still holds the old bytes; the folder's after.
    assert seen == [(False, b"old"), (True, b"new")]


def test_stale_temporaries_are_removed(tmp_path: Path) -> None:
    (tmp_path / ".x.pdf.abc.tmp").write_bytes(b"trunc")
    (tmp_path / "keep.pdf").write_bytes(b"%PDF")
    remove_stale_temporaries(tmp_path)
    assert os.listdir(tmp_path) == ["keep.pdf"]


def test_row_and_size_limits_are_stated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "Territory,Target households,Products,PMGs,Members,Volume sold (t),"
        "Value (US$)\nA,1,x,1,1,1,1\nB,1,x,1,1,1,1\n"
    )
    monkeypatch.setattr(config, "MAX_DATA_ROWS", 1)
    with pytest.raises(FileRefused, match="the limit is 1"):
        read_table(path)
    monkeypatch.setattr(config, "MAX_FILE_BYTES", 10)
    with pytest.raises(FileRefused, match="the limit is 10"):
        read_table(path)


def test_an_interrupted_write_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "kenya.pdf"
    write_atomic(target, b"old")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt  # Ctrl-C while the data is being flushed

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["kenya.pdf"]


def test_stale_temporaries_skip_a_folder_not_made_yet(tmp_path: Path) -> None:
    (tmp_path / ".x.pdf.abc.tmp").write_bytes(b"trunc")
    remove_stale_temporaries(tmp_path / "processed", tmp_path)
    assert os.listdir(tmp_path) == []


def test_logging_a_bug_never_raises_even_with_nowhere_to_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "reports"
    a_file.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(a_file / "tmp"))
    log = log_bug(a_file, "building the overview")
    assert log == a_file / "tmp" / f"impact-briefs-{config.error_log(a_file).name}"
    assert not log.exists() and a_file.read_text(encoding="utf-8") == "not a folder"
