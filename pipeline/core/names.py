"""Fold names for matching: case, accents, spacing and punctuation ignored."""

import re
import unicodedata


def fold(text: str) -> str:
    """Matching key of a name: "Côte d'Ivoire" -> 'cotedivoire', "Target  HH." -> 'targethh'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())


def display(text: str) -> str:
    """A name as shown: NFC, spaces collapsed ("Mbe\u0301ere " -> "Mbéere")."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def identity(text: str) -> str:
    """Key under which two names are one: NFKC, format characters (zero-width space and
    joiner, soft hyphen, BOM) removed, whitespace collapsed, case folded."""
    bare = "".join(
        c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf"
    )
    return unicodedata.normalize("NFKC", " ".join(bare.split()).casefold())
