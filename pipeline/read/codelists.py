"""The IATI codelists vendored in pipeline/standards/iati/codelists (see its NOTE.md)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache

from pipeline import config


@cache
def codelist(name: str) -> frozenset[str]:
    """The codes of one IATI codelist (e.g. "OrganisationType"), withdrawn codes left out.

    The files are the IATI Standard's own, shipped with the code: never user input.
    """
    root = ET.parse(config.IATI_CODELISTS_DIR / f"{name}.xml").getroot()
    return frozenset(
        (item.findtext("code") or "").strip()
        for item in root.iter("codelist-item")
        if item.get("status") != "withdrawn"
    )


class NotInCodelist(ValueError):
    """A value is not a code of the IATI codelist it must come from."""


def check_code(name: str, code: str) -> str:
    """`code` itself when it is in the codelist `name`; else NotInCodelist names both."""
    if code not in codelist(name):
        raise NotInCodelist(f'"{code}" is not an IATI {name} code.')
    return code
