"""A cell taken apart for the suggester: its tokens, its one number (read with Babel's strict
parser in the file's number format) and every word around it, each understood or refused.

Pure: no I/O. The words it understands are in `pipeline.check.suggest_words`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from pipeline.check.suggest_words import (
    CONNECTORS,
    COUNT_WORDS,
    CURRENCY_WORDS,
    FILLERS,
    FOOTNOTES,
    LOOSE_UNITS,
    MAGNITUDES,
    MASS_UNITS,
    PER_WORDS,
    PERCENT_WORDS,
    TOKEN,
    WORD_SPLIT,
    Magnitude,
    MassUnit,
    Meaning,
    Place,
    iso_currencies,
    norm,
    number_words,
    qualifiers,
    spelled_numbers,
)

#: Spaces and marks that some locales put between thousands (Swiss apostrophe included).
SPACES = " \u00a0\u202f\u2009"
APOSTROPHES = "'’"


@dataclass(frozen=True)
class NumberStyle:
    """How the file writes numbers: its decimal mark and the thousands separators it accepts.

    The caller builds it from the file's settled number format; the first separator is the
    one the suggestion writes.
    """

    decimal: str  #: "." or ","
    groups: str  #: thousands separators the file accepts, the usual one first
    label: str = ""  #: e.g. "decimal point, comma thousands"

    @property
    def group(self) -> str:
        """The thousands separator the suggestions are grouped with."""
        return self.groups[0]


POINT_STYLE = NumberStyle(".", ",", "decimal point, comma thousands")
COMMA_STYLE = NumberStyle(",", "." + SPACES, "decimal comma, point or space thousands")


# --- tokens ----------------------------------------------------------------------------------

_SPACE_GROUPED = re.compile(r"^\d{1,3}(?:\s\d{3})+(?:[.,]\d+)?$")
#: Abbreviated qualifiers an office may write with no space after their dot ("c.US$134",
#: "approx.5 t"): the dot ends them, so the word after is a word of its own.
_ABBREVIATED = frozenset({"c", "ca", "approx", "appr", "est", "env", "aprox"})


@dataclass(eq=False)  # tokens are found by identity: two "10"s are two tokens
class Token:
    """A number, a word or a symbol of a cell."""

    kind: str  #: "num", "word" or "sym"
    text: str
    key: str = ""  #: normalised form for matching (suggest_words.norm)
    value: Decimal | None = None  #: a spelled-out number's value


def tokens(text: str) -> list[Token]:
    """Numbers, words and symbols. Hyphenated and elided words are split ("dix-sept",
    "jusqu'à"); a number grouped with single spaces ("18 874") is one token."""
    out: list[Token] = []
    space = ""
    for match in TOKEN.finditer(text):
        kind, piece = match.lastgroup or "sym", match.group()
        if kind == "space":
            space = piece
            continue
        if kind == "word":
            head, dot, tail = piece.partition(".")
            if dot and tail and norm(head) in _ABBREVIATED:  # "c.US$134": "c." then "US"
                out.append(Token("word", head + dot, norm(head + dot)))
                piece = tail
            out += [Token("word", p, norm(p)) for p in WORD_SPLIT.split(piece) if p]
        elif (
            kind == "num"
            and out
            and out[-1].kind == "num"
            and len(space) == 1
            and _SPACE_GROUPED.match(f"{out[-1].text} {piece}")
        ):
            out[-1].text += space + piece
        else:
            out.append(Token(kind, piece, piece if kind == "num" else norm(piece)))
        space = ""
    return out


# --- number readings (Babel's strict parser) ---------------------------------------------------

#: A CLDR locale writing numbers with each decimal mark, and its thousands separator.
_LOCALES = {".": ("en", ","), ",": ("de", ".")}


def _strict(text: str, locale: str) -> tuple[Decimal | None, list[Decimal]]:
    """Babel's strict reading of `text` in `locale`: (the number, []) or (None, the numbers
    Babel offers instead, as in "Did you mean '123'? Or maybe '1.23'?")."""
    try:
        return parse_decimal(text, locale=locale, strict=True), []
    except NumberFormatError as exc:
        offered = []
        for other in getattr(exc, "suggestions", None) or []:
            try:
                offered.append(parse_decimal(other, locale=locale, strict=True))
            except NumberFormatError:  # pragma: no cover (Babel offers what it can read)
                continue
        return None, offered


def _grouped_as(text: str, separators: str, mark: str) -> str:
    """`text` with every character of `separators` written as `mark`."""
    return "".join(mark if c in separators else c for c in text)


@dataclass(frozen=True)
class Reading:
    """What a written number can be: one value, several (ambiguous) or none."""

    values: tuple[Decimal, ...]
    in_format: bool  #: the file's own format reads it as written


def read_number(text: str, style: NumberStyle) -> Reading:
    """The numbers `text` can be: as the file's format reads it, or else every reading Babel's
    strict parser gives or offers under the file's format with spaces or apostrophes between
    thousands ("18 874", "18'874"), under the other decimal mark ("1.234,5"), and, in a
    decimal-point file, under Indian grouping ("1,00,000")."""
    locale, mark = _LOCALES[style.decimal]
    loose = SPACES + APOSTROPHES
    if not any(c in loose and c not in style.groups for c in text):
        value, _ = _strict(_grouped_as(text, style.groups, mark), locale)
        if value is not None:
            return Reading((value,), True)
    values: set[Decimal] = set()
    value, offered = _strict(_grouped_as(text, style.groups + loose, mark), locale)
    values.update([value] if value is not None else offered)
    other = "," if style.decimal == "." else "."
    other_locale, other_mark = _LOCALES[other]
    value, _ = _strict(_grouped_as(text, style.decimal + loose, other_mark), other_locale)
    values.update([value] if value is not None else [])
    if style.decimal == ".":
        value, _ = _strict(_grouped_as(text, loose, ","), "en_IN")
        values.update([value] if value is not None else [])
    return Reading(tuple(sorted(values)), False)


def plain(value: Decimal, style: NumberStyle) -> str:
    """A number as the cell should hold it: no thousands separators, the file's decimal mark."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", style.decimal)


def shown(value: Decimal, style: NumberStyle) -> str:
    """A number as a sentence shows it: grouped in the file's own format ("74,300,000")."""
    locale, _ = _LOCALES[style.decimal]
    return format_decimal(value.normalize(), locale=locale, decimal_quantization=False)


# --- a cell taken apart ---------------------------------------------------------------------


class NoSuggestion(Exception):
    """Why a cell gets no suggestion, in a sentence for the officer."""


@dataclass
class Parts:
    """A cell taken apart: its one number and every word around it, each understood."""

    number: Token
    meaning: Meaning | None = None
    magnitude: Magnitude | None = None
    magnitude_text: str = ""
    mass: MassUnit | None = None
    mass_text: str = ""
    counted: str = ""  #: the count column a word names ("households" -> target_households)
    counted_text: str = ""
    currencies: frozenset[str] = frozenset()
    currency_text: str = ""
    negative: bool = False
    footnote: str = ""


@cache
def _qualifier_phrases(place: Place) -> frozenset[str]:
    return frozenset(phrase for phrase, where in qualifiers() if where is place)


@cache
def _word_phrases() -> frozenset[str]:
    """Phrases of two words or more that begin with a number word ("a minimum of")."""
    phrases = {p for p, _ in qualifiers()} | set(CURRENCY_WORDS) | set(MASS_UNITS)
    words = number_words()
    return frozenset(p for p in phrases if " " in p and p.split(" ")[0] in words)


def _phrase_at(keys: list[str], start: int, table: Collection[str]) -> int:
    """Length of the longest phrase of `table` starting at `keys[start]` (0 if none)."""
    for length in range(min(5, len(keys) - start), 0, -1):
        if " ".join(keys[start : start + length]) in table:
            return length
    return 0


def _number(text: str, value: int | Decimal) -> Token:
    return Token("num", text, text, Decimal(value))


def _spelled(items: list[Token]) -> list[Token]:
    """Runs of number words ("twenty five", "kumi na mbili", "dix-sept") become numbers;
    "a" or "an" before a magnitude is one ("a million")."""
    table, words = spelled_numbers(), number_words()
    keys = [t.key for t in items]
    out: list[Token] = []
    i = 0
    while i < len(items):
        if length := _phrase_at(keys, i, _word_phrases()):
            out += items[i : i + length]  # "un minimum de", "a little over": not numbers
            i += length
            continue
        if items[i].kind != "word" or items[i].key not in words or items[i].key in CONNECTORS:
            out.append(items[i])
            i += 1
            continue
        j = i
        while j < len(items) and items[j].kind == "word" and items[j].key in words:
            j += 1
        while j > i + 1 and items[j - 1].key in CONNECTORS:
            j -= 1  # "ten and" + "two unions": the joiner is not part of the number
        run = items[i:j]
        key = tuple(t.key for t in run)
        following = items[j].key if j < len(items) else ""
        if key in table:
            out.append(_number(" ".join(t.text for t in run), table[key][0]))
        elif key in (("a",), ("an",)):
            out.append(_number(run[0].text, 1) if following in MAGNITUDES else run[0])
        else:
            out += _split_numbers(run)
        i = j
    return out


def _split_numbers(run: list[Token]) -> list[Token]:
    """A run such as "ten and two" split at its joiners, when each part spells a number."""
    table = spelled_numbers()
    parts: list[list[Token]] = [[]]
    for token in run:
        if token.key in CONNECTORS:
            parts.append([])
        else:
            parts[-1].append(token)
    keys = [tuple(t.key for t in part) for part in parts]
    if len(parts) < 2 or any(key not in table for key in keys):
        spelled = " ".join(t.text for t in run)
        raise NoSuggestion(
            f'"{spelled}" is not a number this tool reads without doubt: write it in digits.'
        )
    return [
        _number(" ".join(t.text for t in part), table[key][0])
        for part, key in zip(parts, keys, strict=True)
    ]


def _drop_brackets(items: list[Token]) -> list[Token]:
    """Balanced brackets ("(approx.)", "(KES)") add nothing to what they hold: dropped."""
    depth = 0
    for item in items:
        if item.kind == "sym" and item.text in "([":
            depth += 1
        elif item.kind == "sym" and item.text in ")]":
            depth -= 1
            if depth < 0:
                return items
    if depth:
        return items
    return [t for t in items if not (t.kind == "sym" and t.text in "()[]")]


_RANGE_WORDS = frozenset({"-", "–", "—", "to", "a", "hadi", "mpaka", "or", "ou", "au", "y", "e"})


def parse_cell(text: str) -> Parts:
    """Take a cell apart into one number and the words around it, or raise NoSuggestion."""
    items = tokens(unicodedata.normalize("NFKC", text))
    if (
        len(items) > 2
        and (items[0].kind, items[0].text, items[-1].kind, items[-1].text)
        == ("sym", "(", "sym", ")")
        and any(t.kind == "num" for t in items)
    ):
        # "(2,000)" is how accounts write −2,000: dropping the brackets would drop the sign.
        raise NoSuggestion(
            "A figure in brackets is how accounts write a negative one, and these figures "
            "cannot be negative: write the figure the field office meant, without brackets."
        )
    items = _drop_brackets(items)
    while items and items[-1].kind == "sym" and items[-1].text in ".;,":
        items.pop()  # a full stop after the figure
    items = _spelled(items)
    numbers = [t for t in items if t.kind == "num"]
    if not numbers:
        alone = [t for t in items if t.key in MAGNITUDES and MAGNITUDES[t.key].alone_is_one]
        if len(alone) != 1:
            raise NoSuggestion("There is no number in the cell.")
        numbers = [_number("", 1)]  # "mille", "elfu": the word is the number
        at = items.index(alone[0])
        items.insert(at + 1 if MAGNITUDES[alone[0].key].before else at, numbers[0])
    if len(numbers) > 1:
        listed = " and ".join(t.text for t in numbers[:3])
        first, second = items.index(numbers[0]), items.index(numbers[1])
        between = {t.key for t in items[first + 1 : second]}
        ranged = {t.key for t in items[:first]} & {"between", "entre", "kati", "from", "de"}
        if (
            len(numbers) == 2
            and between
            and between <= _RANGE_WORDS | (CONNECTORS if ranged else set())
        ):
            raise NoSuggestion(
                f"The cell gives a range ({listed}), not one figure: write the one figure to "
                "report, and give the range in notes."
            )
        raise NoSuggestion(
            f"The cell holds more than one number ({listed}), so no single figure can be "
            "suggested: write the one figure this column reports, and put the rest in notes."
        )
    parts = Parts(numbers[0])
    at = items.index(numbers[0])
    _read_words(items[:at], parts, Place.BEFORE)
    _read_words(items[at + 1 :], parts, Place.AFTER)
    return parts


def _read_words(items: list[Token], parts: Parts, place: Place) -> None:
    """Understand every word and symbol on one side of the number, or raise NoSuggestion."""
    keys = [t.key for t in items]
    i = 0
    while i < len(items):
        item = items[i]
        # A magnitude touches its number: "103 million", Swahili "elfu 10".
        touching = i == (len(items) - 1 if place is Place.BEFORE else 0)
        magnitude = MAGNITUDES.get(item.key)
        if magnitude is not None and parts.magnitude is not None:
            raise NoSuggestion("The cell has two magnitudes; write one plain number.")
        # Before the number only a Swahili magnitude ("elfu 10"); after it, any ("2 milioni").
        if touching and magnitude is not None and (place is Place.AFTER or magnitude.before):
            parts.magnitude, parts.magnitude_text = magnitude, item.text
            i += 1
            continue
        if length := _phrase_at(keys, i, _qualifier_phrases(place)):
            meaning = qualifiers()[(" ".join(keys[i : i + length]), place)]
            if parts.meaning not in (None, meaning):
                raise NoSuggestion("The cell has two qualifiers that disagree; write one figure.")
            parts.meaning = meaning
            i += length
            continue
        if length := _unit_or_currency(items, keys, i, parts):
            i += length
            continue
        if place is Place.BEFORE and touching and item.text in ("-", "−", "+"):
            parts.negative = item.text != "+"
            i += 1
            continue
        if place is Place.AFTER and item.key in FILLERS and i + 1 < len(items):
            i += 1  # "millions de tonnes"
            continue
        if place is Place.AFTER and item.key in FOOTNOTES and i == len(items) - 1:
            parts.footnote = item.text
            i += 1
            continue
        raise _unknown(item)


def _unit_or_currency(items: list[Token], keys: list[str], i: int, parts: Parts) -> int:
    """How many tokens at `i` give a currency, a unit or what is counted (0 if none)."""
    if _phrase_at(keys, i, PER_WORDS) and " ".join(keys[i : i + 2]) != "/ =":
        raise NoSuggestion(
            "The cell gives a rate or a price (per unit), not a total: write the territory's "
            "total."
        )
    if _phrase_at(keys, i, PERCENT_WORDS):
        raise NoSuggestion("The cell gives a percentage, not a figure in this column's unit.")
    if length := _phrase_at(keys, i, CURRENCY_WORDS):
        _currency(parts, CURRENCY_WORDS[" ".join(keys[i : i + length])], items[i : i + length])
        return length
    item = items[i]
    if item.kind == "word" and item.text.isupper() and item.text in iso_currencies():
        _currency(parts, frozenset({item.text}), [item])
        return 1
    if length := _phrase_at(keys, i, MASS_UNITS):
        if parts.mass is not None:
            raise NoSuggestion("The cell gives two units; write one plain number.")
        parts.mass = MASS_UNITS[" ".join(keys[i : i + length])]
        parts.mass_text = " ".join(t.text for t in items[i : i + length]).rstrip(".")
        return length
    for column, words in COUNT_WORDS.items():
        if item.key in words:
            if parts.counted:
                raise NoSuggestion("The cell names two things counted; write one figure.")
            parts.counted, parts.counted_text = column, item.text
            return 1
    if _phrase_at(keys, i, LOOSE_UNITS):
        raise NoSuggestion(
            f'"{item.text}" has no fixed weight, so it cannot be converted to tonnes: weigh it '
            "or convert it (bags × kg per bag), and write the total."
        )
    return 0


def _currency(parts: Parts, codes: frozenset[str], items: list[Token]) -> None:
    """A currency word or symbol; a second one must agree ("Ksh 1,200/=")."""
    both = parts.currencies & codes if parts.currencies else codes
    if not both:
        raise NoSuggestion("The cell gives two different currencies; write one figure.")
    parts.currencies = both
    parts.currency_text = parts.currency_text or "".join(t.text for t in items)


def _unknown(item: Token) -> NoSuggestion:
    what = "words" if item.kind == "word" else "a mark"
    return NoSuggestion(
        f'The cell has {what} this tool does not read as part of a figure ("{item.text}"), '
        "so it suggests no number."
    )
