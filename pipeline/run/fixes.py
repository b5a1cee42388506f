"""reports/fixes.csv, the reviewable list of suggested corrections, and `python -m pipeline fix`,
which writes corrected copies of the files into reports/fixes/ for the rows marked `apply`.

As in OpenRefine, nothing is edited in place: the list is made by every full run, the officer
marks the rows to take, and `fix` writes copies that the officer reviews and moves into
data/raw. A row whose file changed since the list was made (its SHA-256 differs), or whose
cell no longer holds what was found, is refused, naming it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pipeline import config
from pipeline.config import Dirs
from pipeline.core.findings import FileRefused, Severity
from pipeline.core.names import fold
from pipeline.core.outcomes import CountryResult
from pipeline.read.cells import NumberFormat, is_missing, parse_decimal
from pipeline.read.columns import NUMERIC, Column
from pipeline.read.raw import RawTable
from pipeline.run.manifest import file_sha256
from pipeline.run.outputs import as_typed, csv_bytes, write_atomic

#: The columns of fixes.csv; `sha256` is the file's as the list was made. In a workbook, the
#: line is the sheet's row number.
FIX_COLUMNS = (
    "file",
    "sheet",
    "line",
    "column",
    "found",
    "suggested",
    "reason",
    "apply",
    "sha256",
)
_REQUIRED = ("file", "line", "column", "found", "suggested", "apply", "sha256")
#: What marks a row to apply, or not (compared after folding case and accents).
YES = frozenset({"x", "yes", "y", "1", "true", "ok", "oui", "o", "ndiyo", "si", "sim", "✓", "✔"})
NO = frozenset({"", "no", "n", "0", "false", "non", "hapana", "nao"})
_WORKBOOK = re.compile(r"^(?P<file>.+?) \[(?P<sheet>.*)\]$")


def fix_rows(results: Iterable[CountryResult], hashes: dict[str, str]) -> list[list[object]]:
    """One row per suggestion of the run, in the order of the validation report."""
    rows: list[list[object]] = []
    for result in results:
        for finding in result.findings:
            if not finding.suggested:
                continue
            match = _WORKBOOK.match(finding.file)
            sheet = match["sheet"] if match and match["file"] == result.file else ""
            rows.append(
                [
                    result.file,
                    sheet,
                    finding.line,
                    finding.column,
                    finding.value,
                    finding.suggested,
                    finding.fix,
                    "",
                    hashes.get(result.file, ""),
                ]
            )
    return rows


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_fixes(results: Iterable[CountryResult], dirs: Dirs, hashes: dict[str, str]) -> None:
    """Write reports/fixes.csv: every suggestion of the run, `apply` blank."""
    write_atomic(config.fixes_csv(dirs.reports), csv_bytes(FIX_COLUMNS, fix_rows(results, hashes)))


# --- applying a list ----------------------------------------------------------------------------


@dataclass
class FixRow:
    """One marked row of a fixes list, where it came from."""

    line: int  #: the row's line in the fixes list
    file: str
    sheet: str
    row: int  #: the line (CSV) or row (workbook) of the cell in the country file
    column: str
    found: str
    suggested: str
    sha256: str

    @property
    def where(self) -> str:
        sheet = f" [{self.sheet}]" if self.sheet else ""
        return f'{self.file}{sheet}, line {self.row}, column "{self.column}"'


@dataclass
class FileFixed:
    """A corrected copy: where it is, how many cells changed, and what validation now says."""

    file: str
    copy: Path
    cells: int
    errors: list[str] = field(default_factory=list)  #: the copy's remaining errors, as text


@dataclass
class FixOutcome:
    """What `fix` did: the copies written and every marked row it refused, with why."""

    marked: int = 0
    fixed: list[FileFixed] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.marked > 0 and not self.refused


class FixListError(ValueError):
    """The fixes list itself cannot be used; the message says why and what to do."""


def read_fix_list(path: Path) -> tuple[list[FixRow], list[str]]:
    """The rows marked `apply`, and the problems of rows that cannot be read."""
    from pipeline.read.tables import read_table

    def score(cells: list[str]) -> int:
        return len({fold(c) for c in cells} & set(FIX_COLUMNS))

    try:
        table = read_table(path, scorer=score)
    except FileRefused as exc:
        raise FixListError(f"{path.name}: {exc.finding.message} {exc.finding.fix}") from None
    header = [fold(h) for h in table.header]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise FixListError(
            f"{path.name} has no column {', '.join(missing)}: use the fixes.csv a run wrote, "
            f"with its columns {', '.join(FIX_COLUMNS)}."
        )
    rows, problems = [], []
    for raw in table.rows:

        def get(name: str, cells: tuple[str, ...] = raw.cells) -> str:
            at = header.index(name) if name in header else -1
            return str(as_typed(cells[at])) if 0 <= at < len(cells) else ""

        mark = fold(get("apply").strip()) or get("apply").strip()
        if mark in NO:
            continue
        if mark not in YES:
            problems.append(
                f'{path.name}, line {raw.line}: apply is "{get("apply")}"; write x to apply '
                "the row, or leave it blank."
            )
            continue
        try:
            row = int(get("line").strip())
        except ValueError:
            problems.append(f'{path.name}, line {raw.line}: "{get("line")}" is not a line number.')
            continue
        rows.append(
            FixRow(
                raw.line,
                get("file").strip(),
                get("sheet").strip(),
                row,
                get("column").strip(),
                get("found"),
                get("suggested").strip(),
                get("sha256").strip().lower(),
            )
        )
    return rows, problems


def apply_fixes(path: Path, dirs: Dirs) -> FixOutcome:
    """Write a corrected copy of each file named by the rows of `path` marked `apply`."""
    rows, problems = read_fix_list(path)
    outcome = FixOutcome(marked=len(rows) + len(problems), refused=problems)
    if not rows:
        return outcome
    out_dir = config.fixes_dir(dirs.reports).resolve()
    if out_dir == dirs.raw.resolve() or dirs.raw.resolve() in out_dir.parents:
        raise FixListError(
            f"{out_dir} is inside the raw data folder; nothing is ever written there. Choose "
            "another --reports folder."
        )
    by_file: dict[str, list[FixRow]] = defaultdict(list)
    for row in rows:
        by_file[row.file].append(row)
    for name, file_rows in by_file.items():
        fixed = _fix_file(name, file_rows, dirs, out_dir, outcome.refused)
        if fixed is not None:
            outcome.fixed.append(fixed)
    return outcome


def _fix_file(
    name: str, rows: list[FixRow], dirs: Dirs, out_dir: Path, refused: list[str]
) -> FileFixed | None:
    """Check every row of one file against it, then write its corrected copy."""
    from pipeline.check.validate import country_table
    from pipeline.core.countries import UnknownCountry, resolve_country
    from pipeline.read.columns import match_header
    from pipeline.read.rates import read_exchange_rates
    from pipeline.read.tables import read_table
    from pipeline.run.build import sheet_names

    path = dirs.raw / name
    if not name or Path(name).name != name or not path.is_file():
        refused += [f"{r.where}: there is no file {name!r} in {dirs.raw}." for r in rows]
        return None
    if any(r.sha256 != rows[0].sha256 for r in rows) or file_sha256(path) != rows[0].sha256:
        refused += [
            f"{r.where}: {name} has changed since the fixes list was made, so its rows were "
            "not applied. Run make report again for a fresh fixes.csv."
            for r in rows
        ]
        return None
    try:
        country = resolve_country(path.stem)
        names = sheet_names(country, path.stem)
        raw = read_table(path, names)
        rates = read_exchange_rates(dirs.raw / config.EXCHANGE_RATES_FILE)
        table = country_table(raw, rates, names)
    except (UnknownCountry, FileRefused, OSError) as exc:
        refused += [f"{r.where}: {name} cannot be read now ({exc})." for r in rows]
        return None
    columns = {c.label: c for c in match_header(list(raw.header)).columns.values()}
    edits: dict[tuple[int, int], tuple[FixRow, str | Decimal]] = {}
    for row in rows:
        problem, value = _check_row(row, raw, columns, table.number_format)
        key = (row.row, columns[row.column].index if row.column in columns else -1)
        if problem:
            refused.append(f"{row.where}: {problem}")
        elif key in edits:
            refused.append(f"{row.where}: another marked row corrects the same cell.")
        else:
            edits[key] = (row, value)
    if not edits:
        return None
    from pipeline.run.patch import CellEdit, CsvEdit, PatchError, patch_csv, patch_xlsx

    data = path.read_bytes()
    try:
        if raw.encoding == "xlsx":
            sheet = rows[0].sheet
            cells = [
                CellEdit(f"{_letters(index)}{line}", value)
                for (line, index), (_, value) in edits.items()
            ]
            patched = patch_xlsx(data, sheet, cells)
        else:
            patched = patch_csv(
                data,
                name,
                raw.delimiter,
                [CsvEdit(line, index, row.suggested) for (line, index), (row, _) in edits.items()],
            )
    except PatchError as exc:
        refused += [f"{r.where}: {exc}." for r, _ in edits.values()]
        return None
    copy = out_dir / name
    write_atomic(copy, patched)
    fixed = FileFixed(name, copy, len(edits))
    try:
        check = country_table(read_table(copy, names), rates, names)
        fixed.errors = [f.as_text() for f in check.findings if f.severity is Severity.ERROR]
    except FileRefused as exc:
        fixed.errors = [exc.finding.as_text()]
    return fixed


def _check_row(
    row: FixRow, raw: RawTable, columns: dict[str, Column], fmt: NumberFormat
) -> tuple[str, str | Decimal]:
    """Why a marked row cannot be applied ("" if it can), and the value to write."""
    sheet = _WORKBOOK.match(raw.file)
    if (sheet["sheet"] if sheet else "") != row.sheet:
        return f'the sheet read now is not "{row.sheet}".', ""
    column = columns.get(row.column)
    if column is None or column.canonical not in NUMERIC:
        return "the file has no number column with that header now.", ""
    try:
        cells = raw.row(row.row).cells
    except KeyError:
        return "the file has no data row there now.", ""
    now = cells[column.index] if column.index < len(cells) else ""
    if now.strip() != row.found.strip():
        return f'the cell holds "{now}" now, not "{row.found}".', ""
    if is_missing(row.suggested) or row.suggested.lower() in ("n/a",):
        return "", "n/a"
    number = parse_decimal(row.suggested, fmt)
    if number is None or number < 0:
        why = f"not a plain number in this file's format ({fmt.label})"
        return f'suggested "{row.suggested}" is {why}.', ""
    return "", number
