"""Synthetic countries for tests and benchmarks: plausible, seeded, never shipped in data/raw."""

from __future__ import annotations

import random
from pathlib import Path

import pycountry

HEADER = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)"
PRODUCTS = ["maize", "beans", "cassava", "groundnuts", "coffee", "sorghum", "honey", "milk"]


def country_csv(n_territories: int, seed: int) -> str:
    """A valid country table of `n_territories` rows (with a Totals row), as Excel writes it."""
    rng = random.Random(seed)
    rows, totals = [], [0, 0, 0, 0.0, 0]
    for i in range(n_territories):
        pmgs = rng.randrange(3, 30)
        members = rng.randrange(pmgs * 15, pmgs * 40)
        households = round(members * rng.uniform(1.5, 6))
        volume = round(rng.uniform(2, 200), 1)
        value = round(volume * rng.uniform(250, 700))
        products = ", ".join(rng.sample(PRODUCTS, rng.randrange(1, 4)))
        rows.append(
            f'Territory {i + 1},{households},"{products}",{pmgs},{members},{volume},{value}'
        )
        for k, v in enumerate((households, pmgs, members, volume, value)):
            totals[k] += v
    rows.append("Totals,{},,{},{},{:.1f},{}".format(*totals))
    return "\n".join([HEADER, *rows]) + "\n"


def country_names(count: int) -> list[str]:
    """`count` distinct country names, in a fixed order (file stems pycountry resolves)."""
    names = sorted(c.alpha_3.lower() for c in pycountry.countries)
    return names[:count]


def portfolio(raw: Path, countries: int, territories: int, large: int = 0) -> list[Path]:
    """Write `countries` countries of `territories` rows, plus one of `large` rows, to `raw`."""
    names = country_names(countries + (1 if large else 0))
    written = []
    for i, name in enumerate(names):
        size = large if large and i == len(names) - 1 else territories
        path = raw / f"{name}.csv"
        path.write_text(country_csv(size, seed=i), encoding="utf-8")
        written.append(path)
    return written
