"""Column headers parsed completely: the column, its unit, its scale and its currency.

A header is read as words and symbols, in or out of brackets, in any order. Its leading words
name the column (`ALIASES`, case, accents and punctuation ignored); every other token must be
understood for that column:

- a unit: `t`, `mts`, `tonnes`, `kg` for volumes; `households`, `no.`, `#` for counts;
- a scale: `'000`, `000s`, `thousands`, `millions`, `mn` (`m` for money);
- a currency, for values: an ISO 4217 code in any case (`KES`, `kes`) or a symbol (`US$`, `$`,
  `€`, `KSh`): `pipeline.read.currencies.currency_code`;
- a word that describes the column without changing what it counts (`sold`, `of sales`,
  `total`, `in`, `district` for a territory): `COLUMN_WORDS`.

So `Value ('000) (US$)`, `Value (US$ '000)`, `Value KES`, `Volume sold kg` and
`Target households ('000)` are all understood, exactly. A token that is none of these
(`Members (female)`, `Value (approx.)`, `Value (F CFA)`) refuses the file, naming the header
and the token, unless another header already gives that column: then this one is a different
column that merely starts alike (`Value per member` beside `Value`), ignored with a warning like
every header that names no column at all. Two units, scales or currencies in one header
(`Value (US$/KES)`) refuse it too. The invariant: a header is either read with every token
accounted for, or it is not read as that column.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache, lru_cache

from pipeline.core.names import fold
from pipeline.core.registry import OPTIONAL_REPORTED, REPORTED, WHOLE_NUMBERS
from pipeline.read.currencies import currency_code
from pipeline.read.header_forms import accepted_headers

#: Canonical column -> header variants, in every language the reader accepts: the data
#: dictionary's table of headers (`header_forms.HEADER_FORMS`). A variant's words outside
#: brackets name the column; the canonical name itself (`value_usd`) is accepted too.
ALIASES: dict[str, tuple[str, ...]] = accepted_headers()
REQUIRED = (
    "territory",
    "target_households",
    "products",
    "pmgs",
    "members",
    "volume_sold_t",
    "value_usd",
)
OPTIONAL = (*OPTIONAL_REPORTED, "period", "notes", "currency", "country")
#: The figures a country file reports or may report (members by sex and age), and those of
#: them that are counts (the registry's). A file may leave the optional ones out.
NUMERIC = (*REPORTED, *OPTIONAL_REPORTED)
COUNTS = (*WHOLE_NUMBERS, *OPTIONAL_REPORTED)
#: A sex or age in brackets after the members' header names a part of the members:
#: "Members (women)", "Membres (jeunes)" (folded words).
SUBGROUP_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("women", "female", "females", "femmes", "mujeres", "mulheres"), "members_women"
    ),
    **dict.fromkeys(("youth", "young", "jeunes", "jovenes", "jovens"), "members_youth"),
}

#: Units a volume may be given in, as folded words, and the factor to tonnes.
VOLUME_UNITS: dict[str, Decimal] = {
    **dict.fromkeys(("t", "mt", "mts", "tonnes", "tonne", "tons", "ton"), Decimal(1)),
    **dict.fromkeys(("kg", "kgs", "kilograms", "kilogram", "kilos"), Decimal("0.001")),
}
#: Scale words, as folded words, and their factor. `m` is read as millions for money only.
SCALE_WORDS: dict[str, int] = {
    "thousand": 1_000,
    "thousands": 1_000,
    "million": 1_000_000,
    "millions": 1_000_000,
    "mn": 1_000_000,
    "mio": 1_000_000,
}
#: Words that describe a column without changing what its figures count or are in.
FILLERS = frozenset({"in", "of"})
COLUMN_WORDS: dict[str, frozenset[str]] = {
    "territory": frozenset(
        {"name", "district", "region", "county", "area", "province", "zone", "location"}
    ),
    "target_households": frozenset(
        {"households", "household", "hh", "hhs", "no", "nos", "number", "targeted", "total"}
    ),
    "products": frozenset({"marketed", "sold", "main", "crops", "commodities", "traded"}),
    "pmgs": frozenset({"groups", "pmgs", "pmg", "no", "nos", "number", "formed", "total"}),
    "members": frozenset(
        {"people", "persons", "farmers", "individuals", "no", "nos", "number", "total"}
    ),
    "members_women": frozenset({"people", "persons", "farmers", "no", "nos", "number", "total"}),
    "members_youth": frozenset({"people", "persons", "farmers", "no", "nos", "number", "total"}),
    "volume_sold_t": frozenset({"sold", "sales", "marketed", "total", "collective", "metric"}),
    "value_usd": frozenset({"sold", "sales", "marketed", "total", "collective"}),
    "period": frozenset({"year", "reporting", "months"}),
    "currency": frozenset({"code", "iso", "4217"}),
    "country": frozenset({"name", "code", "iso", "iso2", "iso3", "alpha", "2", "3"}),
}
#: Words that may stand before a column's name, and the columns they may stand before:
#: "No. of PMGs", "Number of members", "Total value (US$)", "Total no. of members".
PREFIXES: dict[tuple[str, ...], tuple[str, ...]] = {
    **dict.fromkeys([("no", "of"), ("number", "of"), ("nbr", "of"), ("no",), ("number",)], COUNTS),
    **dict.fromkeys([("total", "no", "of"), ("total", "number", "of")], COUNTS),
    ("total",): NUMERIC,
}
#: Currencies written in words, as folded word sequences: "US dollars", "Kenya shillings".
CURRENCY_WORDS: dict[tuple[str, ...], str] = {
    **dict.fromkeys([("us", "dollars"), ("us", "dollar"), ("dollars",), ("dollar",)], "USD"),
    **dict.fromkeys([("euros",), ("euro",)], "EUR"),
    **{
        (country, unit): code
        for names, units, code in [
            (("kenya", "kenyan"), ("shillings", "shilling"), "KES"),
            (("tanzania", "tanzanian"), ("shillings", "shilling"), "TZS"),
            (("uganda", "ugandan"), ("shillings", "shilling"), "UGX"),
            (("rwanda", "rwandan", "rwandese"), ("francs", "franc"), "RWF"),
            (("burundi", "burundian"), ("francs", "franc"), "BIF"),
            (("ethiopian",), ("birr",), "ETB"),
            (("malagasy",), ("ariary",), "MGA"),
        ]
        for country in names
        for unit in units
    },
}

_TOKEN = re.compile(
    r"""
      (?P<scale>['’‘`]?0{3}(?:[\s,.]?0{3})*(?:['’]?s)?(?![0-9]))
    | (?P<symbol>(?:US\s|[A-Z]{1,3})?\$(?:US)?|[€£₦₹]|GH₵)
    | (?P<word>[^\W_]+(?:['’][^\W\d_]*)*\.?)
    | (?P<open>[(\[{])
    | (?P<close>[)\]}])
    | (?P<sep>[\s,;:/_\-–—.|]+)
    | (?P<other>\S)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    """One word or symbol of a header, as written, and whether it stood in brackets."""

    kind: str  #: scale, symbol, word or other
    text: str
    bracketed: bool

    @property
    def key(self) -> str:
        """The folded word ('No.' -> 'no', 'Tonnes' -> 'tonnes')."""
        return fold(self.text) if self.kind == "word" else self.text


def tokens(label: str) -> list[Token]:
    """A header's words and symbols, in order; separators and brackets are not tokens."""
    out, depth = [], 0
    text = unicodedata.normalize("NFKC", label)
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or ""
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word":  # "KES'000": the apostrophe belongs to the scale
            out.append(Token(kind, match.group().rstrip("'’"), depth > 0))
        elif kind != "sep":
            out.append(Token(kind, match.group(), depth > 0))
    return out


def _words(text: str) -> tuple[str, ...]:
    """The folded words of an alias outside its brackets: 'Volume sold (mts)' -> (volume, sold)."""
    return tuple(t.key for t in tokens(text) if t.kind == "word" and not t.bracketed)


@cache
def _alias_words() -> dict[tuple[str, ...], str]:
    table = {_words(name): name for name in ALIASES}
    for canonical, variants in ALIASES.items():
        table.update({_words(v): canonical for v in variants})
    return table


@dataclass(frozen=True)
class ParsedHeader:
    """What a header says: its column, unit, scale and currency, and what was not understood."""

    label: str
    canonical: str
    unit: str = ""  #: the unit as written, e.g. "kg"; "" when none is given
    factor: Decimal = Decimal(1)  #: the unit's factor to the column's unit (kg -> 0.001)
    scale: int = 1  #: 1000 for "'000" or "thousands"
    scale_text: str = ""  #: the scale as written
    currency: str = ""  #: ISO 4217 code the header states ("USD" for "US$"); "" for none
    currency_text: str = ""
    unknown: tuple[str, ...] = ()  #: tokens not understood for this column
    clashes: tuple[tuple[str, str], ...] = ()  #: two units, scales or currencies in one header

    @property
    def clean(self) -> bool:
        """True when every token is understood and none contradicts another."""
        return not self.unknown and not self.clashes


def _currency_words(rest: list[Token]) -> list[Token]:
    """Tokens with each currency written in words ("US dollars") as one symbol token."""
    out: list[Token] = []
    i = 0
    while i < len(rest):
        for size in (2, 1):
            run = rest[i : i + size]
            key = tuple(t.key for t in run)
            if len(run) == size and all(t.kind == "word" for t in run) and key in CURRENCY_WORDS:
                out.append(Token("symbol", CURRENCY_WORDS[key], run[0].bracketed))
                i += size
                break
        else:
            out.append(rest[i])
            i += 1
    return out


@lru_cache(maxsize=4096)  # headers repeat across files; data cells are parsed once each
def parse_header(label: str) -> ParsedHeader | None:
    """The column a header names with everything it says about it; None when its leading
    words name no column."""
    found = tokens(label)
    outside = [i for i, t in enumerate(found) if t.kind == "word" and not t.bracketed]
    keys = [found[i].key for i in outside]
    table = _alias_words()
    canonical, used = None, 0
    starts = [(0, tuple(REQUIRED + OPTIONAL))]
    starts += [(len(p), allowed) for p, allowed in PREFIXES.items() if tuple(keys[: len(p)]) == p]
    for start, allowed in sorted(starts, key=lambda s: s[0]):
        for end in range(len(keys), start, -1):
            name = table.get(tuple(keys[start:end]))
            if name and name in allowed:
                canonical, used = name, end
                break
        if canonical:
            break
    if canonical is None:
        return None
    named = set(outside[:used])
    if canonical == "members":
        # "Members (women)": the first bracketed word names a part of the members.
        part = next((i for i, t in enumerate(found) if t.kind == "word" and t.bracketed), None)
        if part is not None and found[part].key in SUBGROUP_WORDS:
            canonical = SUBGROUP_WORDS[found[part].key]
            named.add(part)
    parsed = _qualifiers(label, canonical, [t for i, t in enumerate(found) if i not in named])
    if tuple(keys[:used]) == _words(canonical) and canonical in _STATED_BY_NAME:
        # "value_usd" states US$ and "volume_sold_t" tonnes, as explicitly as "Value (US$)".
        what, value = _STATED_BY_NAME[canonical]
        if what == "currency" and not parsed.currency_text:
            return replace(parsed, currency=value, currency_text=label)
        if what == "unit" and not parsed.unit:
            return replace(parsed, unit=value)
    return parsed


#: Canonical names that state their unit or currency in their own words.
_STATED_BY_NAME = {"value_usd": ("currency", "USD"), "volume_sold_t": ("unit", "t")}


def _qualifiers(label: str, canonical: str, rest: list[Token]) -> ParsedHeader:
    """Read every token after a column's name as its unit, scale, currency or description."""
    unit, factor, unit_text = "", Decimal(1), ""
    scale, scale_text = 1, ""
    currency, currency_text = "", ""
    unknown: list[str] = []
    clashes: list[tuple[str, str]] = []
    words = COLUMN_WORDS.get(canonical, frozenset()) | {
        w for k in _alias_keys(canonical) for w in k
    }
    if canonical == "value_usd":
        rest = _currency_words(rest)
    for token in rest:
        key = token.key
        if canonical == "notes":
            continue  # free text, never shown in a brief: its header may say anything
        # A unit, scale or currency is read before any descriptive word, so that "usd" in
        # "value_usd" or "t" in "volume_sold_t" is still stated, not swallowed as a name.
        found_scale = _scale(token, canonical) if canonical in NUMERIC else 0
        code = currency_code(token.text) if canonical == "value_usd" else None
        if found_scale:
            if scale_text and found_scale != scale:
                clashes.append((scale_text, token.text))
            scale, scale_text = found_scale, token.text
        elif canonical == "volume_sold_t" and token.kind == "word" and key in VOLUME_UNITS:
            if unit_text and VOLUME_UNITS[key] != factor:
                clashes.append((unit_text, token.text))
            unit, factor, unit_text = key, VOLUME_UNITS[key], token.text
        elif code:
            if currency_text and code != currency:
                clashes.append((currency_text, token.text))
            currency, currency_text = code, token.text
        elif key in FILLERS or (token.kind == "word" and key in words):
            continue
        elif token.text == "#" and canonical in COUNTS:
            continue  # "# of members", "Members (#)": a count
        else:
            unknown.append(token.text)
    return ParsedHeader(
        label,
        canonical,
        unit,
        factor,
        scale,
        scale_text,
        currency,
        currency_text,
        tuple(unknown),
        tuple(clashes),
    )


def qualifiers(text: str, canonical: str) -> ParsedHeader:
    """What a text says about a column's figures when it is all qualifiers: a units row's cell
    ("'000 US$") or the end of a title ("Values in KES")."""
    return _qualifiers(text, canonical, tokens(text))


@cache
def _alias_keys(canonical: str) -> tuple[tuple[str, ...], ...]:
    return tuple(k for k, v in _alias_words().items() if v == canonical)


def _scale(token: Token, canonical: str) -> int:
    """The factor a scale token means ("'000" -> 1000, "millions" -> 10**6); 0 if none."""
    if token.kind == "scale":
        return int(1000 ** token.text.count("000"))
    if token.kind == "word":
        if token.key in SCALE_WORDS:
            return SCALE_WORDS[token.key]
        if token.key == "m" and canonical == "value_usd":
            return 1_000_000
    return 0


def canonical_name(label: str) -> str | None:
    """The canonical column a header names, or None."""
    parsed = parse_header(label)
    return parsed.canonical if parsed else None


def label_key(label: str) -> str:
    """Fold a header for matching: case, accents, spacing, punctuation and (units) ignored."""
    return fold(re.sub(r"\([^)]*\)", " ", label))


def header_score(cells: list[str]) -> int:
    """How many distinct required columns a row names: used to find the header row."""
    return len({canonical_name(c) for c in cells if c.strip()} & set(REQUIRED))


@dataclass(frozen=True)
class Column:
    """A matched column: where it is, what the user called it, and what its header says."""

    index: int
    label: str
    canonical: str
    unit_factor: Decimal = Decimal(1)  #: to the column's unit: kg -> t is 0.001
    scale: int = 1  #: "'000" is 1000
    currency: str = ""  #: ISO 4217 code the header gives ("USD" for "US$"); "" for none
    unit: str = ""  #: the unit as the header writes it, folded ("kg")

    @property
    def factor(self) -> Decimal:
        """What a written figure is multiplied by, exactly: unit factor times scale."""
        return self.unit_factor * self.scale


@dataclass(frozen=True)
class HeaderProblem:
    """Why a header cannot be used; `rule` is a stable code."""

    rule: str
    column: str
    message: str
    fix: str


@dataclass(frozen=True)
class HeaderMatch:
    """The result of matching a header row."""

    columns: dict[str, Column]
    ignored: list[tuple[int, str]]  #: unknown extra columns: (index, label)
    problems: list[HeaderProblem]
    #: headers that start like a column another header already gives: (index, label, column)
    alike: list[tuple[int, str, str]] = field(default_factory=list)


def match_header(header: list[str]) -> HeaderMatch:
    """Map each header cell to a canonical column; report unknown, duplicate and missing."""
    columns: dict[str, Column] = {}
    ignored: list[tuple[int, str]] = []
    problems: list[HeaderProblem] = []
    parsed = [(i, label, parse_header(label)) for i, label in enumerate(header)]
    clean = {p.canonical for _, _, p in parsed if p is not None and p.clean}
    alike: list[tuple[int, str, str]] = []
    for index, label, found in parsed:
        if found is None:
            ignored.append((index, label))
            continue
        if not found.clean and found.canonical in clean and not found.clashes:
            alike.append((index, label, found.canonical))
            continue
        if found.canonical in columns:
            first = columns[found.canonical].label
            problems.append(
                HeaderProblem(
                    "duplicate-column",
                    label,
                    f'"{label}" and "{first}" both name the column {found.canonical}.',
                    "Delete or rename one of the two columns.",
                )
            )
            continue
        if not found.clean:
            problems.append(_not_understood(found))
            continue
        columns[found.canonical] = Column(
            index,
            label,
            found.canonical,
            found.factor,
            found.scale,
            found.currency,
            found.unit,
        )
    named = {p.canonical for _, _, p in parsed if p is not None}
    for name in REQUIRED:
        if name not in columns and name not in named:
            problems.append(_missing(name, [label for _, label in ignored]))
    return HeaderMatch(columns, ignored, problems, alike)


def suggested_header(
    canonical: str, unit: str = "", scale: int = 1, currency: str = "", scale_text: str = ""
) -> str:
    """A header that says exactly what the figures are: its name, unit, scale and currency
    (as the header wrote them: "US$" stays "US$").

    Built from what a header said, never less: a fix never drops a currency, unit or scale
    ("Value KES" is never told to become "Value")."""
    name = _words_display(canonical)
    inside = [scale_text or _scale_display(scale)] if scale != 1 else []
    inside += [unit] if unit else []
    inside += [currency] if currency else []
    return f"{name} ({' '.join(inside)})" if inside else name


def _words_display(canonical: str) -> str:
    return re.sub(r"\s*\(.*\)$", "", ALIASES[canonical][0]) if canonical in ALIASES else canonical


def _scale_display(scale: int) -> str:
    return {1000: "'000", 1_000_000: "millions"}.get(scale, f"× {scale:,}")


def _not_understood(found: ParsedHeader) -> HeaderProblem:
    """A header that names a column but says something more that is not understood."""
    example = suggested_header(
        found.canonical, found.unit, found.scale, found.currency_text, found.scale_text
    )
    if found.clashes:
        first, second = found.clashes[0]
        return HeaderProblem(
            "conflicting-header",
            found.label,
            f'The header "{found.label}" gives both "{first}" and "{second}": its figures '
            "cannot be in both.",
            f'Keep the one the figures are in, e.g. "{example}".',
        )
    shown = ", ".join(f'"{t}"' for t in found.unknown)
    if "%" in found.unknown and found.canonical in COUNTS:
        # "Women members (%)": the figures are likely shares, and the column counts people.
        return HeaderProblem(
            "header-token",
            found.label,
            f'The header "{found.label}" names the column {found.canonical}, which is a '
            'count, but "%" in it says its figures are percentages.',
            f'Write the number itself under "{example}" (e.g. members × 45 ÷ 100 for 45%), '
            "or, if the figures are numbers already, remove the %.",
        )
    # Without a unit a volume is read in tonnes: "bags" or "quintals" left out of the header
    # would make every figure tonnes, so the fix says to convert first.
    convert = (
        " Volumes are read in tonnes, or in kilograms under a header with (kg): figures in "
        "another unit (quintals, bags, pounds) must be converted first."
        if found.canonical == "volume_sold_t" and not found.unit
        else ""
    )
    return HeaderProblem(
        "header-token",
        found.label,
        f'The header "{found.label}" names the column {found.canonical}, but {shown} in it '
        "is not a unit, scale, currency or description this tool understands, so its figures "
        "could be read wrongly.",
        "Write only the column's name with its unit, scale and currency, e.g. "
        f'"{example}" if that is what the figures are; put remarks in a Notes column.{convert}',
    )


def _missing(name: str, unknown_labels: list[str]) -> HeaderProblem:
    """A missing required column, with the closest unknown header as a suggestion."""
    keys = {label_key(label): label for label in unknown_labels}
    targets = [label_key(v) for v in ALIASES[name]] + [label_key(name)]
    best = max(
        (
            (difflib.SequenceMatcher(None, k, t).ratio(), label)
            for k, label in keys.items()
            for t in targets
        ),
        default=(0.0, ""),
    )
    expected = f'"{ALIASES[name][0]}"'
    fix = f"Add a column headed {expected} (or {name})."
    if best[0] >= 0.6:
        # The suggestion keeps everything the header said that is understood (its currency,
        # unit, scale), so renaming never changes what the figures mean.
        said = _qualifiers(best[1], name, tokens(best[1]))
        rename = suggested_header(name, said.unit, said.scale, said.currency_text, said.scale_text)
        fix = f'Did you mean "{best[1]}"? Rename it to "{rename}".'
    return HeaderProblem(
        "missing-column", name, f"The required column {expected} is missing.", fix
    )
