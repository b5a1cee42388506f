"""One fact, one value (#19 rule 6): a fact a file states twice is stated once, or refused.

A column's unit, scale and currency may be written in its header, in a units row under it, in
a title line above it ("Values in KES '000") or in a note of the table ("Note: values in
'000"); a country in the file's name and in a Country
column; a currency in a header and in a currency column (`pipeline.check.normalise`). Where
two places say different things the file is refused, naming both: it is never a guess which
one the figures follow. A units row completes a header that is silent ("Value" over "US$
'000"). A title line must agree with what the header says, its defaults included (a "Value"
header is in US$): "Values in KES" over "Value" refuses the file and asks for "Value (KES)".
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from pipeline.check.locate import cell as _cell
from pipeline.check.locate import finding as _finding
from pipeline.check.rows import Layout, RowKind
from pipeline.core.countries import country_key
from pipeline.core.findings import FileRefused, Severity
from pipeline.core.names import fold
from pipeline.read.columns import NUMERIC, Column, ParsedHeader, qualifiers
from pipeline.read.raw import RawRow, RawTable

#: Words that say which column a title's statement is about.
_SUBJECTS = {
    **dict.fromkeys(
        ("value", "values", "amount", "amounts", "sales", "money", "revenue", "currency"),
        "value_usd",
    ),
    **dict.fromkeys(("volume", "volumes", "quantity", "quantities", "tonnage"), "volume_sold_t"),
    **dict.fromkeys(("figures", "numbers", "all", "data", "table"), ""),
}
_STATEMENT = re.compile(r"^(?P<subject>.*?)(?:\bin\b|:)\s*(?P<rest>[^:]+?)\s*$", re.IGNORECASE)


def _said(parsed: ParsedHeader) -> bool:
    """True when a text states a unit, a scale or a currency."""
    return bool(parsed.unit or parsed.scale != 1 or parsed.currency)


#: A note's mark, read past before its statement: "Note: values in '000", "* Volumes in kg".
_NOTE_MARK = re.compile(
    r"^\s*(?:[*†‡]+|\(\d{1,2}\)|n\.\s?b\.|(?:notes?|nb)\s*[:.\-–])\s*", re.IGNORECASE
)


def title_statements(
    raw: RawTable, notes: tuple[tuple[int, tuple[str, ...]], ...] = ()
) -> list[tuple[int, str, str, ParsedHeader]]:
    """(line, text, column, what it says) for each unit, scale or currency a title line, or
    a note row of the table (`notes`), states.

    A statement is a clause "<subject> in <units>" or "<subject>: <units>" whose end is only
    units, scales and currencies ("Values in KES '000", "Currency: KES", "Volumes in kg");
    anything else ("case of Kenya", "Results in all districts") states nothing.
    """
    out = []
    for line, cells in (*raw.preamble, *notes):
        for text in (_NOTE_MARK.sub("", cell) for cell in cells):
            for clause in re.split(r"[,;|()]|\band\b", text):
                match = _STATEMENT.match(clause.strip())
                if match is None:
                    continue
                subjects = {
                    _SUBJECTS[w] for w in map(fold, match["subject"].split()) if w in _SUBJECTS
                }
                if match["subject"].strip() and not subjects:
                    continue  # about something else ("Prices in KES")
                for name in _columns(subjects):
                    parsed = qualifiers(match["rest"], name)
                    if parsed.clean and _said(parsed):
                        out.append((line, clause.strip(), name, parsed))
    return out


def _columns(subjects: set[str]) -> list[str]:
    named = [s for s in subjects if s]
    return named if named else list(NUMERIC)


def merged_columns(raw: RawTable, columns: dict[str, Column], layout: Layout) -> dict[str, Column]:
    """The header's columns with what a units row adds; FileRefused where a units row or a
    title line says otherwise than the header."""
    merged = dict(columns)
    for name, (line, said) in layout.units.items():
        merged[name] = _merge(raw, merged[name], said, line, "the units row", complete=True)
    notes = tuple((line, raw.row(line).cells) for line in layout.lines(RowKind.NOTE))
    noted = {line for line, _ in notes}
    for line, text, name, said in title_statements(raw, notes):
        if name not in merged:
            continue  # "Figures in '000" says nothing about an optional column not given
        where = f'the note "{text}"' if line in noted else f'the title "{text}"'
        _merge(raw, merged[name], said, line, where, complete=False)
    return merged


def _merge(
    raw: RawTable, column: Column, said: ParsedHeader, line: int, where: str, complete: bool
) -> Column:
    """`column` completed with what `said` states where the header is silent (a units row,
    `complete`); FileRefused where the two disagree. A header's silence means its default
    (US$, tonnes, no scale): a title that says otherwise disagrees with it."""
    aspects = [  # (what, the header's meaning, whether it states it, what `said` states)
        ("currency", column.currency or "USD", bool(column.currency), said.currency or None),
        ("unit", column.unit_factor, bool(column.unit), said.factor if said.unit else None),
        ("scale", column.scale, column.scale != 1, said.scale if said.scale != 1 else None),
    ]
    written = {"currency": said.currency_text, "unit": said.unit, "scale": said.scale_text}
    updates: dict[str, object] = {}
    for what, header, stated, other in aspects:
        if other is None or other == header:
            continue
        if complete and not stated:
            updates.update(
                {
                    "currency": {"currency": other},
                    "unit": {"unit_factor": other, "unit": said.unit},
                    "scale": {"scale": other},
                }[what]
            )
            continue
        raise FileRefused(
            _finding(
                raw,
                Severity.ERROR,
                line,
                column.label,
                written[what],
                "unit-conflict",
                f'The header "{column.label}" (line {raw.header_line}) and {where} (line '
                f"{line}) give different {_PLURAL[what]}: {_shown(what, header)} and "
                f"{written[what] or _shown(what, other)}. One figure cannot be in both.",
            )
        )
    return replace(column, **updates) if updates else column  # type: ignore[arg-type]


_PLURAL = {"currency": "currencies", "unit": "units", "scale": "scales"}


def _shown(what: str, value: object) -> str:
    if what == "unit":
        return "tonnes" if value == Decimal(1) else "kilograms"
    if what == "scale":
        return {1: "units (no scale)", 1000: "thousands", 1_000_000: "millions"}.get(
            int(value),  # type: ignore[call-overload]
            str(value),
        )
    return str(value)


def _country_cell(text: str) -> str | None:
    """The country a Country cell names: "Kenya", "KEN", or "Kenya (KE)" when its parts agree."""
    key = country_key(text)
    if key is None:
        parts = {country_key(p) for p in re.split(r"[()\[\]/,;]", text) if p.strip()}
        key = parts.pop() if len(parts) == 1 else None
    return key


def country_check(
    raw: RawTable, columns: dict[str, Column], rows: list[RawRow], country: str | None
) -> None:
    """A Country column must name the file's country on every row that fills it, or the file
    is refused naming the lines; without a known file country, every row must name one."""
    if "country" not in columns:
        return
    column = columns["country"]
    wanted = country
    wrong: list[tuple[int, str]] = []
    for row in rows:
        text = _cell(row, column).strip()
        if not text:
            continue
        key = _country_cell(text)
        if wanted is None and key is not None:
            wanted = key
        if key is None or key != wanted:
            wrong.append((row.line, text))
    if not wrong:
        return
    lines = ", ".join(str(line) for line, _ in wrong[:10]) + (" …" if len(wrong) > 10 else "")
    expected = f"this file's country ({wanted})" if wanted else "one country"
    raise FileRefused(
        _finding(
            raw,
            Severity.ERROR,
            wrong[0][0],
            column.label,
            wrong[0][1],
            "other-country",
            f'The column "{column.label}" names another country than {expected} on line(s) '
            f'{lines} ("{wrong[0][1]}"): those rows are not this country\'s.',
        )
    )
