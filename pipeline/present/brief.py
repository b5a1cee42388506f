"""Compose one country's brief: context, charts, HTML and PDF bytes (no file writes)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import config
from pipeline.present.brief_context import BriefData, Framing, Provenance, brief_context
from pipeline.present.render import EmbeddedFile, Pdf, html_to_pdf
from pipeline.present.templating import environment
from pipeline.present.web import Download, web_page
from pipeline.read.raw import encoding_label

if TYPE_CHECKING:
    from pipeline.config import Dirs


def brief_html(
    data: BriefData,
    framing: Framing,
    templates: Path,
    open_data: dict[str, str] | None = None,
) -> str:
    """The brief as HTML, from the templates in `templates`; with targets, its results
    against them too; `open_data` names the open-data files that carry its figures."""
    return brief_editions(data, framing, templates, open_data)[0]


def brief_editions(
    data: BriefData,
    framing: Framing,
    templates: Path,
    open_data: dict[str, str] | None = None,
    downloads: tuple[Download, ...] | None = None,
    stem: str = "",
) -> tuple[str, str]:
    """The brief's HTML for the PDF, and its web edition (with `downloads`; "" when None),
    both from one context: the same figures, tables and drawn charts."""
    context = _context(data, framing)
    env = environment(templates, framing.fmt.catalog)
    files = open_data or {}
    html = env.get_template("brief.html.j2").render(context, open_data=files, web=None)
    if downloads is None:
        return html, ""
    page = {**context, "open_data": files}
    return html, web_page("brief.html.j2", page, templates, framing.fmt, downloads, stem)


def _context(data: BriefData, framing: Framing) -> dict[str, object]:
    raw = data.table.raw
    provenance = Provenance(
        raw.file,
        raw.sha256,
        framing.fmt._(encoding_label(raw.encoding)),  # "lu en UTF-8 avec indicateur d'ordre"
        len(raw.rows),
        len(raw.rows) - len(data.table.rejected),
    )
    return brief_context(data, framing, provenance)


def brief_pdf(
    html: str,
    dirs: Dirs,
    files: list[EmbeddedFile],
    stamp: datetime,
    render: Callable[..., Pdf] | None = None,
) -> Pdf:
    """The brief as PDF bytes, styled by templates/brief.css, carrying `files`."""
    return (render or html_to_pdf)(html, dirs.templates, config.MAX_PAGES, files, stamp)
