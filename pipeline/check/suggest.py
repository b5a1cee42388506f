"""The plain number to write for a cell that is not one: "about 134", "$74.3 million",
"390,000 kilos", "18 874". Pure: text and context in, a suggestion (or why none) out.

A suggestion is never applied by itself: the cell stays refused, and the suggestion goes in the
finding's fix, the validation report and reports/fixes.csv, for the officer to take or leave.

Invariants (tests/test_suggest.py, tests/test_fixes.py):
- a suggestion states one number, in the column's unit, reached by exact decimal arithmetic
  from the words in the cell; every word and symbol of the cell is understood, or there is no
  suggestion, and the reason names the word;
- `write`, put in the cell, reads back in the file's number format as exactly `value`;
- a qualifier ("over", "environ", "zaidi ya") is never dropped in silence: the suggestion says
  whether the cell was a lower bound, an upper bound or approximate, and what to note;
- two numbers in one cell, a range, a count written with a magnitude ("2.5k households" is a
  rounded figure, not a count), a unit or currency that is not the column's, a negative or
  out-of-range figure, and an ambiguous separator ("1,23": 123 or 1.23?) give no suggestion.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, localcontext

from pipeline.check.suggest_parse import (
    APOSTROPHES,
    POINT_STYLE,
    SPACES,
    NoSuggestion,
    NumberStyle,
    Parts,
    Token,
    parse_cell,
    plain,
    read_number,
    shown,
    tokens,
)
from pipeline.check.suggest_words import (
    FRENCH_WORDS,
    MASS_UNITS,
    NOT_REPORTED,
    NOTE_WORDS,
    ZERO_OR_NOTHING,
    Meaning,
    norm,
)
from pipeline.core.registry import CEILINGS

#: Columns counted in whole numbers, and what each counts.
COUNT_UNITS = {"target_households": "households", "pmgs": "groups", "members": "people"}
#: The written form of "not reported" a suggestion gives.
NOT_REPORTED_MARK = "n/a"


@dataclass(frozen=True)
class CellContext:
    """What the suggester needs to know about a cell's column and row."""

    column: str  #: canonical column name: "members", "volume_sold_t", "value_usd"
    style: NumberStyle = POINT_STYLE
    #: The unit the column's figures are in: "t" or "kg" for volume; for value, the row's
    #: currency (ISO code: from the header, else the row's Currency cell, else USD).
    unit: str = ""
    #: Where the value's currency comes from: "header", "column" (the row's Currency cell),
    #: "blank" (a Currency column, blank in this row: US$) or "" (none named: US$).
    currency_from: str = ""
    label: str = ""  #: the column's header as written, for the messages


@dataclass(frozen=True)
class Suggestion:
    """What to write instead of a cell, or why nothing can be suggested.

    `write` is what goes in the cell (a plain number in the file's format, without thousands
    separators, or "n/a"); it is "" when there is no single suggestion, and `reason` says why.
    """

    found: str
    write: str
    reason: str
    value: Decimal | None = None  #: the number `write` states, in the column's unit
    meaning: Meaning | None = None  #: what a qualifier said about the figure
    unit: str = ""  #: the unit or currency the cell carried ("kg", "KES"), if any
    #: The number in the unit the cell carried, before conversion to the column's unit
    in_cell_unit: Decimal | None = None

    @property
    def ok(self) -> bool:
        return bool(self.write)


def _unaccented(text: str) -> str:
    """ "févr." as "fevr.": month names are matched without their accents."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _none(found: str, reason: str) -> Suggestion:
    return Suggestion(found, "", reason)


# --- the suggestion ---------------------------------------------------------------------------

#: Digits a written number may have, and the decimal precision of the arithmetic: with these,
#: every product of a number and the factors below is exact (a factor has at most 11 digits).
_MAX_DIGITS, _PRECISION = 30, 60
_SCIENTIFIC = re.compile(r"^[-+]?\d+(?:[.,]\d+)?[eE][-+]?\d+$")
_EXCEL_ERROR = re.compile(
    r"^#(?:N/A|VALUE!|DIV/0!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!)$", re.IGNORECASE
)
#: Month names as spreadsheets abbreviate them in English, French, Spanish and Portuguese
#: ("12-Apr", "avr.-04"): a figure typed like 4-12 comes back as one of these.
_MONTHS = (
    "jan|janv|janvier|january|ene|enero|janeiro|feb|fev|fevr|fevrier|february|febrero|fevereiro"
    "|mar|mars|march|marzo|marco|apr|avr|avril|april|abr|abril|may|mai|mayo|maio|jun|juin|june"
    "|junio|junho|jul|juil|juillet|july|julio|julho|aug|aout|august|ago|agosto|sep|sept"
    "|september|septembre|set|septiembre|setembro|oct|october|octobre|out|octubre|outubro"
    "|nov|november|novembre|noviembre|novembro|dec|december|decembre|dic|diciembre|dez|dezembro"
)
#: A date as a workbook's date cell reads ("2004-04-12", with a time when it has one), or as
#: a spreadsheet writes a date cell to CSV ("12/04/2004", "12-Apr", "Apr-04", "12-avr.-04").
_DATE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    r"|\d{1,2}[-/]\d{1,2}[-/]\d{2,4}|\d{1,2}\.\d{1,2}\.\d{4}"
    rf"|\d{{1,2}}[- ./]?(?:{_MONTHS})\.?(?:[- ./]?\d{{2,4}})?"
    rf"|(?:{_MONTHS})\.?[- ./]?\d{{1,4}})$",
    re.IGNORECASE,
)


def suggest(text: str, context: CellContext) -> Suggestion:
    """The plain number to write instead of `text`, or why there is none."""
    found = " ".join(text.split())
    key = " ".join(t.key for t in tokens(found))
    bare = re.sub(r"(?: [.*†‡])+$", "", key)  # "N/A." or "n.a.*": the mark is not the word
    if _EXCEL_ERROR.match(found):
        return _none(
            found,
            f"{found} is an error Excel shows when a formula fails, not a figure: correct the "
            "formula, or write the number.",
        )
    if _DATE.match(_unaccented(found)):
        return _none(
            found,
            f'"{found}" is a date, not a figure: a spreadsheet turns a figure typed like 4/12 or '
            "12-4 into a date. Format the column as Number, then type the figure again.",
        )
    if found[:1] in APOSTROPHES and found[1:2].isdigit():
        # Excel's mark for a number kept as text ('447): not part of the figure, and no
        # thousands separator stands first.
        inner = suggest(found[1:], context)
        if inner.ok:
            return replace(
                inner,
                found=found,
                reason="The apostrophe is the mark a spreadsheet puts before a number kept as "
                f"text, not part of the figure. {inner.reason}",
            )
    if bare in NOT_REPORTED or norm(found) in NOT_REPORTED or bare == "n / a":
        return Suggestion(
            found,
            NOT_REPORTED_MARK,
            f'"{found}" says the figure is not reported: write {NOT_REPORTED_MARK} (or leave '
            "the cell blank). It is then shown as – and left out of totals, never counted as 0.",
        )
    if key in ZERO_OR_NOTHING:
        return _none(
            found,
            f'"{found}" may mean 0 or that nothing was reported: write 0 if there were none, or '
            f"{NOT_REPORTED_MARK} if the figure is not known.",
        )
    if _SCIENTIFIC.match(found):
        return _none(
            found,
            f'"{found}" is how Excel shows a number too wide for its column, rounded: widen the '
            "column or format it as Number in Excel, then save the file again.",
        )
    try:
        with localcontext(prec=_PRECISION):  # exact: no figure has that many digits
            return _suggest(found, context)
    except NoSuggestion as exc:
        return _none(found, str(exc))


@dataclass
class _Working:
    """A number on its way to the column's unit, with each step said in words."""

    value: Decimal
    in_cell_unit: Decimal | None = None  #: before conversion to the column's unit
    chain: list[str] = field(default_factory=list)  #: the value after each step, with units
    notes: list[str] = field(default_factory=list)  #: factors and readings, in brackets


def _suggest(found: str, context: CellContext) -> Suggestion:
    parts = parse_cell(found)
    style = context.style
    work = _Working(_number_value(parts.number, style))
    if parts.negative:
        raise NoSuggestion("The figure is negative; figures in this column are never below 0.")
    whole = " ".join(t.key for t in tokens(found)) == " ".join(
        t.key for t in tokens(parts.number.text)
    )
    if parts.number.value is not None and parts.number.text and not whole:
        work.notes.append(f"{parts.number.text} = {shown(work.value, style)}")
    elif parts.number.value is None and not read_number(parts.number.text, style).in_format:
        work.notes.append(_separator_note(parts.number.text, style))
    if parts.magnitude is not None:
        if norm(parts.magnitude_text) in ("billion", "billions") and any(
            t.key in FRENCH_WORDS for t in tokens(found)
        ):
            raise NoSuggestion(
                '"billion" is 10^9 in English but 10^12 in French: write the number in digits.'
            )
        work.value *= parts.magnitude.factor
        work.notes.append(f"{parts.magnitude.name} = {shown(parts.magnitude.factor, style)}")
    column = context.column
    if column in COUNT_UNITS:
        _count(parts, found, work, context)
    elif column == "volume_sold_t":
        _volume(parts, work, context)
    elif column == "value_usd":
        _money(parts, work, context)
    else:
        raise NoSuggestion("This column holds no figures.")
    _in_range(work.value, context)
    unit = parts.mass.symbol if parts.mass else parts.currency_text or parts.counted_text
    return Suggestion(
        found,
        plain(work.value, style),
        _sentence(found, parts, work, context),
        work.value,
        parts.meaning,
        unit,
        work.in_cell_unit if work.in_cell_unit is not None else work.value,
    )


def _number_value(number: Token, style: NumberStyle) -> Decimal:
    """The one value of the cell's number, or NoSuggestion saying why it has none or several."""
    if number.value is not None:
        return number.value
    if sum(c.isdigit() for c in number.text) > _MAX_DIGITS:
        raise NoSuggestion(f"The number has more than {_MAX_DIGITS} digits: no figure has.")
    reading = read_number(number.text, style)
    if not reading.values:
        raise NoSuggestion(
            f'"{number.text}" is not a number in this file\'s format ({style.label}).'
        )
    if len(reading.values) > 1:
        options = " or ".join(shown(v, style) for v in reading.values)
        raise NoSuggestion(
            f'"{number.text}" is not a properly written number in this file\'s format '
            f"({style.label}): did you mean {options}? Write the one you mean."
        )
    return reading.values[0]


def _separator_note(text: str, style: NumberStyle) -> str:
    """Why a number as written is not in the file's format, though it reads one way only."""
    if any(c in SPACES + APOSTROPHES for c in text):
        return f"in this file's format, {style.label}"
    return f"written in another number format; this file's is {style.label}"


def _count(parts: Parts, found: str, work: _Working, context: CellContext) -> None:
    label = context.label or context.column
    if parts.magnitude is not None:
        raise NoSuggestion(
            f'"{found}" is a rounded figure ({parts.magnitude.name}s), not a count: {label} are '
            "counted exactly, so no number is suggested. Write the exact count."
        )
    if parts.mass is not None or parts.currencies:
        raise NoSuggestion(f"The cell gives a weight or a currency, but {label} is a count.")
    if parts.counted and parts.counted != context.column:
        raise NoSuggestion(
            f'The cell counts "{parts.counted_text}", which are not what {label} counts: check '
            "the column."
        )
    if work.value != work.value.to_integral_value():
        raise NoSuggestion(f"{label} are counted in whole numbers; this figure has decimals.")


def _volume(parts: Parts, work: _Working, context: CellContext) -> None:
    if parts.currencies:
        raise NoSuggestion("The cell gives a currency, but this column is a volume.")
    if parts.counted:
        raise NoSuggestion(f'The cell counts "{parts.counted_text}", but this column is a volume.')
    column_unit = MASS_UNITS[context.unit or "t"]
    if parts.mass is None:
        return
    if parts.mass.note:
        work.notes.append(parts.mass.note)
    style = context.style
    factor = parts.mass.kg / column_unit.kg
    if factor != 1:
        work.chain.append(f"{shown(work.value, style)} {parts.mass_text}")
        work.in_cell_unit = work.value
        work.value *= factor
        plain_unit = parts.mass.symbol in ("kg", "t") or column_unit.symbol == "kg"
        size = "" if plain_unit else f" = {shown(parts.mass.kg, style)} kg"
        work.notes.append(
            f"1 {parts.mass.symbol}{size} = {shown(factor, style)} {column_unit.symbol}"
        )


def _money(parts: Parts, work: _Working, context: CellContext) -> None:
    if parts.mass is not None or parts.counted:
        raise NoSuggestion("The cell gives a weight or a count, but this column is a value.")
    currency = context.unit or "USD"
    if not parts.currencies:
        return
    if currency not in parts.currencies:
        if context.currency_from == "header":
            where, fix = f"this column's header gives {currency}", f"write the value in {currency}"
        elif context.currency_from == "column":
            where = f"this row's Currency cell gives {currency}"
            fix = "put the currency of this value in the row's Currency cell"
        elif context.currency_from == "blank":
            where = "this row's Currency cell is blank, which means US$"
            fix = "write the currency's code in the row's Currency cell"
        else:
            where = "this column is in US$: neither its header nor a Currency column names another"
            fix = 'name the currency in a Currency column, or in the header, as "Value (KES)"'
        raise NoSuggestion(
            f'"{parts.currency_text}" is not the currency of this value: {where}. To report '
            f"it, {fix}."
        )
    if parts.currency_text == "$":
        work.notes.append("$ is read as US dollars")


def _in_range(value: Decimal, context: CellContext) -> None:
    """Above the ceiling: no suggestion, since the file would still be refused."""
    column, tonnes = context.column, Decimal(1)
    if column == "value_usd" and (context.unit or "USD") != "USD":
        return  # the ceiling applies in US$, after conversion with the file's rates
    if column == "volume_sold_t":
        tonnes = MASS_UNITS[context.unit or "t"].kg / MASS_UNITS["t"].kg
    ceiling = Decimal(CEILINGS[column])
    if value * tonnes > ceiling:
        raise NoSuggestion(
            f"That is {shown(value, context.style)}, above the most a territory can report "
            f"({shown(ceiling / tonnes, context.style)}): check the units."
        )


def _with_unit(value: Decimal, context: CellContext) -> str:
    """A figure with the column's unit: "390 t", "US$74,300,000", "KES 1,200", "134"."""
    figure = shown(value, context.style)
    if context.column == "volume_sold_t":
        return f"{figure} {context.unit or 't'}"
    if context.column == "value_usd":
        currency = context.unit or "USD"
        return f"US${figure}" if currency == "USD" else f"{currency} {figure}"
    return figure


def _sentence(found: str, parts: Parts, work: _Working, context: CellContext) -> str:
    """The fix in words: what the cell means, how the number was reached, what to write."""
    figure = shown(work.value, context.style)
    with_unit = _with_unit(work.value, context)
    if work.chain and work.chain[0] == found:
        work.chain.pop(0)  # "390,000 kilos" = 390,000 kilos: said once
    if parts.meaning is None:
        notes = f" ({'; '.join(work.notes)})" if work.notes else ""
        text = f'"{found}" = {" = ".join([*work.chain, with_unit])}{notes}: write {figure}.'
    else:
        bound = {
            Meaning.APPROXIMATE: f"approximate: the figure is about {with_unit}",
            Meaning.LOWER: f"a lower bound: the figure is {with_unit} or more",
            Meaning.UPPER: f"an upper bound: the figure is {with_unit} or less",
        }[parts.meaning]
        steps = [*work.chain, *work.notes]
        said = f" ({'; '.join(steps)})" if steps else ""
        text = (
            f'"{found}" is {bound}{said}. Write {figure} only if you want it reported as the '
            f'figure, and note "{NOTE_WORDS[parts.meaning]}" in the row\'s notes.'
        )
    if parts.footnote:
        text += f" Put what the footnote mark {parts.footnote} refers to in the row's notes."
    return text
