"""The Jinja2 environment for every template: light enough for runs that build no PDF."""

from __future__ import annotations

from functools import cache
from gettext import NullTranslations
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined


@cache
def environment(templates_dir: Path, catalog: NullTranslations | None = None) -> Environment:
    """Jinja2 environment: autoescaping on for every template, undefined names are errors.

    Template text marked {% trans %} or _() is translated with `catalog`. One environment per
    folder and catalog serves every brief of a process, so each template is compiled once;
    Jinja still reloads a template whose file changed.
    """
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=True,  # set explicitly: select_autoescape() skips "brief.html.j2"
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(catalog or NullTranslations(), newstyle=True)  # type: ignore[attr-defined]
    return env
