"""The template workbook an officer fills in: headers, Excel's own checks and instructions,
all generated from the data dictionary (the accepted headers, the pandera model, the ceilings).

Written with XlsxWriter, to bytes (the run stage writes the file). No cell holds a formula:
a formula written by a library has no stored value until Excel recalculates, and the reader
refuses such cells. The brief computes totals, so the sheet needs none.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipeline import config
from pipeline.check.schemas import TerritoryInput
from pipeline.core.countries import Country
from pipeline.core.formatting import Formatter
from pipeline.core.registry import CEILINGS
from pipeline.read.columns import COUNTS, REQUIRED
from pipeline.read.header_forms import template_header

#: Rows that carry Excel's checks: as many as a country file may hold.
ROWS = config.MAX_DATA_ROWS


@dataclass(frozen=True)
class TemplateColumn:
    """One column of the template: its header, what Excel checks, and what to write."""

    name: str  #: canonical column
    header: str  #: in the officer's language
    kind: str  #: "text", "count", "decimal" or "list"
    width: float
    required: bool
    what: str  #: what the column holds (the data dictionary's description, translated)
    rule: str  #: what Excel accepts, in words
    choices: tuple[str, ...] = ()
    maximum: float | None = None


def _description(name: str, fmt: Formatter) -> str:
    """The data dictionary's description of a column, in the officer's language."""
    if name == "currency":
        return fmt._("Currency of the value, as an ISO 4217 code; blank means US dollars")
    column = TerritoryInput.to_schema().columns[name]
    return fmt._(str(column.description))


def template_columns(
    country: Country, periods: list[str], currencies: list[str], fmt: Formatter
) -> list[TemplateColumn]:
    """The template's columns in order: the data dictionary's, with periods when asked for."""
    lang = fmt.locale
    names = ["territory", *(["period"] if periods else []), *REQUIRED[1:], "currency", "notes"]
    columns = []
    for name in names:
        header = template_header(name, lang)
        what = _description(name, fmt)
        required = name in REQUIRED or (name == "period" and bool(periods))
        if name in COUNTS:
            ceiling = CEILINGS[name]
            rule = fmt._("A whole number from 0 to {most}.").format(most=fmt.number(ceiling))
            column = TemplateColumn(name, header, "count", 14, required, what, rule, (), ceiling)
        elif name == "volume_sold_t":
            ceiling = CEILINGS[name]
            rule = fmt._("A number of tonnes from 0 to {most}; decimals are fine.").format(
                most=fmt.number(ceiling)
            )
            column = TemplateColumn(name, header, "decimal", 16, required, what, rule, (), ceiling)
        elif name == "value_usd":
            rule = fmt._(
                "A number from 0 in the row's currency (its Currency cell; blank means US "
                "dollars), converted to US dollars for the brief; decimals are fine."
            )
            column = TemplateColumn(name, header, "decimal", 16, required, what, rule)
        elif name == "currency":
            rule = fmt._("One of {codes}, or blank for US dollars.").format(
                codes=", ".join(currencies)
            )
            column = TemplateColumn(name, header, "list", 11, False, what, rule, tuple(currencies))
        elif name == "period":
            rule = fmt._("One of {periods}.").format(periods=", ".join(periods))
            column = TemplateColumn(name, header, "list", 12, True, what, rule, tuple(periods))
        else:
            width = {"territory": 24, "products": 36, "notes": 40}[name]
            rule = fmt._("Text.")
            column = TemplateColumn(name, header, "text", width, required, what, rule)
        columns.append(column)
    return columns


def _validation(column: TemplateColumn, fmt: Formatter) -> dict[str, Any]:
    """Excel's data validation for a column: what it accepts and what it says otherwise."""
    title = column.header[:32]  # Excel's limit for these titles
    common = {
        "input_title": title,
        "input_message": column.rule[:255],
        "error_title": title,
        "error_message": (column.rule + " " + fmt._("Leave it blank if not reported."))[:255],
        "ignore_blank": True,
    }
    if column.kind == "list":
        return {**common, "validate": "list", "source": list(column.choices)}
    kind = "integer" if column.kind == "count" else "decimal"
    if column.maximum is None:
        return {**common, "validate": kind, "criteria": ">=", "value": 0}
    return {
        **common,
        "validate": kind,
        "criteria": "between",
        "minimum": 0,
        "maximum": column.maximum,
    }


def template_workbook(
    country: Country,
    periods: list[str],
    currencies: list[str],
    fmt: Formatter,
    created: datetime,
) -> bytes:
    """The template as .xlsx bytes: the country's sheet, then an Instructions sheet."""
    import xlsxwriter

    columns = template_columns(country, periods, currencies, fmt)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(
        {
            "title": fmt._("{country}: monitoring data").format(country=fmt.country_name(country)),
            "author": "Impact Briefs",
            "created": created,
        }
    )
    header = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEF3F7", "border": 1}
    )
    formats = {
        "text": book.add_format({"num_format": "@"}),
        "list": book.add_format({"num_format": "@"}),
        "count": book.add_format({"num_format": "#,##0"}),
        "decimal": book.add_format({"num_format": "General"}),
    }
    # The sheet is named after the country: the reader chooses it by that name.
    sheet = book.add_worksheet(country.name[:31])
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width, formats[column.kind])
        sheet.write_string(0, index, column.header, header)
        if column.kind != "text":
            sheet.data_validation(1, index, ROWS, index, _validation(column, fmt))
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 32)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # printed: one page wide
    sheet.repeat_rows(0)
    sheet.activate()
    _instructions(book, columns, country, fmt)
    book.close()
    return buffer.getvalue()


def _instructions(
    book: Any, columns: list[TemplateColumn], country: Country, fmt: Formatter
) -> None:
    """The Instructions sheet: how to fill the table, then one row per column."""
    sheet = book.add_worksheet(fmt._("Instructions")[:31])
    book.set_custom_property(config.INSTRUCTIONS_PROPERTY, sheet.name)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    title = book.add_format({"bold": True, "font_size": 14})
    widths = (24, 12, 50, 50)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    name = fmt.country_name(country)
    sheet.write_string(
        0, 0, fmt._("How to fill in the {country} table").format(country=name), title
    )
    steps = [
        fmt._("Write one row per territory (and per period) on the sheet {sheet}.").format(
            sheet=country.name[:31]
        ),
        fmt._("Leave a figure blank when it was not reported: 0 means none."),
        fmt._("Write numbers only, without units or words; each column gives its unit."),
        fmt._("Write no formulas: the brief computes the totals. A Totals row is optional."),
        fmt._("Save the workbook as {file} in the data/raw folder, then run make report.").format(
            file=f"{country.slug}.xlsx"
        ),
    ]
    for row, step in enumerate(steps, start=2):
        sheet.write_string(row, 0, f"{row - 1}.", wrap)
        sheet.merge_range(row, 1, row, 3, step, wrap)
        sheet.set_row(row, _height(step, sum(widths[1:])))
    top = len(steps) + 3
    for index, label in enumerate(
        [fmt._("Column"), fmt._("Required"), fmt._("What it holds"), fmt._("What to write")]
    ):
        sheet.write_string(top, index, label, bold)
    for row, column in enumerate(columns, start=top + 1):
        sheet.set_row(row, max(_height(t, w) for t, w in ((column.what, 50), (column.rule, 50))))
        sheet.write_string(row, 0, column.header, bold)
        sheet.write_string(row, 1, fmt._("yes") if column.required else fmt._("no"), wrap)
        sheet.write_string(row, 2, column.what, wrap)
        sheet.write_string(row, 3, column.rule, wrap)


def _height(text: str, width: float) -> float:
    """A row's height for wrapped text: spreadsheet programs do not grow merged rows."""
    lines = -(-len(text) * 11 // int(width * 10))  # about 1.1 characters per width unit
    return 15.0 * max(1, lines)
