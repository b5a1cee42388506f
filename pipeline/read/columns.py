"""Match the column headers field offices write to the canonical column names."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from pipeline.core.names import fold
from pipeline.core.registry import REPORTED, WHOLE_NUMBERS
from pipeline.read.header_forms import accepted_headers

#: Canonical column -> header variants (compared after `label_key`), in every language the
#: reader accepts: the data dictionary's table of headers (`header_forms.HEADER_FORMS`). The
#: canonical name itself is always accepted too.
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
OPTIONAL = ("period", "notes", "currency")
#: The figures a country file reports, and those of them that are counts (the registry's).
NUMERIC = REPORTED
COUNTS = WHOLE_NUMBERS

#: Units a header may carry in parentheses, folded by `label_key`; anything else is refused
#: so that a value in another unit is never read as if it were tonnes or US$.
UNITS: dict[str, dict[str, float]] = {
    "volume_sold_t": {
        "": 1.0,
        "mts": 1.0,
        "mt": 1.0,
        "t": 1.0,
        "tonnes": 1.0,
        "tons": 1.0,
        "metrictonnes": 1.0,
        "kg": 0.001,
        "kgs": 0.001,
        "kilograms": 0.001,
    },
    "value_usd": {"": 1.0, "us": 1.0, "usd": 1.0, "inus": 1.0, "inusd": 1.0},
}


def label_key(label: str) -> str:
    """Fold a header for matching: case, accents, spacing, punctuation and (units) ignored."""
    return fold(re.sub(r"\([^)]*\)", " ", label))


def unit_key(label: str) -> str:
    """The folded unit in a header's parentheses: 'Volume sold (kg)' -> 'kg'."""
    found = re.findall(r"\(([^)]*)\)", label)
    return re.sub(r"[^a-z0-9]", "", found[-1].lower()) if found else ""


def _lookup() -> dict[str, str]:
    table = {label_key(name): name for name in ALIASES}
    for canonical, variants in ALIASES.items():
        table.update({label_key(v): canonical for v in variants})
    return table


LOOKUP = _lookup()


def canonical_name(label: str) -> str | None:
    """The canonical column a header names, or None."""
    return LOOKUP.get(label_key(label))


def header_score(cells: list[str]) -> int:
    """How many distinct required columns a row names: used to find the header row."""
    return len({canonical_name(c) for c in cells if c.strip()} & set(REQUIRED))


@dataclass(frozen=True)
class Column:
    """A matched column: where it is, what the user called it, and its unit factor."""

    index: int
    label: str
    canonical: str
    factor: float = 1.0
    currency: str = ""  #: ISO 4217 code given in the header, e.g. "KES" in "Value (KES)"


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


def match_header(header: list[str]) -> HeaderMatch:
    """Map each header cell to a canonical column; report unknown, duplicate and missing."""
    columns: dict[str, Column] = {}
    ignored: list[tuple[int, str]] = []
    problems: list[HeaderProblem] = []
    for index, label in enumerate(header):
        canonical = canonical_name(label)
        if canonical is None:
            ignored.append((index, label))
            continue
        if canonical in columns:
            first = columns[canonical].label
            problems.append(
                HeaderProblem(
                    "duplicate-column",
                    label,
                    f'"{label}" and "{first}" both name the column {canonical}.',
                    "Delete or rename one of the two columns.",
                )
            )
            continue
        factor, currency = 1.0, ""
        if canonical == "value_usd" and _is_currency(unit_key(label)):
            currency = unit_key(label).upper()
        elif canonical in UNITS:
            unit = unit_key(label)
            if unit not in UNITS[canonical]:
                problems.append(
                    HeaderProblem(
                        "unknown-unit",
                        label,
                        f'The unit "{unit}" in "{label}" is not one this tool can convert.',
                        _unit_fix(canonical),
                    )
                )
                continue
            factor = UNITS[canonical][unit]
        columns[canonical] = Column(index, label, canonical, factor, currency)
    for name in REQUIRED:
        if name not in columns and not any(
            p.rule == "unknown-unit" and canonical_name(p.column) == name for p in problems
        ):
            problems.append(_missing(name, [label for _, label in ignored]))
    return HeaderMatch(columns, ignored, problems)


def _is_currency(unit: str) -> bool:
    """True for an ISO 4217 code other than US$ ('kes', 'tzs')."""
    import pycountry

    return (
        unit != "usd"
        and len(unit) == 3
        and pycountry.currencies.get(alpha_3=unit.upper()) is not None
    )


def _unit_fix(canonical: str) -> str:
    if canonical == "volume_sold_t":
        return 'Give volumes in tonnes, e.g. "Volume sold (t)", or in kilograms, "(kg)".'
    return (
        'Give values in US dollars, "Value (US$)", or in a currency with its ISO code, '
        '"Value (KES)", and its rate in exchange_rates.csv.'
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
        fix = f'Did you mean "{best[1]}"? Rename it to {expected}.'
    return HeaderProblem(
        "missing-column", name, f"The required column {expected} is missing.", fix
    )
