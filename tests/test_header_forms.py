"""The data dictionary's accepted headers, in every language: each reads one column only."""

import pytest

from pipeline.core.names import fold
from pipeline.read.columns import ALIASES, OPTIONAL, REQUIRED, canonical_name, label_key
from pipeline.read.header_forms import HEADER_FORMS, HEADER_LANGUAGES, template_header


def test_every_column_has_a_header_in_every_language() -> None:
    assert set(HEADER_FORMS) == set(REQUIRED) | set(OPTIONAL)
    for column, forms in HEADER_FORMS.items():
        for lang in HEADER_LANGUAGES:
            assert forms.get(lang), f"{column} has no {lang} header"


def test_no_header_form_names_two_columns() -> None:
    owner: dict[str, str] = {}
    for column, forms in HEADER_FORMS.items():
        for form in (f for lang_forms in forms.values() for f in lang_forms):
            key = label_key(form)
            assert owner.setdefault(key, column) == column, (form, owner[key], column)
            assert key != fold(next(iter(set(HEADER_FORMS) - {column})))


@pytest.mark.parametrize("lang", HEADER_LANGUAGES)
def test_every_form_reads_as_its_column(lang: str) -> None:
    for column, forms in HEADER_FORMS.items():
        for form in forms[lang]:
            assert canonical_name(form) == column, form
            assert canonical_name(form.upper()) == column, form
        assert canonical_name(template_header(column, lang)) == column


@pytest.mark.parametrize(
    ("label", "column"),
    [
        ("Territoire", "territory"),
        ("Ménages ciblés", "target_households"),
        ("MENAGES CIBLES", "target_households"),
        ("Population cible (nombre de ménages)", "target_households"),
        ("Produits", "products"),
        ("Groupements de producteurs", "pmgs"),
        ("Membres", "members"),
        ("Volume vendu (t)", "volume_sold_t"),
        ("Valeur (US$)", "value_usd"),
        ("Période", "period"),
        ("Devise", "currency"),
        ("Remarques", "notes"),
        ("Hogares meta", "target_households"),
        ("Volumen vendido (t)", "volume_sold_t"),
        ("Agregados familiares-alvo", "target_households"),
        ("Observações", "notes"),
    ],
)
def test_french_spanish_and_portuguese_headers_read(label: str, column: str) -> None:
    assert canonical_name(label) == column


def test_the_reader_and_the_table_agree() -> None:
    for column, forms in HEADER_FORMS.items():
        assert set(ALIASES[column]) == {f for fs in forms.values() for f in fs}
