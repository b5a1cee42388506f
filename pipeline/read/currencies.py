"""Currency codes: one normal form (ISO 4217) for every place a currency is written.

`currency_code` is the only function that turns a written currency into a key. It is used on
both sides of every join on a currency: a header (`Value (KSh)`), a `currency` column and
`exchange_rates.csv`. So `kes`, `KES`, `Ksh` and `KShs` are one currency, and `€` is EUR,
never US$.
"""

from __future__ import annotations

from functools import cache

#: Symbols written for a currency, as Excel and field offices write them, with the currency
#: each one means. Only symbols that name one currency are here (checked against the CLDR
#: local symbols Babel ships): `F CFA` (XOF or XAF) and `K` (ZMW, PGK, MMK) are not, so a
#: header using them is refused and asks for the ISO code.
SYMBOLS: dict[str, str] = {
    "US$": "USD",
    "$US": "USD",
    "USD$": "USD",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "₦": "NGN",
    "GH₵": "GHS",
    "₹": "INR",
    # Two-letter symbols are matched with their case: "Ar" and "Br" are not words then.
    "Ar": "MGA",
    "Br": "ETB",
    "RF": "RWF",
    "MK": "MWK",
}
#: Longer symbols, matched ignoring case and a final dot ("KSh", "Kshs.", "KSHS").
WORD_SYMBOLS: dict[str, str] = {
    "ksh": "KES",
    "kshs": "KES",
    "tsh": "TZS",
    "tshs": "TZS",
    "ush": "UGX",
    "ushs": "UGX",
    "frw": "RWF",
    "fbu": "BIF",
    "birr": "ETB",
}


@cache
def _iso_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.currencies)


def currency_code(text: str) -> str | None:
    """The ISO 4217 code a written currency means, or None when it names none.

    'KES', 'kes', ' Kes ' -> 'KES'; 'US$', '$', 'usd' -> 'USD'; '€' -> 'EUR'; 'KShs.' -> 'KES';
    'CFA', 'K', 'dollars' -> None.
    """
    written = text.strip()
    compact = "".join(written.split())  # "US $" is "US$"
    if compact in SYMBOLS:
        return SYMBOLS[compact]
    bare = written.rstrip(".").lower()
    if bare in WORD_SYMBOLS:
        return WORD_SYMBOLS[bare]
    if len(bare) == 3 and bare.isascii() and bare.isalpha():  # "KES", "kes", "Kes."
        code = bare.upper()
        return code if code in _iso_codes() else None
    return None
