"""Long names in running text: whole at their first mention, a short form after it.

A 100-character territory name written out three times fills a third of the key findings.
Sentences carry every name inside bidi isolates (formatting.isolated), so a name can be found
exactly, whatever the sentence's wording or language, and its later mentions shortened to the
form the charts label it with (charts.short_labels), which the reader has already met.
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape

from pipeline.core.formatting import isolated
from pipeline.present.charts import short_labels


def shorten_repeats(sentences: list[Markup], names: Iterable[object]) -> list[Markup]:
    """`sentences` with each long name whole where it first appears and short afterwards.

    A name is shortened only when no other name has the same short form. Sentences are
    markup (`claims.say`): a name is found as the sentence writes it, escaped.
    """
    forms = short_labels(names)  # no two alike
    out = list(sentences)
    for name in sorted(n for n, form in forms.items() if form != n):
        whole, short = escape(isolated(name)), escape(isolated(forms[name]))
        seen = False
        for i, sentence in enumerate(out):
            if whole not in sentence:
                continue
            if seen:
                out[i] = sentence.replace(whole, short)
            else:
                head, _, tail = sentence.partition(whole)
                out[i] = head + whole + tail.replace(whole, short)
                seen = True
    return out
