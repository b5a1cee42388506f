"""What a run reads: the country files, their own inputs and the inputs they share."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from pipeline import config
from pipeline.config import Dirs, translated_path
from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.core.findings import FileRefused, Finding, Severity
from pipeline.core.i18n import LANGUAGES, SOURCE_LANGUAGE, TRANSLATIONS
from pipeline.core.rules import file_error
from pipeline.read.rates import ExchangeRates, read_exchange_rates
from pipeline.run.manifest import (
    code_sha256,
    input_hashes,
    tree_sha256,
)
from pipeline.run.tasks import Shared

#: Files that editors and systems leave beside the files they open, ignored by name and never
#: counted as a country's file (README, "Files in data/raw"): Excel's owner file while a
#: workbook is open (~$kenya.xlsx), LibreOffice's lock (.~lock.kenya.ods#), macOS's folder
#: settings and resource forks (.DS_Store, ._kenya.csv), Windows' thumbnails and folder
#: settings (Thumbs.db, desktop.ini), KDE's (.directory), git's placeholder (.gitkeep) and
#: editors' backups (kenya.csv~).
LEFTOVER_NAMES = frozenset(
    {".ds_store", "thumbs.db", "ehthumbs.db", "desktop.ini", ".directory", ".gitkeep"}
)


def is_leftover(name: str) -> bool:
    """True for a file an editor or the system left behind (`LEFTOVER_NAMES`)."""
    return (
        name.lower() in LEFTOVER_NAMES
        or name.startswith(("~$", "._"))
        or (name.startswith(".~lock.") and name.endswith("#"))
        or name.endswith("~")
    )


#: Text formats read as a country's table only when the file names a country: a README.txt
#: is not refused as an unknown country, it is listed as not read.
_LOOSE_TABLES = (".txt", ".tsv")
#: Suffixes of content and settings files, never a country's table.
_CONTENT_SUFFIXES = (".md", ".yaml", ".yml")
#: Names of content and settings files, whatever their format.
_CONTENT_STEMS = frozenset(
    Path(n).stem for n in (*config.RESERVED_FILES, config.PROGRAMME_FILE, config.SETTINGS_FILE)
)


def _names_country(stem: str) -> bool:
    try:
        resolve_country(stem)
    except UnknownCountry:
        return False
    return True


def is_country_file(path: Path) -> bool:
    """True for a file that is a country's table, or stands for one: a table format
    (.csv, .xlsx, .ods …), or a file in another format named after a country (kenya.numbers,
    kenya.pdf), which is refused like any country that cannot be read."""
    name = path.name
    if name.startswith(".") or is_leftover(name) or name in config.RESERVED_FILES:
        return False
    if path.stem.lower() in _CONTENT_STEMS:
        return False  # exchange_rates.xlsx is a rates file in the wrong format, not a country
    if not path.is_file():
        return False
    suffix = path.suffix.lower()
    if suffix in config.TABLE_SUFFIXES and suffix not in _LOOSE_TABLES:
        return True
    if suffix in _CONTENT_SUFFIXES:
        return False
    return _names_country(path.stem)


def country_files(raw: Path) -> list[Path]:
    """The country tables in `raw`, and the files standing for a country in a format the
    tool cannot read."""
    return sorted(p for p in raw.iterdir() if is_country_file(p))


def unused_files(raw: Path, countries: list[Path]) -> list[Finding]:
    """Every entry of `raw` that is neither a country file, a content or settings file, nor an
    editor's leftover: each named with why it is not read and what to do."""
    used = {p.name for p in countries}
    used |= {config.PROGRAMME_FILE, config.SETTINGS_FILE, config.EXCHANGE_RATES_FILE}
    used |= {translated_path(raw / config.PROGRAMME_FILE, lang).name for lang in TRANSLATIONS}
    if targets := config.targets_file(raw):
        used.add(targets.name)
    for path in countries:
        narrative = path.with_suffix(".md")
        used |= {narrative.name, *(translated_path(narrative, lang).name for lang in TRANSLATIONS)}
    found = []
    for path in sorted(raw.iterdir()):
        if path.name in used or is_leftover(path.name):
            continue
        reason, fix = _why_unused(path)
        found.append(file_error(path.name, "file-not-used", reason, fix=fix))
    return [replace(f, severity=Severity.WARNING) for f in found]


def _why_unused(path: Path) -> tuple[str, str]:
    """Why a file in data/raw is not read, and what the officer can do about it."""
    name, suffix = path.name, path.suffix.lower()
    away = "move it out of data/raw if it is not needed."
    if path.is_dir():
        why = f'"{name}" is a folder: nothing in it is read.'
        return why, "Move any country file in it up into data/raw itself, or move the folder out."
    if name in config.TARGETS_FILES:
        why = f"{name} is not read: {config.TARGETS_FILE} is, and one targets file is read."
        return why, "Keep one targets file: move or delete the other."
    if name.startswith("."):
        return f'"{name}" is a hidden file: it is not read.', away.capitalize()
    if path.stem.lower() in _CONTENT_STEMS:
        read = {
            "exchange_rates": config.EXCHANGE_RATES_FILE,
            "targets": f"{config.TARGETS_FILE} or targets.xlsx",
            "programme": config.PROGRAMME_FILE,
            "settings": config.SETTINGS_FILE,
        }[path.stem.lower()]
        why = f'"{name}" is not read: this file is read only as {read}.'
        return why, f"Save it as {read}, or {away}"
    if suffix == ".md":
        why = f'"{name}" is a narrative, but no country file has its name (kenya.md goes with '
        why += "kenya.csv or kenya.xlsx)."
        return why, f"Rename it after its country's file, or {away}"
    if suffix in (".yaml", ".yml"):
        why = f'"{name}" is not a settings file this tool reads ({config.PROGRAMME_FILE}, '
        why += f"programme.fr.yaml, {config.SETTINGS_FILE})."
        return why, away.capitalize()
    if suffix in _LOOSE_TABLES:
        why = f'"{name}" names no country, so it is not read as a country\'s table.'
        return why, f"If it is one, rename it after the country (e.g. kenya.txt); otherwise {away}"
    why = f'"{name}" is neither a country\'s table (.csv, .xlsx, .xls, .xlsb, .ods) nor a '
    why += "settings file, and its name names no country, so it was not read."
    fix = (
        f"If it is a country's table, save it as <country>.xlsx or <country>.csv; otherwise {away}"
    )
    return why, fix


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
    rates = ExchangeRates()
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
