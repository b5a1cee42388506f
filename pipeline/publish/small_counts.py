"""Small counts of people by sex and age, left out of the open data when settings.yaml asks.

`min_cell_count` (settings.yaml; 0, the default, publishes every count as reported): a count of
women, men or youth members above 0 and below it is left blank in the published tables, with
what would give it back: the share it is part of, and the other side of members = women + men
(a blank women's count beside members and men would still be members − men). The brief is not
changed: it states what the officer reported, to the donor it is written for (README,
"Publishing results").
"""

from __future__ import annotations

import pandas as pd

#: Each count, and what else gives it away when it is small.
_REVEALS: dict[str, tuple[str, ...]] = {
    "members_women": ("women_share", "members_men"),
    "members_men": ("members_women", "women_share"),
    "members_youth": ("youth_share",),
}


def suppressed(table: pd.DataFrame, smallest: int) -> pd.DataFrame:
    """`table` with every small count (0 < count < `smallest`) and what reveals it blank; the
    same object when nothing is small."""
    if smallest <= 0:
        return table
    out = table.copy()
    changed = False
    for name, reveals in _REVEALS.items():
        if name not in table:
            continue
        small = (table[name] > 0) & (table[name] < smallest)
        if not small.any():
            continue
        changed = True
        for column in (name, *reveals):
            if column in out:
                out.loc[small, column] = float("nan")
    return out if changed else table
