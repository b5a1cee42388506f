"""Which characters the shipped fonts can print: a brief never shows a box for a letter.

The briefs, web pages and charts are set only in the fonts shipped in templates/fonts (never
the machine's own), so what they can print is the same on every machine: the union of those
fonts' character maps. Text a table gives (a territory's name, its products) is checked
against it before any brief is built.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from pipeline import config

#: Characters that take no glyph of their own: spaces, controls and format characters
#: (joiners, direction marks), which every renderer handles without a font.
_NO_GLYPH = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
_ITALIC = re.compile("Oblique|Italic")


@cache
def cmap(path: Path) -> frozenset[int]:
    """The code points one font file maps to a glyph (read once per process)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def printable(fonts: Path = config.TEMPLATES_DIR / config.FONTS_FOLDER) -> frozenset[int]:
    """Every code point that some shipped family has in both its regular and its bold face.

    A name is printed in either weight (a table's cell, a Totals row, a heading), so a
    family prints a character only if both have it; DejaVu's bold lacks a few of its regular
    face's (mathematical letters). Italic faces print only the documents' own text. A family
    is the file name before its first "-" (NotoSansArabic-Bold.ttf)."""
    faces: dict[str, list[frozenset[int]]] = {}
    for path in sorted(fonts.glob("*")):
        if path.suffix in config.FONT_SUFFIXES and not _ITALIC.search(path.stem):
            faces.setdefault(path.stem.split("-")[0], []).append(cmap(path))
    return frozenset().union(*(frozenset.intersection(*each) for each in faces.values()))


def unprintable(text: str) -> str:
    """The distinct characters of `text` no shipped font has, in the order they first appear."""
    have = printable()
    return "".join(
        dict.fromkeys(
            c for c in text if ord(c) not in have and unicodedata.category(c) not in _NO_GLYPH
        )
    )


def script_names(chars: str) -> str:
    """The kinds of characters in `chars`, by the first word of their Unicode names:
    "DEVANAGARI", "CJK", "HANGUL"; a character without a name by its code point."""
    kinds = dict.fromkeys(
        _kind(unicodedata.name(c, f"U+{ord(c):04X}").split(" ")[0]) for c in chars
    )
    return ", ".join(kinds)


def _kind(word: str) -> str:
    return word if word in ("CJK", "UCAS") or word.startswith("U+") else word.title()
