"""A claim's marks, exactly: what the web edition, the lineage table and the tests read."""

from __future__ import annotations

import math
from dataclasses import replace

from markupsafe import Markup

from pipeline.compute.figures import make_figure
from pipeline.core.figure import Coverage, Flag
from pipeline.core.formatting import Formatter
from pipeline.present.claims import (
    cell_marks,
    change_claim,
    claim,
    count,
    coverage_text,
    linked,
    linked_ids,
    markup_list,
    period,
    qualified,
    qualified_in_brackets,
    qualifier,
    say,
    say_n,
    star,
)

EN = Formatter()
ALL = Coverage(3, 3)
SOME = Coverage(2, 3)
VALUE = make_figure("KEN", "value_usd", 1234.0, ALL, "2004")
PARTIAL = make_figure("KEN", "value_usd", 1234.0, SOME, "2004")


def test_a_claim_names_its_figure() -> None:
    assert str(claim(VALUE, EN)) == (
        '<data class="figure" value="1234.0" data-figure="KEN.value_usd.total.2004" '
        'data-indicator="value_usd" data-decimals="0">US$1,234</data>'
    )
    volume = make_figure("KEN", "volume_sold_t", 12.5, ALL, "2004")
    assert ">12.5 t</data>" in str(claim(volume, EN))
    assert ">12.5</data>" in str(claim(volume, EN, bare=True))


def test_a_claim_without_a_value_is_a_dash_and_no_figure() -> None:
    gap = make_figure("KEN", "value_usd", math.nan, Coverage(0, 3), "2004")
    assert str(claim(gap, EN)) == "–"
    assert str(qualified(gap, EN)) == "–"


def test_coverage_is_said_only_when_partial() -> None:
    assert coverage_text(VALUE, EN) == ""
    assert coverage_text(PARTIAL, EN) == "2 of 3 reporting"
    assert coverage_text(make_figure("KEN", "pmgs", 5.0, Coverage(1234, 2000)), EN) == (
        "1,234 of 2,000 reporting"
    )
    assert str(qualifier(VALUE, EN)) == ""


def test_a_qualifier_is_marked_with_its_figure() -> None:
    assert str(qualifier(PARTIAL, EN)) == (
        '<span class="qualifier" data-for="KEN.value_usd.total.2004">(2 of 3 reporting)</span>'
    )
    assert str(qualifier(PARTIAL, EN, parentheses=False)) == (
        '<span class="qualifier" data-for="KEN.value_usd.total.2004">2 of 3 reporting</span>'
    )
    assert str(qualified(PARTIAL, EN)).endswith(
        'US$1,234</data> <span class="qualifier" '
        'data-for="KEN.value_usd.total.2004">'
        "(2 of 3 reporting)</span>"
    )
    assert str(qualified_in_brackets(PARTIAL, EN)).endswith(
        '</data>, <span class="qualifier" data-for="KEN.value_usd.total.2004">'
        "2 of 3 reporting</span>"
    )
    assert str(qualified_in_brackets(VALUE, EN)) == str(claim(VALUE, EN))


def test_a_flagged_figure_says_so_and_what_it_would_be_without() -> None:
    plain = Flag("price-outlier", "Tana River", 4, "too dear")
    flagged = make_figure("KEN", "value_usd", 1234.0, SOME, "2004")
    flagged = replace(flagged, flags=(plain,))
    assert "(2 of 3 reporting; flagged)</span>" in str(qualifier(flagged, EN))
    without = make_figure("KEN", "value_usd", 234.0, SOME, "2004", "without Tana River")
    flags = (
        Flag("price-outlier", "Tana River", 4, "", without),
        Flag("price-outlier", "Igembe", 5, "", without),
    )
    total = replace(VALUE, flags=flags)
    text = str(qualifier(total, EN))
    assert text.startswith('<span class="qualifier" data-for="KEN.value_usd.total.2004">(')
    assert ">US$234</data> without Igembe and Tana River, flagged)</span>" in text


def test_a_star_marks_a_territory_own_flag_only() -> None:
    flag = Flag("price-outlier", "Tana River", 4, "too dear")
    own = make_figure("KEN", "value_usd", 5.0, Coverage(1, 1), "2004", "Tana River")
    starred = replace(own, flags=(flag,))
    assert str(star(starred)) == (f'<sup class="qualifier" data-for="{own.id}">*</sup>')
    assert str(star(own)) == ""
    total = replace(VALUE, flags=(flag,))
    assert str(star(total)) == ""
    without = Flag("price-outlier", "Tana River", 4, "", VALUE)
    assert str(star(replace(own, flags=(without,)))) == ""


def test_sentences_escape_their_words_not_their_marks() -> None:
    said = say(EN, "{a} and {b}", a="<b>", b=Markup("<i>x</i>"))
    assert str(said) == "&lt;b&gt; and <i>x</i>"
    assert str(say_n(EN, "{n} group", "{n} groups", 1, n=1)) == "1 group"
    assert str(say_n(EN, "{n} group", "{n} groups", 2, n=2)) == "2 groups"
    assert str(markup_list([Markup("A")], EN)) == "A"
    assert str(markup_list([Markup("A"), Markup("B")], EN)) == "A and B"
    assert str(markup_list([Markup("A"), Markup("B"), Markup("<i>C</i>")], EN)) == (
        "A, B and <i>C</i>"
    )


def test_periods_changes_and_counts_are_marked_as_such() -> None:
    assert str(period("2004-Q1")) == '<span class="period">2004-Q1</span>'
    assert str(change_claim(0.25, EN)) == '<data class="change" value="0.25">25%</data>'
    assert str(count(1234, EN)) == '<data class="count" value="1234">1,234</data>'


def test_a_table_cell_is_marked_as_its_figure_and_a_gap_is_not() -> None:
    assert str(cell_marks(VALUE)) == (
        ' class="figure" data-value="1234.0" data-figure="KEN.value_usd.total.2004" '
        'data-indicator="value_usd" data-decimals="0"'
    )
    volume = make_figure("KEN", "volume_sold_t", 12.5, ALL, "2004")
    assert 'data-value="12.5"' in str(cell_marks(volume))
    assert 'data-decimals="1"' in str(cell_marks(volume))
    gap = make_figure("KEN", "value_usd", math.nan, Coverage(0, 3), "2004")
    assert str(cell_marks(gap)) == ""


def test_a_stated_figure_links_to_its_appendix_entry_and_nothing_else_changes() -> None:
    volume = make_figure("KEN", "volume_sold_t", 12.5, ALL, "2004")
    text = say(EN, "{a} & {b} sold <here>", a=claim(VALUE, EN), b=claim(volume, EN))
    out = str(linked(text, {VALUE.id}))
    assert out == (
        f'<a class="figure-link" href="#how-{VALUE.id}">{claim(VALUE, EN)}</a> &amp; '
        f"{claim(volume, EN)} sold &lt;here&gt;"
    )
    assert str(linked("Tana River <b>", {VALUE.id})) == "Tana River &lt;b&gt;"
    both = linked(text, {VALUE.id, volume.id})
    assert linked_ids([linked(claim(volume, EN), {volume.id}), both, out]) == [
        volume.id,
        VALUE.id,
    ]
    assert linked_ids([text]) == []
