"""A processed table with an HXL hashtag row (Humanitarian Exchange Language), for HDX and
the HXL Proxy. The mapping is in the README (Publishing results)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pipeline.compute.indicators import period_key
from pipeline.core.countries import Country
from pipeline.core.registry import INDICATORS
from pipeline.read.periods import period_dates

#: Each column's hashtag: the indicators' from the registry, and the table's other columns.
#: "{level}" is the country's admin level of territories (settings.yaml).
HASHTAGS = {
    "country_code": "#country+code",
    "line": "#meta+line",
    "territory": "#adm{level}+name",
    "products": "#item+name+list",
    "period": "#meta+period",
    "period_start": "#date+start",
    "period_end": "#date+end",
    "notes": "#description+notes",
    **{name: spec.hxl for name, spec in INDICATORS.items()},
}


def hxl_table(
    indicators: pd.DataFrame,
    country: Country,
    whole: tuple[date, date],
    level: int = 1,
    youth_age: tuple[int, int] = (15, 35),
) -> tuple[pd.DataFrame, list[str]]:
    """The processed table with the country's code and each row's period as dates, and the
    hashtag of every column (index first). `whole` dates a file that gives no period; youth
    members are tagged with their ages (`youth_age`, HXL's +age15_35)."""
    dates = [period_dates(label, whole) for label in period_key(indicators)]
    table = indicators.assign(
        period_start=[first.isoformat() for first, _ in dates],
        period_end=[last.isoformat() for _, last in dates],
    )
    table.insert(0, "country_code", country.alpha_3)
    columns = [str(indicators.index.name or "line"), *table.columns]
    youth = f"{youth_age[0]}_{youth_age[1]}"
    return table, [HASHTAGS[c].format(level=level, youth=youth) for c in columns]
