"""Every row of a country file classified, or the file refused naming the row (#19 rule 3).

A row below the header is exactly one of:

- **blank**: no cell holds anything;
- **repeated header**: the header again (a page break in the sheet), naming the same columns in
  the same places with the same units; a header that differs refuses the file;
- **units row**: directly under the header, before any data, cells that are only units,
  scales or currencies (`t`, `'000`, `US$`); what it says joins the header's (`pipeline.check.
  facts`);
- **note**: a label that reads as a note (`Source:`, `Note:`, `NB:`, a leading `*`, `†`, `(1)`)
  with no figures, or a row below the Totals row holding nothing but its first cell;
- **Totals row** or **subtotal**: by its label (`pipeline.check.totals.totals_kind`), or, for a
  row named after the country or programme or all its territories (`All districts`), by its
  figures: it is the Totals row when they equal the sums of the others (`resolve_totals`);
- **territory**: any other named row, reporting or not.

Rows the rules cannot classify refuse the file, naming the line: a note-like label with figures,
a row that holds something only in columns the tool does not read.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from pipeline.check.locate import cell as _cell
from pipeline.check.locate import finding as _finding
from pipeline.check.totals import PERIOD_YEARS, Kind, totals_kind, words
from pipeline.core.findings import FileRefused, Finding, Severity
from pipeline.core.names import fold
from pipeline.read.cells import COMMA, POINT
from pipeline.read.columns import NUMERIC, Column, ParsedHeader, header_score, parse_header
from pipeline.read.columns import qualifiers as header_qualifiers
from pipeline.read.raw import RawRow, RawTable


class RowKind(StrEnum):
    """What a row of a country file is."""

    TERRITORY = "territory"
    TOTAL = "total"
    SUBTOTAL = "subtotal"
    HEADER = "repeated header"
    UNITS = "units row"
    NOTE = "note"
    BLANK = "blank"


#: A label that reads as a note or footnote: a footnote mark, or a note word and a colon.
_NOTE = re.compile(
    r"^\s*(?:[*†‡§¹²³⁴⁵⁶⁷⁸⁹]|\(\d{1,2}\)|\[\d{1,2}\]"
    r"|n\.\s?b\.|(?:sources?|notes?|nb|remarks?|comments?|footnotes?|data\s+sources?"
    r"|prepared\s+by|compiled\s+by|reported\s+by|compiled|updated"
    # French, Portuguese, Spanish, Swahili
    r"|remarques?|commentaires?|observations?|fonte|fontes|obs|observa[cç][aã]o|nota|notas"
    r"|fuente|fuentes|chanzo|vyanzo|kumbuka|maelezo)\s*[:.\-–]"
    r"|(?:prepared|compiled|reported)\s+by\b)",
    re.IGNORECASE,
)
#: Labels naming every territory at once: a row under one of them may be the Totals row.
ALL_PHRASES = frozenset(
    {
        ("all", "districts"),
        ("all", "territories"),
        ("all", "regions"),
        ("all", "areas"),
        ("all", "counties"),
        ("all", "provinces"),
        ("all",),
        ("whole", "country"),
        ("entire", "country"),
        ("national",),
        ("nationwide",),
        ("country",),
        ("tous", "les", "districts"),
        ("toutes", "les", "regions"),
        ("ensemble",),
        ("wilaya", "zote"),
        ("nchi", "nzima"),
    }
)
#: Labels of a units row's first cell.
_UNIT_LABELS = frozenset({"unit", "units", "unitofmeasure", "uom", "measure", "unite", "unites"})


#: Words of a heading over a group of territories ("Eastern Region", "Zone Nord", "Mkoa wa
#: Pwani"), folded. Districts and counties are left out: they are what offices report by.
HEADING_WORDS = frozenset(
    {
        "region",
        "regions",
        "subregion",
        "province",
        "provinces",
        "zone",
        "zones",
        "cluster",
        "division",
        "provincia",
        "regiao",
        "zona",
        "mkoa",
        "kanda",
        # a band over several territories, or over a period's rows
        "phase",
        "districts",
        "counties",
        "territories",
        "year",
        "annee",
        "ano",
        "mwaka",
        "period",
        "periode",
        "periodo",
    }
)
#: First words of a note standing alone on its row without a colon ("Provisional figures").
NOTE_WORDS = frozenset(
    {
        "provisional", "preliminary", "provisoire", "provisoires", "provisorio", "provisorios",
        "preliminaire", "preliminar", "updated", "source", "sources", "note", "notes",
        "compiled", "prepared", "fonte", "fuente", "chanzo", "kumbuka", "figures", "data",
        "chiffres", "donnees", "dados", "datos", "takwimu",
    }
)  # fmt: skip

#: A label of this many words is a sentence, not a place's name.
_SENTENCE_WORDS = 8


def label_reading(label: str) -> str:
    """What a label standing alone on its row reads as other than a territory: "a heading"
    ("Eastern Region", "Nyanza:"), "a note" (a sentence: "Data collected in March 2004."),
    or "" for a place's name."""
    text = label.strip()
    found = words(text)
    if text.endswith(":") or HEADING_WORDS.intersection(found) or PERIOD_YEARS.fullmatch(text):
        return "a heading"
    if (text.endswith((".", "!", "?")) and len(found) >= 3) or len(found) >= _SENTENCE_WORDS:
        return "a note"
    if ":" in text or (found and found[0] in NOTE_WORDS):  # "Fonte MINAG", "Provisional"
        return "a note"
    return ""


def is_note_label(text: str) -> bool:
    """True for a label that reads as a note: 'Source: CRS', '* provisional', 'NB. …'."""
    return bool(_NOTE.match(text))


@dataclass
class Layout:
    """What each row of a file is, decided before any figure is typed."""

    kinds: dict[int, RowKind] = field(default_factory=dict)  #: line -> kind
    #: Totals rows by label: line -> label
    labels: dict[int, str] = field(default_factory=dict)
    #: Rows named after the country, the programme or all territories: Totals if they add up
    candidates: set[int] = field(default_factory=set)
    #: Rows holding only a label below a named candidate: notes if it is the Totals row, else
    #: territories that have not reported (line -> the candidate's line)
    pending: dict[int, int] = field(default_factory=dict)
    #: What a units row says about each column: canonical -> (line, what it says)
    units: dict[str, tuple[int, ParsedHeader]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def lines(self, *kinds: RowKind) -> list[int]:
        """The lines of the given kinds, in order."""
        return sorted(line for line, kind in self.kinds.items() if kind in kinds)

    def counts(self, blank_lines: int) -> dict[str, int]:
        """How many rows of each kind, for the data notes."""
        counts = {kind.value: 0 for kind in RowKind}
        for kind in self.kinds.values():
            counts[kind.value] += 1
        counts[RowKind.BLANK.value] += blank_lines
        return counts


def classify(raw: RawTable, columns: dict[str, Column], names: tuple[str, ...] = ()) -> Layout:
    """Classify every non-blank row by its text; FileRefused for a row no rule classifies."""
    layout = Layout()
    known = sorted(c.index for c in columns.values())
    territory = columns["territory"].index
    width = len(raw.header)
    named = {words(n) for n in names if words(n)}
    seen_data = False
    last_total = last_candidate = 0
    for row in raw.rows:
        cells = {name: _cell(row, c).strip() for name, c in columns.items()}
        label = cells.get("territory", "")
        first = next((c.strip() for c in row.cells if c.strip()), "")
        figures = [n for n in NUMERIC if cells.get(n)]
        # A repeated header names the territory column where the header does (cheap to test
        # first: most rows are territories).
        if parse_header(label) is not None and header_score(list(row.cells)) >= 3:
            _repeated_header(raw, row, columns)
            layout.kinds[row.line] = RowKind.HEADER
            layout.findings.append(_noted(raw, row, "repeated-header", first))
            continue
        if not seen_data and (units := _units_row(raw, row, columns, cells)) is not None:
            layout.kinds[row.line] = RowKind.UNITS
            layout.units.update({name: (row.line, said) for name, said in units.items()})
            layout.findings.append(_noted(raw, row, "units-row", first))
            continue
        # Straight under the header, before any other row: the header's second row, refused.
        _refuse_second_header_row(raw, row, columns, label, first=not layout.kinds)
        if is_note_label(first):
            if figures and len(row.cells) == width:
                raise _unclassifiable(
                    raw,
                    row,
                    f'Line {row.line} starts like a note ("{short_label(first)}") but holds figures, '
                    "so it is neither a note nor a territory for sure.",
                )
            layout.kinds[row.line] = RowKind.NOTE
            layout.findings.append(_noted(raw, row, "note-row", first))
            continue
        only_first = sum(1 for i in known if i < len(row.cells) and row.cells[i].strip()) <= 1
        if last_total and only_first and not figures:
            layout.kinds[row.line] = RowKind.NOTE  # under the Totals row, with no figures
            layout.findings.append(_noted(raw, row, "note-row", first))
            continue
        if last_candidate and only_first and not figures and label:
            layout.pending[row.line] = last_candidate  # a note if the candidate is a total
        if not any(cells.values()):
            raise _unclassifiable(
                raw,
                row,
                f'Line {row.line} holds "{short_label(first)}" only in columns this tool does not '
                "read, so it is neither a territory, a total nor a note.",
            )
        # "Total" may stand in a column before the territories' (a "No." column).
        before = next((c.strip() for c in row.cells[:territory] if c.strip()), "")
        # A totals word with all the territories ("Total (all districts)") is the Totals row.
        kind = totals_kind(label or before, (*names, *_EVERY_TERRITORY))
        if kind is Kind.TOTAL:
            layout.kinds[row.line] = RowKind.TOTAL
            last_total = row.line
        elif kind is Kind.SUBTOTAL:
            layout.kinds[row.line] = RowKind.SUBTOTAL
        else:
            layout.kinds[row.line] = RowKind.TERRITORY
            seen_data = True
            if words(label) in named or words(label) in ALL_PHRASES:
                layout.candidates.add(row.line)
                last_candidate = row.line
    return layout


#: ALL_PHRASES as names (totals_kind reads names as text).
_EVERY_TERRITORY = tuple(" ".join(phrase) for phrase in sorted(ALL_PHRASES))


def _refuse_second_header_row(
    raw: RawTable, row: RawRow, columns: dict[str, Column], label: str, first: bool
) -> None:
    if not first or not _continues_header(raw, row, columns, label):
        return
    shown = ", ".join(f'"{short_label(c.strip())}"' for c in row.cells if c.strip())
    raise FileRefused(
        _finding(
            raw,
            Severity.ERROR,
            row.line,
            "",
            row.text[:80],
            "two-row-header",
            f"Line {row.line} continues the header ({shown}): a header written over two rows, "
            "as merged cells are saved, cannot be read column by column.",
        )
    )


def _continues_header(raw: RawTable, row: RawRow, columns: dict[str, Column], label: str) -> bool:
    """The header's second row ("Men", "Women" under a merged "Members"): straight under the
    header, no name, only words or years, one of them where a figure or a column with no header
    is."""
    texts = {i: c.strip() for i, c in enumerate(row.cells) if c.strip()}
    if label or not texts or not all(_header_word(t) for t in texts.values()):
        return False
    figures = {columns[n].index for n in NUMERIC if n in columns}
    unlabelled = {i for i, h in enumerate(raw.header) if not h.strip()}
    return any(i in figures or i in unlabelled for i in texts)


def _header_word(text: str) -> bool:
    return any(ch.isalpha() for ch in text) or bool(PERIOD_YEARS.fullmatch(text))


def short_label(text: str) -> str:
    """A label cut to 60 characters for a message."""
    return text if len(text) <= 60 else text[:57] + "…"


def _noted(raw: RawTable, row: RawRow, rule: str, first: str) -> Finding:
    what = {
        "repeated-header": "the header repeated (as at a page break); it is not a territory",
        "units-row": "a units row under the header; what it says joins the header's",
        "note-row": "a note, not a territory",
    }[rule]
    return _finding(
        raw,
        Severity.WARNING,
        row.line,
        "",
        short_label(first),
        rule,
        f'Line {row.line} ("{short_label(first)}") was read as {what}.',
    )


def _unclassifiable(raw: RawTable, row: RawRow, message: str) -> FileRefused:
    return FileRefused(
        _finding(raw, Severity.ERROR, row.line, "", row.text[:80], "unclassified-row", message)
    )


def _repeated_header(raw: RawTable, row: RawRow, columns: dict[str, Column]) -> None:
    """A header repeated below the first must name the same columns in the same places, with
    the same units: otherwise the rows under it are another table."""
    for column in columns.values():
        text = _cell(row, column).strip()
        said = parse_header(text) if text else None
        first = parse_header(column.label)
        if (
            said is None
            or first is None
            or (said.canonical, *_meaning(said))
            != (
                first.canonical,
                *_meaning(first),
            )
        ):
            raise FileRefused(
                _finding(
                    raw,
                    Severity.ERROR,
                    row.line,
                    column.label,
                    text,
                    "header-differs",
                    f"Line {row.line} repeats the header, but where line {raw.header_line} has "
                    f'"{column.label}" it has "{text}": the rows below it would be read in the '
                    "wrong columns or units.",
                )
            )


def _meaning(parsed: ParsedHeader) -> tuple[object, ...]:
    return (parsed.factor, parsed.scale, parsed.currency)


def _units_row(
    raw: RawTable, row: RawRow, columns: dict[str, Column], cells: dict[str, str]
) -> dict[str, ParsedHeader] | None:
    """What a units row says about each column, or None when the row is no units row.

    A units row has no label (or "Unit"), no number, and in its figure columns only units,
    scales or currencies. A token in it that is none of these refuses the file."""
    if cells.get("territory") and fold(cells["territory"]) not in _UNIT_LABELS:
        return None
    filled = [n for n in cells if cells[n] and n != "territory"]
    if not filled or any(n not in NUMERIC for n in filled):
        return None
    if any(POINT.regex.match(cells[n]) or COMMA.regex.match(cells[n]) for n in filled):
        return None
    said = {n: header_qualifiers(cells[n], n) for n in filled}
    if not any(p.clean for p in said.values()):
        return None  # nothing in it reads as a unit ("n/a" everywhere): a row, not units
    for name, parsed in said.items():
        if not parsed.clean:
            shown = ", ".join(f'"{t}"' for t in parsed.unknown) or '"' + cells[name] + '"'
            raise FileRefused(
                _finding(
                    raw,
                    Severity.ERROR,
                    row.line,
                    columns[name].label,
                    cells[name],
                    "header-token",
                    f"Line {row.line} reads as a units row, but {shown} under "
                    f'"{columns[name].label}" is not a unit, scale or currency this tool '
                    "understands.",
                )
            )
    return said


@dataclass(frozen=True)
class TotalsByName:
    """A row named after the country (or all territories) whose figures are the sums."""

    line: int
    label: str


@dataclass(frozen=True)
class SumRow:
    """A row that holds sums of other rows without saying so: `lines` are the rows it sums,
    `matched` the columns whose figure equals their sum, `differ` those whose figure does not,
    each with the sum it was compared with."""

    line: int
    lines: tuple[int, ...]
    matched: tuple[str, ...]
    differ: tuple[tuple[str, float], ...] = ()
    subtotal: bool = False  #: it sums rows next to it, not all the others


def resolve_totals(
    layout: Layout,
    records: dict[int, dict[str, object]],
    decimals: dict[int, dict[str, int]],
) -> tuple[list[int], list[SumRow]]:
    """Which named candidates are Totals rows, and which other rows look like one.

    A candidate (the country's or programme's name, "All districts") is the Totals row when
    each of its reported figures equals the sum of the other territories of its period, to
    the precision it was written with, and one at least is not 0; otherwise it is a
    territory (some territories share their country's name). Any other territory whose
    reported figures each equal the sum of all the others is a probable Totals row: returned
    with its figures, when there are two other territories at least and two of its figures
    that equal their sum are not 0.

    Two more kinds of row hold sums and are returned with them, so that no figure is counted
    twice in silence: a candidate by name that is not the Totals row although two of its
    figures at least (not 0) equal the others' sums, a Totals row with a slip in another
    figure (`differ`); and a row whose every figure equals the sum of two or more rows
    just above or just below it, a region's subtotal without the word (`adjacent_sums`).
    """
    by_period: dict[object, list[int]] = {}
    for line, values in records.items():
        if line not in layout.pending:  # rows that are notes if the row above is a total
            by_period.setdefault(values.get("period"), []).append(line)
    totals: list[int] = []
    for lines in by_period.values():
        candidates = sorted(layout.candidates & set(lines))
        plain = [line for line in lines if line not in layout.candidates]
        # First against the other rows, then against every row but the Totals found: "All
        # districts" may sum a territory named "Kenya" too.
        for base in (plain, [line for line in lines if line not in totals]):
            for line in candidates:
                others = [o for o in base if o != line and o not in totals]
                if (
                    line not in totals
                    and others
                    and _equals_sums(records, decimals, line, _Sums(records, others), need=1)
                ):
                    totals.append(line)
    probable = [
        row
        for lines in by_period.values()
        for row in _sum_rows(layout, records, decimals, [n for n in lines if n not in totals])
    ]
    return sorted(totals), sorted(probable, key=lambda r: r.line)


def _sum_rows(
    layout: Layout,
    records: dict[int, dict[str, object]],
    decimals: dict[int, dict[str, int]],
    territories: list[int],
) -> list[SumRow]:
    """The rows of one period's territories that hold sums of the others (`resolve_totals`)."""
    probable: list[SumRow] = []
    others_of = {line: tuple(o for o in territories if o != line) for line in territories}
    if len(territories) >= 3:
        # Each row against the sum of all the others: the sum of every row, less its own.
        sums = _Sums(records, territories)
        for line in territories:
            if matched := _equals_sums(records, decimals, line, sums, need=2):
                probable.append(SumRow(line, others_of[line], tuple(matched)))
        for line in sorted(layout.candidates & set(territories) - {r.line for r in probable}):
            named, differ, _ = _compare_sums(records, decimals, line, sums)
            if sum(records[line].get(n) != 0 for n in named) >= 2 and differ:
                probable.append(SumRow(line, others_of[line], named, differ))
    found = {r.line for r in probable}
    return probable + adjacent_sums(records, decimals, sorted(territories), found)


def adjacent_sums(
    records: dict[int, dict[str, object]],
    decimals: dict[int, dict[str, int]],
    lines: list[int],
    skip: set[int],
) -> list[SumRow]:
    """Rows (of one period, in file order) whose every reported figure equals the sum of the
    two or more rows just above them, or just below, and two of them at least are not 0.

    Every figure must match, as for a probable Totals row: a region's subtotal ("Oromia"
    over Adama and Bishoftu) matches in each of its five to seven columns, which separate
    territories' figures do not by chance. The run of rows grows one at a time and stops
    once a sum passes the row's own figure (figures are not negative).
    """
    found: list[SumRow] = []
    for at, line in enumerate(lines):
        if line in skip:
            continue
        for step in (-1, 1):
            run = _adjacent_run(records, decimals, lines, at, step)
            if run:
                found.append(SumRow(line, *run, subtotal=True))
                break
    return found


def _adjacent_run(
    records: dict[int, dict[str, object]],
    decimals: dict[int, dict[str, int]],
    lines: list[int],
    at: int,
    step: int,
) -> tuple[tuple[int, ...], tuple[str, ...]] | None:
    line = lines[at]
    own = {
        n: v for n in NUMERIC if isinstance(v := records[line].get(n), float) and not math.isnan(v)
    }
    if sum(v != 0 for v in own.values()) < 2 or any(v < 0 for v in own.values()):
        return None
    run: list[int] = []
    totals = dict.fromkeys(own, 0.0)
    index = at + step
    while 0 <= index < len(lines):
        row = records[lines[index]]
        for name in own:
            value = row.get(name)
            if not isinstance(value, float) or math.isnan(value) or value < 0:
                return None  # a row of the run lacks a figure the candidate states
            totals[name] += value
        run.append(lines[index])
        tolerances = {n: _tolerance(decimals, line, n) for n in own}
        if any(totals[n] > own[n] + tolerances[n] for n in own):
            return None
        if len(run) >= 2 and all(
            math.isclose(own[n], totals[n], rel_tol=1e-9, abs_tol=tolerances[n]) for n in own
        ):
            return tuple(sorted(run)), tuple(own)
        index += step
    return None


class _Sums:
    """The sum of each column over some rows, and over the same rows but one.

    A probable Totals row is sought by comparing every row with the sum of all the others:
    summing the others afresh for each row took time growing with the square of the rows
    (2,000 territories: 4 million additions). The sums are exact (as fractions), so a row's
    figure less its own is the sum of the others exactly, correctly rounded as math.fsum
    rounds it; a column with an infinite figure is summed afresh (a fraction cannot be one).
    """

    def __init__(self, records: dict[int, dict[str, object]], lines: list[int]) -> None:
        self.records, self.lines = records, lines
        self._exact: dict[str, tuple[dict[int, float], Fraction | None]] = {}

    def _column(self, name: str) -> tuple[dict[int, float], Fraction | None]:
        if name not in self._exact:
            values = {
                line: v
                for line in self.lines
                if isinstance(v := self.records[line].get(name), float) and not math.isnan(v)
            }
            finite = all(math.isfinite(v) for v in values.values())
            exact = sum(map(Fraction, values.values()), Fraction(0)) if finite else None
            self._exact[name] = (values, exact)
        return self._exact[name]

    def without(self, line: int, name: str) -> float | None:
        """The sum of `name` over the rows but `line`; None when none of them reported it."""
        values, exact = self._column(name)
        own = values.get(line)
        if len(values) - (own is not None) == 0:
            return None
        if exact is None:
            return math.fsum(v for other, v in values.items() if other != line)
        return float(exact - Fraction(own)) if own is not None else float(exact)


def _tolerance(decimals: dict[int, dict[str, int]], line: int, name: str) -> float:
    """Half a unit of the last decimal `line` wrote `name` with (and a float's rounding)."""
    return 0.5 * 10.0 ** -decimals.get(line, {}).get(name, 0) + 1e-9


def _compare_sums(
    records: dict[int, dict[str, object]],
    decimals: dict[int, dict[str, int]],
    line: int,
    others: _Sums,
) -> tuple[tuple[str, ...], tuple[tuple[str, float], ...], bool]:
    """The columns whose figure on `line` equals the others' sum; those where it does not,
    each with that sum; and whether a figure of `line` is one no other row reported."""
    matched: list[str] = []
    differ: list[tuple[str, float]] = []
    alone = False
    for name in NUMERIC:
        stated = records[line].get(name)
        if not isinstance(stated, float) or math.isnan(stated):
            continue
        total = others.without(line, name)
        if total is None:
            alone = True
        elif math.isclose(stated, total, rel_tol=1e-9, abs_tol=_tolerance(decimals, line, name)):
            matched.append(name)
        else:
            differ.append((name, total))
    return tuple(matched), tuple(differ), alone


def _equals_sums(
    records: dict[int, dict[str, object]],
    decimals: dict[int, dict[str, int]],
    line: int,
    others: _Sums,
    need: int,
) -> list[str]:
    """The columns whose figure on `line` equals the others' sum, if every reported figure
    does and `need` of them at least are not 0; [] otherwise. `others` sums the rows that
    `line` is compared with (it is left out of them)."""
    matched, differ, alone = _compare_sums(records, decimals, line, others)
    if differ or alone or sum(records[line].get(n) != 0 for n in matched) < need:
        return []
    return list(matched)
