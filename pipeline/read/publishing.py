"""How results are published as open data: `open_data:` in programme.yaml, `admin_levels:` in
settings.yaml. Read apart from the programme's content, and never fatal: a missing or wrong
key costs only the file that needs it, and the run says which key to add or fix.

    open_data:
      licence: {name: CC-BY-4.0, path: https://creativecommons.org/licenses/by/4.0/}
      contributors: [{title: …, roles: [creator]}]    # default: the partners, as creators
      iati:
        reporting_org: XM-DAC-…          # your organisation identifier: never made up
        reporting_org_type: 21           # IATI OrganisationType code
        activity_prefix: XM-DAC-…-ALLIANCE   # the programme's iati-identifier
        reporting_org_name: …            # default: the programme's author
        documents_url: https://…/briefs/   # default: links relative to the IATI file
        activity_status: 2               # IATI ActivityStatus; default: from the period
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.core.countries import UnknownCountry, resolve_country
from pipeline.read.codelists import NotInCodelist, check_code
from pipeline.read.content_files import ContentError, yaml_mapping

#: The keys without which no IATI file is written, under open_data.iati in programme.yaml.
IATI_KEYS = ("reporting_org", "reporting_org_type", "activity_prefix")
#: HXL admin levels a territory may be (#adm1 … #adm5).
ADMIN_LEVELS = range(1, 6)


@dataclass(frozen=True)
class IatiPublisher:
    """Who publishes the programme's IATI activities, and under which identifiers."""

    org_ref: str  #: the reporting organisation's identifier (IATI organisation identifier)
    org_type: str  #: its IATI OrganisationType code
    org_name: str
    activity_prefix: str  #: the programme's iati-identifier; each country's adds -<ISO3>
    documents_url: str = ""  #: where the briefs are published; "" for relative links
    activity_status: str = ""  #: IATI ActivityStatus code; "" to derive it from the dates


@dataclass(frozen=True)
class Contributor:
    """A Data Package contributor."""

    title: str
    roles: tuple[str, ...] = ("creator",)
    path: str = ""


@dataclass(frozen=True)
class Publishing:
    """Everything the open-data files need beyond the data and the programme's content."""

    licence: dict[str, str] = field(default_factory=dict)  #: name, path, title
    contributors: tuple[Contributor, ...] = ()
    iati: IatiPublisher | None = None
    #: Why no IATI file is written (keys to add or fix); "" when `iati` is set
    iati_notice: str = ""
    problems: tuple[str, ...] = ()  #: other keys that were ignored, and why
    admin_levels: dict[str, int] = field(default_factory=dict)  #: ISO alpha-3 → level
    #: the ages "youth" means (settings.yaml youth_age): the HXL tag's +age15_35 (#26)
    youth_age: tuple[int, int] = (15, 35)
    #: counts of women, men or youth below this are left blank in the open data; 0: all shown
    min_cell_count: int = 0

    def admin_level(self, alpha_3: str) -> int:
        """The admin level of a country's territories (1 unless settings.yaml says)."""
        return self.admin_levels.get(alpha_3, 1)


def _mapping(path: Path) -> dict[str, Any]:
    """The file's mapping, parsed once per process (content_files.yaml_mapping); {} when
    it is absent or refused: the programme's own reader reports it, and no brief is built."""
    if not path.is_file():
        return {}
    try:
        return yaml_mapping(path)
    except ContentError:
        return {}


def _section(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def read_publishing(programme: Path, settings: Path) -> Publishing:
    """The open-data settings of programme.yaml and settings.yaml; never raises."""
    content = _mapping(programme)
    section = _section(content, "open_data")
    problems: list[str] = []
    iati, notice = _iati(_section(section, "iati"), str(content.get("author") or ""))
    chosen = _mapping(settings)
    levels = _admin_levels(chosen.get("admin_levels"), problems)
    youth, smallest = _members_parts(chosen)
    return Publishing(
        licence=_licence(section.get("licence"), problems),
        contributors=_contributors(section.get("contributors"), content.get("partners")),
        iati=iati,
        iati_notice=notice,
        problems=tuple(problems),
        admin_levels=levels,
        youth_age=youth,
        min_cell_count=smallest,
    )


def _members_parts(settings: dict[str, Any]) -> tuple[tuple[int, int], int]:
    """settings.yaml youth_age and min_cell_count (#26); their defaults where they are not
    valid (the settings' own reader refuses them, naming the key)."""
    ages = re.fullmatch(r"\s*(\d{1,2})\s*[-–]\s*(\d{1,3})\s*", str(settings.get("youth_age", "")))
    youth = (int(ages[1]), int(ages[2])) if ages and int(ages[1]) <= int(ages[2]) else (15, 35)
    smallest = settings.get("min_cell_count", 0)
    valid = isinstance(smallest, int) and not isinstance(smallest, bool) and smallest >= 0
    return youth, smallest if valid else 0


def _iati(section: dict[str, Any], author: str) -> tuple[IatiPublisher | None, str]:
    """The IATI publisher, or None and what to add or fix in programme.yaml."""
    values = {k: str(section.get(k) or "").strip() for k in (*IATI_KEYS, "reporting_org_name")}
    missing = [k for k in IATI_KEYS if not values[k]]
    if missing:
        keys = ", ".join(f"open_data.iati.{k}" for k in missing)
        return None, (
            f"No IATI file: add {keys} to programme.yaml (your organisation's own IATI "
            "identifier; see the README, Publishing results)."
        )
    status = str(section.get("activity_status") or "").strip()
    for key, value, codes in (
        ("reporting_org_type", values["reporting_org_type"], "OrganisationType"),
        ("activity_status", status, "ActivityStatus"),
    ):
        try:
            if value:
                check_code(codes, value)
        except NotInCodelist as exc:
            return None, f"No IATI file: open_data.iati.{key} in programme.yaml: {exc}"
    if not values["activity_prefix"].startswith(values["reporting_org"] + "-"):
        return None, (
            "No IATI file: open_data.iati.activity_prefix in programme.yaml must start with "
            f'the reporting organisation\'s identifier and a hyphen ("{values["reporting_org"]}-…"), '
            "as IATI requires."
        )
    name = values["reporting_org_name"] or author or values["reporting_org"]
    url = str(section.get("documents_url") or "").strip()
    return (
        IatiPublisher(
            values["reporting_org"],
            values["reporting_org_type"],
            name,
            values["activity_prefix"],
            url,
            status,
        ),
        "",
    )


def _licence(value: object, problems: list[str]) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, dict):
        licence = {k: str(value[k]) for k in ("name", "path", "title") if value.get(k)}
        if "name" in licence or "path" in licence:
            return licence
    problems.append("open_data.licence in programme.yaml needs a name or a path; ignored.")
    return {}


def _contributors(value: object, partners: object) -> tuple[Contributor, ...]:
    """The contributors given, else each partner as a creator of the data."""
    if isinstance(value, list) and value:
        return tuple(
            Contributor(
                str(c["title"]),
                tuple(str(r) for r in c.get("roles") or ("creator",)),
                str(c.get("path") or ""),
            )
            for c in value
            if isinstance(c, dict) and c.get("title")
        )
    if isinstance(partners, list):
        return tuple(
            Contributor(str(p["name"])) for p in partners if isinstance(p, dict) and p.get("name")
        )
    return ()


def _admin_levels(value: object, problems: list[str]) -> dict[str, int]:
    """settings.yaml admin_levels: country → 1…5, the admin level of its territories."""
    levels: dict[str, int] = {}
    if not isinstance(value, dict):
        return levels
    for name, level in value.items():
        try:
            alpha_3 = resolve_country(str(name)).alpha_3
        except UnknownCountry as exc:
            problems.append(f"settings.yaml, admin_levels: {exc}")
            continue
        if not isinstance(level, int) or level not in ADMIN_LEVELS:
            problems.append(
                f"settings.yaml, admin_levels: {name}: {level!r} is not a level from 1 to 5; "
                "#adm1 is used."
            )
            continue
        levels[alpha_3] = level
    return levels
