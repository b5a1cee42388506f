"""Outputs are formula-safe for Excel and written atomically."""

import os
from pathlib import Path

import pytest

from pipeline import config
from pipeline.core.findings import FileRefused
from pipeline.read.tables import read_table
from pipeline.run.outputs import csv_bytes, remove_stale_temporaries, write_atomic


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
