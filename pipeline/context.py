"""Everything a brief template shows, formatted in Python from validated data (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from markupsafe import Markup

from pipeline import __version__
from pipeline.cells import product_list
from pipeline.charts import country_charts
from pipeline.columns import NUMERIC
from pipeline.content import Programme
from pipeline.countries import Country
from pipeline.findings import Finding
from pipeline.formatting import NOT_REPORTED, Formatter, decimals_needed
from pipeline.indicators import CountrySummary
from pipeline.key_findings import key_findings, lead_sentence
from pipeline.normalise import conversion_notes
from pipeline.render import figure_data_uri
from pipeline.validate import CountryTable

DEFINITIONS = [
    (
        "PMG",
        ("Producer marketing group: a farmer group that sells its members' produce together."),
    ),
    ("Target households", "Households the programme set out to reach in a territory."),
    ("Reach", "PMG members as a share of target households."),
    ("Members per PMG", "Members divided by PMGs: the average size of a group."),
    ("Value per member", "Value of sales divided by members (US$)."),
    ("Price", "Value of sales divided by volume sold (US$ per tonne)."),
    ("t", "Metric tonnes."),
]


@dataclass(frozen=True)
class Provenance:
    """Where a brief's numbers come from."""

    file: str
    sha256: str
    encoding: str
    rows_read: int
    rows_accepted: int


def _cell(text: str, missing: bool = False) -> dict[str, Any]:
    return {"text": text, "missing": missing}


def _table_rows(
    ind: pd.DataFrame, fmt: Formatter, flagged: set[int], volume_dp: int
) -> list[dict[str, Any]]:
    rows = []
    for line, r in ind.iterrows():
        products = product_list(r.products) if isinstance(r.products, str) else []
        rows.append(
            {
                "territory": r.territory,
                "flagged": line in flagged,
                "products": [{"name": p.name, "note": p.note} for p in products],
                "numbers": [
                    _cell(fmt.number(r.target_households), pd.isna(r.target_households)),
                    _cell(fmt.number(r.pmgs), pd.isna(r.pmgs)),
                    _cell(fmt.number(r.members), pd.isna(r.members)),
                    _cell(fmt.number(r.volume_sold_t, volume_dp), pd.isna(r.volume_sold_t)),
                    _cell(fmt.number(r.value_usd), pd.isna(r.value_usd)),
                ],
                "indicators": [
                    _cell(fmt.percent(r.reach)),
                    _cell(fmt.number(r.members_per_pmg)),
                    _cell(fmt.usd(r.value_per_member_usd, 2)),
                    _cell(fmt.usd(r.price_usd_per_t)),
                    _cell(fmt.percent(r.value_share)),
                ],
            }
        )
    return rows


def brief_context(
    country: Country,
    table: CountryTable,
    ind: pd.DataFrame,
    summary: CountrySummary,
    programme: Programme,
    narrative: Markup | None,
    flags: list[Finding],
    provenance: Provenance,
    fmt: Formatter,
    stamp: datetime,
) -> dict[str, Any]:
    """The template context of one country's brief."""
    flagged = {f.line for f in flags if f.line is not None}
    volume_dp = decimals_needed(list(ind["volume_sold_t"]))
    s = summary
    partial = [c for c in NUMERIC if s.partial(c)]
    charts = country_charts(ind, fmt, s.price_usd_per_t, flagged)
    return {
        "lang": fmt.locale,
        "country": country.name,
        "programme": programme,
        "lead": lead_sentence(country.name, s, fmt),
        "headlines": [
            {
                "label": "Target households",
                "value": fmt.number(s.target_households),
                "note": f"in {s.territories} territories",
            },
            {
                "label": "Producer marketing groups",
                "value": fmt.number(s.pmgs),
                "note": f"{fmt.number(s.members_per_pmg)} members per group",
            },
            {
                "label": "PMG members",
                "value": fmt.number(s.members),
                "note": f"reach {fmt.percent(s.reach)} of target households",
            },
            {
                "label": "Volume sold",
                "value": f"{fmt.number(s.volume_sold_t, volume_dp)} t",
                "note": f"at {fmt.usd(s.price_usd_per_t)} per tonne",
            },
            {
                "label": "Value of sales",
                "value": fmt.usd(s.value_usd),
                "note": "collective sales by PMGs",
            },
            {
                "label": "Value per member",
                "value": fmt.usd(s.value_per_member_usd, 2),
                "note": "sales value ÷ members",
            },
        ],
        "findings": key_findings(s, ind, flags, fmt),
        "rows": _table_rows(ind, fmt, flagged, volume_dp),
        "totals": [
            _cell(fmt.number(s.target_households)),
            _cell(fmt.number(s.pmgs)),
            _cell(fmt.number(s.members)),
            _cell(fmt.number(s.volume_sold_t, volume_dp)),
            _cell(fmt.number(s.value_usd)),
        ],
        "totals_indicators": [
            _cell(fmt.percent(s.reach)),
            _cell(fmt.number(s.members_per_pmg)),
            _cell(fmt.usd(s.value_per_member_usd, 2)),
            _cell(fmt.usd(s.price_usd_per_t)),
            _cell(fmt.percent(1.0)),
        ],
        "partial_totals": partial,
        "not_reported_mark": NOT_REPORTED,
        "charts": [
            {"question": c.question, "alt": c.alt, "src": figure_data_uri(c.figure)}
            for c in charts
        ],
        "narrative": narrative,
        "conversions": [
            note for _, note in conversion_notes(table.columns, list(table.conversions))
        ],
        "flags": [f.message for f in flags],
        "totals_rows": [t.line for t in table.totals],
        "definitions": DEFINITIONS,
        "provenance": provenance,
        "sha_short": provenance.sha256[:12],
        "version": __version__,
        "created": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
