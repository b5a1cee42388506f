"""Corrected copies of a country file, cell by cell: every other byte kept (pure, no I/O).

A CSV keeps its encoding, byte-order mark, delimiter, quoting and line endings: only the bytes
of the corrected fields change. A workbook (.xlsx) keeps every part but the sheet's XML, in
which only the corrected cells change: each becomes a number cell (or the text "n/a"), with
its style. A cell holding a formula is never patched.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from pipeline.read.sheets import sheet_parts
from pipeline.read.text import decode, physical_lines


class PatchError(ValueError):
    """A cell that cannot be corrected in place; the message says which and why."""


@dataclass(frozen=True)
class CsvEdit:
    """Write `value` in the field `index` (0-based) of the record starting on `line`."""

    line: int
    index: int
    value: str


def _bom_and_codec(data: bytes, encoding: str) -> tuple[bytes, str]:
    """The byte-order mark the file starts with, and the codec of the text after it."""
    if encoding == "utf_8_sig":
        return data[:3], "utf_8"
    if encoding == "utf_16":
        return data[:2], "utf_16_le" if data.startswith(b"\xff\xfe") else "utf_16_be"
    return b"", encoding


def _field_spans(text: str, start: int, delimiter: str) -> list[tuple[int, int, bool]]:
    """(start, end, quoted) of each field of the CSV record at `start`, as Python's csv
    module reads it (non-strict, Excel dialect): a quote opens a quoted field only at its
    start, and a doubled quote inside is one quote."""
    spans: list[tuple[int, int, bool]] = []
    i, n = start, len(text)
    while True:
        begin, quoted = i, i < n and text[i] == '"'
        if quoted:
            i += 1
            while i < n:
                if text[i] == '"':
                    if i + 1 < n and text[i + 1] == '"':
                        i += 2
                        continue
                    i += 1
                    break
                i += 1
        while i < n and text[i] not in (delimiter, "\r", "\n"):
            i += 1
        spans.append((begin, i, quoted))
        if i < n and text[i] == delimiter:
            i += 1
            continue
        return spans


def _quoted(value: str, delimiter: str, was_quoted: bool) -> str:
    """The field as written: quoted if it was, or if it must be."""
    if was_quoted or any(c in value for c in (delimiter, '"', "\r", "\n")):
        return '"' + value.replace('"', '""') + '"'
    return value


def patch_csv(data: bytes, file: str, delimiter: str, edits: list[CsvEdit]) -> bytes:
    """`data` with each edit's field replaced; every other byte unchanged."""
    text, encoding = decode(data, file)
    bom, codec = _bom_and_codec(data, encoding)
    lines = physical_lines(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    replacements: list[tuple[int, int, str]] = []
    for edit in edits:
        if not 1 <= edit.line <= len(lines):
            raise PatchError(f"line {edit.line} is not in the file")
        spans = _field_spans(text, starts[edit.line - 1], delimiter)
        if edit.index >= len(spans):
            raise PatchError(f"line {edit.line} has no field {edit.index + 1}")
        begin, end, quoted = spans[edit.index]
        replacements.append((begin, end, _quoted(edit.value, delimiter, quoted)))
    out = bytearray(data)
    for begin, end, raw in sorted(replacements, reverse=True):  # from the end: offsets hold
        at = len(bom) + len(text[:begin].encode(codec))
        size = len(text[begin:end].encode(codec))
        out[at : at + size] = raw.encode(codec)
    patched = bytes(out)
    _check_csv(patched, file, delimiter, edits, text)
    return patched


def _record(text: str, line: int, delimiter: str) -> list[str]:
    lines = physical_lines(text)
    return next(csv.reader(iter(lines[line - 1 :]), delimiter=delimiter, strict=False), [])


def _check_csv(
    patched: bytes, file: str, delimiter: str, edits: list[CsvEdit], before: str
) -> None:
    """The patched file reads as the original with exactly the edited fields changed."""
    after, _ = decode(patched, file)
    if len(physical_lines(after)) != len(physical_lines(before)):
        raise PatchError("the file could not be corrected in place")
    for line in sorted({e.line for e in edits}):
        expected = _record(before, line, delimiter)
        for edit in (e for e in edits if e.line == line):
            expected[edit.index] = edit.value
        if _record(after, line, delimiter) != expected:
            raise PatchError(f"line {line} could not be corrected in place")


# --- workbooks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellEdit:
    """Write `value` (a number, or the text "n/a") in the cell at `ref` ("E5")."""

    ref: str
    value: Decimal | str


_CELL = r'<(?P<p>\w+:)?c\b(?P<attrs>[^>]*?\br="{ref}"[^>]*?)(?:/>|>(?P<body>.*?)</(?P=p)?c>)'


def _number_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell_xml(prefix: str, attrs: str, value: Decimal | str) -> str:
    attrs = re.sub(r'\s+t="[^"]*"', "", attrs)  # the cell's type changes; its style stays
    if isinstance(value, Decimal):
        return f"<{prefix}c{attrs}><{prefix}v>{_number_text(value)}</{prefix}v></{prefix}c>"
    text = value.replace("&", "&amp;").replace("<", "&lt;")
    return (
        f'<{prefix}c{attrs} t="inlineStr"><{prefix}is><{prefix}t>{text}</{prefix}t>'
        f"</{prefix}is></{prefix}c>"
    )


def patch_xlsx(data: bytes, sheet: str, edits: list[CellEdit]) -> bytes:
    """`data` with each edited cell of `sheet` rewritten; every other part unchanged."""
    source = zipfile.ZipFile(io.BytesIO(data))
    part = sheet_parts(source).get(sheet)
    if part is None:
        raise PatchError(f'the workbook has no sheet "{sheet}"')
    xml = source.read(part).decode("utf-8")
    for edit in edits:
        pattern = re.compile(_CELL.format(ref=re.escape(edit.ref)), re.DOTALL)
        found = list(pattern.finditer(xml))
        if len(found) != 1:
            raise PatchError(f"cell {edit.ref} was not found in the sheet")
        match = found[0]
        if re.search(r"<(\w+:)?f\b", match["body"] or ""):
            raise PatchError(f"cell {edit.ref} holds a formula: change it in Excel")
        xml = (
            xml[: match.start()]
            + _cell_xml(match["p"] or "", match["attrs"], edit.value)
            + xml[match.end() :]
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = xml.encode("utf-8") if info.filename == part else source.read(info.filename)
            target.writestr(info, body, compress_type=info.compress_type)
    return out.getvalue()
