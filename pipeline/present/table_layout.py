"""Column widths of the documents' tables: fixed, summing to the text width, planned from the
text each column holds (no I/O beyond the shipped font files).

WeasyPrint's automatic table layout lets a table grow past the margin when its unbreakable
cells (numbers, bars) are wider than the page, and splits the spare width by its own rule:
a 100-character territory name wrapped to six lines beside a half-empty Products column.
Here every table gets `table-layout: fixed` and widths from this plan: a number column is
as wide as its widest figure, never less; the columns that may wrap (names, products,
indicator labels) share what is left, in proportion to how much text they hold, so the
longest text gets the widest column. Widths are measured with the documents' own font
(DejaVu Sans Condensed, the file the stylesheet embeds), so the plan matches the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

from pipeline.present.measure import text_mm

#: A4 (210 mm) less the side margins of templates/brief.css (@page: 16 mm each side).
TEXT_WIDTH_MM = 210.0 - 2 * 16.0
#: Left and right cell padding of `table.numbers` (1.6 mm each side) and `table.compare`.
PADDING_MM = 3.2
COMPARE_PADDING_MM = 2.4
#: Room kept beyond the measured width of a column's widest text: hinting and rounding make a
#: set line a little wider than its sum of advances, and a word exactly as wide as its column
#: would break.
SLACK_MM = 0.8
#: A word longer than this may break anywhere inside its cell (overflow-wrap), so a text
#: column never needs more than this to hold one.
LONGEST_UNBROKEN_MM = 22.0
#: Text sizes of templates/brief.css, in points.
BODY_PT, HEADER_PT, NOTE_PT = 8.0, 7.5, 6.0


@dataclass(frozen=True)
class Column:
    """What a column needs: `need` mm it cannot do without (its widest unbreakable text),
    `fair` mm to set its heading on three lines at most and a short name on one, `two` mm to
    set its heading on two lines, `want` mm to set its widest cell on one line; whether its
    text may wrap; and, to count the lines a width gives, the widths of its heading's pieces
    and of each cell's words (mm)."""

    need: float
    want: float
    wraps: bool = False
    fair: float = 0.0
    two: float = 0.0
    heading: tuple[float, ...] = ()
    words: tuple[tuple[float, ...], ...] = ()


#: A name or list up to this wide is worth one line before longer texts get more room.
SHORT_TEXT_MM = 30.0
#: Heights of a line of body text and of heading text, in mm (templates/brief.css: 8 pt and
#: 7.5 pt at a line height of 1.42).
LINE_MM, HEADING_LINE_MM = BODY_PT * 1.42 * 25.4 / 72, HEADER_PT * 1.42 * 25.4 / 72


def _header_need(header: Sequence[str], size: float = HEADER_PT) -> float:
    """A header wraps between its pieces (words; a unit such as "(US$ per t)" is one)."""
    return max((text_mm(p, size, bold=True) for p in header), default=0.0)


def _header_lines(header: Sequence[str], lines: int = 3, size: float = HEADER_PT) -> float:
    """The narrowest width that sets a header on `lines` lines at most."""
    pieces = list(header)
    if not pieces:
        return 0.0
    return min(_set_width(pieces, cuts, size) for cuts in _cuts(len(pieces), lines))


def _cuts(count: int, lines: int) -> list[tuple[int, ...]]:
    """Every way to cut `count` pieces into at most `lines` lines (where each line starts)."""
    return [cut for n in range(min(lines, count)) for cut in combinations(range(1, count), n)]


def _set_width(pieces: list[str], cuts: tuple[int, ...], size: float) -> float:
    bounds = [0, *cuts, len(pieces)]
    return max(text_mm(" ".join(pieces[a:b]), size, bold=True) for a, b in pairwise(bounds))


def _widths(pieces: Iterable[str], size: float, bold: bool) -> tuple[float, ...]:
    return tuple(text_mm(p, size, bold) for p in pieces)


def lines(words: Sequence[float], space: float, width: float) -> int:
    """How many lines words of these widths take in `width` mm, wrapped greedily; a word
    wider than the line breaks inside (overflow-wrap)."""
    count, used = 1, -space
    for word in words:
        if used + space + word <= width or used < 0:
            if word > width:  # broken across lines of its own
                count += int(word // width) if used < 0 else int(word // width) + 1
                used = word % width
            else:
                used += space + word
        else:
            count += 1 + (int(word // width) if word > width else 0)
            used = word % width if word > width else word
    return count


def number_column(
    cells: Iterable[str],
    header: Sequence[str] = (),
    notes: Iterable[str] = (),
    size: float = BODY_PT,
    extra_mm: float = 0.0,
    split: bool = False,
) -> Column:
    """A column of figures, which never wrap; `notes` ("2 of 3 reporting") wrap between
    words; `extra_mm` is drawn beside each figure (a bar). With `split`, a cell of several
    figures ("500 (89%)") may wrap between them."""
    texts = list(cells)
    widest = max((text_mm(c, size, bold=True) for c in texts), default=0.0) + extra_mm
    note = max((text_mm(w, NOTE_PT) for n in notes for w in n.split()), default=0.0)
    head = _header_need(header)
    heading = _widths(header, HEADER_PT, True)
    if split:
        word = max((text_mm(w, size, bold=True) for c in texts for w in c.split()), default=0.0)
        need = max(word, note, head)
        return Column(
            need,
            max(widest, note),
            fair=max(need, _header_lines(header)),
            two=max(need, _header_lines(header, 2)),
            heading=heading,
            words=tuple(_widths(c.split(), size, True) for c in texts),
        )
    need = max(widest, note, head)
    return Column(
        need,
        need,
        fair=max(need, _header_lines(header)),
        two=max(need, _header_lines(header, 2)),
        heading=heading,
    )


def text_column(
    cells: Iterable[str], header: Sequence[str] = (), size: float = BODY_PT, bold: bool = False
) -> Column:
    """A column of names or lists, wrapping between words; a word too long for the
    column breaks anywhere (LONGEST_UNBROKEN_MM)."""
    texts = list(cells)
    longest_word = max((text_mm(w, size, bold) for t in texts for w in t.split()), default=0.0)
    need = max(min(longest_word, LONGEST_UNBROKEN_MM), _header_need(header))
    want = max(need, max((text_mm(t, size, bold) for t in texts), default=0.0))
    fair = min(want, max(need, SHORT_TEXT_MM))
    return Column(
        need,
        want,
        wraps=True,
        fair=fair,
        two=fair,
        heading=_widths(header, HEADER_PT, True),
        words=tuple(_widths(t.split(), size, bold) for t in texts),
    )


@dataclass(frozen=True)
class Plan:
    """Each column's width in % of the text width (they sum to 100), and the share of its
    usual size the table's text is set at (1 unless the figures alone overfill the page)."""

    widths: tuple[float, ...]
    scale: float = 1.0

    def style(self, size_pt: float = BODY_PT) -> str:
        """The table's own style: its text size, when it must shrink to fit (the sizes
        inside a table are relative to its own: templates/brief.css)."""
        return "" if self.scale == 1.0 else f"font-size: {size_pt * self.scale:.2f}pt"


#: A text column narrower than this (or its one-line width) sets a list or a name on many
#: short lines: a table that would leave one so narrow is too crowded (`roomy`).
ROOMY_TEXT_MM = 45.0


def roomy(
    columns: Sequence[Column], total: float = TEXT_WIDTH_MM, pad: float = PADDING_MM
) -> bool:
    """True when the columns fit the text width without shrinking their text, and every
    text column keeps ROOMY_TEXT_MM (or its one-line width, when less)."""
    laid = plan(columns, total, pad)
    return laid.scale == 1.0 and all(
        w * total / 100 >= min(c.want, ROOMY_TEXT_MM) + pad + SLACK_MM - 1e-6
        for w, c in zip(laid.widths, columns, strict=True)
        if c.wraps
    )


def _towards(widths: list[float], goals: list[float], room: float) -> tuple[list[float], float]:
    """Widths grown towards `goals` with `room` mm, each in proportion to what it lacks;
    and the room left over."""
    lack = [max(0.0, g - w) for w, g in zip(widths, goals, strict=True)]
    short = sum(lack)
    if short <= room:
        return [w + m for w, m in zip(widths, lack, strict=True)], room - short
    return [w + m * room / short for w, m in zip(widths, lack, strict=True)], 0.0


def height(columns: Sequence[Column], widths: Sequence[float], pad: float) -> float:
    """About how tall a table is at these widths (mm): its heading row and each row's
    tallest cell, in lines; the rows' padding is the same for every plan and left out."""
    space = text_mm(" ", BODY_PT)
    inner = [w - pad for w in widths]
    heading = max(
        (lines(c.heading, space, w) for c, w in zip(columns, inner, strict=True)), default=1
    )
    rows = max((len(c.words) for c in columns), default=0)
    body = sum(
        max(
            (
                lines(c.words[r], space, w)
                for c, w in zip(columns, inner, strict=True)
                if r < len(c.words)
            ),
            default=1,
        )
        for r in range(rows)
    )
    return heading * HEADING_LINE_MM + body * LINE_MM


#: The orders in which a plan hands out room beyond what columns need (`plan` tries each).
ORDERS = (("fair", "want"), ("fair", "two", "want"), ("fair", "want", "two"))


def plan(columns: Sequence[Column], total: float = TEXT_WIDTH_MM, pad: float = PADDING_MM) -> Plan:
    """Widths that sum to `total`. Each column first gets what it needs; then, while room
    is left, enough to set its heading on three lines and a short name on one; then enough
    to set its widest cell on one line (or first its heading on two lines); each step shared
    in proportion to what each column lacks, so the longest text gets the widest column. Of
    these orders, the one that gives the shortest table wins. What remains is shared by every
    column, in proportion to its width."""
    if not columns:
        return Plan(())
    pad += SLACK_MM
    scale = 1.0
    bare = sum(c.need for c in columns)
    if bare + pad * len(columns) > total:
        # The figures alone overfill the page: shrink them until they fit. Ink past the margin
        # is lost at the printer; small type is not (a PDF can be zoomed). Every figure at its
        # registry ceiling (tests/scenarios.py, "huge-figures") still prints at a legible size.
        scale = (total - pad * len(columns)) / bare
    start = [c.need * scale + pad for c in columns]
    if sum(start) > total:
        start = [w * total / sum(start) for w in start]
    best: list[float] = []
    best_height = float("inf")
    for order in ORDERS:
        widths, room = start, total - sum(start)
        for goal in order:
            goals = [max(getattr(c, goal), c.need) * scale + pad for c in columns]
            widths, room = _towards(widths, goals, room)
        widths = [w + room * w / sum(widths) for w in widths]
        tall = height(columns, widths, pad)
        if tall < best_height - 0.01:
            best, best_height = widths, tall
    return Plan(tuple(round(100 * w / total, 3) for w in best), scale)
