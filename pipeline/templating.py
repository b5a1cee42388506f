"""The Jinja2 environment for every template: light enough for runs that build no PDF."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined


def environment(templates_dir: Path) -> Environment:
    """Jinja2 environment: autoescaping on for every template, undefined names are errors."""
    return Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=True,  # set explicitly: select_autoescape() skips "brief.html.j2"
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
