"""Delimited text files: bytes, encoding, dialect, physical lines, header row."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline import config
from pipeline.core.findings import FileRefused, Finding, Severity
from pipeline.core.rules import RULES
from pipeline.read.columns import header_score
from pipeline.read.raw import CANDIDATE_ENCODINGS, RawRow, RawTable, Source, refuse

DELIMITERS = (",", ";", "\t")
# A cell may be as long as the file (at most MAX_FILE_BYTES): validation reports a cell over
# MAX_CELL_CHARS as an error for its line; the csv module's 128 KiB default would crash.
csv.field_size_limit(max(csv.field_size_limit(), config.MAX_FILE_BYTES))
#: How many lines may sit above the header (titles, notes, blank lines).
MAX_HEADER_SEARCH = 30
#: How many columns of a file's contract a row names: how its header row is found.
HeaderScore = Callable[[list[str]], int]


def read_bytes(path: Path) -> bytes:
    """The file's bytes, refusing files that are too large or empty."""
    size = path.stat().st_size
    if size > config.MAX_FILE_BYTES:
        raise refuse(
            path.name,
            "file-too-large",
            f"The file is {size:,} bytes; the limit is {config.MAX_FILE_BYTES:,}.",
            "Split the file, or remove rows that are not territories.",
        )
    data = path.read_bytes()
    if not data.strip():
        raise refuse(
            path.name,
            "empty-file",
            "The file is empty.",
            "Export the country's table again from Excel as CSV.",
        )
    return data


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Decode strictly, never replacing characters; return the text and the encoding used."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise refuse(
            file,
            "workbook-not-csv",
            "This is an Excel workbook saved under a .csv name, not a CSV file.",
            'Open it in Excel and use "Save as" > "CSV UTF-8 (Comma delimited)".',
        )
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data and not utf16:
        raise refuse(
            file,
            "binary-file",
            "This file holds binary data, not text.",
            "Export the country's table from Excel as CSV UTF-8.",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf_8_sig"
    elif utf16:
        encoding = "utf_16"
    else:
        try:
            return data.decode("utf_8"), "utf_8"
        except UnicodeDecodeError:
            _refuse_mixed_utf8(data, file)
            best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
            encoding = best.encoding if best is not None else ""
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise refuse(
            file,
            "unknown-encoding",
            "The file's text encoding could not be recognised.",
            'Save it from Excel as "CSV UTF-8 (Comma delimited)".',
        ) from None
    if encoding == "cp1252":
        _refuse_misread_letters(text, file)
    return text, encoding


#: What a Mac (Mac Roman) or DOS (cp850) file's accented small letters read as in
#: Windows-1252: é is Ž on a Mac and ‚ in DOS. Right after a letter, none of these is text
#: anyone writes in a place's name ("KŽniŽba", "S‚gou").
_MISREAD_AFTER_A_LETTER = "ŽžŠšŒœŸƒ‚„†‡ˆ‰‹›™¢¡£¤¥"
#: The same for letters that Windows-1252 text does hold after a letter, though never between
#: two (an ellipsis, a closing quote, a dash between words).
_MISREAD_BETWEEN_LETTERS = "…–—“”•€"
#: A letter, or one of those (two accented letters in a row: "B”™b" for a Mac's "Bîôb").
_LETTERLIKE = rf"(?:[^\W\d_]|[{_MISREAD_AFTER_A_LETTER}{_MISREAD_BETWEEN_LETTERS}])"
_MISREAD = re.compile(
    rf"{_LETTERLIKE}(?:(?P<strong>[{_MISREAD_AFTER_A_LETTER}])"
    rf"|(?P<weak>[{_MISREAD_BETWEEN_LETTERS}])(?={_LETTERLIKE}))"
)


def _refuse_misread_letters(text: str, file: str) -> None:
    """Refuse a file read as Windows-1252 whose words hold what a Mac's or DOS's accented
    letters become in it: every such name would be printed garbled, and nothing else tells the
    two apart (both encodings give valid Windows-1252 bytes)."""
    for number, line in enumerate(physical_lines(text), 1):
        if (found := _MISREAD.search(line)) is None:
            continue
        char = found.group("strong") or found.group("weak")
        word = _word_around(line, found.start() + 1)
        raise FileRefused(
            Finding(
                Severity.ERROR,
                file,
                number,
                "",
                word,
                "unsure-encoding",
                f"The file is not UTF-8, and read as Windows-1252 line {number} has "
                f'"{word}": "{char}" inside a word is what an accented letter (é, è, ç) of a '
                "file saved on a Mac or in DOS becomes, so every such name would be printed "
                "wrongly.",
                RULES["unsure-encoding"].fix,
            ),
            rows=_count_rows(physical_lines(text)),
        )


def _word_around(line: str, at: int) -> str:
    """The word (letters and the misread character) around position `at` of a line."""
    start, end = at, at + 1
    while start > 0 and not line[start - 1].isspace() and line[start - 1] not in ',;\t"':
        start -= 1
    while end < len(line) and not line[end].isspace() and line[end] not in ',;\t"':
        end += 1
    return line[start:end]


def _refuse_mixed_utf8(data: bytes, file: str) -> None:
    """Refuse a file that is UTF-8 but for a few bytes: guessing another encoding for all of
    it would garble every accented name; a file with no UTF-8 character at all is not UTF-8."""
    text = data.decode("utf_8", errors="surrogateescape")
    if not any("\x80" <= c < "\udc80" or c > "\udcff" for c in text):
        return
    lines = physical_lines(text)
    bad = [i for i, line in enumerate(lines, 1) if any("\udc80" <= c <= "\udcff" for c in line)]
    first = next(c for c in lines[bad[0] - 1] if "\udc80" <= c <= "\udcff")
    shown = ", ".join(map(str, bad[:10])) + (" …" if len(bad) > 10 else "")
    raise refuse(
        file,
        "mixed-encoding",
        f"The file is UTF-8 except for bytes on line(s) {shown} (e.g. byte "
        f"0x{ord(first) - 0xDC00:02X} on line {bad[0]}), which are in another encoding.",
        'Open the file in Excel and save it as "CSV UTF-8 (Comma delimited)", then check '
        "the characters on those lines.",
        rows=_count_rows(lines),
    )


def _count_rows(lines: list[str]) -> int:
    """Data rows of a file refused for its bytes, when its header can still be found."""
    try:
        delimiter, header_index = sniff(lines, "")
    except FileRefused:
        return 0
    offset = 1 if _sep_hint(lines) else 0
    records = csv_records(lines, delimiter)[header_index + offset + 1 :]
    return sum(1 for _, _, cells in records if any(c.strip() for c in cells))


def physical_lines(text: str) -> list[str]:
    """Lines as csv counts them: split on \\n, \\r\\n and \\r, endings kept."""
    return list(io.StringIO(text, newline=""))


Record = tuple[int, int, list[str]]
#: A workbook row's typed cells: (numbers per cell, column indices of uncached formulas,
#: (column index, error shown) of error cells).
Typed = tuple[tuple[float | None, ...], frozenset[int], tuple[tuple[int, str], ...]]


def csv_records(lines: list[str], delimiter: str) -> list[Record]:
    """(first line, last line, cells) for every record, 1-based physical line numbers."""
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=False)
    records = []
    previous_end = 0
    for cells in reader:
        records.append((previous_end + 1, reader.line_num, cells))
        previous_end = reader.line_num
    return records


def _sep_hint(lines: list[str]) -> str | None:
    """Excel's `sep=;` first line, if present."""
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        return lines[0].strip()[4]
    return None


def sniff(lines: list[str], file: str, scorer: HeaderScore = header_score) -> tuple[str, int]:
    """Choose the delimiter whose header row names the most required columns."""
    hint = _sep_hint(lines)
    head = lines[1 if hint else 0 : MAX_HEADER_SEARCH]
    candidates = [
        (*best_header(csv_records(head, d), scorer), d) for d in ([hint] if hint else DELIMITERS)
    ]
    # On a tie the first delimiter wins: comma, then semicolon, then tab.
    score, index, delimiter = max(candidates, key=lambda c: c[0])
    if score < 2:
        raise refuse(
            file,
            "no-header",
            f"No header row naming the expected columns was found in the first "
            f"{MAX_HEADER_SEARCH} lines.",
            "Put a header row such as Territory, Target households, Products, PMGs, "
            "Members, Volume sold (t), Value (US$) above the data.",
        )
    return delimiter, index


def best_header(records: list[Record], scorer: HeaderScore = header_score) -> tuple[int, int]:
    """(score, index) of the first record naming the most required columns."""
    scored = [(scorer(cells), -i) for i, (_, _, cells) in enumerate(records)]
    score, negative = max(scored[:MAX_HEADER_SEARCH], default=(0, 0))
    return score, -negative


def table_from_lines(
    lines: list[str], file: str, sha256: str, encoding: str, scorer: HeaderScore = header_score
) -> RawTable:
    """Split decoded lines into header and data rows, keeping physical line numbers."""
    delimiter, header_index = sniff(lines, file, scorer)
    records = csv_records(lines, delimiter)
    offset = 1 if _sep_hint(lines) else 0
    source = Source(file, sha256, encoding, delimiter)
    return table_from_records(records, header_index + offset, lines, source)


def table_from_records(
    records: list[Record],
    header_at: int,
    lines: list[str],
    source: Source,
    typed: dict[int, Typed] | None = None,
) -> RawTable:
    """Header and data rows from (first line, last line, cells) records."""
    file, delimiter = source.file, source.delimiter
    header_line = records[header_at][0]
    header = [c.strip() for c in records[header_at][2]]
    rows: list[RawRow] = []
    blanks: list[int] = []
    for first, last, cells in records[header_at + 1 :]:
        numbers, uncached, errors = (typed or {}).get(first, ((), frozenset(), ()))
        if not any(c.strip() for c in cells) and not uncached and not errors:
            blanks.append(first)
            continue
        text = "".join(lines[first - 1 : last]) if lines else delimiter.join(cells)
        rows.append(RawRow(first, tuple(cells), text.rstrip("\r\n"), numbers, uncached, errors))
    # Columns with no header and no value anywhere are Excel's trailing separators.
    width = len(header)
    while (
        width
        and not header[width - 1]
        and all(len(r.cells) < width or not r.cells[width - 1].strip() for r in rows)
    ):
        width -= 1
    header = header[:width]
    rows = [_trim(r, width) for r in rows]
    if not rows:
        raise refuse(
            file,
            "no-data-rows",
            "The file has a header but no data rows.",
            "Add one row per territory below the header.",
        )
    if len(rows) > config.MAX_DATA_ROWS:
        raise refuse(
            file,
            "too-many-rows",
            f"The file has {len(rows):,} data rows; the limit is {config.MAX_DATA_ROWS:,}.",
            "Split the file by period or region.",
            rows=len(rows),
        )
    preamble = tuple(
        (first, tuple(cells))
        for first, _, cells in records[:header_at]
        if any(c.strip() for c in cells)
    )
    return RawTable(
        file,
        source.sha256,
        source.encoding,
        delimiter,
        header_line,
        tuple(header),
        tuple(rows),
        tuple(blanks),
        preamble,
        source.sheet,
    )


def _trim(row: RawRow, width: int) -> RawRow:
    """Drop empty cells beyond the header's width (trailing separators)."""
    cells = list(row.cells)
    while len(cells) > width and not cells[-1].strip():
        cells.pop()
    return RawRow(
        row.line, tuple(cells), row.text, row.numbers[: len(cells)], row.uncached, row.errors
    )
