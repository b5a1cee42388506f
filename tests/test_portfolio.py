"""A portfolio: reporting periods, the overview brief, and briefs in French."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from pypdf import PdfReader

from pipeline.config import Dirs
from pipeline.core.i18n import LANGUAGES, LOCALES_DIR
from pipeline.core.outcomes import Status
from pipeline.read.periods import parse_period, sort_key
from pipeline.read.programme import ContentError, read_settings
from pipeline.run.runner import run

from . import goldens
from .conftest import FIXTURES
from .fakes import fake_attachments, fake_pdf, fake_text

PROJECT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
HEADER = "Territory,Target households,Products,PMGs,Members,Volume sold (t),Value (US$)\n"


def _text(pdf: Path) -> str:
    return goldens.pdf_text(pdf)


def _flat(text: str) -> str:
    """Text with every kind of space (French uses narrow no-break ones) made plain."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", text)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2004", "2004"),
        (" 2003-2004 ", "2003-2004"),
        ("2003–2004", "2003-2004"),
        ("2005-Q2", "2005-Q2"),
        ("2005 q2", "2005-Q2"),
        ("Q2 2005", "2005-Q2"),
        ("2005-H1", "2005-H1"),
        ("2005/h2", "2005-H2"),
    ],
)
def test_accepted_period_forms(text: str, label: str) -> None:
    period = parse_period(text)
    assert period is not None and period.label == label


@pytest.mark.parametrize("text", ["04", "2004-2003", "2005-Q5", "2005-H3", "June 2005", ""])
def test_refused_period_forms(text: str) -> None:
    assert parse_period(text) is None


def test_periods_order_by_end_then_start() -> None:
    labels = ["2005-H1", "2004", "2005-Q1", "2003-2004", "2005"]
    assert sorted(labels, key=sort_key) == ["2003-2004", "2004", "2005-Q1", "2005-H1", "2005"]
    with pytest.raises(ValueError, match="'June 2005' is not a canonical period label"):
        sort_key("June 2005")  # only labels the reader made are ever sorted


def test_a_country_with_two_periods(dirs: Dirs) -> None:
    shutil.copy(FIXTURES / "periods" / "two_periods.csv", dirs.raw / "uganda.csv")
    (result,) = run(dirs, render=fake_pdf).countries
    assert result.status is Status.BUILT
    assert result.period == "2005-H1"
    assert result.summary["value_usd"] == 7500 and result.summary["members"] == 240
    text = _flat(fake_text(dirs.reports / "uganda.pdf"))
    assert "headline figures for 2005-H1" in text
    assert "Change over time" in text
    assert "Growth in value" in text
    # A year and a half year are not compared: no growth, said so in each growth cell.
    assert "grew by" not in text and "fell by" not in text
    assert "33%" not in text and "47%" not in text
    assert text.count("– periods of different lengths") == 2
    assert "The Totals rows (lines 4, 7) agree with the sums of the territories." in text


def test_growth_between_periods_of_the_same_length(dirs: Dirs) -> None:
    (dirs.raw / "uganda.csv").write_text(
        (FIXTURES / "periods" / "two_periods.csv")
        .read_text()
        .replace("2005-H1", "2005")
        .replace("2005-h1", "2005"),
        encoding="utf-8",
    )
    run(dirs, render=fake_pdf)
    text = _flat(fake_text(dirs.reports / "uganda.pdf"))
    # 5,100 → 7,500 is +47%; 180 → 240 members is +33%.
    assert "The value of sales grew by 47% from 2004 to 2005, to US$7,500" in text
    assert "membership went from 180 to 240" in text
    assert "33%" in text and "47%" in text
    assert "periods of different lengths" not in text


def _country(dirs: Dirs, name: str, rows: list[str]) -> None:
    (dirs.raw / f"{name}.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")


def test_overview_of_three_countries_one_failing(dirs: Dirs) -> None:
    _country(dirs, "uganda", ["Gulu,2000,maize,10,400,20,9000", "Lira,1000,beans,5,100,10,2000"])
    _country(dirs, "tanzania", ["Arusha,3000,coffee,20,900,30,30000"])
    _country(dirs, "ethiopia", ["Jimma,1000,coffee,4,-5,1,100"])  # a negative count

    outcome = run(dirs, render=fake_pdf)

    statuses = {c.name: c.status for c in outcome.countries}
    assert statuses["Ethiopia"] is Status.INVALID
    text = _flat(fake_text(dirs.reports / "overview.pdf"))
    assert "Programme overview" in text
    # Totals leave Ethiopia out: 9,000 + 2,000 + 30,000 and 400 + 100 + 900.
    assert "US$41,000" in text and "1,400" in text
    assert re.search(r"Total 3 6,000 35 1,400 60\.0 41,000 23%", text)
    # Sorted by value: Tanzania first.
    assert text.index("Tanzania") < text.index("Uganda")
    assert "Tanzania leads with sales of US$30,000, 73% of the programme total." in text
    assert re.search(r"Ethiopia ethiopia\.csv failed validation – 2 1", text)
    assert "1 country file is not in these figures" in text
    assert "validation.html" in text
    attachments = fake_attachments(dirs.reports / "overview.pdf")
    assert attachments == {"overview.csv": (dirs.processed / "overview.csv").read_bytes()}


def test_the_countries_table_keeps_a_countrys_flags(dirs: Dirs) -> None:
    """A country total that rests on a flagged row says so in the overview's table too, as
    in its brief: what it would be without that row (#21)."""
    _country(dirs, "uganda", ["Gulu,2000,maize,10,400,20,9000", "Lira,1000,beans,5,100,10,2000"])
    # Kitgum: 3,000 members in 5 PMGs, 600 per group, is flagged; the total rests on it.
    _country(
        dirs,
        "tanzania",
        ["Arusha,3000,coffee,20,900,30,30000", "Kitgum,4000,maize,5,3000,10,4000"],
    )

    run(dirs, render=fake_pdf)

    text = _flat(fake_text(dirs.reports / "overview.pdf"))
    row = text[text.index("Tanzania 2 ") :]
    assert row.startswith("Tanzania 2 7,000 25 3,900 900 without Kitgum, flagged"), row[:120]
    assert "Uganda 2 3,000 15 500 30.0 11,000" in text  # no flag, no qualifier


@pytest.mark.slow
def test_a_french_brief(dirs: Dirs) -> None:
    _country(
        dirs,
        "rwanda",
        ['Huye,"5,000",maize,10,"2,500",3.5,"140,653"', "Musanze,800,beans,2,60,1,900"],
    )
    (result,) = run(dirs).countries
    assert result.status is Status.BUILT and result.language == "fr"
    text = _flat(_text(dirs.reports / "rwanda.pdf"))
    for heading in ["Principaux constats", "Impact par territoire", "Notes sur les données"]:
        assert heading in text
    # CLDR's French of Rwanda (fr_RW, the country's region): comma groups, decimal point,
    # the symbol after the figure.
    assert "140,653 $US" in text
    assert "3.5" in text
    assert "Page 1 sur" in text
    assert "mars 2003 – octobre 2004" in text  # the period, in French, from its dates
    assert "Ce texte n’est pas encore traduit" not in text  # no narrative at all
    assert "La présentation du programme n’est pas encore traduite" in text
    assert (
        PdfReader(dirs.reports / "rwanda.pdf").trailer["/Root"]["/Lang"] == "fr-RW"
    )  # CLDR's French of Rwanda


def test_lang_adds_an_edition_beside_the_settings_one(dirs: Dirs) -> None:
    _country(dirs, "rwanda", ["Huye,5000,maize,10,2500,3.5,140653"])
    (result,) = run(dirs, lang="en", render=fake_pdf).countries
    assert result.language == "fr" and result.editions == ["fr", "en"]
    assert "Principaux constats" in fake_text(dirs.reports / "rwanda.pdf")
    assert "Key findings" in fake_text(dirs.reports / "rwanda.en.pdf")


def test_translated_narrative_and_fallback_note(dirs: Dirs) -> None:
    _country(dirs, "burundi", ["Ngozi,5000,coffee,10,2500,3.5,14000"])
    (dirs.raw / "burundi.md").write_text("Only in English.\n", encoding="utf-8")
    run(dirs, render=fake_pdf)
    text = _flat(fake_text(dirs.reports / "burundi.pdf"))
    assert "Only in English." in text and "Ce texte n’est pas encore traduit" in text
    (dirs.raw / "burundi.fr.md").write_text("Texte en français.\n", encoding="utf-8")
    run(dirs, render=fake_pdf)
    text = _flat(fake_text(dirs.reports / "burundi.pdf"))
    assert "Texte en français." in text and "Ce texte n’est pas encore traduit" not in text


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("languages:\n  Rwanda: de\n", '"de" is not a language'),
        ("languages:\n  Narnia: fr\n", "languages:"),
    ],
)
def test_settings_errors_name_the_fix(tmp_path: Path, settings: str, message: str) -> None:
    (tmp_path / "settings.yaml").write_text(settings, encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        read_settings(tmp_path / "settings.yaml", LANGUAGES)


def _template_messages() -> set[str]:
    with (PROJECT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(PROJECT / "babel.cfg"))
    found = extract_from_dir(
        str(PROJECT),
        method_map,
        options_map,
        keywords={"_": None, "ngettext": (1, 2)},
    )
    return {message if isinstance(message, str) else message[0] for *_, message, _, _ in found}


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_string_is_translated(lang: str) -> None:
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(_template_messages() - translated)
    assert not missing, f"untranslated in {lang} (run `make translations`): {missing}"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_compiled_catalog_matches_its_source(lang: str) -> None:
    folder = LOCALES_DIR / lang / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as po, (folder / "messages.mo").open("rb") as mo:
        source, compiled = read_po(po), read_mo(mo)

    def pairs(catalog) -> set[tuple]:
        return {
            (
                m.id if isinstance(m.id, str) else tuple(m.id),
                m.string if isinstance(m.string, str) else tuple(m.string),
            )
            for m in catalog
            if m.id
        }

    assert pairs(source) == pairs(compiled), "run `make translations`"


@pytest.mark.slow
def test_english_brief_text_is_unchanged() -> None:
    """Golden: the Kenya brief's text. A test never rewrites it: `make goldens` does, on request."""
    assert goldens.kenya_en() == (GOLDEN / "kenya.en.txt").read_text(encoding="utf-8")
