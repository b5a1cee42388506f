"""Each edition wholly in its language (#27): Kenya in English, French, Spanish and Portuguese.

The shipped Kenya brief is built from a copy of the seed files, as `make report` then
`--lang fr`, `--lang es` and `--lang pt` leave it: four PDFs side by side. No English heading,
sentence or data-note phrase may appear in another edition's text, and page 1 of each is a
golden (rewritten only by `make goldens`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from pipeline.core.i18n import LOCALES_DIR, TRANSLATIONS
from pipeline.read.raw import ENCODING_NAMES

from . import goldens
from .conftest import SEED

pytestmark = pytest.mark.slow  # real PDFs, four of them


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return goldens.kenya_editions(tmp_path_factory.mktemp("kenya") / "reports")


def _text(pdf: Path) -> str:
    """Every page's text, with whitespace (line breaks inside a sentence) made one space."""
    return " ".join(goldens.pdf_text(pdf).split())


def _fragments(text: str) -> list[str]:
    """The literal runs of a message between its placeholders, long enough to be a phrase."""
    parts = re.split(r"%\(\w+\)[sd]|\{\w+\}|%%", text)
    return [p.strip(" .,;:()") for p in parts if len(p.strip(" .,;:()")) >= 10 and " " in p]


def _english_phrases(lang: str) -> set[str]:
    """Every English phrase of the catalog that its `lang` translation does not keep as is
    (product names such as "Impact Briefs" stay), and the programme's English headings."""
    with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    phrases: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated = " ".join(strings)
        phrases |= {f for i in ids for f in _fragments(i) if f not in translated}
    programme = (SEED / "programme.yaml").read_text(encoding="utf-8")
    phrases |= set(re.findall(r"- title: (.+)", programme))
    phrases |= {"March 2003", "October 2004", "East Africa", "learning alliance"}
    return phrases


def _data() -> str:
    """What the edition quotes from the data as written: the country file's cells and headers."""
    return " ".join((SEED / "kenya.csv").read_text(encoding="utf-8-sig").split())


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_no_english_in_another_edition(editions: dict[str, Path], lang: str) -> None:
    text = _text(editions[lang])
    data = _data()
    leaks = sorted(p for p in _english_phrases(lang) if p in text and p not in data)
    assert leaks == [], f"English in the {lang} edition: {leaks}"
    assert "UTF-8 with byte-order mark" not in text  # the encoding is named in the language


def test_the_editions_sit_side_by_side(editions: dict[str, Path]) -> None:
    assert sorted(p.name for p in editions["en"].parent.glob("kenya*.pdf")) == [
        "kenya.es.pdf",
        "kenya.fr.pdf",
        "kenya.pdf",
        "kenya.pt.pdf",
    ]
    english = _text(editions["en"])
    assert "Key findings" in english and "In Kenya, the agro-enterprise approach" in english
    headings = {"fr": "Principaux constats", "es": "Principales conclusiones", "pt": "Principais"}
    for lang, heading in headings.items():
        assert heading in _text(editions[lang])
    assert "Au Kenya, l’approche" in _text(editions["fr"])
    assert "En Kenia, el enfoque" in _text(editions["es"])
    assert "No Quênia, a abordagem" in _text(editions["pt"])


@pytest.mark.parametrize(
    ("lang", "money", "count"),
    [
        ("en", "US$140,653", "7,842"),
        ("fr", "140 653 $US", "7 842"),
        ("es", "140.653 US$", "7.842"),
        ("pt", "US$ 140.653", "7.842"),
    ],
)
def test_cldr_numbers_in_each_edition(
    editions: dict[str, Path], lang: str, money: str, count: str
) -> None:
    text = _text(editions[lang]).replace("\u202f", " ").replace("\xa0", " ")
    assert money in text and count in text


@pytest.mark.parametrize("lang", TRANSLATIONS)
def test_the_pdf_metadata_is_in_the_edition_language(editions: dict[str, Path], lang: str) -> None:
    reader = PdfReader(editions[lang])
    info = reader.metadata or {}
    assert reader.trailer["/Root"]["/Lang"].startswith(lang)
    assert "impact brief" not in str(info.get("/Title", ""))
    assert "agro-enterprise, producer" not in str(info.get("/Keywords", ""))


@pytest.mark.parametrize("lang", goldens.LANGS)
def test_golden_first_page(editions: dict[str, Path], lang: str) -> None:
    """Golden: page 1 of each edition. A test never rewrites it: `make goldens` does."""
    golden = goldens.GOLDEN / f"kenya.{lang}.page1.txt"
    assert goldens.first_page(editions[lang]) == golden.read_text(encoding="utf-8")


def test_every_encoding_is_named_in_every_language() -> None:
    for lang in TRANSLATIONS:
        with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        for name in ENCODING_NAMES.values():
            message = catalog.get(name)
            assert message is not None and message.string, (lang, name)
