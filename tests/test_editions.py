"""Editions side by side (#27): a brief in each of its country's languages, each an output.

settings.yaml lists each country's languages, the first its main edition (<country>.pdf), the
others <country>.<lang>.pdf; `--lang` adds an edition and never replaces one. Runs use the
stand-in renderer (tests/fakes.py): validation, indicators, charts and HTML are real.
"""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

import pytest

from bench.synthetic import country_csv
from pipeline import config
from pipeline.config import Dirs
from pipeline.core.countries import resolve_country
from pipeline.core.formatting import Formatter
from pipeline.core.i18n import UnknownLanguage, cldr_locale, editions, split_tag
from pipeline.read.content_files import ContentError
from pipeline.read.programme import read_settings
from pipeline.run.manifest import read_manifest
from pipeline.run.progress import country_line
from pipeline.run.runner import run as real_run

from .conftest import SEED
from .fakes import fake_pdf, fake_text

run = partial(real_run, render=fake_pdf)


def _settings(dirs: Dirs, text: str) -> None:
    (dirs.raw / config.SETTINGS_FILE).write_text(text, encoding="utf-8")


@pytest.fixture
def pair(tmp_path: Path) -> Dirs:
    """Uganda (synthetic) and Kenya (the seed's real table), with the shipped programme."""
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(SEED / config.PROGRAMME_FILE, raw / config.PROGRAMME_FILE)
    shutil.copy(SEED / "kenya.csv", raw / "kenya.csv")
    (raw / "uganda.csv").write_text(country_csv(3, 1), encoding="utf-8")
    dirs = Dirs(raw, tmp_path / "processed", tmp_path / "reports")
    _settings(dirs, "default_language: en\n")
    return dirs


def _briefs(dirs: Dirs) -> set[str]:
    return {p.name for p in dirs.reports.glob("*.pdf")}


def _lang(path: Path) -> str:
    """The lang attribute the edition's HTML declares (the stand-in PDF carries the HTML)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return text.split('<html lang="', 1)[1].split('"', 1)[0]


def test_settings_list_the_editions_of_each_country(pair: Dirs) -> None:
    _settings(pair, "default_language: en\nlanguages:\n  Kenya: [en, fr]\n  Uganda: fr\n")

    outcome = run(pair)

    assert outcome.ok
    assert _briefs(pair) >= {"kenya.pdf", "kenya.fr.pdf", "uganda.pdf"}
    kenya_line = country_line(next(c for c in outcome.countries if c.file == "kenya.csv"))[0]
    assert "built kenya.pdf (1 page) and kenya.html; kenya.fr.pdf (1 page) and kenya.fr.html," in (
        kenya_line
    )
    assert "uganda.en.pdf" not in _briefs(pair)
    assert (pair.reports / "kenya.fr.html").is_file()
    assert _lang(pair.reports / "kenya.pdf") == "en-KE"  # CLDR's region of the country
    assert _lang(pair.reports / "kenya.fr.pdf") == "fr"  # CLDR has no fr_KE
    assert _lang(pair.reports / "uganda.pdf") == "fr"
    kenya = next(c for c in outcome.countries if c.file == "kenya.csv")
    assert kenya.editions == ["en", "fr"] and kenya.asked == []
    recorded, _ = read_manifest(config.manifest(pair.reports))
    assert {"kenya.pdf", "kenya.fr.pdf", "kenya.fr.html"} <= set(
        recorded.countries["kenya.csv"].outputs
    )


def test_lang_adds_an_edition_and_builds_only_it(pair: Dirs) -> None:
    run(pair)
    english = (pair.reports / "kenya.pdf").read_bytes()
    stamp = (pair.reports / "kenya.pdf").stat().st_mtime_ns

    added = run(pair, lang="fr")

    assert added.ok
    assert (pair.reports / "kenya.pdf").read_bytes() == english  # never replaced
    assert (pair.reports / "kenya.pdf").stat().st_mtime_ns == stamp  # nor rebuilt
    assert _lang(pair.reports / "kenya.fr.pdf") == "fr"
    assert _lang(pair.reports / "uganda.fr.pdf") == "fr"
    kenya = next(c for c in added.countries if c.file == "kenya.csv")
    assert kenya.editions == ["en", "fr"] and kenya.asked == ["fr"] and kenya.pages == 1
    # The officer is told what this run wrote: the French edition, not the English one.
    (line, *_) = country_line(kenya)
    assert "built kenya.fr.pdf (1 page) and kenya.fr.html," in line
    assert "kenya.pdf" not in line and "kenya.html" not in line

    again = run(pair)  # a plain run keeps the edition, and has nothing to do

    assert again.up_to_date
    assert {"kenya.pdf", "kenya.fr.pdf", "uganda.pdf", "uganda.fr.pdf"} <= _briefs(pair)


def test_every_language_side_by_side(pair: Dirs) -> None:
    run(pair, only=["kenya"])
    for lang in ("fr", "es", "pt"):
        assert run(pair, only=["kenya"], lang=lang).ok
    assert {p for p in _briefs(pair) if p.startswith("kenya")} == {
        "kenya.pdf",
        "kenya.fr.pdf",
        "kenya.es.pdf",
        "kenya.pt.pdf",
    }
    assert [_lang(pair.reports / f"kenya{s}.pdf") for s in ("", ".fr", ".es", ".pt")] == [
        "en-KE",
        "fr",
        "es",
        "pt",
    ]


def test_a_kept_edition_is_rebuilt_when_its_inputs_change(pair: Dirs) -> None:
    run(pair, lang="fr")
    before = (pair.reports / "uganda.fr.pdf").read_bytes()
    (pair.raw / "uganda.csv").write_text(country_csv(4, 2), encoding="utf-8")

    outcome = run(pair)  # no --lang: the French edition follows its data all the same

    assert outcome.ok
    assert (pair.reports / "uganda.fr.pdf").read_bytes() != before
    uganda = next(c for c in outcome.countries if c.file == "uganda.csv")
    assert uganda.asked == ["fr"] and not uganda.unchanged


def test_an_edition_the_officer_deletes_stays_deleted(pair: Dirs) -> None:
    run(pair, lang="fr")
    (pair.reports / "kenya.fr.pdf").unlink()

    run(pair)
    (pair.raw / "kenya.md").write_text("A narrative.\n", encoding="utf-8")
    rebuilt = run(pair)  # even when the country is rebuilt

    assert not (pair.reports / "kenya.fr.pdf").exists()
    assert not (pair.reports / "kenya.fr.html").exists()  # its web page went with it
    assert (pair.reports / "uganda.fr.pdf").is_file()
    kenya = next(c for c in rebuilt.countries if c.file == "kenya.csv")
    assert kenya.editions == ["en"]


def test_an_edition_settings_drop_is_removed(pair: Dirs) -> None:
    _settings(pair, "languages:\n  Kenya: [en, fr, es]\n")
    run(pair)
    assert {"kenya.fr.pdf", "kenya.es.pdf"} <= _briefs(pair)

    _settings(pair, "languages:\n  Kenya: [en, es]\n")
    run(pair)

    assert "kenya.fr.pdf" not in _briefs(pair) and "kenya.es.pdf" in _briefs(pair)
    assert not (pair.reports / "kenya.fr.html").exists()


def test_a_refused_country_loses_every_edition(pair: Dirs) -> None:
    run(pair, lang="pt")
    _settings(pair, "languages:\n  Kenya: [en, fr]\n")
    run(pair)
    assert {"kenya.pdf", "kenya.fr.pdf", "kenya.pt.pdf"} <= _briefs(pair)
    (pair.raw / "kenya.csv").write_text("Territory,PMGs\nA,x\n", encoding="utf-8")

    outcome = run(pair)

    assert not outcome.ok
    assert not any(p.startswith("kenya") for p in _briefs(pair))
    assert not list(pair.reports.glob("kenya*.html"))


def test_the_main_edition_may_be_another_language(pair: Dirs) -> None:
    _settings(pair, "languages:\n  Uganda: [fr, en]\n")
    run(pair)
    assert _lang(pair.reports / "uganda.pdf") == "fr"
    assert _lang(pair.reports / "uganda.en.pdf") == "en-UG"


def test_a_region_sets_the_number_formats(pair: Dirs) -> None:
    _settings(pair, "languages:\n  Kenya: [en, es-GT, pt-MZ]\n")
    run(pair, only=["kenya"])
    spanish = fake_text(pair.reports / "kenya.es.pdf")
    portuguese = fake_text(pair.reports / "kenya.pt.pdf")
    assert _lang(pair.reports / "kenya.es.pdf") == "es-GT"
    assert "140,653" in spanish  # Guatemala groups with a comma
    assert "140 653" in portuguese  # Mozambique with a space


def test_the_overview_in_each_language_listed(pair: Dirs) -> None:
    _settings(pair, "overview_languages: [en, fr]\n")
    run(pair)
    assert _lang(pair.reports / "overview.pdf") == "en"
    assert _lang(pair.reports / "overview.fr.pdf") == "fr"
    assert (pair.reports / "overview.fr.html").is_file()

    _settings(pair, "overview_languages: [pt]\n")
    run(pair)
    assert _lang(pair.reports / "overview.pdf") == "pt"
    assert not (pair.reports / "overview.fr.pdf").exists()


def test_the_old_single_language_form_still_works(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("languages:\n  Burundi: fr\n  Kenya: [en, es-GT]\n", encoding="utf-8")
    settings = read_settings(path, ("en", "fr", "es", "pt"))
    assert settings.editions("BDI") == ("fr",)
    assert settings.editions("KEN") == ("en", "es-GT")
    assert settings.editions("UGA") == ("en",)
    assert settings.language("BDI") == "fr"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("languages:\n  Kenya: [en, fr, fr]\n", "fr is listed twice"),
        ("languages:\n  Kenya: [en, es-XX]\n", "CLDR has no number and currency formats"),
        ("languages:\n  Kenya: [de]\n", '"de" is not a language'),
        ("languages:\n  Kenya: []\n", "found an empty list"),
        ("overview_languages: [en, sw]\n", '"sw" is not a language'),
    ],
)
def test_settings_languages_are_checked(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError, match="settings.yaml") as caught:
        read_settings(path, ("en", "fr", "es", "pt"))
    assert says in str(caught.value)


def test_a_bare_language_takes_the_country_region_where_cldr_has_one() -> None:
    assert cldr_locale("es", "GT") == "es_GT"
    assert cldr_locale("pt", "MZ") == "pt_MZ"
    assert cldr_locale("fr", "KE") == "fr"  # CLDR has no French of Kenya
    assert cldr_locale("es-gt", "KE") == "es_GT"  # the edition's own region wins
    assert split_tag("pt_MZ") == ("pt", "MZ")
    with pytest.raises(UnknownLanguage):
        split_tag("xx")
    tags = [e.stem("kenya") for e in editions(["en", "fr", "en", "es-GT"], "KE")]
    assert tags == ["kenya", "kenya.fr", "kenya.es"]


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        (
            "fr",
            "Les valeurs en KES (shilling kényan) ont été converties en $US à 80 KES pour 1 $US",
        ),
        ("es", "Los valores en KES (chelín keniano) se convirtieron a US$ a 80 KES por US$"),
        ("pt", "Os valores em KES (Xelim queniano) foram convertidos em US$ a 80 KES por US$"),
        ("en", "Values in KES (Kenyan Shilling) were converted to US$ at 80 KES per US$"),
    ],
)
def test_a_conversion_is_noted_in_the_edition_language(pair: Dirs, lang: str, note: str) -> None:
    keys = SEED.parent / "keys"
    shutil.copy(keys / "kenya.csv", pair.raw / "kenya.csv")
    shutil.copy(keys / "exchange_rates.csv", pair.raw / "exchange_rates.csv")
    _settings(pair, f"languages:\n  Kenya: {lang}\n")
    assert run(pair, only=["kenya"]).ok
    text = " ".join(fake_text(pair.reports / "kenya.pdf").split())
    assert note in text


@pytest.mark.parametrize(
    ("lang", "places"),
    [
        (
            "fr",
            [
                "au Kenya",
                "en Ouganda",
                "au Mozambique",
                "aux Philippines",
                "à Madagascar",
                "en Inde",
            ],
        ),
        (
            "es",
            [
                "en Kenia",
                "en Uganda",
                "en Mozambique",
                "en Filipinas",
                "en Madagascar",
                "en India",
            ],
        ),
        (
            "pt",
            [
                "no Quênia",
                "no Uganda",
                "em Moçambique",
                "nas Filipinas",
                "em Madagascar",
                "na Índia",
            ],
        ),
        (
            "en",
            [
                "in Kenya",
                "in Uganda",
                "in Mozambique",
                "in Philippines",
                "in Madagascar",
                "in India",
            ],
        ),
    ],
)
def test_a_country_takes_the_preposition_of_its_language(lang: str, places: list[str]) -> None:
    fmt = Formatter(lang)
    codes = ["KE", "UG", "MZ", "PH", "MG", "IN"]
    assert [fmt.in_country(resolve_country(c)) for c in codes] == places


def test_every_country_has_a_place_in_every_language() -> None:
    """Whatever the country, the phrase is the preposition and the name, never empty."""
    import pycountry

    for lang in ("fr", "es", "pt"):
        fmt = Formatter(lang)
        for record in pycountry.countries:
            country = resolve_country(record.alpha_2)
            place = fmt.in_country(country)
            assert place.endswith(fmt.country_name(country)) and place.split()[0] in {
                "au",
                "en",
                "aux",
                "à",
                "no",
                "na",
                "nos",
                "nas",
                "em",
            }, place


def test_an_added_edition_is_what_a_full_build_makes(pair: Dirs) -> None:
    run(pair)
    run(pair, lang="es")
    added = {p.name: p.read_bytes() for p in pair.reports.glob("*.es.*")}
    whole = {
        p.name: p.read_bytes() for p in [*pair.reports.glob("*.pdf"), *pair.reports.glob("*.html")]
    }

    run(pair, force=True)  # every edition rebuilt, the added ones kept

    assert {p.name: p.read_bytes() for p in pair.reports.glob("*.es.*")} == added
    rebuilt = [*pair.reports.glob("*.pdf"), *pair.reports.glob("*.html")]
    assert {p.name: p.read_bytes() for p in rebuilt} == whole
    assert set(added) == {"kenya.es.pdf", "kenya.es.html", "uganda.es.pdf", "uganda.es.html"}


def _catalog(lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    from pipeline.core.i18n import LOCALES_DIR

    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    return {
        (m.id[0] if isinstance(m.id, tuple) else m.id): " ".join(
            m.string if isinstance(m.string, tuple) else (m.string,)
        )
        for m in catalog
        if m.id
    }


def test_french_sets_typographic_apostrophes() -> None:
    straight = [s for s in _catalog("fr").values() if "'" in s]
    assert straight == []


@pytest.mark.parametrize(("lang", "times"), [("fr", "fois"), ("es", "veces"), ("pt", "vezes")])
def test_a_ratio_to_the_median_reads_as_times_the_median(lang: str, times: str) -> None:
    ratios = [s for k, s in _catalog(lang).items() if "({ratio} times)" in k]
    assert len(ratios) == 2
    assert all(f"{{ratio}} {times}" in s and "rapport" not in s for s in ratios)


@pytest.mark.parametrize("lang", ["fr", "es", "pt"])
def test_the_lead_opens_with_the_country_as_a_place(lang: str) -> None:
    leads = [s for k, s in _catalog(lang).items() if k.startswith("In {country}, the agro")]
    assert len(leads) == 2 and all(s.startswith("{In_country}, ") for s in leads)
