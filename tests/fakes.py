"""Stand-ins injected into runs whose subject is orchestration, not the PDF itself."""

from __future__ import annotations

import base64
import hashlib
import html
import os
import re
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from pipeline import config
from pipeline.config import Dirs
from pipeline.core.formatting import FSI, PDI
from pipeline.core.outcomes import CountryResult
from pipeline.present.render import EmbeddedFile, Pdf
from pipeline.run.build import build_country
from pipeline.run.tasks import PdfRenderer, Reporter, Shared

#: Every stand-in PDF starts with this, so a test can tell it from a real one.
FAKE_PDF_HEADER = b"%PDF-stand-in (tests only: WeasyPrint was not run)\n"


def fake_pdf(
    html: str,
    templates: Path,
    max_pages: int,
    files: Sequence[EmbeddedFile] = (),
    date: datetime | None = None,
) -> Pdf:
    """A deterministic 'PDF' of everything WeasyPrint would have been given, in milliseconds.

    Its second line lists the attachments (name and base64), then comes the HTML as given.
    """
    stamp = date.isoformat() if date else ""
    attached = " ".join(f"{f.name}:{base64.b64encode(f.data).decode()}" for f in files)
    digest = hashlib.sha256((templates / config.STYLESHEET).read_bytes()).hexdigest()
    body = f"{digest} {stamp} {attached}\n{html}".encode()
    return Pdf(FAKE_PDF_HEADER + body, 1)


#: A country build with the stand-in renderer: validation, indicators, charts and HTML are real.
fast_build = partial(build_country, render=fake_pdf)


@dataclass(frozen=True)
class FailingPdf:
    """The stand-in renderer, except for the PDF that carries `attachment` (e.g. "kenya.csv"):
    there it raises `error`, or sends `signal` to its process (or, with `group`, to the
    process group, as a terminal's Ctrl-C does). Picklable, for the worker processes."""

    attachment: str
    error: Exception | None = None
    signal: int | None = None
    group: bool = False

    def __call__(
        self,
        html: str,
        templates: Path,
        max_pages: int,
        files: Sequence[EmbeddedFile] = (),
        date: datetime | None = None,
    ) -> Pdf:
        if any(f.name == self.attachment for f in files):
            if self.error is not None:
                raise self.error
            if self.signal is not None and self.group:
                os.killpg(os.getpgrp(), self.signal)
            elif self.signal is not None:
                os.kill(os.getpid(), self.signal)
        return fake_pdf(html, templates, max_pages, files, date)


def _crash_on(
    stem: str, path: Path, dirs: Dirs, shared: Shared, reporter: Reporter
) -> CountryResult:
    if path.stem == stem:
        os.kill(os.getpid(), signal.SIGKILL)  # as the OOM killer or a crashing library would
    return fast_build(path, dirs, shared, reporter)


def crashing_build(stem: str) -> partial[CountryResult]:
    """A country task whose worker dies, as if killed, while building the file named `stem`."""
    return partial(_crash_on, stem)


#: Elements that sit inside a line of text: their tags add no space, as in the PDF.
INLINE = "data|span|q|sup|sub|em|strong|a|b|i|abbr|time"


def strip_tags(markup: str) -> str:
    """The text of HTML as a reader sees it: inline tags vanish, block tags part words."""
    # A note under a cell (span.partial) is its own line in the PDF: it parts words.
    text = re.sub(r'<span class="partial">', " ", markup)
    text = re.sub(rf"</?(?:{INLINE})\b[^>]*>", "", text)
    return re.sub(r"<[^>]+>", " ", text)


def fake_text(path: Path) -> str:
    """The text a stand-in PDF's HTML shows, tags stripped and whitespace collapsed.

    The bidi isolates around names are invisible in a real PDF, so they are left out here too.
    """
    data = path.read_bytes()
    assert data.startswith(FAKE_PDF_HEADER), f"{path} is not a stand-in PDF"
    page = data.decode("utf-8").split("\n", 2)[2]
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.DOTALL)
    text = html.unescape(strip_tags(page)).replace(FSI, "").replace(PDI, "")
    return " ".join(text.split())


def fake_attachments(path: Path) -> dict[str, bytes]:
    """The files a stand-in PDF carries, by name."""
    second = path.read_bytes().split(b"\n", 2)[1].decode("ascii")
    pairs = (item.split(":", 1) for item in second.split(" ")[2:] if item)
    return {name: base64.b64decode(data) for name, data in pairs}


@dataclass(frozen=True)
class CrashOnce:
    """A country task whose worker dies the first time it builds `stem` (`marker` remembers),
    rendering with `render`. Picklable, for the cluster's workers."""

    stem: str
    marker: Path
    render: PdfRenderer = fake_pdf

    def __call__(
        self, path: Path, dirs: Dirs, shared: Shared, reporter: Reporter
    ) -> CountryResult:
        if path.stem == self.stem and not self.marker.exists():
            self.marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)  # the first worker to build it dies
        return build_country(path, dirs, shared, reporter, render=self.render)


def _bug_on(
    stem: str, path: Path, dirs: Dirs, shared: Shared, reporter: Reporter
) -> CountryResult:
    if path.stem == stem:
        raise ZeroDivisionError("a bug in the build")
    return fast_build(path, dirs, shared, reporter)


def buggy_build(stem: str) -> partial[CountryResult]:
    """A country task that raises, as a bug would, while building the file named `stem`."""
    return partial(_bug_on, stem)
