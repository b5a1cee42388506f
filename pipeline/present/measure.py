"""How wide a text is set in the documents' own face, measured from the shipped font files.

Tables plan their column widths with it (table_layout) and charts their margins and labels
(charts): both then match what WeasyPrint and matplotlib set, without laying anything out.
"""

from __future__ import annotations

from functools import cache
from itertools import repeat

from matplotlib.ft2font import FT2Font

from pipeline import config

MM_PER_PT = 25.4 / 72
#: The text face of the documents (templates/brief.css) and of the charts (charts.STYLE).
FONTS = {False: "DejaVuSansCondensed.ttf", True: "DejaVuSansCondensed-Bold.ttf"}


@cache
def _font(bold: bool) -> tuple[FT2Font, frozenset[int]]:
    """Our own handle on the font file (matplotlib's cached one keeps its own size)."""
    font = FT2Font(str(config.TEMPLATES_DIR / config.FONTS_FOLDER / FONTS[bold]))
    font.set_size(1000, 72)
    return font, frozenset(font.get_charmap())


@cache
def _advance(char: str, bold: bool) -> float:
    """Advance of one character, in ems.

    A character the face lacks is set in a fallback font (Ethiopic, Arabic, full-width
    Latin, emoji; templates/fonts): counted as a full em, as wide as the widest of them.
    """
    font, charmap = _font(bold)
    if ord(char) not in charmap:
        return 1.0
    return float(font.load_char(ord(char)).linearHoriAdvance / 65536 / 1000)


def text_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of `text` on one line, in points, at `size_pt` points."""
    # map over the cached advances: no Python frame per character (text is measured often).
    return sum(map(_advance, text, repeat(bold))) * size_pt


def text_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of `text` on one line, in millimetres, at `size_pt` points."""
    return text_pt(text, size_pt, bold) * MM_PER_PT
