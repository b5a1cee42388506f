"""The appendix "How each figure was made": one entry per figure the brief links to it.

Each headline tile, table total and key-finding figure is a link (`claims.linked`) to its
entry: the figure's ID, its formula in words and as an expression, its inputs summarised
("4 cells: kenya.csv, lines 3–6, column Value (in US$)"), the conversions applied, what it
leaves out, and the attached lineage table that lists every cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.compute.lineage import FLAGGED, InputCell, Lineage
from pipeline.core.formatting import Formatter
from pipeline.core.registry import N_, decimals_needed
from pipeline.present.claims import anchor


def line_ranges(lines: Iterable[int]) -> str:
    """Lines as ranges: [3, 4, 5, 6] -> "3–6"; [3, 5, 6] -> "3, 5–6"."""
    ordered = sorted(set(lines))
    runs: list[list[int]] = []
    for line in ordered:
        if runs and line == runs[-1][-1] + 1:
            runs[-1].append(line)
        else:
            runs.append([line])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _inputs(lineage: Lineage, file: str, fmt: Formatter) -> list[str]:
    """The inputs summarised, one phrase per column (and per figure used as an input)."""
    groups: dict[tuple[str, str], list[InputCell]] = {}
    figures: list[str] = []
    for i in lineage.inputs:
        if i.cell is not None:
            groups.setdefault((i.cell.cited or file, i.cell.column), []).append(i.cell)
        elif i.figure and i.figure not in figures:
            figures.append(i.figure)
    out = []
    for (cited, column), cells in groups.items():
        lines = {c.line for c in cells}
        out.append(
            fmt.ngettext(
                "{n} cell: {file}, line {lines}, column {column}",
                "{n} cells: {file}, lines {lines}, column {column}",
                len(cells),
            ).format(
                n=fmt.number(len(cells)),
                file=cited,
                lines=line_ranges(lines) if len(lines) > 1 else min(lines),
                column=column,
            )
        )
    out += [fmt._("the figure {id}").format(id=f) for f in figures]
    return out


def _conversions(lineage: Lineage, fmt: Formatter) -> list[str]:
    """Each conversion applied to the inputs, once."""
    out: dict[str, None] = {}
    for cell in lineage.cells:
        if cell.factor != 1:
            text = fmt._("{column}: each figure multiplied by {factor}, exactly").format(
                column=cell.column, factor=f"{cell.factor.normalize():f}"
            )
            out[text] = None
        rate = cell.conversion
        if rate is not None:
            where = (
                fmt._("exchange_rates.csv, line {line}").format(line=rate.line)
                if rate.line is not None
                else "exchange_rates.csv"
            )
            text = fmt._("converted to US$ at {rate} {currency} per US$ ({where})").format(
                rate=fmt.number(rate.rate, decimals_needed([rate.rate], 4)),
                currency=rate.currency,
                where=where,
            )
            out[text] = None
    return list(out)


#: The kind of a figure set in targets.csv, by the last part of its ID (msgids).
_KINDS = {"target": N_("Target"), "baseline": N_("Baseline")}


def _title(lineage: Lineage, country: str, fmt: Formatter) -> str:
    """The figure's name: its indicator, whose it is and its period."""
    f = lineage.figure
    without = any(x.why == FLAGGED for x in lineage.left_out)
    whose = country if without or not f.territory else f.territory
    parts = [fmt._(f.spec.label), whose, f.period]
    # A target's or baseline's figure is in its indicator's unit: its kind says which it is.
    kind = f.id.rsplit(".", 1)[-1]
    if kind in _KINDS:
        parts.insert(1, fmt._(_KINDS[kind]))
    if without:
        names = sorted({x.territory for x in lineage.left_out if x.why == FLAGGED})
        parts.append(fmt._("without {names}").format(names=fmt._(" and ").join(names)))
    return " · ".join(p for p in parts if p)


def _one_line(text: str) -> str:
    """The text with each line break a space, as a browser shows it: an entry keeps its text
    as written (white-space: pre-line), whose one line break is the template's, after the
    title; a header written over two lines must not start a third."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


def appendix_entries(
    lineages: Sequence[Lineage],
    ids: Iterable[str],
    file: str,
    country: str,
    fmt: Formatter,
) -> list[dict[str, Any]]:
    """The entries of the figures `ids`, in that order; `file` is the country file as the
    brief cites it ("kenya.csv", "kenya.xlsx [Kenya]")."""
    by_id = {lineage.figure.id: lineage for lineage in lineages}
    entries = []
    for figure_id in ids:
        lineage = by_id.get(figure_id)
        if lineage is None:
            continue
        entries.append(
            {
                "anchor": anchor(figure_id),
                "id": figure_id,
                "title": _one_line(_title(lineage, country, fmt)),
                "shown": _one_line(fmt.figure(lineage.figure)),
                "formula": _one_line(lineage.formula(fmt)),
                "expression": _one_line(lineage.expression),
                "inputs": [_one_line(t) for t in _inputs(lineage, file, fmt)],
                "conversions": [_one_line(t) for t in _conversions(lineage, fmt)],
                "left_out": [_one_line(x.text(fmt)) for x in lineage.left_out],
            }
        )
    return entries
