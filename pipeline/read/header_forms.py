"""The headers a country file may give each column, by language: one table for every reader.

This is the data dictionary's list of accepted headers. The header parser reads a column by
any of these forms (compared after folding case, accents, spacing, punctuation and units in
brackets); the template workbook writes the first form of the officer's language. A form
belongs to exactly one column in every language (tested), so that no header can be read two
ways. The canonical column name itself (`target_households`) is always accepted too.

Languages: English (`en`), French (`fr`), Spanish (`es`) and Portuguese (`pt`). The briefs are
written in the languages of `pipeline.core.i18n.LANGUAGES`; the reader accepts headers in all
four, so that a Spanish or Portuguese file reads before its catalog exists.
"""

from __future__ import annotations

#: Column -> language -> header forms; the first form of each language is the one the
#: template writes. Units go in brackets after the name, as in "Volume sold (t)".
HEADER_FORMS: dict[str, dict[str, tuple[str, ...]]] = {
    "territory": {
        "en": (
            "Territory",
            "District",
            "Region",
            "Area",
            "Territories",
            "Districts",
            "Regions",
            "Areas",
        ),
        "fr": ("Territoire", "Zone"),
        "es": ("Territorio", "Distrito", "Región", "Zona"),
        "pt": ("Território", "Distrito", "Região", "Zona"),
    },
    "target_households": {
        "en": (
            "Target households",
            "Target population (no. of households)",
            "Target population",
            "Target HH",
            "Target HHs",
            "Households",
        ),
        "fr": (
            "Ménages cibles",
            "Ménages ciblés",
            "Population cible (nombre de ménages)",
            "Population cible",
            "Ménages",
        ),
        "es": ("Hogares meta", "Hogares objetivo", "Población meta", "Población objetivo"),
        "pt": (
            "Agregados familiares-alvo",
            "Famílias-alvo",
            "População-alvo",
            "Agregados familiares",
        ),
    },
    "products": {
        "en": ("Products", "Product", "Commodities", "Crops"),
        "fr": ("Produits", "Produit", "Cultures"),
        "es": ("Productos", "Producto", "Cultivos"),
        "pt": ("Produtos", "Produto", "Culturas"),
    },
    "pmgs": {
        "en": (
            "PMGs",
            "PMG",
            "Groups",
            "Producer marketing groups",
            "Farmer groups",
            "Farmers' groups",
        ),
        "fr": (
            "GCP",
            "Groupes de commercialisation de producteurs",
            "Groupes de commercialisation",
            "Groupes",
            "Groupements",
            "Groupes de producteurs",
            "Groupements de producteurs",
        ),
        "es": ("Grupos de comercialización", "Grupos", "Grupos de productores"),
        "pt": ("Grupos de comercialização", "Grupos", "Grupos de produtores"),
    },
    "members": {
        "en": ("Members", "Farmers", "Group members", "PMG members"),
        "fr": ("Membres", "Producteurs", "Agriculteurs"),
        "es": ("Miembros", "Socios", "Productores"),
        "pt": ("Membros", "Sócios", "Produtores", "Agricultores"),
    },
    # Members by sex and age (#26): optional. "Members (women)", "Members (female)",
    # "Members (youth)" and "Membres (jeunes)" read too: a sex or age in brackets after a
    # members' header (`columns.SUBGROUP_WORDS`), not a form of its own, as brackets hold units.
    "members_women": {
        "en": ("Women members", "Female members"),
        "fr": ("Membres femmes", "Femmes membres"),
        "es": ("Miembros mujeres", "Mujeres miembros"),
        "pt": ("Membros mulheres", "Mulheres membros"),
    },
    "members_youth": {
        "en": ("Youth members", "Young members"),
        "fr": ("Membres jeunes", "Jeunes membres"),
        "es": ("Miembros jóvenes", "Jóvenes miembros"),
        "pt": ("Membros jovens", "Jovens membros"),
    },
    "volume_sold_t": {
        "en": (
            "Volume sold (t)",
            "Volume sold",
            "Volume",
            "Volumes",
            "Volume sold (mts)",
            "Volume (MT)",
        ),
        "fr": ("Volume vendu (t)", "Quantité vendue"),
        "es": ("Volumen vendido (t)", "Volumen", "Cantidad vendida"),
        "pt": ("Volume vendido (t)", "Volume", "Quantidade vendida"),
    },
    "value_usd": {
        "en": ("Value", "Values", "Value sold", "Value (in US$)", "Value (USD)"),
        "fr": ("Valeur", "Valeur des ventes", "Valeur vendue"),
        "es": ("Valor", "Valor de las ventas", "Valor vendido"),
        "pt": ("Valor", "Valor das vendas"),
    },
    "period": {
        "en": ("Period", "Year", "Reporting period"),
        "fr": ("Période", "Année", "Période de rapport"),
        "es": ("Período", "Año", "Período del informe"),
        "pt": ("Período", "Ano", "Período do relatório"),
    },
    "currency": {
        "en": ("Currency", "Currency code"),
        "fr": ("Devise", "Monnaie", "Code de devise"),
        "es": ("Moneda", "Divisa"),
        "pt": ("Moeda",),
    },
    # A column saying which country each row is of: it must name the file's country.
    "country": {
        # Swahili's "Nchi" is read too: offices in East Africa write it.
        "en": (
            "Country",
            "Country name",
            "Country code",
            "ISO3",
            "ISO",
            "ISO code",
            "ISO2",
            "Nchi",
        ),
        "fr": ("Pays", "Nom du pays", "Code pays"),
        "es": ("País", "Nombre del país"),
        "pt": ("País", "Nome do país"),
    },
    "notes": {
        "en": ("Notes", "Note", "Comments", "Remarks"),
        "fr": ("Remarques", "Commentaires", "Observations"),
        "es": ("Notas", "Comentarios", "Observaciones"),
        "pt": ("Notas", "Observações", "Comentários"),
    },
}
#: Languages whose headers the reader accepts, in the order of the table.
HEADER_LANGUAGES = ("en", "fr", "es", "pt")


def accepted_headers() -> dict[str, tuple[str, ...]]:
    """Column -> every accepted header form, all languages together (English first)."""
    return {
        column: tuple(form for lang in HEADER_LANGUAGES for form in forms.get(lang, ()))
        for column, forms in HEADER_FORMS.items()
    }


def template_header(column: str, lang: str) -> str:
    """The header the template writes for `column` in `lang` (English where it has none)."""
    forms = HEADER_FORMS[column]
    return (forms.get(lang) or forms["en"])[0]
