"""The words and symbols the suggester understands, in English, French, Swahili, Spanish and
Portuguese: qualifiers, magnitudes, units, currencies and spelled-out numbers.

Every entry is a phrase of normalised tokens (`norm`: case, accents and dots dropped), so
"Près de", "pres de" and "PRÈS DE" are one entry. The table is closed: a word that is not
here is not understood, and a cell holding one gets no suggestion (the suggester says which
word). Factors are exact decimals: the suggester never rounds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache


def norm(token: str) -> str:
    """A token's matching key: accents, case and dots dropped ("U.S." -> "us", "Près" -> "pres")."""
    bare = unicodedata.normalize("NFKD", token)
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    return bare.casefold().replace(".", "")


#: A cell's tokens: a number (digits with separators inside), a word (letters, with dots,
#: hyphens and apostrophes inside: "U.S.", "dix-sept", "jusqu'à"), spaces, or one symbol.
TOKEN = re.compile(
    r"(?P<num>(?:[.,](?=\d))?\d(?:[\d.,'’]*\d)?)"
    r"|(?P<word>[^\W\d_]+(?:[-'’.][^\W\d_]+)*\.?)"
    r"|(?P<space>\s+)"
    r"|(?P<sym>\S)"
)
#: Inside a word, these split it into tokens: "dix-sept" is "dix" "sept".
WORD_SPLIT = re.compile(r"[-'’]")


def phrase_key(text: str) -> str:
    """The matching key of a phrase as the cell tokeniser splits it: "+/-" -> "+ / -",
    "jusqu'à" -> "jusqu a", "U.S. $" -> "us $"."""
    keys = []
    for match in TOKEN.finditer(unicodedata.normalize("NFKC", text)):
        if match.lastgroup == "word":
            keys += [norm(p) for p in WORD_SPLIT.split(match.group()) if p]
        elif match.lastgroup != "space" and match.group() not in "'’":  # "près d'"
            keys.append(norm(match.group()))
    return " ".join(keys)


class Meaning(StrEnum):
    """What a qualifier says about the figure it comes with."""

    APPROXIMATE = "approximate"
    LOWER = "lower bound"  #: the figure is that number or more
    UPPER = "upper bound"  #: the figure is that number or less


#: What to say in the notes for each meaning, so that the figure keeps its qualifier.
NOTE_WORDS = {
    Meaning.APPROXIMATE: "approximately",
    Meaning.LOWER: "at least",
    Meaning.UPPER: "at most",
}


class Place(StrEnum):
    """Where a qualifier stands: before the number ("over 103") or after it ("14,000+")."""

    BEFORE = "before"
    AFTER = "after"


def _phrases(*texts: str) -> tuple[str, ...]:
    return tuple(phrase_key(text) for text in texts)


_APPROXIMATE_BEFORE: tuple[str, ...] = (
    # English
    "about", "approximately", "approx", "appr", "around", "roughly", "circa", "ca", "c.", "some",
    "an estimated", "estimated", "estimated at", "est", "in the region of", "of the order of",
    "on the order of", "in the order of", "close to", "more or less", "~", "≈", "+/-", "+-",
    "±",
    # French
    "environ", "à peu près", "approximativement", "autour de", "env", "dans les", "quelque",
    # Swahili
    "karibu", "takriban", "takribani", "kiasi cha", "kama",
    # Spanish, Portuguese
    "aproximadamente", "alrededor de", "cerca de", "aprox", "unos", "unas",
)  # fmt: skip
_APPROXIMATE_AFTER: tuple[str, ...] = (
    "approx", "approximately", "est", "estimated", "estimate", "or so", "more or less",
    "give or take", "roughly", "environ", "à peu près", "takriban", "takribani", "aprox",
    "aproximadamente",
)  # fmt: skip
_LOWER_BEFORE: tuple[str, ...] = (
    "over", "more than", "above", "at least", "in excess of", "upwards of", "no less than",
    "not less than", "greater than", "exceeding", "minimum", "min", "a minimum of", ">", "≥",
    "> =",
    "plus de", "plus d'", "au moins", "au dela de", "supérieur à", "pas moins de",
    "un minimum de",
    "zaidi ya", "angalau", "si chini ya", "isiyopungua",
    "más de", "al menos", "por lo menos", "por encima de", "mais de", "pelo menos",
    "no mínimo",
)  # fmt: skip
_LOWER_AFTER: tuple[str, ...] = (
    "+", "or more", "and more", "and above", "or above", "plus", "ou plus", "et plus",
    "au moins", "na zaidi", "o más", "ou mais",
)  # fmt: skip
_UPPER_BEFORE: tuple[str, ...] = (
    "under", "less than", "below", "up to", "almost", "nearly", "not more than",
    "no more than", "at most", "fewer than", "maximum", "max", "a maximum of", "<", "≤", "< =",
    "approaching", "just short of",
    "moins de", "moins d'", "jusqu à", "presque", "près de", "près d'", "au plus", "pas plus de", "quasi",
    "quasiment", "inférieur à", "un maximum de",
    "chini ya", "hadi", "si zaidi ya", "isiyozidi",
    "menos de", "hasta", "casi", "até", "quase", "no máximo",
)  # fmt: skip
_UPPER_AFTER: tuple[str, ...] = ("or less", "or fewer", "at most", "max", "ou moins", "au plus")
#: Words that sharpen "over" or "under" without changing what it means.
_MODIFIERS: tuple[str, ...] = (
    "just",
    "well",
    "slightly",
    "a little",
    "a bit",
    "juste",
    "bien",
    "un peu",
)
_SHARPENED: tuple[str, ...] = ("over", "more than", "above", "under", "less than", "below")


@cache
def qualifiers() -> dict[tuple[str, Place], Meaning]:
    """(phrase, place) -> meaning, with every modifier ("just over") spelled out."""
    table: dict[tuple[str, Place], Meaning] = {}
    for phrases, place, meaning in (
        (_APPROXIMATE_BEFORE, Place.BEFORE, Meaning.APPROXIMATE),
        (_APPROXIMATE_AFTER, Place.AFTER, Meaning.APPROXIMATE),
        (_LOWER_BEFORE, Place.BEFORE, Meaning.LOWER),
        (_LOWER_AFTER, Place.AFTER, Meaning.LOWER),
        (_UPPER_BEFORE, Place.BEFORE, Meaning.UPPER),
        (_UPPER_AFTER, Place.AFTER, Meaning.UPPER),
    ):
        for phrase in phrases:
            table[(phrase_key(phrase), place)] = meaning
    for modifier in _MODIFIERS:
        for base in _SHARPENED:
            key = phrase_key(f"{modifier} {base}")
            table[(key, Place.BEFORE)] = table[(phrase_key(base), Place.BEFORE)]
    return table


def qualifier_texts() -> dict[tuple[Meaning, Place], tuple[str, ...]]:
    """Every qualifier as written (for tests and the README): (meaning, place) -> phrases."""
    return {
        (Meaning.APPROXIMATE, Place.BEFORE): _APPROXIMATE_BEFORE,
        (Meaning.APPROXIMATE, Place.AFTER): _APPROXIMATE_AFTER,
        (Meaning.LOWER, Place.BEFORE): _LOWER_BEFORE
        + tuple(f"{m} {b}" for m in _MODIFIERS for b in ("over", "more than", "above")),
        (Meaning.LOWER, Place.AFTER): _LOWER_AFTER,
        (Meaning.UPPER, Place.BEFORE): _UPPER_BEFORE
        + tuple(f"{m} {b}" for m in _MODIFIERS for b in ("under", "less than", "below")),
        (Meaning.UPPER, Place.AFTER): _UPPER_AFTER,
    }


@dataclass(frozen=True)
class Magnitude:
    """A word or symbol that multiplies a number: "million", "k", "lakh", "elfu"."""

    factor: Decimal
    name: str  #: as the suggestion states it ("million = 1,000,000")
    before: bool = False  #: stands before its number, as Swahili writes "elfu 10"
    alone_is_one: bool = False  #: means its own factor without a number ("mille", "elfu")


def _magnitudes() -> dict[str, Magnitude]:
    thousand, million = Decimal(1000), Decimal(10) ** 6
    billion, lakh, crore = Decimal(10) ** 9, Decimal(10) ** 5, Decimal(10) ** 7
    table: dict[str, Magnitude] = {}
    for words, magnitude in (
        (("k", "thousand", "thousands", "thou"), Magnitude(thousand, "thousand")),
        (("hundred",), Magnitude(Decimal(100), "hundred")),
        (("m", "mn", "mln", "mio", "million", "millions"), Magnitude(million, "million")),
        (("bn", "b", "billion", "billions"), Magnitude(billion, "billion")),
        (("lakh", "lakhs", "lac", "lacs", "lakh"), Magnitude(lakh, "lakh")),
        (("crore", "crores", "cr"), Magnitude(crore, "crore")),
        # French ("billion" is 10^12 in French: a cell mixing French words with it is not read)
        (("mille",), Magnitude(thousand, "mille", alone_is_one=True)),
        (("millier", "milliers"), Magnitude(thousand, "millier")),
        (("milliard", "milliards", "md", "mds", "mrd"), Magnitude(billion, "milliard")),
        # Swahili writes the magnitude first: "elfu 10" is 10,000, "milioni 2" 2,000,000
        (("elfu",), Magnitude(thousand, "elfu", before=True, alone_is_one=True)),
        (("laki",), Magnitude(lakh, "laki", before=True, alone_is_one=True)),
        (("milioni",), Magnitude(million, "milioni", before=True, alone_is_one=True)),
        (("bilioni",), Magnitude(billion, "bilioni", before=True, alone_is_one=True)),
        # Spanish, Portuguese
        (("mil",), Magnitude(thousand, "mil")),
        (("millones", "milhao", "milhoes"), Magnitude(million, "million")),
    ):
        for word in words:
            table[norm(word)] = magnitude
    return table


MAGNITUDES = _magnitudes()


@dataclass(frozen=True)
class MassUnit:
    """A unit of weight in a cell, with its exact size in kilograms."""

    symbol: str  #: as the suggestion writes it: "kg", "t", "quintal"
    kg: Decimal
    note: str = ""  #: how the suggestion reads a word that has several meanings


_KG = MassUnit("kg", Decimal(1))
_T = MassUnit("t", Decimal(1000))
#: "ton" is 1,000 kg in the programme's countries, as in the headers ("Volume (tons)").
_TON = MassUnit("t", Decimal(1000), "tons are read as metric tonnes (1,000 kg)")
#: The metric quintal (100 kg), as East Africa, Ethiopia and India use it.
_QUINTAL = MassUnit("quintal", Decimal(100))
_G = MassUnit("g", Decimal("0.001"))
_LB = MassUnit("lb", Decimal("0.45359237"))  # exact by definition (1959)
MASS_UNITS: dict[str, MassUnit] = {
    **dict.fromkeys(
        _phrases(
            "kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme", "kilogrammes",
            "kilogramo", "kilogramos", "quilo", "quilos", "quilograma", "quilogramas",
        ),
        _KG,
    ),
    **dict.fromkeys(
        _phrases(
            "t", "tn", "tns", "tonne", "tonnes", "mt", "mts", "tm", "metric ton",
            "metric tons", "metric tonne", "metric tonnes", "tonne métrique", "tonnes métriques",
            "tonelada", "toneladas", "tonelada métrica", "toneladas métricas", "tani",
        ),
        _T,
    ),
    **dict.fromkeys(_phrases("ton", "tons"), _TON),
    **dict.fromkeys(_phrases("quintal", "quintals", "quintaux", "qtl", "qtls"), _QUINTAL),
    **dict.fromkeys(_phrases("g", "gram", "grams", "gramme", "grammes", "gramos", "gramas"), _G),
    **dict.fromkeys(_phrases("lb", "lbs"), _LB),
}  # fmt: skip
#: Units with no fixed weight: a cell in them cannot be converted to tonnes.
LOOSE_UNITS = _phrases(
    "bag", "bags", "sack", "sacks", "gunia", "magunia", "sac", "sacs", "saco", "sacos",
    "crate", "crates", "debe", "debes", "tin", "tins", "box", "boxes", "bale", "bales",
    "bunch", "bunches", "piece", "pieces", "pcs", "truck", "trucks", "lorry", "lorries",
    "litre", "litres", "liter", "liters", "l", "ltr", "ltrs", "lt",
)  # fmt: skip
#: What each count column counts, in the words a cell may repeat after its number.
COUNT_WORDS: dict[str, tuple[str, ...]] = {
    "target_households": _phrases(
        "households", "household", "hh", "hhs", "families", "family", "ménages", "ménage",
        "foyers", "kaya", "hogares", "hogar", "familias", "agregados", "domicílios",
    ),
    "pmgs": _phrases(
        "pmgs", "pmg", "groups", "group", "groupes", "groupe", "groupements", "groupement",
        "vikundi", "kikundi", "grupos", "grupo",
    ),
    "members": _phrases(
        "members", "member", "farmers", "farmer", "people", "persons", "person", "membres",
        "membre", "producteurs", "agriculteurs", "personnes", "wakulima", "wanachama", "watu",
        "miembros", "socios", "productores", "membros", "sócios", "produtores", "agricultores",
        "pessoas", "personas",
    ),
}  # fmt: skip

#: Currency words and symbols -> the ISO 4217 codes they can mean. "$" alone is read as US$,
#: as in the programme's reports; the suggestion says so.
_SHILLINGS = frozenset({"KES", "TZS", "UGX", "SOS"})
_CURRENCY_WORDS: tuple[tuple[tuple[str, ...], frozenset[str]], ...] = (
    (
        ("$", "us $", "$ us", "usd", "us dollars", "us dollar", "dollars", "dollar", "dola",
         "dólares", "dólar", "dollars américains", "dólares americanos"),
        frozenset({"USD"}),
    ),
    (("€", "eur", "euro", "euros"), frozenset({"EUR"})),
    (("£", "gbp"), frozenset({"GBP"})),
    (("ksh", "kshs", "kes", "k sh", "kenya shillings", "kenyan shillings"), frozenset({"KES"})),
    (("tsh", "tshs", "tzs", "tanzania shillings", "tanzanian shillings"), frozenset({"TZS"})),
    (("ush", "ushs", "ugx", "uganda shillings", "ugandan shillings"), frozenset({"UGX"})),
    (("sh", "shs", "shilling", "shillings", "shilingi", "/ ="), _SHILLINGS),
    (("rwf", "frw", "rf"), frozenset({"RWF"})),
    (("fbu", "bif"), frozenset({"BIF"})),
    (("etb", "birr", "br"), frozenset({"ETB"})),
    (("mwk", "mk"), frozenset({"MWK"})),
    (("zmw", "zk"), frozenset({"ZMW"})),
    (("fcfa", "cfa", "f cfa", "francs cfa"), frozenset({"XOF", "XAF"})),
    (("cdf", "fc"), frozenset({"CDF"})),
    (("ghs", "ghc", "₵", "gh ₵", "cedis"), frozenset({"GHS"})),
    (("₦", "ngn", "naira"), frozenset({"NGN"})),
    (("₹", "inr", "rupees", "rs"), frozenset({"INR", "PKR", "LKR", "NPR"})),
)  # fmt: skip
CURRENCY_WORDS: dict[str, frozenset[str]] = {
    phrase: codes for texts, codes in _CURRENCY_WORDS for phrase in _phrases(*texts)
}


@cache
def iso_currencies() -> frozenset[str]:
    """Every ISO 4217 code CLDR knows (Babel); read only when written in capitals, so that
    "ALL" or "TOP" in a sentence is never taken for a currency."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies())


#: "per kg", "/t": a rate or a price, not a figure.
PER_WORDS = _phrases("/", "per", "par", "kwa", "por", "each", "chacun", "kila")
PERCENT_WORDS = _phrases("%", "percent", "per cent", "pour cent", "asilimia", "por ciento")
#: Words that may join a number to its unit: "7,6 millions de tonnes", "milioni 2 za".
FILLERS = _phrases("de", "d", "of", "des", "za", "ya")
#: Footnote marks after a number ("134*"): the number stands, the footnote goes to notes.
FOOTNOTES = _phrases("*", "**", "†", "‡")
#: Cells that mean "not reported" in words the reader does not accept: write n/a instead.
NOT_REPORTED = _phrases(
    "na", "n a", "n a .", "not available", "not reported", "not known", "unknown", "nr",
    "nd", "n d", "non disponible", "non communiqué", "nc", "inconnu", "haijulikani",
    "no disponible", "não disponível", "nd.", "?", "??", "tbc", "tbd", "pending",
)  # fmt: skip
#: Words that may mean 0 or "not reported": no suggestion, the officer must say which.
ZERO_OR_NOTHING = _phrases("nil", "none", "nothing", "néant", "aucun", "aucune", "hakuna")


# Spelled-out numbers: every form of 0 to 999 in each language, generated, so that a phrase
# maps to a number only when it spells exactly that number.
_EN_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_FR_UNITS = [
    "zéro",
    "un",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
]
_FR_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
_SW_UNITS = ["sifuri", "moja", "mbili", "tatu", "nne", "tano", "sita", "saba", "nane", "tisa"]
_SW_TENS = [
    "_",
    "kumi",
    "ishirini",
    "thelathini",
    "arobaini",
    "hamsini",
    "sitini",
    "sabini",
    "themanini",
    "tisini",
]


def _en(n: int) -> list[tuple[str, ...]]:
    def below100(r: int) -> list[tuple[str, ...]]:
        if r < 20:
            return [(_EN_UNITS[r],)]
        return [(_EN_TENS[r // 10],) + ((_EN_UNITS[r % 10],) if r % 10 else ())]

    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return below100(rest)
    heads: list[tuple[str, ...]] = [(_EN_UNITS[hundreds], "hundred")]
    if hundreds == 1:
        heads.append(("a", "hundred"))
    if not rest:
        return heads
    return [h + a + r for h in heads for a in ((), ("and",)) for r in below100(rest)]


def _fr_below100(r: int) -> list[tuple[str, ...]]:
    if r <= 16:
        return [(_FR_UNITS[r],)]
    if r < 20:
        return [("dix", _FR_UNITS[r - 10])]
    if r < 70:
        tens, unit = divmod(r, 10)
        if not unit:
            return [(_FR_TENS[tens],)]
        joined: list[tuple[str, ...]] = (
            [(_FR_TENS[tens], "et", "un"), (_FR_TENS[tens], "et", "une")] if unit == 1 else []
        )
        return joined or [(_FR_TENS[tens], _FR_UNITS[unit])]
    forms: list[tuple[str, ...]] = []
    if r < 80:  # soixante-dix, soixante et onze; Belgian and Swiss septante
        forms += [("soixante", "et", "onze")] if r == 71 else []
        forms += [("soixante",) + f for f in _fr_below100(r - 60) if r != 71]
        forms += [("septante",) + ((_FR_UNITS[r - 70],) if r > 70 else ())]
    elif r < 90:  # quatre-vingts, quatre-vingt-un; Swiss huitante or octante
        forms += [("quatre", "vingts")] if r == 80 else [("quatre", "vingt", _FR_UNITS[r - 80])]
        forms += [(w,) + ((_FR_UNITS[r - 80],) if r > 80 else ()) for w in ("huitante", "octante")]
    else:  # quatre-vingt-dix, quatre-vingt-onze; Belgian and Swiss nonante
        forms += [("quatre", "vingt") + f for f in _fr_below100(r - 80)]
        forms += [("nonante",) + ((_FR_UNITS[r - 90],) if r > 90 else ())]
    return forms


def _fr(n: int) -> list[tuple[str, ...]]:
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _fr_below100(rest)
    head = ("cent",) if hundreds == 1 else (_FR_UNITS[hundreds], "cents" if not rest else "cent")
    return [head + r for r in _fr_below100(rest)] if rest else [head]


def _sw_below100(r: int) -> list[tuple[str, ...]]:
    if r < 10:
        return [(_SW_UNITS[r],)]
    tens, unit = divmod(r, 10)
    return [(_SW_TENS[tens],) + (("na", _SW_UNITS[unit]) if unit else ())]


def _sw(n: int) -> list[tuple[str, ...]]:
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _sw_below100(rest)
    head = ("mia", _SW_UNITS[hundreds])
    return [head + ("na",) + r for r in _sw_below100(rest)] if rest else [head]


#: Single words that spell a number in one language and mean something else in another:
#: "sept" (7, or September), "cent" (100, or a US cent). Read only inside a longer number.
_AMBIGUOUS_ALONE = {("sept",), ("cent",)}


@cache
def spelled_numbers() -> dict[tuple[str, ...], tuple[int, str]]:
    """Normalised word sequence -> (number, language) for 0 to 999 in English, French and
    Swahili. A sequence two languages read as different numbers is left out (none is)."""
    table: dict[tuple[str, ...], tuple[int, str]] = {}
    clashes: set[tuple[str, ...]] = set()
    for lang, spell in (("en", _en), ("fr", _fr), ("sw", _sw)):
        for n in range(1000):
            for form in spell(n):
                key = tuple(norm(w) for w in form)
                if key in table and table[key][0] != n:
                    clashes.add(key)
                table.setdefault(key, (n, lang))
    for key in clashes | _AMBIGUOUS_ALONE:
        table.pop(key, None)
    return table


@cache
def number_words() -> frozenset[str]:
    """Every word that appears in a spelled-out number."""
    return frozenset(w for key in spelled_numbers() for w in key) | {"a", "an"}


#: Words that join the parts of a spelled number and also join two numbers ("10 and 2").
CONNECTORS = frozenset({"and", "et", "na"})
#: Words for "one" before a magnitude: "a million", "un million".
ONE_WORDS = frozenset({"a", "an", "one", "un", "une", "moja"})
#: French words: "billion" beside them is 10^12, not 10^9, so the cell is not read.
FRENCH_WORDS = frozenset(
    phrase_key(w)
    for w in (
        "de", "d", "des", "environ", "moins", "près", "presque", "jusqu", "mille", "millier",
        "milliers", "milliard", "milliards", "quintaux", "ménages", "francs",
    )
)  # fmt: skip
