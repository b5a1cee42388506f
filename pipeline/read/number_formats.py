"""What a workbook's number format adds to the figure it shows, in words.

A spreadsheet shows a number cell through its format, and the format can change what the
officer sees without changing the stored value: `[$€-2] #,##0` shows euros, `#,##0,` shows
thousands, `0%` shows a hundred times the value, `#,##0 "kg"` shows a unit, `;;;` shows
nothing. The tool reads the stored value and the header's unit, scale and currency, never the
format, so a figure cell whose format says any of these is an error naming the cell: what the
officer saw and what would be read differ. Plain formats (`General`, `0`, `#,##0.00`, `@`) and
dates say nothing here: a date cell is read as a date and named as such elsewhere.

Excel codes are read section by section, outside quotes and brackets (ECMA-376 §18.8.31);
LibreOffice's number styles (ODF §16.27) say the same through their elements.
"""

from __future__ import annotations

import re

#: Excel's built-in formats with a currency (ECMA-376 §18.8.30: 5-8 and 37-44 are locale
#: currency and accounting formats) or a percent (9, 10).
BUILTIN = {
    **dict.fromkeys((5, 6, 7, 8, 41, 42, 43, 44), "a currency"),
    **dict.fromkeys((9, 10), "a percent"),
}
#: Quoted text, an escaped character, a bracketed part ([Red], [$€-2], [>100]), a fill or
#: padding character (*x, _x): what a code says apart from its digits.
_TOKEN = re.compile(r'"(?P<quoted>[^"]*)"|\\(?P<escaped>.)|\[(?P<bracket>[^\]]*)\]|[*_].')
_CURRENCY = "$€£¥₦₵₹"


def format_addition(code: str) -> str:
    """What a format code adds to a number, in words ("a currency (€)", "a scale (thousands)",
    "a percent", "a unit or text (kg)", "nothing shown"); "" for a plain or date format."""
    sections = _sections(code)
    if not sections or not sections[0].strip():
        return "nothing shown" if code.strip() else ""
    found = ""
    for section in sections[:2]:  # the positive and negative numbers' sections
        if found := _section_addition(section):
            break
    return found


def _sections(code: str) -> list[str]:
    """The `;`-separated sections of a code, ignoring `;` inside quotes."""
    sections, current, quoted = [], "", False
    for char in code:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += char
    return [*sections, current]


def _section_addition(section: str) -> str:
    if section.strip().lower() in ("general", "standard", "@"):
        return ""
    bare = ""
    for part in _split(section):
        if isinstance(part, str):
            bare += part
        elif said := _part_addition(*part):
            return said
    if any(c in _CURRENCY for c in bare):
        return f"a currency ({next(c for c in bare if c in _CURRENCY)})"
    if "%" in bare:
        return "a percent"
    if re.search(r"[0#?],+(?![0#?])", bare):
        return "a scale (thousands)"
    bare = re.sub(r"[eE][+-]", "", bare)  # scientific notation shows the same number
    if re.search(r"[a-zA-Z]", bare) and not re.search(r"[ymdhsYMDHS]", bare):
        letters = "".join(c for c in bare if c.isalpha())
        return f"a unit or text ({letters})"
    return ""


def _part_addition(kind: str, text: str) -> str:
    """What a bracketed, quoted or escaped part adds: "[$€-2]" a currency, '"kg"' a unit."""
    if kind == "bracket" and text.startswith("$") and (symbol := text[1:].split("-")[0]):
        return f"a currency ({symbol})"
    if kind in ("quoted", "escaped") and text.strip():
        if any(c in _CURRENCY for c in text):
            return f"a currency ({text.strip()})"
        if any(c.isalpha() or c == "%" for c in text):
            return f"a unit or text ({text.strip()})"
    return ""


def _split(section: str) -> list[str | tuple[str, str]]:
    """A section as bare text and its (kind, text) quoted, escaped and bracketed parts."""
    parts: list[str | tuple[str, str]] = []
    at = 0
    for match in _TOKEN.finditer(section):
        parts.append(section[at : match.start()])
        kind = match.lastgroup
        if kind is not None:
            parts.append((kind, match.group(kind)))
        at = match.end()
    parts.append(section[at:])
    return parts
