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
#: Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, stable since 5.2):
#: renderers draw nothing for them when no font has them (HarfBuzz, in Pango and matplotlib),
#: so they never print as a box. Most are format characters already; the rest are marks and
#: letters such as Khmer's inherent vowels (U+17B4, U+17B5) and the Hangul fillers.
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


@cache
def cmap(path: Path) -> frozenset[int]:
    """The code points one font file maps to a glyph (read once per process)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def families(
    fonts: Path = config.TEMPLATES_DIR / config.FONTS_FOLDER,
) -> tuple[frozenset[int], ...]:
    """For each shipped family, the code points both its regular and its bold face have.

    A name is printed in either weight (a table's cell, a Totals row, a heading), so a
    family prints a character only if both have it; DejaVu's bold lacks a few of its regular
    face's (mathematical letters). Italic faces print only the documents' own text. A family
    is the file name before its first "-" (NotoSansArabic-Bold.ttf)."""
    faces: dict[str, list[frozenset[int]]] = {}
    for path in sorted(fonts.glob("*")):
        if path.suffix in config.FONT_SUFFIXES and not _ITALIC.search(path.stem):
            faces.setdefault(path.stem.split("-")[0], []).append(cmap(path))
    return tuple(frozenset.intersection(*each) for each in faces.values())


def _clusters(text: str) -> list[str]:
    """A letter with the marks that follow it: a renderer sets each in one font."""
    out: list[str] = []
    for c in text:
        if out and unicodedata.category(c).startswith("M"):
            out[-1] += c
        else:
            out.append(c)
    return out


def unprintable(text: str) -> str:
    """The distinct characters of `text` that would print as a box, in the order they first
    appear: those of a letter-and-marks cluster that no one shipped family has whole (a
    renderer sets a cluster in one font, so Ethiopic's gemination mark after a Latin digit
    prints as a box although the Ethiopic font has it)."""
    shown = families()
    missing: list[str] = []
    for cluster in _clusters(text):
        drawn = [c for c in cluster if not _IGNORABLE.match(c)]
        drawn = [c for c in drawn if unicodedata.category(c) not in _NO_GLYPH]
        points = {ord(c) for c in drawn}
        if drawn and not any(points <= family for family in shown):
            best = max(shown, key=lambda family: len(points & family))
            missing += [c for c in drawn if ord(c) not in best]
    return "".join(dict.fromkeys(missing))


def script_names(chars: str) -> str:
    """The kinds of characters in `chars`, by the first word of their Unicode names:
    "DEVANAGARI", "CJK", "HANGUL"; a character without a name by its code point."""
    kinds = dict.fromkeys(
        _kind(unicodedata.name(c, f"U+{ord(c):04X}").split(" ")[0]) for c in chars
    )
    return ", ".join(kinds)


def _kind(word: str) -> str:
    return word if word in ("CJK", "UCAS") or word.startswith("U+") else word.title()
