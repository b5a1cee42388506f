"""A country as a place in a sentence ("in Kenya", "au Kenya", "en Kenia", "no Quênia").

French and Portuguese put an article, agreeing with the country's name, between the
preposition and the name: the country's ISO code decides it here, from the lists below, so
that the sentence is the language's own ("au Kenya", "en Ouganda", "aux Philippines", "à
Madagascar"). Spanish writes "en" before any country. A territory's gender or article is not
known: sentences about territories are written so that they need none.
"""

from __future__ import annotations


def _codes(text: str) -> frozenset[str]:
    """ISO alpha-2 codes, written apart by spaces."""
    return frozenset(text.split())


#: French: countries whose name takes "aux" (plural) or "à" (no article, islands and cities).
_FR_AUX = _codes("US PH KM SC MV NL AE BS FJ SB MH")
_FR_A = _codes("MG CU MU SG ST BH MT CY MC NR TV KI TW HK MO DJ LC KN VC AG")
#: French names ending in -e that are masculine: "au Mozambique", "au Cambodge".
_FR_MASCULINE_E = _codes("MZ ZW KH MX BZ SR")
#: Portuguese: the contraction of "em" with each country's article, where it has one
#: ("em" alone for names without an article, as Moçambique and Angola).
_PT = {
    **dict.fromkeys(
        _codes(
            "KE UG RW BI MW ZW GH ML NE SN BJ TG TD SD SS EG LS BW BR PE PY UY EC CL MX "
            "PA HT BD NP PK AF KH LA VN BT LK IR IQ YE CG CD GA BF BZ KG KZ MM"
        ),
        "no",
    ),
    **dict.fromkeys(
        _codes(
            "TZ ET ZM IN GT NI CO BO AR ID TH MY NG LR SL GN SO ER CI ZA JM DO NA MR "
            "GM DZ TN LY CR VE GW GQ CF"
        ),
        "na",
    ),
    **dict.fromkeys(_codes("US AE NL CM"), "nos"),
    **dict.fromkeys(_codes("PH MV SC BS"), "nas"),
    **dict.fromkeys(_codes("MZ AO CV MG TL PT CU IL SG ST MT HN SV PR MO HK TW OM DJ"), "em"),
}
_VOWELS = tuple("AEIOUÉÈÊÎÏÔÛÜH")


def in_country(name: str, alpha_2: str, language: str) -> str:
    """The country `name` (already in `language`) with the language's "in"."""
    if language == "fr":
        return f"{_french(name, alpha_2)}{name}"
    if language == "es":
        return f"en {name}"
    if language == "pt":
        return f"{_PT.get(alpha_2, 'em')} {name}"
    return f"in {name}"


def _french(name: str, alpha_2: str) -> str:
    if alpha_2 in _FR_AUX:
        return "aux "
    if alpha_2 in _FR_A:
        return "à "
    if name.upper().startswith(_VOWELS):
        return "en "
    if name.split()[0].split("-")[0].endswith("e") and alpha_2 not in _FR_MASCULINE_E:
        return "en "
    return "au "


def capitalised(phrase: str) -> str:
    """The phrase at the start of a sentence: "au Kenya" -> "Au Kenya"."""
    return phrase[:1].upper() + phrase[1:]
