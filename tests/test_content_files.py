"""programme.yaml, its translations and settings.yaml are untrusted input (#13): typed, bounded,
alias-free; every error names the file, the key, what was found and the shape expected."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import config
from pipeline.core.i18n import LANGUAGES
from pipeline.read.programme import (
    ContentError,
    markdown_html,
    read_narrative,
    read_programme,
    read_settings,
)
from tests.tier import examples

from .conftest import SEED

PROGRAMME = (SEED / "programme.yaml").read_text(encoding="utf-8")
PARTNERS = re.compile(r"partners:\n(?:  .*\n)+")
AUTHOR = "author: CIAT and Catholic Relief Services"


def _programme(tmp_path: Path, text: str, name: str = "programme.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path / "programme.yaml"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            PARTNERS.sub("partners:\n  - CIAT\n  - CRS\n", PROGRAMME),
            (
                'programme.yaml, partners: expected a list of {name, short}; found text "CIAT" '
                "(item 1)."
            ),
        ),
        (
            PARTNERS.sub("partners: CIAT and CRS\n", PROGRAMME),
            (
                'programme.yaml, partners: expected a list of {name, short}; found text "CIAT and '
                'CRS".'
            ),
        ),
        (
            PROGRAMME.replace("  start: 2003-03\n", "  start: [2003, 3]\n"),
            (
                "programme.yaml, period, start: expected a month, as 2003-03; found a list of 2 "
                "items."
            ),
        ),
        (
            PROGRAMME.replace("author: CIAT", "authors: CIAT"),
            'programme.yaml: the key "author" is missing; add it: text.',
        ),
        (
            PROGRAMME.replace("author: CIAT", "authors: CIAT"),
            'programme.yaml: "authors" is not a key here; the keys are name, short_name,',
        ),
        (
            PROGRAMME.replace("  - title: Next steps\n", "  - title: Next steps\n  - title: x\n"),
            'programme.yaml, sections, item 6: the key "body" is missing; add it: Markdown text.',
        ),
        ("- name\n- partners\n", "programme.yaml: expected a mapping of keys to values; found a "),
        (
            PARTNERS.sub("partners:\n  - name: CIAT\n    nick: C\n", PROGRAMME),
            'programme.yaml, partners, item 1: "nick" is not a key here; the keys are name, short.',
        ),
        (
            PROGRAMME.replace(AUTHOR, "author: 2004-10-31"),
            "programme.yaml, author: expected text; found the date 2004-10-31.",
        ),
        (
            PROGRAMME.replace(AUTHOR, "author: {name: CIAT, short: C}"),
            "programme.yaml, author: expected text; found a mapping with the keys name, short.",
        ),
        (
            PROGRAMME.replace(AUTHOR, "author: !!set {CIAT, CRS}"),
            "programme.yaml, author: expected text; found set.",
        ),
    ],
)
def test_programme_errors_name_key_found_and_expected(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ContentError) as error:
        read_programme(_programme(tmp_path, text))
    assert message in str(error.value)


def test_a_translation_error_names_the_translation(tmp_path: Path) -> None:
    path = _programme(tmp_path, PROGRAMME)
    (tmp_path / "programme.fr.yaml").write_text("partners: CIAT\n", encoding="utf-8")
    assert read_programme(path, "en").partners  # the English file alone is fine
    with pytest.raises(ContentError, match=r"^programme\.fr\.yaml, partners: expected a list"):
        read_programme(path, "fr")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- en\n- fr\n", "settings.yaml: expected a mapping of keys to values; found a list"),
        (
            "languages:\n  - Rwanda\n",
            (
                "settings.yaml, languages: expected a mapping of country to a language code or "
                "a list of them, as Rwanda: fr or Kenya: [en, fr]; found a list of 1 item."
            ),
        ),
        ("default_language: [en]\n", "settings.yaml, default_language: expected a language"),
    ],
)
def test_settings_errors_name_key_found_and_expected(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "settings.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        read_settings(tmp_path / "settings.yaml", LANGUAGES)
    assert message in str(error.value)


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    # 500 bytes that PyYAML would expand into 9**9 strings (it ran 89 s into MemoryError).
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]"
        for a, b in zip("abcdefgh", "bcdefghi", strict=False)
    ]
    path = _programme(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(ContentError, match=r"programme\.yaml, line 2: aliases \(\*name\) are not"):
        read_programme(path)


def test_content_files_are_refused_past_the_size_limit(tmp_path: Path) -> None:
    text = PROGRAMME + "# " + "x" * config.MAX_CONTENT_BYTES + "\n"
    with pytest.raises(ContentError, match="larger than 1,048,576 bytes"):
        read_programme(_programme(tmp_path, text))
    (tmp_path / "kenya.md").write_text("x" * (config.MAX_CONTENT_BYTES + 1), encoding="utf-8")
    with pytest.raises(ContentError, match="kenya.md is larger than"):
        read_narrative(tmp_path / "kenya.md")


def test_deep_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = _programme(tmp_path, "name: " + "[" * 20_000 + "]" * 20_000 + "\n")
    with pytest.raises(ContentError, match="programme.yaml"):
        read_programme(path)


def test_dates_written_in_full_are_kept_as_written(tmp_path: Path) -> None:
    text = PROGRAMME.replace("start: 2003-03", "start: 2003-03-01")
    assert read_programme(_programme(tmp_path, text)).period_start == "2003-03-01"


def test_a_published_date_with_a_time_is_that_day(tmp_path: Path) -> None:
    text = PROGRAMME.replace("published: 2004-10-31", "published: 2004-10-31 17:30:00")
    assert read_programme(_programme(tmp_path, text)).published == date(2004, 10, 31)


def test_a_missing_programme_is_an_error_naming_its_folder(tmp_path: Path) -> None:
    with pytest.raises(
        ContentError, match="programme.yaml is missing from .*every brief needs it"
    ):
        read_programme(tmp_path / "programme.yaml")


def test_without_settings_every_brief_is_in_english(tmp_path: Path) -> None:
    settings = read_settings(tmp_path / "settings.yaml", LANGUAGES)
    assert settings.language("RWA") == settings.language("KEN") == "en"


def test_a_translated_period_keeps_the_months_it_leaves_out(tmp_path: Path) -> None:
    path = _programme(tmp_path, PROGRAMME)
    (tmp_path / "programme.fr.yaml").write_text(
        "period:\n  label: de mars 2003 à octobre 2004\n", encoding="utf-8"
    )
    programme = read_programme(path, "fr")
    assert programme.period_label == "de mars 2003 à octobre 2004"
    assert (programme.period_start, programme.period_end) == ("2003-03", "2004-10")


def test_narrative_headings_sit_below_the_brief_headings() -> None:
    html = markdown_html("# Results\n\n###### Detail\n\ntext")
    assert "<h3>Results</h3>" in html and "<h6>Detail</h6>" in html and "<h1>" not in html


@settings(max_examples=examples(40), deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), st.lists, max_leaves=6))
def test_any_partners_value_gives_a_programme_or_a_content_error(value: object) -> None:
    import json
    import tempfile

    text = PARTNERS.sub(lambda _: f"partners: {json.dumps(value)}\n", PROGRAMME)
    with tempfile.TemporaryDirectory() as folder:
        path = _programme(Path(folder), text)
        try:
            programme = read_programme(path)
        except ContentError as exc:
            assert str(exc).startswith("programme.yaml")
        else:
            assert programme.partners


def test_text_in_a_script_no_shipped_font_has_is_refused_naming_the_key(tmp_path: Path) -> None:
    """A name that would print as empty boxes is refused where it is written."""
    text = PROGRAMME.replace(AUTHOR, "author: 北京 CIAT")
    with pytest.raises(
        ContentError, match=r'programme\.yaml, author: "北京 CIAT" has .*\(CJK: 北京\)'
    ):
        read_programme(_programme(tmp_path, text))
    (tmp_path / "kenya.md").write_text("# मुंबई\n\nText.\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"kenya\.md has .*\(Devanagari: "):
        read_narrative(tmp_path / "kenya.md")
    # Scripts the shipped fonts have are printed.
    (tmp_path / "kenya.md").write_text("# አዲስ አበባ\n\nالخرطوم.\n", encoding="utf-8")
    assert read_narrative(tmp_path / "kenya.md") is not None
