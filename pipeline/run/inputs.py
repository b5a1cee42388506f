"""What a run reads: the country files, their own inputs and the inputs they share."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from pipeline import config
from pipeline.config import Dirs, translated_path
from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.findings import FileRefused, Finding
from pipeline.core.i18n import LANGUAGES, SOURCE_LANGUAGE, TRANSLATIONS
from pipeline.core.rules import file_error
from pipeline.read.rates import ExchangeRates, read_exchange_rates
from pipeline.run.manifest import (
    code_sha256,
    input_hashes,
    tree_sha256,
)
from pipeline.run.tasks import Shared


def country_files(raw: Path) -> list[Path]:
    """The country tables in `raw`."""
    return sorted(
        p
        for p in raw.iterdir()
        if p.suffix.lower() in config.TABLE_SUFFIXES
        and p.is_file()
        and not p.name.startswith(".")
        and p.name not in config.RESERVED_FILES
    )


def named(files: list[Path], names: list[str]) -> list[Path]:
    """The files whose stem names one of `names` (file stem, country name or ISO code)."""
    wanted = {_country_key(n) for n in names}
    return [p for p in files if _country_key(p.stem) in wanted]


def _country_key(name: str) -> str:
    try:
        return resolve_country(name).alpha_3
    except UnknownCountry:
        return name.casefold()


def _duplicate_countries(files: list[Path]) -> dict[Path, Finding]:
    """Two files naming one country (kenya.csv and KE.csv) are both refused."""
    by_country: dict[str, list[Path]] = {}
    for path in files:
        by_country.setdefault(_country_key(path.stem), []).append(path)
    clashes = {}
    for group in (g for g in by_country.values() if len(g) > 1):
        names = " and ".join(p.name for p in group)
        for path in group:
            clashes[path] = file_error(
                path.name, "duplicate-country", f"{names} name the same country.", value=path.stem
            )
    return clashes


def shared_inputs(dirs: Dirs, brief: bool = True, lang: str | None = None) -> tuple[Shared, str]:
    """The run-wide inputs, and what is wrong with them ("" when nothing is)."""
    # Content files are read only when something is built: a run with nothing to do skips
    # the content models (pydantic), Markdown and Babel.
    from pipeline.read.content_files import ContentError
    from pipeline.read.programme import (
        Programme,
        Settings,
        build_timestamp,
        read_programme,
        read_settings,
    )

    programmes: dict[str, Programme] = {}
    errors = []
    stamp = datetime(1970, 1, 1, tzinfo=UTC)
    settings = Settings()
    try:
        settings = read_settings(dirs.raw / config.SETTINGS_FILE, LANGUAGES)
    except ContentError as exc:
        errors.append(str(exc))
    if brief:
        try:
            for language in LANGUAGES:
                programmes[language] = read_programme(dirs.raw / config.PROGRAMME_FILE, language)
            published = programmes[SOURCE_LANGUAGE].published
            stamp = build_timestamp(published, os.environ.get("SOURCE_DATE_EPOCH"))
        except ContentError as exc:
            programmes = {}
            errors.append(str(exc))
    rates: ExchangeRates = {}
    try:
        rates = read_exchange_rates(dirs.raw / config.EXCHANGE_RATES_FILE)
    except FileRefused as exc:
        errors.append(exc.finding.as_text())
    targets = None
    if path := config.targets_file(dirs.raw):
        from pipeline.check.targets import targets_table  # pandas: only when there is work
        from pipeline.read.targets import read_targets

        try:
            targets = targets_table(read_targets(path))
        except FileRefused as exc:
            errors.append(exc.finding.as_text() + " No brief shows targets until it is fixed.")
    shared = Shared(programmes, rates, stamp, brief, settings, lang, targets)
    return shared, " ".join(errors)


def shared_hashes(dirs: Dirs) -> dict[str, str]:
    """Hashes of what every country's outputs depend on, besides its own files."""
    paths = [dirs.raw / n for n in config.SHARED_INPUTS]
    paths += [translated_path(dirs.raw / config.PROGRAMME_FILE, lang) for lang in TRANSLATIONS]
    hashes = input_hashes(paths)
    hashes["templates"] = tree_sha256(dirs.templates, config.TEMPLATE_SUFFIXES)
    hashes["pipeline"] = code_sha256()
    return hashes


def own_inputs(path: Path, targets: Path | None = None) -> list[Path]:
    """A country's own input files: its table, its narratives, and targets.csv if it names it."""
    narrative = path.with_suffix(".md")
    own = [path, narrative, *(translated_path(narrative, lang) for lang in TRANSLATIONS)]
    return own + ([targets] if targets else [])
