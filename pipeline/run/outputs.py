"""Serialise results to bytes (CSV, HTML) and write files atomically. The only writer."""

from __future__ import annotations

import csv
import io
import os
import secrets
import tempfile
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import config
from pipeline.core.findings import FINDING_FIELDS, Finding
from pipeline.read.raw import RawRow

if TYPE_CHECKING:
    import pandas as pd

#: Temporary files end with this, and start with a dot: `.kenya.pdf.3f2a9c.tmp`.
TEMP_SUFFIX = ".tmp"
#: A cell starting with one of these is run as a formula by Excel; we prefix a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: One build's writes (bytes) and removals (None), in order, path by path.
Writes = list[tuple[Path, bytes | None]]
#: Set while a build runs on a cluster worker: its writes are kept here, not made, and go
#: back to the client, which makes them in its own folders (a worker writes no output).
_recording: ContextVar[Writes | None] = ContextVar("recording", default=None)


@contextmanager
def recorded() -> Iterator[Writes]:
    """Within this block, `write_atomic` and `remove` note what they would do, and do nothing."""
    writes: Writes = []
    token = _recording.set(writes)
    try:
        yield writes
    finally:
        _recording.reset(token)


def excel_safe(row: Iterable[object]) -> list[object]:
    """A row's cells as Excel will show them typed, never evaluate: text that would start a
    formula is quoted; None is a blank cell. One pass over the row, not a call per cell: the
    lineage table of 2,000 territories has two million cells."""
    return [
        ""
        if v is None
        else ("'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
        for v in row
    ]


def as_typed(value: object) -> object:
    """The text `excel_safe` quoted, as it was typed (for readers that are not Excel)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV (with BOM, so Excel opens accents correctly), formula-safe, LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(map(excel_safe, rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def frame_csv(frame: pd.DataFrame, tags: Sequence[str] = ()) -> bytes:
    """A processed table as CSV, index included; missing figures as empty cells.

    Counts (the data dictionary's whole numbers) are written as integers, `5000` not
    `5000.0`, which a Table Schema integer would refuse. `tags`, if given, is a second header
    row (HXL hashtags).
    """
    import pandas as pd  # here, so that a run with nothing to build never imports pandas

    from pipeline.publish.datapackage import integer_columns

    table = frame.reset_index()
    counts = [c in integer_columns() for c in table.columns]
    rows = (
        [_cell(v, count) if not pd.isna(v) else None for v, count in zip(r, counts, strict=True)]
        for r in table.itertuples(index=False)
    )
    return csv_bytes(list(table.columns), [list(tags), *rows] if tags else rows)


def _cell(value: object, count: bool) -> object:
    """A figure as text: a whole count as an integer, any other float exactly (repr)."""
    if isinstance(value, float):
        return str(int(value)) if count and value.is_integer() else repr(value)
    return value


def findings_csv(findings: Iterable[Finding]) -> bytes:
    """Validation findings as CSV, one per row."""
    return csv_bytes(FINDING_FIELDS, ([getattr(f, k) for k in FINDING_FIELDS] for f in findings))


def rejected_csv(rows: Iterable[RawRow], findings: list[Finding]) -> bytes:
    """Rejected rows verbatim, each with every reason it was rejected for."""

    def reasons(line: int) -> str:
        return " | ".join(f"{f.rule}: {f.message}" for f in findings if f.line == line)

    return csv_bytes(
        ("line", "reasons", "original_row"), ((r.line, reasons(r.line), r.text) for r in rows)
    )


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over the target.

    The file gets the permissions the umask gives (0644 under 022), like any file a user
    writes; an OSError names the target, never the temporary file.
    """
    if (writes := _recording.get()) is not None:
        writes.append((path, data))
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp, fd = _temporary(path)
    except OSError as exc:
        raise _naming(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _naming(exc, path) from None
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # make the rename itself durable
    finally:
        os.close(directory)


def _temporary(path: Path) -> tuple[Path, int]:
    """A new hidden file beside `path`, created with mode 0666 less the umask."""
    while True:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}")
        try:
            # Not tempfile.mkstemp: it forces 0600, whatever the umask.
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error, naming the output it was writing."""
    return type(exc)(exc.errno, exc.strerror, str(path))


def remove_stale_temporaries(*folders: Path) -> None:
    """Delete temporary files left by a run that was killed mid-write."""
    for folder in folders:
        if folder.is_dir():
            for temp in folder.rglob(f".*{TEMP_SUFFIX}"):
                temp.unlink(missing_ok=True)


def log_bug(reports: Path, what: str, details: str | None = None) -> Path:
    """Append the exception being handled (or `details`, a traceback from elsewhere), with
    `what` it stopped, to the error log; its path.

    A traceback is for the maintainers: it goes here, and the terminal names this file.
    """
    entry = f"--- {datetime.now(UTC).isoformat(timespec='seconds')} {what}\n"
    entry += (details if details is not None else traceback.format_exc()) + "\n"
    fallback = Path(tempfile.gettempdir()) / f"impact-briefs-{config.error_log(reports).name}"
    for target in (config.error_log(reports), fallback):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("a", encoding="utf-8") as handle:
                handle.write(entry)
            return target
        except OSError:
            continue
    return fallback


def remove(paths: Iterable[Path]) -> None:
    """Delete outputs that would otherwise outlive the data they were built from."""
    writes = _recording.get()
    for path in paths:
        if writes is not None:
            writes.append((path, None))
        else:
            path.unlink(missing_ok=True)
