"""A processed table with an HXL hashtag row (Humanitarian Exchange Language), for HDX and
the HXL Proxy. The mapping is in the README (Publishing results)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from pipeline.compute.indicators import period_key
from pipeline.core.countries import Country
from pipeline.read.periods import period_dates

#: Each column's hashtag; "{adm}" is the country's admin level of territories (settings.yaml).
HASHTAGS = {
    "country_code": "#country+code",
    "line": "#meta+line",
    "territory": "#adm{level}+name",
    "target_households": "#targeted+hh",
    "products": "#item+name+list",
    "pmgs": "#output+pmgs+num",
    "members": "#reached+ind+members",
    "volume_sold_t": "#indicator+volume_sold_t+num",
    "value_usd": "#value+sales+c_usd",
    "period": "#meta+period",
    "period_start": "#date+start",
    "period_end": "#date+end",
    "notes": "#description+notes",
    "reach": "#indicator+reach+num",
    "members_per_pmg": "#indicator+members_per_pmg+num",
    "value_per_member_usd": "#value+per_member+c_usd",
    "price_usd_per_t": "#value+price_per_t+c_usd",
    "value_share": "#indicator+value_share+num",
}


def hxl_table(
    indicators: pd.DataFrame, country: Country, whole: tuple[date, date], level: int = 1
) -> tuple[pd.DataFrame, list[str]]:
    """The processed table with the country's code and each row's period as dates, and the
    hashtag of every column (index first). `whole` dates a file that gives no period."""
    dates = [period_dates(label, whole) for label in period_key(indicators)]
    table = indicators.assign(
        period_start=[first.isoformat() for first, _ in dates],
        period_end=[last.isoformat() for _, last in dates],
    )
    table.insert(0, "country_code", country.alpha_3)
    columns = [str(indicators.index.name or "line"), *table.columns]
    return table, [HASHTAGS[c].format(level=level) for c in columns]
