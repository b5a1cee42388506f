"""The tables of a brief as the page sets them: column headings and fixed column widths.

Headings are written here, once, so that the widths planned from them (table_layout) are
the widths of the words the template prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from pipeline.core.formatting import Formatter
from pipeline.core.registry import DERIVED, INDICATORS, REPORTED
from pipeline.present.table_layout import (
    BODY_PT,
    COMPARE_PADDING_MM,
    HEADER_PT,
    PADDING_MM,
    Column,
    Plan,
    number_column,
    plan,
    roomy,
    text_column,
)

#: A bar beside "% achieved" (templates/brief.css, table.results .bar) and the gap before it.
BAR_MM = 13.0 + 1.5


def _literal(text: str) -> str:
    """A message whose "%" is written "%%": its msgid is shared with the templates, where
    gettext formats every message, so both read the same translation."""
    return text.replace("%%", "%")


def heading(label: str, unit: str = "", css: str = "") -> dict[str, str]:
    """A column heading: its label, its unit (muted, never split) and its CSS class."""
    return {"label": label, "unit": unit, "class": css}


def figure_heading(name: str, fmt: Formatter) -> dict[str, str]:
    """The heading of an indicator's column: its label and unit from the registry."""
    spec = INDICATORS[name]
    return heading(fmt._(spec.header), _literal(fmt._(spec.header_unit)))


def visible(text: object) -> str:
    """What a cell shows: its text without the marks that name its figures."""
    return Markup(text).striptags() if isinstance(text, Markup) else str(text)


def _pieces(h: dict[str, str]) -> list[str]:
    """Where a heading may wrap: between the words of its label; its unit is one piece."""
    return [*h["label"].split(), *([h["unit"]] if h["unit"] else [])]


def _numbers(rows: Sequence[dict[str, Any]], key: str, i: int) -> tuple[list[str], list[str]]:
    cells = [r[key][i] for r in rows]
    return [visible(c["text"]) for c in cells], [visible(c["note"]) for c in cells if c["note"]]


def _layout(
    headers: list[dict[str, str]], columns: list[Column], compare: bool = False
) -> dict[str, Any]:
    """Headings, widths and style of a table; `compare`: an overview table (table.compare:
    7.5 pt text, narrower padding; table.numbers: 8 pt; templates/brief.css)."""
    laid: Plan = plan(columns, pad=COMPARE_PADDING_MM if compare else PADDING_MM)
    style = laid.style(HEADER_PT if compare else BODY_PT)
    return {"headers": headers, "widths": list(laid.widths), "style": style}


def _territory_texts(rows: Sequence[dict[str, Any]]) -> list[str]:
    return [str(r["territory"]) + ("*" if r["flagged"] else "") for r in rows]


def impact_table(
    rows: Sequence[dict[str, Any]],
    totals: Sequence[dict[str, Any]],
    target_columns: Sequence[str],
    target_cells: dict[str, list[str]],
    fmt: Formatter,
    names: Sequence[str] = REPORTED,
) -> dict[str, Any]:
    """Headings and widths of "Impact by territory", and whether its target columns show.

    Territory targets are also rows of "Results against targets": when their columns would
    crowd the figures, names and products, the table leaves them to it and says so.
    """
    headers = [
        heading(fmt._("Territory"), css="text name"),
        heading(fmt._("Products"), css="text"),
        *(figure_heading(n, fmt) for n in names),
    ]
    products = [
        ", ".join(p["name"] + (f" ({p['note']})" if p["note"] else "") for p in r["products"])
        for r in rows
    ]
    columns = [
        text_column([*_territory_texts(rows), fmt._("Total")], _pieces(headers[0]), bold=True),
        text_column(products, _pieces(headers[1]), size=HEADER_PT),
    ]
    for i, h in enumerate(headers[2:]):
        cells, notes = _numbers(rows, "numbers", i)
        total = totals[i]
        columns.append(
            number_column(
                [*cells, visible(total["text"])], _pieces(h), [*notes, visible(total["note"])]
            )
        )
    extra = [heading(c, css="target") for c in target_columns]
    extra_columns = [
        number_column(
            [visible(cells[i]) for cells in target_cells.values()], _pieces(h), split=True
        )
        for i, h in enumerate(extra)
    ]
    with_targets = bool(extra) and roomy([*columns, *extra_columns])
    if with_targets:
        headers, columns = [*headers, *extra], [*columns, *extra_columns]
    return {
        **_layout(headers, columns),
        "targets": with_targets,
        "targets_elsewhere": bool(extra) and not with_targets,
    }


def indicators_table(
    rows: Sequence[dict[str, Any]],
    totals: Sequence[dict[str, Any]],
    country: str,
    fmt: Formatter,
    names: Sequence[str] = DERIVED,
) -> dict[str, Any]:
    """Headings and widths of "Indicators by territory"."""
    headers = [
        heading(fmt._("Territory"), css="text name"),
        *(figure_heading(n, fmt) for n in names),
    ]
    columns = [text_column([*_territory_texts(rows), country], _pieces(headers[0]), bold=True)]
    for i, h in enumerate(headers[1:]):
        cells, notes = _numbers(rows, "indicators", i)
        total = totals[i]
        columns.append(
            number_column(
                [*cells, visible(total["text"])], _pieces(h), [*notes, visible(total["note"])]
            )
        )
    return _layout(headers, columns)


def trend_table(rows: Sequence[dict[str, Any]], fmt: Formatter) -> dict[str, Any]:
    """Headings and widths of "Country totals by period"."""
    headers = [
        heading(fmt._("Period"), css="text"),
        heading(fmt._("Territories"), fmt._("(no.)")),
        heading(fmt._("PMGs"), fmt._("(no.)")),
        heading(fmt._("Members"), fmt._("(no.)")),
        heading(fmt._("Volume sold"), "(t)"),
        heading(fmt._("Value"), fmt._("(US$)")),
        heading(fmt._("Growth in members"), "(%)"),
        heading(fmt._("Growth in value"), "(%)"),
    ]
    columns = [number_column([str(r["period"]) for r in rows], _pieces(headers[0]))]
    for i, h in enumerate(headers[1:]):
        cells, notes = _numbers(rows, "numbers", i)
        columns.append(number_column(cells, _pieces(h), notes))
    return _layout(headers, columns)


def results_table(
    rows: Sequence[dict[str, Any]], periods: Sequence[str], fmt: Formatter
) -> dict[str, Any]:
    """Headings and widths of "Results against targets"."""
    several = len(periods) > 1
    headers = [
        heading(fmt._("Indicator"), css="text"),
        *([heading(fmt._("Period"), css="text")] if several else []),
        heading(fmt._("Baseline")),
        heading(fmt._("Target")),
        heading(fmt._("Actual")),
        heading(fmt._("Change from baseline")),
        heading(fmt._("Progress from baseline")),
        heading(_literal(fmt._("%% achieved")), css="achieved"),
    ]
    labels = [r["indicator"] + (f", {r['territory']}" if r["territory"] else "") for r in rows]
    columns = [text_column(labels, _pieces(headers[0]), bold=True)]
    if several:
        columns.append(number_column([r["period"] for r in rows], _pieces(headers[1])))
    for key, h in zip(
        ("baseline", "target", "actual", "change", "progress"), headers[-6:-1], strict=True
    ):
        notes = [visible(r["actual_note"]) for r in rows if r.get("actual_note")]
        columns.append(
            number_column(
                [visible(r[key]) for r in rows], _pieces(h), notes if key == "actual" else []
            )
        )
    columns.append(
        number_column(
            [visible(r["achieved"]) for r in rows], _pieces(headers[-1]), extra_mm=BAR_MM
        )
    )
    return _layout(headers, columns)


def compare_table(
    rows: Sequence[dict[str, Any]],
    totals: Sequence[dict[str, Any]],
    fmt: Formatter,
    columns_shown: Sequence[str],
    periods: bool = True,
) -> dict[str, Any]:
    """Headings and widths of the overview's "Countries compared", whose figures are
    `columns_shown`; its Period column only when some country reports periods (`periods`)."""
    headers = [
        heading(fmt._("Country"), css="text"),
        *([heading(fmt._("Period"), css="text")] if periods else []),
        heading(fmt._("Territories"), fmt._("(no.)")),
        *(figure_heading(n, fmt) for n in columns_shown),
    ]
    columns = [
        text_column(
            [*(str(r["country"]) for r in rows), fmt._("Total")],
            _pieces(headers[0]),
            size=HEADER_PT,
            bold=True,
        ),
    ]
    if periods:
        columns.append(
            number_column([str(r["period"]) for r in rows], _pieces(headers[1]), size=HEADER_PT)
        )
    for i, h in enumerate(headers[len(columns) :]):
        cells, notes = _numbers(rows, "numbers", i)
        total = totals[i]
        columns.append(
            number_column(
                [*cells, visible(total["text"])],
                _pieces(h),
                [*notes, visible(total["note"])],
                size=HEADER_PT,
            )
        )
    return _layout(headers, columns, compare=True)


def achievement_table(matrix: dict[str, Any] | None, fmt: Formatter) -> dict[str, Any]:
    """Headings and widths of the overview's "Results against targets": a column per
    indicator, each cell a % achieved with its bar, and "actual of target" under it."""
    if matrix is None:
        return {"headers": [], "widths": [], "style": ""}
    headers = [
        heading(fmt._("Country"), css="text"),
        *(heading(label, css="achieved") for label in matrix["indicators"]),
    ]
    rows = [*matrix["rows"], *([matrix["total"]] if matrix["total"] else [])]
    names = [str(r.get("country", r.get("label", ""))) for r in rows]
    columns = [text_column(names, _pieces(headers[0]), size=HEADER_PT, bold=True)]
    for i, h in enumerate(headers[1:]):
        cells = [r["cells"][i] for r in rows if r["cells"][i]]
        columns.append(
            number_column(
                [c["achieved"] for c in cells],
                _pieces(h),
                [c["of"] for c in cells],
                size=HEADER_PT,
                extra_mm=BAR_MM,
            )
        )
    return _layout(headers, columns, compare=True)


def status_table(statuses: Sequence[dict[str, Any]], fmt: Formatter) -> dict[str, Any]:
    """Headings and widths of the overview's "Status of every country"."""
    headers = [
        heading(fmt._("Country"), css="text"),
        heading(fmt._("File"), css="text"),
        heading(fmt._("Status"), css="text"),
        heading(fmt._("Period"), css="text"),
        heading(fmt._("Errors")),
        heading(fmt._("Warnings")),
    ]
    keys = ("country", "file", "status", "period")
    columns = [
        text_column([str(s[k]) for s in statuses], _pieces(h), size=HEADER_PT, bold=k == "country")
        for k, h in zip(keys, headers, strict=False)
    ]
    columns += [
        number_column([str(s[k]) for s in statuses], _pieces(h), size=HEADER_PT)
        for k, h in zip(("errors", "warnings"), headers[4:], strict=True)
    ]
    return _layout(headers, columns, compare=True)
