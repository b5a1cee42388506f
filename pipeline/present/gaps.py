"""What a brief says about figures that were not reported: partial totals, gaps, left-out bars."""

from __future__ import annotations

import pandas as pd

from pipeline.compute.indicators import CountrySummary
from pipeline.core.figure import Figure
from pipeline.core.formatting import Formatter, isolated
from pipeline.core.registry import INDICATORS
from pipeline.present.charts import short_labels
from pipeline.read.columns import NUMERIC

#: Names listed in a sentence before "and N others".
NAMES_LISTED = 5


def figure_name(name: str, fmt: Formatter) -> str:
    """A figure's name inside a sentence, in the brief's language (the registry's)."""
    return fmt._(INDICATORS[name].in_sentence)


def capitalised(text: str) -> str:
    """Text with its first letter in capitals and the rest as written ("PMGs" stays)."""
    return text[:1].upper() + text[1:]


def names_list(names: list[str], fmt: Formatter) -> str:
    """A, B and C; past NAMES_LISTED names, "A, B, C, D, E and 3 others"."""
    shown = names if len(names) <= NAMES_LISTED else names[:NAMES_LISTED]
    rest = len(names) - len(shown)
    if rest:
        return fmt.ngettext("{names} and {n} other", "{names} and {n} others", rest).format(
            names=", ".join(shown), n=fmt.number(rest)
        )
    if len(shown) == 1:
        return shown[0]
    return fmt._("{names} and {last}").format(names=", ".join(shown[:-1]), last=shown[-1])


def reporting_note(s: CountrySummary, name: str, fmt: Formatter) -> str:
    """ "2 of 3 reporting" under a partial total or ratio; "" when every territory reported."""
    if not s.partial(name):
        return ""
    return fmt._("{n} of {total} reporting").format(
        n=fmt.number(s.reporting[name]), total=fmt.number(s.territories)
    )


def coverage_note(f: Figure, fmt: Formatter) -> str:
    """ "2 of 3 reporting" beside a partial figure; "" when it covers all it should."""
    if not f.partial:
        return ""
    return fmt._("{n} of {total} reporting").format(
        n=fmt.number(f.coverage.reporting), total=fmt.number(f.coverage.total)
    )


def undefined_note(f: Figure, fmt: Formatter) -> str:
    """Why a ratio has no value: a side not reported, or a divisor of 0."""
    if f.coverage.missing or f.spec.denominator is None:
        return fmt._("not reported")
    return fmt._("not computed: the {figure} total is zero").format(
        figure=figure_name(f.spec.denominator, fmt)
    )


def not_reported_notes(ind: pd.DataFrame, fmt: Formatter) -> list[str]:
    """One line per figure that some territories did not report, naming them."""
    out = []
    for column in NUMERIC:
        if column not in ind:
            continue  # members by sex and age, when the file does not give them
        missing = ind[ind[column].isna()]
        if missing.empty:
            continue
        figure = capitalised(figure_name(column, fmt))
        if len(missing) == len(ind):
            out.append(fmt._("{figure}: not reported by any territory.").format(figure=figure))
        else:
            out.append(
                fmt._("{figure}: not reported by {names} ({n} of {total} territories).").format(
                    figure=figure,
                    names=names_list([isolated(t) for t in missing["territory"]], fmt),
                    n=fmt.number(len(missing)),
                    total=fmt.number(len(ind)),
                )
            )
    return out


def chart_gaps(
    ind: pd.DataFrame, needs: tuple[str, ...], divisor: str | None, fmt: Formatter
) -> tuple[pd.Index, str]:
    """The rows a chart can draw (every figure in `needs` reported, `divisor` above 0), and
    one line saying which were left out and why ("" when none was), named as on the chart."""
    drawable, reasons = chart_gap_reasons(ind, needs, divisor, fmt)
    if not reasons:
        return drawable, ""
    template = fmt._("Not drawn: {reasons}.") if drawable.empty else fmt._("Left out: {reasons}.")
    return drawable, template.format(reasons=reasons)


def chart_gap_reasons(
    ind: pd.DataFrame, needs: tuple[str, ...], divisor: str | None, fmt: Formatter
) -> tuple[pd.Index, str]:
    """The rows a chart can draw, and why the others cannot be drawn ("members not
    reported for Gulu; PMGs is 0 for Lira"; "" when every row can)."""
    reasons: dict[str, list[str]] = {}
    drawable = []
    short = short_labels(ind["territory"])  # the names the chart labels its bars with
    for line, row in ind.iterrows():
        absent = [c for c in needs if pd.isna(row[c])]
        if absent:
            reasons.setdefault(absent[0], []).append(isolated(short[str(row["territory"])]))
        elif divisor is not None and not row[divisor] > 0:
            reasons.setdefault(f"0:{divisor}", []).append(isolated(short[str(row["territory"])]))
        else:
            drawable.append(line)
    parts = []
    for reason, names in reasons.items():
        zero = reason.startswith("0:")
        figure = figure_name(reason.removeprefix("0:"), fmt)
        if len(names) == len(ind):
            text = fmt._("{figure} is 0 throughout") if zero else fmt._("{figure} not reported")
            parts.append(text.format(figure=figure))
        else:
            text = (
                fmt._("{figure} is 0 for {names}")
                if zero
                else fmt._("{figure} not reported for {names}")
            )
            parts.append(text.format(figure=figure, names=names_list(names, fmt)))
    return pd.Index(drawable), "; ".join(parts)
