"""Fold names for matching: case, accents, spacing and punctuation ignored."""

import re
import unicodedata


def fold(text: str) -> str:
    """Matching key of a name: "Côte d'Ivoire" -> 'cotedivoire', "Target  HH." -> 'targethh'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_text.lower())
