"""Validation findings: what is wrong or noteworthy, where, and what to do about it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from enum import StrEnum


class Severity(StrEnum):
    """How a finding affects the brief."""

    ERROR = "error"  #: the country's brief is not built
    WARNING = "warning"  #: the brief is built; the flag is shown in its data notes


@dataclass(frozen=True)
class Finding:
    """One validation finding, located precisely enough to fix from the message alone."""

    severity: Severity
    file: str
    line: int | None  #: physical line in the original file, 1-based; None for the whole file
    column: str  #: the column as the user wrote it; "" for a whole row or file
    value: str
    rule: str  #: stable rule code, e.g. "negative-number"
    message: str
    fix: str
    #: What to write in the cell instead, when one plain value can be suggested (the fix says
    #: why); listed in reports/fixes.csv for `python -m pipeline fix`
    suggested: str = ""

    @property
    def location(self) -> str:
        """'kenya.csv, line 4, column "Members"' style location."""
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def as_text(self) -> str:
        """One plain-language line for the terminal and logs."""
        shown = f" (value: {self.value!r})" if self.value else ""
        return f"{self.severity}: {self.location}{shown}: {self.message} [{self.rule}] {self.fix}"

    def as_row(self) -> dict[str, object]:
        """Flat mapping for CSV output."""
        return asdict(self)


FINDING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Finding))


def errors(findings: list[Finding]) -> list[Finding]:
    """Only the findings that stop a brief."""
    return [f for f in findings if f.severity is Severity.ERROR]


def warnings(findings: list[Finding]) -> list[Finding]:
    """Only the findings that are flagged but do not stop a brief."""
    return [f for f in findings if f.severity is Severity.WARNING]


class FileRefused(Exception):
    """A whole input file is refused; carries the finding that says why, and how many data
    rows the file held when they could be counted safely (0 otherwise)."""

    def __init__(self, finding: Finding, rows: int = 0) -> None:
        super().__init__(finding.as_text())
        self.finding = finding
        self.rows = rows
