"""Claims: a `Figure` as a document states it, marked up so that it carries its qualifiers.

Every figure in a tile, sentence or table cell is written by `claim`: its text, inside a
`<data>` element that names the figure (its ID, indicator, value and precision). Its
coverage ("2 of 3 reporting") and flags are written by `qualifier`, marked with the ID of the
figure they qualify. The PDF shows only the text; the marks let the web edition, the lineage
table and the tests find every figure and what is said about it.

Sentences are built with `say`, which escapes every part that is not itself marked up (names
come from the officer's files), so a sentence is safe HTML however it is assembled.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable

from markupsafe import Markup, escape

from pipeline.core.figure import Figure
from pipeline.core.formatting import Formatter

#: What the markup of a figure looks like; the tests and the web edition read these names.
FIGURE_CLASS = "figure"
QUALIFIER_CLASS = "qualifier"
PERIOD_CLASS = "period"
CHANGE_CLASS = "change"
COUNT_CLASS = "count"


def claim(f: Figure, fmt: Formatter, bare: bool = False) -> Markup:
    """The figure's text, marked with what it is. "–" when it has no value.

    `bare` leaves out a unit that a table's column heading already gives.
    """
    text = fmt.figure(f, bare)
    if f.missing:
        return escape(text)
    return Markup(
        '<data class="{cls}" value="{value}" data-figure="{id}" data-indicator="{indicator}" '
        'data-decimals="{decimals}">{text}</data>'
    ).format(
        cls=FIGURE_CLASS,
        value=repr(f.value),
        id=f.id,
        indicator=f.indicator,
        decimals=f.decimals,
        text=text,
    )


def cell_marks(f: Figure) -> Markup:
    """A table cell's attributes that make the cell itself the figure's claim, as `claim`
    marks a figure in a sentence; "" for a figure without a value.

    A table has a cell per figure already: an element inside each (a 20-territory brief has
    over 200) would add a tenth to the time WeasyPrint takes to lay out and tag the brief.
    """
    if f.missing:
        return Markup("")
    return Markup(
        ' class="{cls}" data-value="{value}" data-figure="{id}" data-indicator="{indicator}" '
        'data-decimals="{decimals}"'
    ).format(
        cls=FIGURE_CLASS, value=repr(f.value), id=f.id, indicator=f.indicator, decimals=f.decimals
    )


def coverage_text(f: Figure, fmt: Formatter) -> str:
    """ "2 of 3 reporting" for a partial figure; "" when it covers all it should."""
    if not f.partial:
        return ""
    return fmt._("{n} of {total} reporting").format(
        n=fmt.number(f.coverage.reporting), total=fmt.number(f.coverage.total)
    )


def qualifier(f: Figure, fmt: Formatter, parentheses: bool = True) -> Markup:
    """The figure's qualifiers (coverage, then flags), marked with its ID; "" when it has none.

    The figure a flagged total would be without its flagged rows is itself a claim.
    """
    parts: list[Markup] = []
    if coverage := coverage_text(f, fmt):
        parts.append(escape(coverage))
    if f.flags:
        without = next((flag.without for flag in f.flags if flag.without is not None), None)
        if without is None:
            parts.append(escape(fmt._("flagged")))
        else:
            names = sorted({flag.territory for flag in f.flags})
            parts.append(
                say(
                    fmt,
                    "{value} without {territories}, flagged",
                    value=claim(without, fmt),
                    territories=fmt._(" and ").join(names),
                )
            )
    if not parts:
        return Markup("")
    text = Markup("; ").join(parts)
    if parentheses:
        text = Markup("(") + text + Markup(")")
    return Markup('<span class="{cls}" data-for="{id}">{text}</span>').format(
        cls=QUALIFIER_CLASS, id=f.id, text=text
    )


def star(f: Figure) -> Markup:
    """The table's mark of a territory's own flagged figure ("4,000*"), marked as its
    qualifier; the table's note says what it means. Empty for any other figure: a total says
    in words what it covers and what it rests on."""
    if not f.territory or not f.flags or any(flag.without is not None for flag in f.flags):
        return Markup("")
    return Markup('<sup class="{cls}" data-for="{id}">*</sup>').format(
        cls=QUALIFIER_CLASS, id=f.id
    )


def qualified(f: Figure, fmt: Formatter, bare: bool = False) -> Markup:
    """The figure followed by its qualifiers: "1,360 (2 of 3 reporting)"."""
    mark = qualifier(f, fmt)
    return claim(f, fmt, bare) + (Markup(" ") + mark if mark else Markup(""))


def qualified_in_brackets(f: Figure, fmt: Formatter) -> Markup:
    """The figure and its qualifiers for a place already in brackets: "97%, flagged", never
    "97% (flagged)" inside another pair."""
    mark = qualifier(f, fmt, parentheses=False)
    return claim(f, fmt) + (Markup(", ") + mark if mark else Markup(""))


def say(fmt: Formatter, message: str, /, **parts: object) -> Markup:
    """A sentence: `message` in the document's language with its parts put in; parts that are
    not marked up (names, words) are escaped."""
    return escape(fmt._(message)).format(**parts)


def say_n(fmt: Formatter, singular: str, plural: str, count: int, /, **parts: object) -> Markup:
    """A sentence whose words agree with `count` (gettext's plural forms of the language)."""
    return escape(fmt.ngettext(singular, plural, count)).format(**parts)


def period(label: str) -> Markup:
    """A reporting period's label inside a sentence, marked as one (it is not a figure)."""
    return Markup('<span class="{cls}">{label}</span>').format(cls=PERIOD_CLASS, label=label)


def change_claim(share: float, fmt: Formatter) -> Markup:
    """A change between two of a figure's periods (a percentage), marked as one: it is made
    from two figures, which the sentence states."""
    return Markup('<data class="{cls}" value="{value}">{text}</data>').format(
        cls=CHANGE_CLASS, value=repr(share), text=fmt.percent(share)
    )


def markup_list(items: list[Markup], fmt: Formatter) -> Markup:
    """A, B and C, of phrases that carry their own marks."""
    if len(items) == 1:
        return items[0]
    return say(fmt, "{names} and {last}", names=Markup(", ").join(items[:-1]), last=items[-1])


def count(n: int, fmt: Formatter) -> Markup:
    """How many territories (or countries) a sentence speaks of, marked as a count: it is the
    base every "n of m reporting" is counted against, not a reported figure."""
    return Markup('<data class="{cls}" value="{n}">{text}</data>').format(
        cls=COUNT_CLASS, n=n, text=fmt.number(n)
    )


#: Where a figure's entry in the appendix "How each figure was made" is: its ID, prefixed.
ANCHOR_PREFIX = "how-"
LINK_CLASS = "figure-link"
#: A figure as `claim` marks it up (its text is escaped: it holds no "<").
_CLAIMED = re.compile(r'<data class="figure" [^>]*?data-figure="(?P<id>[^"]+)"[^>]*>[^<]*</data>')


def anchor(figure_id: str) -> str:
    """The HTML id of a figure's appendix entry (and the PDF's named destination)."""
    return ANCHOR_PREFIX + figure_id


def link_to(text: Markup | str, figure_id: str) -> Markup:
    """`text` as a link to the appendix entry of the figure `figure_id`."""
    return Markup('<a class="{cls}" href="#{href}">{text}</a>').format(
        cls=LINK_CLASS, href=anchor(figure_id), text=text
    )


def linked(text: Markup | str, known: Container[str]) -> Markup:
    """`text` with every figure it states whose ID is `known` made a link to its appendix
    entry; other text as it was (plain text escaped)."""

    def link(match: re.Match[str]) -> str:
        if match["id"] not in known:
            return match[0]
        return str(link_to(Markup(match[0]), match["id"]))

    return Markup(_CLAIMED.sub(link, str(escape(text))))


def linked_ids(texts: Iterable[Markup | str]) -> list[str]:
    """The IDs of the figures linked in `texts`, each once, in order of first appearance."""
    pattern = re.compile(rf'<a class="{LINK_CLASS}" href="#{ANCHOR_PREFIX}(?P<id>[^"]+)">')
    found = (m["id"] for t in texts for m in pattern.finditer(str(t)))
    return list(dict.fromkeys(found))
