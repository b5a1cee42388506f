"""Reporting periods: the forms we accept, their canonical labels and their order (no I/O).

Accepted forms (case and spaces do not matter; a slash or dash may join two years):

    2004          a calendar year
    2003-2004     several years
    2005-Q2       a quarter
    2005-H1       a half year
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

FORMS = "2004, 2003-2004, 2005-Q2 or 2005-H1"

_YEAR = re.compile(r"^(\d{4})$")
_YEARS = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")
_PART = re.compile(r"^(\d{4})\s*[-–/ ]?\s*([QH])([1-4])$", re.IGNORECASE)
_PART_FIRST = re.compile(r"^([QH])([1-4])\s*[-–/ ]?\s*(\d{4})$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period as months since year 0: comparable, and printed canonically."""

    last_month: int  #: first sort key: a period ends after another ends later
    first_month: int
    label: str

    @property
    def months(self) -> int:
        """Length of the period in months."""
        return self.last_month - self.first_month + 1

    @property
    def first_day(self) -> date:
        """The first day of the period."""
        return month_start(self.first_month)

    @property
    def last_day(self) -> date:
        """The last day of the period."""
        return month_end(self.last_month)


def month_start(month: int) -> date:
    """The first day of a month counted from year 0."""
    year, index = divmod(month, 12)
    return date(year, index + 1, 1)


def month_end(month: int) -> date:
    """The last day of a month counted from year 0."""
    year, index = divmod(month, 12)
    return date(year, index + 1, calendar.monthrange(year, index + 1)[1])


def _months(year: int, first: int, last: int, label: str) -> Period:
    return Period(year * 12 + last - 1, year * 12 + first - 1, label)


def parse_period(text: str) -> Period | None:
    """The period `text` names, or None when it is not one of the accepted forms."""
    text = text.strip()
    if match := _YEAR.match(text):
        year = int(match[1])
        return _months(year, 1, 12, str(year))
    if match := _YEARS.match(text):
        start, end = int(match[1]), int(match[2])
        if end <= start:
            return None
        return Period(end * 12 + 11, start * 12, f"{start}-{end}")
    if match := _PART.match(text) or _PART_FIRST.match(text):
        groups = match.groups()
        year, kind, number = (
            (int(groups[0]), groups[1].upper(), int(groups[2]))
            if match.re is _PART
            else (int(groups[2]), groups[0].upper(), int(groups[1]))
        )
        if kind == "H" and number > 2:
            return None
        size = 3 if kind == "Q" else 6
        first = (number - 1) * size + 1
        return _months(year, first, first + size - 1, f"{year}-{kind}{number}")
    return None


def period_key(text: str) -> str | None:
    """The one normal form of a written period: its canonical label ("2003/2004", "2003 – 2004"
    and "2003-2004" are all "2003-2004"); "" for a blank; None when it is not a period.

    Every join on a period (a row and its exchange rate, a target and its country's period)
    compares these keys on both sides, never the text as written.
    """
    if not text.strip():
        return ""
    period = parse_period(text)
    return period.label if period else None


def latest(labels: list[str]) -> str:
    """The latest of canonical period labels."""
    return max(labels, key=sort_key)


def sort_key(label: str) -> Period:
    """Order canonical labels by when they end, then by when they start."""
    period = parse_period(label)
    if period is None:
        raise ValueError(f"{label!r} is not a canonical period label")
    return period


def span(start: str, end: str) -> tuple[date, date]:
    """The first and last day of a span written as months or dates (programme.yaml's period):
    ("2003-03", "2004-10") is 1 March 2003 to 31 October 2004. ValueError for anything else."""
    first = date.fromisoformat(f"{start}-01" if len(start) == 7 else start)
    last = date.fromisoformat(end) if len(end) != 7 else month_end(_month(end))
    if last < first:
        raise ValueError(f"{start} – {end} ends before it starts.")
    return first, last


def _month(text: str) -> int:
    day = date.fromisoformat(f"{text}-01")
    return day.year * 12 + day.month - 1


def period_dates(label: str, whole: tuple[date, date]) -> tuple[date, date]:
    """The first and last day of a canonical period label; `whole` for "" (no period given)."""
    if not label:
        return whole
    period = sort_key(label)
    return period.first_day, period.last_day
