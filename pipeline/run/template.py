"""`python -m pipeline template`: write <country>-template.xlsx where the officer asks, never
into the raw data folder."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.formatting import Formatter
from pipeline.read.periods import FORMS, parse_period
from pipeline.run.outputs import write_atomic

#: Excel keeps a list validation's items in 255 characters at most.
_MAX_LIST = 255


class TemplateError(ValueError):
    """What is wrong with the request, in a sentence with the fix."""


def template_name(slug: str) -> str:
    """The template's file name: 'kenya-template.xlsx'."""
    return f"{slug}-template.xlsx"


def _stamp() -> datetime:
    """The workbook's creation date: SOURCE_DATE_EPOCH when set (reproducible), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def write_template(name: str, periods: list[str], lang: str, out: Path, raw: Path) -> Path:
    """Write the country's template into `out` and return its path."""
    from babel.numbers import get_territory_currencies

    from pipeline.present.template import template_workbook

    try:
        country = resolve_country(name)
    except UnknownCountry as exc:
        raise TemplateError(str(exc)) from None
    labels: list[str] = []
    for text in periods:
        period = parse_period(text)
        if period is None:
            raise TemplateError(f'"{text}" is not a period: write it as {FORMS}.')
        if period.label not in labels:
            labels.append(period.label)
    if len(",".join(labels)) > _MAX_LIST:
        raise TemplateError("Too many periods for one list in Excel: give fewer with --periods.")
    target = out.resolve()
    if target == raw.resolve() or raw.resolve() in target.parents:
        raise TemplateError(
            f"{out} is the raw data folder, which only holds finished files: write the template "
            "elsewhere (--out), fill it in, then put it there."
        )
    currencies = ["USD", *(c for c in get_territory_currencies(country.alpha_2) if c != "USD")]
    data = template_workbook(country, labels, currencies, Formatter(lang), _stamp())
    path = target / template_name(country.slug)
    write_atomic(path, data)
    return path
